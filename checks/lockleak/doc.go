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
// next Lock, in any goroutine, waits forever. And Go's mutexes are not
// reentrant (go doc sync.Mutex): a goroutine that locks a mutex
// it already holds, directly or by calling a method of the same type that
// locks the same field, blocks forever.
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
// WRONG: Len locks c.mu, which Put already holds:
//
//	func (c *Cache) Put(k string, v int) {
//		c.mu.Lock()
//		defer c.mu.Unlock()
//		if c.Len() > max { ... }
//	}
//
// RIGHT: call an unexported lenLocked that expects the lock to be held.
//
// Only a return that comes before a later Unlock of the same mutex counts as
// early: a function that returns with the lock held on purpose (and unlocks
// only on its error path) hands the lock to its caller and is not reported.
// The check is silent when a call whose name says it unlocks or releases
// (unlockAndWait, release) or that receives the mutex runs in between, when
// an Unlock happens inside a function literal, for TryLock, goto and
// conditionally taken locks, and for an RLock taken again while the same
// goroutine holds a read lock (recursive read locking is forbidden by the
// sync documentation, but deadlocks only when a writer is waiting). Calls
// into methods are followed one level, for a method of the same receiver
// type whose first operation on the mutex is a Lock statement of its body.
// In _test.go files a double lock is not reported: tests lock twice on
// purpose to block a goroutine. The fix is offered only when every Unlock of
// the mutex in the function is followed by a return (or ends the function),
// so that replacing them with the defer keeps the function's behaviour.
package lockleak
