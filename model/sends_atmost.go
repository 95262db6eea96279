package model

import "go/token"

// SendsAtMost bounds the number of sends on c, when every send the file
// makes on it is counted: each is in no loop or in one loop whose passes
// the model proves (LoopTrips), in a goroutine or function call that runs
// once, and c reaches no code the model cannot see (an escape, a return).
func (m *File) SendsAtMost(c *Chan) (int, bool) {
	total := 0
	home := m.funcAt(c.Decl)
	for _, op := range c.Sends() {
		// Made directly by the function that makes c, or by a goroutine
		// literal started once: a function literal may be called any
		// number of times.
		if op.InGo != nil && (op.InGo.InLoop || op.Func != op.InGo.Body) || op.InGo == nil && op.Func != home {
			return 0, false
		}
		n, ok := m.opPasses(op)
		if !ok {
			return 0, false
		}
		total += n
	}
	// A function of this file that sends on c through its parameter:
	// count that parameter's sends once per call.
	counted := map[token.Pos]map[*Chan]bool{}
	for _, u := range c.Indirect() {
		e := u.Effect
		switch e.Kind {
		case EffSend:
		case EffEscape, EffReturn:
			return 0, false
		default:
			continue
		}
		if !e.At.IsValid() || m.InnermostLoop(e.At) != nil {
			return 0, false
		}
		var p *Chan
		var in *Func
		for _, op := range m.ChanOps {
			if op.Pos == e.Pos && op.Kind == Send {
				p, in = op.Chan, op.Func
			}
		}
		if p == nil || !p.IsParam {
			return 0, false
		}
		if g := m.goAt(e.At); g != nil && g.InLoop {
			return 0, false
		}
		if counted[e.At][p] {
			continue
		}
		if counted[e.At] == nil {
			counted[e.At] = map[*Chan]bool{}
		}
		counted[e.At][p] = true
		for _, pu := range p.Indirect() {
			if k := pu.Effect.Kind; k == EffSend || k == EffEscape || k == EffReturn {
				return 0, false // passed on again
			}
		}
		for _, op := range p.Sends() {
			if op.Func != in || in.Lit {
				return 0, false
			}
			n, ok := m.opPasses(op)
			if !ok {
				return 0, false
			}
			total += n
		}
	}
	return total, true
}

// opPasses bounds how many times op runs per run of its function: once
// outside loops, LoopTrips when one loop of its function holds it
// (LoopsAround).
func (m *File) opPasses(op *ChanOp) (int, bool) {
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
func (m *File) goAt(pos token.Pos) *Goroutine {
	var in *Goroutine
	for _, g := range m.Goroutines {
		if pos >= g.Pos && pos < g.End && (in == nil || g.Pos > in.Pos) {
			in = g
		}
	}
	return in
}
