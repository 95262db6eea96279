package model

import (
	"go/ast"
	"go/token"
	"go/types"
)

// returnsLit reports whether every return of the function whose body is
// body (not those of function literals in it) returns the composite literal
// lit (T{...} or &T{...}), directly or through the one local variable it is
// assigned to, and there is at least one such return. A caller that drops
// the function's result then drops what lit holds (CancelStore.Returned).
func returnsLit(info *types.Info, body *ast.BlockStmt, lit *ast.CompositeLit) bool {
	if lit == nil || body == nil {
		return false
	}
	unaddr := func(e ast.Expr) ast.Expr {
		e = ast.Unparen(e)
		if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.AND {
			return ast.Unparen(u.X)
		}
		return e
	}
	var holder *types.Var
	ast.Inspect(body, func(n ast.Node) bool {
		if as, ok := n.(*ast.AssignStmt); ok && len(as.Lhs) == 1 && len(as.Rhs) == 1 && unaddr(as.Rhs[0]) == lit {
			holder = identVar(info, as.Lhs[0])
		}
		return true
	})
	returns, ok := 0, true
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			returns++
			if len(n.Results) != 1 {
				ok = false
				return false
			}
			if r := unaddr(n.Results[0]); r != lit && (holder == nil || identVar(info, r) != holder) {
				ok = false
			}
		}
		return ok
	})
	return ok && returns > 0
}
