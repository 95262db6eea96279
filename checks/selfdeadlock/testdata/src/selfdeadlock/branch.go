package selfdeadlock

func report(verbose bool) int {
	errs := make(chan error)
	if verbose {
		errs <- nil // want `send on unbuffered channel errs blocks forever: nothing can receive from it yet`
	}
	go func() {
		for range errs {
		}
	}()
	return 0
}

// The receiver starts first in the branch: fine.
func report2(verbose bool) {
	errs := make(chan error)
	if verbose {
		go func() { <-errs }()
		errs <- nil
	}
}
