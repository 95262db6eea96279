package model

import "go/token"

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
