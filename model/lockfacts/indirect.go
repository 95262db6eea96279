package lockfacts

import (
	"go/ast"
	"go/types"
)

// Calls of function values. Besides the package's functions and methods
// (and an interface's only implementation, dispatch.go), the walk records
// a call whose function golens can name:
//
//   - a func-typed field, x.f() (callbacks.go);
//   - an element of a field holding functions, x.fs[k]() or l() for l
//     taken from x.fs (elemcallbacks.go);
//   - a local variable assigned one function literal and nothing else:
//     mark := func(id int) { t.mu.Lock(); … }; … mark(id). The literal
//     captures the caller's variables, so its locks are the caller's own.

// indirect holds the facts the walk reads for these calls, computed on
// first use.
type indirect struct {
	elems *elemFacts
}

// indirectCall is the event of a call of a function value golens can
// name, without its held set and place; nil for any other call.
func (st *Facts) indirectCall(c *ast.CallExpr) *CallEvent {
	if f, _ := st.funcField(c.Fun); f != nil {
		return &CallEvent{Call: c, Field: f, Owner: ast.Unparen(c.Fun).(*ast.SelectorExpr).X}
	}
	if f, owner := st.elemCall(c); f != nil {
		return &CallEvent{Call: c, Field: f, Owner: owner}
	}
	if lit := st.localFunc(c.Fun); lit != nil {
		return &CallEvent{Call: c, FnLit: lit, Local: true}
	}
	if m, recv := st.localMethod(c.Fun); m != nil {
		return &CallEvent{Call: c, Callee: m, Recv: recv, Local: true}
	}
	if se, ok := ast.Unparen(c.Fun).(*ast.SelectorExpr); ok {
		// An interface method with several implementations: nothing
		// runs through it until a caller proves the value (aliased.go).
		if sel := st.Pkg.Info.Selections[se]; sel != nil && sel.Kind() == types.MethodVal && types.IsInterface(sel.Recv()) {
			if m, isFn := sel.Obj().(*types.Func); isFn {
				return &CallEvent{Call: c, Iface: m}
			}
		}
	}
	return nil
}

// localFunc is the function literal a call of a local variable runs, when
// the variable is defined with that literal and never assigned again (its
// address never taken). A parameter assigned once is not one: its
// caller's value may be the one called.
func (st *Facts) localFunc(fun ast.Expr) *ast.FuncLit {
	id, ok := ast.Unparen(fun).(*ast.Ident)
	if !ok {
		return nil
	}
	v, ok := st.Pkg.Info.Uses[id].(*types.Var)
	if !ok || v.Parent() == nil || v.Parent() == v.Pkg().Scope() || v.IsField() {
		return nil
	}
	lit := st.elems().lits[v]
	if lit == nil || ast.Unparen(st.Pkg.SingleAssigns()[v]) != lit {
		return nil
	}
	return lit
}

// localMethod is the method, and its receiver, that a call of a local
// variable defined with a method value runs (read := c.get; … read()):
// a method of the package with a pointer receiver (a value receiver
// copies the struct, and its mutex with it), the variable never assigned
// again, nor the receiver's.
func (st *Facts) localMethod(fun ast.Expr) (*types.Func, ast.Expr) {
	id, ok := ast.Unparen(fun).(*ast.Ident)
	if !ok {
		return nil, nil
	}
	v, ok := st.Pkg.Info.Uses[id].(*types.Var)
	if !ok || v.IsField() || v.Parent() == nil || v.Parent() == v.Pkg().Scope() {
		return nil, nil
	}
	e := st.elems()
	se := e.methods[v]
	if se == nil || e.rebound[v] {
		return nil, nil
	}
	sel := st.Pkg.Info.Selections[se]
	m, _ := sel.Obj().(*types.Func)
	if m == nil || m.Pkg() != st.Pkg.Types || types.IsInterface(sel.Recv()) {
		return nil, nil
	}
	if _, ptr := m.Type().(*types.Signature).Recv().Type().Underlying().(*types.Pointer); !ptr {
		return nil, nil
	}
	if r := st.refOf(se.X); r.Root == nil || e.rebound[r.Root] {
		return nil, nil
	}
	return m.Origin(), se.X
}
