// Package condwait defines an Analyzer that reports sync.Cond.Wait calls
// that do not re-check their condition in a loop.
//
// # Analyzer condwait
//
// condwait: report sync.Cond.Wait outside a loop that re-checks the condition
//
// Wait unlocks c.L, suspends the goroutine, and locks c.L again before it
// returns (go doc sync.Cond.Wait). Between the wake-up and the return,
// other goroutines may run and change the shared state, and Broadcast
// wakes every waiter at once, so "the caller typically cannot assume that
// the condition is true when Wait returns". A Cond remembers nothing: a
// Signal or Broadcast with no goroutine waiting is lost.
//
// WRONG: the queue may be empty again when Wait returns:
//
//	c.L.Lock()
//	if len(q) == 0 {
//		c.Wait()
//	}
//	item := q[0]
//
// RIGHT (the suggested fix replaces if with for):
//
//	c.L.Lock()
//	for len(q) == 0 {
//		c.Wait()
//	}
//	item := q[0]
//
// WRONG: if the producer signals before this goroutine reaches Wait, the
// signal is lost and Wait blocks forever:
//
//	c.L.Lock()
//	c.Wait()
//	c.L.Unlock()
//
// RIGHT: wait for a condition the producer sets under c.L:
//
//	c.L.Lock()
//	for !ready {
//		c.Wait()
//	}
//	c.L.Unlock()
//
// WRONG: the waiter checks done under the lock and then waits; release
// can run between the two, when nobody waits yet, and its Broadcast is
// lost (a lost wakeup):
//
//	func (l *latch) release() {
//		l.done = true
//		l.cond.Broadcast()
//	}
//
// RIGHT: change the condition while holding c.L (signalling after Unlock
// is fine):
//
//	func (l *latch) release() {
//		l.mu.Lock()
//		l.done = true
//		l.mu.Unlock()
//		l.cond.Broadcast()
//	}
//
// This is reported when a Signal or Broadcast follows, in its block, an
// assignment to a variable or field that the condition of a for loop
// around a Wait on the same Cond reads, and the signalling function takes
// no lock before it: neither itself (any Lock or RLock call counts, since
// which mutex c.L is cannot always be told by name) nor, for a declared
// function, any of its callers in the package before calling it. Functions
// whose names end in Locked are left alone.
//
// A Wait anywhere inside a for or range loop of its function is accepted.
// The fix is offered only for an if with no init statement and no else
// whose body is the Wait alone.
package condwait
