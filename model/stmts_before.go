package model

import (
	"go/ast"
	"go/token"
)

// StmtsBefore lists the statements that have completed whenever control
// reaches p in its function (FuncAt): in each block, switch case body and
// select case body that encloses p, the statements before the one holding
// p. Innermost enclosing list first, each list's statements in source
// order. It is syntax only: a statement before p in an enclosing list
// completes before p runs (Go forbids a goto into a block), except when a
// goto of the same list jumps forward over it, which is not checked;
// and one that completes before p only through the flow (an op in both
// arms of an if) is not listed. The nopartner check's circular waits and
// Cond-guarded channels read it. nil when no function body holds p.
func (m *File) StmtsBefore(p token.Pos) []ast.Stmt {
	fn := m.funcAt(p)
	if fn == nil || fn.Body == nil {
		return nil
	}
	var groups [][]ast.Stmt // outermost first
	before := func(list []ast.Stmt) {
		for i, s := range list {
			if s.Pos() <= p && p < s.End() {
				groups = append(groups, list[:i])
				return
			}
		}
	}
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		if n == nil || p < n.Pos() || p >= n.End() {
			return false
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			return false // p is in fn's own body
		case *ast.BlockStmt:
			before(n.List)
		case *ast.CaseClause:
			before(n.Body)
		case *ast.CommClause:
			before(n.Body)
		}
		return true
	})
	var out []ast.Stmt
	for i := len(groups) - 1; i >= 0; i-- {
		out = append(out, groups[i]...)
	}
	return out
}
