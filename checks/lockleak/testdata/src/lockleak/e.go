package lockleak

import "sync"

// Cases for the lock facts of the model (model.LockFlow): each with the
// verdict lockleak gives and the one it must not.

type Table struct {
	mu   sync.Mutex
	rw   sync.RWMutex
	rows [][]int
	n    int
}

// ---- (a) a mutex locked again on a path that holds it ----

// Held through the deferred Unlock: the defer runs only at return.
func (t *Table) Reset() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.n = 0
	t.mu.Lock() // want `t.mu.Lock\(\) while this goroutine already holds t.mu \(locked on line 19\)`
	t.rows = nil
}

// A read lock taken while the write lock is held.
func (t *Table) Peek() int {
	t.rw.Lock()
	t.n++
	t.rw.RLock() // want `t.rw.RLock\(\) while this goroutine already holds t.rw \(locked on line 28\)`
	defer t.rw.RUnlock()
	t.rw.Unlock()
	return t.n
}

// Held on one path only: golens cannot rule out that the two conditions
// agree, so it does not claim a deadlock.
func (t *Table) Maybe(a, b bool) {
	if a {
		t.mu.Lock()
	}
	if b {
		t.mu.Unlock()
	}
	t.mu.Lock()
	t.mu.Unlock()
}

// Another goroutine unlocks it in between: a Mutex is not tied to a
// goroutine.
func (t *Table) Handoff() {
	t.mu.Lock()
	go func() {
		t.n++
		t.mu.Unlock()
	}()
	t.mu.Lock()
	t.mu.Unlock()
}

// Two read locks: a deadlock only if a writer waits in between; not
// reported.
func (t *Table) Nested() int {
	t.rw.RLock()
	defer t.rw.RUnlock()
	t.rw.RLock()
	defer t.rw.RUnlock()
	return t.n
}

// ---- (b) leaks on break, continue and the end of a loop body ----

// A labeled continue leaves the inner loop and starts the outer loop's
// next iteration with the lock held.
func (t *Table) Scan() {
outer:
	for _, r := range t.rows {
		t.mu.Lock() // want `t.mu stays locked when the loop continues on line 81: the Unlock on line 84 is skipped, so the next iteration's Lock blocks forever`
		for _, x := range r {
			if x < 0 {
				continue outer
			}
		}
		t.mu.Unlock()
	}
}

// The break leaves only the inner loop; the Unlock after it still runs.
func (t *Table) ScanInner() {
	for _, r := range t.rows {
		t.mu.Lock()
		for _, x := range r {
			if x < 0 {
				break
			}
		}
		t.mu.Unlock()
	}
}

// A break out of a switch in the loop does not leave the loop.
func (t *Table) Switch(ops []int) {
	for _, op := range ops {
		t.mu.Lock()
		switch op {
		case 0:
			t.n = 0
			break
		}
		t.mu.Unlock()
	}
}

// A labeled break out of both loops, holding the lock.
func (t *Table) Find(v int) bool {
	found := false
rows:
	for _, r := range t.rows {
		t.mu.Lock() // want `t.mu stays locked when the loop breaks on line 123: the Unlock on line 126 is skipped and nothing after the loop unlocks it`
		for _, x := range r {
			if x == v {
				found = true
				break rows
			}
		}
		t.mu.Unlock()
	}
	return found
}

// ---- (c) the same mutex only; an unlock golens cannot place is unsure ----

// The Unlock of another Table's mutex on the early path: the two may be
// the same Table, so golens does not claim a leak.
func Move(a, b *Table) {
	a.mu.Lock()
	if a.n == 0 {
		b.mu.Unlock()
		return
	}
	a.mu.Unlock()
}

// An Unlock through a pointer that may point at it.
func (t *Table) ViaPointer(p *sync.Mutex) {
	t.mu.Lock()
	if t.n == 0 {
		p.Unlock()
		return
	}
	t.mu.Unlock()
}

// Another mutex of the same value, locked and unlocked in between, does
// not hide the leak.
func (t *Table) Other() int {
	t.mu.Lock() // want `t.mu stays locked if \(\*Table\).Other returns on line 162`
	t.rw.Lock()
	t.n++
	t.rw.Unlock()
	if t.n > 10 {
		return t.n
	}
	t.mu.Unlock()
	return 0
}

// ---- (d) read locks ----

// An RLock still held at an early return, with an unrelated RLock/RUnlock
// of the same RWMutex on another path.
func (t *Table) Size(k int) int {
	t.rw.RLock() // want `t.rw stays locked if \(\*Table\).Size returns on line 175: the RUnlock on line 177 is skipped`
	if k < 0 {
		return -1
	}
	t.rw.RUnlock()
	return t.n
}

// Released on every path.
func (t *Table) SizeOK(k int) int {
	t.rw.RLock()
	if k < 0 {
		t.rw.RUnlock()
		return -1
	}
	n := t.n
	t.rw.RUnlock()
	return n
}

// ---- (f) two values of one type: a.mu and b.mu are different mutexes ----

// The early return leaves a.mu held; b.mu's Lock and Unlock after it
// change nothing.
func Copy(a, b *Table) {
	a.mu.Lock() // want `a.mu stays locked if Copy returns on line 200: the Unlock on line 205 is skipped`
	if a.n == 0 {
		return
	}
	b.mu.Lock()
	b.n = a.n
	b.mu.Unlock()
	a.mu.Unlock()
}

// a.mu then b.mu is not a double lock of one mutex.
func Swap(a, b *Table) {
	a.mu.Lock()
	b.mu.Lock()
	a.n, b.n = b.n, a.n
	b.mu.Unlock()
	a.mu.Unlock()
}

// ---- exits: a call that may end the function ----

// Logger's Fatalf may end the program (File.MayExit): golens does not
// claim that the return after it is reached with the lock held.
type Logger interface {
	Fatalf(format string, args ...any)
}

func (t *Table) Check(lg Logger) int {
	t.mu.Lock()
	if t.n < 0 {
		lg.Fatalf("negative: %d", t.n)
		return 0
	}
	t.mu.Unlock()
	return t.n
}

// ---- (f) a release through a method of another value ----

func (t *Table) unlock() { t.mu.Unlock() }

// b.unlock() releases b.mu, which may or may not be a.mu: unsure, so no
// claim either way (it is not named as a.mu's release).
func Cross(a, b *Table) {
	a.mu.Lock()
	if a.n == 0 {
		b.unlock()
		return
	}
	a.mu.Unlock()
}

// a.unlock() releases a.mu: no leak.
func Same(a *Table) {
	a.mu.Lock()
	if a.n == 0 {
		a.unlock()
		return
	}
	a.mu.Unlock()
}

// ---- (f) the variable is assigned again: the name reaches another mutex ----

type Node struct {
	mu   sync.Mutex
	next *Node
	v    int
}

// Hand over hand: n.mu after `n = n.next` is the next node's mutex, not a
// second lock of the first.
func Step(n *Node) int {
	n.mu.Lock()
	prev := n
	n = n.next
	n.mu.Lock()
	v := n.v
	n.mu.Unlock()
	prev.mu.Unlock()
	return v
}

func Walk(n *Node) {
	n.mu.Lock()
	for n.next != nil {
		next := n.next
		next.mu.Lock()
		n.mu.Unlock()
		n = next
	}
	n.mu.Unlock()
}

// The first node's mutex is still held at the early return, whatever n
// names by then.
func Skip(n *Node) int {
	n.mu.Lock() // want `n.mu stays locked if Skip returns on line 298: the Unlock on line 300 is skipped`
	if n.v == 0 {
		n = n.next
		return 0
	}
	n.mu.Unlock()
	return 1
}
