package deadlock

import "sync"

// ---- channels kept in a container field ----

// say holds r.mu while it sends on each member's channel; every member
// channel is received by a listen loop that can call r.leave, which locks
// r.mu: once a listener waits for the lock, the next send never completes.
type ChatRoom struct {
	mu      sync.Mutex
	members []chan string
	left    []string
}

func (r *ChatRoom) say(line string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, m := range r.members {
		m <- line // want `the send on m \(a channel kept in field members\) can block while this goroutine holds r.mu \(locked on line \d+\), and the loop that receives from it \(line \d+\) can lock r.mu between two receives \(line \d+\)`
	}
}

func (r *ChatRoom) join(name string) {
	ch := make(chan string)
	r.mu.Lock()
	r.members = append(r.members, ch)
	r.mu.Unlock()
	go r.listen(name, ch)
}

func (r *ChatRoom) listen(name string, in chan string) {
	for line := range in {
		if line == "/quit" {
			r.leave(name)
		}
	}
}

func (r *ChatRoom) leave(name string) {
	r.mu.Lock()
	r.left = append(r.left, name)
	r.mu.Unlock()
}

// A map of channels, the subscriber's loop locking another mutex: no
// deadlock.
type Topic struct {
	mu    sync.Mutex
	subs  map[int]chan int
	stats struct {
		sync.Mutex
		n int
	}
}

func (t *Topic) publish(v int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, c := range t.subs {
		c <- v
	}
}

func (t *Topic) subscribe(id int) {
	c := make(chan int)
	t.mu.Lock()
	t.subs[id] = c
	t.mu.Unlock()
	go t.consume(c)
}

func (t *Topic) consume(c chan int) {
	for range c {
		t.stats.Lock()
		t.stats.n++
		t.stats.Unlock()
	}
}

// Buffered member channels with room: the send does not wait.
type Mailroom struct {
	mu    sync.Mutex
	boxes []chan string
	gone  int
}

func (m *Mailroom) post(s string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, b := range m.boxes {
		b <- s
	}
}

func (m *Mailroom) open() {
	b := make(chan string, 32)
	m.mu.Lock()
	m.boxes = append(m.boxes, b)
	m.mu.Unlock()
	go m.read(b)
}

func (m *Mailroom) read(b chan string) {
	for range b {
		m.mu.Lock()
		m.gone++
		m.mu.Unlock()
	}
}

// The sender copies the channels and sends after its Unlock.
type Panel struct {
	mu    sync.Mutex
	lamps []chan bool
	lit   int
}

func (p *Panel) flash() {
	p.mu.Lock()
	lamps := append([]chan bool(nil), p.lamps...)
	p.mu.Unlock()
	for _, l := range lamps {
		l <- true
	}
}

func (p *Panel) add() {
	l := make(chan bool)
	p.mu.Lock()
	p.lamps = append(p.lamps, l)
	p.mu.Unlock()
	go p.glow(l)
}

func (p *Panel) glow(l chan bool) {
	for range l {
		p.mu.Lock()
		p.lit++
		p.mu.Unlock()
	}
}

// A select with a default under the lock never waits.
type Ticker struct {
	mu    sync.Mutex
	outs  []chan int
	ticks int
}

func (t *Ticker) tick(v int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, o := range t.outs {
		select {
		case o <- v:
		default:
		}
	}
}

func (t *Ticker) watch() {
	o := make(chan int)
	t.mu.Lock()
	t.outs = append(t.outs, o)
	t.mu.Unlock()
	go t.count(o)
}

func (t *Ticker) count(o chan int) {
	for range o {
		t.mu.Lock()
		t.ticks++
		t.mu.Unlock()
	}
}

// ---- a channel parameter every caller binds to one channel ----

// load holds s.mu while it sends on ch; apply, started with ch, ranges
// over its parameter and locks s.mu between two receives.
type Tallies struct {
	mu   sync.Mutex
	data map[string]int
}

func (s *Tallies) apply(updates chan string) {
	for k := range updates {
		s.mu.Lock()
		s.data[k]++
		s.mu.Unlock()
	}
}

func (s *Tallies) load(keys []string) {
	ch := make(chan string)
	go s.apply(ch)
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, k := range keys {
		ch <- k // want `the send on ch can block while this goroutine holds s.mu \(locked on line \d+\), and the loop that receives from it \(line \d+\) can lock s.mu between two receives`
	}
	close(ch)
}

// The goroutine ranges over another channel than the one sent on under
// the lock: no deadlock.
type Journal struct {
	mu      sync.Mutex
	entries []string
}

func (j *Journal) record(in chan string) {
	for e := range in {
		j.mu.Lock()
		j.entries = append(j.entries, e)
		j.mu.Unlock()
	}
}

func (j *Journal) replay(lines []string) {
	in := make(chan string)
	acks := make(chan string, len(lines))
	go j.record(acks)
	go func() {
		for range in {
		}
	}()
	j.mu.Lock()
	defer j.mu.Unlock()
	for _, l := range lines {
		in <- l
	}
	close(in)
	close(acks)
}

// The sender unlocks before it sends.
type Outbox struct {
	mu   sync.Mutex
	sent int
}

func (o *Outbox) deliver(in chan int) {
	for range in {
		o.mu.Lock()
		o.sent++
		o.mu.Unlock()
	}
}

func (o *Outbox) flush(n int) {
	ch := make(chan int)
	go o.deliver(ch)
	o.mu.Lock()
	pending := o.sent
	o.mu.Unlock()
	for i := 0; i < n+pending; i++ {
		ch <- i
	}
	close(ch)
}

// ---- a local defined from a call that returns a channel field ----

type EventBus struct {
	mu     sync.Mutex
	events chan int
	seen   int
}

func NewEventBus() *EventBus { return &EventBus{events: make(chan int)} }

func (b *EventBus) Events() <-chan int { return b.events }

func (b *EventBus) emit(v int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.events <- v // want `the send on b.events can block while this goroutine holds b.mu \(locked on line \d+\), and the loop that receives from it \(line \d+\) can lock b.mu between two receives`
}

func (b *EventBus) count() {
	b.mu.Lock()
	b.seen++
	b.mu.Unlock()
}

func consumeBus(b *EventBus) {
	ch := b.Events()
	for range ch {
		b.count()
	}
}

// A function that makes a new channel per call: the local is that
// channel, not the field the sender holds the lock across.
type Feeds struct {
	mu   sync.Mutex
	out  chan int
	seen int
}

func NewFeeds() *Feeds {
	f := &Feeds{out: make(chan int)}
	go func() {
		for range f.out {
		}
	}()
	return f
}

func (f *Feeds) subscribe() <-chan int {
	ch := make(chan int)
	go func() {
		for i := 0; i < 3; i++ {
			ch <- i
		}
		close(ch)
	}()
	return ch
}

func (f *Feeds) put(v int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.out <- v
}

func watchFeeds(f *Feeds) {
	ch := f.subscribe()
	for range ch {
		f.mu.Lock()
		f.seen++
		f.mu.Unlock()
	}
}

// ---- channels reached by index into a container ----

// deliver holds c.mu while it sends on c.pending[id]; stream ranges over
// that channel and locks c.mu between two receives.
type Calls struct {
	mu      sync.Mutex
	pending map[int]chan string
	log     []string
}

func (c *Calls) register(id int) {
	c.mu.Lock()
	c.pending[id] = make(chan string)
	c.mu.Unlock()
}

func (c *Calls) stream(id int) {
	for v := range c.pending[id] {
		c.mu.Lock()
		c.log = append(c.log, v)
		c.mu.Unlock()
	}
}

func (c *Calls) deliver(id int, v string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.pending[id] <- v // want `the send on c.pending\[…\] can block while this goroutine holds c.mu \(locked on line \d+\), and the loop that receives from it \(line \d+\) can lock c.mu between two receives`
}

// The receiver locks c.mu only to store its channel: deliver can find the
// channel only after that Lock, so it never waits behind it.
type Replies struct {
	mu      sync.Mutex
	pending map[int]chan string
}

func (c *Replies) call(id int) string {
	c.mu.Lock()
	c.pending[id] = make(chan string)
	ch := c.pending[id]
	c.mu.Unlock()
	return <-ch
}

func (c *Replies) deliver(id int, v string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch, ok := c.pending[id]
	if !ok {
		return false
	}
	ch <- v
	delete(c.pending, id)
	return true
}
