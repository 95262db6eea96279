package model

import (
	"go/ast"
	"go/token"
)

// LoopsAround is the for and range statements that hold pos, innermost
// first, within fn, the innermost function (declaration or literal) whose
// body holds pos: a loop outside that function is not counted, since a
// function literal may run any number of times per pass of it. A loop
// counts wherever in it pos is, header included. fn is nil when no
// function body holds pos.
//
// It is the one answer to "which loops repeat this operation": the
// timeoutleak check counts passes with it (LoopTrips, LoopPasses of the
// only loop) and asks whether two operations share their innermost loop.
func (m *File) LoopsAround(pos token.Pos) (loops []ast.Stmt, fn *Func) {
	fn = m.funcAt(pos)
	if fn == nil {
		return nil, nil
	}
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		if n == nil || pos < n.Pos() || pos >= n.End() {
			return false
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			return false // pos is in fn's body, not in a literal inside it
		case *ast.ForStmt, *ast.RangeStmt:
			loops = append(loops, n.(ast.Stmt))
		}
		return true
	})
	for i, j := 0, len(loops)-1; i < j; i, j = i+1, j-1 {
		loops[i], loops[j] = loops[j], loops[i]
	}
	return loops, fn
}

// InnermostLoop is the first of LoopsAround(pos), nil when pos is in no
// loop of its function.
func (m *File) InnermostLoop(pos token.Pos) ast.Stmt {
	if loops, _ := m.LoopsAround(pos); len(loops) > 0 {
		return loops[0]
	}
	return nil
}

// OnlyLoop is the one loop of LoopsAround(pos) when there is exactly one
// and pos's function is f; nil otherwise.
func (m *File) OnlyLoop(f *Func, pos token.Pos) ast.Stmt {
	loops, fn := m.LoopsAround(pos)
	if fn != f || len(loops) != 1 {
		return nil
	}
	return loops[0]
}
