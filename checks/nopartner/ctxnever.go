package nopartner

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"

	"github.com/golens/golens/model"
)

// ctxNeverCancelled reports whether comm, a select case's communication,
// receives from x.Done() of a context nothing can cancel: x comes from
// context.WithCancel(context.Background()) (or TODO()) whose CancelFunc
// is never called nor handed anywhere (only `_ = cancel`), directly or as
// the parameter of functions called only with such a context. That Done
// never closes, the case is never taken, and the loop goes on receiving
// (truth/r22d_ctx_never_cancelled).
func ctxNeverCancelled(pass *analysis.Pass, comm ast.Stmt) bool {
	x := model.CaseRecvChan(comm)
	if x == nil {
		return false
	}
	call, ok := ast.Unparen(x).(*ast.CallExpr)
	if !ok || len(call.Args) != 0 {
		return false
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Done" {
		return false
	}
	id, ok := ast.Unparen(sel.X).(*ast.Ident)
	if !ok {
		return false
	}
	v, ok := pass.TypesInfo.Uses[id].(*types.Var)
	return ok && uncancellable(pass, v, 4)
}

// uncancellable: every value the context variable v can hold is a context
// nothing cancels (see ctxNeverCancelled). depth bounds the parameters
// followed up through callers.
func uncancellable(pass *analysis.Pass, v *types.Var, depth int) bool {
	if depth <= 0 || assignedAgain(pass, v) {
		return false
	}
	if fn, idx := paramOf(pass, v); fn != nil {
		pkg := pkgModel(pass)
		if pkg == nil || pass.Pkg.Name() != "main" && public(pass, fn) {
			return false // callers outside the package pass their own
		}
		calls, other := pkg.CallsOf(fn)
		if len(calls) == 0 || other != 0 {
			return false
		}
		for _, c := range calls {
			if idx >= len(c.Call.Args) {
				return false
			}
			arg, ok := ast.Unparen(c.Call.Args[idx]).(*ast.Ident)
			if !ok {
				return false
			}
			av, ok := pass.TypesInfo.Uses[arg].(*types.Var)
			if !ok || !uncancellable(pass, av, depth-1) {
				return false
			}
		}
		return true
	}
	// A local: `ctx, cancel := context.WithCancel(context.Background())`.
	for _, f := range pass.Files {
		var def *ast.AssignStmt
		ast.Inspect(f, func(n ast.Node) bool {
			as, ok := n.(*ast.AssignStmt)
			if ok && as.Tok == token.DEFINE && len(as.Lhs) == 2 && len(as.Rhs) == 1 {
				if id, ok := as.Lhs[0].(*ast.Ident); ok && pass.TypesInfo.Defs[id] == v {
					def = as
				}
			}
			return def == nil
		})
		if def == nil {
			continue
		}
		mk, ok := ast.Unparen(def.Rhs[0]).(*ast.CallExpr)
		if !ok || !isContextFunc(pass, mk.Fun, "WithCancel") || len(mk.Args) != 1 {
			return false
		}
		parent, ok := ast.Unparen(mk.Args[0]).(*ast.CallExpr)
		if !ok || !isContextFunc(pass, parent.Fun, "Background") && !isContextFunc(pass, parent.Fun, "TODO") {
			return false
		}
		cid, ok := def.Lhs[1].(*ast.Ident)
		if !ok {
			return false
		}
		if cid.Name == "_" {
			return true
		}
		cv, ok := pass.TypesInfo.Defs[cid].(*types.Var)
		return ok && onlyBlanked(pass, cv)
	}
	return false
}

// isContextFunc: fun names the function name of package context.
func isContextFunc(pass *analysis.Pass, fun ast.Expr, name string) bool {
	sel, ok := ast.Unparen(fun).(*ast.SelectorExpr)
	if !ok {
		return false
	}
	fn, ok := pass.TypesInfo.Uses[sel.Sel].(*types.Func)
	return ok && fn.Pkg() != nil && fn.Pkg().Path() == "context" && fn.Name() == name
}

// onlyBlanked: every use of v is the right side of `_ = v`: it is never
// called, passed or stored.
func onlyBlanked(pass *analysis.Pass, v *types.Var) bool {
	uses, blanked := 0, 0
	for _, obj := range pass.TypesInfo.Uses {
		if obj == v {
			uses++
		}
	}
	for _, f := range pass.Files {
		ast.Inspect(f, func(n ast.Node) bool {
			as, ok := n.(*ast.AssignStmt)
			if !ok || len(as.Lhs) != len(as.Rhs) {
				return true
			}
			for i, r := range as.Rhs {
				l, lok := as.Lhs[i].(*ast.Ident)
				rid, rok := ast.Unparen(r).(*ast.Ident)
				if lok && rok && l.Name == "_" && pass.TypesInfo.Uses[rid] == v {
					blanked++
				}
			}
			return true
		})
	}
	return uses == blanked
}

// assignedAgain: an assignment other than v's declaration writes v.
func assignedAgain(pass *analysis.Pass, v *types.Var) bool {
	found := false
	for _, f := range pass.Files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.AssignStmt:
				for _, l := range n.Lhs {
					if id, ok := ast.Unparen(l).(*ast.Ident); ok && pass.TypesInfo.Uses[id] == v {
						found = true
					}
				}
			case *ast.UnaryExpr:
				if id, ok := ast.Unparen(n.X).(*ast.Ident); ok && n.Op == token.AND && pass.TypesInfo.Uses[id] == v {
					found = true // &ctx: written through a pointer
				}
			}
			return !found
		})
	}
	return found
}

// paramOf is the function declaring v as its idx-th parameter, or nil.
func paramOf(pass *analysis.Pass, v *types.Var) (*types.Func, int) {
	for _, f := range pass.Files {
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Type.Params == nil {
				continue
			}
			idx := 0
			for _, field := range fd.Type.Params.List {
				for _, name := range field.Names {
					if pass.TypesInfo.Defs[name] == v {
						fn, _ := pass.TypesInfo.Defs[fd.Name].(*types.Func)
						if fn == nil || fd.Recv != nil {
							return nil, 0 // a method: its calls are not followed here
						}
						return fn, idx
					}
					idx++
				}
				if len(field.Names) == 0 {
					idx++
				}
			}
		}
	}
	return nil, 0
}
