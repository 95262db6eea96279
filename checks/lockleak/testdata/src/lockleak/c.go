package lockleak

import "sync"

type Gossip struct {
	mu     sync.Mutex
	other  sync.Mutex
	closed bool
	items  []int
}

// A break with the lock held: the Unlock below is skipped.
func (g *Gossip) Bootstrap() {
	for {
		g.mu.Lock() // want `g.mu stays locked when the loop breaks on line 17`
		if g.closed {
			break
		}
		g.mu.Unlock()
	}
}

// A continue with the lock held: the next iteration locks again.
func (g *Gossip) Scan() {
	for _, it := range g.items {
		g.mu.Lock() // want `g.mu stays locked when the loop continues on line 28`
		if it == 0 {
			continue
		}
		g.mu.Unlock()
	}
}

// The lock is kept on break and released after the loop: fine.
func (g *Gossip) Find() int {
	found := -1
	for i := range g.items {
		g.mu.Lock()
		if g.items[i] > 0 {
			found = i
			break
		}
		g.mu.Unlock()
	}
	if found >= 0 {
		g.mu.Unlock()
	}
	return found
}

// An unrelated mutex's Lock/Unlock between does not hide the leak.
func (g *Gossip) Acquire() bool {
	g.mu.Lock() // want `g.mu stays locked if \(\*Gossip\).Acquire returns on line 58`
	closed := g.closed
	g.other.Lock()
	g.other.Unlock()
	if closed {
		return false
	}
	g.mu.Unlock()
	return true
}

// The lock is handed to the caller on the break: fine.
func (g *Gossip) waitFor(id int) (lock *sync.Mutex) {
	for {
		g.mu.Lock()
		if len(g.items) > id {
			lock = &g.mu
			break
		}
		g.mu.Unlock()
	}
	return lock
}

// The loop breaks out holding the lock, and a defer after it releases it.
func (g *Gossip) insert(v int) {
	for {
		g.mu.Lock()
		if !g.closed {
			break
		}
		g.mu.Unlock()
	}
	defer g.mu.Unlock()
	g.items = append(g.items, v)
}

// The goroutine locks twice to block itself until the function that
// started it unlocks the mutex (runtime/pprof's blockMutexDeep): the second
// Lock waits for that Unlock, not forever.
func blockUntilReleased(ready chan struct{}) {
	var mu sync.Mutex
	go func() {
		mu.Lock()
		mu.Lock()
	}()
	<-ready
	mu.Unlock()
}
