package model

import (
	"go/ast"
	"go/token"
	"slices"
)

// A receive after a wait for a goroutine that sends on a buffered channel
// before it finishes takes a value already queued: `wg.Wait()` then
// `<-out`, where the goroutine ran `out <- v` and then its deferred Done.
// "Waits for a value" said of it, or "waits for value/close", would be
// false: it returns at once (r20n_send_after_close, r21i_hello_wg,
// r21i_close_ok).

// QueuedValue is the send that has queued a value whenever a receive
// runs, and the wait for its goroutine that comes first.
type QueuedValue struct {
	Send *ChanOp
	Go   *Goroutine
	Wait token.Pos // the wait statement, in the receive's function
	By   string    // the wait as GoWait writes it: "wg.Wait()", "<-done"
}

// QueuedBefore is the QueuedValue of op, a receive outside a select, or
// nil. Proven, not guessed:
//   - op's channel is a local variable of op's function, made once with
//     a buffer, and op is the first receive of it (none before op in the
//     file, none in a loop with it, none in code golens cannot see);
//   - a plain statement that runs on every path to op (StmtsBefore) is
//     the wait the model proves waits for a goroutine g (GoWait: no
//     helper between, no way to give up), started in op's function;
//   - g's function sends on the channel as a statement of its top-level
//     list, with no return, exit or jump before it: g cannot finish
//     without having queued that value, and a buffered send that has
//     completed leaves it queued until a receive takes it.
func (m *File) QueuedBefore(op *ChanOp) *QueuedValue {
	if op == nil || op.Kind != Recv || op.Select != nil || op.InLoop || op.Func == nil || !localOnce(op.Chan) {
		return nil
	}
	c := op.Chan
	if n, known := c.Capacity(); !known || n < 1 || m.funcAt(c.Decl) != op.Func {
		return nil
	}
	for _, o := range c.Ops {
		if (o.Kind == Recv || o.Kind == Range) && o != op && (o.Pos < op.Pos || o.Func != op.Func || o.InLoop) {
			return nil
		}
	}
	for _, u := range c.Indirect() {
		if k := u.Effect.Kind; k == EffRecv || k == EffRange || k == EffEscape || k == EffReturn {
			return nil
		}
	}
	var before []ast.Stmt
	for _, g := range m.Goroutines {
		if g.Func != op.Func || g.Pos > op.Pos || g.Node == nil {
			continue
		}
		w := g.Wait()
		if w.By == "" || w.Through != "" || w.GiveUp != "" || !w.Pos.IsValid() || w.Pos > op.Pos || !w.Waited.ProvenTrue() {
			continue
		}
		if before == nil {
			before = m.StmtsBefore(op.Pos)
		}
		if !slices.ContainsFunc(before, func(st ast.Stmt) bool { return plainStmtAt(st, w.Pos) }) {
			continue
		}
		if sends := m.sureSends(g, c); len(sends) > 0 {
			return &QueuedValue{Send: sends[0], Go: g, Wait: w.Pos, By: w.By}
		}
	}
	return nil
}

// sureSends are the sends on c (through its parameter, for a named
// function) that are statements of the top-level list of the function g
// runs, before any statement that returns, jumps, branches or may end the
// goroutine or the program, and with no deferred call before them that
// could recover a panic: every run of g that finishes has made them all,
// in order. QueuedBefore reads the first; the wait search counts them
// (laterPlainRecv).
func (m *File) sureSends(g *Goroutine, c *Chan) []*ChanOp {
	fn, fd := m.goFunc(g)
	if fn == nil || fn.Body == nil {
		return nil
	}
	var args map[*Chan]*Chan
	if fd != nil {
		args = m.chanArgs(g, fd)
	}
	var sends []*ChanOp
	for _, st := range fn.Body.List {
		if op := m.plainSendAt(st, fn); op != nil {
			if x := op.Chan; args == nil && x == c || args != nil && args[x] == c {
				sends = append(sends, op)
			}
			continue
		}
		if d, ok := st.(*ast.DeferStmt); ok {
			if mayRecover(d) {
				break // a panic after it could end the goroutine without the sends that follow
			}
			continue
		}
		if HoldsReturn(st) || !noBranch(st) || m.mayExitIn(st) {
			break
		}
	}
	return sends
}
