package nopartner

import (
	"context"
	"time"
)

// ---- an endless producer, a receiver that stops ----

// WRONG: the ticker goroutine sends forever with a plain send; the waiter
// stops receiving once its condition holds.
func ticks(ctx context.Context, every time.Duration) <-chan time.Time {
	out := make(chan time.Time)
	go func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case now := <-t.C:
				out <- now // want `this goroutine sends on out in a loop that never ends on its own \(line 17\), but the only loop that receives from it \(line 30, in waitReady\) returns at line 32: after that nothing receives, this send blocks forever and the goroutine leaks; select on the send together with a done channel the receiver closes as it leaves`
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}

func waitReady(ctx context.Context, ready func() bool) {
	for range ticks(ctx, time.Millisecond) {
		if ready() {
			return
		}
	}
}

// WRONG: a generator that never stops, and a search that breaks out of
// its loop when it finds the value.
func findPrime(limit int) int {
	nums := make(chan int)
	go func() {
		for n := 2; ; n++ {
			nums <- n // want `this goroutine sends on nums in a loop that never ends on its own \(line 42\), but the only loop that receives from it \(line 47, in findPrime\) breaks out at line 51`
		}
	}()
	found := 0
	for {
		n := <-nums
		if n > limit && isPrime(n) {
			found = n
			break
		}
	}
	return found
}

func isPrime(n int) bool {
	for d := 2; d*d <= n; d++ {
		if n%d == 0 {
			return false
		}
	}
	return n > 1
}

// RIGHT: the producer selects on its send together with a done channel
// the receiver closes as it leaves.
func ticksUntil(done <-chan struct{}, every time.Duration) <-chan time.Time {
	out := make(chan time.Time)
	go func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case now := <-t.C:
				select {
				case out <- now:
				case <-done:
					return
				}
			case <-done:
				return
			}
		}
	}()
	return out
}

func waitReadyDone(ready func() bool) {
	done := make(chan struct{})
	defer close(done)
	for range ticksUntil(done, time.Millisecond) {
		if ready() {
			return
		}
	}
}

// Silent: the receiver cancels the context the producer watches as it
// leaves. A producer already in its plain send still blocks, but whether
// it is depends on timing.
func waitReadyCancel(parent context.Context, ready func() bool) {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	for range ticks2(ctx, time.Millisecond) {
		if ready() {
			return
		}
	}
}

func ticks2(ctx context.Context, every time.Duration) <-chan time.Time {
	out := make(chan time.Time)
	go func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case now := <-t.C:
				out <- now
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}

// Silent: the receiver never leaves its loop before the producer stops.
func countTo(n int) int {
	nums := make(chan int)
	go func() {
		for i := 0; ; i++ {
			if i == n {
				close(nums)
				return
			}
			nums <- i
		}
	}()
	c := 0
	for range nums {
		c++
	}
	return c
}

// UseProducers calls the functions above, as a package's API would.
func UseProducers(ctx context.Context, ready func() bool) int {
	waitReady(ctx, ready)
	waitReadyDone(ready)
	waitReadyCancel(ctx, ready)
	return findPrime(10) + countTo(3)
}

// Left to timeoutleak: the goroutine started next to a range that stops
// early (the same facts, one finding).
func firstEven() int {
	nums := make(chan int)
	go func() {
		for n := 1; ; n++ {
			nums <- n
		}
	}()
	for n := range nums {
		if n%2 == 0 {
			return n
		}
	}
	return 0
}

var _ = firstEven
