package model

// earlierLastCloseWait is the wait for g that comes before op, the wait
// findWaiter chose by the order of g's channels: a plain receive, in the
// starting function's own body, from another channel g closes as its last
// act (closesLast), in a statement every path to op runs first
// (StmtsBefore), and that judgeWait accepts. That receive returns only
// once g is done, so it is the wait; op runs after g has finished:
// `<-done` (done closed by the worker's deferred close) and then a select
// on the worker's reply, which is queued by then and cannot lose to the
// timeout. nil when there is none.
func (b *builder) earlierLastCloseWait(g *Goroutine, op *ChanOp, chans []*Chan, sigOps []*ChanOp, parent *Func, home *Goroutine, idx *goIndex) *ChanOp {
	if op.Func != parent {
		return nil
	}
	before := b.m.StmtsBefore(op.Pos)
	if len(before) == 0 {
		return nil
	}
	var first *ChanOp
	for ci, c := range chans {
		if c == op.Chan || !b.closesLast(g, c, idx) {
			continue
		}
		for _, o := range c.Ops {
			if o.Kind != Recv || o.Select != nil || o.Deferred || o.Func != parent || o.InGo != home || o.Pos <= g.End || o.Pos >= op.Pos {
				continue
			}
			if first != nil && o.Pos >= first.Pos {
				continue
			}
			if !standsAmong(before, o.Node) {
				continue
			}
			if v, _ := b.judgeWait(g, c, o, sigOps[ci], chans, parent, home, idx); v != waitHolds {
				continue
			}
			first = o
		}
	}
	return first
}

// unseenEarlierRecv is a plain receive of the starting function from
// another channel of chans that g is handed too, written in a statement
// every path to op runs first; nil when there is none.
func (b *builder) unseenEarlierRecv(g *Goroutine, c *Chan, op *ChanOp, chans []*Chan) *ChanOp {
	if op.Func == nil {
		return nil
	}
	before := b.m.StmtsBefore(op.Pos)
	for _, c2 := range chans {
		if c2 == c || !b.handedUnseen(g, c2) {
			continue
		}
		for _, o := range c2.Ops {
			if o.Kind != Recv || o.Select != nil || o.Deferred || o.Func != op.Func || o.Pos <= g.End || o.Pos >= op.Pos {
				continue
			}
			if standsAmong(before, o.Node) {
				return o
			}
		}
	}
	return nil
}
