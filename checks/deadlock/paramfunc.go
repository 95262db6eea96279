package deadlock

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis"
)

// Functions passed as arguments. A function that holds a mutex while it
// calls a function-typed parameter (func (s *Store) update(fn func()) {
// s.mu.Lock(); defer s.mu.Unlock(); fn() }) deadlocks when a caller passes
// a function that locks the same mutex: s.update(func() { s.Get() }). The
// held mutex is mapped into the caller's terms through the call (its
// receiver and arguments), and the passed function's locks are the
// caller's own (a literal captures the caller's variables; a method value
// maps through its receiver).

// paramCall is a call of a function-typed parameter with mutexes held.
type paramCall struct {
	call  *ast.CallExpr
	param int
	held  []held
}

// recordParamCall notes a call of one of u's function-typed parameters.
func (w *walker) recordParamCall(c *ast.CallExpr, h []held) bool {
	id, ok := ast.Unparen(c.Fun).(*ast.Ident)
	if !ok || w.u.fn == nil {
		return false
	}
	v, ok := w.st.pass.TypesInfo.Uses[id].(*types.Var)
	if !ok {
		return false
	}
	sig := w.u.fn.Type().(*types.Signature)
	for i := 0; i < sig.Params().Len(); i++ {
		if sig.Params().At(i) == v {
			if len(h) > 0 {
				w.u.paramCalls = append(w.u.paramCalls, paramCall{call: c, param: i, held: h})
			}
			return true
		}
	}
	return false
}

// passedLocks reports the calls that pass a function locking a mutex the
// callee holds while it calls it.
func (st *analysisState) passedLocks() []analysis.Diagnostic {
	var out []analysis.Diagnostic
	assigns := st.pkg.SingleAssigns()
	for _, u := range st.units {
		for _, c := range u.calls {
			if c.callee == nil || c.recv != nil || c.fnLit != nil {
				continue
			}
			callee := st.byFunc[c.callee]
			if callee == nil || len(callee.paramCalls) == 0 {
				continue
			}
			sig := c.callee.Type().(*types.Signature)
			if sig.Variadic() {
				continue
			}
		calls:
			for _, pc := range callee.paramCalls {
				if pc.param >= len(c.call.Args) {
					continue
				}
				cb, ok := st.funcValue(c.call.Args[pc.param], assigns)
				if !ok || cb.classOnly {
					continue
				}
				var acqs []callAcq
				if cb.lit != nil {
					for _, a := range st.acquiresOf(cb.lit) {
						acqs = append(acqs, callAcq{a: a, mu: a.mu})
					}
				} else if cb.method != nil && cb.recv.root != nil {
					recv := cb.method.Type().(*types.Signature).Recv()
					for _, a := range st.acquires(cb.method) {
						if recv != nil && a.mu.root == recv {
							mu := a.mu
							mu.root, mu.path, mu.text = cb.recv.root, cb.recv.path+a.mu.path, cb.recv.text+a.mu.path
							acqs = append(acqs, callAcq{a: a, mu: mu})
						}
					}
				}
				for _, h := range pc.held {
					hm, ok := st.mapThrough(c, h.mu)
					if !ok || hm.root == nil || h.mu.once {
						continue
					}
					for _, ca := range acqs {
						if !ca.mu.sameInstance(hm) || ca.relative || ca.a.mu.once {
							continue
						}
						if h.kind == lockR && ca.a.kind == lockR {
							continue // a recursive read lock needs a writer between; left to the direct rule
						}
						out = append(out, analysis.Diagnostic{Pos: c.call.Pos(), End: c.call.End(), Category: name,
							Message: message("passedLock", msgData{Chain: chainOf(c, nil), Mutex: hm.text, HeldLine: st.line(h.pos),
								LockAt: st.where(ca.a.pos, c.call.Pos()), Kind: ca.a.kind.String(), Wait: exprText(pc.call.Fun),
								NeedAt: st.where(pc.call.Pos(), c.call.Pos())}),
							Related: []analysis.RelatedInformation{
								{Pos: h.pos, Message: "the callee locks " + hm.text + " here"},
								{Pos: pc.call.Pos(), Message: "and calls the function passed to it here, still holding it"},
								{Pos: ca.a.pos, Message: "the passed function locks " + hm.text + " here"}}})
						break calls
					}
				}
			}
		}
	}
	return out
}
