package deadlock

import (
	"go/types"

	"golang.org/x/tools/go/analysis"

	"github.com/golens/golens/model"
	"github.com/golens/golens/model/lockfacts"
)

// Functions passed as arguments. A function that holds a mutex while it
// calls a function-typed parameter (func (s *Store) update(fn func()) {
// s.mu.Lock(); defer s.mu.Unlock(); fn() }) deadlocks when a caller passes
// a function that locks the same mutex: s.update(func() { s.Get() }). The
// held mutex is mapped into the caller's terms through the call (its
// receiver and arguments), and the passed function's locks are the
// caller's own (a literal captures the caller's variables; a method value
// maps through its receiver).

// passedLocks reports the calls that pass a function locking a mutex the
// callee holds while it calls it.
func (st *analysisState) passedLocks() []analysis.Diagnostic {
	var out []analysis.Diagnostic
	assigns := st.Pkg.SingleAssigns()
	for _, u := range st.Units {
		for _, c := range u.Calls {
			if c.Callee == nil || c.Recv != nil || c.FnLit != nil {
				continue
			}
			callee := st.ByFunc[c.Callee]
			if callee == nil || len(callee.ParamCalls) == 0 {
				continue
			}
			sig := c.Callee.Type().(*types.Signature)
			if sig.Variadic() {
				continue
			}
		calls:
			for _, pc := range callee.ParamCalls {
				if pc.Param >= len(c.Call.Args) {
					continue
				}
				cb, ok := st.FuncValue(c.Call.Args[pc.Param], assigns)
				if !ok || cb.ClassOnly {
					continue
				}
				var acqs []lockfacts.CallAcq
				if cb.Lit != nil {
					for _, a := range st.AcquiresOf(cb.Lit) {
						acqs = append(acqs, lockfacts.CallAcq{A: a, Mu: a.Mu})
					}
				} else if cb.Method != nil && cb.Recv.Root != nil {
					recv := cb.Method.Type().(*types.Signature).Recv()
					for _, a := range st.Acquires(cb.Method) {
						if recv != nil && a.Mu.Root == recv {
							mu := a.Mu
							mu.Root, mu.Path, mu.Text = cb.Recv.Root, cb.Recv.Path+a.Mu.Path, cb.Recv.Text+a.Mu.Path
							acqs = append(acqs, lockfacts.CallAcq{A: a, Mu: mu})
						}
					}
				}
				for _, h := range pc.Held {
					hm, ok := st.MapThrough(c, h.Mu)
					if !ok || hm.Root == nil || h.Mu.Once {
						continue
					}
					for _, ca := range acqs {
						if !ca.Mu.SameInstance(hm) || ca.Relative || ca.A.Mu.Once {
							continue
						}
						if h.Kind == lockfacts.LockR && ca.A.Kind == lockfacts.LockR {
							continue // a recursive read lock needs a writer between; left to the direct rule
						}
						out = append(out, analysis.Diagnostic{Pos: c.Call.Pos(), End: c.Call.End(), Category: name,
							Message: message("passedLock", msgData{Chain: chainOf(c, nil), Mutex: hm.Text, HeldLine: st.line(h.Pos),
								LockAt: st.where(ca.A.Pos, c.Call.Pos()), Kind: ca.A.Kind.String(), Wait: model.ExprText(pc.Call.Fun),
								NeedAt: st.where(pc.Call.Pos(), c.Call.Pos())}),
							Related: []analysis.RelatedInformation{
								{Pos: h.Pos, Message: "the callee locks " + hm.Text + " here"},
								{Pos: pc.Call.Pos(), Message: "and calls the function passed to it here, still holding it"},
								{Pos: ca.A.Pos, Message: "the passed function locks " + hm.Text + " here"}}})
						break calls
					}
				}
			}
		}
	}
	return out
}
