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
// no lock before it: neither itself nor, for a declared function, any of
// its callers in the package before calling it. Any lock counts, since
// which mutex c.L is cannot always be told by name: a Lock or RLock of the
// model's lock calls, a Cond's c.L.Lock(), or a call whose function summary
// locks something, at any depth (model.File.LocksBefore). Functions whose
// names end in Locked are left alone.
//
// WRONG: nothing signals or broadcasts the barrier's Cond, and Wait
// "cannot return unless awoken by Broadcast or Signal": the first arrival
// waits forever:
//
//	func (b *barrier) arrive() {
//		b.mu.Lock()
//		b.arrived++
//		for b.arrived < b.n {
//			b.c.Wait()
//		}
//		b.mu.Unlock()
//	}
//
// RIGHT: the last arrival wakes the others:
//
//	b.arrived++
//	if b.arrived == b.n {
//		b.c.Broadcast()
//	}
//	for b.arrived < b.n {
//		b.c.Wait()
//	}
//
// This is reported only where the whole package is in view
// (model.Package.UnsignaledConds): the Cond is an unexported field or a
// variable (not a parameter), every mention of it in the package is a
// Wait, its L or a store of a new Cond, and the package's test files are
// part of the pass (code in them could signal it).
//
// A Wait anywhere inside a for or range loop of its function, or one the
// control flow comes back to (a goto to a label above it), is accepted
// (model.File.WaitRecheck) — except a Wait under an if inside the loop
// when a statement after it in the same pass reads what the if's
// condition reads before anything checks it again: the loop re-checks
// only on its next pass, after that statement ran.
//
// WRONG: a Broadcast wakes both consumers; the second reads q.items[0]
// of the slice the first has emptied:
//
//	for {
//		q.mu.Lock()
//		if len(q.items) == 0 {
//			q.c.Wait()
//		}
//		v := q.items[0]
//		...
//	}
//
// RIGHT: for len(q.items) == 0 { q.c.Wait() }, or continue after the Wait. The fix is offered only for an if with no
// init statement and no else whose body is the Wait alone.
package condwait
