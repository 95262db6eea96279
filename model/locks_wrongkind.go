package model

import "sort"

// A release of the wrong kind on a sync.RWMutex:
//
//	t.mu.RLock()
//	defer t.mu.Unlock() // should be RUnlock
//
// Unlock releases a write lock and RUnlock a read lock; each finds none of
// its own kind held here and stops the program with a fatal error that
// recover cannot catch ("sync: Unlock of unlocked RWMutex", "sync: RUnlock
// of unlocked RWMutex": https://pkg.go.dev/sync#RWMutex.Unlock). The lock
// flow (locks_flow.go) records, per lock, the releases a path holding it
// reaches with only the other kind held (LockFlow.WrongKind), and per
// release, those locks (WrongKind).

// WrongKind (Unlock, RUnlock) lists the locks of the other kind held on a
// path where this call runs with none of its own kind held, in source
// order: there it releases nothing and stops the program. Deferred
// releases are judged where they run, at return.
func (l *LockOp) WrongKind() []*LockOp {
	return l.flowList(func(ll *lockLists) []*LockOp { return ll.wrongOf })
}

// ReleasedBefore (a deferred Unlock) lists the explicit Unlocks after
// which, on some path, this deferred Unlock runs at return with the mutex
// already unlocked by them: it unlocks it a second time, a fatal error
// ("sync: unlock of unlocked mutex") unless another goroutine locked it
// in between. In source order.
func (l *LockOp) ReleasedBefore() []*LockOp {
	return l.flowList(func(ll *lockLists) []*LockOp { return ll.twiceAfter })
}

// UnlockedBefore (an explicit Unlock) lists the Unlocks — direct, or a
// call whose summary unlocks (`s.flush()`) — after which, on some path
// and with no Lock between, this Unlock runs with the mutex already
// unlocked: it is a fatal error ("sync: unlock of unlocked mutex") there,
// unless another goroutine locked it in between (r20k_double_unlock). In
// source order.
func (l *LockOp) UnlockedBefore() []*LockOp {
	return l.flowList(func(ll *lockLists) []*LockOp { return ll.againAfter })
}

// flowList is a copy of one of l's lists the lock flow fills (wrongOf,
// twiceAfter), in source order: it runs the flow first, then reads the
// list under the lock the flow writes it under.
func (l *LockOp) flowList(list func(*lockLists) []*LockOp) []*LockOp {
	l.Pairs() // runs the flow that sets the list
	f := l.Func
	if f == nil {
		return nil
	}
	fb := f.fb
	if fb == nil && f.Parent != nil {
		fb = f.Parent.fb
	}
	if fb == nil {
		if l.lists == nil {
			return nil
		}
		return list(l.lists)
	}
	fb.pairsMu.Lock()
	defer fb.pairsMu.Unlock()
	if l.lists == nil {
		return nil
	}
	out := append([]*LockOp(nil), list(l.lists)...)
	sort.Slice(out, func(i, j int) bool { return out[i].Pos < out[j].Pos })
	return out
}
