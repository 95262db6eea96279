package model

import "go/ast"

// SendCount is the most sends on c along the paths through a statement:
// Through for the paths that go on to the next statement, Returned for
// those that return inside it; NoPath when there is no such path.
type SendCount struct{ Through, Returned int }

// NoPath marks a SendCount side with no path; any negative side is one
// (sends counted before it are added to NoPath).
const NoPath = -1 << 20

// Max is the most sends on any path.
func (c SendCount) Max() int {
	if c.Through > c.Returned {
		return c.Through
	}
	return c.Returned
}

func maxInt(a, b int) int {
	if a > b {
		return a
	}
	return b
}

// MaxSends counts the sends on c along the busiest path through stmts. It
// fails when a send is inside a loop or a nested function. The
// timeoutleak check bounds the sends a goroutine makes with it, and tells
// a goroutine whose sends all return before its close from one that may
// send and close on one run.
func (m *File) MaxSends(c *Chan, stmts []ast.Stmt) (SendCount, bool) {
	seq := SendCount{Through: 0, Returned: NoPath}
	for _, st := range stmts {
		n, ok := m.StmtSends(c, st)
		if !ok {
			return SendCount{}, false
		}
		if seq.Through != NoPath {
			seq.Returned = maxInt(seq.Returned, seq.Through+n.Returned)
			if n.Through == NoPath {
				seq.Through = NoPath
			} else {
				seq.Through += n.Through
			}
		}
	}
	return seq, true
}

// StmtSends is MaxSends for the one statement st.
func (m *File) StmtSends(c *Chan, st ast.Stmt) (SendCount, bool) {
	switch st := st.(type) {
	case *ast.SendStmt:
		if isSendOn(c, st) {
			return SendCount{Through: 1, Returned: NoPath}, true
		}
	case *ast.ReturnStmt:
		if !c.SendsIn(st) {
			return SendCount{Through: NoPath, Returned: 0}, true
		}
		return SendCount{}, false
	case *ast.BlockStmt:
		return m.MaxSends(c, st.List)
	case *ast.LabeledStmt:
		return m.StmtSends(c, st.Stmt)
	case *ast.IfStmt:
		if st.Init != nil && c.SendsIn(st.Init) || c.SendsIn(st.Cond) {
			return SendCount{}, false
		}
		body, ok := m.MaxSends(c, st.Body.List)
		if !ok {
			return SendCount{}, false
		}
		els := SendCount{Through: 0, Returned: NoPath}
		if st.Else != nil {
			if els, ok = m.StmtSends(c, st.Else); !ok {
				return SendCount{}, false
			}
		}
		return SendCount{Through: maxInt(body.Through, els.Through), Returned: maxInt(body.Returned, els.Returned)}, true
	case *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
		var clauses []ast.Stmt
		hasDefault := false
		switch s := st.(type) {
		case *ast.SwitchStmt:
			clauses = s.Body.List
		case *ast.TypeSwitchStmt:
			clauses = s.Body.List
		case *ast.SelectStmt:
			clauses, hasDefault = s.Body.List, true // one clause always runs
		}
		res := SendCount{Through: NoPath, Returned: NoPath}
		for _, cl := range clauses {
			var body []ast.Stmt
			switch cl := cl.(type) {
			case *ast.CaseClause:
				body = cl.Body
				hasDefault = hasDefault || cl.List == nil
			case *ast.CommClause:
				if cl.Comm != nil && c.SendsIn(cl.Comm) {
					return SendCount{}, false
				}
				body = cl.Body
			}
			n, ok := m.MaxSends(c, body)
			if !ok {
				return SendCount{}, false
			}
			res.Through, res.Returned = maxInt(res.Through, n.Through), maxInt(res.Returned, n.Returned)
		}
		if !hasDefault {
			res.Through = maxInt(res.Through, 0)
		}
		return res, true
	}
	if c.SendsIn(st) {
		return SendCount{}, false // a send in a loop, a nested function, …
	}
	return SendCount{Through: 0, Returned: NoPath}, true
}

// SendsIn reports whether n holds one of the model's sends on c.
func (c *Chan) SendsIn(n ast.Node) bool {
	for _, op := range c.Ops {
		if op.Kind == Send && op.Pos >= n.Pos() && op.Pos < n.End() {
			return true
		}
	}
	return false
}

// isSendOn reports whether st is one of the model's sends on c.
func isSendOn(c *Chan, st ast.Stmt) bool {
	for _, op := range c.Ops {
		if op.Kind == Send && op.Node == st {
			return true
		}
	}
	return false
}
