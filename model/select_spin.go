package model

import (
	"go/ast"
	"go/token"
)

// MaySpin reports whether a select with a default, in a loop, can make
// that loop spin: the innermost loop around it is one with no end of its
// own — `for {` or `for cond {` — so while no case is ready, every pass
// runs default and comes straight back. A range loop (over a slice, a map,
// an integer, a channel) or a three-clause loop with a condition makes a
// bounded number of passes: `for i := range 5 { select { case ch <- i:
// default: } }` tries five times and moves on; it does not spin.
func (s *Select) MaySpin(m *File) bool {
	loop := s.endlessLoop(m)
	return loop != nil && !m.waitsElsewhereIn(loop.Body, s)
}

// WaitsElsewhereInLoop reports whether the select is in a loop with no
// end of its own (as MaySpin) whose body can wait outside the select
// (waitsElsewhereIn): a pass that runs default goes on to that wait, so
// the loop does not spin on the select alone.
func (s *Select) WaitsElsewhereInLoop(m *File) bool {
	loop := s.endlessLoop(m)
	return loop != nil && m.waitsElsewhereIn(loop.Body, s)
}

// endlessLoop is the innermost loop around the select, in its function,
// when it is `for {` or `for cond {`; nil otherwise.
func (s *Select) endlessLoop(m *File) *ast.ForStmt {
	if !s.InLoop || s.Node == nil || m == nil || m.AST == nil {
		return nil
	}
	path, _ := EnclosingPath(m.AST, s.Node.Pos(), s.Node.Pos())
	for _, n := range path {
		switch n := n.(type) {
		case *ast.FuncLit, *ast.FuncDecl:
			return nil
		case *ast.RangeStmt:
			return nil
		case *ast.ForStmt:
			if n.Cond == nil || n.Post == nil {
				return n
			}
			return nil
		}
	}
	return nil
}

// waitsElsewhereIn reports whether the loop body holds, outside the select
// s, an operation that can wait: a channel operation, another select
// without a default, time.Sleep, a Lock or a WaitGroup Wait. Then a pass
// that runs s's default can still wait there (`select { case <-hi: ...;
// default: }` followed by a blocking select over every channel is the
// priority idiom, not a spin), and MaySpin says nothing. It scans the
// file's operations, on demand (a hover asks, one select at a time).
func (m *File) waitsElsewhereIn(body *ast.BlockStmt, s *Select) bool {
	if body == nil {
		return false
	}
	elsewhere := func(p token.Pos) bool {
		return p >= body.Pos() && p < body.End() && !(p >= s.Node.Pos() && p < s.Node.End())
	}
	for _, op := range m.ChanOps {
		if op.Kind != Close && elsewhere(op.Pos) {
			return true
		}
	}
	for _, o := range m.Selects {
		if o != s && o.Default == nil && o.Node != nil && elsewhere(o.Node.Pos()) {
			return true
		}
	}
	for _, t := range m.TimeCalls {
		if t.Name == "Sleep" && elsewhere(t.Pos) {
			return true
		}
	}
	for _, l := range m.Locks {
		if (l.Kind == Lock || l.Kind == RLock) && elsewhere(l.Pos) {
			return true
		}
	}
	for _, w := range m.WaitGroups {
		if w.Kind == WGWait && elsewhere(w.Pos) {
			return true
		}
	}
	return false
}
