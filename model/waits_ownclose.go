package model

import "go/ast"

// ownCloseBefore explains why the receive or range op from c, in the
// starting function, does not wait for g: the starting function closes c
// itself, after the go statement and before op, in a statement list that
// holds op (so op runs only after that close). A range then ends at that
// close, and a receive returns at once once the buffer is drained: neither
// waits for g's send. Workers counting down an atomic counter, the last
// one closing done; main waiting on done, then close(results) and ranging
// over it: the range is not what waits (without the wait on done, main
// closes results while the workers still send). "" otherwise.
func (b *builder) ownCloseBefore(g *Goroutine, c *Chan, op *ChanOp) string {
	if op.Func == nil {
		return ""
	}
	for _, cl := range c.Ops {
		if cl.Kind != Close || cl.Deferred || cl.Func != op.Func || cl.InGo != op.InGo || cl.Pos <= g.End || cl.Pos >= op.Pos {
			continue
		}
		if !b.stmtListHolds(cl, op) {
			continue
		}
		head := funcLabel(op.Func) + " closes `" + cl.ChanExpr + "` itself at line " + itoa(b.m.Line(cl.Pos)) + ", so "
		if op.Kind == Range {
			return head + "the range over `" + op.ChanExpr + "` at line " + itoa(b.m.Line(op.Pos)) + " ends at that close and does not wait for this goroutine"
		}
		return head + "the receive from `" + op.ChanExpr + "` at line " + itoa(b.m.Line(op.Pos)) + " returns at once when the buffer is empty and does not wait for this goroutine"
	}
	return ""
}

// stmtListHolds reports whether the close cl is a statement of a block or
// case body that also holds op, after it: every run of op passes the close
// first.
func (b *builder) stmtListHolds(cl, op *ChanOp) bool {
	path, _ := EnclosingPath(b.m.AST, cl.Pos, cl.Pos)
	var stmt ast.Node
	for _, n := range path {
		if _, ok := n.(*ast.FuncLit); ok {
			return false
		}
		var list []ast.Stmt
		switch s := n.(type) {
		case *ast.BlockStmt:
			list = s.List
		case *ast.CaseClause:
			list = s.Body
		case *ast.CommClause:
			list = s.Body
		default:
			if _, ok := n.(ast.Stmt); ok {
				stmt = n
			}
			continue
		}
		if stmt == nil {
			return false
		}
		if _, ok := stmt.(*ast.ExprStmt); !ok {
			return false // the close sits in an if, a loop, ...: it may not run
		}
		for _, s := range list {
			if s.Pos() > stmt.Pos() && s.Pos() <= op.Pos && op.Pos < s.End() {
				return true
			}
		}
		return false
	}
	return false
}
