package deadlock

import "sync"

// ---- a partner that something runs over and over ----

// until calls its f in a loop: runOne, handed to it, receives a job and
// then locks s.mu; submit holds s.mu while it sends the next job.
func until(f func(), quit <-chan struct{}) {
	for {
		select {
		case <-quit:
			return
		default:
		}
		f()
	}
}

type Sched struct {
	mu   sync.Mutex
	jobs chan string
	ran  []string
}

func NewSched(quit chan struct{}) *Sched {
	s := &Sched{jobs: make(chan string)}
	go until(s.runOne, quit)
	return s
}

func (s *Sched) runOne() {
	j := <-s.jobs
	s.mu.Lock()
	s.ran = append(s.ran, j)
	s.mu.Unlock()
}

func (s *Sched) Submit(j string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.jobs <- j // want `the send on s.jobs can block while this goroutine holds s.mu \(locked on line \d+\), and the code that receives from it \(line \d+\) is run over and over by until, which calls it in a loop \(line \d+; handed to it at line \d+\) and can lock s.mu \(line \d+\) between two of its receives`
}

// A direct call in a loop runs the body over and over too.
type Pump struct {
	mu  sync.Mutex
	in  chan int
	sum int
}

func NewPump() *Pump {
	r := &Pump{in: make(chan int)}
	go func() {
		for {
			r.step()
		}
	}()
	return r
}

func (r *Pump) step() {
	v := <-r.in
	r.mu.Lock()
	r.sum += v
	r.mu.Unlock()
}

func (r *Pump) Push(v int) {
	r.mu.Lock()
	r.in <- v // want `the send on r.in can block while this goroutine holds r.mu .* is run over and over by the loop that calls it \(line \d+\) and can lock r.mu`
	r.mu.Unlock()
}

// The body run over and over locks another mutex: no deadlock.
type Drain struct {
	mu    sync.Mutex
	logMu sync.Mutex
	in    chan int
	seen  int
}

func NewDrain(quit chan struct{}) *Drain {
	d := &Drain{in: make(chan int)}
	go until(d.take, quit)
	return d
}

func (d *Drain) take() {
	<-d.in
	d.logMu.Lock()
	d.seen++
	d.logMu.Unlock()
}

func (d *Drain) Put(v int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.in <- v
}

// A buffer with room: the send does not wait for the receiver.
type Backlog struct {
	mu   sync.Mutex
	in   chan int
	seen int
}

func NewBacklog(quit chan struct{}) *Backlog {
	b := &Backlog{in: make(chan int, 64)}
	go until(b.take, quit)
	return b
}

func (b *Backlog) take() {
	<-b.in
	b.mu.Lock()
	b.seen++
	b.mu.Unlock()
}

func (b *Backlog) Put(v int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.in <- v
}

// A select with a default under the lock never waits.
type Nudge struct {
	mu   sync.Mutex
	in   chan int
	seen int
}

func NewNudge(quit chan struct{}) *Nudge {
	n := &Nudge{in: make(chan int)}
	go until(n.take, quit)
	return n
}

func (n *Nudge) take() {
	<-n.in
	n.mu.Lock()
	n.seen++
	n.mu.Unlock()
}

func (n *Nudge) Put(v int) {
	n.mu.Lock()
	defer n.mu.Unlock()
	select {
	case n.in <- v:
	default:
	}
}

// The helper calls its argument once, not in a loop: after its one
// receive nothing needs another.
func once(f func()) { f() }

type Oneshot struct {
	mu  sync.Mutex
	in  chan int
	got int
}

func NewOneshot() *Oneshot {
	o := &Oneshot{in: make(chan int)}
	go once(o.take)
	return o
}

func (o *Oneshot) take() {
	v := <-o.in
	o.mu.Lock()
	o.got = v
	o.mu.Unlock()
}

func (o *Oneshot) Put(v int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.in <- v
}

// Each run makes its own channel: the value one run waits for is no
// reason for the next to wait.
type dialReq struct{ result chan int }

type Dialer struct {
	mu      sync.Mutex
	waiting []*dialReq
	conns   int
}

func (d *Dialer) deliver(r *dialReq, v int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	r.result <- v
}

func (d *Dialer) get() int {
	r := &dialReq{result: make(chan int, 1)}
	d.mu.Lock()
	d.waiting = append(d.waiting, r)
	d.mu.Unlock()
	v := <-r.result
	d.mu.Lock()
	d.conns++
	d.mu.Unlock()
	return v
}

func (d *Dialer) RoundTrip() int {
	for {
		if v := d.get(); v > 0 {
			return v
		}
	}
}
