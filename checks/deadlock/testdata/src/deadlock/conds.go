package deadlock

import "sync"

// ---- a Cond's L is the mutex it was made with ----

type Config struct {
	mu   sync.RWMutex
	cond *sync.Cond
	n    int
}

func NewConfig() *Config {
	c := &Config{}
	c.cond = sync.NewCond(c.mu.RLocker())
	return c
}

func (c *Config) Exec() {
	c.cond.L.Lock() // read-locks c.mu
	defer c.cond.L.Unlock()
	run(c) // want `run\(\) → read\(\) read-locks c.mu \(as c.cond.L\) again while this goroutine holds its read lock \(RLock on line \d+\)`
}

func run(c *Config) { c.read() }

func (c *Config) read() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.n
}

func (c *Config) Update() {
	c.mu.Lock()
	c.n++
	c.mu.Unlock()
}

// Released before the call: fine.
func (c *Config) ExecUnlocked() {
	c.cond.L.Lock()
	n := c.n
	c.cond.L.Unlock()
	_ = n
	run(c)
}

type Queue struct {
	mu    sync.Mutex
	ready *sync.Cond
	items []int
}

func NewQueue() *Queue {
	q := &Queue{}
	q.ready = sync.NewCond(&q.mu)
	return q
}

func (q *Queue) Take() int {
	q.ready.L.Lock()
	defer q.ready.L.Unlock()
	for len(q.items) == 0 {
		q.ready.Wait()
	}
	q.log() // want `q.log\(\) locks q.mu \(as q.ready.L\) \(Lock at line \d+\) while this goroutine already holds it`
	return q.items[0]
}

func (q *Queue) log() {
	q.mu.Lock()
	defer q.mu.Unlock()
}

// The Cond of another value's mutex: q.ready.L is not q.mu.
type Pool struct {
	mu    sync.Mutex
	ready *sync.Cond
}

func NewPool(other *Queue) *Pool {
	p := &Pool{}
	p.ready = sync.NewCond(&other.mu)
	return p
}

func (p *Pool) Get() {
	p.ready.L.Lock()
	defer p.ready.L.Unlock()
	p.log()
}

func (p *Pool) log() {
	p.mu.Lock()
	defer p.mu.Unlock()
}

// Two Conds stored in one field with different mutexes: golens cannot
// tell which L it is.
type Switch struct {
	a, b sync.Mutex
	cond *sync.Cond
}

func (s *Switch) UseA() { s.cond = sync.NewCond(&s.a) }
func (s *Switch) UseB() { s.cond = sync.NewCond(&s.b) }

func (s *Switch) Run() {
	s.cond.L.Lock()
	defer s.cond.L.Unlock()
	s.lockA()
}

func (s *Switch) lockA() {
	s.a.Lock()
	defer s.a.Unlock()
}

// A read lock taken again through the RLocker with no writer anywhere:
// nothing waits between the two RLocks.
type Snapshot struct {
	mu   sync.RWMutex
	cond *sync.Cond
}

func (s *Snapshot) init() { s.cond = sync.NewCond(s.mu.RLocker()) }

func (s *Snapshot) View() {
	s.cond.L.Lock()
	defer s.cond.L.Unlock()
	s.peek()
}

func (s *Snapshot) peek() {
	s.mu.RLock()
	defer s.mu.RUnlock()
}
