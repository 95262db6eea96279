package model

import "go/ast"

// A select case that waits for a goroutine can lose to another case and
// leave the select; the function may still receive from the same channel
// after the select (a hedged request: after the timer case, `return <-out`
// takes the first reply). Then something still waits for the goroutine,
// unless another goroutine of the function sends on that channel too and
// its value is the one that receive takes.

// waitAfterSelect records in g what waits once the select case op, which
// can lose, has lost: a receive from c that the function reaches after
// the select on every way another case leaves it.
func (b *builder) waitAfterSelect(g *Goroutine, c *Chan, op *ChanOp, parent *Func, home *Goroutine, idx *goIndex) {
	after := b.recvAfterSelect(op, c)
	if after == nil || !within(after.Pos, parent) || after.InGo != home || !b.runsInParent(after.Func, parent) {
		return
	}
	recv := "`<-" + after.ChanExpr + "` at line " + itoa(b.m.Line(after.Pos))
	var others []*Goroutine
	for _, g2 := range b.m.Goroutines {
		if g2 != g && g2.Func == g.Func && b.goDoes(g2, c, Send, idx) {
			others = append(others, g2)
		}
	}
	switch {
	case len(others) == 1:
		g.waitThen = recv + " takes one value, which may be the one the goroutine started at line " + itoa(b.m.Line(others[0].Pos)) + " sends: then nothing waits for this one"
	case len(others) > 1:
		g.waitThen = recv + " takes one value, which may be one of the " + itoa(len(others)) + " other goroutines' sends: then nothing waits for this one"
	case len(b.afterFuncSenders(c, parent, home)) > 0:
		g.waitThen = recv + " takes one value, which may be the one a time.AfterFunc callback sends: then nothing waits for this one"
	default:
		g.waitThen, g.waitThenWaits = recv+" waits for it", true
	}
}

// recvAfterSelect returns a receive from c, outside loops and selects and
// in the select's own function, in a simple statement (an assignment, a
// return, an expression; go and defer statements may stand between) that follows the select in the statement list
// that holds it, when no statement between them and no body of the
// select's other cases can leave the function: every way another case
// leaves the select reaches it. nil when there is none.
func (b *builder) recvAfterSelect(op *ChanOp, c *Chan) *ChanOp {
	sel := op.Select.Select
	if sel.InLoop || sel.Node == nil || sel.Func == nil || sel.Func.Body == nil {
		return nil
	}
	for _, cs := range sel.Cases {
		if cs == op.Select {
			continue
		}
		for _, st := range caseBody(cs) {
			if b.leaves(st, "") {
				return nil
			}
		}
	}
	var list []ast.Stmt
	at := -1
	ast.Inspect(sel.Func.Body, func(n ast.Node) bool {
		if at >= 0 {
			return false
		}
		if _, ok := n.(*ast.FuncLit); ok {
			return false
		}
		for i, st := range stmtList(n) {
			if st == ast.Stmt(sel.Node) {
				list, at = stmtList(n), i
			}
		}
		return true
	})
	if at < 0 {
		return nil
	}
	for _, st := range list[at+1:] {
		switch st.(type) {
		case *ast.ExprStmt, *ast.AssignStmt, *ast.ReturnStmt, *ast.DeclStmt, *ast.SendStmt, *ast.IncDecStmt, *ast.GoStmt, *ast.DeferStmt, *ast.EmptyStmt:
		default:
			return nil // a compound statement: the receive in it may not run
		}
		for _, o := range c.Ops {
			if o.Kind == Recv && o.Select == nil && !o.InLoop && o.Func == sel.Func && o.Pos >= st.Pos() && o.Pos < st.End() {
				return o
			}
		}
		if b.leaves(st, "") {
			return nil
		}
	}
	return nil
}

// pollsOnce reports whether the receive op is a case of a select with a
// default that is not a wait: the select takes default at once when no
// value is ready, so the function does not wait on op at all (`select {
// case <-connected: ...; default: ... }` in a counted loop: every pass may
// take default). It is a wait only when the select is in an endless loop
// that nothing but this case (or another case on a channel the goroutine
// signals, signalled) leaves: then the function polls until op proceeds.
func (b *builder) pollsOnce(op *ChanOp, signalled []*Chan) bool {
	if op.Select == nil || op.Select.Select == nil || op.Select.Select.Default == nil {
		return false
	}
	sel := op.Select.Select
	return !sel.InLoop || !b.loopsUntil(sel, op.Select, signalled)
}

// waitGroupThen is what golens knows of the waits after g's wait gives up
// when g itself counts down a WaitGroup that is waited elsewhere (a
// handler's goroutine with defer workers.Done(), which main waits with
// workers.Wait()): "nothing waits for it" would be false, and whether that
// Wait waits for this goroutine depends on the order of its Add and the
// Wait, which golens does not decide here. "" when g calls no Done, or
// its WaitGroup has no Wait outside g.
func (b *builder) waitGroupThen(g *Goroutine) string {
	for _, d := range b.m.WaitGroups {
		if d.Kind != WGDone || d.InGo != g {
			continue
		}
		for _, w := range b.m.WaitGroups {
			if w.Kind != WGWait || w.Key != d.Key || w.InGo == g {
				continue
			}
			return "golens does not say whether anything else waits for it: it calls `" + b.text(d.Call) + "` (line " + itoa(b.m.Line(d.Pos)) + "), and `" + b.text(w.Call) + "` is called at line " + itoa(b.m.Line(w.Pos))
		}
	}
	return ""
}
