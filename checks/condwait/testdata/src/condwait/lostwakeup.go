package condwait

import "sync"

type latch struct {
	mu   sync.Mutex
	cond *sync.Cond
	done bool
	n    int
}

func newLatch() *latch {
	l := &latch{}
	l.cond = sync.NewCond(&l.mu)
	return l
}

func (l *latch) wait() {
	l.mu.Lock()
	for !l.done {
		l.cond.Wait()
	}
	l.mu.Unlock()
}

// ---- the state changes and the signal happen without the lock ----

func (l *latch) release() {
	l.done = true
	l.cond.Broadcast() // want `l.done is changed \(line 29\) and l.cond.Broadcast\(\) called without holding l.cond.L: a waiter that has just checked the condition \(line 20\) and not yet reached Wait misses this Broadcast and can block forever; lock l.cond.L around the change and the Broadcast`
}

func (l *latch) waitN() {
	l.mu.Lock()
	for l.n == 0 {
		l.cond.Wait()
	}
	l.n--
	l.mu.Unlock()
}

func (l *latch) add() {
	go func() {
		l.n++
		l.cond.Signal() // want `l.n is changed \(line 44\) and l.cond.Signal\(\) called without holding l.cond.L`
	}()
}

// ---- correct code: silent ----

func (l *latch) releaseLocked() {
	l.done = true
	l.cond.Broadcast()
}

func (l *latch) releaseRight() {
	l.mu.Lock()
	l.done = true
	l.mu.Unlock()
	l.cond.Broadcast() // signalling after Unlock is fine: the change was made under the lock
}

func (l *latch) releaseDeferred() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.done = true
	l.cond.Broadcast()
}

// Called only with the lock held.
func (l *latch) markDone() {
	l.done = true
	l.cond.Broadcast()
}

func (l *latch) finish() {
	l.mu.Lock()
	l.markDone()
	l.mu.Unlock()
}

// A signal that changes nothing the waiters check.
func (l *latch) poke() {
	l.cond.Signal()
}

// The lock is taken through a helper of the package.
func (l *latch) lock()   { l.mu.Lock() }
func (l *latch) unlock() { l.mu.Unlock() }

func (l *latch) releaseHelper() {
	l.lock()
	l.done = true
	l.unlock()
	l.cond.Broadcast()
}
