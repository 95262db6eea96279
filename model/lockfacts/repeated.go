package lockfacts

import (
	"go/ast"
	"go/token"
	"go/types"

	"github.com/golens/golens/model"
)

// A function body that something runs over and over is a loop body of its
// own: worker in go until(c.worker, stop), where until calls its f in a
// for loop, or handle in for { s.handle() }. A channel operation in it and
// a Lock anywhere in it (before or after the operation) are then "between
// two operations" of that loop, as LoopNeeds asks of a loop written in
// the body.

// RepeatSite is where a unit is run over and over.
type RepeatSite struct {
	// Call is the call that runs the unit in a loop: the call of the
	// parameter inside the helper's loop (f() in until), or the direct
	// call in the caller's loop.
	Call token.Pos
	// Helper names the function whose loop runs it ("until"), and Passed
	// is where the unit is handed to it (until(c.worker, stop)); Passed is
	// NoPos for a direct call in a loop.
	Helper string
	Passed token.Pos
}

// RunRepeatedly reports whether v is run over and over, and where.
func (st *Facts) RunRepeatedly(v *Unit) (RepeatSite, bool) {
	if st.repeated == nil {
		st.repeated = st.findRepeated()
	}
	s, ok := st.repeated[v]
	return s, ok
}

func (st *Facts) findRepeated() map[*Unit]RepeatSite {
	out := map[*Unit]RepeatSite{}
	inLoop := func(u *Unit, at token.Pos) bool {
		for _, l := range u.Loops {
			if l.Pos() <= at && at < l.End() {
				return true
			}
		}
		return false
	}
	// The helpers: functions that call a func-typed parameter in a loop
	// of their own body.
	loopsParam := map[*types.Func]map[int]token.Pos{}
	for _, u := range st.Units {
		if u.Fn == nil {
			continue
		}
		sig := u.Fn.Type().(*types.Signature)
		ast.Inspect(u.Body, func(n ast.Node) bool {
			if _, ok := n.(*ast.FuncLit); ok {
				return false
			}
			c, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			id, ok := ast.Unparen(c.Fun).(*ast.Ident)
			if !ok || !inLoop(u, c.Pos()) {
				return true
			}
			for i := 0; i < sig.Params().Len(); i++ {
				if st.Pkg.Info.Uses[id] == sig.Params().At(i) && !sig.Variadic() {
					if loopsParam[u.Fn] == nil {
						loopsParam[u.Fn] = map[int]token.Pos{}
					}
					loopsParam[u.Fn][i] = c.Pos()
				}
			}
			return true
		})
	}
	// The function values handed to a helper's looping parameter.
	if len(loopsParam) > 0 {
		for _, f := range st.Pkg.Files {
			ast.Inspect(f, func(n ast.Node) bool {
				c, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				fn := model.StaticCallee(st.Pkg.Info, c)
				params := loopsParam[fn]
				if params == nil {
					return true
				}
				for i, at := range params {
					if i >= len(c.Args) {
						continue
					}
					if v := st.funcValueUnit(c.Args[i]); v != nil {
						if _, seen := out[v]; !seen {
							out[v] = RepeatSite{Call: at, Helper: fn.Name(), Passed: c.Args[i].Pos()}
						}
					}
				}
				return true
			})
		}
	}
	// Direct calls in a loop.
	for _, u := range st.Units {
		for _, c := range u.Calls {
			if c.Callee == nil || !inLoop(u, c.Call.Pos()) {
				continue
			}
			if v := st.ByFunc[c.Callee]; v != nil {
				if _, seen := out[v]; !seen {
					out[v] = RepeatSite{Call: c.Call.Pos()}
				}
			}
		}
	}
	return out
}

// funcValueUnit is the body a function value names: a method value
// (c.worker) or function of the package, or a function literal.
func (st *Facts) funcValueUnit(e ast.Expr) *Unit {
	switch e := ast.Unparen(e).(type) {
	case *ast.FuncLit:
		return st.byLit[e]
	case *ast.Ident:
		if fn, ok := st.Pkg.Info.Uses[e].(*types.Func); ok {
			return st.ByFunc[fn.Origin()]
		}
	case *ast.SelectorExpr:
		if sel := st.Pkg.Info.Selections[e]; sel != nil && sel.Kind() == types.MethodVal && !types.IsInterface(sel.Recv()) {
			if fn, ok := sel.Obj().(*types.Func); ok {
				return st.ByFunc[fn.Origin()]
			}
		}
	}
	return nil
}

// RepeatNeeds reports whether v, run over and over (RunRepeatedly), can
// lock h's mutex (by class, in a mode that excludes h) anywhere in its
// body, itself or through the package's functions it calls: between two
// runs of the partner operation p it may then wait for the lock.
func (st *Facts) RepeatNeeds(v *Unit, p *WaitEvent, h Held, holder *Unit, w *WaitEvent) (token.Pos, RepeatSite, bool) {
	site, ok := st.RunRepeatedly(v)
	if !ok || p.Deferred || !st.sameEveryRun(v, p) {
		return token.NoPos, RepeatSite{}, false
	}
	for _, l := range v.Locks {
		if !l.Unlock && st.SameClass(l.Mu.Class, h.Mu.Class) && Conflicts(l.Kind, h.Kind) && !l.Mu.Once && !st.OtherValue(holder, w, h.Mu, v, p, l.Mu) {
			return l.Call.Pos(), site, true
		}
	}
	for _, c := range v.Calls {
		for _, ca := range st.CallAcquires(c) {
			if a := ca.A; st.SameClass(a.Mu.Class, h.Mu.Class) && Conflicts(a.Kind, h.Kind) && !a.Mu.Once && !st.otherCallLock(holder, w, h, v, p, ca) {
				return c.Call.Pos(), site, true
			}
		}
	}
	return token.NoPos, RepeatSite{}, false
}

// sameEveryRun reports whether the channel of v's operation p is the same
// channel on every run of v: reached from v's receiver or a package-level
// variable. One reached from a variable v makes (w := &wantConn{result:
// make(...)}) is a new channel each run, and its one value is no reason for
// the next run to wait (net/http's getConn, run by roundTrip's retry loop).
func (st *Facts) sameEveryRun(v *Unit, p *WaitEvent) bool {
	var ch ast.Expr
	ast.Inspect(v.Body, func(n ast.Node) bool {
		if ch != nil {
			return false
		}
		if _, ok := n.(*ast.FuncLit); ok {
			return false
		}
		switch n := n.(type) {
		case *ast.SendStmt:
			if op := st.chanOps[n]; op != nil && op.Pos == p.Pos {
				ch = n.Chan
			}
		case *ast.UnaryExpr:
			if op := st.chanOps[n]; op != nil && op.Pos == p.Pos {
				ch = n.X
			}
		case *ast.RangeStmt:
			if n.Pos() == p.Pos {
				ch = n.X
			}
		}
		return true
	})
	if ch == nil {
		return false
	}
	r := st.refOf(ch)
	if r.Root == nil {
		return false
	}
	if r.Root == v.Recv && v.Recv != nil {
		return true
	}
	rv, ok := r.Root.(*types.Var)
	return ok && rv.Pkg() != nil && rv.Parent() == rv.Pkg().Scope()
}
