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
