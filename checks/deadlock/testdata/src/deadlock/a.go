package deadlock

import (
	"fmt"
	"sync"
	"sync/atomic"
)

// ---- double lock through a call chain ----

type Cache struct {
	mu sync.Mutex
	m  map[string]int
}

func (c *Cache) Flush() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.count() > 0 { // want `c.count\(\) → size\(\) locks c.mu \(Lock at line \d+\) while this goroutine already holds it`
		c.m = nil
	}
}

func (c *Cache) count() int { return size(c) }

func size(c *Cache) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.m)
}

// sizeLocked expects the lock to be held: fine.
func (c *Cache) Reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sizeLocked()
}

func (c *Cache) sizeLocked() int { return len(c.m) }

// Another instance of the same type: not the same mutex.
func (c *Cache) CopyFrom(o *Cache) {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := o.count()
	_ = n
}

// A callee that unlocks first expects the lock held: not a double lock.
func (c *Cache) Wait() {
	c.mu.Lock()
	c.unlockAndRelock()
	c.mu.Unlock()
}

func (c *Cache) unlockAndRelock() {
	c.mu.Unlock()
	c.mu.Lock()
}

// ---- embedded mutex, RWMutex upgrade, recursive read lock ----

type Registry struct {
	sync.RWMutex
	names []string
}

func (r *Registry) Add(n string) {
	r.Lock()
	r.names = append(r.names, n)
	r.Unlock()
}

func (r *Registry) AddAll(ns []string) {
	r.RLock()
	defer r.RUnlock()
	for _, n := range ns {
		r.Add(n) // want `r.Add\(\) locks r.RWMutex \(Lock at line \d+\) while this goroutine holds its read lock .*cannot be upgraded`
	}
}

func (r *Registry) String() string {
	r.RLock()
	defer r.RUnlock()
	return fmt.Sprint(len(r.names))
}

func (r *Registry) Dump() {
	r.RLock()
	fmt.Printf("%v\n", r) // want `fmt.Printf → r.String\(\) read-locks r.RWMutex again`
	r.RUnlock()
}

// Read lock, released before the Stringer runs: fine.
func (r *Registry) Dump2() {
	r.RLock()
	n := len(r.names)
	r.RUnlock()
	fmt.Println(n, r)
}

// ---- AB-BA ----

type Bank struct {
	a, b sync.Mutex
	gate sync.Mutex
}

func (s *Bank) Transfer() {
	s.a.Lock()
	s.b.Lock() // want `lock order inversion: s.b.Lock\(\) here while holding s.a`
	s.b.Unlock()
	s.a.Unlock()
}

func (s *Bank) Audit() {
	s.b.Lock()
	s.lockA()
	s.a.Unlock()
	s.b.Unlock()
}

func (s *Bank) lockA() { s.a.Lock() }

type Gated struct {
	a, b, gate sync.Mutex
}

// Both orders run under one gate lock: they cannot interleave.
func (s *Gated) One() {
	s.gate.Lock()
	s.a.Lock()
	s.b.Lock()
	s.b.Unlock()
	s.a.Unlock()
	s.gate.Unlock()
}

func (s *Gated) Two() {
	s.gate.Lock()
	s.b.Lock()
	s.a.Lock()
	s.a.Unlock()
	s.b.Unlock()
	s.gate.Unlock()
}

// ---- a lock held across a wait whose partner needs it ----

type Server struct {
	mu sync.Mutex
	wg sync.WaitGroup
	n  int
}

func (s *Server) Start() {
	s.wg.Add(1)
	go s.work()
}

func (s *Server) work() {
	defer s.wg.Done()
	s.mu.Lock()
	s.n++
	s.mu.Unlock()
}

func (s *Server) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.wg.Wait() // want `s.wg.Wait\(\) can block while this goroutine holds s.mu`
}

type Notifier struct {
	mu     sync.Mutex
	events chan int
	last   int
}

func (n *Notifier) Publish(v int) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.last = v
	n.events <- v // want `the send on n.events can block while this goroutine holds n.mu`
}

func (n *Notifier) loop() {
	for {
		n.mu.Lock()
		_ = n.last
		n.mu.Unlock()
		<-n.events
	}
}

// One receiver does not need the lock: the send can complete.
type Relay struct {
	mu  sync.Mutex
	out chan int
}

func (r *Relay) Send(v int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.out <- v
}

func (r *Relay) drainLocked() {
	r.mu.Lock()
	<-r.out // want `the receive from r.out can block while this goroutine holds r.mu`
	r.mu.Unlock()
}

func (r *Relay) drain() { <-r.out }

func newNotifier() *Notifier { return &Notifier{events: make(chan int)} }

func newRelay() *Relay {
	r := &Relay{}
	r.out = make(chan int)
	return r
}

// A buffered channel: the send under the lock need not wait for the
// receiver (a hand-off of one value), so nothing is reported.
type Handoff struct {
	mu     sync.Mutex
	result chan int
	done   bool
}

func newHandoff() *Handoff { return &Handoff{result: make(chan int, 1)} }

func (h *Handoff) deliver(v int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.done = true
	h.result <- v
}

func (h *Handoff) wait() int {
	h.mu.Lock()
	_ = h.done
	h.mu.Unlock()
	return <-h.result
}

// The callee unlocks the caller's mutex before taking the other one
// ("lock held on entry, unlocked to prevent lock inversion"): no inversion.
type Conn struct {
	subsMu sync.Mutex
	subs   map[int]*Sub
}

type Sub struct {
	mu   sync.Mutex
	conn *Conn
	sid  int
}

func (c *Conn) lookup(id int) {
	c.subsMu.Lock()
	s := c.subs[id]
	s.mu.Lock()
	s.sid = id
	s.mu.Unlock()
	c.subsMu.Unlock()
}

func (s *Sub) check() {
	s.mu.Lock()
	s.renew()
	s.mu.Unlock()
}

func (s *Sub) renew() {
	nc := s.conn
	s.mu.Unlock()
	nc.subsMu.Lock()
	nc.subs[s.sid+1] = s
	nc.subsMu.Unlock()
	s.mu.Lock()
}

// Two fields of one struct type that embeds a mutex are two locks: in and
// out below are taken in different orders with hs, but never both.
type half struct {
	sync.Mutex
	buf []byte
}

type TLSConn struct {
	hs      sync.Mutex
	in, out half
}

func (c *TLSConn) Handshake() {
	c.hs.Lock()
	c.out.Lock()
	c.out.buf = nil
	c.out.Unlock()
	c.hs.Unlock()
}

func (c *TLSConn) Read() {
	c.in.Lock()
	c.hs.Lock()
	c.hs.Unlock()
	c.in.Unlock()
}

// The other order is behind a completion flag: Serve takes in only while
// the handshake is not complete, and Renegotiate runs only on a connection
// whose handshake completed (crypto/tls's Conn: handshakeContext returns
// when isHandshakeComplete is set, before it locks in). golens cannot
// follow the flag, so it stays silent.
type FlagConn struct {
	hs       sync.Mutex
	in       sync.Mutex
	complete atomic.Bool
	gen      int
}

func (c *FlagConn) Serve() {
	c.hs.Lock()
	defer c.hs.Unlock()
	if c.complete.Load() {
		return
	}
	c.in.Lock()
	defer c.in.Unlock()
	c.complete.Store(true)
}

func (c *FlagConn) Read() {
	c.in.Lock()
	defer c.in.Unlock()
	c.renegotiate()
}

func (c *FlagConn) renegotiate() {
	c.hs.Lock()
	defer c.hs.Unlock()
	c.gen++
}

// The mutex is unlocked by another goroutine, not by the one that locked
// it (runtime/pprof's blockMutexN): the waiters' Locks go on once it does.
func handOff(ready chan struct{}) {
	var wg sync.WaitGroup
	var mu sync.Mutex
	mu.Lock()
	go func() {
		<-ready
		mu.Unlock()
	}()
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mu.Lock()
			mu.Unlock()
		}()
	}
	wg.Wait()
}
