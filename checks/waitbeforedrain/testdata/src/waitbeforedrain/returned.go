package waitbeforedrain

import "sync"

// ---- the channel reaches its receiver only after the Wait ----

// WRONG: the caller ranges over the channel, but gets it only once every
// sender is done, and no sender is done before someone receives.
func squares(n int) <-chan int {
	out := make(chan int)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out <- i * i
		}()
	}
	wg.Wait() // want `deadlock: wg.Wait\(\) waits for goroutines that send on unbuffered channel out, but nothing receives from it in this function and it reaches the caller only at the return \(line 21\), after the Wait: the goroutines wait for a receiver, the Wait for them`
	close(out)
	return out
}

// WRONG: two senders, one slot.
func firstTwo(a, b func() error) chan error {
	errs := make(chan error, 1)
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		errs <- a()
	}()
	go func() {
		defer wg.Done()
		errs <- b()
	}()
	wg.Wait() // want `deadlock: wg.Wait\(\) waits for goroutines that send on channel errs \(buffer 1, 2 sends\)`
	return errs
}

// RIGHT: the Wait and the close run in a goroutine of their own; the
// caller receives at once.
func squaresStreamed(n int) <-chan int {
	out := make(chan int)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out <- i * i
		}()
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	return out
}

// RIGHT: a slot for every sender.
func allOf(fs []func() error) chan error {
	errs := make(chan error, len(fs))
	var wg sync.WaitGroup
	for _, f := range fs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- f()
		}()
	}
	wg.Wait()
	close(errs)
	return errs
}

// RIGHT: the channel is stored where another goroutine may receive before
// the Wait returns.
type sink struct{ in chan int }

func feed(s *sink, n int) chan int {
	out := make(chan int)
	s.in = out
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out <- i
		}()
	}
	wg.Wait()
	return out
}
