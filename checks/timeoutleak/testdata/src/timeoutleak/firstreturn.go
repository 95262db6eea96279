package timeoutleak

import "context"

// ---- the receiving loop returns early ----

func firstError(fs []func() error) error {
	errc := make(chan error)
	for _, f := range fs {
		go func() { errc <- f() }() // want `the goroutines started on line 10, one per element of fs, each send once on errc, but the loop on line 12 that receives them returns on line 14: when it returns before its last pass, every goroutine whose value was not received blocks forever on the unbuffered errc`
	}
	for range fs {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

func firstOfThree() error {
	errc := make(chan error, 1)
	for i := 0; i < 3; i++ {
		go func() { errc <- check3(i) }() // want `the 3 goroutines started on line 23 each send once on errc, but the loop on line 25 that receives them returns on line 27: when it returns before its last pass, every goroutine whose value was not received blocks forever on errc \(its buffer holds 1\)`
	}
	for i := 0; i < 3; i++ {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

func check3(i int) error { return nil }

// ---- silent ----

// The buffer holds every value.
func firstErrorBuffered(fs []func() error) error {
	errc := make(chan error, len(fs))
	for _, f := range fs {
		go func() { errc <- f() }()
	}
	for range fs {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

// Every value is received before the first error is returned.
func allThenFirst(fs []func() error) error {
	errc := make(chan error)
	for _, f := range fs {
		go func() { errc <- f() }()
	}
	var first error
	for range fs {
		if err := <-errc; err != nil && first == nil {
			first = err
		}
	}
	return first
}

// The senders can leave through ctx.
func firstErrorCtx(ctx context.Context, fs []func() error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errc := make(chan error)
	for _, f := range fs {
		go func() {
			select {
			case errc <- f():
			case <-ctx.Done():
			}
		}()
	}
	for range fs {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

// The receiving loop ranges over something else: its passes are unknown.
func otherCount(fs []func() error, names []string) error {
	errc := make(chan error)
	for _, f := range fs {
		go func() { errc <- f() }()
	}
	for range names {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

// The buffer holds the values left after the first pass.
func firstOfThreeBuffered() error {
	errc := make(chan error, 2)
	for i := 0; i < 3; i++ {
		go func() { errc <- check3(i) }()
	}
	for i := 0; i < 3; i++ {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

// The goroutine is not started on every pass: the counts differ.
func someStarted(fs []func() error) error {
	errc := make(chan error)
	for _, f := range fs {
		if f == nil {
			continue
		}
		go func() { errc <- f() }()
	}
	for range fs {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

// A break of a switch before the go statement ends only the switch: every
// pass still starts a goroutine (the model's PassReach). A run with three
// failing functions leaves two goroutines blocked.
func firstErrSwitch(fs []func() error) error {
	errc := make(chan error)
	for _, f := range fs {
		switch {
		case f == nil:
			break
		}
		go func() { errc <- f() }() // want `the goroutines started on line \d+, one per element of fs, each send once on errc, but the loop on line \d+ that receives them returns on line \d+`
	}
	for range fs {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

// A pass that may return before its go statement: not every pass starts a
// goroutine, and the count is not known. Silent.
func firstErrSkip(fs []func() error) error {
	errc := make(chan error)
	for _, f := range fs {
		if f == nil {
			return context.Canceled
		}
		go func() { errc <- f() }()
	}
	for range fs {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

// Another variable named fs, declared and assigned in a block of its own,
// does not change the ranged fs: the same value by the model's key, not by
// name (run with three failing functions: two goroutines stay blocked).
func firstErrorShadowed(fs []func() error) error {
	errc := make(chan error)
	for _, f := range fs {
		go func() { errc <- f() }() // want `the goroutines started on line 176, one per element of fs, each send once on errc`
	}
	{
		fs := fs[:0]
		fs = append(fs, nil)
		_ = fs
	}
	for range fs {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

// The ranged fs itself is reassigned between the loops.
func firstErrorReassigned(fs []func() error) error {
	errc := make(chan error)
	for _, f := range fs {
		go func() { errc <- f() }()
	}
	fs = append(fs, nil)
	for range fs {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}
