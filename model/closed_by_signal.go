package model

import (
	"go/ast"
	"go/token"
	"slices"
)

// SignalledClose is a close of a channel that has run whenever an
// operation on it runs, because the operation's function first receives
// from a signal channel that only a close ends, and every close of that
// signal comes after a close of the channel: a producer that runs
// `close(results); close(firstDone)`, and a goroutine that runs
// `<-firstDone; results <- 4`, which panics (send on closed channel,
// r19j_send_after_close).
type SignalledClose struct {
	// Closed is the close of the channel (ByRange false), or a range over
	// it that only its close ends (ByRange true: main's `for v := range
	// ch` before `close(first)`, r20a_send_after_close), which runs before
	// every close of the signal.
	Closed  token.Pos
	ByRange bool
	// Signal is the signal channel as the receive writes it ("firstDone"),
	// Recv that receive, and SignalClose the close of it (the first, when
	// there are several).
	Signal      string
	Recv        token.Pos
	SignalClose token.Pos
}

// ClosedBySignal is, for a send outside a select, the SignalledClose of
// its channel, or nil. Every step is proven by syntax and the model's
// facts, not guessed:
//   - the channel and the signal are local variables of one function,
//     each made once and never assigned, so every use names the same pair
//     of channels;
//   - a plain `<-signal` statement runs on every path to the send, in the
//     send's own function (StmtsBefore);
//   - nothing sends on the signal and nothing golens cannot see uses it
//     (Chan.NeverSent, no indirect use), so that receive returns only
//     after a close of the signal;
//   - before each close of the signal (none deferred), on every path of
//     its function, a statement closes the channel, or ranges over it with
//     no way out of the loop but the channel's close.
func (m *File) ClosedBySignal(op *ChanOp) *SignalledClose {
	if op == nil || op.Kind != Send || op.Select != nil || op.Func == nil || !localOnce(op.Chan) {
		return nil
	}
	c := op.Chan
	// Only a close of c, or a range over it, can have closed it first
	// (closedBefore): most sends' channels have neither before a signal,
	// and the hints ask this of every send, so skip the scan of the file's
	// receives then.
	if !slices.ContainsFunc(c.Ops, func(o *ChanOp) bool { return o.Kind == Close || o.Kind == Range }) {
		return nil
	}
	home := m.funcAt(c.Decl)
	var before []ast.Stmt
	for _, r := range m.ChanOps {
		if r.Kind != Recv || r.Select != nil || r.Func != op.Func || r.Pos >= op.Pos || r.Chan == nil || r.Chan == c {
			continue
		}
		x := r.Chan
		if !localOnce(x) || m.funcAt(x.Decl) != home || !x.NeverSent() || len(x.Indirect()) > 0 {
			continue
		}
		if before == nil {
			before = m.StmtsBefore(op.Pos)
		}
		if !slices.ContainsFunc(before, func(st ast.Stmt) bool { return plainStmtAt(st, r.Pos) }) {
			continue
		}
		closes := x.Closes()
		if len(closes) == 0 {
			continue
		}
		var first token.Pos
		byRange := false
		all := true
		for _, xc := range closes {
			at, rng := m.closedBefore(c, xc)
			if xc.Deferred || !at.IsValid() {
				all = false
				break
			}
			if !first.IsValid() {
				first, byRange = at, rng
			}
		}
		if all {
			return &SignalledClose{Closed: first, ByRange: byRange, Signal: r.ChanExpr, Recv: r.Pos, SignalClose: closes[0].Pos}
		}
	}
	return nil
}

// localOnce reports whether c is a local variable made once and never
// assigned or set to nil: every use of it names the channel of that make.
func localOnce(c *Chan) bool {
	return c != nil && c.Local && !c.IsParam && !c.IsField && c.Decl.IsValid() &&
		len(c.Makes) == 1 && len(c.Assigned) == 0 && len(c.NilSets) == 0
}

// closedBefore is a statement that has closed c whenever the operation at
// is runs: `close(c)` (not deferred), or a `for range c` loop with no way
// out but c's close (File.LoopExit finds none), among the statements that
// run on every path to it (StmtsBefore). rng is set for the range. NoPos
// when there is none.
func (m *File) closedBefore(c *Chan, at *ChanOp) (pos token.Pos, rng bool) {
	before := m.StmtsBefore(at.Pos)
	for _, o := range c.Ops {
		switch o.Kind {
		case Close:
			if !o.Deferred && o.Func == at.Func && slices.ContainsFunc(before, func(st ast.Stmt) bool { return plainStmtAt(st, o.Pos) }) {
				return o.Pos, false
			}
		case Range:
			rs, ok := o.Node.(*ast.RangeStmt)
			if !ok || o.Func != at.Func || !slices.Contains(before, ast.Stmt(rs)) {
				continue
			}
			if _, exits := m.LoopExit(rs); !exits {
				return o.Pos, true
			}
		}
	}
	return token.NoPos, false
}

// signalledCloseWaitWhy says why wait, a receive or range on the channel
// of send, does not wait for the goroutine whose only signal on it is
// send, which sc proves panics.
func (b *builder) signalledCloseWaitWhy(send *ChanOp, sc *SignalledClose, wait *ChanOp) string {
	m := b.m
	closed := "`" + send.ChanExpr + "` is closed before that (line " + itoa(m.Line(sc.Closed)) + ")"
	if sc.ByRange {
		closed = "the range over `" + send.ChanExpr + "` at line " + itoa(m.Line(sc.Closed)) + ", which only its close ends, has ended before that"
	}
	return "its send on `" + send.ChanExpr + "` at line " + itoa(m.Line(send.Pos)) + " runs after <-" + sc.Signal + " at line " + itoa(m.Line(sc.Recv)) +
		", which returns only once `" + sc.Signal + "` is closed (line " + itoa(m.Line(sc.SignalClose)) + "), and " + closed +
		": the send panics (send on closed channel), so " + recvText(wait) + " at line " + itoa(m.Line(wait.Pos)) + " does not wait for it"
}
