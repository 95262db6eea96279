package condwait

import (
	"sync"
	"testing"
	"time"
)

// A turnstile whose Cond nothing broadcasts: the first arrival waits
// forever (run: the test times out).
type turnstile struct {
	mu      sync.Mutex
	c       *sync.Cond
	arrived int
	n       int
}

func (g *turnstile) arrive() {
	g.mu.Lock()
	g.arrived++
	for g.arrived < g.n {
		g.c.Wait() // want `nothing in the package signals or broadcasts g.c, and it is not handed to code that could`
	}
	g.mu.Unlock()
}

func TestTurnstile(t *testing.T) {
	g := &turnstile{n: 2}
	g.c = sync.NewCond(&g.mu)
	go g.arrive()
}

// A local Cond nobody signals.
func TestLocalCond(t *testing.T) {
	var mu sync.Mutex
	c := sync.NewCond(&mu)
	done := false
	go func() {
		mu.Lock()
		done = true
		mu.Unlock()
	}()
	mu.Lock()
	for !done {
		c.Wait() // want `nothing in the package signals or broadcasts c`
	}
	mu.Unlock()
}

// ---- silent ----

// The last arrival broadcasts.
type gate struct {
	mu      sync.Mutex
	c       *sync.Cond
	arrived int
	n       int
}

func (g *gate) arrive() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.arrived++
	if g.arrived == g.n {
		g.c.Broadcast()
		return
	}
	for g.arrived < g.n {
		g.c.Wait()
	}
}

// A method value handed to a timer signals it.
type timed struct {
	mu    sync.Mutex
	c     *sync.Cond
	fired bool
}

func (x *timed) wait() {
	time.AfterFunc(time.Millisecond, x.c.Broadcast)
	x.mu.Lock()
	for !x.fired {
		x.c.Wait()
	}
	x.mu.Unlock()
}

// An exported field: another package may signal it.
type Shared struct {
	Mu    sync.Mutex
	Cond  *sync.Cond
	Ready bool
}

func (s *Shared) Await() {
	s.Mu.Lock()
	for !s.Ready {
		s.Cond.Wait()
	}
	s.Mu.Unlock()
}

// Passed to a function: it may signal it.
type handed struct {
	mu    sync.Mutex
	c     *sync.Cond
	ready bool
}

func wake(c *sync.Cond) { c.Signal() }

func (h *handed) wait() {
	go wake(h.c)
	h.mu.Lock()
	for !h.ready {
		h.c.Wait()
	}
	h.mu.Unlock()
}
