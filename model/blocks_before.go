package model

import (
	"cmp"
	"go/ast"
	"go/token"
	"slices"
	"strings"
)

// BlocksBefore says what the goroutine g can block on before it reaches
// the send op of its own body: BlocksBeforeSend, for a send written in the
// function literal a go statement starts. Empty when op is not in g's own
// body.
func (m *File) BlocksBefore(g *Goroutine, op *ChanOp) (blocks, opaque string) {
	if g == nil || g.Body == nil || op == nil || op.Func != g.Body {
		return "", ""
	}
	return m.BlocksBeforeSend(op)
}

// BlocksBeforeSend says what the function holding the send op (a
// goroutine's literal, or a function or method a go statement starts) can
// block on before it reaches op: an operation the function's summary
// reports (a receive, send or range that can block, a Lock or RLock, a
// WaitGroup or Cond Wait — Effect.MayBlock), written or called in a
// statement that completes before the send (StmtsBefore) or in the sent
// value, which is evaluated before the send; or one that a function called
// there does on values of its own, which its caller's summary does not
// list (`res <- squareAll(nums)`, squareAll waiting on its local
// WaitGroup: callBlocksInside). When there is none but such a statement
// calls a function golens cannot see into (Summary.Opaque), Opaque is set
// instead: golens cannot tell whether the function reaches the send. Both
// empty: nothing golens sees blocks it before the send. A feature that
// says what a buffer would do for that send, or that the send is where a
// goroutine blocks forever, reads it: a buffer lets the send complete,
// not an earlier wait end, and a goroutine stuck earlier never sends.
//
// Operations of goroutines the function starts, deferred ones and those of
// function literals it only makes do not run before the send and are not
// counted; nor is an earlier send or receive on the same channel, which
// the partner of this send answers as well.
func (m *File) BlocksBeforeSend(op *ChanOp) (blocks, opaque string) {
	if op == nil || op.Func == nil || op.Func.Body == nil {
		return "", ""
	}
	fn := op.Func
	var spans [][2]token.Pos
	for _, st := range m.StmtsBefore(op.Pos) {
		spans = append(spans, [2]token.Pos{st.Pos(), st.End()})
	}
	if send, ok := op.Node.(*ast.SendStmt); ok {
		spans = append(spans, [2]token.Pos{send.Value.Pos(), send.Value.End()})
	}
	in := func(p token.Pos) bool {
		for _, sp := range spans {
			if p >= sp[0] && p < sp[1] {
				return true
			}
		}
		return false
	}
	s := m.SummaryOf(fn)
	if s == nil {
		return "", ""
	}
	// Every kind of wait golens sees before the send, the first of each
	// in source order: a goroutine that locks a mutex and then waits on a
	// Cond nothing signals is stuck in the Wait, and naming only the Lock
	// would point at the wrong line.
	var found []blocker
	for _, e := range s.Effects {
		if e.InGo || e.Deferred || e.Certainty != Proven && !e.onlyHere || !e.MayBlock() {
			continue
		}
		if op.Chan != nil && e.key == op.Chan.Key && (e.Kind == EffSend || e.Kind == EffRecv) {
			// An earlier operation on the same channel (`ch <- a; ch <-
			// b`): what the rule says of the channel's partner covers it.
			continue
		}
		at := e.At
		if !at.IsValid() {
			at = e.Pos
		}
		if !at.IsValid() || !in(at) || m.inNestedLit(fn, at) {
			continue
		}
		if !e.At.IsValid() && m.tickingRecv(fn, e.Pos, op.Pos) {
			continue
		}
		what := blockNouns[e.Kind]
		if !e.At.IsValid() {
			found = append(found, blocker{at, e.Kind, "it " + what + " at " + m.where(e.Pos)})
			continue
		}
		callee := "`" + e.Via + "`"
		if e.Via == "func literal" {
			callee = "the function literal"
		}
		where := m.where(e.Pos)
		if e.In != "" && e.In != "`"+e.Via+"`" {
			where = "in " + e.In + ", " + where
		}
		found = append(found, blocker{at, e.Kind, callee + ", called at line " + itoa(m.Line(e.At)) + ", " + what + " (" + where + ")"})
	}
	for _, cs := range s.calls {
		if cs.fn != fn || cs.inGo || cs.deferred || cs.resolved == nil || !in(cs.call.Pos()) || m.inNestedLit(fn, cs.call.Pos()) {
			continue
		}
		if e := callBlocksInside(cs.resolved, map[*Summary]bool{s: true}); e != nil {
			callee := "`" + cs.callee + "`"
			where := m.where(e.Pos)
			if e.In != "" && e.In != callee {
				where = "in " + e.In + ", " + where
			}
			found = append(found, blocker{cs.call.Pos(), e.Kind, callee + ", called at line " + itoa(m.Line(cs.call.Pos())) + ", " + blockNouns[e.Kind] + " (" + where + ")"})
		}
	}
	if len(found) > 0 {
		return blockersText(found), ""
	}
	for _, oc := range s.Opaque {
		if oc.Deferred || !in(oc.Pos) || m.inNestedLit(fn, oc.Pos) {
			continue
		}
		return "", "`" + oc.Callee + "` (line " + itoa(m.Line(oc.Pos)) + ")"
	}
	return "", ""
}

// blocker is one wait BlocksBeforeSend found: where it runs in the
// function holding the send (the operation, or the call reaching it), its
// kind and its text.
type blocker struct {
	at   token.Pos
	kind EffectKind
	text string
}

// blockersText joins the first blocker of each kind, in source order:
// "it locks a mutex at line 16, sends on a channel at line 17 and waits on
// a sync.Cond at line 19".
func blockersText(found []blocker) string {
	slices.SortStableFunc(found, func(a, b blocker) int { return cmp.Compare(a.at, b.at) })
	seen := map[EffectKind]bool{}
	var parts []string
	for _, b := range found {
		if seen[b.kind] {
			continue
		}
		seen[b.kind] = true
		t := b.text
		if len(parts) > 0 {
			t = strings.TrimPrefix(t, "it ")
		}
		parts = append(parts, t)
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return strings.Join(parts[:len(parts)-1], ", ") + " and " + parts[len(parts)-1]
}

// callBlocksInside is an operation that can block (Effect.MayBlock) which
// a call of callee runs before it returns, in callee or in the functions
// it calls, on any value — its own locals too, which the summaries of its
// callers do not list (a WaitGroup it makes and waits on, a channel of its
// own it ranges over). Operations of goroutines it starts are not counted;
// its deferred ones are (they run before the call returns); one only in a
// function literal handed to another function (Possible, not on a path
// of its own) is not. The first by position; nil when there is none.
// seen guards recursion.
func callBlocksInside(callee *Summary, seen map[*Summary]bool) *Effect {
	return callDoesInside(callee, seen, (*Effect).MayBlock)
}

// callDoesInside is the first operation pick accepts that a call of
// callee runs before it returns, as callBlocksInside counts them.
func callDoesInside(callee *Summary, seen map[*Summary]bool, pick func(*Effect) bool) *Effect {
	if callee == nil || seen[callee] {
		return nil
	}
	seen[callee] = true
	var first *Effect
	for _, e := range callee.Effects {
		if e.InGo || !pick(e) || e.Certainty != Proven && !e.onlyHere {
			continue
		}
		if first == nil || e.Pos < first.Pos {
			first = e
		}
	}
	if first != nil {
		return first
	}
	for _, cs := range callee.calls {
		if cs.fn != callee.Func || cs.inGo {
			continue
		}
		if e := callDoesInside(cs.resolved, seen, pick); e != nil {
			return e
		}
	}
	return nil
}

// inNestedLit reports whether p is inside a function literal (or a go or
// defer statement's call) nested in fn's body: code that does not run
// where it is written.
func (m *File) inNestedLit(fn *Func, p token.Pos) bool {
	nested := false
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		if nested || n == nil || p < n.Pos() || p >= n.End() {
			return false
		}
		switch n.(type) {
		case *ast.FuncLit, *ast.GoStmt, *ast.DeferStmt:
			nested = true
			return false
		}
		return true
	})
	return nested
}

// blockNouns says what an operation that can block waits on, for
// BlocksBefore's text.
var blockNouns = map[EffectKind]string{
	EffSend:     "sends on a channel",
	EffRecv:     "receives from a channel",
	EffRange:    "ranges over a channel",
	EffCtxDone:  "waits for a context's cancellation",
	EffLock:     "locks a mutex",
	EffRLock:    "read-locks a mutex",
	EffWait:     "waits on a WaitGroup",
	EffCondWait: "waits on a sync.Cond",
}

// tickingRecv reports whether the operation at pos, in fn, receives from
// the C of a local Ticker (ChanOp.TimeChan) that fn does not stop before
// limit: a running Ticker sends a tick every period, so that receive
// always returns and is no wait a goroutine can be stuck in (`now :=
// <-t.C; out <- now`). A Stop call not deferred, anywhere before limit,
// makes golens count the receive as a wait again.
func (m *File) tickingRecv(fn *Func, pos, limit token.Pos) bool {
	var recv *ChanOp
	for _, op := range m.ChanOps {
		if op.Pos == pos && op.Func == fn && op.Kind == Recv && op.TimeChan == "Ticker" {
			recv = op
		}
	}
	if recv == nil {
		return false
	}
	ticker := strings.TrimSuffix(recv.ChanExpr, ".C")
	if ticker == recv.ChanExpr {
		return false
	}
	stopped := false
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.DeferStmt:
			return false
		case *ast.CallExpr:
			if sel, ok := n.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Stop" && n.Pos() < limit && ExprText(sel.X) == ticker {
				stopped = true
			}
		}
		return !stopped
	})
	return !stopped
}
