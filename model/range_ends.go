package model

import "go/ast"

// Whether a range over a channel ends, and whether a channel carries an
// endless stream: the facts behind the range hover's "the loop never ends"
// and the unclosedrange check, read by both so that they cannot disagree
// (issue 9: one source of each fact).

// RangeEnds says whether the range loop op (a ChanOp of kind Range) can
// end. A range over a channel ends when the channel is closed and drained,
// or when a pass leaves the loop (https://go.dev/ref/spec#For_range,
// #Break_statements). Proven false — the loop never ends — when the
// channel is a variable made here (not nil on every path: NeverMade, whose
// range blocks forever, is another statement), not a parameter or a field,
// the model proves nothing closes it (Chan.Closed), and no pass can leave
// the loop early (LoopExits holds no break, return, goto, exit call, nor a
// call only named like one). Otherwise the certainty is that of the
// weakest part: Proven true when something closes it on every path or a
// pass leaves it for sure, Possible when it may be closed or a call named
// like an exit may leave, Unknown when the model cannot tell whether the
// channel is closed. A range over a time package channel (time.Tick,
// time.After, a Timer's or Ticker's C) never ends when no pass leaves it:
// the time package never closes them. It never ends either, whatever its
// body holds, when nothing sends on the channel and nothing closes it
// (Chan.NeverSentNorClosed): the body never runs. Operations of another kind, or on a
// channel the model does not name, are Unknown.
func (m *File) RangeEnds(op *ChanOp) Fact {
	if op == nil || op.Kind != Range {
		return Fact{}
	}
	rs, ok := op.Node.(*ast.RangeStmt)
	if !ok {
		return Fact{}
	}
	if c := op.Chan; c != nil && c.NeverSentNorClosed() {
		// The loop waits for its first value forever: no way out of its
		// body ever runs.
		return Fact{Certainty: Proven, Holds: false, Why: "nothing sends on `" + c.Name + "` and nothing closes it: the loop waits forever for its first value"}
	}
	exits := m.LoopExits(rs)
	for _, e := range exits {
		if e.Proven {
			return Fact{Certainty: Proven, Holds: true, Why: "`" + e.What + "` at line " + itoa(m.Line(e.Pos)) + " leaves the loop"}
		}
	}
	if op.TimeChan != "" || op.Source == "time.Tick" || op.Source == "time.After" {
		// The time package never closes its channels, and Stop does not
		// close them either (https://pkg.go.dev/time#Timer.Stop).
		if len(exits) > 0 {
			return Fact{Certainty: Possible, Why: "the `" + exits[0].What + "` call at line " + itoa(m.Line(exits[0].Pos)) + " may leave the loop"}
		}
		return Fact{Certainty: Proven, Holds: false, Why: "the time package never closes the channel, and no pass leaves the loop"}
	}
	c := op.Chan
	if c == nil || c.NeverMade() || c.IsParam || c.IsField {
		return Fact{Why: "the loop ranges over a channel the model does not follow to its make"}
	}
	closed := c.Closed()
	switch {
	case closed.ProvenTrue():
		return Fact{Certainty: Proven, Holds: true, Why: closed.Why}
	case len(exits) > 0:
		return Fact{Certainty: Possible, Why: "the `" + exits[0].What + "` call at line " + itoa(m.Line(exits[0].Pos)) + " may leave the loop"}
	case closed.Certainty == Possible:
		return Fact{Certainty: Possible, Why: closed.Why}
	case closed.IsUnknown():
		return Fact{Certainty: Unknown, Why: closed.Why}
	}
	return Fact{Certainty: Proven, Holds: false, Why: "nothing closes `" + c.Name + "` (" + closed.Why + "), and no pass leaves the loop"}
}

// SentForever reports whether c carries an endless stream: a send on it
// sits in a `for` loop without a condition that no pass leaves except by
// ending the program or its goroutine (File.LoopsForever), in the function
// that holds the send; or a library sends on it for the life of the
// program (signal.Notify: a summarised send without a position). Ranging
// over such a channel forever is the point (a ticker, an event loop), so
// the loop never ending is not a mistake.
func (m *File) SentForever(c *Chan) bool {
	if c == nil {
		return false
	}
	for _, u := range c.Indirect() {
		if u.Effect.Kind == EffSend && !u.Effect.Pos.IsValid() {
			return true
		}
	}
	// The endless loops of each sending function, found once per
	// function: a channel with many sends costs one walk of each body.
	endless := map[*Func][]ast.Node{}
	for _, op := range c.Sends() {
		if !op.InLoop || op.Func == nil {
			continue
		}
		loops, ok := endless[op.Func]
		if !ok {
			loops = m.endlessLoops(op.Func)
			endless[op.Func] = loops
		}
		for _, l := range loops {
			if l.Pos() <= op.Pos && op.Pos < l.End() {
				return true
			}
		}
	}
	return false
}

// endlessLoops lists the for loops of fn's own body (not of a function
// literal in it) that LoopsForever.
func (m *File) endlessLoops(fn *Func) []ast.Node {
	if fn.Body == nil {
		return nil
	}
	var out []ast.Node
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ForStmt:
			if m.LoopsForever(n) {
				out = append(out, n)
			}
		}
		return true
	})
	return out
}

// OwnDeferredCloses (a range over a channel) lists the closes of that
// channel when every one of them is deferred by the function that holds
// the loop itself (`defer close(ch)` above `for v := range ch`), and
// nothing golens follows closes it elsewhere: a deferred close runs when
// that function returns, which it cannot do while the loop runs, so none
// of them ends the loop. nil otherwise. For a parameter (Chan.IsParam)
// these are only the function's own closes: the code that passed the
// channel holds it too and may close it, which golens does not follow
// (r19j_double_close), so the loop may still end.
func (m *File) OwnDeferredCloses(r *ChanOp) []*ChanOp {
	if r == nil || r.Kind != Range {
		return nil
	}
	return onlyDeferredClosesOf(r)
}

// DeferredClosesAfter (a send) lists the closes of the send's channel
// when every close golens sees is a `defer close(ch)` of the function
// that makes the send itself, and nothing golens follows closes it
// elsewhere: each runs when that function returns, after this send, so in
// one call none of them comes before it (a send after the function
// returns — by another goroutine, or another call — would panic). nil
// otherwise.
func (m *File) DeferredClosesAfter(s *ChanOp) []*ChanOp {
	if s == nil || s.Kind != Send {
		return nil
	}
	return onlyDeferredClosesOf(s)
}

// SendCloses sorts the closes of a send's channel by when they run
// relative to the send, in one call of the send's own function.
type SendCloses struct {
	// Deferred are the closes that function defers: each runs when it
	// returns, after this send.
	Deferred []*ChanOp
	// NoReach are its other closes from which no path of the function
	// reaches the send (`close(out); return err` on an error path).
	NoReach []*ChanOp
	// Before are its other closes from which a path reaches the send:
	// on that path the send comes after the close, and panics.
	Before []*ChanOp
}

// ClosesOfSend sorts the closes of the send s's channel (SendCloses) when
// every one of them is in the send's own function and golens sees every
// close (nothing it does not follow closes the channel, Chan.Indirect).
// ok is false otherwise, when the channel has no close, and when the
// function's flow is not followed.
func (m *File) ClosesOfSend(s *ChanOp) (sc SendCloses, ok bool) {
	if s == nil || s.Kind != Send || s.Chan == nil || s.Func == nil || len(s.Chan.Indirect()) > 0 {
		return SendCloses{}, false
	}
	n := 0
	for _, o := range s.Chan.Ops {
		if o.Kind != Close {
			continue
		}
		if o.Func != s.Func {
			return SendCloses{}, false
		}
		n++
		if o.Deferred {
			sc.Deferred = append(sc.Deferred, o)
			continue
		}
		if o.Node == nil {
			return SendCloses{}, false
		}
		switch m.ReachAfter(o.Node, s.Pos) {
		case ReachNever:
			sc.NoReach = append(sc.NoReach, o)
		case ReachSome, ReachAlways:
			sc.Before = append(sc.Before, o)
		default:
			return SendCloses{}, false
		}
	}
	return sc, n > 0
}

// onlyDeferredClosesOf lists the closes of op's channel when every close
// golens sees is deferred by op's own function and nothing it follows
// closes the channel elsewhere (Chan.Indirect); nil otherwise. Both
// OwnDeferredCloses and DeferredClosesAfter rest on it.
func onlyDeferredClosesOf(op *ChanOp) []*ChanOp {
	if op.Chan == nil || op.Func == nil {
		return nil
	}
	var out []*ChanOp
	for _, o := range op.Chan.Ops {
		if o.Kind != Close {
			continue
		}
		if !o.Deferred || o.Func != op.Func {
			return nil
		}
		out = append(out, o)
	}
	if len(out) == 0 {
		return nil
	}
	for _, u := range op.Chan.Indirect() {
		// Handed to a function that only sends on it or receives from it
		// (fill(ch, nums), r20j_defer_close_range) closes nothing; one
		// that may close it, keep it or hand it back might.
		if k := u.Effect.Kind; k != EffSend && k != EffRecv && k != EffRange && !(k == EffReturn && returnsRecvOnly(u.Holder)) {
			return nil
		}
	}
	return out
}

// returnsRecvOnly reports whether every channel fn returns is typed
// receive-only (`func produce(...) <-chan result`): the caller can
// receive from it, and can neither send on it nor close it (a compile
// error: https://go.dev/ref/spec#Close).
func returnsRecvOnly(fn *Func) bool {
	if fn == nil || fn.Type == nil || fn.Type.Results == nil {
		return false
	}
	chans := 0
	for _, r := range fn.Type.Results.List {
		if ct, ok := ast.Unparen(r.Type).(*ast.ChanType); ok {
			if ct.Dir != ast.RECV {
				return false
			}
			chans++
		}
	}
	return chans > 0
}

// CloseHoldersText names, for a range whose function's only closes of the
// channel are its own deferred ones (OwnDeferredCloses), the code outside
// that function that holds the channel too and may close it, ending the
// loop: "the code that passed `ch`" for a parameter (r19j_double_close),
// "the code behind the call that set `out` at line 26" for a variable set
// from a call (r20e_double_close); "" for a channel made here, which
// nothing else holds.
func CloseHoldersText(m *File, c *Chan) string {
	switch {
	case c == nil:
		return ""
	case c.IsParam:
		return "the code that passed `" + c.Name + "`"
	case len(c.Assigned) > 0:
		return "the code behind the call that set `" + c.Name + "` at line " + itoa(m.Line(c.Assigned[0]))
	}
	return ""
}

// ClosesAfterRange (a range over a channel) lists the closes of its
// channel that cannot run before the loop ends, because the goroutine
// running the loop makes them only after it: closes written as plain
// statements of the range's own function, in the same goroutine body,
// after the loop's end, when no loop of that function holds the range
// (`for v := range ch { … }; close(ch)`: r22j_range_forgot_close), and
// the closes that function defers, which run when it returns
// (r22j_defer_close_twice). When every close is deferred there,
// OwnDeferredCloses says so instead. only reports that these are all
// the closes golens sees and that nothing it follows the channel into
// may close it (Chan.Indirect: only sends and receives): then nothing
// ends the loop but a way out of its body.
func (m *File) ClosesAfterRange(r *ChanOp) (after []*ChanOp, only bool) {
	if r == nil || r.Kind != Range || r.Chan == nil || r.Func == nil || r.InLoop || hasGoto(r.Func.Body) || onlyDeferredClosesOf(r) != nil {
		return nil, false // every close deferred: OwnDeferredCloses says it
	}
	others := 0
	for _, o := range r.Chan.Ops {
		if o.Kind != Close {
			continue
		}
		if o.Func == r.Func && o.InGo == r.InGo && (o.Deferred || o.Pos >= r.End) && o.ChanExpr == r.ChanExpr {
			after = append(after, o)
			continue
		}
		others++
	}
	if len(after) == 0 {
		return nil, false
	}
	only = others == 0
	for _, u := range r.Chan.Indirect() {
		if k := u.Effect.Kind; k != EffSend && k != EffRecv && k != EffRange && !(k == EffReturn && returnsRecvOnly(u.Holder)) {
			only = false
		}
	}
	if r.Chan.IsParam || r.Chan.IsField || !r.Chan.Local || len(r.Chan.Assigned) > 0 {
		only = false // code golens does not see here holds it too
	}
	return after, only
}
