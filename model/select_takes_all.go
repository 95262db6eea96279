package model

import (
	"go/ast"
	"slices"
)

// takesEverySend reports whether the select sel receives every value sent
// on its cases' channels, or waits for it forever: the select is a
// statement of a counted loop (`for i := 0; i < 2; i++`, LoopPasses) that
// nothing leaves early, it has no default and only receive cases, nothing
// closes their channels (proven), and the sends on those channels number
// at most (SendsAtMost) the loop's passes in all. Each pass takes one
// value, so a value sent on any of them is taken by some pass — or that
// pass waits for it. A case that loses one pass is then not a wait that
// gives up: the goroutine sending on it is still waited for
// (r19j_select_both, r20a_select_twice: two goroutines, one send each, a
// select run twice).
func (b *builder) takesEverySend(sel *Select) bool {
	if sel == nil || sel.Default != nil || sel.Node == nil || !sel.InLoop || sel.Func == nil || sel.Func.Body == nil {
		return false
	}
	var chans []*Chan
	for _, c := range sel.Cases {
		if c.Default || c.Op == nil || c.Op.Kind != Recv || c.Op.Chan == nil || c.Timeout != "" {
			return false
		}
		if !slices.Contains(chans, c.Op.Chan) {
			chans = append(chans, c.Op.Chan)
		}
	}
	loop := b.loopHolding(sel)
	if loop == nil || !slices.Contains(loop.Body.List, ast.Stmt(sel.Node)) {
		return false
	}
	// Nothing but the loop's condition ends it, and no pass skips the
	// select: no branch statement in the loop outside the select, and none
	// in a case that leaves the loop (a plain break there ends the select
	// only).
	for _, st := range loop.Body.List {
		if st != ast.Stmt(sel.Node) && !noBranch(st) {
			return false
		}
	}
	label := b.m.labelOf(loop)
	for _, c := range sel.Cases {
		for _, st := range caseBody(c) {
			if b.leaves(st, label) {
				return false
			}
		}
	}
	passes, ok := b.m.LoopPasses(loop)
	if !ok {
		return false
	}
	sends := 0
	for _, ch := range chans {
		if cl := ch.Closed(); cl.Certainty != Proven || cl.Holds {
			return false
		}
		n, ok := b.m.SendsAtMost(ch)
		if !ok {
			return false
		}
		sends += n
	}
	return sends <= passes
}

// loopHolding is the innermost for statement of sel's function (not of a
// function literal in it) around sel; nil when that loop is a range.
func (b *builder) loopHolding(sel *Select) *ast.ForStmt {
	var loop ast.Node
	ast.Inspect(sel.Func.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ForStmt, *ast.RangeStmt:
			if n.Pos() < sel.Pos && sel.End <= n.End() {
				loop = n
			}
		}
		return n == nil || n.Pos() <= sel.Pos && sel.End <= n.End()
	})
	fs, _ := loop.(*ast.ForStmt)
	return fs
}
