package model

import (
	"cmp"
	"go/ast"
	"go/token"
	"slices"
	"strings"
)

// Goroutine waits across functions: a goroutine is waited for when the
// function that starts it later waits (directly, in a deferred call, or in
// a function it calls) on something the goroutine signals (directly or in a
// function it calls): a channel it sends on or closes, a WaitGroup it calls
// Done on, a context whose cancel func it calls.

// goSignal is a value a goroutine signals, in the starting function's
// terms.
type goSignal struct {
	key    VarKey
	effect *Effect
}

// goSignals lists what g signals, and names the first call in it golens
// cannot see into ("" when it sees everything).
func (b *builder) goSignals(g *Goroutine) (sigs []goSignal, opaque string) {
	return b.goEffects(g, EffectKind.signals)
}

// goEffects lists the effects of the kinds keep selects that g has on
// values of the starting function, in its terms, and names the first call
// in g golens cannot see into ("" when it sees everything).
func (b *builder) goEffects(g *Goroutine, keep func(EffectKind) bool) (sigs []goSignal, opaque string) {
	s, args := b.goSummary(g)
	if s == nil {
		return nil, g.Callee
	}
	if len(s.Opaque) > 0 {
		opaque = s.Opaque[0].Callee
	}
	for _, e := range s.Effects {
		if e.Kind == EffEscape && opaque == "" {
			opaque = strings.TrimSuffix(e.Why, ", which golens cannot see into")
		}
		if !keep(e.Kind) {
			continue
		}
		key := e.key
		if e.Target.Param >= 0 {
			key = VarKey{}
			for _, a := range args {
				if a.index == e.Target.Param {
					key = a.key
				}
			}
		} else if s.isLocal(key) || (s.Recv.Valid() && key == s.Recv) {
			continue
		}
		if key.Valid() {
			sigs = append(sigs, goSignal{key: key, effect: e})
		}
	}
	return sigs, opaque
}

// goSummary is the summary of what g runs — its function literal's, or
// that of the function its go statement calls — with the arguments the
// statement passes that golens tracks; nil when golens cannot see into
// it.
func (b *builder) goSummary(g *Goroutine) (s *Summary, args []argRef) {
	m := b.m
	if g.Body != nil {
		s = m.summaryOf[g.Body] // not SummaryOf: this runs inside derived.ensure
		if g.Node != nil {
			for i, a := range g.Node.Call.Args {
				if b.copiesSyncValue(a) {
					continue // go func(wg sync.WaitGroup) { ... }(wg): a copy
				}
				if k, ok := b.trackedKey(a); ok {
					args = append(args, argRef{index: i, key: k, pos: a.Pos()})
				}
			}
		}
	} else if g.Node != nil {
		if cs := b.callAtPos(g.Node.Call.Pos()); cs != nil {
			s, args = cs.resolved, cs.args
		}
	}
	return s, args
}

// crossWait looks, through summaries, for what waits for g when the direct
// search (findWaiter) found nothing, and sets g.waited either way.
func (b *builder) crossWait(g *Goroutine, idx *goIndex) {
	if g.waitedBy != "" {
		g.waited = Fact{Certainty: Proven, Holds: true}
		if g.waitMayGiveUp && g.waitThen == "" {
			g.waitThen = b.waitGroupThen(g) // waits_after_select.go
		}
		if g.waitMayGiveUp && !g.waitThenWaits {
			g.waited = Fact{Certainty: Possible, Why: g.giveUpWhy()}
		}
		return
	}
	if g.waitsForOne != "" {
		if b.notEndWaitGroup(g, idx) { // waits_notend_wg.go
			g.waited = Fact{Certainty: Proven, Holds: true}
			return
		}
		g.waited = Fact{Certainty: Unknown, Why: g.waitsForOne}
		return
	}
	parent := g.Func
	if g.sendBlocks {
		g.waited = Fact{Certainty: Proven, Holds: false}
		if parent != nil {
			if why := b.calleeReceivesWhy(g, b.m.summaryOf[parent]); why != "" { // waits_callee_recv.go
				g.waited = Fact{Certainty: Unknown, Why: why}
			}
		}
		return
	}
	if parent == nil || g.Node == nil {
		return
	}
	ps := b.m.summaryOf[parent]
	if ps == nil {
		return
	}
	sigs, opaque := b.goSignals(g)
	if why := b.selfCountedWhy(g, idx, ps, sigs); why != "" { // wg_selfcount.go
		g.waited = Fact{Certainty: Unknown, Why: why}
		return
	}
	home := g.enclosingGo()
	_ = home
	// A signal the goroutine makes only on some of its paths (a Done in
	// a helper it calls under an if) does not prove the wait waits for it.
	var maybeSignal *Effect
	var runsOn *Effect // a matched send after which the goroutine goes on (waits_sendon.go)
	// A wait on the same field of another value (<-fast.done, where g
	// closes slow.done) does not wait for g; nor does golens know that
	// the two values differ beyond their names: it says so.
	var otherWait *Effect
	var otherSig *Effect
	var childSig *Effect // a matched signal of a goroutine g starts
	// panicWhy: a matched close that may never be made, the goroutine's
	// send before it panicking first (close_panic_first.go).
	panicWhy := ""
	match := func(k VarKey, e *Effect) bool {
		runsOn = nil
		for _, sg := range sigs {
			if sg.key == k || b.aliased(sg.key, k) || sg.effect.Kind == EffCancel && e.Kind == EffCtxDone && b.ctxDescends(k, b.ss.cancels[sg.key]) {
				if b.signalOfOtherValue(g, sg.effect, e) {
					if otherWait == nil {
						otherWait, otherSig = e, sg.effect
					}
					continue
				}
				if sg.effect.InGo {
					// Made by a goroutine g starts, not by g: a wait
					// on it waits for that goroutine (waits_child.go).
					if childSig == nil {
						childSig = sg.effect
					}
					continue
				}
				if sg.effect.Certainty == Proven && panicWhy == "" {
					if why := b.panicFirstWhy(g, ps, sg.effect); why != "" { // close_panic_first.go
						panicWhy = why
						continue
					}
				}
				if sg.effect.Certainty == Proven && panicWhy == "" {
					if b.summarySendRunsOn(g, sg, e).IsValid() {
						runsOn = sg.effect
					}
					return true
				}
				if maybeSignal == nil {
					maybeSignal = sg.effect
				}
			}
		}
		return false
	}
	after := func(e *Effect) bool {
		p := e.Pos
		if e.At.IsValid() {
			p = e.At
		}
		// A function literal passed to a call (t.Cleanup(func() { <-done }))
		// may run whenever the callee calls it, after the go statement.
		return e.Deferred || p > g.End || b.inPassedLit(p, parent)
	}
	var firstWait, maybeWait *Effect
	runsOnWhy := ""               // a wait for a send after which g goes on (waits_sendon.go), when no later wait waits for its end
	skippedWait := false          // a wait no call of g golens cannot see into can reach
	var condWait, condSig *Effect // a Cond wait on a Cond g signals (waits_cond.go)
	var sigChans []*Chan
	for _, sg := range sigs {
		if c := b.chans[sg.key]; c != nil {
			sigChans = append(sigChans, c)
		}
	}
	// The waits in the order they run: a deferred call runs after every
	// other statement of the function, so a wait written after the defer
	// statement (s.Shutdown() after defer s.Shutdown()) runs first and is
	// the one that waits for g; the deferred one may then wait for nothing
	// (a second close(s.quit) panics before its receive).
	waits := make([]*Effect, 0, len(ps.Effects))
	for _, deferred := range []bool{false, true} {
		from := len(waits)
		for _, e := range ps.Effects {
			if e.Deferred == deferred {
				waits = append(waits, e)
			}
		}
		// In the order they are written in the starting function (the
		// call an effect goes through stands for it): the summary lists
		// them by target, and `<-done` at line 9 comes before `range ch`
		// at line 10 whichever channel the summary listed first.
		slices.SortStableFunc(waits[from:], func(x, y *Effect) int {
			return cmp.Compare(effectAt(x), effectAt(y))
		})
	}
	for _, e := range waits {
		if !e.Kind.waits() || e.InGo || !after(e) || b.effectClosedFirst(e) || b.waitCallRebound(g, e) {
			continue
		}
		if !e.At.IsValid() {
			// A select case with a default, as in findWaiter: not a wait.
			if op := b.chanOpAt(e.Pos); op != nil && b.pollsOnce(op, sigChans) {
				continue
			}
		}
		if e.Kind == EffCondWait {
			// Woken by a Signal or Broadcast while a condition is
			// false: never a proven wait for g.
			for _, sg := range sigs {
				if condWait == nil && sg.effect.Kind == EffSignal && (sg.key == e.key || b.aliased(sg.key, e.key)) {
					condWait, condSig = e, sg.effect
				}
			}
			continue
		}
		if e.Certainty != Proven {
			// On some paths of the starting function only: it still waits
			// when it runs on every path after the go statement.
			where := e.Pos
			if e.At.IsValid() {
				where = e.At
			}
			if !e.onlyHere || e.Deferred || !b.runsAfter(parent, g.Pos, where) {
				if maybeWait == nil && match(e.key, e) {
					maybeWait = e
				}
				continue
			}
		}
		if firstWait == nil {
			if b.opaqueCannotReachWait(g, ps, e) { // waits_opaque.go
				skippedWait = true
			} else {
				firstWait = e
			}
		}
		if !match(e.key, e) {
			continue
		}
		if runsOn != nil {
			// It waits for a send after which g goes on: a later wait may
			// still wait for g's end (c.do(...) and then <-c.done).
			if runsOnWhy == "" {
				runsOnWhy = b.waitsForSendWhy(e, runsOn)
			}
			continue
		}
		if e.Deferred && maybeWait != nil && !maybeWait.Deferred {
			// A wait on some paths runs before this deferred one on
			// those paths: naming the deferred call would be false there,
			// naming the other false elsewhere.
			g.waited = Fact{Certainty: Unknown, Why: b.firstOnSomePathsWhy(maybeWait, e)}
			return
		}
		if why := b.oneOfLoopWhy(g, e); why != "" { // waits_loopone.go
			g.waited = Fact{Certainty: Unknown, Why: why}
			return
		}
		if why := b.closedByEachWhy(g, e, sigs); why != "" { // waits_range.go
			g.waited = Fact{Certainty: Unknown, Why: why}
			return
		}
		if why := b.otherCloserEffWhy(g, e, sigs); why != "" { // waits_closers.go
			g.waited = Fact{Certainty: Unknown, Why: why}
			return
		}
		for _, later := range waits {
			// Every goroutine of the loop closing the same channel (a
			// variable, not a field of each one's own value) that a later
			// range drains: the second close panics, whichever wait comes
			// first (r11u_double_close).
			if c := b.chans[later.key]; later != e && later.Kind == EffRange && c != nil && !c.IsField && !later.InGo && after(later) {
				if why := b.closedByEachWhy(g, later, sigs); why != "" {
					g.waited = Fact{Certainty: Unknown, Why: why}
					return
				}
			}
		}
		b.setWaitedBy(g, e)
		return
	}
	if runsOnWhy != "" {
		g.waited = Fact{Certainty: Unknown, Why: runsOnWhy}
		return
	}
	if condWait != nil {
		g.waited = Fact{Certainty: Unknown, Why: b.condWaitWhy(g, condWait, condSig)}
		return
	}
	if otherWait != nil && maybeWait == nil {
		g.waited = Fact{Certainty: Unknown, Why: b.otherValueWhy(otherWait, otherSig)}
		return
	}
	// A wait that runs only on some paths, or a signal the goroutine
	// makes only on some of its paths: golens cannot tell.
	if maybeWait != nil {
		g.waited = Fact{Certainty: Unknown, Why: b.somePathsWhy(maybeWait)}
		return
	}
	if panicWhy != "" {
		g.waited = Fact{Certainty: Unknown, Why: panicWhy}
		return
	}
	if maybeSignal != nil {
		g.waited = Fact{Certainty: Unknown, Why: b.somePathsSignalWhy(maybeSignal)}
		return
	}
	if childSig != nil {
		g.waited = Fact{Certainty: Unknown, Why: b.childSignalWhy(g, childSig)}
		return
	}
	// Nothing found: say so only when nothing the goroutine signals
	// escapes the starting function, and golens saw all of the goroutine.
	for _, e := range ps.Effects {
		if e.Kind != EffEscape || e.InGo {
			continue
		}
		for _, sg := range sigs {
			if sg.key == e.key {
				g.waited = Fact{Certainty: Unknown, Why: b.namedUseText(e)}
				return
			}
		}
	}
	if why := b.cancelledCtxEscapes(ps, sigs); why != "" {
		g.waited = Fact{Certainty: Unknown, Why: why}
		return
	}
	// An opaque call of the goroutine leaves golens unable to tell
	// whether the wait waits for it — unless the call is handed no value
	// golens tracks and every wait is on a value of the starting function
	// that nothing outside it can reach (waits_opaque.go): the call can
	// then signal none of them, and a reason about the goroutine's own
	// signals (below) says what golens does know. The call's reason still
	// stands when none does: it is never turned into "nothing waits".
	opaqueWhy := ""
	if opaque != "" && firstWait != nil {
		where := firstWait.Pos
		if firstWait.At.IsValid() {
			where = firstWait.At
		}
		opaqueWhy = "`" + opaque + "` is a function golens cannot see into, so golens cannot tell whether the wait at line " + itoa(b.m.Line(where)) + " waits for this goroutine"
		if !b.opaqueCannotReachWaits(g, ps, after) {
			g.waited = Fact{Certainty: Unknown, Why: opaqueWhy}
			return
		}
	}
	if opaque != "" && firstWait == nil && skippedWait {
		// Every tracked wait is on a value the call cannot reach: name
		// the first wait on one it may reach (<-s.done of a value made
		// in another file), as the tracked one would have been named.
		if where := b.opaqueSharedWaitAfter(g, parent); where.IsValid() { // waits_opaque.go
			g.waited = Fact{Certainty: Unknown, Why: "`" + opaque + "` is a function golens cannot see into, so golens cannot tell whether the wait at line " + itoa(b.m.Line(where)) + " waits for this goroutine"}
			return
		}
	}
	if opaque != "" || b.signalsShared(sigs) {
		for _, oc := range ps.Opaque {
			if oc.InGo {
				// Another goroutine's call (`go func() { ...; info.Size()
				// }()`): the starting function does not make it, and it
				// cannot make the starting function wait.
				continue
			}
			// A deferred call written before the go statement still runs
			// after it, when the starting function returns.
			if oc.Deferred && oc.Pos < g.Pos {
				g.waited = Fact{Certainty: Unknown, Why: starterName(parent) + " defers a call of `" + oc.Callee + "` at line " + itoa(b.m.Line(oc.Pos)) + ", which runs when it returns and golens cannot see into"}
				return
			}
			if oc.Pos > g.End {
				g.waited = Fact{Certainty: Unknown, Why: starterName(parent) + " calls `" + oc.Callee + "` at line " + itoa(b.m.Line(oc.Pos)) + ", which golens cannot see into"}
				return
			}
		}
	}
	if why := b.holderEscapes(g, parent, sigs, firstWait); why != "" { // waits_holder.go
		g.waited = Fact{Certainty: Unknown, Why: why}
		return
	}
	if why := b.handsOffTo(g); why != "" {
		g.waited = Fact{Certainty: Unknown, Why: why}
		return
	}
	if why := b.closesForOtherGoroutine(g, sigs); why != "" {
		g.waited = Fact{Certainty: Unknown, Why: why}
		return
	}
	if why := b.condSignalForOtherGoroutine(g, ps, sigs, after); why != "" { // waits_cond_other.go
		g.waited = Fact{Certainty: Unknown, Why: why}
		return
	}
	if why := b.doneForWaiterGoroutine(g, sigs, idx); why != "" { // waits_wgwaiter.go
		g.waited = Fact{Certainty: Unknown, Why: why}
		return
	}
	if why := b.doneForCalleeWaiter(g, ps, sigs, after, idx); why != "" { // waits_wgwaiter.go
		g.waited = Fact{Certainty: Unknown, Why: why}
		return
	}
	if why := b.signalsCalleeGoroutine(g, ps, sigs); why != "" { // waits_locks.go
		g.waited = Fact{Certainty: Unknown, Why: why}
		return
	}
	if why := b.unfollowedSignal(g); why != "" { // waits_unfollowed.go
		g.waited = Fact{Certainty: Unknown, Why: why}
		return
	}
	if why := b.passedInside(g); why != "" {
		g.waited = Fact{Certainty: Unknown, Why: why}
		return
	}
	if why := b.closureSignal(g); why != "" { // waits_unfollowed.go
		g.waited = Fact{Certainty: Unknown, Why: why}
		return
	}
	if why := b.methodValueHandedOff(g, sigs); why != "" { // waits_locks.go
		g.waited = Fact{Certainty: Unknown, Why: why}
		return
	}
	if why := b.locksAfterGo(g, ps); why != "" { // waits_locks.go
		g.waited = Fact{Certainty: Unknown, Why: why}
		return
	}
	if why := b.pipeHandedOff(g, parent); why != "" { // waits_pipe.go
		g.waited = Fact{Certainty: Unknown, Why: why}
		return
	}
	if why := b.importedVarSignal(g, parent); why != "" { // waits_pkgvar.go
		g.waited = Fact{Certainty: Unknown, Why: why}
		return
	}
	if opaqueWhy != "" {
		g.waited = Fact{Certainty: Unknown, Why: opaqueWhy}
		return
	}
	if opaque != "" {
		if where := b.opaqueWaitAfter(g, parent); where.IsValid() { // waits_opaque.go
			g.waited = Fact{Certainty: Unknown, Why: "`" + opaque + "` is a function golens cannot see into, so golens cannot tell whether the wait at line " + itoa(b.m.Line(where)) + " waits for this goroutine"}
			return
		}
	}
	if why := b.loopWaitBeforeWhy(g, ps, sigs); why != "" { // waits_loopbefore.go
		g.waited = Fact{Certainty: Unknown, Why: why}
		return
	}
	if why := b.calleeReceivesWhy(g, ps); why != "" { // waits_callee_recv.go
		g.waited = Fact{Certainty: Unknown, Why: why}
		return
	}
	if why := b.escapedAfterWhy(g, ps, sigs, after); why != "" { // waits_unfollowed.go
		g.waited = Fact{Certainty: Unknown, Why: why}
		return
	}
	if why := b.unfollowedWait(g, parent, sigs); why != "" { // waits_unfollowed.go
		g.waited = Fact{Certainty: Unknown, Why: why}
		return
	}
	g.waited = Fact{Certainty: Proven, Holds: false}
	g.waiterWait, g.waiterDoneSome = b.waiterGoroutineWait(g, sigs) // waits_wgwaiter.go
}

// somePathsWhy says why a wait or a signal that happens only on some
// paths leaves golens unable to tell whether the goroutine is waited for:
// "passed to `finish` at line 9, which may call Done on it (line 4)".
func (b *builder) somePathsWhy(e *Effect) string {
	return b.namedUseText(e)
}

// somePathsSignalWhy is somePathsWhy for the goroutine's own signal: one
// written in its body (not through a call) is "it closes `done` only on
// some of its paths (line 14)", not "a function literal in main may close
// it", which reads as if someone else closed the goroutine.
func (b *builder) somePathsSignalWhy(e *Effect) string {
	c := b.chans[e.key]
	if e.At.IsValid() || c == nil || e.Kind != EffClose && e.Kind != EffSend {
		return b.somePathsWhy(e)
	}
	verb := "closes"
	if e.Kind == EffSend {
		verb = "sends on"
	}
	return "the goroutine " + verb + " `" + c.Name + "` only on some of its paths (" + b.m.where(e.Pos) + ")"
}

// handsOffTo explains why a goroutine that signals nothing may still be
// waited for: the starting function later sends on an unbuffered channel
// the goroutine receives from, and that send waits until it does (a stop
// channel: done <- true). "" when there is no such send.
func (b *builder) handsOffTo(g *Goroutine) string {
	parent, home := g.Func, g.enclosingGo()
	if parent == nil {
		return ""
	}
	for _, op := range b.m.ChanOps {
		if op.InGo != g || op.Kind != Recv && op.Kind != Range || op.Chan == nil {
			continue
		}
		c := op.Chan
		if capacity, known := c.Capacity(); !known || capacity != 0 || c.declaredBare || len(c.Makes) != 1 || len(c.NilSets) > 0 || len(c.Assigned) > 0 {
			continue // one unbuffered make, never nil: the send meets this receive
		}
		for _, send := range op.Chan.Ops {
			if send.Kind == Send && send.InGo == home && send.Pos > g.End && within(send.Pos, parent) {
				return "the goroutine receives from `" + op.ChanExpr + "`, and the send on `" + op.ChanExpr + "` at line " + itoa(b.m.Line(send.Pos)) + " waits until the goroutine takes the value"
			}
		}
	}
	return ""
}

// closesForOtherGoroutine explains why a goroutine nothing waits for
// directly may still be waited for: it closes a channel that another
// goroutine started by the same function receives from (a feeder closing
// jobs for workers the function waits for), in its body or in a function
// it calls (go tail(f, done, lines), where tail defers close(out)). ""
// when it closes none.
func (b *builder) closesForOtherGoroutine(g *Goroutine, sigs []goSignal) string {
	for _, op := range b.m.ChanOps {
		if op.InGo != g || op.Kind != Close || op.Chan == nil {
			continue
		}
		for _, g2 := range b.m.Goroutines {
			if g2 == g || g2.Func != g.Func {
				continue
			}
			uses, how := false, " receives from"
			for _, op2 := range op.Chan.Ops {
				if op2.InGo == g2 && (op2.Kind == Recv || op2.Kind == Range) {
					uses = true
				}
			}
			if g2.Body == nil && g2.Node != nil {
				// go worker(jobs, out, &wg): the callee's parameter says
				// whether it receives; a callee golens cannot read is
				// only given the channel.
				fd := b.declOfCall(g2.Node.Call)
				for i, arg := range g2.Node.Call.Args {
					k, ok := b.keyOf(arg)
					if !ok || b.chans[k] != op.Chan {
						continue
					}
					if fd == nil || fd.Body == nil {
						uses, how = true, " is given"
						continue
					}
					if pc := b.paramChan(fd, i); pc != nil {
						for _, op2 := range pc.Ops {
							if (op2.Kind == Recv || op2.Kind == Range) && op2.Pos > fd.Body.Lbrace && op2.Pos < fd.Body.Rbrace {
								uses = true
							}
						}
					}
				}
			}
			if uses {
				return "the goroutine closes `" + op.ChanExpr + "` at line " + itoa(b.m.Line(op.Pos)) + ", which the goroutine started at line " + itoa(b.m.Line(g2.Pos)) + how + "; golens does not follow whether waiting for that one waits for this close"
			}
		}
	}
	// A close in a function the goroutine calls, from its summary.
	for _, sg := range sigs {
		c := b.chans[sg.key]
		if sg.effect.Kind != EffClose || c == nil {
			continue
		}
		for _, g2 := range b.m.Goroutines {
			if g2 == g || g2.Func != g.Func {
				continue
			}
			for _, op2 := range c.Ops {
				if op2.InGo == g2 && (op2.Kind == Recv || op2.Kind == Range) {
					return "the goroutine closes `" + b.valueName(sg.key) + "` (" + b.m.where(sg.effect.Pos) + "), which the goroutine started at line " + itoa(b.m.Line(g2.Pos)) + " receives from; golens does not follow whether waiting for that one waits for this close"
				}
			}
		}
	}
	return ""
}

// signalsShared reports whether a goroutine signals a value code outside
// the starting function can reach (a field or a package variable).
func (b *builder) signalsShared(sigs []goSignal) bool {
	for _, sg := range sigs {
		if c := b.chans[sg.key]; c != nil && (c.IsField || !c.Local) {
			return true
		}
		if _, isVar := sg.key.obj.(interface{ Pos() token.Pos }); sg.key.field != "" || !isVar && sg.key.declOf() == token.NoPos {
			return true
		}
	}
	return false
}

func (b *builder) setWaitedBy(g *Goroutine, e *Effect) {
	if e.At.IsValid() {
		if cs := b.callAtPos(e.At); cs != nil {
			g.waitedBy = b.text(cs.call)
		} else {
			g.waitedBy = e.Via + "(…)"
		}
		g.waitPos = e.At
		g.waitThrough = e.In + " " + e.Kind.String() + " " + b.valueName(e.key) + " at " + b.m.where(e.Pos)
		if e.Kind == EffRange {
			for _, op := range b.m.ChanOps {
				if op.Pos == e.Pos {
					if why := b.rangeGivesUp(op); why != "" {
						g.waitMayGiveUp, g.waitGiveUpWhy = true, why
					}
				}
			}
		}
	} else {
		g.waitPos = e.Pos
		g.waitedBy = "the wait at line " + itoa(b.m.Line(e.Pos))
		for _, w := range b.m.WaitGroups {
			if w.Pos == e.Pos {
				g.waitedBy = w.Recv + ".Wait()"
			}
		}
		for _, op := range b.m.ChanOps {
			if op.Pos == e.Pos {
				switch op.Kind {
				case Range:
					g.waitedBy = "range " + op.ChanExpr
				default:
					g.waitedBy = "<-" + op.ChanExpr
				}
				g.waitMayGiveUp = b.caseCanLose(op, nil)
				if why := b.inLosingCase(op, nil); why != "" && !g.waitMayGiveUp {
					g.waitMayGiveUp, g.waitGiveUpWhy = true, why // waits_in_case.go
				}
				if why := b.rangeGivesUp(op); why != "" && !g.waitMayGiveUp {
					g.waitMayGiveUp, g.waitGiveUpWhy = true, why
				}
			}
		}
	}
	g.waited = Fact{Certainty: Proven, Holds: true}
	if g.waitMayGiveUp {
		g.waited = Fact{Certainty: Possible, Why: g.giveUpWhy()}
	}
}

// giveUpWhy is the reason recorded in g.waited when the wait can give up.
func (g *Goroutine) giveUpWhy() string {
	if g.waitGiveUpWhy != "" {
		return "the waiting range is " + g.waitGiveUpWhy
	}
	return "the waiting receive is a select case that can lose"
}

// caseCanLose reports whether a receive that waits for a goroutine can be
// skipped for good: it is a case of a select whose other cases can win and
// then leave the select for good. It cannot when every other case also
// waits for the goroutine (receives from a channel it signals) or drains
// this channel in its body, nor when the select is in an endless `for`
// loop that only this case leaves.
func (b *builder) caseCanLose(op *ChanOp, signalled []*Chan) bool {
	if op.Select == nil {
		return false
	}
	sel := op.Select.Select
	if len(sel.Cases) <= 1 {
		return false
	}
	others := false
	for _, c := range sel.Cases {
		if c == op.Select {
			continue
		}
		if c.Op != nil && c.Op.Chan != nil && (c.Op.Kind == Recv || c.Op.Kind == Range) {
			same := c.Op.Chan == op.Chan
			for _, s := range signalled {
				same = same || s == c.Op.Chan
			}
			if same {
				continue
			}
		}
		if b.caseDrains(c, op.Chan) {
			continue
		}
		if c.Op != nil && c.Op.Chan != nil && c.Op.Chan.NeverMade() {
			// A case on a local channel that is never made (nil) is
			// never ready: it cannot win (r20j_merge_nil,
			// r20j_defer_close_range). Not a field: code golens does not
			// see may make it.
			continue
		}
		if c.Op != nil && b.m.CaseNeverReady(c.Op) != nil {
			// Held back until after the select (case_gated.go).
			continue
		}
		if c.IsCtxDone() && c.Op != nil {
			// The Done channel of context.Background() or TODO() is nil:
			// that case is never ready, so it cannot win over this one.
			// (Not CtxNeverInFile: a call in another file may pass a
			// context that is cancelled.)
			if o, _ := c.Ctx(); o == CtxNever || c.Op.CtxHeld() != nil {
				continue
			}
		}
		others = true
	}
	if !others {
		return false
	}
	if sel.InLoop && (b.loopsUntil(sel, op.Select, signalled) || b.takesEverySend(sel)) {
		return false
	}
	return true
}

// caseBody returns the statements of a select case.
func caseBody(c *SelectCase) []ast.Stmt {
	s := c.Select.Node
	if s == nil || s.Body == nil || c.Index < 1 || c.Index > len(s.Body.List) {
		return nil
	}
	cc, ok := s.Body.List[c.Index-1].(*ast.CommClause)
	if !ok {
		return nil
	}
	return cc.Body
}

// caseDrains reports whether a case's body receives from or ranges over ch.
func (b *builder) caseDrains(c *SelectCase, ch *Chan) bool {
	if ch == nil {
		return false
	}
	body := caseBody(c)
	if len(body) == 0 {
		return false
	}
	from, to := body[0].Pos(), body[len(body)-1].End()
	for _, op := range ch.Ops {
		if (op.Kind == Recv || op.Kind == Range) && op.Pos >= from && op.Pos < to {
			return true
		}
	}
	return false
}

// loopsUntil reports whether sel is directly inside an endless `for {}`
// loop that none of the select's other cases leaves (no return, goto,
// labelled break, panic, os.Exit or log.Fatal in their bodies): after
// another case wins, the select runs again, so the wait is repeated. A case
// that receives from a channel the goroutine signals (signalled) may leave:
// it too waits for the goroutine.
func (b *builder) loopsUntil(sel *Select, keep *SelectCase, signalled []*Chan) bool {
	if sel.Func == nil || sel.Func.Body == nil {
		return false
	}
	fs := b.loopHolding(sel)
	if fs == nil || fs.Cond != nil && !loopsWhileOpen(fs.Cond, keep) {
		return false
	}
	label := b.m.labelOf(fs)
	for _, c := range sel.Cases {
		if c == keep {
			continue
		}
		if c.Op != nil && c.Op.Chan != nil && c.Op.Kind == Recv && slices.Contains(signalled, c.Op.Chan) {
			continue
		}
		for _, st := range caseBody(c) {
			if b.leaves(st, label) {
				return false
			}
		}
	}
	// Statements of the loop after the select could leave it too.
	for _, st := range fs.Body.List {
		if st.Pos() >= sel.End && b.leaves(st, label) {
			return false
		}
	}
	return true
}

// loopsWhileOpen reports whether a loop condition keeps the loop running
// while keep's channel variable is not nil (`for in != nil || len(q) > 0`:
// the disable-a-case idiom), and only keep's own body sets it to nil — so
// the loop can end only after keep's receive took the value or saw the
// close it waits for.
func loopsWhileOpen(cond ast.Expr, keep *SelectCase) bool {
	if keep == nil || keep.Op == nil || keep.Op.Chan == nil || keep.Op.Kind != Recv {
		return false
	}
	name := keep.Op.ChanExpr
	body := caseBody(keep)
	if len(body) == 0 {
		return false
	}
	from, to := body[0].Pos(), body[len(body)-1].End()
	for _, p := range keep.Op.Chan.NilSets {
		if p < from || p >= to {
			return false
		}
	}
	var open func(e ast.Expr) bool
	open = func(e ast.Expr) bool {
		be, ok := ast.Unparen(e).(*ast.BinaryExpr)
		if !ok {
			return false
		}
		switch be.Op {
		case token.LOR:
			return open(be.X) || open(be.Y)
		case token.NEQ:
			x, xok := ast.Unparen(be.X).(*ast.Ident)
			y, yok := ast.Unparen(be.Y).(*ast.Ident)
			return xok && yok && (x.Name == name && y.Name == "nil" || y.Name == name && x.Name == "nil")
		}
		return false
	}
	return open(cond)
}

// leaves reports whether a statement of a for loop's body can leave that
// loop or the function: return, goto, a labelled break, a continue of
// another loop's label, or a call that may end the function (File.MayExit:
// panic, os.Exit, log.Fatal*, log.Panic*, runtime.Goexit, t.Fatal and its
// kin, this file's exiting helpers, calls named like them that golens
// cannot read). loopLabel is the loop's own label.
func (b *builder) leaves(st ast.Stmt, loopLabel string) bool {
	found := false
	ast.Inspect(st, func(n ast.Node) bool {
		if found {
			return false
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			found = true
		case *ast.BranchStmt:
			if n.Tok == token.GOTO || n.Tok == token.BREAK && n.Label != nil ||
				n.Tok == token.CONTINUE && n.Label != nil && n.Label.Name != loopLabel {
				found = true
			}
		case *ast.CallExpr:
			// A call that only may exit counts: loopsUntil's claim needs
			// every other way out ruled out.
			found = b.m.MayExit(n)
		}
		return true
	})
	return found
}

// aliased reports whether one key was stored in the other (p :=
// &pipe{ch: ch}, s.ch = ch): the same channel under two names.
func (b *builder) aliased(x, y VarKey) bool {
	for _, a := range b.ss.aliases {
		if a.to == x && a.from == y || a.to == y && a.from == x {
			return true
		}
	}
	return false
}

// sendBeforeMore returns a send of g on c after which g goes on running
// (more statements, a loop around it): a receive of that value waits for
// the send, not for g to finish, so it does not prove g waited for. NoPos
// when every send of g on c is its last act (runsOnAfter), with no call it
// defers that runs after the send and can wait (deferWaitsAfter: then
// deferWait is where that call waits). g's body, or the body of the
// function a `go f(c)` statement starts when it is in the file.
func (b *builder) sendBeforeMore(g *Goroutine, c *Chan, idx *goIndex) (send, deferWait token.Pos) {
	// One receive takes the first value sent: every send must be a last
	// act. Several take them all, the last one last: that send must be.
	recvs := 0
	for _, op := range c.Ops {
		if op.Kind == Recv && op.Pos > g.End {
			recvs++
		}
	}
	pick := func(sends []*ChanOp, body *ast.BlockStmt) (token.Pos, token.Pos) {
		if recvs > 1 && len(sends) > 0 {
			sends = sends[len(sends)-1:]
		}
		for _, op := range sends {
			if runsOnAfter(body, op.Pos) {
				return op.Pos, token.NoPos
			}
			if w := b.deferWaitsAfterLast(body, op.Pos); w.IsValid() { // waits_defer_after.go: runsOnAfter is false here
				return op.Pos, w
			}
		}
		return token.NoPos, token.NoPos
	}
	if e := b.throughCallRunsOn(g, c, EffSend); e != nil && recvs <= 1 { // waits_sendon.go
		return e.Pos, token.NoPos
	}
	if g.Body != nil {
		var sends []*ChanOp
		for _, op := range idx.opsByGo(g) {
			if op.Chan == c && op.Kind == Send {
				sends = append(sends, op)
			}
		}
		return pick(sends, g.Body.Body)
	}
	if g.Node == nil {
		return token.NoPos, token.NoPos
	}
	fd := b.declOfCall(g.Node.Call)
	if fd == nil || fd.Body == nil || fd.Type.Params == nil {
		return token.NoPos, token.NoPos
	}
	for i, arg := range g.Node.Call.Args {
		k, ok := b.keyOf(ast.Unparen(arg))
		if !ok || b.chans[k] != c {
			continue
		}
		if p := b.paramChan(fd, i); p != nil { // callargs.go
			var sends []*ChanOp
			for _, op := range p.Ops {
				if op.Kind == Send && op.Pos > fd.Body.Lbrace && op.Pos < fd.Body.Rbrace {
					sends = append(sends, op)
				}
			}
			return pick(sends, fd.Body)
		}
	}
	return token.NoPos, token.NoPos
}

// runsOnAfter reports that the body goes on running after the send
// statement at pos: something other than a return follows it in its
// block, or in the block of an if, switch, select or plain block that
// ends after it, or it ends a loop body (the loop runs on). It is false
// when only a return or the end of the body follows it, and when golens
// does not find the send as a statement of the body's own blocks (in a
// function literal such as a deferred closure, or in an expression).
func runsOnAfter(body *ast.BlockStmt, pos token.Pos) bool {
	// The statements enclosing pos, outermost first, with the rest of
	// the list each one is in.
	type level struct {
		stmt ast.Stmt
		rest []ast.Stmt
	}
	var chain []level
	list := body.List
	found := false
	for !found {
		var at ast.Stmt
		var rest []ast.Stmt
		for j, st := range list {
			if st.Pos() <= pos && pos < st.End() {
				at, rest = st, list[j+1:]
				break
			}
		}
		if at == nil {
			return false // not a statement golens follows: no claim
		}
		chain = append(chain, level{at, rest})
		switch st := at.(type) {
		case *ast.SendStmt:
			if st.Arrow != pos {
				return false // no claim
			}
			found = true
		case *ast.ExprStmt, *ast.AssignStmt:
			// The call through which the goroutine sends (waits_sendon.go).
			if !callStmtAt(st, pos) {
				return false // no claim
			}
			found = true
		case *ast.BlockStmt:
			list = st.List
		case *ast.IfStmt:
			switch {
			case st.Body.Pos() <= pos && pos < st.Body.End():
				list = st.Body.List
			case st.Else != nil:
				list = []ast.Stmt{st.Else}
			default:
				return false // no claim
			}
		case *ast.SwitchStmt:
			list = st.Body.List
		case *ast.TypeSwitchStmt:
			list = st.Body.List
		case *ast.CaseClause:
			list = st.Body
		case *ast.SelectStmt:
			list = st.Body.List
		case *ast.ForStmt:
			list = st.Body.List
		case *ast.RangeStmt:
			list = st.Body.List
		case *ast.LabeledStmt:
			list = []ast.Stmt{st.Stmt}
		case *ast.CommClause:
			if st.Comm != nil && st.Comm.Pos() <= pos && pos < st.Comm.End() {
				// The send as the case's communication: its body runs
				// after it.
				chain = append(chain, level{st.Comm, st.Body})
				found = true
				break
			}
			list = st.Body
		default:
			return false // no claim
		}
	}
	// Innermost first: a return ends the path there; nothing after it
	// hands over to the enclosing statement's followers.
	// An unlabelled break leaves the innermost for, range, switch or
	// select: the path goes on after that statement.
	left := false
	for i := len(chain) - 1; i >= 0; i-- {
		rest := chain[i].rest
		if !left {
			switch chain[i].stmt.(type) {
			case *ast.CaseClause, *ast.CommClause:
				rest = nil // the other clauses do not run after this one
			case *ast.ForStmt, *ast.RangeStmt:
				return true // the end of its body: the loop runs on
			}
		}
		left = false
		if len(rest) > 0 {
			if br, ok := rest[0].(*ast.BranchStmt); ok && br.Tok == token.BREAK && br.Label == nil {
				k := i - 1
				for ; k >= 0; k-- {
					switch chain[k].stmt.(type) {
					case *ast.ForStmt, *ast.RangeStmt, *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
					default:
						continue
					}
					break
				}
				if k < 0 {
					return false // no claim
				}
				i, left = k+1, true
				continue
			}
			return !isReturn(rest[0])
		}
	}
	return false
}

// isReturn reports a return that calls nothing on its way out.
func isReturn(s ast.Stmt) bool {
	r, ok := s.(*ast.ReturnStmt)
	if !ok {
		return false
	}
	calls := false
	for _, e := range r.Results {
		ast.Inspect(e, func(n ast.Node) bool {
			_, isCall := n.(*ast.CallExpr)
			calls = calls || isCall
			return !calls
		})
	}
	return !calls
}

// starterName names the function that starts a goroutine, for a reason
// text: "main", or "the function that starts it" for a function literal.
func starterName(f *Func) string {
	if f.Lit {
		return "the function that starts it"
	}
	return f.Name
}

// waitCallRebound reports whether the call through which the wait e
// happens (e.At: defer s.Stop(), or s.Stop() after the go statement)
// evaluates its receiver or an argument from a variable that the starting
// function assigns between that call and g's go statement: a deferred
// call's receiver is evaluated at the defer statement, and a later call's
// when it runs, so across the assignment the two name different values
// (s = newStore(); go s.loop() after defer s.Stop() of the first store).
func (b *builder) waitCallRebound(g *Goroutine, e *Effect) bool {
	if !e.At.IsValid() || g.Func == nil || g.Func.Body == nil {
		return false
	}
	cs := b.callAtPos(e.At)
	if cs == nil || cs.call == nil {
		return false
	}
	lo, hi := e.At, g.Pos
	if hi < lo {
		lo, hi = hi, lo
	}
	var roots []*ast.Ident
	if sel, ok := ast.Unparen(cs.call.Fun).(*ast.SelectorExpr); ok {
		if r := rootIdent(stripAddr(sel.X)); r != nil {
			roots = append(roots, r)
		}
	}
	for _, a := range cs.call.Args {
		if r := rootIdent(stripAddr(a)); r != nil {
			roots = append(roots, r)
		}
	}
	for _, r := range roots {
		decl := b.m.DeclPos(r)
		if !decl.IsValid() {
			continue
		}
		rebound := false
		ast.Inspect(g.Func.Body, func(n ast.Node) bool {
			if rebound || n == nil || n.End() <= lo || n.Pos() >= hi {
				return false
			}
			if _, lit := n.(*ast.FuncLit); lit {
				return false
			}
			if as, ok := n.(*ast.AssignStmt); ok && as.Pos() > lo && as.Pos() < hi {
				for _, l := range as.Lhs {
					if id, ok := ast.Unparen(l).(*ast.Ident); ok && id.Name == r.Name && b.m.DeclPos(id) == decl {
						rebound = true
					}
				}
			}
			return !rebound
		})
		if rebound {
			return true
		}
	}
	return false
}

// firstOnSomePathsWhy says why golens does not name one wait for a
// goroutine when a wait on some paths (first) runs before the deferred one
// (deferred) on those paths.
func (b *builder) firstOnSomePathsWhy(first, deferred *Effect) string {
	name := func(e *Effect) string {
		p := e.Pos
		if e.At.IsValid() {
			p = e.At
			if cs := b.callAtPos(e.At); cs != nil {
				return "`" + b.text(cs.call) + "` at line " + itoa(b.m.Line(p))
			}
		}
		return "the wait at line " + itoa(b.m.Line(p))
	}
	return "on the paths through " + name(first) + ", that call runs before the deferred " + name(deferred) + " (deferred calls run as the function returns), and golens does not follow which of the two waits for it on each path"
}

// effectAt is where an effect happens in the summarised function: the
// call it goes through, or the operation itself.
func effectAt(e *Effect) token.Pos {
	if e.At.IsValid() {
		return e.At
	}
	return e.Pos
}
