package model

// otherClosersWhy is for a range that would wait for g because g closes
// its channel: when another goroutine the same function starts closes that
// channel too (two producers that each defer close(out)), the range ends at
// the first close, which may be the other goroutine's, and then it does
// not wait for g. "" when g is the only goroutine of its function that
// closes c, as far as golens sees.
func (b *builder) otherClosersWhy(g *Goroutine, c *Chan, op *ChanOp, idx *goIndex) string {
	if !b.goDoes(g, c, Close, idx) {
		return "" // g sends on c; a closer goroutine closes it after the senders (wg.Wait(); close(c))
	}
	var others []*Goroutine
	for _, g2 := range b.m.Goroutines {
		if g2 != g && g2.Func == g.Func && b.goDoes(g2, c, Close, idx) {
			others = append(others, g2)
		}
	}
	if len(others) == 0 {
		return ""
	}
	starter := starterName(g.Func)
	who := "the goroutine started at line " + itoa(b.m.Line(others[0].Pos)) + " closes `" + c.Name + "` too"
	if len(others) > 1 {
		who = itoa(len(others)) + " other goroutines " + starter + " starts close `" + c.Name + "` too"
	}
	// The range is what waits for whichever closes first, not the starter:
	// a wg.Wait() before it may wait for each (r20j_pipeline_closed).
	return "the range over `" + op.ChanExpr + "` at line " + itoa(b.m.Line(op.Pos)) + " ends at the first close of `" + c.Name + "`, and " + who + ": the range waits for whichever closes it first, not for each"
}

// otherCloserWhy is for a receive or range op of c, in the starting
// function, that would wait for g because g closes c: when a close of c
// runs in a goroutine of its own — another goroutine (started anywhere in
// the file, not inside g), or a callback handed to time.AfterFunc or
// context.AfterFunc, which the runtime calls in a goroutine of its own —
// op ends at the first close, which may be that one (an AfterFunc timeout
// that closes done before the late reply does), and then it does not wait
// for g. Only a close on every path of that goroutine or callback counts:
// one on some paths only may be exclusive with g's (if fast { close(done)
// } in one goroutine, the other started only when !fast). A close golens proves is of another value (CloseOfOtherValue), or
// one in a goroutine the starting function starts only after op, is left
// out. "" when no such close is found; closes made through calls from
// other goroutines are not followed (the wait then stands, as before).
func (b *builder) otherCloserWhy(g *Goroutine, c *Chan, op *ChanOp) string {
	if c == nil || op == nil {
		return ""
	}
	for _, cl := range c.Ops {
		if cl.Kind != Close || cl.Pos >= g.Pos && cl.Pos <= g.End {
			continue
		}
		if c.IsField && b.m.CloseOfOtherValue(op, cl) {
			continue
		}
		who := ""
		if cl.Func != nil && cl.Func.Lit && b.afterFuncLits[cl.Func.Pos] != nil && b.runsEveryPath(cl.Func, cl.Pos, cl.Func) {
			who = "the function passed to `" + b.text(b.afterFuncLits[cl.Func.Pos].Fun) + "` at line " + itoa(b.m.Line(cl.Func.Pos)) + " closes it too (line " + itoa(b.m.Line(cl.Pos)) + "), in a goroutine of its own"
		} else if g2 := cl.InGo; g2 != nil && g2 != g && g2.Body != nil && b.runsEveryPath(cl.Func, cl.Pos, g2.Body) && !(g2.Func == g.Func && g2.Pos > op.Pos) {
			who = "the goroutine started at line " + itoa(b.m.Line(g2.Pos)) + " closes it too (line " + itoa(b.m.Line(cl.Pos)) + ")"
		}
		if who == "" {
			continue
		}
		wait := "the receive from `" + op.ChanExpr + "`"
		if op.Kind == Range {
			wait = "the range over `" + op.ChanExpr + "`"
		}
		starter := starterName(g.Func)
		return wait + " at line " + itoa(b.m.Line(op.Pos)) + " ends at the first close of `" + op.ChanExpr + "`, and " + who + ": " + starter + " waits for whichever close comes first, not for this goroutine"
	}
	return ""
}

// otherCloserEffWhy is otherCloserWhy for a wait crossWait found through
// the summaries (g closes c in a function it calls: c.finish()), when e is
// a receive or range the starting function makes itself and g's matching
// signal is a close.
func (b *builder) otherCloserEffWhy(g *Goroutine, e *Effect, sigs []goSignal) string {
	if e.Kind != EffRecv && e.Kind != EffRange || e.At.IsValid() {
		return ""
	}
	closes := false
	for _, sg := range sigs {
		if sg.key == e.key || b.aliased(sg.key, e.key) {
			if sg.effect.Kind != EffClose {
				return "" // g sends on it too: its sends are what the wait takes
			}
			closes = true
		}
	}
	op := b.chanOpAt(e.Pos)
	if !closes || op == nil || op.Kind != Recv && op.Kind != Range {
		return ""
	}
	return b.otherCloserWhy(g, op.Chan, op)
}

// unseenClosersWhy is for a range op over c that would wait for g, a
// goroutine that calls a function golens cannot see into and is handed
// c: when another goroutine the same function starts is handed c too,
// also through a call golens cannot see into, either may close c, and the
// range ends at the first close (two producers that each defer
// close(out), in another file on the syntax tier). Then golens cannot say
// the range waits for g. "" otherwise.
func (b *builder) unseenClosersWhy(g *Goroutine, c *Chan, op *ChanOp) string {
	if !b.handedUnseen(g, c) {
		return ""
	}
	for _, g2 := range b.m.Goroutines {
		if g2 == g || g2.Func != g.Func || !b.handedUnseen(g2, c) {
			continue
		}
		callee := b.text(g.Node.Call.Fun)
		return "the range over `" + op.ChanExpr + "` at line " + itoa(b.m.Line(op.Pos)) + " ends at the first close of `" + c.Name + "`, and the goroutine started at line " + itoa(b.m.Line(g2.Pos)) + " is handed `" + c.Name + "` too; " + callee + ", which golens cannot see into here, may close it in either, so the range may end before this goroutine does"
	}
	return ""
}

// handedUnseen reports whether g's go statement calls a function golens
// does not summarise and passes it c.
func (b *builder) handedUnseen(g *Goroutine, c *Chan) bool {
	if g.Body != nil || g.Node == nil || g.Node.Call == nil || b.summarisedCallee(g.Node.Call) {
		return false
	}
	for _, arg := range g.Node.Call.Args {
		if k, ok := b.keyOf(arg); ok && b.chans[k] == c {
			return true
		}
	}
	return false
}
