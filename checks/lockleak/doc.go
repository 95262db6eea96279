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
// mutex it already holds blocks forever. (Locking again through a call is
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
// The end of a loop body is reported only when every path reaching it holds
// a lock taken in that body and an Unlock later in the body shows that the
// iteration means to release it. It is not reported when the lock may be
// held as the loop starts (the leak, if any, is the function's), when an
// Unlock after the loop may release it, when the expression reaching the
// mutex may name a different mutex on each iteration (it indexes, calls, or
// uses a variable the loop assigns, such as a range variable), or when
// anything in the loop may unlock it or hand it over (a deferred Unlock, a
// call whose name says it unlocks, &mu, a method that unlocks it). For an
// RLock the message says what blocks: every Lock, and the next iteration's
// RLock once a writer is waiting.
//
// Only a return that comes before a later Unlock of the same mutex counts as
// early: a function that returns with the lock held on purpose (and unlocks
// only on its error path) hands the lock to its caller and is not reported.
// The check is silent when a call whose name says it unlocks or releases
// (unlockAndWait, release) or that receives the mutex runs in between, when
// an Unlock happens inside a function literal, for TryLock, goto and
// conditionally taken locks, and for an RLock taken again while the same
// goroutine holds a read lock (recursive read locking is forbidden by the
// sync documentation, but deadlocks only when a writer is waiting; the
// deadlock check reports it when the package has a writer). Lock and
// Unlock calls of other mutexes in between do not hide a leak. In Test,
// Benchmark, Example and Fuzz functions (and the literals inside them) a
// double lock is not reported: tests lock twice on purpose to block a
// goroutine; the helpers and types of _test.go files are checked. The fix is offered only when every Unlock of
// the mutex in the function is followed by a return (or ends the function),
// so that replacing them with the defer keeps the function's behaviour.
package lockleak
