package lockleak

// Locks taken through a helper whose summary proves it returns holding
// the receiver's mutex (begin), released by a plain Unlock or a helper
// (end). The verdicts were checked by running this code (truth case
// lock_helper_early_return): apply and commit leave t.mu locked after
// their early return; the others leave nothing locked that they took.

import "sync"

type txn struct {
	mu sync.Mutex
	n  int
}

func (t *txn) begin() { t.mu.Lock(); t.n++ }
func (t *txn) end()   { t.n--; t.mu.Unlock() }
func (t *txn) lockIf(b bool) {
	if b {
		t.mu.Lock()
	}
}
func (t *txn) flushLocked() { t.mu.Unlock(); t.n = 0; t.mu.Lock() }

// The early return skips the Unlock the helper's Lock needs.
func (t *txn) apply(v int) bool {
	t.begin() // want `t.begin\(\) locks t.mu \(at line 16\); t.mu stays locked if \(\*txn\).apply returns on line 29: the Unlock on line 31 is skipped on that path`
	if v < 0 {
		return false
	}
	t.mu.Unlock()
	return true
}

// The early return skips the helper that unlocks.
func (t *txn) commit(v int) bool {
	t.begin() // want `t.begin\(\) locks t.mu \(at line 16\); t.mu stays locked if \(\*txn\).commit returns on line 39: the t.end\(\) on line 41 is skipped on that path`
	if v < 0 {
		return false
	}
	t.end()
	return true
}

// Deferred release: every path unlocks.
func (t *txn) deferred(v int) bool {
	t.begin()
	defer t.end()
	if v < 0 {
		return false
	}
	return true
}

// The helper locks only when b; the early return is taken exactly then not.
func (t *txn) maybe(b bool) bool {
	t.lockIf(b)
	if !b {
		return false
	}
	t.mu.Unlock()
	return true
}

// The helper locks another txn; the caller holds t.mu and hands it over.
func (t *txn) handOver(o *txn, v int) bool {
	o.begin()
	if v < 0 {
		o.end()
		return false
	}
	t.mu.Unlock()
	return true
}

// A Locked helper expects the lock held and returns holding it.
func (t *txn) flush(v int) bool {
	t.mu.Lock()
	if v < 0 {
		t.mu.Unlock()
		return false
	}
	t.flushLocked()
	t.mu.Unlock()
	return true
}

// Helpers that lock a mutex reached through another field (t.inner.mu,
// t.other.mu): the caller holds no t.mu from them, and nothing is reported
// (truth case lock_helper_nested_field runs this code).
type innerMu struct{ mu sync.Mutex }

type ntxn struct {
	mu    sync.Mutex
	inner innerMu
	other *ntxn
}

// begin locks the inner mutex, not t.mu.
func (t *ntxn) begin() { t.inner.mu.Lock() }

// beginOther locks another ntxn's mutex through a field.
func (t *ntxn) beginOther() { t.other.mu.Lock() }

// The caller holds t.mu; begin takes t.inner.mu, which this function keeps.
func (t *ntxn) step(v int) bool {
	t.begin()
	if v < 0 {
		return false
	}
	t.mu.Unlock()
	return true
}

func (t *ntxn) stepOther(v int) bool {
	t.beginOther()
	if v < 0 {
		return false
	}
	t.mu.Unlock()
	return true
}

type hoConn struct {
	subsMu sync.Mutex
	subs   map[int]*hoSub
}

type hoSub struct {
	mu   sync.Mutex
	conn *hoConn
	sid  int
}

// swap is entered holding s.mu and returns holding it: it lets go of it
// while it takes the connection's lock. Calling it under s.mu is not a
// second Lock (a run returns true).
func (s *hoSub) swap() bool {
	c := s.conn
	s.mu.Unlock()
	c.subsMu.Lock()
	if c.subs[s.sid] != s {
		c.subsMu.Unlock()
		s.mu.Lock()
		return false
	}
	s.sid++
	c.subsMu.Unlock()
	s.mu.Lock()
	return true
}

func hoUse(s *hoSub) bool {
	s.mu.Lock()
	ok := s.swap()
	s.mu.Unlock()
	return ok
}
