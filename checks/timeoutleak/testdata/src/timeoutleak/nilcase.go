package timeoutleak

// A case on a local channel that is never made is never ready: the select
// can only take the result, and no goroutine is left behind.
func nilCancel(work func() int) int {
	done := make(chan int)
	go func() {
		done <- work()
	}()
	var cancel chan struct{} // not wired up yet: nil
	select {
	case v := <-done:
		return v
	case <-cancel:
		return 0
	}
}

// The same select with a cancel channel that is made: it may win, and the
// goroutine then stays blocked on its send.
func madeCancel(work func() int, cancel chan struct{}) int {
	done := make(chan int)
	go func() {
		done <- work() // want `goroutine leaks when the select on line 26 takes its <-cancel case`
	}()
	select {
	case v := <-done:
		return v
	case <-cancel:
		return 0
	}
}
