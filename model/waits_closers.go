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
	return "the range over `" + op.ChanExpr + "` at line " + itoa(b.m.Line(op.Pos)) + " ends at the first close of `" + c.Name + "`, and " + who + ": " + starter + " waits for whichever closes it first, not for each"
}

// afterFuncClosersWhy is for a receive or range outside a select that
// would wait for g: when a callback handed to time.AfterFunc or
// context.AfterFunc closes c (a timeout that fails the call), the receive
// returns at the first close, which may be the callback's, and then the
// function does not wait for g (r15h_afterfunc_double_close: the timeout
// closed c.done at 10ms, main went on, and the goroutine's own close came
// at 60ms). "" when no such callback closes c, or g is that callback.
func (b *builder) afterFuncClosersWhy(g *Goroutine, c *Chan, op *ChanOp) string {
	if len(b.afterFuncLits) == 0 {
		return ""
	}
	for _, cl := range c.Closes() {
		if cl.Func == nil || !cl.Func.Lit || b.afterFuncLits[cl.Func.Pos] == nil || g.Body == cl.Func {
			continue
		}
		what := "the receive from `" + op.ChanExpr + "`"
		if op.Kind == Range {
			what = "the range over `" + op.ChanExpr + "`"
		}
		starter := starterName(g.Func)
		return "the function passed to `" + b.text(b.afterFuncLits[cl.Func.Pos].Fun) + "` at line " + itoa(b.m.Line(cl.Func.Pos)) + " closes `" + cl.ChanExpr + "` too (line " + itoa(b.m.Line(cl.Pos)) + "): " + what + " at line " + itoa(b.m.Line(op.Pos)) + " returns at the first close, which may be the callback's, and then " + starter + " does not wait for this goroutine"
	}
	return ""
}

// afterFuncClosersOfEffect is afterFuncClosersWhy for a wait the
// package's summaries find (a receive or range of the starting function
// itself, outside a select).
func (b *builder) afterFuncClosersOfEffect(g *Goroutine, e *Effect) string {
	if len(b.afterFuncLits) == 0 || e.At.IsValid() || e.Kind != EffRecv && e.Kind != EffRange {
		return ""
	}
	for _, op := range b.m.ChanOps {
		if op.Pos == e.Pos && (op.Kind == Recv || op.Kind == Range) && op.Select == nil && op.Chan != nil {
			return b.afterFuncClosersWhy(g, op.Chan, op)
		}
	}
	return ""
}
