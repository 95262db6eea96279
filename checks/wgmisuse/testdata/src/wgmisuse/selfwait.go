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
