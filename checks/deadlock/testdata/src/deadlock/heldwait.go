package deadlock

import (
	"sync"
	"time"
)

// ---- a partner loop that can lock the mutex between two operations ----

// The watcher ranges over updates and, in its body, calls back into the
// balancer, which locks b.mu; publish holds b.mu while it sends. Once the
// watcher waits for b.mu, nothing receives and publish never unlocks.
type Balancer struct {
	mu      sync.Mutex
	updates chan int
	addrs   []int
}

func NewBalancer() *Balancer { return &Balancer{updates: make(chan int)} }

func (b *Balancer) publish(v int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.addrs = append(b.addrs, v)
	b.updates <- v // want `the send on b.updates can block while this goroutine holds b.mu \(locked on line \d+\), and the loop that receives from it \(line \d+\) can lock b.mu between two receives`
}

func (b *Balancer) down() {
	b.mu.Lock()
	b.addrs = b.addrs[:0]
	b.mu.Unlock()
}

func (b *Balancer) watch() {
	for v := range b.updates {
		if v < 0 {
			b.down()
		}
	}
}

// The keeper's select loop receives tokens in one case and, in another,
// runs a callback that locks the store's mutex; the store holds it while
// it hands a token over through a buffered channel: once the buffer is
// full, the same.
type Keeper struct {
	add     chan struct{}
	stop    chan struct{}
	onTick  func()
	pending int
}

type TokenStore struct {
	mu     sync.Mutex
	keeper *Keeper
	n      int
}

func NewTokenStore() *TokenStore {
	s := &TokenStore{}
	s.keeper = &Keeper{add: make(chan struct{}, 1), stop: make(chan struct{})}
	s.keeper.onTick = func() {
		s.mu.Lock()
		s.n--
		s.mu.Unlock()
	}
	go s.keeper.run()
	return s
}

func (k *Keeper) run() {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-k.add:
			k.pending++
		case <-t.C:
			k.onTick()
		case <-k.stop:
			return
		}
	}
}

func (k *Keeper) addToken() { k.add <- struct{}{} }

func (s *TokenStore) Assign() {
	s.mu.Lock()
	s.n++
	s.keeper.addToken() // want `s.keeper.addToken\(\) reaches the send on k.add \(line \d+\), which can block while this goroutine holds s.mu .*the loop that receives from it`
	s.mu.Unlock()
}

// The loop locks another mutex: no deadlock.
type Feed struct {
	mu    sync.Mutex
	out   chan int
	stats struct {
		sync.Mutex
		n int
	}
}

func NewFeed() *Feed { return &Feed{out: make(chan int)} }

func (f *Feed) Push(v int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.out <- v
}

func (f *Feed) consume() {
	for range f.out {
		f.stats.Lock()
		f.stats.n++
		f.stats.Unlock()
	}
}

// The loop does not lock at all: the send completes when it receives.
type Pipe struct {
	mu  sync.Mutex
	out chan int
	sum int
}

func NewPipe() *Pipe { return &Pipe{out: make(chan int)} }

func (p *Pipe) Put(v int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.out <- v
}

func (p *Pipe) drain() {
	for v := range p.out {
		p.sum += v
	}
}

// ---- a wait in a callee, with the mutex held ----

type Job struct {
	mu   sync.Mutex
	done chan struct{}
	err  error
}

func NewJob() *Job { return &Job{done: make(chan struct{})} }

func (j *Job) wait() { <-j.done }

func (j *Job) finish(err error) {
	j.mu.Lock()
	j.err = err
	j.mu.Unlock()
	close(j.done)
}

func (j *Job) Result() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	j.wait() // want `j.wait\(\) reaches the receive from j.done \(line \d+\), which can block while this goroutine holds j.mu \(locked on line \d+\), and the code that sends on or closes it must lock j.mu first`
	return j.err
}

// The closer does not need the lock: the wait ends.
type Task struct {
	mu   sync.Mutex
	done chan struct{}
	n    int
}

func NewTask() *Task { return &Task{done: make(chan struct{})} }

func (t *Task) wait() { <-t.done }

func (t *Task) finish() { close(t.done) }

func (t *Task) Result() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.wait()
	return t.n
}

// A large buffer is sized so that it does not fill (database/sql's
// openerCh): golens cannot judge when it would, so it stays silent.
type Opener struct {
	mu   sync.Mutex
	reqs chan struct{}
	open int
}

func NewOpener() *Opener { return &Opener{reqs: make(chan struct{}, 1000)} }

func (o *Opener) request() {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.reqs <- struct{}{}
}

func (o *Opener) opener() {
	for range o.reqs {
		o.mu.Lock()
		o.open++
		o.mu.Unlock()
	}
}

// A buffer of one drained under the lock before each send (grpc's fix):
// every sender holds the lock, so the send always finds room.
type Health struct {
	mu     sync.Mutex
	update chan struct{}
	status int
}

func NewHealth() *Health { return &Health{update: make(chan struct{}, 1)} }

func (h *Health) Set(v int) {
	h.mu.Lock()
	h.status = v
	select {
	case <-h.update:
	default:
	}
	h.update <- struct{}{}
	h.mu.Unlock()
}

func (h *Health) watch() {
	for range h.update {
		h.mu.Lock()
		_ = h.status
		h.mu.Unlock()
	}
}

// A buffer of one filled by a timer's callback: its runs do not overlap,
// and golens cannot tell whether the loop has taken the last value.
type Heartbeat struct {
	mu   sync.Mutex
	errs chan error
	t    *time.Timer
}

func NewHeartbeat() *Heartbeat {
	hb := &Heartbeat{errs: make(chan error, 1)}
	hb.t = time.AfterFunc(time.Second, func() {
		hb.mu.Lock()
		defer hb.mu.Unlock()
		hb.errs <- nil
	})
	return hb
}

func (hb *Heartbeat) loop() {
	for range hb.errs {
		hb.mu.Lock()
		hb.t.Reset(time.Second)
		hb.mu.Unlock()
	}
}

// ---- a partner that locks on some path before its operation ----

// When the fetch fails, the worker records the error under f.mu before it
// sends; Wait holds f.mu while it receives: on that path neither goes on.
type Fetch struct {
	mu     sync.Mutex
	result chan int
	err    error
}

func NewFetch() *Fetch { return &Fetch{result: make(chan int)} }

func (f *Fetch) work(fail bool) {
	if fail {
		f.mu.Lock()
		f.err = nil
		f.mu.Unlock()
	}
	f.result <- 1
}

func (f *Fetch) Wait() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return <-f.result // want `the receive from f.result can block while this goroutine holds f.mu \(locked on line \d+\), and the code that sends on or closes it can lock f.mu before it gets there`
}

// The worker locks only after its send: the receive ends first.
type Report struct {
	mu   sync.Mutex
	out  chan int
	sent int
}

func NewReport() *Report { return &Report{out: make(chan int)} }

func (r *Report) work() {
	r.out <- 1
	r.mu.Lock()
	r.sent++
	r.mu.Unlock()
}

func (r *Report) Wait() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return <-r.out
}

// The callee releases the caller's lock around its wait (it expects the
// lock held): the wait does not keep it.
type Ticket struct {
	mu    sync.Mutex
	grant chan struct{}
	n     int
}

func NewTicket() *Ticket { return &Ticket{grant: make(chan struct{})} }

func (t *Ticket) waitLocked() {
	t.mu.Unlock()
	<-t.grant
	t.mu.Lock()
}

func (t *Ticket) Take() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.n++
	t.waitLocked()
}

func (t *Ticket) Give() {
	t.mu.Lock()
	t.n--
	t.mu.Unlock()
	t.grant <- struct{}{}
}
