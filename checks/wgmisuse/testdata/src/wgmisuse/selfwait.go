package wgmisuse

import "sync"

// ---- a goroutine waits for the WaitGroup that counts it ----

func selfWaitDeferred(jobs []int) {
	var wg sync.WaitGroup
	for range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			wg.Wait() // want `the goroutine waits on wg, which counts it, while its deferred wg.Done\(\) has not run yet \(line 12\): the counter cannot reach zero while it waits, so this blocks forever`
		}()
	}
	wg.Wait()
}

func selfWaitBefore() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		wg.Wait() // want `the goroutine waits on wg, which counts it, before its own wg.Done\(\) \(line 24\)`
		wg.Done()
	}()
}

// ---- silent ----

// Another WaitGroup.
func waitsOther() {
	var wg, inner sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		inner.Wait()
	}()
	wg.Wait()
}

// Done first, then wait for the others (a barrier).
func barrier() {
	var wg sync.WaitGroup
	wg.Add(2)
	for i := 0; i < 2; i++ {
		go func() {
			wg.Done()
			wg.Wait()
		}()
	}
}

// Not counted: no Add before the go statement.
func uncounted(wg *sync.WaitGroup) {
	go func() {
		defer wg.Done()
		wg.Wait()
	}()
}

// Counted by the Add of the previous pass, after the go statement (the
// flow, not the order of the lines): run with n = 3 and every goroutine
// stays blocked in its Wait.
func selfWaitAddLater(n int) {
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		go func() {
			defer wg.Done()
			wg.Wait() // want `the goroutine waits on wg, which counts it, while its deferred wg.Done\(\) has not run yet`
		}()
		wg.Add(1)
	}
}

// The Add is on a path that returns before the go statement: the counter
// is zero, the Wait returns at once (run: the Done then panics with a
// negative counter, a different bug), nothing blocks.
func addOnOtherPath(bad bool) {
	var wg sync.WaitGroup
	if bad {
		wg.Add(1)
		return
	}
	go func() {
		defer wg.Done()
		wg.Wait()
	}()
}

// The Wait is dead code: no run of the goroutine gets to it.
func deadWait(jobs []int) {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		for range jobs {
		}
		panic("stop")
		wg.Wait()
		wg.Done()
	}()
}
