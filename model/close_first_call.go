package model

import (
	"go/ast"
	"go/token"
)

// A close that a call has already made: `produce(out); close(out)`, or
// `go produce(out, &wg); wg.Wait(); close(out)` where produce closes out
// before its deferred wg.Done. The second close panics (close of closed
// channel), so its hover must not describe a close that works. The model
// claims it only where it proves the order: the callee closes the channel
// on every path (a proven effect), the call (or the wait for the goroutine
// the go statement starts) comes before the close in one statement list of
// the closing function, and the variable holds one channel throughout.

// CloseFirst is a close made through a call before a close of the same
// channel runs, on every path into it.
type CloseFirst struct {
	// Use is the close through the call: Effect.At the call, Effect.Pos
	// the close in the callee, Effect.In the callee's name.
	Use ChanUse
	// WaitBy and WaitPos: the call is a go statement's, and this wait of
	// the closing function ("wg.Wait()") returns only after the goroutine
	// has closed the channel. "" for a plain call.
	WaitBy  string
	WaitPos token.Pos
}

// ClosedFirstByCall is the close through a call that runs before the
// close cl on every path into cl (see CloseFirst), or nil.
func (m *File) ClosedFirstByCall(cl *ChanOp) *CloseFirst {
	if cl == nil || cl.Kind != Close || cl.Chan == nil || cl.Func == nil || cl.Func.Body == nil || cl.Func.Lit {
		return nil
	}
	c := cl.Chan
	if !c.Local || c.IsField || len(c.Assigned) > 0 || len(c.NilSets) > 0 || len(c.Makes) > 1 || cl.ChanExpr != c.Name {
		return nil // the variable may hold another channel by then
	}
	if m.derived == nil || m.derived.b == nil {
		return nil
	}
	m.derived.ensure()
	b := m.derived.b
	for _, u := range c.Indirect() {
		e := u.Effect
		if e.Kind != EffClose || e.Certainty != Proven || e.byCover || u.Holder != cl.Func || !e.At.IsValid() || e.Deferred || e.Pos == cl.Pos {
			continue
		}
		if !e.InGo {
			// A plain call: the callee has closed the channel when it
			// returns.
			if plainBefore(cl.Func.Body, e.At, cl.Pos) {
				return &CloseFirst{Use: u}
			}
			continue
		}
		if !e.ViaGo {
			continue // a goroutine the callee starts closes it: no order
		}
		for _, g := range m.Goroutines {
			if g.Node == nil || g.Node.Call.Pos() != e.At || g.Func != cl.Func || g.Body != nil || g.InLoop {
				continue
			}
			if by, at, ok := b.closedBeforeWait(g, c, e); ok && plainBefore(cl.Func.Body, at, cl.Pos) {
				return &CloseFirst{Use: u, WaitBy: by, WaitPos: at}
			}
		}
	}
	return nil
}

// closedBeforeWait reports the wait of g's starting function that returns
// only once g has closed c: a wg.Wait() that g's function is proven to
// signal by a deferred Done (Goroutine.Wait, with no way to give up), with
// every Done of that WaitGroup in g run after the close e — deferred
// before a deferred close (deferred calls run last in, first out) or
// deferred while the close is a statement of the body on every path.
func (b *builder) closedBeforeWait(g *Goroutine, c *Chan, e *Effect) (string, token.Pos, bool) {
	w := g.Wait()
	if w.By == "" || !w.Pos.IsValid() || w.GiveUp != "" || w.Through != "" || w.End != nil || !w.Waited.ProvenTrue() {
		return "", token.NoPos, false
	}
	var wait *WaitGroupOp
	for _, op := range b.m.WaitGroups {
		if op.Kind == WGWait && op.Pos == w.Pos && op.Func == g.Func && op.InGo == nil && !op.Deferred {
			wait = op
		}
	}
	if wait == nil {
		return "", token.NoPos, false
	}
	body := b.goBodyBlock(g)
	if body == nil && b.m.pkg != nil && b.m.Info != nil {
		// A function of another file of the package (its summary,
		// from the package's lookup, carries no syntax).
		if fd := b.m.pkg.FuncDecl(StaticCallee(b.m.Info, g.Node.Call)); fd != nil {
			body = fd.Body
		}
	}
	if body == nil {
		return "", token.NoPos, false
	}
	sigs, _ := b.goSignals(g)
	var closeSig *Effect
	for _, sg := range sigs {
		if sg.effect.Kind == EffClose && sg.effect.Pos == e.Pos && (sg.key == c.Key || b.aliased(sg.key, c.Key)) {
			closeSig = sg.effect
		}
	}
	if closeSig == nil || closeSig.Certainty != Proven || closeSig.At.IsValid() || closeSig.InGo {
		return "", token.NoPos, false
	}
	closeAt := topStmtIndex(body, closeSig.Pos)
	if closeAt < 0 {
		return "", token.NoPos, false
	}
	_, closeDeferred := body.List[closeAt].(*ast.DeferStmt)
	if closeDeferred != closeSig.Deferred {
		return "", token.NoPos, false
	}
	dones := 0
	for _, sg := range sigs {
		d := sg.effect
		if d.Kind != EffDone || sg.key != wait.Key && !b.aliased(sg.key, wait.Key) {
			continue
		}
		dones++
		if !d.Deferred || d.InGo || d.At.IsValid() {
			return "", token.NoPos, false
		}
		at := topStmtIndex(body, d.Pos)
		if at < 0 {
			return "", token.NoPos, false
		}
		if _, ok := body.List[at].(*ast.DeferStmt); !ok || closeDeferred && at >= closeAt {
			return "", token.NoPos, false // its Done may run before the close
		}
	}
	if dones == 0 {
		return "", token.NoPos, false
	}
	return w.By, w.Pos, true
}

// topStmtIndex is the index of the statement of body's own list that
// holds pos, or -1.
func topStmtIndex(body *ast.BlockStmt, pos token.Pos) int {
	for i, st := range body.List {
		if st.Pos() <= pos && pos < st.End() {
			return i
		}
	}
	return -1
}

// Text says, after "it panics:", what closed the channel first: "`produce`,
// started at line 12, has already closed it (line 16 of produce.go)
// before wg.Wait() at line 13 returns".
func (cf *CloseFirst) Text(m *File) string {
	e := cf.Use.Effect
	if cf.WaitBy != "" {
		return e.In + ", started at line " + itoa(m.Line(e.At)) + ", has already closed it (" + m.where(e.Pos) + ") before " + cf.WaitBy + " at line " + itoa(m.Line(cf.WaitPos)) + " returns"
	}
	return e.In + ", called at line " + itoa(m.Line(e.At)) + ", has already closed it (" + m.where(e.Pos) + ")"
}
