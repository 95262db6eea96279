package model

import (
	"go/ast"
	"slices"
)

// A close that runs only once a range over another channel has ended —
// `defer close(out)` in a stage whose body is `for s := range in { ... }`
// — closes its channel only if that range ends, which needs in's close.
// "Closed at line 11" said of it where golens cannot tell whether in is
// ever closed would promise a close the program may never make
// (r21l_range_unclosed_stage: main never closes in).

// AfterOpenRange is, for a close op, the range it waits behind, when the
// model cannot tell whether that range ends; nil otherwise. The close
// waits behind a range over a channel (not its own) that is a statement
// of its function's top-level list, with no break, return or goto out of
// the loop (LoopExit), when the close is deferred by that function (the
// range after the defer) or is a statement of the same list after the
// range. A range the model proves ends, or never ends (other facts say
// that), is not returned.
func (m *File) AfterOpenRange(op *ChanOp) *ChanOp {
	if r := m.behindRange(op); r != nil && m.RangeEnds(r).Certainty == Unknown {
		return r
	}
	return nil
}

// behindRange is the range AfterOpenRange names, whatever the model knows
// of its end: syntax and the loop's exits only, no channel facts, so that
// the summaries may ask it while they are made.
func (m *File) behindRange(op *ChanOp) *ChanOp {
	if op == nil || op.Kind != Close || op.Func == nil {
		return nil
	}
	fn, deferred := op.Func, op.Deferred
	if !deferred && fn.Lit && fn.Deferred && fn.Parent != nil {
		fn, deferred = fn.Parent, true // defer func() { close(out) }()
	}
	if fn.Body == nil {
		return nil
	}
	top := slices.ContainsFunc(fn.Body.List, func(st ast.Stmt) bool { return st.Pos() <= op.Pos && op.Pos < st.End() })
	if !top && !deferred {
		return nil
	}
	for _, r := range m.ChanOps {
		if r.Kind != Range || r.Func != fn || r.Chan == op.Chan || deferred && r.Pos < op.Pos || !deferred && r.Pos > op.Pos {
			continue
		}
		rs, ok := r.Node.(*ast.RangeStmt)
		if !ok || !slices.Contains(fn.Body.List, ast.Stmt(rs)) {
			continue
		}
		if _, exits := m.LoopExit(rs); exits {
			continue
		}
		return r
	}
	return nil
}
