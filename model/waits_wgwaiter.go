package model

import (
	"go/ast"
	"go/token"
)

// doneForWaiterGoroutine explains why a goroutine nothing in the starting
// function waits for directly may still be waited for: it calls Done on a
// WaitGroup whose Wait runs in another goroutine the same function starts
// (the closer of `go func() { wg.Wait(); close(finished) }()`), and the
// starting function later receives from a channel that goroutine closes or
// sends on. golens does not follow the wait through the second goroutine,
// so it says what it sees instead of "nothing waits for it". "" otherwise:
// a closer whose channel the function only returns (merge's `go func() {
// wg.Wait(); close(out) }()`) leaves the function waiting for nothing.
func (b *builder) doneForWaiterGoroutine(g *Goroutine, sigs []goSignal, idx *goIndex) string {
	for _, sg := range sigs {
		if sg.effect.Kind != EffDone {
			continue
		}
		for _, w := range b.m.WaitGroups {
			if w.Kind != WGWait || w.Key != sg.key && !b.aliased(w.Key, sg.key) {
				continue
			}
			g2 := w.InGo
			var recv *ChanOp
			if g2 == nil {
				// go b.join(), with join a function of this file that
				// calls b.wg.Wait() and then closes or sends.
				g2, recv = b.calleeWaiter(g, w)
			} else if g2 != g && g2.Func == g.Func {
				// Not g2's own wait facts: computing them here could come
				// back to g (a goroutine pair that count each other down).
				recv = b.receivesFromGo(g2, idx)
			}
			if recv == nil {
				continue
			}
			// A receive that is a select case another case can win
			// (time.After) waits for the waiter only until then: say
			// so, as the waiter's own go hover does.
			lose := ""
			if b.caseCanLose(recv, []*Chan{recv.Chan}) {
				lose = " — " + selectCaseLoses + ", and then nothing waits for it"
			}
			return "the goroutine calls " + w.Recv + ".Done(), and " + w.Recv + ".Wait() at line " + itoa(b.m.Line(w.Pos)) + " runs in the goroutine started at line " + itoa(b.m.Line(g2.Pos)) + ", which " + starterName(g.Func) + " waits on with " + recvText(recv) + " at line " + itoa(b.m.Line(recv.Pos)) + lose + "; golens does not follow whether waiting for that goroutine waits for this one"
		}
	}
	return ""
}

// doneForCalleeWaiter explains why a goroutine that calls Done on a
// WaitGroup may still be waited for when the starting function hands that
// WaitGroup, after the go statement, to a function that calls Wait on it
// in a goroutine of its own (waitTimeout(&wg, d): `go func() { wg.Wait();
// close(done) }()`, then a select on <-done and a timer). The wait runs
// in another goroutine, so the starting function does not wait by it
// directly; whether it waits for that goroutine is the callee's business,
// which golens names when the callee is in this file (the first receive
// after its go statement on a channel that goroutine closes or sends on
// after the Wait) and does not follow further. "" otherwise.
func (b *builder) doneForCalleeWaiter(g *Goroutine, ps *Summary, sigs []goSignal, after func(*Effect) bool, idx *goIndex) string {
	for _, sg := range sigs {
		if sg.effect.Kind != EffDone {
			continue
		}
		for _, e := range ps.Effects {
			if e.Kind != EffWait || !e.InGo || e.ViaGo || !e.At.IsValid() || !after(e) || e.key != sg.key && !b.aliased(e.key, sg.key) {
				continue
			}
			why := b.namedUseText(e)
			if g2, recv := b.waiterAfterWait(e.Pos, idx); recv != nil {
				lose := ""
				if b.caseCanLose(recv, []*Chan{recv.Chan}) {
					lose = " — " + selectCaseLoses + ", and then nothing waits for it"
				}
				why += ", and " + starterName(g2.Func) + " waits on that goroutine with " + recvText(recv) + " at line " + itoa(b.m.Line(recv.Pos)) + lose + "; golens does not follow whether waiting for that goroutine waits for this one"
			} else {
				why += "; golens does not follow whether anything waits for that goroutine"
			}
			return why
		}
	}
	return ""
}

// waiterAfterWait is, for a Wait at p written in the function literal of
// a goroutine g2 of this file, that goroutine and the first receive or
// range of its starting function, after the go statement and in the same
// goroutine, on a channel g2 closes or sends on after the Wait (on every
// path of g2 from its start); nil, nil when there is none.
func (b *builder) waiterAfterWait(p token.Pos, idx *goIndex) (*Goroutine, *ChanOp) {
	var g2 *Goroutine
	for _, g := range b.m.Goroutines {
		if g.Body != nil && within(p, g.Body) && (g2 == nil || g.Pos > g2.Pos) {
			g2 = g // the innermost
		}
	}
	if g2 == nil {
		return nil, nil
	}
	parent, home := g2.Func, g2.enclosingGo()
	for _, op := range idx.opsByGo(g2) {
		if op.Chan == nil || op.Kind != Close && op.Kind != Send || op.Pos < p || op.Func != g2.Body || !b.runsEveryPath(op.Func, op.Pos, g2.Body) {
			continue
		}
		for _, r := range op.Chan.Ops {
			if (r.Kind == Recv || r.Kind == Range) && r.Pos > g2.End && within(r.Pos, parent) && r.InGo == home && b.runsInParent(r.Func, parent) {
				return g2, r
			}
		}
	}
	return nil, nil
}

// waiterGoroutineWait is the wg.Wait() in another goroutine the starting
// function starts after g that waits for g, when the starting function
// itself does not wait (merge's and a scheduler constructor's closer:
// `go func() { wg.Wait(); close(out) }()`): g calls Done on that
// WaitGroup on every path (a proven effect), or, written in its own body,
// on some of its paths only — then some is that Done, and the wait is
// still the one that counts g (a worker whose error path returns before
// its Done leaves that Wait waiting; saying "nothing waits for it" would
// hide the waiter). nil when there is none.
func (b *builder) waiterGoroutineWait(g *Goroutine, sigs []goSignal) (w *WaitGroupOp, some token.Pos) {
	for _, sg := range sigs {
		if sg.effect.Kind != EffDone {
			continue
		}
		if sg.effect.Certainty != Proven {
			if sg.effect.At.IsValid() || sg.effect.Deferred || g.Body == nil || !within(sg.effect.Pos, g.Body) {
				continue // through a call, or not in g's own body: golens does not word it
			}
			some = sg.effect.Pos
		}
		for _, w := range b.m.WaitGroups {
			g2 := w.InGo
			if w.Kind != WGWait || g2 == nil || g2 == g || g2.Func != g.Func || g2.Pos < g.End || !topLevelIn(w, g2) {
				continue
			}
			if w.Key == sg.key || b.aliased(w.Key, sg.key) {
				return w, some
			}
		}
		some = token.NoPos
	}
	return nil, token.NoPos
}

// topLevelIn reports whether w is the first statement of g's function
// literal's body (after its defer statements, if any), so that g always
// reaches it: the closer's `wg.Wait(); close(out)`.
func topLevelIn(w *WaitGroupOp, g *Goroutine) bool {
	if g.Body == nil || g.Body.Body == nil || w.Func != g.Body || w.Deferred {
		return false
	}
	for _, st := range g.Body.Body.List {
		if _, ok := st.(*ast.DeferStmt); ok {
			continue
		}
		es, ok := st.(*ast.ExprStmt)
		return ok && ast.Unparen(es.X) == w.Call
	}
	return false
}

// receivesFromGo is the first receive or range of g2's starting function,
// after the go statement and in the same goroutine, on a channel g2 closes
// or sends on in its function literal; nil when there is none.
func (b *builder) receivesFromGo(g2 *Goroutine, idx *goIndex) *ChanOp {
	parent, home := g2.Func, g2.enclosingGo()
	for _, op := range idx.opsByGo(g2) {
		if op.Chan == nil || op.Kind != Close && op.Kind != Send {
			continue
		}
		for _, r := range op.Chan.Ops {
			if (r.Kind == Recv || r.Kind == Range) && r.Pos > g2.End && within(r.Pos, parent) && r.InGo == home && b.runsInParent(r.Func, parent) {
				return r
			}
		}
	}
	return nil
}

func recvText(op *ChanOp) string {
	if op.Kind == Range {
		return "range " + op.ChanExpr
	}
	return "<-" + op.ChanExpr
}

// calleeWaiter is, for a Wait w in a function of this file that another
// go statement of g's starting function calls (`go b.join()`, join
// calling b.wg.Wait() then close(b.done)), that go statement and the
// first receive of the starting function after it, in its own goroutine,
// on a channel the called function closes or sends on after the Wait:
// the closer chain of doneForWaiterGoroutine, through a method. nil, nil
// otherwise.
func (b *builder) calleeWaiter(g *Goroutine, w *WaitGroupOp) (*Goroutine, *ChanOp) {
	if w.Func == nil || w.Func.Lit || w.Func.Body == nil {
		return nil, nil
	}
	for _, g2 := range b.m.Goroutines {
		if g2 == g || g2.Func != g.Func || g2.Body != nil || g2.Node == nil {
			continue
		}
		fd := b.m.fileCallee(g2.Node.Call)
		if fd == nil || fd.Body != w.Func.Body {
			continue
		}
		parent, home := g2.Func, g2.enclosingGo()
		for _, op := range b.m.ChanOps {
			if op.Func != w.Func || op.Pos < w.Pos || op.Chan == nil || op.Kind != Close && op.Kind != Send {
				continue
			}
			for _, r := range op.Chan.Ops {
				if (r.Kind == Recv || r.Kind == Range) && r.Pos > g2.End && within(r.Pos, parent) && r.InGo == home && b.runsInParent(r.Func, parent) {
					return g2, r
				}
			}
		}
	}
	return nil, nil
}
