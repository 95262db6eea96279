package deadlock

import "sync"

// ---- a parent pointer: r.store is the store whose replicas r ranges over ----

type Store struct {
	mu       sync.RWMutex
	replicas map[int]*Replica
	queue    *scanQueue
}

type Replica struct {
	store *Store
	id    int
}

type scanQueue struct{ sync.Mutex }

func NewStore() *Store {
	s := &Store{replicas: make(map[int]*Replica), queue: &scanQueue{}}
	r := &Replica{store: s, id: 1}
	s.replicas[r.id] = r
	return s
}

func (s *Store) Scan() {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, r := range s.replicas {
		s.queue.add(r) // want `s.queue.add\(\) → status\(\) → Status\(\) read-locks s.mu again \(r.store is s, line 30\) while this goroutine holds its read lock \(RLock on line \d+\): if another goroutine calls s.mu.Lock\(\) in between`
	}
}

func (q *scanQueue) add(r *Replica) {
	q.Lock()
	defer q.Unlock()
	status(r)
}

func status(r *Replica) { r.store.Status() }

func (s *Store) Status() {
	s.mu.RLock()
	defer s.mu.RUnlock()
}

func (s *Store) Remove(id int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.replicas, id)
}

// The back pointer is moved after construction: r.store may be another
// store.
type Group struct {
	mu    sync.RWMutex
	peers []*Peer
}

type Peer struct{ pool *Group }

func (p *Group) Join() {
	m := &Peer{pool: p}
	p.peers = append(p.peers, m)
}

func (m *Peer) moveTo(p *Group) { m.pool = p }

func (p *Group) Each() {
	p.mu.RLock()
	defer p.mu.RUnlock()
	for _, m := range p.peers {
		m.pool.Size()
	}
}

func (p *Group) Size() int {
	p.mu.RLock()
	defer p.mu.RUnlock()
	return len(p.peers)
}

func (p *Group) Reset() {
	p.mu.Lock()
	p.mu.Unlock()
}

// The container is handed to a function golens does not follow: what it
// puts there is unknown.
type Tree struct {
	mu       sync.RWMutex
	children []*Leaf
}

type Leaf struct{ tree *Tree }

func (t *Tree) Grow() {
	l := &Leaf{tree: t}
	t.children = append(t.children, l)
	graft(t.children)
}

func graft(ls []*Leaf) {}

func (t *Tree) Walk() {
	t.mu.RLock()
	defer t.mu.RUnlock()
	for _, l := range t.children {
		l.tree.depth()
	}
}

func (t *Tree) depth() {
	t.mu.RLock()
	defer t.mu.RUnlock()
}

func (t *Tree) Prune() {
	t.mu.Lock()
	t.mu.Unlock()
}
