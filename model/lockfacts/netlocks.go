package lockfacts

import (
	"go/types"
	"strings"

	"github.com/golens/golens/model"
)

// Helpers that return holding a lock, or having released one: `s.lock()`
// where `func (s *S) lock() { s.mu.Lock() }`, and `s.unlock()`. Whether a
// function returns holding a mutex it was given or reaches through its
// receiver is the model's fact (model.Summary.LockNet: the Locks that run
// on every path outnumber its Unlocks, or the other way round); the
// model's lock flow holds the mutex from such a call on (or no longer),
// and held.go names it in the caller's terms.

// summaryTarget names a mutex of fn in its summary's terms: a parameter,
// or a field of the receiver (one level: recv.mu).
func summaryTarget(sig *types.Signature, mu Mutex) (model.Target, bool) {
	for i := 0; i < sig.Params().Len(); i++ {
		if sig.Params().At(i) == mu.Root && mu.Path == "" {
			return model.Target{Param: i}, true
		}
	}
	f, isVar := mu.Class.(*types.Var)
	if sig.Recv() != nil && sig.Recv() == mu.Root && isVar && f.IsField() && mu.Path == "."+f.Name() && !strings.Contains(mu.Path[1:], ".") {
		return model.Target{Param: -1, Key: model.KeyFor(f.Origin())}, true
	}
	return model.Target{}, false
}

// lockHelper returns, for a function of the package that may return
// holding or having released a mutex, its lock operations that may do so
// and its model summary: the Locks (RLocks) of a mutex it never unlocks,
// and the Unlocks (RUnlocks) of one it never locks, outside goroutines and
// defers (model.File.Locks). nil for any other function: most lock and
// unlock in pairs, and their summaries are not needed.
func (st *Facts) lockHelper(fn *types.Func) ([]*model.LockOp, *model.Summary) {
	if h, ok := st.helpers[fn]; ok {
		return h.ops, h.sum
	}
	st.helpers[fn] = lockHelperOps{}
	decl := st.Pkg.FuncDecl(fn)
	m := st.declFile[decl]
	if decl == nil || m == nil {
		return nil, nil
	}
	var own []*model.LockOp
	for _, op := range m.Locks {
		if op.Func != nil && op.Func.Body == decl.Body {
			own = append(own, op)
		}
	}
	var out []*model.LockOp
	for _, op := range own {
		if op.Deferred || op.Kind == model.TryLock || op.Kind == model.TryRLock {
			continue
		}
		lock := op.Kind == model.Lock || op.Kind == model.RLock
		paired := false
		for _, o := range own {
			if o != op && o.Key == op.Key && o.Key.Valid() && (o.Kind == model.Lock || o.Kind == model.RLock) != lock {
				paired = true
				break
			}
		}
		if !paired && op.Key.Valid() {
			out = append(out, op)
		}
	}
	if len(out) == 0 {
		return nil, nil
	}
	var f *model.Func
	for _, x := range m.Funcs {
		if x.Body == decl.Body {
			f = x
			break
		}
	}
	if f == nil {
		return nil, nil
	}
	sum := m.SummaryOf(f)
	if sum == nil {
		return nil, nil
	}
	st.helpers[fn] = lockHelperOps{ops: out, sum: sum}
	return out, sum
}

type lockHelperOps struct {
	ops []*model.LockOp
	sum *model.Summary
}
