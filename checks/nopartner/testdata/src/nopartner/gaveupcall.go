package nopartner

import "context"

// gaveupcall.go: the select receives straight from the call that returns
// the channel; its ctx.Done() case strands the goroutine's send.

func gcStart() <-chan error {
	errCh := make(chan error)
	go func() {
		errCh <- nil // want `every receive from errCh \(made at line 9, unbuffered\) is a case of the select at line 17, which can take its <-ctx.Done\(\) case instead \(line 20\)`
	}()
	return errCh
}

func gcRun(ctx context.Context) error {
	select {
	case err := <-gcStart():
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// RIGHT: room for the one value; the send completes after the caller left.
func gcStartBuffered() <-chan error {
	errCh := make(chan error, 1)
	go func() {
		errCh <- nil
	}()
	return errCh
}

func gcRunBuffered(ctx context.Context) error {
	select {
	case err := <-gcStartBuffered():
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

func gcUse(ctx context.Context) { _, _ = gcRun(ctx), gcRunBuffered(ctx) }
