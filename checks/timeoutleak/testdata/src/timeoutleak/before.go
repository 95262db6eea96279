package timeoutleak

import (
	"sync"
	"time"
)

// ---- what the goroutine waits on before its send ----

// collect waits on a WaitGroup of its own: its callers' summaries do not
// list that Wait, but a goroutine sending collect's result waits there
// first, and may never reach its send (a worker that skips Done).
func collect(keys []string) []string {
	var wg sync.WaitGroup
	var mu sync.Mutex
	var out []string
	for _, k := range keys {
		wg.Add(1)
		go func(k string) {
			defer wg.Done()
			mu.Lock()
			out = append(out, k)
			mu.Unlock()
		}(k)
	}
	wg.Wait()
	return out
}

// The finding stays (the goroutine leaks when the timeout wins, wherever
// it waits), but does not say the send is where it blocks, and offers no
// buffer.
func sendAfterCallWait(keys []string) []string {
	res := make(chan []string)
	go func() {
		res <- collect(keys) // want `goroutine leaks when the select on line 38 takes its time.After\(time.Second\) case: nothing receives from unbuffered channel res after that, so the goroutine blocks forever, in its send or before it: collect, called at line 36, waits on a WaitGroup \(line 26\), and a buffer does not end a wait there`
	}()
	select {
	case r := <-res:
		return r
	case <-time.After(time.Second):
		return nil
	}
}

// square starts a goroutine but waits for nothing itself: a goroutine
// sending its result blocks only in its send, and a buffer frees it.
func square(n int, log chan<- int) int {
	go func() { log <- n }()
	return n * n
}

func sendAfterPureCall(n int, log chan<- int) int {
	res := make(chan int)
	go func() {
		res <- square(n, log) // want `goroutine leaks when the select on line 58 takes its time.After\(time.Second\) case: its send on unbuffered channel res then blocks forever`
	}()
	select {
	case r := <-res:
		return r
	case <-time.After(time.Second):
		return 0
	}
}
