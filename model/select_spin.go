package model

import (
	"go/ast"
)

// MaySpin reports whether a select with a default, in a loop, can make
// that loop spin: the innermost loop around it is one with no end of its
// own — `for {` or `for cond {` — so while no case is ready, every pass
// runs default and comes straight back. A range loop (over a slice, a map,
// an integer, a channel) or a three-clause loop with a condition makes a
// bounded number of passes: `for i := range 5 { select { case ch <- i:
// default: } }` tries five times and moves on; it does not spin.
func (s *Select) MaySpin(m *File) bool {
	if !s.InLoop || s.Node == nil || m == nil || m.AST == nil {
		return false
	}
	path, _ := EnclosingPath(m.AST, s.Node.Pos(), s.Node.Pos())
	for _, n := range path {
		switch n := n.(type) {
		case *ast.FuncLit, *ast.FuncDecl:
			return false
		case *ast.RangeStmt:
			return false
		case *ast.ForStmt:
			return n.Cond == nil || n.Post == nil
		}
	}
	return false
}
