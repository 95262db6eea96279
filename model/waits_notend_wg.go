package model

// A receive of values a goroutine sends is not a wait for the goroutine
// when it goes on running after its sends (judgeWait): findWaiter then
// records why (waitsForOne) and stops looking at channels. A goroutine
// started as `go f(..., &wg)` whose f defers wg.Done() is still waited
// for by a later wg.Wait() of the starting function — findWaiter leaves
// such a WaitGroup to the summaries (a summarised callee's Done is proven
// there), so crossWait asks notEndWaitGroup before it gives up with that
// reason: the go hover then names the join (wg.Wait() at line 40) rather
// than "golens cannot tell" or the receive.

// notEndWaitGroup sets g's wait to the first wg.Wait() its starting
// function makes after the go statement, in its own goroutine and on
// every path (a proven effect, as crossWait takes it), on a WaitGroup whose Done g's function defers (so it runs
// when g returns, on every path: a proven, deferred effect). It reports
// whether it found one. Only for `go f(...)` statements: a function
// literal's WaitGroup was judged by findWaiter itself.
func (b *builder) notEndWaitGroup(g *Goroutine, idx *goIndex) bool {
	parent := g.Func
	if g.Body != nil || parent == nil || g.Node == nil {
		return false
	}
	ps := b.m.summaryOf[parent]
	if ps == nil {
		return false
	}
	sigs, _ := b.goSignals(g)
	if b.selfCountedWhy(g, idx, ps, sigs) != "" { // wg_selfcount.go
		return false
	}
	for _, e := range ps.Effects {
		if e.Kind != EffWait || e.InGo || e.Certainty != Proven || e.Deferred {
			continue
		}
		p := e.Pos
		if e.At.IsValid() {
			p = e.At
		}
		if p <= g.End {
			continue
		}
		for _, sg := range sigs {
			d := sg.effect
			if d.Kind != EffDone || d.Certainty != Proven || !d.Deferred || sg.key != e.key && !b.aliased(sg.key, e.key) || b.signalOfOtherValue(g, d, e) {
				continue
			}
			if body := b.goBodyBlock(g); body == nil || b.deferWaitsAfter(body, d.Pos).IsValid() {
				continue // a call deferred before the Done runs after it and can wait
			}
			b.setWaitedBy(g, e)
			return true
		}
	}
	return false
}

// closedAnywhere reports whether c may be closed, as far as the model
// knows: anything but a proven "nothing closes it" (a close in the file,
// one through a call, or code golens does not see). A receive loop on a
// channel that may be closed can end at the close, which may come only
// when the senders have finished.
func (b *builder) closedAnywhere(c *Chan) bool {
	return !c.Closed().ProvenFalse()
}
