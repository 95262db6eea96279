package wgmisuse

import "sync"

// ---- helpers that call Done, in another file of the package ----

// The goroutine's early return is preceded by a helper declared in
// skipped_calls.go that counts it out through its parameter: silent.
func doneThroughParam() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		if fetch(3) != nil {
			giveUp(&wg)
			return
		}
		wg.Done()
	}()
	wg.Wait()
}

// A method of another file that calls Done on the field: silent.
func (t *crossTracker) work() {
	if fetch(5) != nil {
		t.abort()
		return
	}
	t.wg.Done()
}

func (t *crossTracker) run() {
	t.wg.Add(1)
	go t.work()
	t.wg.Wait()
}

// A helper that does something else to the WaitGroup does not count the
// goroutine out.
func helperWaits() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		if fetch(3) != nil {
			logState(&wg)
			return // want `this return skips wg.Done\(\)`
		}
		wg.Done()
	}()
	wg.Wait()
}

// A closure bound to a variable that calls Done, called before the early
// return: silent (the model's summary follows the call into the closure).
func doneThroughClosure() {
	var wg sync.WaitGroup
	finish := func() { wg.Done() }
	wg.Add(1)
	go func() {
		if fetch(3) != nil {
			finish()
			return
		}
		wg.Done()
	}()
	wg.Wait()
}
