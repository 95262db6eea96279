package timeoutleak

import (
	"fmt"
	"go/ast"

	"golang.org/x/tools/go/analysis"

	"github.com/golens/golens/model"
)

// rangeExits reports the other way a receiver gives up: a range over a
// channel that returns or breaks out early while the goroutine feeding it
// still has values to send. The sends come from a goroutine the function
// starts, written in its literal or in a function it calls (the model's
// summaries say which); they must be able to outnumber the buffer (sent in
// a loop) and must not be in a select (which could give up too). A range
// whose function also closes the channel is left alone: the sender is not
// left blocked, its next send panics.
func rangeExits(m *model.File) []analysis.Diagnostic {
	var out []analysis.Diagnostic
	for _, c := range m.Chans {
		if c.IsParam || c.IsField || len(c.Makes) != 1 || len(c.Assigned) > 0 || len(c.NilSets) > 0 {
			continue
		}
		f := m.FuncAt(c.Decl)
		if f == nil {
			continue
		}
		var rng *model.ChanOp
		ok := true
		for _, op := range c.Ops {
			switch {
			case op.Kind == model.Range && op.Func == f && rng == nil:
				rng = op
			case op.Kind == model.Recv || op.Kind == model.Range:
				ok = false // another receive may drain what is left
			case op.Kind == model.Close && op.Func == f:
				// The receiving function closes it (before leaving the
				// range, or after): the sender's next send panics rather
				// than blocks, which closedsend's texts are about.
				ok = false
			}
		}
		if !ok || rng == nil {
			continue
		}
		sendOp, g := m.LoopSend(c, f)
		if sendOp == nil {
			continue
		}
		send := sendOp.Pos
		if n, ok := m.SendsAtMost(c); ok {
			if capacity, known := c.Capacity(); known && int64(n) <= capacity+1 {
				// The range takes at least one value before it leaves,
				// and the buffer holds the rest: the sender finishes.
				continue
			}
		}
		// The first return or break of the range among the model's ways
		// out of it (LoopExits): a panic or os.Exit before it ends the
		// program, not the receiving; a continue or break of an enclosing
		// loop may come back to the range.
		var exit model.LoopExit
		for _, e := range m.LoopExits(rng.Node.(*ast.RangeStmt)) {
			if e.What == "return" || e.What == "break" && e.OfLoop {
				exit = e
				break
			}
		}
		if exit.What == "" {
			continue
		}
		how := "returns"
		if exit.What == "break" {
			how = "breaks out of the range"
		}
		out = append(out, analysis.Diagnostic{
			Pos: exit.Pos, End: exit.End, Category: name,
			Message: fmt.Sprintf("when %s %s here, the goroutine started on line %d stays blocked on its next send on %s (line %d): nothing receives the rest",
				funcName(f), how, m.Line(g.Pos), c.Name, m.Line(send)),
			Related: []analysis.RelatedInformation{
				{Pos: rng.Pos, Message: "the only receive: a range that stops early"},
				{Pos: send, Message: "the send that blocks"},
				{Pos: g.Pos, End: g.Pos + 2, Message: "goroutine started here"},
			},
		})
	}
	return out
}
