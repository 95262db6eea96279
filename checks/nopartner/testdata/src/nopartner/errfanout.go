package nopartner

import (
	"context"
	"errors"
)

// errfanout.go: goroutines started in a loop each send one result; the
// collector returns at the first error.

func efDo(i int) error {
	if i%2 == 0 {
		return errors.New("bad")
	}
	return nil
}

func efRunAll(n int) error {
	errCh := make(chan error)
	for i := 0; i < n; i++ {
		go func(i int) {
			errCh <- efDo(i) // want `each goroutine started in the loop at line 20 sends once on errCh, but the only loop that receives from it \(line 25\) returns at line 27 when err != nil: the goroutines whose values were not received yet then block on this send forever`
		}(i)
	}
	for i := 0; i < n; i++ {
		if err := <-errCh; err != nil {
			return err
		}
	}
	return nil
}

// RIGHT: room for every goroutine's value; nobody waits on a send.
func efBuffered(n int) error {
	errCh := make(chan error, n)
	for i := 0; i < n; i++ {
		go func(i int) {
			errCh <- efDo(i)
		}(i)
	}
	for i := 0; i < n; i++ {
		if err := <-errCh; err != nil {
			return err
		}
	}
	return nil
}

// RIGHT: keep receiving every value; report the first error.
func efDrain(n int) error {
	errCh := make(chan error)
	for i := 0; i < n; i++ {
		go func(i int) {
			errCh <- efDo(i)
		}(i)
	}
	var first error
	for i := 0; i < n; i++ {
		if err := <-errCh; err != nil && first == nil {
			first = err
		}
	}
	return first
}

// RIGHT: the senders give up when the collector cancels.
func efCancel(n int) error {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	errCh := make(chan error)
	for i := 0; i < n; i++ {
		go func(i int) {
			select {
			case errCh <- efDo(i):
			case <-ctx.Done():
			}
		}(i)
	}
	for i := 0; i < n; i++ {
		if err := <-errCh; err != nil {
			return err
		}
	}
	return nil
}
