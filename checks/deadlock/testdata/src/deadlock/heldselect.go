package deadlock

import (
	"sync"
	"time"
)

// ---- a lock held across a select none of whose cases can proceed ----

// The reader locks c.mu before each receive, and shutdown locks it before
// it closes c.closed: with c.mu held, neither case of write can proceed.
type Link struct {
	mu     sync.Mutex
	out    chan []byte
	closed chan struct{}
	sent   int
}

func NewLink() *Link { return &Link{out: make(chan []byte), closed: make(chan struct{})} }

func (c *Link) write(b []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	select { // want `this select can block while this goroutine holds c.mu \(locked on line \d+\), and the partners of every one of its cases must lock c.mu first \(the send on c.out: line \d+; the receive from c.closed: line \d+\)`
	case c.out <- b:
		c.sent++
	case <-c.closed:
	}
}

func (c *Link) readLoop() {
	for {
		c.mu.Lock()
		_ = c.sent
		c.mu.Unlock()
		<-c.out
	}
}

func (c *Link) shutdown() {
	c.mu.Lock()
	close(c.closed)
	c.mu.Unlock()
}

// The closer does not need the lock: the select gives up once it closes.
type Duct struct {
	mu     sync.Mutex
	out    chan []byte
	closed chan struct{}
	sent   int
}

func NewDuct() *Duct { return &Duct{out: make(chan []byte), closed: make(chan struct{})} }

func (c *Duct) write(b []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	select {
	case c.out <- b:
		c.sent++
	case <-c.closed:
	}
}

func (c *Duct) readLoop() {
	for {
		c.mu.Lock()
		_ = c.sent
		c.mu.Unlock()
		<-c.out
	}
}

func (c *Duct) shutdown() { close(c.closed) }

// A timer case always proceeds in the end.
type Pinger struct {
	mu   sync.Mutex
	out  chan int
	sent int
}

func NewPinger() *Pinger { return &Pinger{out: make(chan int)} }

func (p *Pinger) send(v int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	select {
	case p.out <- v:
		p.sent++
	case <-time.After(time.Second):
	}
}

func (p *Pinger) drain() {
	for {
		p.mu.Lock()
		_ = p.sent
		p.mu.Unlock()
		<-p.out
	}
}
