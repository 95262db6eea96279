package model

// WaitDrain is why the wg.Wait() GoWait names never returns
// (WaitNeverReturns): the goroutine sends on Chan (at Send) before its
// Done, Chan is unbuffered, and the only receives of it (the first at
// Drain) come after the Wait in the function that waits.
type WaitDrain struct {
	Chan  *Chan
	Send  *ChanOp
	Drain *ChanOp
}

// WaitNeverReturns is the waitbeforedrain deadlock seen from one
// goroutine: the wait GoWait names is a WaitGroup's Wait written in the
// function holding the go statement, in no loop of it; the goroutine's own
// literal sends on a local unbuffered channel of that function with a
// plain send that every run of the literal reaches (RunCertain) and that
// comes before any Done of the WaitGroup in it (GoDoneOnlyAfter); and
// every receive of the channel is in the waiting function itself, after
// the Wait, nothing else closes or takes it (its mentions are only sends,
// receives, ranges, len and a close after the Wait). The send then finds
// no receiver until the Wait returns, and the Wait does not return until
// the goroutine's Done, which runs after the send: "main waits for it
// with wg.Wait()" would promise a wait that never ends. nil when golens
// cannot prove it. The waitbeforedrain check reports a broader shape
// (workers the channel is passed to, counted buffered sends) at the Wait;
// this is the part a goroutine's own hover can state. Computed on
// demand, outside the build.
func (m *File) WaitNeverReturns(g *Goroutine) *WaitDrain {
	if g == nil || g.Body == nil || g.Func == nil {
		return nil
	}
	w := g.Wait()
	if w.By == "" || w.Through != "" || w.GiveUp != "" || w.End != nil || !w.Pos.IsValid() {
		return nil
	}
	var wait *WaitGroupOp
	for _, op := range m.WaitGroups {
		if op.Kind == WGWait && op.Pos == w.Pos && !op.Deferred && op.Func == g.Func && op.Call != nil {
			wait = op
		}
	}
	// A Wait in a loop can run after a receive of an earlier pass.
	if wait == nil || wait.Pos < g.End || m.InnermostLoop(wait.Pos) != nil {
		return nil
	}
	after := func(op *ChanOp) bool {
		return op.Func == g.Func && op.InGo == wait.InGo && op.Pos >= wait.Call.End()
	}
	for _, op := range m.ChanOps {
		if op.Kind != Send || op.InGo != g || op.Func != g.Body || op.Select != nil || op.Chan == nil {
			continue
		}
		c := op.Chan
		if c.IsParam || c.IsField || len(c.Makes) != 1 || len(c.Assigned) > 0 || len(c.NilSets) > 0 {
			continue
		}
		if capacity, known := c.Capacity(); !known || capacity != 0 || m.FuncAt(c.Decl) != g.Func {
			continue
		}
		if !m.RunCertain(g.Body, op.Pos) || !m.GoDoneOnlyAfter(g, wait.Key, op.Pos) {
			continue
		}
		var drain *ChanOp
		ok := true
		for _, r := range c.Refs() {
			switch r.Kind {
			case RefSend, RefLen:
			case RefDef:
				ok = ok && r.Ident.Pos() == c.Decl
			case RefRecv, RefRange, RefClose:
				if r.Op == nil || !after(r.Op) {
					ok = false
				} else if r.Kind != RefClose && (drain == nil || r.Op.Pos < drain.Pos) {
					drain = r.Op
				}
			default:
				ok = false
			}
		}
		if ok && drain != nil {
			return &WaitDrain{Chan: c, Send: op, Drain: drain}
		}
	}
	return nil
}
