// Package lockleak defines an Analyzer that reports mutexes left locked on
// a return path and mutexes locked twice by the goroutine that holds them.
//
// # Analyzer lockleak
//
// lockleak: report a lock held on an early return, or locked again while held
//
// A sync.Mutex or RWMutex locked with Lock must be unlocked on every path
// out of the function that means to release it. An early return between
// Lock and a later Unlock skips the Unlock and leaves the mutex locked: the
// next Lock, in any goroutine, waits forever. The same holds for a break
// out of the loop that took the lock (when nothing after the loop unlocks
// it) and for a continue, whose next iteration locks again. And Go's
// mutexes are not reentrant (go doc sync.Mutex): a goroutine that locks a
// mutex it already holds blocks forever, unless another goroutine unlocks
// it. (Locking again through a call is
// reported by the deadlock check, which follows call chains.)
//
// WRONG: the error return keeps c.mu locked:
//
//	func (c *Cache) Load(k string) (int, error) {
//		c.mu.Lock()
//		v, ok := c.m[k]
//		if !ok {
//			return 0, errMissing
//		}
//		c.mu.Unlock()
//		return v, nil
//	}
//
// RIGHT: unlock with defer right after Lock (the suggested fix, which also
// removes the explicit Unlocks that return right after):
//
//	func (c *Cache) Load(k string) (int, error) {
//		c.mu.Lock()
//		defer c.mu.Unlock()
//		v, ok := c.m[k]
//		if !ok {
//			return 0, errMissing
//		}
//		return v, nil
//	}
//
// A call of a function of the same file that locks the caller's mutex on
// every path and returns holding it (its summary: `t.begin()` where begin
// runs t.mu.Lock()) counts as a Lock, and one that unlocks it on every
// path (`t.commit()`) as an Unlock; the finding names the call. A helper
// that locks only on some paths, another value's mutex (o.begin(),
// t.inner.mu), a deferred release (defer t.end()) or a ...Locked helper
// that expects the lock held add no Lock.
//
// WRONG: begin locks t.mu; the error return skips commit, which unlocks it:
//
//	func (t *txn) begin()  { t.mu.Lock(); t.open = true }
//	func (t *txn) commit() { t.open = false; t.mu.Unlock() }
//
//	func (t *txn) apply(v int) bool {
//		t.begin()
//		if v < 0 {
//			return false
//		}
//		t.commit()
//		return true
//	}
//
// RIGHT: commit on the error path too, or `defer t.commit()` after begin
// (no fix is suggested: a helper may do more than unlock).
//
// WRONG: the break leaves g.mu locked:
//
//	for {
//		g.mu.Lock()
//		if g.closed {
//			break
//		}
//		g.mu.Unlock()
//	}
//
// RIGHT: unlock before the break.
//
// WRONG: the loop body ends with q.mu still locked when x is not zero, so
// the next iteration's Lock waits forever (an implicit continue):
//
//	for _, x := range xs {
//		q.mu.Lock()
//		if x == 0 {
//			q.mu.Unlock()
//			continue
//		}
//		q.items = append(q.items, x)
//	}
//
// RIGHT: unlock on every path through the body:
//
//	for _, x := range xs {
//		q.mu.Lock()
//		if x == 0 {
//			q.mu.Unlock()
//			continue
//		}
//		q.items = append(q.items, x)
//		q.mu.Unlock()
//	}
//
// lockleak reads the model's lock flow (model.LockFlow, computed once per
// function over its control-flow graph): it pairs no Lock with an Unlock
// and classifies no exit itself, so the hover and the inlay hint of a Lock
// state the same leak (or double lock) at the same lines. It reports a
// leak the model proves (model.LockLeak.Leaked): every path reaching the
// return, break, continue or end of the loop body holds the lock, nothing
// golens cannot follow may release it on the way, and an Unlock of that
// Lock later in the enclosing block (later in the body, for a body's end)
// shows that the function means to release it. It reports a double lock
// the model proves (model.LockRelock): every path to the Lock holds the
// same mutex, with nothing unfollowed in between.
//
// A mutex is the same one when it is reached through the same root
// variable and fields (a.mu and b.mu are two mutexes, even of one type).
// An Unlock that may reach this mutex under another name (b.mu.Unlock()
// while a.mu is held, when a and b may be the same value; p.Unlock() for a
// pointer p; b.unlock() for a method that unlocks its receiver's mu; an
// Unlock of an expression golens cannot name) makes the path unsure, and
// nothing is reported for it; Lock and Unlock calls of other mutexes of
// the same value (g.other while g.mu is held) do not hide a leak.
//
// The end of a loop body or a continue is not reported when the lock may
// be held as the loop starts (the next iteration unlocks it first), when
// an Unlock after the loop may release it (the loop may run once), when
// the expression reaching the mutex may name a different mutex on each
// iteration (it indexes, calls, or uses a variable the loop assigns, such
// as a range variable), or when something may unlock it or hand it over (a
// deferred Unlock, a call whose name says it unlocks, &mu, a method that
// unlocks it). A break is reported when nothing after the loop unlocks it.
// For an RLock kept to the next iteration (a continue or the end of the
// body) the message says what blocks: every Lock, and the next iteration's
// RLock once a writer is waiting.
//
// Only a return that comes before a later Unlock of the same Lock counts as
// early: a function that returns with the lock held on purpose (and unlocks
// only on its error path) hands the lock to its caller and is not reported.
// The check is silent when a call whose name says it unlocks or releases
// (unlockAndWait, release), or that receives the mutex or its owner and
// whose summary golens cannot read, runs in between; when a call whose
// name says it may end the function (a logger's Fatalf: model.File.MayExit)
// comes first; when an Unlock of the mutex happens inside a function
// literal (a goroutine); for TryRLock; when the flow is too large to
// follow (the model records it as Unknown, with why, and the hover says
// so); and for an RLock taken again while the same goroutine holds a read
// lock (recursive read locking is forbidden by the sync documentation, but
// deadlocks only when a writer is waiting; the deadlock check reports it
// when the package has a writer). In a goroutine that a Test, Benchmark,
// Example or Fuzz function starts, a double lock is not reported: tests
// lock twice on purpose to block a goroutine. In the test's own body (or a
// subtest's) it blocks the test and is reported, and the helpers and types
// of _test.go files are checked like any code. A goroutine's double lock is not reported
// when the function that starts it unlocks the mutex (it waits for that
// Unlock). The fix is offered only when the Lock is the only one of the
// mutex in the function, at its top level, and every Unlock is followed by
// a return (or ends the function), so that replacing them with the defer
// keeps the function's behaviour.
package lockleak
