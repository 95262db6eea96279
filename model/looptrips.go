package model

import "go/ast"

// LoopTrips is how many passes the for or range statement s makes at most,
// when the model proves it: `for i := A; i < B; i++` (also <=, and i--
// with > or >=) with A and B integer constants and i changed nowhere else,
// or `for range N` with N an integer constant, the body holding no break,
// continue or goto (a return or panic only makes fewer passes). It is the
// count the path analyses use for a loop holding a defer (tripCount,
// loops_flow.go); on the syntax tier A, B and N must be integer literals.
func (m *File) LoopTrips(s ast.Stmt) (int, bool) {
	fb := &flowBuilder{m: m}
	if m.derived != nil {
		fb.b = m.derived.b
	}
	return fb.tripCount(s)
}

// LoopPasses is how many passes the for or range statement s makes on a
// run that finishes it (no panic or exit call leaves it first): the
// LoopTrips count when the body also holds no return, so the count is
// exact rather than at most; or, for a range over a composite literal
// with no keyed elements (`for _, x := range []int{1, 2, 3}`), the number
// of elements, under the same rule for the body. The timeoutleak check
// counts the goroutines a loop starts with it.
func (m *File) LoopPasses(s ast.Stmt) (int, bool) {
	var body *ast.BlockStmt
	switch s := s.(type) {
	case *ast.ForStmt:
		body = s.Body
	case *ast.RangeStmt:
		body = s.Body
	default:
		return 0, false
	}
	if HoldsReturn(body) {
		return 0, false
	}
	if rs, ok := s.(*ast.RangeStmt); ok {
		if cl, ok := ast.Unparen(rs.X).(*ast.CompositeLit); ok {
			for _, e := range cl.Elts {
				if _, keyed := e.(*ast.KeyValueExpr); keyed {
					return 0, false
				}
			}
			if !noBranch(body) {
				return 0, false
			}
			return len(cl.Elts), true
		}
	}
	return m.LoopTrips(s)
}
