package deadlock

import (
	"go/ast"
	"go/types"

	"github.com/golens/golens/model"
)

// Values returned by the package's functions: a constructor of callbacks
// (func newDeleter(t *T) func() { return func() { t.mu.Lock() … } }) and
// an accessor of a channel field (func (b *B) Notify() <-chan T { return
// b.ch }). A call of an interface method counts when the package has one
// type that implements the interface: golens then reads that type's
// method (a type of another package could implement it too, so these
// facts only name lock and channel classes, never instances).

// calledDecls lists the package function declarations a call may run:
// the static callee, or the only implementation in the package of the
// interface method it calls.
func (st *analysisState) calledDecls(c *ast.CallExpr) []*unit {
	se, isSel := ast.Unparen(c.Fun).(*ast.SelectorExpr)
	if isSel {
		if sel := st.pass.TypesInfo.Selections[se]; sel != nil && sel.Kind() == types.MethodVal && types.IsInterface(sel.Recv()) {
			if m := st.pkg.OnlyImplementation(sel.Recv(), sel.Obj().Name()); m != nil {
				if u := st.byFunc[m]; u != nil {
					return []*unit{u}
				}
			}
			return nil
		}
	}
	fn := model.CalledFunc(st.pass.TypesInfo, c)
	if fn == nil || fn.Pkg() != st.pass.Pkg {
		return nil
	}
	if u := st.byFunc[fn.Origin()]; u != nil {
		return []*unit{u}
	}
	return nil
}

// returns lists the results of u's return statements with one result
// (outside its function literals); ok is false when u has none or one
// with another count.
func returns(u *unit) ([]ast.Expr, bool) { return model.SingleResults(u.body) }

// returnedLits lists the function literals a call returns, when every
// return of the function it runs returns one.
func (st *analysisState) returnedLits(c *ast.CallExpr) []*unit {
	var out []*unit
	for _, u := range st.calledDecls(c) {
		rs, ok := returns(u)
		if !ok {
			return nil
		}
		for _, r := range rs {
			lit, isLit := ast.Unparen(r).(*ast.FuncLit)
			if !isLit || st.byLit[lit] == nil {
				return nil
			}
			out = append(out, st.byLit[lit])
		}
	}
	return out
}

// returnedChan is the channel class a call returns, when every return of
// the function it runs returns the same channel field or variable.
func (st *analysisState) returnedChan(c *ast.CallExpr) mutex {
	var class types.Object
	var text string
	for _, u := range st.calledDecls(c) {
		rs, ok := returns(u)
		if !ok {
			return mutex{}
		}
		for _, r := range rs {
			ref := st.refOf(r)
			if ref.class == nil || class != nil && ref.class != class {
				return mutex{}
			}
			class, text = ref.class, ref.text
		}
	}
	if class == nil {
		return mutex{}
	}
	return mutex{class: class, text: exprText(c) + " (" + text + ")"}
}

// resolveReturnedChans gives the channel operations on a call's result
// (range b.Notify()) the class of the channel the call returns, and drops
// those golens cannot name.
func (st *analysisState) resolveReturnedChans() {
	keep := func(ws []*waitEvent) []*waitEvent {
		out := ws[:0]
		for _, w := range ws {
			if w.retCall != nil && w.class == nil {
				r := st.returnedChan(w.retCall)
				w.class, w.text = r.class, r.text
			}
			if w.class != nil {
				out = append(out, w)
			}
		}
		return out
	}
	for _, u := range st.units {
		u.waits = keep(u.waits)
		u.partner = keep(u.partner)
	}
}
