package model

import "go/token"

// When the wait found for a goroutine ends. findWaiter finds the receive
// or range of the starting function on a channel the goroutine sends on
// or closes, and "main waits for it with range ch" is true: main does not
// get past the range while the goroutine runs. But the range ends only
// when ch is closed, and a receive returns only when a value comes: when
// the goroutine closes (or sends) only on some of its paths — `go
// produce(ch, ok)` where produce closes ch under `if ok` — on the other
// paths the wait never ends, and the program blocks with nothing left to
// wake it. The summaries know on which paths the goroutine signals
// (summary_paths.go); waitEnd records what the texts must add.

// WaitEnd qualifies the wait WaitedBy names: it ends only through a
// signal the goroutine gives on some of its paths, or through a close
// nothing makes.
type WaitEnd struct {
	// Chan is the channel the wait is on, as the wait writes it ("ch").
	Chan string
	// Range: the wait is a range, which ends only when Chan is closed;
	// otherwise a receive, which returns when a value is sent or Chan is
	// closed.
	Range bool
	// Callee names the function the go statement calls ("produce"); ""
	// when the goroutine is a function literal.
	Callee string
	// Never: nothing closes Chan (proven by the model); Range only. The
	// fields below are then empty.
	Never bool
	// Verb is what the goroutine does to Chan on some of its paths:
	// "closes", "sends on", or "sends on or closes" (a receive also ends
	// on a send).
	Verb string
	// Where lists the places it does so ("line 11", "line 4 of w.go"),
	// and When the condition golens can name for the first one ("when
	// `ok` holds"; "" when it names none).
	Where []string
	When  string
	// Alone: nothing else in the program golens sees signals Chan, and
	// Chan does not escape: on the goroutine's other paths the wait
	// never ends.
	Alone bool
}

// WaitEnd says when the wait WaitedBy names ends, when the model proves
// that the goroutine may not end it (see WaitEnd); nil otherwise.
func (g *Goroutine) WaitEnd() *WaitEnd {
	g.ensureWait()
	return g.waitEnd
}

// needsWaitEnd reports whether findWaiter's wait for g may need a
// WaitEnd, without the summaries: a range or a receive outside selects
// on a channel variable, when g does not close that channel on
// every path itself (a close written in its literal).
func (b *builder) needsWaitEnd(g *Goroutine, idx *goIndex) *ChanOp {
	if g.waitedBy == "" || g.waitMayGiveUp || g.waitThrough != "" || g.Node == nil {
		return nil
	}
	var wait *ChanOp
	for _, op := range b.m.ChanOps {
		if op.Pos == g.waitPos && (op.Kind == Range || op.Kind == Recv) {
			wait = op
			break
		}
	}
	// A receive in a loop counts too: its first pass returns only when a
	// value is sent or the channel is closed.
	if wait == nil || wait.Chan == nil || wait.Select != nil {
		return nil
	}
	if g.Body != nil {
		for _, op := range idx.opsByGo(g) {
			if op.Chan == wait.Chan && (op.Kind == Close || op.Kind == Send && wait.Kind == Recv) && !op.InLoop && b.runsEveryPath(op.Func, op.Pos, g.Body) {
				return nil // the common case, decided without the summaries
			}
		}
	}
	return wait
}

// waitEnds sets g.waitEnd for the wait found by findWaiter (see
// needsWaitEnd), from g's summary. It needs the summaries.
func (b *builder) waitEnds(g *Goroutine, wait *ChanOp) {
	c := wait.Chan
	sigs, opaque := b.goSignals(g)
	if opaque != "" {
		return // a call golens cannot see into may signal c
	}
	var some []*Effect
	for _, sg := range sigs {
		if sg.key != c.Key && !b.aliased(sg.key, c.Key) {
			continue
		}
		e := sg.effect
		if e.Kind != EffClose && (e.Kind != EffSend || wait.Kind != Recv) {
			continue
		}
		if e.Certainty == Proven {
			return // g ends the wait on every path
		}
		some = append(some, e)
	}
	we := &WaitEnd{Chan: wait.ChanExpr, Range: wait.Kind == Range}
	if g.Body == nil {
		we.Callee = g.Callee
	}
	if len(some) == 0 {
		// g never closes c: the range ends only if something else does.
		if wait.Kind != Range {
			return
		}
		if f := c.closed; f.Certainty != Proven || f.Holds {
			return
		}
		we.Never = true
		g.waitEnd = we
		return
	}
	sends, closes := false, false
	for _, e := range some {
		sends = sends || e.Kind == EffSend
		closes = closes || e.Kind == EffClose
		where := b.m.where(e.Pos)
		if e.At.IsValid() {
			where = b.m.where(e.At) + ", through `" + e.Via + "` (" + where + ")"
		}
		we.Where = append(we.Where, where)
	}
	switch {
	case sends && closes:
		we.Verb = "sends on or closes"
	case sends:
		we.Verb = "sends on"
	default:
		we.Verb = "closes"
	}
	// The condition, when the first signal is written in the goroutine's
	// own function (not through a call, whose own ifs would name only
	// part of it).
	if e := some[0]; !e.At.IsValid() {
		if op := b.opAt(e.Pos); op != nil {
			home := g.Body
			if home == nil {
				home = topFunc(op.Func)
			}
			if home != nil {
				if when, ok := b.closeCondition(op, home, nil); ok {
					we.When = when
				}
			}
		}
	}
	we.Alone = b.onlySignaller(g, c, wait.Kind == Recv)
	g.waitEnd = we
}

// onlySignaller reports whether g is the only thing that can end a wait
// on c: c is a local variable made here, assigned nothing else, not
// aliased, and every close of it (and, for a receive, every send) is in
// g — written in its literal or done by the call the go statement makes —
// and c escapes nowhere. A go statement in a loop starts a goroutine on
// every pass: the others started there signal c too (the workers of a
// pool that one of them leaves without a send), so g is not alone.
func (b *builder) onlySignaller(g *Goroutine, c *Chan, sendsCount bool) bool {
	if g.InLoop || !c.Local || c.IsParam || c.IsField || len(c.Makes) == 0 || len(c.Assigned) > 0 {
		return false
	}
	for _, op := range c.Ops {
		if (op.Kind == Close || sendsCount && op.Kind == Send) && op.InGo != g {
			return false
		}
	}
	inG := func(p token.Pos) bool { return p >= g.Pos && p < g.End }
	for _, u := range c.indirect {
		e := u.Effect
		switch e.Kind {
		case EffEscape, EffReturn:
			return false
		case EffClose, EffSend:
			if (e.Kind == EffClose || sendsCount) && !inG(e.At) {
				return false
			}
		}
	}
	for _, a := range b.ss.aliases {
		if a.from == c.Key || a.to == c.Key {
			return false
		}
	}
	return true
}

// opAt is the channel operation of this file at p, or nil.
func (b *builder) opAt(p token.Pos) *ChanOp {
	for _, op := range b.m.ChanOps {
		if op.Pos == p {
			return op
		}
	}
	return nil
}

// topFunc is the top-level function around f.
func topFunc(f *Func) *Func {
	for f != nil && f.Parent != nil {
		f = f.Parent
	}
	return f
}
