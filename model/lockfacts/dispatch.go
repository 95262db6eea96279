package lockfacts

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
func (st *Facts) calledDecls(c *ast.CallExpr) []*Unit {
	se, isSel := ast.Unparen(c.Fun).(*ast.SelectorExpr)
	if isSel {
		if sel := st.Pkg.Info.Selections[se]; sel != nil && sel.Kind() == types.MethodVal && types.IsInterface(sel.Recv()) {
			if m := st.Pkg.OnlyImplementation(sel.Recv(), sel.Obj().Name()); m != nil {
				if u := st.ByFunc[m]; u != nil {
					return []*Unit{u}
				}
			}
			return nil
		}
	}
	fn := model.CalledFunc(st.Pkg.Info, c)
	if fn == nil || fn.Pkg() != st.Pkg.Types {
		return nil
	}
	if u := st.ByFunc[fn.Origin()]; u != nil {
		return []*Unit{u}
	}
	return nil
}

// returns lists the results of u's return statements with one result
// (outside its function literals); ok is false when u has none or one
// with another count.
func returns(u *Unit) ([]ast.Expr, bool) { return model.SingleResults(u.Body) }

// returnedLits lists the function literals a call returns, when every
// return of the function it runs returns one.
func (st *Facts) returnedLits(c *ast.CallExpr) []*Unit {
	var out []*Unit
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
func (st *Facts) returnedChan(c *ast.CallExpr) Mutex {
	var class types.Object
	var text string
	for _, u := range st.calledDecls(c) {
		rs, ok := returns(u)
		if !ok {
			return Mutex{}
		}
		for _, r := range rs {
			ref := st.refOf(r)
			if ref.Class == nil || class != nil && ref.Class != class {
				return Mutex{}
			}
			class, text = ref.Class, ref.Text
		}
	}
	if class == nil {
		return Mutex{}
	}
	return Mutex{Class: class, Text: exprText(c) + " (" + text + ")"}
}

// resolveReturnedChans gives the channel operations on a call's result
// (range b.Notify()) the class of the channel the call returns, and drops
// those golens cannot name.
func (st *Facts) resolveReturnedChans() {
	keep := func(ws []*WaitEvent) []*WaitEvent {
		out := ws[:0]
		for _, w := range ws {
			if w.RetCall != nil && w.Class == nil {
				r := st.returnedChan(w.RetCall)
				w.Class, w.Text = r.Class, r.Text
			}
			if w.Class != nil {
				out = append(out, w)
			}
		}
		return out
	}
	for _, u := range st.Units {
		u.Waits = keep(u.Waits)
		u.Partner = keep(u.Partner)
	}
}
