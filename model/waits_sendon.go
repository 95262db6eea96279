package model

import (
	"go/ast"
	"go/token"
)

// A wait found through the summaries (a helper main calls receives, or
// the goroutine sends through a helper it calls) passes the same test as
// a direct one (findWaiter's sendBeforeMore): one receive takes one value,
// so when the goroutine goes on running after the send that hands it
// over, the receive waits for the send, not for the goroutine to finish.

// summarySendRunsOn returns the send behind the goroutine's signal sg
// after which the goroutine goes on running, when the wait e is a single
// receive that takes one value; NoPos when the send is its last act (as
// far as golens sees), or the test does not apply.
func (b *builder) summarySendRunsOn(g *Goroutine, sg goSignal, e *Effect) token.Pos {
	if sg.effect.Kind != EffSend || e.Kind != EffRecv || sg.effect.Deferred {
		return token.NoPos
	}
	// The wait: one receive, in no loop of the waiting function or of
	// the helper it calls (a receive in a loop may take every value, and
	// the close).
	if op := b.chanOpAt(e.Pos); op != nil && (op.Kind != Recv || op.InLoop) {
		return token.NoPos
	}
	if e.At.IsValid() && g.Func != nil && inLoopOf(g.Func.Body, e.At) {
		return token.NoPos
	}
	// The send, in the function it is written in.
	send := sg.effect.Pos
	if op := b.chanOpAt(send); op != nil && op.Func != nil && op.Func.Body != nil && runsOnAfter(op.Func.Body, send) {
		return send
	}
	// The call through which the goroutine sends, in its own body.
	if at := sg.effect.At; at.IsValid() {
		if body := b.goBodyBlock(g); body != nil && runsOnAfter(body, at) {
			return send
		}
	}
	return token.NoPos
}

// chanOpAt is the channel operation of this file at pos, or nil.
func (b *builder) chanOpAt(pos token.Pos) *ChanOp {
	for _, op := range b.m.ChanOps {
		if op.Pos == pos {
			return op
		}
	}
	return nil
}

// goBodyBlock is the body the goroutine runs: its function literal's, or
// that of the summarised function a `go f(...)` statement starts.
func (b *builder) goBodyBlock(g *Goroutine) *ast.BlockStmt {
	if g.Body != nil {
		return g.Body.Body
	}
	if g.Node == nil {
		return nil
	}
	if cs := b.callAtPos(g.Node.Call.Pos()); cs != nil && cs.resolved != nil && cs.resolved.Func != nil {
		return cs.resolved.Func.Body
	}
	return nil
}

// inLoopOf reports whether pos is inside a for or range statement of
// body, not counting function literals.
func inLoopOf(body *ast.BlockStmt, pos token.Pos) bool {
	if body == nil {
		return false
	}
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if found || n == nil || pos < n.Pos() || pos >= n.End() {
			return false
		}
		switch n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ForStmt, *ast.RangeStmt:
			found = true
		}
		return !found
	})
	return found
}

// callStmtAt reports whether st is a statement that runs, now and outside
// any function literal, the call that begins at pos: `reply(ch, v)`, `n
// := collect(ch)`. The path goes on after the statement as after a send.
func callStmtAt(st ast.Stmt, pos token.Pos) bool {
	switch st.(type) {
	case *ast.ExprStmt, *ast.AssignStmt:
	default:
		return false
	}
	found, inLit := false, false
	ast.Inspect(st, func(n ast.Node) bool {
		if found || inLit || n == nil || pos < n.Pos() || pos >= n.End() {
			return false
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			inLit = true
		case *ast.CallExpr:
			found = n.Pos() == pos
		}
		return !found && !inLit
	})
	return found && !inLit
}

// waitsForSendWhy says why the wait e does not wait for the goroutine:
// "await(ch) at line 17 waits for this goroutine's send at line 13, not
// for it to finish: it goes on running after that send".
func (b *builder) waitsForSendWhy(e, send *Effect) string {
	wait := "the receive at line " + itoa(b.m.Line(e.Pos))
	if e.At.IsValid() {
		if cs := b.callAtPos(e.At); cs != nil {
			wait = b.text(cs.call) + " at line " + itoa(b.m.Line(e.At))
		}
	} else if op := b.chanOpAt(e.Pos); op != nil {
		wait = "the receive from `" + op.ChanExpr + "` at line " + itoa(b.m.Line(e.Pos))
	}
	how := "its send at " + b.m.where(send.Pos)
	if send.At.IsValid() && send.Via != "" {
		how += " (in `" + send.Via + "`, which it calls at line " + itoa(b.m.Line(send.At)) + ")"
	}
	return wait + " waits for this goroutine's send, not for it to finish: it goes on running after " + how
}
