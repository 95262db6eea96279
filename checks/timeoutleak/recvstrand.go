package timeoutleak

import (
	"fmt"

	"golang.org/x/tools/go/analysis"

	"github.com/golens/golens/model"
)

// A goroutine stranded on its receive: it waits for the send or close its
// parent makes later, and the parent returns on an error path first.
//
//	stop := make(chan struct{})
//	go func() { <-stop; cleanup() }()
//	if err != nil {
//		return err // the goroutine waits forever
//	}
//	close(stop)

func strandedReceivers(m *model.File, locals []localChan) []analysis.Diagnostic {
	var out []analysis.Diagnostic
	for _, lc := range locals {
		if d, ok := strandedReceiver(m, lc.c, lc.f, lc.uses); ok {
			out = append(out, d)
		}
	}
	return out
}

func strandedReceiver(m *model.File, c *model.Chan, f *model.Func, uses []model.ChanRef) (analysis.Diagnostic, bool) {
	for _, u := range uses {
		switch u.Kind {
		case model.RefSend, model.RefRecv, model.RefClose, model.RefRange:
		case model.RefDef:
			if u.Ident.Pos() != c.Decl {
				return analysis.Diagnostic{}, false
			}
		default:
			return analysis.Diagnostic{}, false // passed or stored: someone else may send
		}
	}
	var recv *model.ChanOp
	var wake *model.ChanOp // the parent's first send or close
	for _, op := range c.Ops {
		switch op.Kind {
		case model.Recv, model.Range:
			g := op.InGo
			if g == nil || g.Body == nil || op.Func != g.Body || g.Func != f || g.InLoop || op.Select != nil || m.OpReach(op, quietEnd) != model.ReachAlways {
				// Only a receive every run of the goroutine makes, unless it
				// ends the program first (the model's OpReach).
				return analysis.Diagnostic{}, false
			}
			if recv != nil && recv.InGo != g {
				return analysis.Diagnostic{}, false // several goroutines: keep it simple
			}
			if recv == nil {
				recv = op
			}
		case model.Send, model.Close:
			if op.Func != f || op.InGo != nil || op.Deferred || op.Select != nil || op.InLoop {
				return analysis.Diagnostic{}, false
			}
			if wake == nil || op.Pos < wake.Pos {
				wake = op
			}
		}
	}
	if recv == nil || wake == nil || wake.Pos < recv.InGo.Pos {
		return analysis.Diagnostic{}, false
	}
	// A deferred function of f that wakes it (defer func() { close(c) }())
	// would show as an op of a literal: any op outside f and the goroutine
	// has already returned false above.
	earlyExit := returnBetween(m, recv.InGo, wake.Pos)
	if earlyExit == nil {
		return analysis.Diagnostic{}, false
	}
	op := "receive from"
	if recv.Kind == model.Range {
		op = "range over"
	}
	wakeText := "send on " + c.Name
	if wake.Kind == model.Close {
		wakeText = "close of " + c.Name
	}
	return analysis.Diagnostic{
		Pos: recv.Pos, End: recv.End, Category: name,
		Message: fmt.Sprintf("goroutine leaks when %s %s on line %d, before the %s on line %d: its %s %s then blocks forever",
			funcName(f), howEnds(earlyExit), m.Line(earlyExit.Pos), wakeText, m.Line(wake.Pos), op, c.Name),
		Related: []analysis.RelatedInformation{
			{Pos: earlyExit.Pos, Message: "leaves before waking the goroutine"},
			{Pos: wake.Pos, Message: "the only " + wakeText[:len(wakeText)-len(c.Name)-4] + " of " + c.Name},
			{Pos: recv.InGo.Pos, End: recv.InGo.Pos + 2, Message: "goroutine started here"},
		},
	}, true
}
