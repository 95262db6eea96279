package deadlock

import "sync"

// ---- two names for one mutex, made one by the caller ----

type Lookup interface {
	Find(k string) int
}

type table struct {
	mu sync.Mutex
	m  map[string]int
}

func (t *table) Find(k string) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.m[k]
}

type frontCache struct {
	src Lookup
}

// Inside Sync, t.mu and f.src's mutex are different names: a caller that
// builds f with src: t makes them one.
func (t *table) Sync(f *frontCache) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return f.src.Find("k") // want `f.src.Find\(\) locks f.src.mu \(Lock at line 17\) while this goroutine holds t.mu \(locked on line 29\); the call t.Sync\(…\) at line 37 makes them one mutex: f.src is t \(line 36\) there, so both are t.mu, and f.src.Find runs \(\*table\).Find`
}

func syncSelf() int {
	t := &table{m: map[string]int{}}
	f := &frontCache{src: t}
	return t.Sync(f)
}

// Another table behind the cache: two mutexes, no deadlock.
func syncOther() int {
	t := &table{m: map[string]int{}}
	u := &table{m: map[string]int{}}
	f := &frontCache{src: u}
	return t.Sync(f)
}

type wallet struct {
	mu  sync.Mutex
	bal int
}

func (w *wallet) credit(n int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.bal += n
}

func (w *wallet) payTo(to *wallet, n int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	to.credit(n) // want `to.credit\(\) locks to.mu \(Lock at line 54\) while this goroutine holds w.mu \(locked on line 60\); the call w.payTo\(…\) at line 70 makes them one mutex: both are w.mu\.`
	w.bal -= n
}

func payBetween(a, b *wallet) { a.payTo(b, 1) }

func paySelf() {
	w := &wallet{bal: 3}
	w.payTo(w, 1)
}

// A wallet that checks for itself first.
type purse struct {
	mu  sync.Mutex
	bal int
}

func (p *purse) give(to *purse, n int) {
	if p == to {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	to.mu.Lock()
	to.bal += n
	to.mu.Unlock()
	p.bal -= n
}

func giveSelf() {
	p := &purse{bal: 3}
	p.give(p, 1)
}

// Two locks of one value taken by the function itself.
type pair struct {
	mu sync.Mutex
	n  int
}

func swapCounts(a, b *pair) {
	a.mu.Lock()
	defer a.mu.Unlock()
	b.mu.Lock() // want `b.mu.Lock\(\) while this goroutine holds a.mu \(locked on line 103\); the call swapCounts\(…\) at line 112 makes them one mutex: both are x.mu\.`
	defer b.mu.Unlock()
	a.n, b.n = b.n, a.n
}

func swapSelf() {
	x := &pair{}
	swapCounts(x, x)
}

// An interface with two implementations: the constructor's argument says
// which one the view holds.

type valuer interface{ Value() int }

type counterSource struct {
	mu sync.Mutex
	n  int
}

func (c *counterSource) Value() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}

type fixedSource int

func (f fixedSource) Value() int { return int(f) }

type view struct{ src valuer }

func newView(s valuer) *view { return &view{src: s} }

func (c *counterSource) Render(v *view) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n + v.src.Value() // want `v.src.Value\(\) locks v.src.mu \(Lock at line 126\) while this goroutine holds c.mu \(locked on line 140\); the call c.Render\(…\) at line 148 makes them one mutex: v.src is c \(line 147\) there, so both are c.mu, and v.src.Value runs \(\*counterSource\).Value`
}

func renderSelf() int {
	c := &counterSource{}
	v := newView(c)
	return c.Render(v)
}

// The view holds the fixed source: no lock.
func renderFixed() int {
	c := &counterSource{}
	return c.Render(newView(fixedSource(1)))
}
