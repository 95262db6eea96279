package lockleak

import "sync"

// Loops whose body ends with the mutex still locked by a Lock taken in
// that body: the next iteration's Lock blocks forever.

type Queue struct {
	mu    sync.Mutex
	rw    sync.RWMutex
	items []int
	done  bool
	next  *Queue
}

// The skip path unlocks and continues; the other path falls off the end.
func (q *Queue) Drain(xs []int) {
	for _, x := range xs {
		q.mu.Lock() // want `q.mu stays locked at the end of the loop body on line 25: the Unlock on line 21 is skipped on that path, so the next iteration's Lock blocks forever`
		if x == 0 {
			q.mu.Unlock()
			continue
		}
		q.items = append(q.items, x)
	}
}

// The paths that leave the switch early unlock; the one that falls
// through to the end of the body does not.
func (q *Queue) Poll() {
	for {
		q.mu.Lock() // want `q.mu stays locked at the end of the loop body on line 43: the Unlock on line 35 is skipped`
		switch {
		case len(q.items) == 0:
			q.mu.Unlock()
			return
		case q.done:
			q.mu.Unlock()
			continue
		}
		q.items = q.items[1:]
		work()
	}
}

// The read lock is skipped on one path too.
func (q *Queue) Count(xs []int) int {
	n := 0
	for range xs {
		q.rw.RLock() // want `q.rw stays read-locked at the end of the loop body on line 56: the RUnlock on line 52 is skipped on that path, so every Lock of q.rw blocks forever, and so does the next iteration.s RLock once a writer waits`
		if q.done {
			q.rw.RUnlock()
			continue
		}
		n += len(q.items)
	}
	return n
}

func work() {}

// ---- negatives ----

// Unlocked on every path.
func (q *Queue) Each(xs []int) {
	for _, x := range xs {
		q.mu.Lock()
		if x == 0 {
			q.mu.Unlock()
			continue
		}
		q.items = append(q.items, x)
		q.mu.Unlock()
	}
}

// A deferred closure unlocks: it runs when the function returns, so the
// next iteration does block, but that is deferloop's finding.
func (q *Queue) Deferred(xs []int) {
	for _, x := range xs {
		q.mu.Lock()
		unlocked := false
		defer func() {
			if !unlocked {
				q.mu.Unlock()
			}
		}()
		if x == 0 {
			q.mu.Unlock()
			unlocked = true
			continue
		}
		q.items = append(q.items, x)
	}
}

// The for statement's post statement unlocks (through a helper).
func (q *Queue) Stepper(n int) {
	for i := 0; i < n; i = q.unlockAndNext(i) {
		q.mu.Lock()
		if q.done {
			q.mu.Unlock()
			continue
		}
		q.items = append(q.items, i)
	}
}

func (q *Queue) unlockAndNext(i int) int { return i + 1 }

// A method that unlocks releases it on the other path.
func (q *Queue) unlockAll() { q.mu.Unlock() }

func (q *Queue) ViaSummary(xs []int) {
	for _, x := range xs {
		q.mu.Lock()
		if x == 0 {
			q.mu.Unlock()
			continue
		}
		q.finish()
	}
}

func (q *Queue) finish() { q.mu.Unlock() }

// An Unlock after the loop covers the path that leaves it.
func (q *Queue) UntilDone(xs []int) {
	for _, x := range xs {
		q.mu.Lock()
		if x == 0 {
			q.mu.Unlock()
			continue
		}
		q.done = true
	}
	q.mu.Unlock()
}

// The address escapes: the holder is elsewhere.
func (q *Queue) HandOver(xs []int, out chan *sync.Mutex) {
	for _, x := range xs {
		q.mu.Lock()
		if x == 0 {
			q.mu.Unlock()
			continue
		}
		out <- &q.mu
	}
}

// A helper whose name says it unlocks.
func (q *Queue) ViaHelper(xs []int) {
	for _, x := range xs {
		q.mu.Lock()
		if x == 0 {
			q.mu.Unlock()
			continue
		}
		unlockLater(q)
	}
}

func unlockLater(q *Queue) {}

// Another goroutine unlocks it.
func (q *Queue) ByGoroutine(xs []int) {
	for _, x := range xs {
		q.mu.Lock()
		if x == 0 {
			q.mu.Unlock()
			continue
		}
		go func() { q.mu.Unlock() }()
	}
}

// Locked before the loop: the loop unlocks and locks again.
func (q *Queue) Yield(xs []int) {
	q.mu.Lock()
	for _, x := range xs {
		q.mu.Unlock()
		work()
		q.mu.Lock()
		if x == 0 {
			q.mu.Unlock()
			return
		}
	}
	q.mu.Unlock()
}

// The loop runs at most once.
func (q *Queue) Once(xs []int) {
	for _, x := range xs {
		q.mu.Lock()
		if x == 0 {
			q.mu.Unlock()
			continue
		}
		return
	}
}

// A different mutex on each iteration (lock them all, unlock on skip).
func LockAll(qs []*Queue) {
	for _, q := range qs {
		q.mu.Lock()
		if q.done {
			q.mu.Unlock()
			continue
		}
	}
}

// A linked walk: q moves on each iteration.
func (q *Queue) Chain() {
	for q != nil {
		q.mu.Lock()
		if q.done {
			q.mu.Unlock()
			q = q.next
			continue
		}
		q = q.next
	}
}

// Indexed: a different mutex each time.
func LockIndexed(qs []Queue) {
	for i := range qs {
		qs[i].mu.Lock()
		if qs[i].done {
			qs[i].mu.Unlock()
			continue
		}
	}
}

// A read lock released on every path.
func (q *Queue) Readers(xs []int) (n int) {
	for range xs {
		q.rw.RLock()
		n += len(q.items)
		q.rw.RUnlock()
	}
	return n
}

// A continue that skips the RUnlock: the next RLock waits only behind a
// writer, so the message says what blocks (a run without a writer ends).
func (q *Queue) Sum(xs []int) int {
	n := 0
	for _, x := range xs {
		q.rw.RLock() // want `q.rw stays read-locked when the loop continues on line 257: the RUnlock on line 259 is skipped, so every Lock of q.rw blocks forever, and so does the next iteration.s RLock once a writer waits`
		if x < 0 {
			continue
		}
		q.rw.RUnlock()
		n += x
	}
	return n
}
