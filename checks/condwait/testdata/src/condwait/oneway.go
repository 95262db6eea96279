package condwait

import "sync"

// A owGate whose flag is only ever set to true, under the lock, before the
// only Broadcast: when Wait returns, open is true, and the if is enough.
type owGate struct {
	mu     sync.Mutex
	open   bool
	opened *sync.Cond
}

func newOwGate() *owGate {
	g := &owGate{}
	g.opened = sync.NewCond(&g.mu)
	return g
}

func (g *owGate) await() {
	g.mu.Lock()
	if !g.open {
		g.opened.Wait()
	}
	g.mu.Unlock()
}

func (g *owGate) Open() {
	g.mu.Lock()
	g.open = true
	g.opened.Broadcast()
	g.mu.Unlock()
}

// The same owGate, but something closes it again: a waiter woken by Open
// may find it closed.
type owDoor struct {
	mu     sync.Mutex
	open   bool
	opened *sync.Cond
}

func newOwDoor() *owDoor {
	d := &owDoor{}
	d.opened = sync.NewCond(&d.mu)
	return d
}

func (d *owDoor) await() {
	d.mu.Lock()
	if !d.open {
		d.opened.Wait() // want `d.opened.Wait\(\) under an if, not a for`
	}
	d.mu.Unlock()
}

func (d *owDoor) Open() {
	d.mu.Lock()
	d.open = true
	d.opened.Broadcast()
	d.mu.Unlock()
}

func (d *owDoor) Close() {
	d.mu.Lock()
	d.open = false
	d.mu.Unlock()
}

// A owLatch whose flag is one-way, but a second Signal wakes a waiter
// without setting it.
type owLatch struct {
	mu    sync.Mutex
	done  bool
	woken *sync.Cond
}

func newOwLatch() *owLatch {
	l := &owLatch{}
	l.woken = sync.NewCond(&l.mu)
	return l
}

func (l *owLatch) await() {
	l.mu.Lock()
	if !l.done {
		l.woken.Wait() // want `l.woken.Wait\(\) under an if, not a for`
	}
	l.mu.Unlock()
}

func (l *owLatch) release() {
	l.mu.Lock()
	l.done = true
	l.woken.Broadcast()
	l.mu.Unlock()
}

func (l *owLatch) poke() {
	l.woken.Signal()
}

// Local variables: the flag and the Cond declared together, set under
// the lock before the only Broadcast.
func owLocalGate() {
	var mu sync.Mutex
	ready := false
	c := sync.NewCond(&mu)
	go func() {
		mu.Lock()
		ready = true
		c.Broadcast()
		mu.Unlock()
	}()
	mu.Lock()
	if !ready {
		c.Wait()
	}
	mu.Unlock()
}

// The flag is set without the lock: the waiter can check it, the setter
// set it and broadcast, and only then the waiter wait (a lost wakeup).
func owUnlockedGate() {
	var mu sync.Mutex
	ready := false
	c := sync.NewCond(&mu)
	go func() {
		ready = true
		c.Broadcast()
	}()
	mu.Lock()
	if !ready {
		c.Wait() // want `c.Wait\(\) under an if, not a for`
	}
	mu.Unlock()
}

// The setter takes the lock but releases it before it sets the flag: the
// same lost wakeup.
func owReleasedGate() {
	var mu sync.Mutex
	ready := false
	c := sync.NewCond(&mu)
	go func() {
		mu.Lock()
		mu.Unlock()
		ready = true
		c.Broadcast()
	}()
	mu.Lock()
	if !ready {
		c.Wait() // want `c.Wait\(\) under an if, not a for`
	}
	mu.Unlock()
}

// The flag is set through c.L, and the Broadcast follows the Unlock.
func owCondLGate() {
	var mu sync.Mutex
	ready := false
	c := sync.NewCond(&mu)
	go func() {
		c.L.Lock()
		ready = true
		c.L.Unlock()
		c.Broadcast()
	}()
	c.L.Lock()
	if !ready {
		c.Wait()
	}
	c.L.Unlock()
}
