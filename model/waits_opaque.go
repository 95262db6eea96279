package model

import (
	"go/ast"
	"go/token"
)

// opaqueWaitAfter is for a goroutine whose function golens cannot see into
// (`go run(3)` with run a method value of a type of another file) when no
// tracked wait matched: the first receive or WaitGroup Wait of the
// starting function after the go statement, on a channel or WaitGroup the
// summaries do not track (`<-c.done` of a value made in another file).
// It may wait for the goroutine, so "nothing waits for it" is not proven.
// A receive from a timer's channel does not count: the time package sends
// on it, not the goroutine.
func (b *builder) opaqueWaitAfter(g *Goroutine, parent *Func) token.Pos {
	for _, op := range b.m.ChanOps {
		if op.Func != parent || op.Pos <= g.End || op.InGo != nil || op.Deferred {
			continue
		}
		if (op.Kind == Recv || op.Kind == Range) && op.TimeChan == "" && op.Source != "time.After" && op.Source != "time.Tick" {
			return op.Pos
		}
	}
	for _, w := range b.m.WaitGroups {
		if w.Kind == WGWait && w.Func == parent && w.Pos > g.End && w.InGo == nil {
			return w.Pos
		}
	}
	return token.NoPos
}

// opaqueCannotReachWaits reports whether the calls of g golens cannot see
// into can signal none of the waits of the starting function after g, so
// that naming one of them as the reason golens cannot tell (d.IsDir() in
// a walk callback) would point at a call that has nothing to do with the
// wait. It holds when each such call is handed no value golens tracks
// (Summary.Opaque; no tracked value of g escapes into any call), and
// every wait after g (ps's wait effects that after accepts) is on a
// channel or WaitGroup of the starting function's own: not a field or a
// package variable, stored in no other value, passed to no call golens
// cannot follow. Such a call reaches package variables and fields only,
// and none of those holds the waited value.
func (b *builder) opaqueCannotReachWaits(g *Goroutine, ps *Summary, after func(*Effect) bool) bool {
	s, _ := b.goSummary(g)
	if s == nil || len(s.Opaque) == 0 {
		return false
	}
	for _, e := range s.Effects {
		if e.Kind == EffEscape {
			return false
		}
	}
	var waits []goSignal
	for _, e := range ps.Effects {
		if e.Kind.waits() && !e.InGo && after(e) {
			waits = append(waits, goSignal{key: e.key, effect: e})
		}
	}
	if len(waits) == 0 || b.signalsShared(waits) {
		return false
	}
	for _, w := range waits {
		for _, e := range ps.Effects {
			if e.Kind == EffEscape && e.key == w.key {
				return false
			}
		}
		for _, a := range b.ss.aliases {
			if a.from == w.key || a.to == w.key {
				return false
			}
		}
	}
	return true
}

// opaqueCannotReachWait reports whether the wait e of the starting
// function is on a value no call of g golens cannot see into can reach,
// so that "golens cannot tell whether the wait at line N waits for this
// goroutine" must not name it: a channel or WaitGroup of the starting
// function's own (not a field or a package variable, as signalsShared
// tells), that the go statement does not hand to g (no argument or
// receiver of `go s.run()` names it), that g's own summary does not pass
// to a call golens cannot follow, and that the starting function neither
// stores elsewhere nor passes to such a call. main's wg.Wait() is then
// no wait s.run can end; a later <-s.done still is.
func (b *builder) opaqueCannotReachWait(g *Goroutine, ps *Summary, e *Effect) bool {
	if g.Node == nil || e.At.IsValid() || b.signalsShared([]goSignal{{key: e.key, effect: e}}) {
		return false
	}
	if c := b.chans[e.key]; c != nil && (c.IsField || !c.Local) {
		return false
	}
	named := false
	ast.Inspect(g.Node.Call, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && !named {
			if k, ok := b.keyOf(id); ok && (k == e.key || b.aliased(k, e.key)) {
				named = true
			}
		}
		return !named
	})
	if named {
		return false
	}
	if s, _ := b.goSummary(g); s != nil {
		for _, se := range s.Effects {
			if se.Kind == EffEscape {
				return false
			}
		}
	}
	for _, pe := range ps.Effects {
		if pe.Kind == EffEscape && pe.key == e.key {
			return false
		}
	}
	for _, a := range b.ss.aliases {
		if a.from == e.key || a.to == e.key {
			return false
		}
	}
	return true
}

// opaqueSharedWaitAfter is opaqueWaitAfter's channel search restricted to
// channels code outside the starting function can reach (a field, a
// package variable, or one the model does not track): the first receive
// or range of the starting function after g on such a channel, which a
// call golens cannot see into may signal. NoPos when there is none.
func (b *builder) opaqueSharedWaitAfter(g *Goroutine, parent *Func) token.Pos {
	for _, op := range b.m.ChanOps {
		if op.Func != parent || op.Pos <= g.End || op.InGo != nil || op.Deferred {
			continue
		}
		if (op.Kind == Recv || op.Kind == Range) && op.TimeChan == "" && op.Source != "time.After" && op.Source != "time.Tick" && (op.Chan == nil || op.Chan.IsField || !op.Chan.Local) {
			return op.Pos
		}
	}
	return token.NoPos
}
