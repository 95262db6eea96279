package model

import (
	"go/ast"
	"go/token"
	"go/types"
)

// A local variable bound once to a function literal that always ends the
// process (die := func(msg string) { fmt.Println(msg); os.Exit(1) }) is an
// exit helper like a `die` function of the file: a call of it skips the
// caller's deferred calls. So is one bound to an exit function itself
// (exit := os.Exit, fatal := logger.Fatalf on a *log.Logger). Only a
// variable the function never assigns again, nor hands out by address, is
// followed.

// boundLitExit reports whether calling id calls such a literal, and how it
// ends the program (ExitProcess) or the goroutine (ExitGoexit).
func (fb *flowBuilder) boundLitExit(id *ast.Ident) (ExitKind, bool) {
	def := fb.localDef(id)
	if def == nil {
		return 0, false
	}
	fb.litExitMu.Lock()
	defer fb.litExitMu.Unlock()
	if r, ok := fb.litExits[def.Pos()]; ok {
		return r.kind, r.ok
	}
	kind, ok := fb.litExitOf(def)
	if fb.litExits == nil {
		fb.litExits = map[token.Pos]litExit{}
	}
	fb.litExits[def.Pos()] = litExit{kind, ok}
	return kind, ok
}

type litExit struct {
	kind ExitKind
	ok   bool
}

// localDef is the identifier that declares the local variable id uses;
// nil when id is not a use of a local variable.
func (fb *flowBuilder) localDef(id *ast.Ident) *ast.Ident {
	if info := fb.m.Info; info != nil {
		v, ok := info.Uses[id].(*types.Var)
		if !ok || v.Pkg() == nil || v.Parent() == v.Pkg().Scope() || !v.Pos().IsValid() {
			return nil
		}
		path, _ := EnclosingPath(fb.m.AST, v.Pos(), v.Pos())
		if len(path) == 0 {
			return nil
		}
		def, ok := path[0].(*ast.Ident)
		if !ok || info.Defs[def] != types.Object(v) {
			return nil
		}
		return def
	}
	if id.Obj == nil || id.Obj.Kind != ast.Var {
		return nil
	}
	as, ok := id.Obj.Decl.(*ast.AssignStmt)
	if !ok {
		return nil
	}
	for _, l := range as.Lhs {
		if d, ok := l.(*ast.Ident); ok && d.Obj == id.Obj {
			return d
		}
	}
	return nil
}

// litExitOf decides for the variable declared by def: declared by
// `def := func(...) {...}` (one name, one literal) or `def := os.Exit`
// (an exit function's value: exitFunc, or a *log.Logger's Fatal* or
// Panic*), never assigned again nor taken by address in its function, and
// the literal ends the program or the goroutine on every path
// (exitsByShape).
func (fb *flowBuilder) litExitOf(def *ast.Ident) (ExitKind, bool) {
	path, _ := EnclosingPath(fb.m.AST, def.Pos(), def.End())
	if len(path) < 2 {
		return 0, false
	}
	as, ok := path[1].(*ast.AssignStmt)
	if !ok || as.Tok != token.DEFINE || len(as.Lhs) != 1 || len(as.Rhs) != 1 || as.Lhs[0] != ast.Expr(def) {
		return 0, false
	}
	lit, isLit := ast.Unparen(as.Rhs[0]).(*ast.FuncLit)
	var kind ExitKind
	if !isLit {
		// exit := os.Exit, fatal := logger.Fatalf: the function value
		// itself never returns.
		sel, ok := ast.Unparen(as.Rhs[0]).(*ast.SelectorExpr)
		if !ok {
			return 0, false
		}
		if kind, _, ok = fb.exitFunc(sel); !ok {
			switch sel.Sel.Name {
			case "Fatal", "Fatalf", "Fatalln":
				kind, ok = ExitProcess, fb.b.onLogLogger(sel)
			case "Panic", "Panicf", "Panicln":
				kind, ok = ExitPanic, fb.b.onLogLogger(sel)
			}
		}
		if !ok {
			return 0, false
		}
	}
	var scope ast.Node
	for _, n := range path[2:] {
		if fd, ok := n.(*ast.FuncDecl); ok {
			scope = fd.Body
			break
		}
	}
	if scope == nil {
		return 0, false
	}
	same := func(e ast.Expr) bool {
		x, ok := ast.Unparen(e).(*ast.Ident)
		if !ok || x == def || x.Name != def.Name {
			return false
		}
		if info := fb.m.Info; info != nil {
			return info.Uses[x] == info.Defs[def]
		}
		return x.Obj != nil && x.Obj == def.Obj
	}
	written := false
	ast.Inspect(scope, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for _, l := range n.Lhs {
				written = written || same(l)
			}
		case *ast.UnaryExpr:
			written = written || n.Op == token.AND && same(n.X)
		}
		return !written
	})
	if written {
		return 0, false
	}
	if !isLit {
		return kind, true
	}
	return fb.exitsByShape(lit.Body)
}
