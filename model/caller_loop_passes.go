package model

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
)

// CallerLoopPasses is how many passes the only loop around pos in f
// (OnlyLoop) makes when f is called from this file with a constant for the
// loop's bound, with the call's position and the parameter's name; the
// timeoutleak check counts the goroutines such a loop starts with it
// ("when f is called with n = 3"). The loop is
// `for i := 0; i < n; i++` or `for range n` with n a parameter of f that f
// never changes, i changed only by the post statement, and the body
// leaving no pass early (no return, break, continue or goto). Of the
// calls, the one passing the largest constant is returned with its
// position. Typed tier only: the call must resolve to f.
func (m *File) CallerLoopPasses(f *Func, pos token.Pos) (int, token.Pos, string, bool) {
	if m.Info == nil || f.Lit {
		return 0, 0, "", false
	}
	loop := m.OnlyLoop(f, pos)
	decl := topFuncDecl(m, f)
	if loop == nil || decl == nil {
		return 0, 0, "", false
	}
	var bound *ast.Ident
	switch l := loop.(type) {
	case *ast.ForStmt:
		bound = zeroToParamBound(m, l)
	case *ast.RangeStmt:
		if l.Key == nil && l.Value == nil {
			bound, _ = ast.Unparen(l.X).(*ast.Ident)
		}
	}
	if bound == nil {
		return 0, 0, "", false
	}
	param, ok := m.Info.Uses[bound].(*types.Var)
	if !ok || !isParamVarOf(m, decl, param) || varChangedIn(m, decl.Body, param) {
		return 0, 0, "", false
	}
	if _, isInt := param.Type().Underlying().(*types.Basic); !isInt || param.Type().Underlying().(*types.Basic).Info()&types.IsInteger == 0 {
		return 0, 0, "", false
	}
	body := LoopBody(loop)
	leaves := false
	ast.Inspect(body, func(n ast.Node) bool {
		switch n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt, *ast.BranchStmt:
			leaves = true
		}
		return !leaves
	})
	if leaves {
		return 0, 0, "", false
	}
	index := paramIndexOf(decl, param)
	fn, _ := m.Info.Defs[decl.Name].(*types.Func)
	if fn == nil || index < 0 {
		return 0, 0, "", false
	}
	best, bestPos := 0, token.NoPos
	ast.Inspect(m.AST, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || call.Ellipsis.IsValid() || index >= len(call.Args) {
			return true
		}
		var id *ast.Ident
		switch fun := ast.Unparen(call.Fun).(type) {
		case *ast.Ident:
			id = fun
		case *ast.SelectorExpr:
			id = fun.Sel
		}
		if id == nil || m.Info.Uses[id] != fn {
			return true
		}
		tv := m.Info.Types[call.Args[index]]
		if tv.Value == nil || tv.Value.Kind() != constant.Int {
			return true
		}
		if k, exact := constant.Int64Val(tv.Value); exact && k > int64(best) && k < 1<<20 {
			best, bestPos = int(k), call.Pos()
		}
		return true
	})
	if best == 0 {
		return 0, 0, "", false
	}
	return best, bestPos, param.Name(), true
}

// topFuncDecl is the declaration of f, a function declared at the top level
// of the file; nil for a literal.
func topFuncDecl(m *File, f *Func) *ast.FuncDecl {
	if f.Lit {
		return nil
	}
	for _, d := range m.AST.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Pos() == f.Pos {
			return fd
		}
	}
	return nil
}

// zeroToParamBound is n in `for i := 0; i < n; i++` with i changed nowhere
// else in the loop.
func zeroToParamBound(m *File, l *ast.ForStmt) *ast.Ident {
	init, ok := l.Init.(*ast.AssignStmt)
	if !ok || init.Tok != token.DEFINE || len(init.Lhs) != 1 || len(init.Rhs) != 1 {
		return nil
	}
	i, ok := init.Lhs[0].(*ast.Ident)
	if !ok {
		return nil
	}
	if tv := m.Info.Types[init.Rhs[0]]; tv.Value == nil || tv.Value.String() != "0" {
		return nil
	}
	cond, ok := l.Cond.(*ast.BinaryExpr)
	if !ok || cond.Op != token.LSS {
		return nil
	}
	if ci, ok := ast.Unparen(cond.X).(*ast.Ident); !ok || m.Info.Uses[ci] != m.Info.Defs[i] {
		return nil
	}
	post, ok := l.Post.(*ast.IncDecStmt)
	if !ok || post.Tok != token.INC {
		return nil
	}
	if pi, ok := post.X.(*ast.Ident); !ok || m.Info.Uses[pi] != m.Info.Defs[i] {
		return nil
	}
	if v, ok := m.Info.Defs[i].(*types.Var); !ok || varChangedIn(m, l.Body, v) {
		return nil
	}
	bound, _ := ast.Unparen(cond.Y).(*ast.Ident)
	return bound
}

func isParamVarOf(m *File, decl *ast.FuncDecl, v *types.Var) bool {
	return paramIndexOf(decl, v) >= 0 && m.Info.Defs[paramIdentOf(decl, v)] == v
}

func paramIndexOf(decl *ast.FuncDecl, v *types.Var) int {
	return paramIndexWhere(decl, func(name *ast.Ident) bool { return name.Name == v.Name() && name.Pos() == v.Pos() })
}

// paramIndexWhere is the index of the first parameter of decl whose name
// is matches, counting unnamed ones; -1 when none does before a variadic
// parameter (whose arguments have no one index).
func paramIndexWhere(decl *ast.FuncDecl, is func(*ast.Ident) bool) int {
	i := 0
	for _, fld := range decl.Type.Params.List {
		if _, variadic := fld.Type.(*ast.Ellipsis); variadic {
			return -1
		}
		for _, name := range fld.Names {
			if is(name) {
				return i
			}
			i++
		}
		if len(fld.Names) == 0 {
			i++
		}
	}
	return -1
}

func paramIdentOf(decl *ast.FuncDecl, v *types.Var) *ast.Ident {
	for _, fld := range decl.Type.Params.List {
		for _, name := range fld.Names {
			if name.Pos() == v.Pos() {
				return name
			}
		}
	}
	return nil
}

// varChangedIn reports whether v is assigned, incremented or has its address
// taken in n.
func varChangedIn(m *File, n ast.Node, v *types.Var) bool {
	found := false
	is := func(e ast.Expr) bool {
		id, ok := ast.Unparen(e).(*ast.Ident)
		return ok && m.Info.Uses[id] == v
	}
	ast.Inspect(n, func(c ast.Node) bool {
		switch c := c.(type) {
		case *ast.AssignStmt:
			for _, l := range c.Lhs {
				if is(l) {
					found = true
				}
			}
		case *ast.IncDecStmt:
			if is(c.X) {
				found = true
			}
		case *ast.UnaryExpr:
			if c.Op == token.AND && is(c.X) {
				found = true
			}
		}
		return !found
	})
	return found
}
