package model

import "go/ast"

// WaitUnreached is the range of the starting function that keeps it from
// ever reaching the wait GoWait names: a range over a channel that the
// model proves never ends (RangeEnds), written before the wait in the
// same statement list, with no label between them that a goto could
// reach. main ranging results that nothing closes, then wg.Wait(): "main
// waits for it with wg.Wait()" would promise a wait the program never
// gets to. nil when there is no such range. Computed on demand, outside
// the build (it reads channel facts through RangeEnds).
func (m *File) WaitUnreached(g *Goroutine) *ChanOp {
	w := g.Wait()
	if w.By == "" || !w.Pos.IsValid() || g.Func == nil || g.Func.Body == nil {
		return nil
	}
	var list []ast.Stmt
	var waitStmt ast.Stmt
	// The innermost statement list of the starting function that holds
	// the wait, and the statement in it that does.
	ast.Inspect(g.Func.Body, func(n ast.Node) bool {
		if n == nil {
			return false
		}
		if n.Pos() > w.Pos || n.End() <= w.Pos {
			return false // only the nodes holding the wait are walked
		}
		if _, ok := n.(*ast.FuncLit); ok {
			return false
		}
		var stmts []ast.Stmt
		switch s := n.(type) {
		case *ast.BlockStmt:
			stmts = s.List
		case *ast.CaseClause:
			stmts = s.Body
		case *ast.CommClause:
			stmts = s.Body
		}
		for _, st := range stmts {
			if st.Pos() <= w.Pos && w.Pos < st.End() {
				list, waitStmt = stmts, st
			}
		}
		return true
	})
	if waitStmt == nil {
		return nil
	}
	// Deeper lists were found last: list is the innermost one.
	var found *ChanOp
	for _, st := range list {
		if _, ok := st.(*ast.LabeledStmt); ok {
			found = nil // a goto may land here, past the range
		}
		if st == waitStmt {
			return found
		}
		rs, ok := st.(*ast.RangeStmt)
		if !ok || rs.Pos() < g.End || found != nil {
			continue
		}
		for _, op := range m.ChanOps {
			if op.Kind == Range && op.Node == ast.Node(rs) && op.Func == g.Func && m.RangeEnds(op).ProvenFalse() {
				found = op
				break
			}
		}
	}
	return nil
}
