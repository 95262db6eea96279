package nilchan

import "time"

// ---- buggy: fields no code of the package ever sets ----

type queue struct {
	items chan int
	quit  chan struct{}
	n     int
}

func newQueue() *queue {
	return &queue{n: 10} // forgot items and quit
}

func (q *queue) push(v int) {
	q.items <- v // want `send on nil channel q.items blocks forever: field items is never set anywhere in the package`
}

func (q *queue) drain() {
	for v := range q.items { // want `range over nil channel q.items blocks forever before the first iteration: field items is never set`
		q.n += v
	}
}

func (q *queue) wait() {
	<-q.quit // want `receive from nil channel q.quit blocks forever: field quit is never set`
}

type box[T any] struct {
	ch chan T
}

func (b *box[T]) get() T {
	return <-b.ch // want `receive from nil channel b.ch blocks forever: field ch is never set`
}

// ---- correct ----

type hub struct {
	conns chan int
	done  chan struct{}
	timer chan time.Time
	stop  chan bool
	errs  chan error
}

func newHub() *hub {
	return &hub{conns: make(chan int)}
}

func (s *hub) start() {
	s.done = make(chan struct{})
}

func (s *hub) serve() {
	for c := range s.conns {
		_ = c
	}
	<-s.done
}

// timer is never set, but only ever used as a disabled select case.
func (s *hub) poll(in chan int) {
	select {
	case <-s.timer:
	case v := <-in:
		_ = v
	}
}

func (s *hub) setStop(p *chan bool) {}

func (s *hub) wire() {
	s.setStop(&s.stop)
	<-s.stop
}

type pair struct {
	a chan int
	b int
}

func positional() {
	p := pair{make(chan int, 1), 2}
	p.a <- 1
}

func (s *hub) report() {
	s.errs <- nil
}

func init() {
	s := hub{errs: make(chan error, 1)}
	_ = s
}

type Exported struct {
	Ch chan int // exported: other packages may set it
}

func (e *Exported) Send() { e.Ch <- 1 }

// close of a field nothing ever makes panics.
type closer struct {
	quit chan struct{}
}

func (c *closer) stop() {
	close(c.quit) // want `close of nil channel c.quit panics \(closing a nil channel is a run-time panic\): field quit is never set anywhere in the package`
}

// The field is made in a constructor: fine.
type closer2 struct {
	quit chan struct{}
}

func newCloser2() *closer2 { return &closer2{quit: make(chan struct{})} }

func (c *closer2) stop() { close(c.quit) }
