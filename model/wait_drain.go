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

// WaitNeverReturns is the wait-before-drain deadlock (WaitDeadlocks, the
// fact the waitbeforedrain check reports) seen from one goroutine, where
// the goroutine's own hover can state it: the wait GoWait names is a
// WaitGroup's Wait written in the function holding the go statement,
// after it and in no loop of it; a deadlock of that Wait names the
// goroutine among its senders, on an unbuffered channel (a buffered one
// blocks some sender, not one golens can name), with a send of the
// goroutine's own that every run of its literal or worker function
// reaches (RunCertain); and every close of the channel is in the waiting
// function after the Wait. The send then finds no receiver until the
// Wait returns, and the Wait does not return until the goroutine's Done,
// which runs after the send: "main waits for it with wg.Wait()" would
// promise a wait that never ends. nil when golens cannot prove it (a
// send on some paths only, a buffered channel, a wg.Go literal, which no
// go hover shows).
func (m *File) WaitNeverReturns(g *Goroutine) *WaitDrain {
	if g == nil || g.Func == nil {
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
	for _, d := range m.WaitDeadlocks() {
		if d.Wait != wait || d.Capacity != 0 || !m.closedAfter(d) {
			continue
		}
		for _, s := range d.Senders {
			if s.Go != g {
				continue
			}
			if op := m.CertainSend(s); op != nil {
				return &WaitDrain{Chan: d.Chan, Send: op, Drain: d.Drain}
			}
		}
	}
	return nil
}

// CertainSend is the first of s's sends that every run of its goroutine
// reaches (in its literal, or in the worker function it runs), or nil
// when each runs only on some paths. A deadlock whose senders have no
// certain send happens only on the runs that reach one (if n%2 == 1 {
// out <- n } with even inputs returns), so it is not stated as certain.
func (m *File) CertainSend(s WaitSender) *ChanOp {
	var body *Func
	if s.Go != nil {
		body = s.Go.Body
	}
	if s.Worker != nil {
		body = s.Worker.Func
	}
	for _, op := range s.Sends {
		// A wg.Go literal has no go statement: its sends carry it.
		f := body
		if s.Go == nil && s.Worker == nil {
			f = op.Func
		}
		if f != nil && op.Func == f && m.RunCertain(f, op.Pos) {
			return op
		}
		// A send in a closure f defers: every run of f reaches the
		// defer statement, and every run of the closure the send.
		if f != nil && DeferredSend(f, op) && m.RunCertain(f, op.Func.deferredBy.Pos) && m.RunCertain(op.Func, op.Pos) {
			return op
		}
	}
	return nil
}

// closedAfter reports whether every close of d's channel is in the
// waiting function after the Wait: none can make a send panic first.
func (m *File) closedAfter(d *WaitDeadlock) bool {
	for _, op := range d.Chan.Closes() {
		if op.Func != d.Wait.Func || op.InGo != d.Wait.InGo || op.Pos < d.Wait.Call.End() {
			return false
		}
	}
	return true
}
