package model

import (
	"go/ast"
	"go/token"
)

// A goroutine that sends in a loop that never ends never finishes by
// itself: `go func() { for t := range time.Tick(d) { tokens <- t } }()`
// refills a rate limiter for the life of the program. A receive from
// tokens takes one of its values; main's receives wait for its sends, not
// for it to finish, and it is still running when main returns. "main waits
// for it with <-tokens" would say otherwise (r11v_rate_limit_bursty).

// endlessSend is the position of a send of g on c, written in g's own
// function literal, inside a loop of that literal that never ends: a for
// statement without a condition that no pass leaves (File.LoopsForever),
// or a range over a channel of the time package (time.Tick's, a ticker's
// C), which is never closed, that no pass leaves. NoPos otherwise, and
// for a goroutine that is not a function literal.
func (b *builder) endlessSend(g *Goroutine, c *Chan, idx *goIndex) token.Pos {
	if g.Body == nil || g.Body.Body == nil {
		return token.NoPos
	}
	for _, op := range idx.opsByGo(g) {
		if op.Chan != c || op.Kind != Send || !op.InLoop || op.Func != g.Body {
			continue
		}
		if b.inEndlessLoop(g.Body.Body, op.Pos) {
			return op.Pos
		}
	}
	return token.NoPos
}

// inEndlessLoop reports whether pos sits in a loop of body (not of a
// function literal in it) that never ends (see endlessSend).
func (b *builder) inEndlessLoop(body *ast.BlockStmt, pos token.Pos) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if found || n == nil || pos < n.Pos() || pos >= n.End() {
			return false
		}
		switch l := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ForStmt:
			found = b.m.LoopsForever(l)
		case *ast.RangeStmt:
			found = b.timeRangeForever(l)
		}
		return !found
	})
	return found
}

// timeRangeForever reports whether rs ranges over a channel the time
// package sends on and never closes (time.Tick(d), a ticker's or timer's
// C) and no pass leaves it.
func (b *builder) timeRangeForever(rs *ast.RangeStmt) bool {
	timeChan := false
	if op := b.opAt(rs.Range); op != nil && op.Kind == Range {
		timeChan = op.TimeChan == "Timer" || op.TimeChan == "Ticker" || op.TimeChan == "time" || op.Source == "time.Tick" || op.Source == "time.After"
	} else if call, ok := ast.Unparen(rs.X).(*ast.CallExpr); ok {
		name, _ := b.pkgCall(call, "time")
		timeChan = name == "Tick" || name == "After"
	}
	return timeChan && len(b.m.LoopExits(rs)) == 0
}
