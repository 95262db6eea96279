package hover

import (
	"go/ast"
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
		case r.Again.Possible():
			c.Again = true
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
