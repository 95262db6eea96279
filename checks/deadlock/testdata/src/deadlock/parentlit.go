package deadlock

import "sync"

// ---- a value built with a composite literal: c := &dir{parent: d} makes c.parent d ----

type dir struct {
	mu     sync.Mutex
	parent *dir
	subs   map[string]*dir
	name   string
}

func (d *dir) fullName() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.parent == nil {
		return "/"
	}
	return d.parent.fullName() + d.name + "/"
}

func (d *dir) mkdir(name string) string {
	d.mu.Lock()
	defer d.mu.Unlock()
	c := &dir{parent: d, subs: map[string]*dir{}, name: name}
	d.subs[name] = c
	return c.fullName() // want `c.fullName\(\) → fullName\(\) locks d.mu \(Lock at line 15; c.parent is d, line 26\) while this goroutine already holds it \(locked on line 24\)`
}

// mkdirUnder links the new directory to another parent: its fullName locks
// that one, not d.
func (d *dir) mkdirUnder(name string, under *dir) string {
	d.mu.Lock()
	defer d.mu.Unlock()
	c := &dir{parent: under, subs: map[string]*dir{}, name: name}
	d.subs[name] = c
	return c.fullName()
}

// mkdirLater names the new directory after unlocking.
func (d *dir) mkdirLater(name string) string {
	d.mu.Lock()
	c := &dir{parent: d, subs: map[string]*dir{}, name: name}
	d.subs[name] = c
	d.mu.Unlock()
	return c.fullName()
}

// A field the package also assigns after construction (adopt): golens does
// not follow what each store leaves in it, so the literal proves nothing and
// it stays silent.
type node struct {
	mu    sync.Mutex
	owner *node
	n     int
}

func (x *node) ownerCount() int {
	x.owner.mu.Lock()
	defer x.owner.mu.Unlock()
	return x.owner.n
}

func (x *node) adopt(o *node) { x.owner = o }

func (x *node) spawn() {
	x.mu.Lock()
	defer x.mu.Unlock()
	c := &node{owner: x}
	x.n = c.ownerCount()
}
