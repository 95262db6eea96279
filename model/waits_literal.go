package model

import "go/ast"

// A wait written in a function literal inside the starting function runs
// as part of that function only when the literal is called there: a
// deferred literal (`defer func() { wg.Wait() }()`) or one called at once
// (`func() { ... }()`). A literal returned or stored (`return func() {
// close(quit); wg.Wait() }`) may run later, from elsewhere, or never: its
// wait is not the starting function's (findWaiter).

// runsInParent reports whether code of fn runs as part of a call of
// parent: fn is parent, or a literal within it, each literal on the way
// deferred or called where it is written.
func (b *builder) runsInParent(fn, parent *Func) bool {
	for f := fn; f != nil; f = f.Parent {
		if f == parent {
			return true
		}
		if !f.Lit || f.GoBody != nil {
			return false
		}
		if f.Deferred {
			continue
		}
		path, _ := EnclosingPath(b.m.AST, f.Pos, f.End)
		called := false
		for i, n := range path {
			lit, ok := n.(*ast.FuncLit)
			if !ok {
				continue
			}
			if i+1 < len(path) {
				if call, ok := path[i+1].(*ast.CallExpr); ok && ast.Unparen(call.Fun) == lit {
					called = true
				}
			}
			break
		}
		if !called {
			return false
		}
	}
	return false
}
