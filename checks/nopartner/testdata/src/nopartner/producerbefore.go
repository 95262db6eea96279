package nopartner

import "sync"

// Producers that can block before their send (a Lock, a Wait): the
// finding says what happens if the goroutine reaches the send, and what it
// can wait on first, not that the send is where it blocks. The plain
// producers of finite.go, endless.go and a.go keep the plain wording.

// ---- nobody receives ----

type lockedStream struct {
	mu     sync.Mutex
	n      int
	events chan int
}

func newLockedStream() *lockedStream { return &lockedStream{events: make(chan int)} }

func (s *lockedStream) push(v int) {
	s.mu.Lock()
	s.n++
	s.mu.Unlock()
	s.events <- v // want `nothing in the package receives from s.events \(made at line 18\), and it does not leave the package: if its goroutine reaches this send, it blocks there forever \(before the send, it locks a mutex at line 21\)$`
}

var lockedPushed = func() int { s := newLockedStream(); go s.push(1); return 0 }()

// ---- a finite producer, a receiver that stops ----

type lockedWatcher struct {
	mu     sync.Mutex
	events chan string
	src    []string
}

func newLockedWatcher(src []string) *lockedWatcher {
	w := &lockedWatcher{events: make(chan string), src: src}
	go w.run()
	return w
}

func (w *lockedWatcher) run() {
	for _, e := range w.src {
		w.mu.Lock()
		e := e + "!"
		w.mu.Unlock()
		w.events <- e // want `this goroutine sends each value of its range \(line 44\) on w.events, but the only loop that receives from it \(line 54, in waitFor\) returns at line 56: if values remain then, nothing receives the next one, and if the goroutine reaches this send, it blocks there forever and leaks \(before the send, it locks a mutex at line 45\); select on the send`
	}
	close(w.events)
}

func (w *lockedWatcher) waitFor(name string) bool {
	for e := range w.events {
		if e == name {
			return true
		}
	}
	return false
}

func lockedWatcherUse() bool {
	w := newLockedWatcher([]string{"a", "b", "c"})
	return w.waitFor("a!")
}

// ---- an endless producer, a receiver that stops ----

// Each value is computed by a function that waits on a WaitGroup of its
// own before the send.
func gathered(n int) int {
	var wg sync.WaitGroup
	total := 0
	var mu sync.Mutex
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mu.Lock()
			total += i
			mu.Unlock()
		}()
	}
	wg.Wait()
	return total
}

func findGathered(limit int) int {
	sums := make(chan int)
	go func() {
		for n := 1; ; n++ {
			sums <- gathered(n) // want `this goroutine sends on sums in a loop that never ends on its own \(line 91\), but the only loop that receives from it \(line 95, in findGathered\) breaks out at line 97: after that nothing receives, and if the goroutine reaches this send, it blocks there forever and leaks \(before the send, gathered, called at line 92, waits on a WaitGroup \(line 84\)\); select on the send`
		}
	}()
	for {
		if s := <-sums; s > limit {
			break
		}
	}
	return limit
}
