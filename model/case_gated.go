package model

import (
	"go/ast"
	"go/token"
	"slices"
)

// A select case can win only once its channel is ready. Programs that
// must not depend on timing hold a sender back on a gate, `<-gate2` before
// `out <- v`, and open the gate with `close(gate2)` later: when that close
// comes only after the select, the case is never ready while the select
// runs. It then cannot beat the case beside it, and a goroutine whose
// value it would take is not waited for by it (r21a_select_leak).

// GatedCase is why a receive case's channel is never ready while its
// select runs.
type GatedCase struct {
	// Drained, when set, are the plain receives before the select that
	// take every value ever sent on the case's channel (drainedBefore);
	// the other fields are then unset.
	Drained []*ChanOp
	// Send is a send on the case's channel, Gate the receive before it
	// that holds it back, and GateClose the first close of the gate's
	// channel, after the select.
	Send, Gate *ChanOp
	GateClose  token.Pos
	// GateChan is the gate's channel in the select's function (Gate may
	// name it by a parameter).
	GateChan *Chan
}

// CaseNeverReady is the GatedCase of op, a receive case of a select, or
// nil. Proven, not guessed:
//   - the select runs once (in no loop), and op's channel is a local
//     variable of the select's function, made once, never closed;
//   - every send on it is in a goroutine literal, or in a function of the
//     file a go statement of that function calls with the channel as an
//     argument, and nothing else golens cannot see uses it;
//   - before each send, on every path of its function, a plain `<-gate`
//     statement receives from a local channel of the select's function,
//     made once, that nothing sends on and that only receives use beside
//     its closes, which are all statements of that function after the
//     select (none deferred).
func (m *File) CaseNeverReady(op *ChanOp) *GatedCase {
	if op == nil || op.Kind != Recv || op.Select == nil || op.Select.Select == nil {
		return nil
	}
	sel := op.Select.Select
	x := op.Chan
	if sel.InLoop || sel.Func == nil || !localOnce(x) || m.funcAt(x.Decl) != sel.Func || len(x.Closes()) > 0 {
		return nil
	}
	if d := m.drainedBefore(op, sel); d != nil {
		return d
	}
	var found *GatedCase
	gated := func(send *ChanOp, bind map[*Chan]*Chan) bool {
		before := m.StmtsBefore(send.Pos)
		for _, r := range m.ChanOps {
			if r.Kind != Recv || r.Select != nil || r.Func != send.Func || r.Pos >= send.Pos || r.Chan == nil {
				continue
			}
			g := r.Chan
			if bind != nil {
				g = bind[g]
			}
			if g == nil || !slices.ContainsFunc(before, func(st ast.Stmt) bool { return plainStmtAt(st, r.Pos) }) {
				continue
			}
			if cl := m.closedOnlyAfter(g, sel); cl.IsValid() {
				if found == nil {
					found = &GatedCase{Send: send, Gate: r, GateClose: cl, GateChan: g}
				}
				return true
			}
		}
		return false
	}
	sends := 0
	for _, s := range x.Ops {
		if s.Kind == Send {
			if s.InGo == nil || !gated(s, nil) {
				return nil
			}
			sends++
		}
	}
	for _, u := range x.Indirect() {
		switch u.Effect.Kind {
		case EffRecv, EffRange:
			continue
		case EffSend:
		default:
			return nil
		}
		g := m.goAt(u.Effect.At)
		if g == nil || g.Func != sel.Func {
			return nil
		}
		fn, fd := m.goFunc(g)
		if fd == nil {
			return nil
		}
		bind := m.chanArgs(g, fd)
		var send *ChanOp
		for _, s := range m.ChanOps {
			if s.Kind == Send && s.Pos == u.Effect.Pos && s.Func == fn && bind[s.Chan] == x {
				send = s
			}
		}
		if send == nil || send.Select != nil || !gated(send, bind) {
			return nil
		}
		sends++
	}
	if sends == 0 {
		return nil // never sent on: another fact says so
	}
	return found
}

// closedOnlyAfter is the first close of g when g is a local channel of
// sel's function, made once, that nothing sends on and that only
// receives use beside its closes, which are all plain statements of that
// function after sel; NoPos otherwise.
func (m *File) closedOnlyAfter(g *Chan, sel *Select) token.Pos {
	if !localOnce(g) || m.funcAt(g.Decl) != sel.Func || !g.NeverSent() {
		return token.NoPos
	}
	first := token.NoPos
	for _, o := range g.Ops {
		switch o.Kind {
		case Close:
			if o.Deferred || o.Func != sel.Func || o.Pos < sel.End {
				return token.NoPos
			}
			if !first.IsValid() || o.Pos < first {
				first = o.Pos
			}
		case Send:
			return token.NoPos
		}
	}
	for _, u := range g.Indirect() {
		if u.Effect.Kind != EffRecv {
			return token.NoPos
		}
	}
	return first
}

// gatedCaseWhy says why the case op, which gc holds back, does not wait
// for a goroutine that sends on its channel.
func (b *builder) gatedCaseWhy(op *ChanOp, gc *GatedCase) string {
	m := b.m
	if len(gc.Drained) > 0 {
		return "the case <-" + op.ChanExpr + " at line " + itoa(m.Line(op.Pos)) + " is never ready: every value sent on `" + op.ChanExpr + "` is taken before the select, by " + receivesAt(m, gc.Drained)
	}
	return "the case <-" + op.ChanExpr + " at line " + itoa(m.Line(op.Pos)) + " is never ready while its select runs: the send on `" + op.ChanExpr + "` (" + m.where(gc.Send.Pos) + ") comes after <-" + gc.Gate.ChanExpr + " (" + m.where(gc.Gate.Pos) + "), and `" + gc.GateChan.Name + "` is closed only after the select, at line " + itoa(m.Line(gc.GateClose))
}

// drainedBefore is the GatedCase of op, a receive case of sel, when every
// value its channel x can ever carry is taken before sel runs: x is a
// local channel of sel's function, made once, never closed, used by
// nothing golens cannot see; every send on x is written straight in the
// literal of a goroutine started once (in no loop, by sel's function),
// in no loop of it; and at least as many receives of x are plain
// statements that run on every path to sel. Each of those receives
// returns a value (x is never closed), so when sel runs no send is left
// to make the case ready (r21n_select_loser: `msg1 := <-ch1` took ch1's
// only value before `select { case <-ch1: … case <-ch2: … }`).
func (m *File) drainedBefore(op *ChanOp, sel *Select) *GatedCase {
	x := op.Chan
	if len(x.Indirect()) > 0 {
		return nil
	}
	before := m.StmtsBefore(sel.Pos)
	sends := 0
	var drained []*ChanOp
	for _, o := range x.Ops {
		switch o.Kind {
		case Send:
			g := o.InGo
			if g == nil || g.Body == nil || o.Func != g.Body || o.InLoop || g.InLoop || g.Func != sel.Func {
				return nil
			}
			sends++
		case Recv:
			if o == op {
				continue
			}
			if o.Func == sel.Func && o.Select == nil && o.Pos < sel.Pos && slices.ContainsFunc(before, func(st ast.Stmt) bool {
				return plainStmtAt(st, o.Pos) && recvStmtExpr(st) != nil && recvStmtExpr(st).OpPos == o.Pos
			}) {
				drained = append(drained, o)
			}
		default:
			return nil
		}
	}
	if sends == 0 || len(drained) < sends {
		return nil
	}
	return &GatedCase{Drained: drained}
}

// receivesAt is "the receive at line 15" or "the receives at lines 15
// and 16".
func receivesAt(m *File, recvs []*ChanOp) string {
	if len(recvs) == 1 {
		return "the receive at line " + itoa(m.Line(recvs[0].Pos))
	}
	return "the receives at " + closeLineList(m, recvs)
}
