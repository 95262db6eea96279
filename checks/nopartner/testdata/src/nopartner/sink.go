package nopartner

import "sync"

// ---- a buffered channel nothing receives from ----

// Push is exported: callers may call it more often than the buffer holds.
type RowChan struct{ data chan int }

func (r *RowChan) init(n int) { r.data = make(chan int, n) }

func (r *RowChan) Push(v int) {
	r.data <- v // want `nothing in the package receives from r.data \(made at line 10, buffered\), and it does not leave the package: each call of Push \(exported, so callers may call it any number of times\) can fill one more slot of the buffer, and nothing empties it: once it is full this send blocks forever`
}

// An unexported send called from a loop.
type queue struct{ items chan string }

func newQueue() *queue { return &queue{items: make(chan string, 4)} }

func (q *queue) add(s string) {
	q.items <- s // want `nothing in the package receives from q.items \(made at line 19, buffered\), and it does not leave the package: each call of add \(called more than once in the package\)`
}

func fillQueue(q *queue, names []string) {
	for _, n := range names {
		q.add(n)
	}
}

// Called once: the one send fits; silent.
type once1 struct{ errc chan error }

func newOnce1() *once1 { return &once1{errc: make(chan error, 1)} }

func (o *once1) fail(err error) { o.errc <- err }

func useOnce1() { newOnce1().fail(nil) }

// The send in the function that makes the channel: one send per make; silent.
func Compute() {
	errc := make(chan error, 1)
	go func() { errc <- nil }()
}

// The send runs under sync.Once: at most once per value; silent.
type onceCloser struct {
	once sync.Once
	done chan struct{}
}

func newOnceCloser() *onceCloser { return &onceCloser{done: make(chan struct{}, 1)} }

func (c *onceCloser) Close() {
	c.once.Do(func() { c.done <- struct{}{} })
}

// A non-blocking send; silent.
type notifier struct{ kick chan struct{} }

func newNotifier() *notifier { return &notifier{kick: make(chan struct{}, 1)} }

func (n *notifier) Kick() {
	select {
	case n.kick <- struct{}{}:
	default:
	}
}

// Someone reads len: a drain by polling may exist; silent.
type counted struct{ c chan int }

func newCounted() *counted { return &counted{c: make(chan int, 8)} }

func (c *counted) Add(v int) { c.c <- v }

func (c *counted) Len() int { return len(c.c) }

// Received from elsewhere in the package; silent.
type pipe struct{ c chan int }

func newPipe() *pipe { return &pipe{c: make(chan int, 8)} }

func (p *pipe) Put(v int) { p.c <- v }

func (p *pipe) Get() int { return <-p.c }

// The only receive is in a method nothing calls: it never runs.
type outbox struct{ rows chan int }

func (o *outbox) init() { o.rows = make(chan int, 16) }

func (o *outbox) push(v int) {
	switch {
	case v >= 0:
		o.rows <- v // want `nothing in the package receives from o.rows \(made at line 91, buffered\) \(its only receive is in consumerClosed, which nothing calls\), and it does not leave the package: each call of push \(called more than once in the package\) can fill one more slot`
	}
}

func (o *outbox) consumerClosed() {
	select {
	case <-o.rows:
	default:
	}
}

func fillOutbox(o *outbox) {
	for i := 0; i < 20; i++ {
		o.push(i)
	}
}

// The receiving method is named like an interface method: a call
// through the interface may run it; silent.
type drainer interface{ drainOne() }

type shelf struct{ items chan int }

func (s *shelf) init() { s.items = make(chan int, 4) }

func (s *shelf) add(v int) { s.items <- v }

func (s *shelf) drainOne() { <-s.items }

func fillShelf(s *shelf) {
	for i := 0; i < 8; i++ {
		s.add(i)
	}
}
