package deadlock

import "sync"

// ---- functions kept in a slice or map field, called with the owner's lock held ----

type feed struct {
	mu        sync.Mutex
	listeners []func(int)
	n         int
}

func (f *feed) OnItem(l func(int)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.listeners = append(f.listeners, l)
}

func (f *feed) Len() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.n
}

func (f *feed) Push(v int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.n++
	for _, l := range f.listeners {
		l(v) // want `l\(\) \(a function from f.listeners\) → Len\(\) locks f.mu \(Lock at line \d+\) while this goroutine already holds it \(locked on line 26\)`
	}
}

// PushUnlocked copies the listeners and calls them after unlocking: fine.
func (f *feed) PushUnlocked(v int) {
	f.mu.Lock()
	f.n++
	ls := append([]func(int){}, f.listeners...)
	f.mu.Unlock()
	for _, l := range ls {
		l(v)
	}
}

// PushAsync runs each listener in a goroutine of its own, which waits for
// the lock until PushAsync returns: no deadlock.
func (f *feed) PushAsync(v int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, l := range f.listeners {
		go l(v)
	}
}

func watchFeed() {
	f := &feed{}
	f.OnItem(func(int) { _ = f.Len() })
	f.Push(1)
}

// A listener registered on one feed that reads another: a different mutex.
type scoreboard struct {
	mu        sync.Mutex
	listeners []func(int)
	n         int
}

func (t *scoreboard) OnItem(l func(int)) {
	t.mu.Lock()
	t.listeners = append(t.listeners, l)
	t.mu.Unlock()
}

func (t *scoreboard) Len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.n
}

func (t *scoreboard) Push(v int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, l := range t.listeners {
		l(v)
	}
}

func mirrorScoreboard() {
	a, b := &scoreboard{}, &scoreboard{}
	a.OnItem(func(int) { _ = b.Len() })
	a.Push(1)
}

// A map of handlers, a method value registered on its own receiver.
type mux struct {
	mu       sync.Mutex
	handlers map[string]func()
	hits     int
}

func newMux() *mux { return &mux{handlers: map[string]func(){}} }

func (m *mux) Handle(name string, h func()) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.handlers[name] = h
}

func (m *mux) count() {
	m.mu.Lock()
	m.hits++
	m.mu.Unlock()
}

func (m *mux) Serve(name string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if h, ok := m.handlers[name]; ok {
		h() // want `h\(\) \(a function from m.handlers\) → count\(\) locks m.mu`
	}
}

func (m *mux) ServeIndexed(name string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.handlers[name]() // want `m.handlers\[…\]\(\) → count\(\) locks m.mu`
}

func serveMux() {
	m := newMux()
	m.Handle("hits", m.count)
	m.Serve("hits")
}

// The field is handed to a function golens does not follow: what goes
// into it is unknown, and golens stays silent.
type hooks struct {
	mu  sync.Mutex
	fns []func()
}

func (h *hooks) locked() {
	h.mu.Lock()
	h.mu.Unlock()
}

func (h *hooks) add() { h.fns = append(h.fns, h.locked) }

func (h *hooks) swap(o *hooks) { h.fns = o.fns }

func (h *hooks) run() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, f := range h.fns {
		f()
	}
}

// ---- a local variable defined with a function literal ----

type ledger struct {
	mu    sync.Mutex
	seen  map[int]bool
	auxMu sync.Mutex
	aux   int
}

func (l *ledger) markAll(ids []int) {
	mark := func(id int) {
		l.mu.Lock()
		l.seen[id] = true
		l.mu.Unlock()
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, id := range ids {
		mark(id) // want `mark\(\) locks l.mu \(Lock at line \d+\) while this goroutine already holds it \(locked on line \d+\)`
	}
}

// The literal locks another mutex.
func (l *ledger) countAll(ids []int) {
	bump := func() {
		l.auxMu.Lock()
		l.aux++
		l.auxMu.Unlock()
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	for range ids {
		bump()
	}
}

// The literal is called after the unlock.
func (l *ledger) markLater(ids []int) {
	mark := func(id int) {
		l.mu.Lock()
		l.seen[id] = true
		l.mu.Unlock()
	}
	l.mu.Lock()
	n := len(l.seen)
	l.mu.Unlock()
	for _, id := range ids[n:] {
		mark(id)
	}
}

// The variable is assigned again: golens does not know which literal runs.
func (l *ledger) markMaybe(ids []int, held bool) {
	mark := func(id int) {
		l.mu.Lock()
		l.seen[id] = true
		l.mu.Unlock()
	}
	if held {
		mark = func(id int) { l.seen[id] = true }
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, id := range ids {
		mark(id)
	}
}

// ---- a local variable defined with a method value ----

type gauge struct {
	mu sync.Mutex
	v  int
}

func (g *gauge) read() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.v
}

func (g *gauge) double() {
	get := g.read
	g.mu.Lock()
	defer g.mu.Unlock()
	g.v += get() // want `get → g.read\(\) locks g.mu \(Lock at line \d+\) while this goroutine already holds it`
}

// Bound to another gauge: another mutex.
func (g *gauge) addFrom(o *gauge) {
	get := o.read
	g.mu.Lock()
	defer g.mu.Unlock()
	g.v += get()
}
