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
