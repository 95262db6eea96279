package deadlock

import (
	"fmt"
	"sync"
)

// Helpers that return holding a lock or having released one: what the
// caller holds after the call is the model's fact (model.Summary.LockNet).
// Run, bump prints and report stops with "fatal error: all goroutines are
// asleep - deadlock!".

type Tally struct {
	mu sync.Mutex
	n  int
}

func (t *Tally) lock()   { t.mu.Lock() }
func (t *Tally) unlock() { t.mu.Unlock() }

// lockIf locks only on some paths: it nets nothing.
func (t *Tally) lockIf(ok bool) {
	if ok {
		t.mu.Lock()
	}
}

func (t *Tally) get() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.n
}

// bump releases t.mu through the helper before get: no deadlock.
func (t *Tally) bump() int {
	t.mu.Lock()
	t.n++
	t.unlock()
	return t.get()
}

// report holds t.mu through the helper, and get locks it again.
func (t *Tally) report() {
	t.lock()
	defer t.unlock()
	fmt.Println(t.get()) // want `t.get\(\) locks t.mu \(Lock at line 29\) while this goroutine already holds it \(locked on line 44\)`
}

// maybe may or may not hold t.mu: golens cannot tell, and says nothing.
func (t *Tally) maybe(ok bool) {
	t.lockIf(ok)
	fmt.Println(t.get())
}

func lockMu(mu *sync.Mutex) { mu.Lock() }

var tallyMu sync.Mutex

func readTally(t *Tally) int {
	tallyMu.Lock()
	defer tallyMu.Unlock()
	return t.n
}

// A helper given the mutex as an argument.
func sumTally(t *Tally) int {
	lockMu(&tallyMu)
	defer tallyMu.Unlock()
	return readTally(t) // want `readTally\(\) locks tallyMu \(Lock at line 60\) while this goroutine already holds it`
}
