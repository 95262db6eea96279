package timeoutleak

import (
	"fmt"
	"go/ast"
	"go/token"

	"golang.org/x/tools/go/analysis"

	"github.com/golens/golens/checks/internal/chanutil"
	"github.com/golens/golens/model"
)

// rangeExits reports the other way a receiver gives up: a range over a
// channel that returns or breaks out early while the goroutine feeding it
// still has values to send. The sends come from a goroutine the function
// starts, written in its literal or in a function it calls (the model's
// summaries say which); they must be able to outnumber the buffer (sent in
// a loop) and must not be in a select (which could give up too).
func rangeExits(m *model.File) []analysis.Diagnostic {
	var out []analysis.Diagnostic
	for _, c := range m.Chans {
		if c.IsParam || c.IsField || len(c.Makes) != 1 || len(c.Assigned) > 0 || len(c.NilSets) > 0 {
			continue
		}
		f := chanutil.FuncAt(m, c.Decl)
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
			}
		}
		if !ok || rng == nil {
			continue
		}
		send, g := loopSender(m, c, f)
		if send == token.NoPos {
			continue
		}
		if n, ok := sendsAtMost(m, c); ok {
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

// loopSender finds a send on c, in a loop and not in a select, made by a
// goroutine that f starts: in the goroutine's literal, or in a function
// of this file it calls with c.
func loopSender(m *model.File, c *model.Chan, f *model.Func) (token.Pos, *model.Goroutine) {
	for _, op := range c.Ops {
		if op.Kind == model.Send && op.InGo != nil && op.InGo.Func == f && op.Select == nil && op.InLoop {
			return op.Pos, op.InGo
		}
	}
	for _, u := range c.Indirect() {
		e := u.Effect
		// Only a send the summaries prove: one in a loop that may run
		// zero times (`for i := 0; i < n; i++`) is Possible, and then the
		// goroutine may send nothing at all. (A bound such as chanSize+2
		// that is a constant is counted by the model.)
		if e.Kind != model.EffSend || e.Certainty != model.Proven {
			continue
		}
		var g *model.Goroutine
		for _, gr := range m.Goroutines {
			if gr.Func == f && e.At >= gr.Pos && e.At < gr.End {
				g = gr
			}
		}
		if g == nil {
			continue
		}
		for _, op := range m.ChanOps {
			if op.Pos == e.Pos && op.Kind == model.Send && op.Select == nil && op.InLoop {
				return op.Pos, g
			}
		}
	}
	return token.NoPos, nil
}

// sendsAtMost bounds the number of sends on c, when every send the file
// makes on it is counted: each is in no loop or in one loop whose passes
// the model proves (LoopTrips), in a goroutine or function call that runs
// once, and c reaches no code the model cannot see (an escape, a return).
func sendsAtMost(m *model.File, c *model.Chan) (int, bool) {
	total := 0
	home := chanutil.FuncAt(m, c.Decl)
	for _, op := range c.Sends() {
		// Made directly by the function that makes c, or by a goroutine
		// literal started once: a function literal may be called any
		// number of times.
		if op.InGo != nil && (op.InGo.InLoop || op.Func != op.InGo.Body) || op.InGo == nil && op.Func != home {
			return 0, false
		}
		n, ok := passes(m, op)
		if !ok {
			return 0, false
		}
		total += n
	}
	// A function of this file that sends on c through its parameter:
	// count that parameter's sends once per call.
	counted := map[token.Pos]map[*model.Chan]bool{}
	for _, u := range c.Indirect() {
		e := u.Effect
		switch e.Kind {
		case model.EffSend:
		case model.EffEscape, model.EffReturn:
			return 0, false
		default:
			continue
		}
		if !e.At.IsValid() || chanutil.InLoopAt(m.AST, e.At) {
			return 0, false
		}
		var p *model.Chan
		var in *model.Func
		for _, op := range m.ChanOps {
			if op.Pos == e.Pos && op.Kind == model.Send {
				p, in = op.Chan, op.Func
			}
		}
		if p == nil || !p.IsParam {
			return 0, false
		}
		if g := goAt(m, e.At); g != nil && g.InLoop {
			return 0, false
		}
		if counted[e.At][p] {
			continue
		}
		if counted[e.At] == nil {
			counted[e.At] = map[*model.Chan]bool{}
		}
		counted[e.At][p] = true
		for _, pu := range p.Indirect() {
			if k := pu.Effect.Kind; k == model.EffSend || k == model.EffEscape || k == model.EffReturn {
				return 0, false // passed on again
			}
		}
		for _, op := range p.Sends() {
			if op.Func != in || in.Lit {
				return 0, false
			}
			n, ok := passes(m, op)
			if !ok {
				return 0, false
			}
			total += n
		}
	}
	return total, true
}

// passes bounds how many times op runs per run of its function: once
// outside loops, LoopTrips when one loop of its function holds it
// (LoopsAround).
func passes(m *model.File, op *model.ChanOp) (int, bool) {
	if !op.InLoop {
		return 1, true
	}
	loops, _ := m.LoopsAround(op.Pos)
	if len(loops) != 1 {
		return 0, false // nested loops, or the loop is outside a literal
	}
	return m.LoopTrips(loops[0])
}

// goAt is the goroutine of m whose go statement or literal holds pos.
func goAt(m *model.File, pos token.Pos) *model.Goroutine {
	var in *model.Goroutine
	for _, g := range m.Goroutines {
		if pos >= g.Pos && pos < g.End && (in == nil || g.Pos > in.Pos) {
			in = g
		}
	}
	return in
}
