package model

import (
	"go/ast"
	"go/types"
)

// GoStart is a go statement that calls a function or method by name:
// `go f(...)`, `go r.m(...)`.
type GoStart struct {
	Stmt *ast.GoStmt
	// Recv is the variable r of `go r.m(...)`, nil for any other
	// receiver expression or a plain function.
	Recv types.Object
	// In is the innermost function declaration or literal holding the
	// statement.
	In ast.Node
}

// GoStarts indexes, by the object the call names (info.Uses of the
// function's or method's name), the go statements of the package that
// call a function or method directly, in file order: who starts it as a
// goroutine, and on which variable. Typed tier; computed on first read,
// once per package: one walk of its files.
func (p *Package) GoStarts() map[types.Object][]GoStart {
	p.goStartsOnce.Do(func() {
		p.goStarts = map[types.Object][]GoStart{}
		var stack []ast.Node
		for _, f := range p.Files {
			ast.Inspect(f, func(n ast.Node) bool {
				if n == nil {
					stack = stack[:len(stack)-1]
					return true
				}
				stack = append(stack, n)
				gs, ok := n.(*ast.GoStmt)
				if !ok {
					return true
				}
				start := GoStart{Stmt: gs}
				if i := innermostFunc(stack); i >= 0 {
					start.In = stack[i]
				}
				var obj types.Object
				switch fun := ast.Unparen(gs.Call.Fun).(type) {
				case *ast.Ident:
					obj = p.Info.Uses[fun]
				case *ast.SelectorExpr:
					obj = p.Info.Uses[fun.Sel]
					if id, ok := ast.Unparen(fun.X).(*ast.Ident); ok {
						start.Recv = p.Info.Uses[id]
					}
				}
				if obj != nil {
					p.goStarts[obj] = append(p.goStarts[obj], start)
				}
				return true
			})
		}
	})
	return p.goStarts
}
