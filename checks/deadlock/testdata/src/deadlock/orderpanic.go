package deadlock

import "sync"

// An order taken only on the way to a panic makes no lock-order finding:
// the code runs only where its author says the program went wrong.

type BodyReader struct {
	mu     sync.Mutex
	conn   *HConn
	inRead bool
}

type HConn struct {
	mu        sync.Mutex
	r         *BodyReader
	hijackedv bool
}

func (r *BodyReader) lock()   { r.mu.Lock() }
func (r *BodyReader) unlock() { r.mu.Unlock() }

func (c *HConn) wasHijacked() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.hijackedv
}

func (r *BodyReader) ReadBody() {
	r.lock()
	if r.inRead {
		h := r.conn.wasHijacked()
		r.unlock()
		if h {
			panic("read after hijack")
		}
		panic("concurrent read")
	}
	r.unlock()
}

func (c *HConn) HijackConn() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.r.lock() // want `lock order inversion: c.r.lock\(\) locks c.r.mu here while holding c.mu \(line 43\), but PeekConn takes them the other way round`
	c.r.inRead = false
	c.r.unlock()
	c.hijackedv = true
}

// The same order on an ordinary path makes the inversion with HijackConn.
func (r *BodyReader) PeekConn() bool {
	r.lock()
	defer r.unlock()
	return r.conn.wasHijacked()
}
