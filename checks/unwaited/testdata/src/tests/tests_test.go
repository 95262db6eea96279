package tests

import (
	"sync"
	"testing"
	"time"
)

type result struct{ n int }

func TestSleepWait(t *testing.T) {
	r := &result{}
	go func() {
		r.n = Work()
	}()
	time.Sleep(10 * time.Millisecond) // want `time.Sleep is the only wait for the goroutine started on line 13: it may still be running \(or not have started\) when test TestSleepWait returns`
	if r.n != 1 {
		t.Errorf("got %d", r.n)
	}
}

func TestReturnsEarly(t *testing.T) {
	go func() { // want `test TestReturnsEarly returns without waiting for the goroutine it starts here: nothing waits for it, so it may outlive the test \(a t.Log or t.Error after the test has completed panics\)`
		t.Log(Work())
	}()
	t.Log("started")
}

// ---- correct ----

func TestChannel(t *testing.T) {
	done := make(chan int)
	go func() { done <- Work() }()
	if got := <-done; got != 1 {
		t.Errorf("got %d", got)
	}
}

func TestCleanup(t *testing.T) {
	var wg sync.WaitGroup
	t.Cleanup(wg.Wait)
	wg.Add(1)
	go func() {
		defer wg.Done()
		Work()
	}()
}

func TestDeferredWait(t *testing.T) {
	var wg sync.WaitGroup
	defer wg.Wait()
	wg.Add(1)
	go func() {
		defer wg.Done()
		Work()
	}()
}

func TestMutex(t *testing.T) {
	var mu sync.Mutex
	n := 0
	go func() {
		mu.Lock()
		n++
		mu.Unlock()
	}()
	for {
		mu.Lock()
		if n > 0 {
			mu.Unlock()
			return
		}
		mu.Unlock()
		time.Sleep(time.Millisecond)
	}
}

func TestPolling(t *testing.T) {
	r := &result{}
	go func() { r.n = Work() }()
	for i := 0; i < 100 && !ready(r); i++ {
		time.Sleep(time.Millisecond)
	}
}

func ready(r *result) bool { return r.n != 0 }

func TestSubtests(t *testing.T) {
	go Work()
	t.Run("sub", func(t *testing.T) {})
}

func TestHelperWaits(t *testing.T) {
	go Work()
	waitForWork(t)
}

func waitForWork(t *testing.T) { t.Helper() }

func helperNotATest(t *testing.T) {
	go Work()
}

func newWaitGroup(t *testing.T) *sync.WaitGroup {
	wg := new(sync.WaitGroup)
	t.Cleanup(wg.Wait)
	return wg
}

func TestHelperCleanup(t *testing.T) {
	wg := newWaitGroup(t)
	wg.Add(1)
	go func() {
		defer wg.Done()
		Work()
	}()
}

func TestSignalsChannel(t *testing.T) {
	done := make(chan bool, 1)
	t.Cleanup(func() { <-done })
	go func() {
		Work()
		done <- true
	}()
}

// A test that leaves a goroutine running on purpose (it never touches t):
// not reported.
func TestLeavesBlocked(t *testing.T) {
	ch := make(chan int)
	go func() {
		<-ch
	}()
}
