package timeoutleak

import (
	"io"
	"testing"
)

// The writer reports an error only on the path where it never writes to
// the pipe; the reader closes done only after its read of that pipe
// succeeds. When the writer sends, the read never returns, done is never
// closed and the select takes the error: nobody is stranded.
func pipeRoundTrip(t *testing.T, produce func() ([]byte, error)) {
	r, w := io.Pipe()
	errs := make(chan error)
	go func() {
		b, err := produce()
		if err != nil {
			errs <- err
			return
		}
		w.Write(b)
		w.Close()
	}()
	done := make(chan struct{})
	go func() {
		_, err := io.ReadAll(r)
		if err != nil {
			errs <- err
			return
		}
		close(done)
	}()
	select {
	case err := <-errs:
		t.Fatal(err)
	case <-done:
	}
}

// The two goroutines share nothing: a() can fail while b() succeeds, the
// select takes done and the first goroutine stays blocked on its send.
func independentWork(a, b func() error) error {
	errs := make(chan error)
	go func() {
		if err := a(); err != nil {
			errs <- err // want `goroutine leaks when the select on line 57 takes its <-done case`
		}
	}()
	done := make(chan struct{})
	go func() {
		if err := b(); err != nil {
			errs <- err
			return
		}
		close(done)
	}()
	select {
	case err := <-errs:
		return err
	case <-done:
	}
	return nil
}

// The closer sends its error and then closes done anyway: the select may
// take done first, and the send blocks forever.
func sendThenClose(b func() error) error {
	errs := make(chan error)
	done := make(chan struct{})
	go func() {
		if err := b(); err != nil {
			errs <- err // want `goroutine leaks when the select on line 76 takes its <-done case`
		}
		close(done)
	}()
	select {
	case err := <-errs:
		return err
	case <-done:
	}
	return nil
}

// The sender returns early, but the work it skips touches nothing the
// closer's success depends on: a() can fail while b() succeeds.
func unrelatedSkip(a func() (int, error), b func() error, record func(int)) error {
	errs := make(chan error)
	go func() {
		v, err := a()
		if err != nil {
			errs <- err // want `goroutine leaks when the select on line 104 takes its <-done case`
			return
		}
		record(v)
	}()
	done := make(chan struct{})
	go func() {
		if err := b(); err != nil {
			errs <- err
			return
		}
		close(done)
	}()
	select {
	case err := <-errs:
		return err
	case <-done:
	}
	return nil
}

// As pipeRoundTrip, once per input, with done made again after the select
// for a second reader: that later close cannot fire the first select.
func pipeRoundTrips(t *testing.T, inputs [][]byte, check func([]byte) error) {
	for _, in := range inputs {
		r, w := io.Pipe()
		errs := make(chan error)
		go func() {
			if err := check(in); err != nil {
				errs <- err
				return
			}
			w.Write(in)
			w.Close()
		}()
		done := make(chan struct{})
		go func() {
			if _, err := io.ReadAll(r); err != nil {
				errs <- err
				return
			}
			close(done)
		}()
		select {
		case err := <-errs:
			t.Fatal(err)
		case <-done:
		}
		done = make(chan struct{})
		go func() {
			r.Close()
			close(done)
		}()
		<-done
	}
}

// done is also handed to a helper that may close it first: the reader's
// send can then be stranded, so it stays reported.
func sharedDone(b func() error, stopLater func(chan struct{})) error {
	errs := make(chan error)
	done := make(chan struct{})
	go func() {
		if err := b(); err != nil {
			errs <- err // want `goroutine leaks when the select on line 161 takes its <-done case`
			return
		}
		close(done)
	}()
	go stopLater(done)
	select {
	case err := <-errs:
		return err
	case <-done:
	}
	return nil
}
