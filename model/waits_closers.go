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
