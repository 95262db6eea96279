package hints

import (
	"go/ast"
	"go/token"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/golens/golens/model"
)

// blockTip is the data of the blocking tooltips.
type blockTip struct {
	Subject  string
	TimeKind string // model.ChanOp.TimeChan: "Timer", "Ticker", "time", "AfterFunc"
	TimeFunc string // model.ChanOp.TimeFunc: "After", "Tick" (no Stop)
	TimeCall bool   // the channel is the call itself: range time.Tick(d)
	// DrainRule: the drain of `if !t.Stop() { <-t.C }` under synchronous
	// timers, as model.File.Timers names them (the hover reads the same).
	DrainRule, DrainTimer string
	Chan                  string
	Cap                   string
	CapKnown              bool
	// MadeHere: the channel variable is made in this file, but which make
	// reaches this operation is not known (it is assigned again, or read
	// by a function literal that may run after a reassignment).
	MadeHere   bool
	Unbuffered bool
	Nil        bool
	// NilField: the name of the field the channel is, when the package
	// never sets it (model.File.NilField, the fact the nilchan check
	// reports): Nil is set too.
	NilField string
	NilSets  []int
	Closes   []int // closes that run on every path of the function holding the channel
	// ClosesIfCalled: outside package main, Closes sit in a function
	// nothing in the package calls (model.File.CloseIfCalled, the fact the
	// hover states): "`(*Mailbox).Shutdown` is called (line 19; ...)",
	// said after "closed only if" in place of "closed at Closes".
	ClosesIfCalled string
	// ClosesUncalled: in package main, Closes sit in a function nothing
	// calls (model.File.UncalledIn, which the hover says too).
	ClosesUncalled string
	MayCloses      []int  // closes that run only on some paths
	MayWhen        string // their condition: "when `ok` holds", "" when the model names none
	// MayOtherCall (a receive or range): each of MayCloses sits where this
	// call of the function holding it and the operation never closes
	// before the operation (model.File.CloseInOtherCall, the fact the
	// hover states): the function, named for the text ("`Get`", "the
	// function literal"), said instead of MayWhen, which
	// is the closing call's condition, not this one's. MayOtherMade: the
	// line of the channel's make when it is made on the closing branch.
	MayOtherCall string
	MayOtherMade int
	ClosedVia    string // closed through a call (the model's Closed fact)
	// CloseAfterWait: a range's closes all come after the wait for its
	// goroutine (model.File.ClosesAfterWait; the range hover says it too).
	CloseAfterWait string
	ClosedWhy      string // where it escapes, when golens cannot tell
	NeverClose     bool   // proven: nothing closes it
	// CloseAfterRange (a range): the lines of closes that run only after
	// the loop ends (model.File.ClosesAfterRange); CloseAfterRangeOnly:
	// no other close is seen, nor can one be made where golens does not
	// look.
	CloseAfterRange     []int
	CloseAfterRangeOnly bool
	// PanicCloseAt, PanicCloseWhy: a close before the operation on every
	// path panics, a call having closed the channel first
	// (model.File.PanickingCloseBefore): the operation is never reached.
	PanicCloseAt  int
	PanicCloseWhy string
	// ClosedFirst (a receive): the line of the channel's close that runs
	// before this receive on every path into it (model.File.ClosedBefore):
	// the receive never blocks.
	ClosedFirst int
	// CloseAfterRecv (a receive): every close of the channel is its own
	// function's, after this receive, and nothing else closes it
	// (model.File.ClosedAfter): it waits for a value, not for the close.
	CloseAfterRecv bool
	// RangedFirst (a receive): the line of a range over the channel that
	// only its close ends and that runs before this receive
	// (model.File.RangedBefore).
	RangedFirst int
	// SemSend (a receive): the line of the send on the same channel that
	// runs before it, once for each run of it, when every receive of the
	// channel has such a send of its own (model.File.SemRelease).
	SemSend int
	// QueuedSend, QueuedGo, QueuedBy, QueuedWait (a receive): the send of
	// the goroutine started at QueuedGo that has queued a value whenever
	// this receive runs, because QueuedBy at QueuedWait waited for that
	// goroutine first (model.File.QueuedBefore).
	QueuedSend, QueuedGo, QueuedWait int
	QueuedBy                         string
	// RoomMade, RoomSends, RoomReturned (a send): the line of the
	// channel's one make, the number of sends on it (no more than its
	// buffer, Cap), and whether it leaves its function only as a <-chan
	// result (model.File.SendRoom): the send never blocks.
	RoomMade, RoomSends int
	// RoomMayClose (send.room): the model does not prove the channel is
	// never closed (model.Chan.Closed), so the send that always finds room
	// may still find it closed, and panic (r20b_send_after_close).
	RoomMayClose bool
	RoomReturned bool
	RoomMethod   string // a field: the method holding every send (SendRoom.Method)
	// RoomJob* (a field whose channels are carried in job values,
	// SendRoom.Job): the field's name, the lines of the fresh makes
	// stored in it and of the sends carrying them, and the variable this
	// send's value was received into, from RoomJobVia at RoomJobRecv.
	RoomJobField, RoomJobVar, RoomJobVia string
	RoomJobMade, RoomJobCarry            []int
	RoomJobRecv                          int
	// NeverSentNorClosed: the model proves nothing sends on the channel
	// and nothing closes it (model.Chan.NeverSentNorClosed, the fact the
	// receive and range hovers state and nopartner reports from): a
	// receive blocks forever, a range never ends.
	NeverSentNorClosed bool
	// NeverReady: the select's receive cases on such channels, by
	// channel: those cases are never ready.
	NeverReady []string
	TimeChan   bool // the C of a time.Timer or Ticker (model.Chan.TimeChan)
	// CloseAfter, Func (a range): the channel's only closes are deferred
	// by the function holding the loop, Func, so they run after it
	// (model.File.OwnDeferredCloses, which the range hover reads too).
	// A send: the same of the function making the send
	// (model.File.DeferredClosesAfter); InLit when Func is a literal.
	CloseAfter []int
	// CloseNoReach (a send, with CloseAfter): the function's other
	// closes, from which no path reaches the send
	// (model.File.ClosesNotBeforeSend).
	CloseNoReach []int
	// CloseBefore (a send, with CloseAfter): the function's other closes,
	// from which a path reaches the send.
	CloseBefore []int
	Func        string
	InLit       bool
	// CloseAfterOther (a range, with CloseAfter): the code outside the
	// function that holds the channel too and may close it, as the range
	// hover names it.
	CloseAfterOther string
	// AlsoClosedVia (a range, with Closes): the closes through calls
	// besides those written on the channel (model.File.CallCloseTexts),
	// joined by "; also ".
	AlsoClosedVia string
	CommaOk       bool
	InLoop        bool
	Range         bool
	Dur           string
	// select
	Cases   int
	Default bool
	AllNil  bool
	Timeout string
	// Delay: Timeout is a timer beside no case that waits for a value or
	// a partner (model.SelectCase.Delay): every case that can end the
	// wait is a timer, so none is "bounded" by it.
	Delay      bool
	MoreTimers bool // another Delay case besides Timeout
	// ClosedByGo, ClosedWaitBy, ClosedWaitAt: with ClosedFirst, the
	// goroutine (its go statement's line) that closes the channel on every
	// path by which it ends, and the wait for it that runs before this
	// operation (model.File.ClosedByWaited).
	ClosedByGo int
	// ClosedSignal...: with ClosedFirst, a send after `<-signal` whose
	// every close follows ClosedFirst, a close of the channel or a range
	// over it that only its close ends (ClosedSignalRange)
	// (model.File.ClosedBySignal).
	ClosedSignalName                    string
	ClosedSignalRecv, ClosedSignalClose int
	ClosedSignalRange                   bool
	ClosedWaitBy                        string
	ClosedWaitAt                        int
	// TimeoutIfCancelled: Timeout is a ctx.Done() case of a context golens
	// does not know to have a deadline: it ends the wait only if the
	// context is cancelled.
	TimeoutIfCancelled bool
	// IdleTimer: no case bounds the wait but this Timer channel, which
	// the model does not prove armed at the select.
	IdleTimer string
	// LoopAfter: a select in a loop with a time.After case.
	LoopAfter bool
	Leaks     []leak
	// locks
	Type string
	Read bool
	// What the model's lock flow proves about this Lock: the early exits
	// that leave it held (model.LockLeak.Leaked) and the lock this
	// goroutine already holds here (model.LockRelock): the facts
	// lockleak reports.
	LockLeaks []lockLeakTip
	Relock    *relockTip
	// LockedVia is set on a call of a helper that returns holding a
	// mutex: "`t.mu` (at line 13)".
	LockedVia string
}

type lockLeakTip struct {
	Via                        string // "return", "break", "continue", "body-end"
	Line, SkipLine, RelockLine int
	Unlock                     string
}

type relockTip struct {
	Line       int
	HeldMethod string
	Proven     bool
	Why        string
}

// lockTip reads the lock flow of l for its tooltip.
func (s *state) lockTip(l *model.LockOp, tip *blockTip) {
	lf := l.Flow()
	if lf == nil || !lf.Known {
		return
	}
	rel, _ := model.ReleaseOf(l.Kind)
	for _, lk := range lf.Leaks {
		if !lk.Leaked() {
			continue
		}
		t := lockLeakTip{Via: lk.Via.String(), Line: s.line(lk.At), SkipLine: s.line(lk.Skips.Pos), Unlock: rel.String()}
		if lk.Skips.Through != "" {
			t.Unlock = "`" + s.m.Text(lk.Skips.Call.Pos(), lk.Skips.Call.End()) + "`"
		}
		if lk.Relock != nil {
			t.RelockLine = s.line(lk.Relock.Pos)
		}
		tip.LockLeaks = append(tip.LockLeaks, t)
	}
	if r := lf.Relock; r != nil {
		tip.Relock = &relockTip{Line: s.line(r.Held.Pos), HeldMethod: r.Held.Kind.String(), Proven: r.Certainty == model.Proven, Why: r.Why}
	}
}

// maxInline is the longest expression quoted inside a label.
const maxInline = 10

func (s *state) blocking() {
	m := s.m
	for _, op := range m.ChanOps {
		if op.Select != nil {
			continue // a case's operation is covered by its select's hint
		}
		if !op.MayBlock() {
			continue // a close
		}
		s.chanOp(op)
	}
	for _, sel := range m.Selects {
		s.selectStmt(sel)
	}
	locks := m.Locks
	for _, f := range m.Funcs {
		// The calls of helpers that return holding a mutex (s.begin()):
		// they block as a Lock does, and lockleak reports their leaks.
		if s.only >= 0 && (s.only < s.off(f.Pos) || s.only > s.off(f.End)) ||
			s.only < 0 && (s.off(f.End) < s.start || s.off(f.Pos) > s.end) {
			continue
		}
		locks = append(locks[:len(locks):len(locks)], f.LockCalls()...)
	}
	for _, l := range locks {
		if l.Deferred || (l.Kind != model.Lock && l.Kind != model.RLock) {
			continue
		}
		obj, at := s.off(l.Pos), s.off(l.Call.End())
		if s.skip(obj, at) {
			continue
		}
		name := "lock"
		if l.Kind == model.RLock {
			name = "rlock"
		}
		it := item{kind: Blocking, obj: obj, sub: 'b', off: at, label: label(name, labelArgs{})}
		if s.wantTip {
			tip := blockTip{Subject: s.m.Text(l.Call.Pos(), l.Call.End()), Type: l.Type, Read: l.Kind == model.RLock}
			if l.Through != "" {
				tip.LockedVia = "`" + l.Recv + "` (" + strings.TrimPrefix(l.Through, "which locks it ") + ")"
			}
			s.lockTip(l, &tip)
			it.tip, it.tipData = "lock", tip
		}
		s.emit(&it)
	}
	for _, w := range m.WaitGroups {
		if w.Kind != model.WGWait || w.Deferred {
			continue
		}
		obj, at := s.off(w.Pos), s.off(w.Call.End())
		if s.skip(obj, at) {
			continue
		}
		it := item{kind: Blocking, obj: obj, sub: 'b', off: at, label: label("wg.wait", labelArgs{})}
		if s.wantTip {
			it.tip, it.tipData = "wg.wait", blockTip{Subject: s.m.Text(w.Call.Pos(), w.Call.End())}
		}
		s.emit(&it)
	}
	for _, t := range m.TimeCalls {
		if t.Name != "Sleep" || t.Case != nil || s.isDeferredCall(t.Func, t.Call) {
			continue
		}
		obj, at := s.off(t.Pos), s.off(t.Call.End())
		if s.skip(obj, at) {
			continue
		}
		var it item
		value := s.duration(t)
		switch {
		case value == "0s" || len(value) > 0 && value[0] == '-' || t.Arg == "0":
			it.label = label("sleep.zero", labelArgs{})
		case value != "" && len(value) <= maxLabel-len("sleeps for "):
			it.label = label("sleep", labelArgs{S: value})
		case t.Arg != "" && utf8.RuneCountInString(t.Arg) <= maxLabel-len("sleeps for "):
			it.label = label("sleep", labelArgs{S: t.Arg})
		default:
			it.label = label("sleep", labelArgs{})
		}
		it.kind, it.obj, it.sub, it.off = Blocking, obj, 'b', at
		if s.wantTip {
			it.tip, it.tipData = "sleep", blockTip{Subject: s.m.Text(t.Call.Pos(), t.Call.End()), Dur: value}
		}
		s.emit(&it)
	}
	s.condWaits()
}

// isDeferredCall reports whether call is the call of one of f's defer
// statements: it runs at return, so the defer hint covers it.
func (s *state) isDeferredCall(f *model.Func, call *ast.CallExpr) bool {
	if f == nil {
		return false
	}
	for _, d := range f.Defers {
		if d.Node != nil && d.Node.Call == call {
			return true
		}
	}
	return false
}

// nilSetsAt are the `ch = nil` assignments whose nil can reach op: the
// model's per-path value of the variable there (ChanOp.At) when it has
// one — `if ch != nil { ch <- v; ch = nil }` sees no nil — else every
// such assignment of the channel.
func nilSetsAt(op *model.ChanOp) []token.Pos {
	if v := op.At(); v != nil {
		return v.NilSet
	}
	return op.Chan.NilSets
}

func (s *state) chanOp(op *model.ChanOp) {
	obj := s.off(op.Pos)
	at := s.off(op.End)
	if rs, ok := op.Node.(*ast.RangeStmt); ok {
		at = s.off(rs.X.End())
	}
	if s.skip(obj, at) {
		return
	}
	it := item{kind: Blocking, obj: obj, sub: 'b', off: at}
	tip := blockTip{Chan: op.ChanExpr, CommaOk: op.CommaOk, InLoop: op.InLoop, Range: op.Kind == model.Range}
	c := op.Chan
	if c != nil {
		tip.Nil = s.nilChan(c)
		if v := s.m.NilField(c); v != nil {
			tip.NilField = v.Name()
		}
		if s.wantTip {
			tip.NilSets = s.lines(nilSetsAt(op))
			otherValue := false // a close of the same field of another value: close(a.quit) said of b.quit
			var every []*model.ChanOp
			for _, cl := range c.EveryPathCloses() { // not a deferred close that never runs
				if c.IsField && s.m.CloseOfOtherValue(op, cl) {
					otherValue = true
					continue
				}
				tip.Closes = append(tip.Closes, s.line(cl.Pos))
				every = append(every, cl)
			}
			tip.ClosesIfCalled = s.m.CloseIfCalled(every, op.Func)
			tip.ClosesUncalled = s.m.UncalledIn(every)
			if len(every) == 1 && tip.ClosesUncalled == "" {
				if r := s.m.AfterOpenRange(every[0]); r != nil {
					// The hover's words for a close behind a range golens
					// cannot tell ends (model.File.AfterOpenRange).
					tip.ClosesUncalled = "only once the range over `" + r.ChanExpr + "` at line " + strconv.Itoa(s.line(r.Pos)) + " ends, and golens cannot tell whether `" + r.ChanExpr + "` is ever closed"
				}
			}
			some, when := c.SomePathsCloses()
			for _, cl := range some {
				if c.IsField && s.m.CloseOfOtherValue(op, cl) {
					otherValue = true
					continue
				}
				tip.MayCloses = append(tip.MayCloses, s.line(cl.Pos))
			}
			if len(tip.MayCloses) < len(some) {
				when = nil // the conditions named were those of all the closes
			}
			if len(when) == 1 {
				tip.MayWhen = when[0]
			}
			if (op.Kind == model.Recv || op.Kind == model.Range) && len(tip.MayCloses) > 0 {
				tip.MayOtherCall, tip.MayOtherMade = s.otherCallCloses(op, some)
			}
			if op.Kind == model.Send && len(tip.Closes) > 0 && len(s.m.DeferredClosesAfter(op)) > 0 {
				// Only closes this send's own function defers: each runs at
				// its return, after this send (the send hover's fact).
				tip.CloseAfter, tip.Closes = tip.Closes, nil
				tip.Func, tip.InLit = funcName(op.Func), op.Func.Lit
			} else if op.Kind == model.Send && len(tip.Closes) > 0 {
				// Its own deferred closes and closes on paths that leave
				// without reaching this send (close(out); return err).
				if sc, ok := s.m.ClosesOfSend(op); ok && len(sc.Deferred) > 0 && len(sc.NoReach)+len(sc.Before) > 0 {
					after := s.lines(chanOpPositions(sc.Deferred))
					running := true
					for _, l := range after {
						running = running && slices.Contains(tip.Closes, l)
					}
					if running {
						tip.CloseAfter, tip.Closes, tip.MayCloses = after, nil, nil
						if len(sc.Before) > 0 {
							tip.CloseBefore = s.lines(chanOpPositions(sc.Before))
						} else {
							tip.CloseNoReach = s.lines(chanOpPositions(sc.NoReach))
						}
						tip.Func, tip.InLit = funcName(op.Func), op.Func.Lit
					}
				}
			}
			if op.Kind == model.Range {
				for _, cl := range s.m.OwnDeferredCloses(op) {
					tip.CloseAfter = append(tip.CloseAfter, s.line(cl.Pos))
				}
				if len(tip.CloseAfter) > 0 {
					tip.Func, tip.CloseAfterOther = funcName(op.Func), model.CloseHoldersText(s.m, op.Chan)
				}
				tip.CloseAfterWait = model.CloseAfterWaitText(s.m, s.m.ClosesAfterWait(op))
				if after, only := s.m.ClosesAfterRange(op); len(after) > 0 {
					// Closes that run only after the loop ends cannot end
					// it (the range hover's fact).
					al := s.lines(chanOpPositions(after))
					drop := func(ls []int) []int {
						return slices.DeleteFunc(ls, func(l int) bool { return slices.Contains(al, l) })
					}
					tip.Closes, tip.MayCloses = drop(tip.Closes), drop(tip.MayCloses)
					tip.CloseAfterRange, tip.CloseAfterRangeOnly, tip.Func = al, only, funcName(op.Func)
					tip.AlsoClosedVia = strings.Join(s.m.CallCloseTexts(c), "; also ")
				}
				if len(tip.Closes) > 0 {
					tip.AlsoClosedVia = strings.Join(s.m.CallCloseTexts(c), "; also ")
				}
			}
			tip.NeverSentNorClosed = !tip.Nil && c.NeverSentNorClosed()
			switch {
			case len(tip.Closes) > 0, len(tip.MayCloses) > 0, otherValue, len(tip.CloseAfterRange) > 0:
			case c.Closed().Certainty == model.Proven && c.Closed().Holds, c.Closed().Certainty == model.Possible:
				tip.ClosedVia = c.Closed().Why
			case c.Closed().ProvenFalse():
				tip.NeverClose, tip.TimeChan = true, c.TimeChan()
			case c.Closed().IsUnknown():
				tip.ClosedWhy = c.Closed().Why
			}
		}
	}
	tipName := ""
	switch {
	case op.TimeChan == "AfterFunc":
		// The C of a Timer from time.AfterFunc is nil (model/afterfunc_timers.go).
		it.label = label("nil", labelArgs{})
		tipName, tip.TimeKind = "timechan", op.TimeChan
	case tip.Nil:
		it.label = label("nil", labelArgs{})
		tipName = map[model.OpKind]string{model.Send: "send", model.Recv: "recv", model.Range: "range"}[op.Kind]
	case op.Select == nil && panicsFirst(s.m, op):
		// A close before it panics: it is never reached.
		cl, cf := s.m.PanickingCloseBefore(op)
		tipName = "closepanicfirst"
		it.label = label("closepanicfirst", labelArgs{N: s.line(cl.Pos)})
		tip.PanicCloseAt, tip.PanicCloseWhy = s.line(cl.Pos), cf.Text(s.m)
	case op.Kind == model.Send && op.Select == nil && s.m.ClosedBefore(op) != nil:
		// Closed earlier on every path in this function.
		tipName = "send.closedfirst"
		it.label = label("send.closed", labelArgs{})
		tip.ClosedFirst = s.line(s.m.ClosedBefore(op).Pos)
	case op.Kind == model.Send && op.Select == nil && s.m.ClosedBeforeStart(op) != nil:
		// Closed before the go statement that starts this literal.
		tipName = "send.closed"
		it.label = label("send.closed", labelArgs{})
		tip.ClosedFirst = s.line(s.m.ClosedBeforeStart(op).Pos)
	case op.Kind == model.Send && op.Select == nil && s.m.ClosedByWaited(op) != nil:
		// Closed by a goroutine this function waited for first.
		wc := s.m.ClosedByWaited(op)
		tipName = "send.closedwaited"
		it.label = label("send.closed", labelArgs{})
		tip.ClosedFirst, tip.ClosedByGo, tip.ClosedWaitBy, tip.ClosedWaitAt = s.line(wc.Close), s.line(wc.Go.Pos), wc.WaitBy, s.line(wc.Wait)
	case op.Kind == model.Send && op.Select == nil && s.m.ClosedBySignal(op) != nil:
		// Closed before the close of a signal this function waits for.
		sc := s.m.ClosedBySignal(op)
		tipName = "send.closedsignal"
		it.label = label("send.closed", labelArgs{})
		tip.ClosedFirst, tip.ClosedSignalRange, tip.ClosedSignalName = s.line(sc.Closed), sc.ByRange, sc.Signal
		tip.ClosedSignalRecv, tip.ClosedSignalClose = s.line(sc.Recv), s.line(sc.SignalClose)
	case op.Kind == model.Send && s.m.SendRoom(op) != nil:
		// The buffer holds every value ever sent on this channel: the
		// send never waits (the send hover reads the same fact).
		room := s.m.SendRoom(op)
		tipName = "send.room"
		// The label says what the tooltip proves: "waits if 1 queued"
		// beside a tooltip saying it never comes to that read as a
		// contradiction (r18i_ctx_deadline_ok).
		it.label = label("send.room", labelArgs{})
		tip.CapKnown, tip.Cap = true, strconv.FormatInt(room.Cap, 10)
		tip.RoomMade, tip.RoomSends, tip.RoomReturned, tip.RoomMethod = s.line(room.Make.Pos), len(room.Sends), room.Returned, room.Method
		tip.RoomMayClose = !op.Chan.Closed().ProvenFalse()
		if j := room.Job; j != nil {
			tip.RoomJobField, tip.RoomJobVar, tip.RoomJobVia, tip.RoomJobRecv = j.Field, j.Var, j.Recv.ChanExpr, s.line(j.Recv.Pos)
			for _, mk := range j.Makes {
				tip.RoomJobMade = append(tip.RoomJobMade, s.line(mk.Pos))
			}
			for _, c := range j.Carriers {
				tip.RoomJobCarry = append(tip.RoomJobCarry, s.line(c.Pos))
			}
		}
	case op.Kind == model.Send:
		tipName = "send"
		// The channel this send uses, per path (the variable may be
		// reassigned): the model's answer, which hover reads too.
		capacity, known := op.Capacity()
		if pm := s.m.MadeInPackage(c); !known && pm != nil && pm.CapKnown {
			// A package variable made in another file (typed tier).
			capacity, known = pm.Capacity, true
		}
		switch {
		case known && capacity == 0:
			it.label = label("send.unbuffered", labelArgs{})
			tip.Unbuffered, tip.CapKnown = true, true
		case known:
			it.label = label("send.buffered", labelArgs{N: int(capacity)})
			tip.CapKnown, tip.Cap = true, strconv.FormatInt(capacity, 10)
		case c != nil && op.MakeAt() != nil && len(c.Assigned) == 0 && !c.IsParam && op.MakeAt().CapExpr != "" && len(op.MakeAt().CapExpr) <= maxInline:
			it.label = label("send.bufexpr", labelArgs{S: op.MakeAt().CapExpr})
			tip.Cap = op.MakeAt().CapExpr
		default:
			it.label = label("send.unknown", labelArgs{})
			if c != nil && op.MakeAt() != nil && len(c.Assigned) == 0 && !c.IsParam {
				// Made here with a size too long for the label: the
				// tooltip still says where, not "golens does not see
				// where it is made".
				tip.Cap = op.MakeAt().CapExpr
			}
			tip.MadeHere = tip.Cap == "" && c != nil && len(c.Makes) > 0
		}
	case op.TimeChan != "" || op.Kind == model.Range && op.Source == "time.Tick":
		// The C of a time.Timer or time.Ticker (model.ChanOp.TimeChan),
		// or `for range time.Tick(d)`: the time package sends on it and
		// never closes it. time.After's and time.Tick's channels have no
		// Stop (ChanOp.TimeFunc).
		tip.TimeKind, tip.TimeFunc = op.TimeChan, op.TimeFunc
		if op.TimeChan == "" {
			tip.TimeKind, tip.TimeFunc, tip.TimeCall = "Ticker", "Tick", true
		}
		tipName = "timechan"
		switch {
		case op.Kind == model.Range && op.Source == "time.Tick" && s.tickNonPositive(op) != "":
			// time.Tick(d) with d <= 0 returns nil: the range blocks
			// forever (go doc time.Tick), as the hover says.
			it.label = label("nil", labelArgs{})
			tipName, tip.Subject, tip.Dur = "recv.ticknil", "time.Tick", s.tickNonPositive(op)
		case op.Kind == model.Range && tip.TimeKind == "Ticker":
			it.label = label("range.tick", labelArgs{})
		case op.Kind == model.Range:
			it.label = label("range.timer", labelArgs{})
		case op.TimeChan == "Ticker":
			it.label = label("recv.tick", labelArgs{})
		case op.DrainAfterStop && s.timersSync() != "":
			// Stop returned false: the value was received or the timer
			// stopped, and no stale value is left; only a Reset sends.
			it.label = label("recv.drain", labelArgs{})
			tip.DrainRule, tip.DrainTimer = s.timersSync(), strings.TrimSuffix(op.ChanExpr, ".C")
		default:
			it.label = label("recv.timer", labelArgs{})
		}
	case op.Kind == model.Range && s.m.ClosedBefore(op) != nil:
		// Closed before the loop on every path: it drains what is
		// queued and ends, without waiting.
		tipName = "range.closed"
		it.label = label("range.closed", labelArgs{})
		tip.ClosedFirst = s.line(s.m.ClosedBefore(op).Pos)
	case op.Kind == model.Range:
		tipName = "range"
		it.label = label("range", labelArgs{})
	case op.Kind == model.Recv && op.Select == nil && s.m.ClosedBefore(op) != nil:
		// The channel is already closed whenever this receive runs: it
		// takes a value still queued or the zero value, at once.
		tipName = "recv.closed"
		it.label = label("recv.closed", labelArgs{})
		tip.ClosedFirst = s.line(s.m.ClosedBefore(op).Pos)
	case op.Kind == model.Recv && op.Select == nil && s.m.RangedBefore(op) != nil:
		// A range over it that only the close ends came first: it is
		// closed and drained whenever this receive runs.
		tipName = "recv.ranged"
		it.label = label("recv.closed", labelArgs{})
		r := s.m.RangedBefore(op)
		tip.RangedFirst = s.line(r.Pos)
		if r.Kind == model.Recv {
			tipName = "recv.okloop" // a for loop only `if !ok { break }` ends
		}
	case op.Kind == model.Recv && op.Select == nil && s.m.QueuedBefore(op) != nil:
		// The wait before it saw the goroutine finish, after its send
		// had queued a value: it takes that value at once.
		q := s.m.QueuedBefore(op)
		tipName = "recv.queued"
		it.label = label("recv.queued", labelArgs{})
		tip.QueuedSend, tip.QueuedGo, tip.QueuedBy, tip.QueuedWait = s.line(q.Send.Pos), s.line(q.Go.Pos), q.By, s.line(q.Wait)
	case op.Kind == model.Recv && op.Select == nil && s.m.ClosedByWaited(op) != nil:
		// Closed by a goroutine this function waited for first.
		wc := s.m.ClosedByWaited(op)
		tipName = "recv.closedwaited"
		it.label = label("recv.closed", labelArgs{})
		tip.ClosedFirst, tip.ClosedByGo, tip.ClosedWaitBy, tip.ClosedWaitAt = s.line(wc.Close), s.line(wc.Go.Pos), wc.WaitBy, s.line(wc.Wait)
	case op.Kind == model.Recv && op.Select == nil && s.m.SemRelease(op) != nil:
		// A semaphore release: its own send came first, and no receive
		// takes a token it did not send.
		tipName = "recv.sem"
		it.label = label("recv.sem", labelArgs{})
		tip.SemSend = s.line(s.m.SemRelease(op).Pos)
	default: // receive
		tipName = "recv"
		it.label = label("recv", labelArgs{})
		if c != nil && len(c.Closes()) == 0 && c.Closed().ProvenFalse() {
			// The model proves nothing closes it (the hover says
			// "Nothing closes ch"): the wait is for a value only.
			it.label = label("recv.value", labelArgs{})
		} else if op.Select == nil && len(s.m.ClosedAfter(op)) > 0 {
			// Closed only by its own function, after it (the hover says
			// so too): the close cannot end this wait.
			it.label = label("recv.value", labelArgs{})
			tip.CloseAfterRecv = len(tip.Closes)+len(tip.MayCloses) > 0
		}
		if u, ok := op.Node.(*ast.UnaryExpr); ok {
			if call, ok := ast.Unparen(u.X).(*ast.CallExpr); ok {
				s.indexCalls()
				if tc := s.timeOf[call]; tc != nil {
					switch tc.Name {
					case "After":
						d := s.duration(tc)
						dur := d
						if d == "" && utf8.RuneCountInString(tc.Arg) <= maxInline {
							d = tc.Arg
						}
						if len(d) > maxLabel-len("waits for ") {
							d = ""
						}
						it.label = label("recv.after", labelArgs{S: d})
						tipName, tip.Subject, tip.Dur = "recv.after", tc.Arg, dur
					case "Tick":
						it.label = label("recv.tick", labelArgs{})
						tipName = "recv.tick"
						if d := tc.Value; d == "0s" || strings.HasPrefix(d, "-") {
							// time.Tick(d) with d <= 0 returns nil: no tick ever comes.
							it.label = label("nil", labelArgs{})
							tipName, tip.Subject, tip.Dur = "recv.ticknil", "time.Tick", d
						}
					}
				} else if o, _ := op.Ctx(); o == model.CtxNever {
					// context.Background().Done(): nil, never ready.
					it.label = label("nil", labelArgs{})
					tipName, tip.Subject = "recv.done", s.m.Text(call.Pos(), call.End())
				} else if cc := s.ctxOf[call]; cc != nil && cc.Name == "Done" {
					it.label = label("recv.done", labelArgs{})
					tipName, tip.Subject = "recv.done", s.m.Text(call.Pos(), call.End())
				}
			}
		}
	}
	if s.wantTip {
		it.tip, it.tipData = tipName, tip
	}
	s.emit(&it)
}

// indexCalls maps call expressions to the time and context calls the model
// recorded, once per state.
func (s *state) indexCalls() {
	if s.timeOf != nil {
		return
	}
	s.timeOf = make(map[*ast.CallExpr]*model.TimeCall, len(s.m.TimeCalls))
	for _, t := range s.m.TimeCalls {
		s.timeOf[t.Call] = t
	}
	s.ctxOf = make(map[*ast.CallExpr]*model.ContextCall, len(s.m.CtxCalls))
	for _, c := range s.m.CtxCalls {
		s.ctxOf[c.Call] = c
	}
}

func (s *state) selectStmt(sel *model.Select) {
	if sel.Node == nil || sel.Node.Body == nil {
		return
	}
	obj := s.off(sel.Pos)
	at := s.off(sel.Node.Body.Lbrace + 1)
	if s.skip(obj, at) {
		return
	}
	tip := blockTip{Default: sel.Default != nil, InLoop: sel.InLoop}
	allNil := true
	for _, c := range sel.Cases {
		if c.Default {
			continue
		}
		tip.Cases++
		if c.Op == nil || c.Op.Chan == nil || !s.nilChan(c.Op.Chan) {
			allNil = false
		}
		if c.Op != nil && c.Op.Chan != nil {
			tip.NilSets = append(tip.NilSets, s.lines(nilSetsAt(c.Op))...)
		}
		if s.wantTip && c.Op != nil && c.Op.Kind == model.Recv && c.Op.Chan != nil && !s.nilChan(c.Op.Chan) && c.Op.Chan.NeverSentNorClosed() {
			tip.NeverReady = append(tip.NeverReady, c.Op.ChanExpr)
		}
	}
	it := item{kind: Blocking, obj: obj, sub: 'b', off: at}
	switch {
	case !sel.MayBlock():
		it.label = label("select.default", labelArgs{})
	case tip.Cases == 0:
		it.label = label("select.empty", labelArgs{})
	case allNil:
		tip.AllNil = true
		it.label = label("select.allnil", labelArgs{})
	default:
		it.label = label("select.wait", labelArgs{})
		all := sel.Timeouts()
		// Name a case that bounds another wait; a delay timer only when
		// every case that can end the wait is one. The label names the
		// kind of case the wait is for ("until a case or timer") from all
		// of them; the tooltip says a case bounds the wait only when it
		// does: a Timer channel only where the model proves the timer
		// armed (model.SelectCase.TimerArmed).
		to, idle := boundingTimeouts(all)
		if len(to) == 0 && len(idle) > 0 {
			tip.IdleTimer = idle[0].Timeout
		}
		if len(to) > 0 {
			first := firstNonDelay(to)
			tip.Timeout, tip.Delay = first.Timeout, first.Delay()
			if o, _ := first.Ctx(); first.IsCtxDone() && o != model.CtxDeadline {
				// Only a deadline bounds the wait for sure: a cancel may
				// never be called, and a parameter may be given
				// context.Background(), whose Done is nil.
				tip.TimeoutIfCancelled = true
			}
			tip.MoreTimers = tip.Delay && len(to) > 1
		}
		if len(all) > 0 {
			for _, c := range all {
				// The per-pass timer warning is about time.After only.
				tip.LoopAfter = tip.LoopAfter || sel.InLoop && s.afterCall(c) != nil
			}
			if s.wantTip && !sel.InLoop {
				tip.Leaks = s.leaks(sel)
			}
			if short := s.timeoutWord(firstNonDelay(all)); short != "" && len(short) <= maxLabel-len("until a case or ") {
				it.label = label("select.timeout", labelArgs{S: short})
			}
		}
	}
	if s.wantTip {
		it.tip, it.tipData = "select", tip
	}
	s.emit(&it)
}

// timeoutWord names what bounds a select's wait in a few characters: "1s",
// "cancel", "timer".
func (s *state) timeoutWord(c *model.SelectCase) string {
	if c.Op == nil {
		return ""
	}
	if tc := s.afterCall(c); tc != nil {
		if d := s.duration(tc); d != "" {
			return d
		}
		return "timeout"
	}
	if u, ok := c.Op.Node.(*ast.UnaryExpr); ok {
		if _, ok := ast.Unparen(u.X).(*ast.CallExpr); ok {
			if c.IsCtxDone() {
				return "cancel" // the model's ctx.Done() case (Timeouts drops those never ready)
			}
		}
		if _, ok := ast.Unparen(u.X).(*ast.SelectorExpr); ok {
			return "timer"
		}
	}
	return ""
}

// timersSync names what makes the file's timer channels synchronous (Go
// 1.23 timers: model.File.Timers), "" when they are not or golens cannot
// tell.
func (s *state) timersSync() string {
	if sync, _, rule := s.m.Timers(); sync {
		return rule
	}
	return ""
}

// firstNonDelay is the first of the timeout cases that bounds another
// wait (not a delay timer, model.SelectCase.Delay), else the first.
func firstNonDelay(to []*model.SelectCase) *model.SelectCase {
	for _, c := range to {
		if !c.Delay() {
			return c
		}
	}
	return to[0]
}

// boundingTimeouts splits the select's timeout cases into those that bound
// the wait and the Timer channels the model does not prove armed there
// (model.SelectCase.TimerArmed): a spent or stopped timer sends nothing,
// so its case bounds nothing until a Reset.
func boundingTimeouts(all []*model.SelectCase) (bound, idle []*model.SelectCase) {
	for _, c := range all {
		if c.TimerC && !c.TimerArmed {
			idle = append(idle, c)
		} else {
			bound = append(bound, c)
		}
	}
	return bound, idle
}

// afterCall is the model's time.After call that a select case receives
// from (`case <-time.After(d)`, under whatever name the file imports the
// time package), nil for any other case: the label's duration and the
// tooltip's per-pass timer note both read it, as the select hover does.
func (s *state) afterCall(c *model.SelectCase) *model.TimeCall {
	if c.Op == nil {
		return nil
	}
	u, ok := c.Op.Node.(*ast.UnaryExpr)
	if !ok {
		return nil
	}
	call, ok := ast.Unparen(u.X).(*ast.CallExpr)
	if !ok {
		return nil
	}
	s.indexCalls()
	if tc := s.timeOf[call]; tc != nil && tc.Name == "After" {
		return tc
	}
	return nil
}

// leak is an unbuffered channel a select receives from while a goroutine
// sends on it: if the select's timeout wins, that send never completes.
type leak struct {
	Chan  string
	Lines []int
	// Before, Opaque: what a goroutine sending there can block on before
	// it reaches its send, or the call golens cannot see into that it
	// makes first (model.File.BlocksBefore): a buffer then lets the send
	// complete, but does not free a goroutine stuck earlier.
	Before, Opaque string
}

// leaks lists, per receive case on an unbuffered channel, the sends of the
// goroutines that the model says are waited for by that case and only by
// it, with a wait that can give up (Goroutine.Wait: the GoWait the go
// hover reads). A goroutine that something else waits for (a
// drain in the timeout case, a later receive) is not listed, nor one whose
// function receives from the channel after the select (GoWait.Then).
func (s *state) leaks(sel *model.Select) []leak {
	var out []leak
	for _, c := range sel.Cases {
		if c.Default || c.Timeout != "" || c.Op == nil || c.Op.Kind != model.Recv || c.Op.Chan == nil {
			continue
		}
		if capacity, known := c.Op.Capacity(); !known || capacity != 0 {
			continue
		}
		l := leak{Chan: c.Op.ChanExpr}
		for _, op := range c.Op.Chan.Sends() {
			g := op.InGo
			if g == nil || op.Select != nil {
				continue
			}
			// w.Then: the function receives from the channel again after
			// the select (`return <-results` after the timeout case), so
			// "nothing here receives again" would be false; the go hover
			// says what that receive takes.
			// w.OneOfCase: a goroutine of a loop whose value this case
			// may take (not its wait); when the case loses, its send
			// blocks all the same.
			if w := g.Wait(); w.By != "" && w.GiveUp != "" && w.Then == "" && w.Pos >= c.Op.Pos && w.Pos < c.Op.End ||
				w.By == "" && w.OneOfCase.IsValid() && w.OneOfCase >= c.Op.Pos && w.OneOfCase < c.Op.End {
				l.Lines = append(l.Lines, s.line(op.Pos))
				if l.Before == "" {
					before, opaque := s.m.BlocksBefore(g, op)
					if l.Opaque == "" || before != "" {
						l.Before, l.Opaque = before, opaque
					}
				}
			}
		}
		if len(l.Lines) > 0 {
			out = append(out, l)
		}
	}
	return out
}

// nilChan reports whether c is certainly nil: the model's NeverMade (a
// local variable declared without a value, never made nor assigned), the
// fact the hover and the nilchan check read. A package-level variable may
// be made by another file of the package.
// nilChan: c is nil wherever it is used — a local never made, or (typed
// tier) a field its package never sets (model.File.NilField).
func (s *state) nilChan(c *model.Chan) bool { return c.NeverMade() || s.m.NilField(c) != nil }

// tickNonPositive is the interval of the time.Tick call inside op (a
// range over time.Tick(d)) when it is a constant not greater than zero,
// for which time.Tick returns nil; "" otherwise.
func (s *state) tickNonPositive(op *model.ChanOp) string {
	for _, tc := range s.m.TimeCalls {
		if tc.Name == "Tick" && tc.Pos > op.Pos && tc.Pos < op.End && (tc.Value == "0s" || strings.HasPrefix(tc.Value, "-")) {
			return tc.Value
		}
	}
	return ""
}

// chanOpPositions lists the positions of ops.
func chanOpPositions(ops []*model.ChanOp) []token.Pos {
	out := make([]token.Pos, 0, len(ops))
	for _, o := range ops {
		out = append(out, o.Pos)
	}
	return out
}

// otherCallCloses names the function another call of which makes every
// close of some (model.File.OtherCallCloser, the fact the receive and
// range hovers state), and the line of the channel's make when it sits on
// the closing branch (0 otherwise); "" when some close can run before op
// in the same call.
func (s *state) otherCallCloses(op *model.ChanOp, some []*model.ChanOp) (string, int) {
	fn, made := s.m.OtherCallCloser(op, some)
	if fn == nil {
		return "", 0
	}
	name := "the function literal"
	if !fn.Lit {
		name = "`" + fn.Name + "`"
	}
	if made.IsValid() {
		return name, s.line(made)
	}
	return name, 0
}

// panicsFirst reports whether a close before op panics on every path to
// it (model.File.PanickingCloseBefore).
func panicsFirst(m *model.File, op *model.ChanOp) bool {
	cl, _ := m.PanickingCloseBefore(op)
	return cl != nil
}
