package model

import (
	"go/ast"
	"go/token"
	"slices"
	"strings"
)

// StuckGo is a send that a waited-for goroutine reaches before it can
// signal the wait, and that never completes: it panics on a closed
// channel, or it waits for a receiver that comes only after the wait.
// The wait then never sees the goroutine finish, so "main waits for it
// with <-finished" would promise what the program never does
// (r19j_send_after_close, r20b_block_before_signal).
type StuckGo struct {
	Send *ChanOp
	// Panics: the channel is closed whenever the send runs; Closed is that
	// close (or the range that only the close ends).
	Panics bool
	Closed token.Pos
	// ByRange: Closed is a range over the channel that only its close
	// ends (SignalledClose.ByRange), not a close statement.
	ByRange bool
	// Drain (a send that blocks) is the first receive of the channel, in
	// the waiting function after the wait; NoPos when nothing receives.
	Drain token.Pos
	// Nth, Recvs, Cap (a send that blocks because every receiver and
	// buffer slot is taken first): the send is the goroutine's Nth on the
	// channel, whose only receives are Recvs, each run at most once,
	// before the wait, and whose buffer holds Cap: Nth > len(Recvs)+Cap.
	Nth   int
	Recvs []token.Pos
	Cap   int64
	// Recv, when set (Send is nil), is a receive the goroutine reaches
	// before it can signal the wait, on a channel nothing sends on and
	// that the waiting function closes only after the wait (Closed; NoPos
	// when nothing closes it): it waits for good.
	Recv *ChanOp
}

// GoStuck is the StuckGo of g, or nil. Proven, not guessed:
//   - g is a go statement's literal and its starting function waits for
//     it (GoWait: By, no helper between, no way to give up) with a plain
//     statement on a variable of its own: `<-done`, `wg.Wait()`;
//   - the send is a statement of the literal's top-level list, and no
//     statement before it names the wait's variable (except a defer),
//     returns, jumps or may exit the program: every run of g that gets
//     past them reaches the send, and none has signalled the wait;
//   - the send panics (ClosedBySignal, ClosedByWaited, ClosedBeforeStart),
//     and no deferred call before it could recover; or the send is on an
//     unbuffered local channel that nothing golens cannot see uses, whose
//     every receive is in the waiting function after the wait.
func (m *File) GoStuck(g *Goroutine) *StuckGo {
	if g == nil || g.Func == nil || g.Node == nil {
		return nil
	}
	body, fd := m.goFunc(g)
	if body == nil || body.Body == nil {
		return nil
	}
	var args map[*Chan]*Chan
	if fd != nil {
		// go worker(results, done): each channel parameter bound to the
		// argument's variable.
		args = m.chanArgs(g, fd)
	}
	w := g.Wait()
	if w.By == "" || w.Through != "" || w.GiveUp != "" || w.End != nil || !w.Pos.IsValid() || !w.Waited.ProvenTrue() {
		return nil
	}
	sig := waitVariable(w.By)
	if sig == "" {
		return nil
	}
	sigs := []string{sig}
	if fd != nil {
		// The wait's variable under the callee's parameter name, however
		// it is passed (done, &wg).
		for i, a := range g.Node.Call.Args {
			if !usesName(a, sig) {
				continue
			}
			if i >= fd.Type.Params.NumFields() {
				return nil // variadic
			}
			if p := paramIdent(fd, i); p != nil {
				sigs = append(sigs, p.Name)
			}
		}
	}
	var defers []*ast.DeferStmt
	sent := map[*Chan]int{} // the goroutine's sends so far, on each channel
	for _, st := range body.Body.List {
		if op := m.plainSendAt(st, body); op != nil {
			if args == nil {
				if s := m.sendPanics(op); s != nil {
					if slices.ContainsFunc(defers, mayRecover) {
						return nil
					}
					return s
				}
			}
			c := op.Chan
			if args != nil {
				c = args[op.Chan]
			}
			if d, ok := m.sendBehindWait(c, g, w.Pos); ok && c != nil && m.onlyGoSignals(g, w.Pos, body) {
				return &StuckGo{Send: op, Drain: d}
			}
			if c != nil {
				sent[c]++
				if recvs, n, ok := m.receivesBeforeWait(c, g, w.Pos); ok && int64(sent[c]) > int64(len(recvs))+n && m.onlyGoSignals(g, w.Pos, body) {
					return &StuckGo{Send: op, Nth: sent[c], Recvs: recvs, Cap: n}
				}
			}
		}
		if op := m.plainRecvAt(st, body); op != nil {
			c := op.Chan
			if args != nil {
				c = args[op.Chan]
			}
			if cl, ok := m.closedOnlyAfterWait(c, g, w.Pos); ok && m.onlyGoSignalsAny(g, w.Pos, body) {
				return &StuckGo{Recv: op, Closed: cl}
			}
		}
		if d, ok := st.(*ast.DeferStmt); ok {
			defers = append(defers, d)
			continue
		}
		if slices.ContainsFunc(sigs, func(s string) bool { return usesName(st, s) }) || HoldsReturn(st) || !noBranch(st) || m.mayExitIn(st) {
			return nil
		}
	}
	return nil
}

// chanArgs binds each channel parameter of fd, the function g's go
// statement calls, to the local channel variable passed for it (`go
// compute(results, done)`); a parameter passed anything else, or a
// variable passed twice, is left out.
func (m *File) chanArgs(g *Goroutine, fd *ast.FuncDecl) map[*Chan]*Chan {
	out := map[*Chan]*Chan{}
	count := map[*Chan]int{}
	for i, a := range g.Node.Call.Args {
		id := paramIdent(fd, i)
		arg, ok := ast.Unparen(a).(*ast.Ident)
		if id == nil || !ok {
			continue
		}
		if p, c := m.chanDeclaredAt(id.Pos()), m.chanDeclaredAt(m.DeclPos(arg)); p != nil && c != nil {
			out[p] = c
			count[c]++
		}
	}
	for p, c := range out {
		if count[c] > 1 {
			delete(out, p) // passed twice: neither parameter alone is that channel's only name
		}
	}
	return out
}

// chanDeclaredAt is the channel variable declared at pos, or nil.
func (m *File) chanDeclaredAt(pos token.Pos) *Chan {
	if !pos.IsValid() {
		return nil
	}
	for _, c := range m.Chans {
		if c.Decl == pos {
			return c
		}
	}
	return nil
}

// onlyGoSignals reports whether only g can end the wait at wait, so that
// g blocked for good means the wait never returns: g is started once (in
// no loop), and the wait is `<-x` on a local channel made once that only
// g's body sends on or closes (and that nothing else golens cannot see
// is handed), or `wg.Wait()` on a WaitGroup whose every Done and Go is in
// g's literal. A WaitGroup handed to a named function is not judged.
func (m *File) onlyGoSignals(g *Goroutine, wait token.Pos, body *Func) bool {
	if g.InLoop {
		return false
	}
	return m.onlyGoSignalsAny(g, wait, body)
}

// onlyGoSignalsAny is onlyGoSignals for a goroutine every run of which
// blocks for good (a receive that no run of it can be released from):
// started in a loop or not, none of its runs ends the wait.
func (m *File) onlyGoSignalsAny(g *Goroutine, wait token.Pos, body *Func) bool {
	if body == nil || body.Body == nil {
		return false
	}
	in := func(p token.Pos) bool { return p >= body.Body.Pos() && p < body.Body.End() }
	for _, r := range m.ChanOps {
		if r.Pos != wait || r.Kind != Recv {
			continue
		}
		x := r.Chan
		if !localOnce(x) {
			return false
		}
		for _, o := range x.Ops {
			if (o.Kind == Send || o.Kind == Close) && !in(o.Pos) {
				return false
			}
		}
		for _, u := range x.Indirect() {
			if at := u.Effect.At; !in(at) && (at < g.Node.Pos() || at >= g.Node.End()) {
				return false
			}
		}
		return true
	}
	if g.Body == nil {
		return false
	}
	for _, w := range m.WaitGroups {
		if w.Pos != wait || w.Kind != WGWait {
			continue
		}
		for _, o := range m.WaitGroups {
			if o.Key == w.Key && (o.Kind == WGDone || o.Kind == WGGo) && !in(o.Pos) {
				return false
			}
		}
		// Outside g's literal the WaitGroup is only the receiver of its
		// own methods: not handed to a helper whose Done golens would not
		// count here (`helper(&wg)`).
		if !token.IsIdentifier(w.Recv) || g.Func.Body == nil {
			return false
		}
		handed := false
		ast.Inspect(g.Func.Body, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				return n != g.Body.Node
			case *ast.ValueSpec:
				return false // var wg sync.WaitGroup: its declaration
			case *ast.SelectorExpr:
				if id, ok := n.X.(*ast.Ident); ok && id.Name == w.Recv {
					return false // wg.Add, wg.Wait: a method of its own
				}
			case *ast.Ident:
				handed = handed || n.Name == w.Recv
			}
			return !handed
		})
		return !handed
	}
	return false
}

// waitVariable is the variable a wait as GoWait writes it waits on:
// "done" of "<-done", "wg" of "wg.Wait()"; "" for any other form.
func waitVariable(by string) string {
	v, ok := strings.CutPrefix(by, "<-")
	if !ok {
		v, ok = strings.CutSuffix(by, ".Wait()")
	}
	if !ok || !token.IsIdentifier(v) {
		return ""
	}
	return v
}

// plainSendAt is the send of fn that the statement st is, outside a
// select; nil otherwise.
func (m *File) plainSendAt(st ast.Stmt, fn *Func) *ChanOp {
	ss, ok := st.(*ast.SendStmt)
	if !ok {
		return nil
	}
	for _, op := range m.ChanOps {
		if op.Kind == Send && op.Func == fn && op.Select == nil && op.Pos >= ss.Pos() && op.Pos < ss.End() {
			return op
		}
	}
	return nil
}

// sendPanics is a StuckGo for a send whose channel is closed whenever it
// runs, by the facts the send hint reads; nil otherwise.
func (m *File) sendPanics(op *ChanOp) *StuckGo {
	if cl := m.ClosedBeforeStart(op); cl != nil {
		return &StuckGo{Send: op, Panics: true, Closed: cl.Pos}
	}
	if wc := m.ClosedByWaited(op); wc != nil {
		return &StuckGo{Send: op, Panics: true, Closed: wc.Close}
	}
	if sc := m.ClosedBySignal(op); sc != nil {
		return &StuckGo{Send: op, Panics: true, Closed: sc.Closed, ByRange: sc.ByRange}
	}
	return nil
}

// sendBehindWait reports whether the send op of g can find no receiver
// before g's wait (at wait, in g's starting function) returns: its
// channel is an unbuffered local that nothing golens cannot see uses, and
// every receive of it is in the starting function, after a plain wait
// statement that runs on every path to it. drain is the first such
// receive (NoPos when there is none).
func (m *File) sendBehindWait(c *Chan, g *Goroutine, wait token.Pos) (drain token.Pos, ok bool) {
	if !m.onlyUsedByGoCall(c, g, EffSend) {
		return token.NoPos, false
	}
	if n, known := c.Capacity(); !known || n != 0 {
		return token.NoPos, false
	}
	for _, r := range c.Ops {
		if r.Kind != Recv && r.Kind != Range {
			continue
		}
		if r.Func != g.Func || r.Pos < wait {
			return token.NoPos, false
		}
		if !slices.ContainsFunc(m.StmtsBefore(r.Pos), func(st ast.Stmt) bool { return plainStmtAt(st, wait) }) {
			return token.NoPos, false
		}
		if !drain.IsValid() || r.Pos < drain {
			drain = r.Pos
		}
	}
	return drain, true
}

// plainRecvAt is the receive of fn that the statement st is (`<-start`,
// `v := <-in`), outside a select; nil otherwise.
func (m *File) plainRecvAt(st ast.Stmt, fn *Func) *ChanOp {
	u := recvStmtExpr(st)
	if u == nil {
		return nil
	}
	for _, op := range m.ChanOps {
		if op.Kind == Recv && op.Func == fn && op.Select == nil && op.Pos >= u.Pos() && op.Pos < u.End() {
			return op
		}
	}
	return nil
}

// closedOnlyAfterWait reports whether a receive from c waits past g's
// wait at wait: c is a local made once that nothing sends on, that only
// receives use beside its closes (the function g's go statement calls
// may receive from it), and whose every close is a statement of g's
// starting function that runs after the wait statement (StmtsBefore).
// first is the first close; NoPos when nothing closes c.
func (m *File) closedOnlyAfterWait(c *Chan, g *Goroutine, wait token.Pos) (first token.Pos, ok bool) {
	if !m.onlyUsedByGoCall(c, g, EffRecv) {
		return token.NoPos, false
	}
	for _, o := range c.Ops {
		switch o.Kind {
		case Send:
			return token.NoPos, false
		case Close:
			if o.Deferred || o.Func != g.Func || o.Pos < wait {
				return token.NoPos, false
			}
			if !slices.ContainsFunc(m.StmtsBefore(o.Pos), func(st ast.Stmt) bool { return plainStmtAt(st, wait) }) {
				return token.NoPos, false
			}
			if !first.IsValid() || o.Pos < first {
				first = o.Pos
			}
		}
	}
	return first, true
}

// receivesBeforeWait lists the receives of c when each runs at most once
// and before g's wait at wait: c is a local made once, with a known
// buffer (n), never closed (a send on it would panic, not wait), used by
// nothing golens cannot see but the function g's go statement calls, and
// received from only by plain receives of g's starting function outside
// loops and selects, before the wait. A send of g beyond len(recvs)+n
// then never completes.
func (m *File) receivesBeforeWait(c *Chan, g *Goroutine, wait token.Pos) (recvs []token.Pos, n int64, ok bool) {
	if !m.onlyUsedByGoCall(c, g, EffSend) {
		return nil, 0, false
	}
	n, known := c.Capacity()
	if !known {
		return nil, 0, false
	}
	for _, r := range c.Ops {
		switch r.Kind {
		case Close, Range:
			return nil, 0, false
		case Recv:
			if r.Func != g.Func || r.InLoop || r.Select != nil || r.Pos > wait || r.Pos < g.Node.End() {
				return nil, 0, false
			}
			recvs = append(recvs, r.Pos)
		}
	}
	return recvs, n, true
}

// mayExitIn reports whether a call in st may end the goroutine or the
// program (os.Exit, log.Fatal, runtime.Goexit: File.MayExit).
func (m *File) mayExitIn(st ast.Stmt) bool {
	found := false
	ast.Inspect(st, func(x ast.Node) bool {
		switch x := x.(type) {
		case *ast.FuncLit:
			return false
		case *ast.CallExpr:
			found = found || m.MayExit(x)
		}
		return !found
	})
	return found
}

// mayRecover reports whether a deferred call could stop a panic: any
// call but close and a few methods of the sync and time types, which
// never call recover (a function literal, or a named function, might).
func mayRecover(d *ast.DeferStmt) bool {
	switch fun := ast.Unparen(d.Call.Fun).(type) {
	case *ast.Ident:
		return fun.Name != "close"
	case *ast.SelectorExpr:
		switch fun.Sel.Name {
		case "Done", "Unlock", "RUnlock", "Stop", "Signal", "Broadcast":
			return false
		}
	}
	return true
}

// onlyUsedByGoCall reports whether c is a local made once that nothing
// golens cannot see uses but the function g's go statement calls, and
// that only with kind: the channel's every use outside its own function
// is g's (sendBehindWait, receivesBeforeWait, closedOnlyAfterWait).
func (m *File) onlyUsedByGoCall(c *Chan, g *Goroutine, kind EffectKind) bool {
	if !localOnce(c) {
		return false
	}
	for _, u := range c.Indirect() {
		if u.Effect.Kind != kind || u.Effect.At < g.Node.Pos() || u.Effect.At >= g.Node.End() {
			return false
		}
	}
	return true
}
