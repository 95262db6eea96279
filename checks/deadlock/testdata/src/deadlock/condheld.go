package deadlock

import "sync"

// ---- a mutex held across a Cond's Wait that its signaller needs ----

// Wait unlocks only the Cond's L (s.mu); Acquire keeps s.admit while it
// waits, and Release must lock s.admit before it can signal.
type Slots struct {
	admit sync.Mutex
	mu    sync.Mutex
	cond  *sync.Cond
	free  int
}

func NewSlots() *Slots {
	s := &Slots{}
	s.cond = sync.NewCond(&s.mu)
	return s
}

func (s *Slots) Acquire() {
	s.admit.Lock()
	defer s.admit.Unlock()
	s.mu.Lock()
	for s.free == 0 {
		s.cond.Wait() // want `s.cond.Wait\(\) can block while this goroutine holds s.admit \(locked on line \d+; Wait unlocks only s.mu, the Cond's L\), and the code that calls s.cond.Signal\(\) or Broadcast\(\) must lock s.admit first \(line \d+\)`
	}
	s.free--
	s.mu.Unlock()
}

func (s *Slots) Release() {
	s.admit.Lock()
	s.mu.Lock()
	s.free++
	s.mu.Unlock()
	s.admit.Unlock()
	s.cond.Signal()
}

// The signaller needs only the Cond's own mutex, which Wait releases.
type Gate struct {
	outer sync.Mutex
	mu    sync.Mutex
	cond  *sync.Cond
	open  bool
}

func NewGate() *Gate {
	g := &Gate{}
	g.cond = sync.NewCond(&g.mu)
	return g
}

func (g *Gate) Pass() {
	g.outer.Lock()
	defer g.outer.Unlock()
	g.mu.Lock()
	for !g.open {
		g.cond.Wait()
	}
	g.mu.Unlock()
}

func (g *Gate) Open() {
	g.mu.Lock()
	g.open = true
	g.mu.Unlock()
	g.cond.Broadcast()
}

// The waiter lets go of the outer mutex before it waits.
type Turnstile struct {
	outer sync.Mutex
	mu    sync.Mutex
	cond  *sync.Cond
	n     int
}

func NewTurnstile() *Turnstile {
	t := &Turnstile{}
	t.cond = sync.NewCond(&t.mu)
	return t
}

func (t *Turnstile) Enter() {
	t.outer.Lock()
	t.mu.Lock()
	t.outer.Unlock()
	for t.n == 0 {
		t.cond.Wait()
	}
	t.n--
	t.mu.Unlock()
}

func (t *Turnstile) Leave() {
	t.outer.Lock()
	t.mu.Lock()
	t.n++
	t.mu.Unlock()
	t.outer.Unlock()
	t.cond.Signal()
}

// A caller holding the Cond's own mutex while a helper waits: Wait
// releases it.
type Latch struct {
	mu   sync.Mutex
	cond *sync.Cond
	done bool
}

func NewLatch() *Latch {
	l := &Latch{}
	l.cond = sync.NewCond(&l.mu)
	return l
}

func (l *Latch) waitLocked() {
	for !l.done {
		l.cond.Wait()
	}
}

func (l *Latch) Await() {
	l.mu.Lock()
	l.waitLocked()
	l.mu.Unlock()
}

func (l *Latch) Finish() {
	l.mu.Lock()
	l.done = true
	l.cond.Broadcast()
	l.mu.Unlock()
}
