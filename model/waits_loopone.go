package model

import (
	"go/ast"
	"go/token"
	"go/types"
)

// A go statement in a loop starts several goroutines; receives after the
// loop take one value each, so they wait for as many goroutines as they
// are, not for each of those the loop starts — unless the loop's passes
// are known and no more than the receives. findWaiter asks this when the
// goroutines' sends run on every path; crossWait, when a send runs only on
// some paths (an error under an if, nil at the end) and the summaries
// match the wait. Either way the model must not claim the receives wait
// for every goroutine when they cannot.

// loopRecvWhy says why the receive op after the loop that starts g (a
// receive of c, not in a loop or a select) does not wait for each
// goroutine of the loop; "" when the receives of c written like it after
// g number at least the loop's passes (the model proves the count). op may
// be a select case (not in a loop): it takes one value at most.
func (b *builder) loopRecvWhy(g *Goroutine, c *Chan, op *ChanOp) string {
	n := 0
	var first *ChanOp
	if op.Select != nil {
		// A select case takes at most one value each time the select
		// runs (not in a loop here): it counts as one receive, beside
		// the plain receives written after it.
		n, first = 1, op
	}
	if c != nil {
		for _, o := range c.Ops {
			if o.Kind == Recv && !o.InLoop && o.Select == nil && o.Func == op.Func && o.InGo == op.InGo && o.Pos > g.End {
				n++
				if first == nil || o.Pos < first.Pos {
					first = o
				}
			}
		}
	}
	if n <= 1 || first == nil {
		return "it is started in a loop, and the receive from `" + op.ChanExpr + "` at line " + itoa(b.m.Line(op.Pos)) + " takes one value: the receive waits for one of these goroutines, not for each"
	}
	if loop := b.loopAround(g); loop != nil {
		if passes, ok := b.m.LoopPasses(loop); ok && passes <= n {
			return ""
		}
	}
	return "it is started in a loop, and the " + itoa(n) + " receives from `" + op.ChanExpr + "` from line " + itoa(b.m.Line(first.Pos)) + " on take " + itoa(n) + " values: golens cannot tell whether the loop starts more goroutines than that"
}

// loopAround is the innermost for or range statement of g's function
// around the go statement, or nil.
func (b *builder) loopAround(g *Goroutine) ast.Stmt {
	if g.Node == nil {
		return nil
	}
	return b.loopAroundPos(g.Node.Pos(), g.Node.End())
}

// loopAroundPos is the innermost for or range statement around the span
// [from, to) in its own function, nil when none.
func (b *builder) loopAroundPos(from, to token.Pos) ast.Stmt {
	path, _ := EnclosingPath(b.m.AST, from, to)
	for _, n := range path {
		switch n := n.(type) {
		case *ast.ForStmt:
			return n
		case *ast.RangeStmt:
			return n
		case *ast.FuncLit, *ast.FuncDecl:
			return nil
		}
	}
	return nil
}

// oneOfLoopWhy is loopRecvWhy for the wait crossWait matched: e, a
// receive written in g's starting function.
func (b *builder) oneOfLoopWhy(g *Goroutine, e *Effect) string {
	if !g.InLoop || e.Kind != EffRecv || e.At.IsValid() {
		return ""
	}
	for _, op := range b.m.ChanOps {
		if op.Pos != e.Pos {
			continue
		}
		if op.Kind == Recv && !op.InLoop {
			return b.loopRecvWhy(g, op.Chan, op)
		}
		return ""
	}
	return ""
}

// recvLoopLeavesWhy says why a receive in a loop, after the loop of go
// statements that starts g, does not wait for each goroutine: the
// receiving loop can be left early (a return on the first error, a break)
// and then takes fewer values than there are goroutines; the goroutines
// whose values it did not take are not waited for (unbuffered, they stay
// blocked on their send forever: the timeoutleak check's firstReturn).
// "" when no return, break, continue or goto leaves that loop, or when
// that loop also starts the goroutines.
func (b *builder) recvLoopLeavesWhy(g *Goroutine, op *ChanOp) string {
	loop := b.m.InnermostLoop(op.Pos)
	if loop == nil || loop.Pos() <= g.Pos && g.Pos < loop.End() {
		// The loop that receives starts them too: each pass takes the
		// value of a goroutine it started.
		return ""
	}
	for _, e := range b.m.LoopExits(loop) {
		switch e.What {
		case "return", "break", "continue", "goto":
			return "it is started in a loop, and the loop at line " + itoa(b.m.Line(loop.Pos())) + " that receives from `" + op.ChanExpr + "` can leave at line " + itoa(b.m.Line(e.Pos)) + " (" + e.What + ") before its last pass: the goroutines whose values it has not taken by then are not waited for"
		}
	}
	return ""
}

// recvLoopShortWhy says why a receive in a counted loop, after the
// counted loop of go statements that starts g, does not wait for each
// goroutine: the loops' passes are known, the go statement runs on every
// pass (a statement of the loop's body), and the receiving loop takes
// fewer values than the loop starts goroutines, at most one per receive
// of c written in it per pass. "" when that is not proven.
func (b *builder) recvLoopShortWhy(g *Goroutine, c *Chan, op *ChanOp) string {
	goLoop := b.loopAround(g)
	recvLoop := b.m.InnermostLoop(op.Pos)
	if goLoop == nil || recvLoop == nil || g.Node == nil || recvLoop.Pos() <= g.Pos && g.Pos < recvLoop.End() {
		return ""
	}
	if body := LoopBody(goLoop); body == nil || !slicesContainsStmt(body.List, g.Node) {
		return ""
	}
	if loops, _ := b.m.LoopsAround(op.Pos); len(loops) != 1 {
		return "" // an outer loop repeats the receiving loop
	}
	started, ok1 := b.m.LoopPasses(goLoop)
	passes, ok2 := b.m.LoopPasses(recvLoop)
	if !ok1 || c == nil {
		return ""
	}
	perPass := 0
	for _, o := range c.Ops {
		if (o.Kind == Recv || o.Kind == Range) && recvLoop.Pos() <= o.Pos && o.Pos < recvLoop.End() {
			if o.Kind == Range {
				return ""
			}
			perPass++
		}
	}
	if !ok2 {
		// The goroutines are counted, the receiving loop's passes are
		// not (`for i := 0; i < n; i++` with n a value the model does
		// not know): it takes a counted number of values, which may be
		// fewer than the goroutines started (truth/
		// r17a_trysend_lost_reply: n is what Stop reports handled).
		f, ok := recvLoop.(*ast.ForStmt)
		if !ok || f.Cond == nil {
			return ""
		}
		values := "one value"
		if perPass > 1 {
			values = itoa(perPass) + " values"
		}
		return "the loop at line " + itoa(b.m.Line(goLoop.Pos())) + " starts " + itoa(started) + " of these goroutines, and the loop at line " + itoa(b.m.Line(recvLoop.Pos())) + " takes " + values + " from `" + op.ChanExpr + "` per pass while `" + types.ExprString(f.Cond) + "` holds, a number of passes golens does not know: it may take fewer values than there are goroutines"
	}
	if taken := passes * perPass; taken < started {
		return "the loop at line " + itoa(b.m.Line(goLoop.Pos())) + " starts " + itoa(started) + " of these goroutines, and the loop at line " + itoa(b.m.Line(recvLoop.Pos())) + " receives at most " + itoa(taken) + " values from `" + op.ChanExpr + "`: the goroutines whose values it does not take are not waited for"
	}
	return ""
}

// slicesContainsStmt reports whether s is one of list.
func slicesContainsStmt(list []ast.Stmt, s ast.Stmt) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// onlyRecvAfter reports whether op is the only receive or range of c
// after g's go statement in the starting function (as findWaiter looks at
// them): when the case op loses, nothing there takes another value.
func (b *builder) onlyRecvAfter(g *Goroutine, c *Chan, op *ChanOp, parent *Func, home *Goroutine) bool {
	for _, o := range c.Ops {
		if o == op || o.Kind != Recv && o.Kind != Range || o.Pos <= g.End {
			continue
		}
		if within(o.Pos, parent) {
			return false
		}
	}
	return true
}
