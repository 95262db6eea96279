package lockfacts

import (
	"go/ast"
	"go/token"
	"go/types"

	"github.com/golens/golens/model"
)

// heldAt is what u holds at pos (a call, a lock call or a channel
// operation of its own body), as the model's lock flow says
// (model.Func.HeldAt): each mutex every path to pos holds, by a Lock or
// RLock no call since may have released, named as this package names
// mutexes. A mutex reached without a root variable (qs[i].mu) is left
// out: lock facts compare mutexes by root and path.
func (w *walker) heldAt(pos token.Pos) []Held {
	flows := w.fn.HeldAt(pos)
	if len(flows) == 0 {
		return nil
	}
	var out []Held
	for _, hf := range flows {
		if !hf.Every {
			continue
		}
		h, ok := w.heldOf(hf)
		if !ok || h.Mu.Root == nil || holds(out, h.Mu) {
			continue
		}
		out = append(out, h)
	}
	return out
}

// heldOf names the mutex of one of the flow's held mutexes: by the first
// Lock (in source order) holding it, and held for reading when any of
// its Locks is an RLock (the paths that hold it for writing hold at least
// that).
func (w *walker) heldOf(hf model.HeldFlow) (Held, bool) {
	var out Held
	found := false
	for _, op := range hf.Locks {
		mu, kind, ok := w.mutexOfLock(op)
		if !ok {
			return Held{}, false
		}
		if !found {
			out, found = Held{Mu: mu, Kind: kind, Pos: op.Call.Pos()}, true
			continue
		}
		if !mu.SameInstance(out.Mu) {
			return Held{}, false // two names for one flow: golens does not pick
		}
		if kind == LockR {
			out.Kind = LockR
		}
	}
	return out, found
}

// mutexOfLock names the mutex a Lock of the flow locks: the mutex of a
// Lock or RLock call (a Cond's L: the mutex it was made with), or, for a
// call of a helper that returns holding a mutex (model.Func.LockCalls:
// `s.lock()`), the helper's mutex in the caller's terms.
func (w *walker) mutexOfLock(op *model.LockOp) (Mutex, LockKind, bool) {
	if mu, kind, unlock, ok := w.lockCall(op.Call); ok {
		return mu, kind, !unlock
	}
	want := LockW
	if op.Kind == model.RLock {
		want = LockR
	}
	for _, h := range w.helperHolds(op.Call) {
		if h.Kind == want && h.Mu.Text == op.Recv {
			return h.Mu, h.Kind, true
		}
	}
	return Mutex{}, 0, false
}

// holds reports whether h holds mu (the same instance).
func holds(h []Held, mu Mutex) bool {
	for _, x := range h {
		if x.Mu.SameInstance(mu) {
			return true
		}
	}
	return false
}

// helperHolds lists the mutexes the call c of a helper returns holding,
// in the caller's terms: the helper's Locks (RLocks) of a mutex it never
// unlocks, on a parameter or a field of its receiver, where its summary
// nets a Lock (model.Summary.LockNet).
func (w *walker) helperHolds(c *ast.CallExpr) []Held {
	fn := w.staticCallee(c)
	if fn == nil {
		return nil
	}
	ops, sum := w.st.lockHelper(fn)
	if sum == nil {
		return nil
	}
	sig := fn.Type().(*types.Signature)
	call := &CallEvent{Call: c, Callee: fn}
	var out []Held
	for _, op := range ops {
		if op.Kind != model.Lock && op.Kind != model.RLock {
			continue
		}
		sel, ok := ast.Unparen(op.Call.Fun).(*ast.SelectorExpr)
		if !ok {
			continue
		}
		s := w.st.Pkg.Info.Selections[sel]
		if s == nil {
			continue
		}
		mu, ok := w.lockedMutex(sel.X, s)
		if !ok {
			continue
		}
		t, ok := summaryTarget(sig, mu)
		if !ok || sum.LockNet(t) <= 0 {
			continue
		}
		at, ok := w.st.MapThrough(call, mu)
		if !ok || at.Root == nil {
			continue
		}
		kind := LockW
		if op.Kind == model.RLock {
			kind = LockR
		}
		out = append(out, Held{Mu: at, Kind: kind, Pos: c.Pos()})
	}
	return out
}
