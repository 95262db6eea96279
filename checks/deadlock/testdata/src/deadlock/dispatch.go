package deadlock

import "sync"

// ---- callbacks and channels reached through an interface's only
// implementation and through functions that return them ----

type Picker interface {
	Start()
	Updates() <-chan int
	Release() func()
}

type roundRobin struct {
	mu sync.Mutex
	ch chan int
}

func (r *roundRobin) Start() {
	r.ch = make(chan int)
	go func() {
		for i := 0; i < 10; i++ {
			r.push(i)
		}
	}()
}

func (r *roundRobin) push(i int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.ch <- i // want `the send on r.ch can block while this goroutine holds r.mu \(locked on line \d+\), and the loop that receives from it \(line \d+\) can lock r.mu between two receives`
}

func (r *roundRobin) Updates() <-chan int { return r.ch }

func (r *roundRobin) Release() func() { return func() { r.down() } }

func (r *roundRobin) down() {
	r.mu.Lock()
	defer r.mu.Unlock()
}

type subConn struct {
	release func()
}

type Channel struct {
	picker Picker
	conns  []*subConn
}

func NewChannel() *Channel {
	c := &Channel{picker: &roundRobin{}}
	c.conns = append(c.conns, &subConn{release: c.picker.Release()})
	return c
}

func (c *Channel) watch() {
	for range c.picker.Updates() {
		for _, sc := range c.conns {
			sc.release()
		}
	}
}

// Two implementations of the interface: golens cannot tell which one the
// loop calls, and stays silent.
type Source interface{ Events() <-chan int }

type fileSource struct {
	mu sync.Mutex
	ch chan int
}

type netSource struct{ ch chan int }

func (f *fileSource) Events() <-chan int { return f.ch }
func (n *netSource) Events() <-chan int  { return n.ch }

func newFileSource() *fileSource { return &fileSource{ch: make(chan int)} }

func (f *fileSource) emit(v int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.ch <- v
}

func (f *fileSource) touch() {
	f.mu.Lock()
	f.mu.Unlock()
}

func follow(s Source, f *fileSource) {
	for range s.Events() {
		f.touch()
	}
}

// A callback made by a function and handed to a constructor that stores it
// in a composite literal: the keeper's loop runs it between receives.
type ttlKeeper struct {
	add    chan struct{}
	expire func()
}

func newTTLKeeper(expire func()) *ttlKeeper {
	k := &ttlKeeper{add: make(chan struct{}, 1), expire: expire}
	go k.run()
	return k
}

func (k *ttlKeeper) run() {
	for {
		select {
		case <-k.add:
		default:
			k.expire()
		}
	}
}

type simpleTokens struct {
	mu     sync.Mutex
	keeper *ttlKeeper
}

func newExpirer(t *simpleTokens) func() {
	return func() {
		t.mu.Lock()
		defer t.mu.Unlock()
	}
}

func (t *simpleTokens) enable() { t.keeper = newTTLKeeper(newExpirer(t)) }

func (t *simpleTokens) assign() {
	t.mu.Lock()
	t.keeper.add <- struct{}{} // want `the send on t.keeper.add can block while this goroutine holds t.mu .*the loop that receives from it`
	t.mu.Unlock()
}
