package deadlock

import "sync"

// ---- a callback stored in a func-typed field locks its owner again ----

type Lessor struct {
	mu sync.Mutex
	cp func()
	n  int
}

func (l *Lessor) SetCheckpointer(cp func()) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.cp = cp
}

func (l *Lessor) Checkpoint() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.n++
}

func (l *Lessor) Renew() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.cp != nil {
		l.cp() // want `l.cp\(\) → Checkpoint\(\) locks l.mu \(Lock at line \d+\) while this goroutine already holds it`
	}
}

// RenewUnlocked calls the callback after unlocking: fine.
func (l *Lessor) RenewUnlocked() {
	l.mu.Lock()
	cp := l.cp
	l.mu.Unlock()
	if cp != nil {
		cp()
	}
}

func NewLessor() *Lessor {
	l := &Lessor{}
	checkpoint := func() { l.Checkpoint() }
	l.SetCheckpointer(checkpoint)
	return l
}

// A method value stored on its own receiver.
type Flusher struct {
	mu      sync.Mutex
	onFull  func()
	pending []int
}

func NewFlusher() *Flusher {
	f := &Flusher{}
	f.onFull = f.flush
	return f
}

func (f *Flusher) flush() {
	f.mu.Lock()
	f.pending = nil
	f.mu.Unlock()
}

func (f *Flusher) Add(v int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.pending = append(f.pending, v)
	if len(f.pending) > 10 {
		f.onFull() // want `f.onFull\(\) → flush\(\) locks f.mu \(Lock at line \d+\) while this goroutine already holds it`
	}
}

// The callback locks another value's mutex: a Watcher's notify locks the
// hub's mutex, not the watcher's own.
type Hub struct {
	mu sync.Mutex
	n  int
}

type Watcher struct {
	mu     sync.Mutex
	notify func()
}

func (h *Hub) bump() {
	h.mu.Lock()
	h.n++
	h.mu.Unlock()
}

func (h *Hub) Watch() *Watcher {
	w := &Watcher{}
	w.notify = func() { h.bump() }
	return w
}

func (w *Watcher) Fire() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.notify()
}

// The callback of one value called on another value's field: a node's
// onChange locks the node it was stored on, and Propagate holds the
// parent's lock while it calls the child's.
type Node struct {
	mu       sync.Mutex
	onChange func()
	child    *Node
}

func NewNode() *Node {
	n := &Node{}
	n.onChange = func() { n.mu.Lock(); n.mu.Unlock() }
	return n
}

func (n *Node) Propagate() {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.child != nil {
		n.child.onChange()
	}
}

// A callback that expects the lock held (it does not lock): fine.
type Table struct {
	mu      sync.Mutex
	onEvict func(k string)
	m       map[string]int
}

func NewTable() *Table {
	t := &Table{}
	t.onEvict = func(k string) { delete(t.m, k) }
	return t
}

func (t *Table) Evict(k string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.onEvict(k)
}
