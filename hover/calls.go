package hover

import (
	"go/ast"
	"strconv"
	"strings"

	"github.com/golens/golens/model"
)

// callFacts are the facts of a SiteCall (model.CallSite): a sync.Cond's
// Wait, Signal or Broadcast, a Timer's or Ticker's Stop or Reset,
// context.AfterFunc and its stop func, context.Cause, and a call of a
// cancel func. Each fact about the program comes from the model; the
// templates (templates/calls.tmpl) say nothing where it is unknown.
type callFacts struct {
	Kind string // "cond-wait", "cond-signal", "cond-broadcast", "timer-stop", "timer-reset", "ticker-stop", "ticker-reset", "ctx-afterfunc", "afterfunc-stop", "ctx-cause", "cancel", "cancel-cause"
	Recv string // as written
	Arg  string // Reset's duration, cancel's cause, as written
	Dur  string // Reset's duration: its value when the model evaluates it, else Arg
	// Cond Wait (model.WaitRecheck): InLoop names the loop's line; Again
	// says control comes back to the Wait another way (a goto); NotLoop:
	// the model proves no path comes back to it.
	InLoop  int
	Again   bool
	NotLoop bool
	// UsedLine, UsedState: with InLoop, the Wait is under an if and that
	// line uses the state the if checked before the loop comes round
	// (model.WaitRecheck.UsedAfter): the loop does not re-check first.
	UsedLine  int
	UsedState string
	// Settled: the Wait is under an if whose condition the model proves
	// false whenever it returns (model.WaitRecheck.Settled): the flags it
	// negates, and the lines that set them before the Signal and
	// Broadcast calls.
	Settled               string
	SettledSets           string // "" when a set is in another file
	SettledMany, SetsMany bool
	// Timer/Ticker: MadeBy is the constructor the variable holds
	// ("NewTimer", "AfterFunc", "NewTicker"; "" when not known) and
	// MadeLine its line.
	MadeBy   string
	MadeLine int
	// context: CtorName/CtorLine, the constructor whose cancel func this
	// is; AfterLine, the context.AfterFunc whose stop func this is.
	CtorName  string
	CtorLine  int
	AfterLine int
	// context.AfterFunc, time.AfterFunc: what can stop the call
	// (model.AfterFuncStopper).
	StopVar, StopText string
	StopLine          int
	StopReset         bool
	// StartedLine/StartedVia: every stop comes after the receive from
	// StartedVia at that line, which only the callback can satisfy
	// (model.AfterFuncStopper.StartedBy).
	StartedLine int
	StartedVia  string
	Discarded   bool
	FuncName    string
	Version     versionFacts
	NeverDone   string // context.AfterFunc's context, when it is never done
	NonPositive bool   // Dur is a constant <= 0 (a Ticker's Reset then panics)
	// A cancel func's call with a cause (CallCancelErr): the other calls
	// of the same cancel func (OtherCancels, as the constructor's hover
	// names them), or where it escapes golens (CancelEscapes). Either
	// can cancel first and set the cause instead of this call.
	OtherCancels  string
	CancelEscapes string
}

var callKindNames = map[model.CallKind]string{
	model.CallCondWait: "cond-wait", model.CallCondSignal: "cond-signal", model.CallCondBroadcast: "cond-broadcast",
	model.CallTimerStop: "timer-stop", model.CallTimerReset: "timer-reset", model.CallTickerStop: "ticker-stop", model.CallTickerReset: "ticker-reset",
	model.CallCtxAfterFunc: "ctx-afterfunc", model.CallAfterFuncStop: "afterfunc-stop", model.CallCtxCause: "ctx-cause",
	model.CallCancel: "cancel", model.CallCancelErr: "cancel-cause",
}

// describeCall fills the facts of a SiteCall and names its template and
// explain topic.
func describeCall(m *model.File, f *facts, cs *model.CallSite) (tmpl, topic string) {
	c := &callFacts{Kind: callKindNames[cs.Kind], Recv: cs.Recv, FuncName: funcName(cs.Func)}
	f.Call2 = c
	if cs.Call != nil && len(cs.Call.Args) == 1 {
		c.Arg = m.Text(cs.Call.Args[0].Pos(), cs.Call.Args[0].End())
	}
	c.Dur = c.Arg
	if cs.Value != "" {
		c.Dur = cs.Value
		c.NonPositive = nonPositive(cs.Value)
	}
	switch cs.Kind {
	case model.CallCondWait:
		r := m.WaitRecheck(cs.Wait)
		switch {
		case r.Loop != nil:
			c.InLoop = m.Line(r.Loop.Pos())
			if r.UsedAfter.IsValid() {
				c.UsedLine, c.UsedState = m.Line(r.UsedAfter), r.State
			}
		case r.Again.Possible():
			c.Again = true
		case r.Settled != nil:
			var flags, lines []string
			for _, f := range r.Settled.Flags {
				flags = append(flags, "`"+f+"`")
			}
			seen := map[int]bool{}
			other := false
			for _, p := range r.Settled.Sets {
				if p < m.AST.FileStart || p > m.AST.FileEnd {
					other = true
				} else if l := m.Line(p); !seen[l] {
					seen[l] = true
					lines = append(lines, strconv.Itoa(l))
				}
			}
			c.Settled, c.SettledMany = strings.Join(flags, " or "), len(flags) > 1
			if !other {
				c.SettledSets, c.SetsMany = strings.Join(lines, ", "), len(lines) > 1
			}
		case r.Again == model.ReachNever && !r.Forwards:
			c.NotLoop = true
		}
		return "call", "cond"
	case model.CallCondSignal, model.CallCondBroadcast:
		return "call", "cond"
	case model.CallTimerStop, model.CallTimerReset, model.CallTickerStop, model.CallTickerReset:
		made := cs.Made
		if made == nil {
			made = m.FieldTimerMade(cs) // a time.AfterFunc timer held in a field
		}
		if made != nil {
			c.MadeBy, c.MadeLine = made.Name, m.Line(made.Pos)
		}
		c.Version = versionOf(m)
		topic = "timer"
		if c.MadeBy == "AfterFunc" {
			topic = "time-afterfunc"
		}
		return "call", topic
	case model.CallCtxAfterFunc:
		stopFacts(m, c, cs.Call)
		return "call", "ctx-afterfunc"
	case model.CallAfterFuncStop:
		c.AfterLine = m.Line(cs.AfterFunc.Pos())
		return "call", "ctx-afterfunc"
	case model.CallCtxCause:
		return "call", "ctx-cause"
	case model.CallCancelErr:
		c.CtorName, c.CtorLine = "context."+cs.Ctor.Name, m.Line(cs.Ctor.Pos)
		var others []string
		for _, e := range cs.Ctor.CancelCalls() {
			if !e.At.IsValid() && cs.Call != nil && e.Pos == cs.Call.Pos() {
				continue // this call
			}
			if cannotCancelFirst(m, cs, e) {
				continue
			}
			others = append(others, cancelCallWhere(m, e))
		}
		c.OtherCancels, c.CancelEscapes = strings.Join(others, ", "), cs.Ctor.CancelEscapes()
		return "call", "ctx-cause"
	default: // CallCancel
		c.CtorName, c.CtorLine = "context."+cs.Ctor.Name, m.Line(cs.Ctor.Pos)
		return "call", "context"
	}
}

// stopFacts reads what can stop the call an AfterFunc (time or context)
// arranges: the model's AfterFuncStopper, the fact the close in such a
// callback reads too.
func stopFacts(m *model.File, c *callFacts, call *ast.CallExpr) {
	st := m.AfterFuncStop(call)
	c.StopVar, c.Discarded, c.NeverDone = st.Var, st.Discarded, st.NeverDone
	if st.At.IsValid() {
		c.StopText, c.StopLine, c.StopReset = st.Text, m.Line(st.At), st.Reset
	}
	if st.StartedBy.IsValid() {
		c.StartedLine, c.StartedVia = m.Line(st.StartedBy), st.StartedVia
	}
}

// nonPositive reports whether a duration the model evaluated
// (time.Duration.String of a constant) is zero or negative.
func nonPositive(d string) bool { return d == "0s" || strings.HasPrefix(d, "-") }

// cancelCallWhere names a call of a cancel func as the constructor's
// hover and a cancel call's hover list them: "line 24 (by `writer`, called
// at line 36)", "line 9 (in a goroutine)", "line 12 (deferred)".
func cancelCallWhere(m *model.File, e *model.Effect) string {
	where := "line " + strconv.Itoa(m.Line(e.Pos))
	switch {
	case e.At.IsValid() && e.ViaGo && e.Via == "func literal":
		// go func() { ...; cancel() }(): the literal is the goroutine.
		where += " (in the goroutine started at line " + strconv.Itoa(m.Line(e.At)) + ")"
	case e.At.IsValid() && e.ViaGo:
		// go stopper(cancel): the callee is the goroutine, started, not called.
		where += " (by `" + e.Via + "`, in the goroutine started at line " + strconv.Itoa(m.Line(e.At)) + ")"
	case e.At.IsValid():
		where += " (by `" + e.Via + "`, called at line " + strconv.Itoa(m.Line(e.At)) + ")"
	case e.InGo:
		where += " (in a goroutine)"
	case e.Deferred:
		where += " (deferred)"
	}
	return where
}

// cannotCancelFirst reports whether the call of a cancel func e, written
// in the same function as the call cs and not in a goroutine or a callee,
// can only run after cs: e is deferred while cs is not (it runs at return,
// after cs), or no path of the function reaches e before cs has run.
func cannotCancelFirst(m *model.File, cs *model.CallSite, e *model.Effect) bool {
	if e.At.IsValid() || e.InGo || cs.Call == nil || cs.Func == nil || m.FuncAt(e.Pos) != cs.Func || m.FuncAt(cs.Call.Pos()) != cs.Func {
		return false
	}
	if e.Deferred {
		for _, d := range cs.Func.Defers {
			if d.Node != nil && d.Node.Call == cs.Call {
				return false // cs is deferred too: the order of the two is the defers'
			}
		}
		return true
	}
	return m.ReachBefore(cs.Func, cs.Call, e.Pos) == model.ReachNever
}
