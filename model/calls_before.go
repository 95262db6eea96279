package model

import (
	"go/ast"
	"go/token"
)

// CallsBefore lists the calls that run before position p on every path to
// it through body, as the statement structure shows them: each a call
// written as an expression statement of a statement list (a block, a case
// or select clause) a later statement of which holds p. The list is in
// the order they run: those of the outer lists first. Function literals
// are not entered (their code runs when called, not here), and nothing is
// assumed about the calls themselves (one may block forever or exit). A
// feature asking "has this Wait returned when the receive runs" reads it
// instead of walking the body itself.
func CallsBefore(body *ast.BlockStmt, p token.Pos) []*ast.CallExpr {
	if body == nil {
		return nil
	}
	var out []*ast.CallExpr
	var walk func(list []ast.Stmt)
	walk = func(list []ast.Stmt) {
		for i, s := range list {
			if s.Pos() > p {
				return
			}
			if es, ok := s.(*ast.ExprStmt); ok {
				if c, ok := ast.Unparen(es.X).(*ast.CallExpr); ok && i+1 < len(list) &&
					list[i+1].Pos() <= p && p < list[len(list)-1].End() {
					out = append(out, c)
				}
			}
			if s.Pos() <= p && p < s.End() {
				// Descend into the statement that holds p.
				ast.Inspect(s, func(n ast.Node) bool {
					switch n := n.(type) {
					case *ast.FuncLit:
						return false
					case *ast.BlockStmt:
						if n.Pos() <= p && p < n.End() {
							walk(n.List)
						}
						return false
					case *ast.CaseClause:
						if n.Pos() <= p && p < n.End() {
							walk(n.Body)
						}
						return false
					case *ast.CommClause:
						if n.Pos() <= p && p < n.End() {
							walk(n.Body)
						}
						return false
					}
					return true
				})
			}
		}
	}
	walk(body.List)
	return out
}
