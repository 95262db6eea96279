package model

import "sort"

// A deferred Unlock can stop the program before the calls deferred ahead
// of it run:
//
//	defer func() { ... }()  // never runs on the error path
//	mu.Lock()
//	defer mu.Unlock()       // runs first at return: on the error path the
//	if bad {                // mutex is already unlocked, and unlocking it
//		mu.Unlock()         // again is a fatal error recover cannot catch
//		return err
//	}
//
// The lock flow finds those paths (LockOp.ReleasedBefore); FatalUnlock
// says, for a defer registered before such an Unlock, which defer and
// which explicit Unlock lead there. Read lazily: the lock flow must not
// run inside the function's path facts (Order).

// FatalUnlock returns, for d, a deferred Unlock of d's function registered
// after d that on some path unlocks a mutex an explicit Unlock (after) has
// already released: at return it runs before d's call and the fatal error
// ("sync: unlock of unlocked mutex") ends the program without running d's
// call, unless another goroutine locked the mutex in between. nil when
// there is none.
func (d *Defer) FatalUnlock(m *File) (by *Defer, after *LockOp) {
	if d == nil || d.Func == nil || m == nil {
		return nil, nil
	}
	// m.Locks is in source order (the walk's): look only at the calls
	// between this defer and the end of its function.
	locks := m.Locks[sort.Search(len(m.Locks), func(i int) bool { return m.Locks[i].Pos >= d.End }):]
	for _, l := range locks {
		if l.Pos >= d.Func.End {
			break
		}
		if !l.Deferred || l.Func != d.Func {
			continue
		}
		before := l.ReleasedBefore()
		if len(before) == 0 {
			continue
		}
		for _, e := range d.Func.Defers {
			if e.Pos <= l.Pos && l.Pos < e.End {
				return e, before[0]
			}
		}
	}
	return nil, nil
}
