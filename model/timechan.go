package model

import (
	"go/ast"
	"go/types"
)

// timeChanFact: the C field of a time.Timer or time.Ticker is never
// closed — Stop does not close it (package time docs) — so a range over
// it ends only by leaving the loop. ok is false for other channels.
func (b *builder) timeChanFact(c *Chan) (Fact, bool) {
	if !c.TimeChan() {
		return Fact{}, false
	}
	return Fact{Certainty: Proven, Holds: false, Why: "the channel of a time.Timer or time.Ticker: the time package never closes it, and Stop does not either"}, true
}

// TimeChan reports whether c is the C field of a time.Timer or
// time.Ticker (typed tier): a channel nothing ever closes.
func (c *Chan) TimeChan() bool {
	v, isVar := c.Key.obj.(*types.Var)
	return isVar && v.IsField() && v.Name() == "C" && v.Pkg() != nil && v.Pkg().Path() == "time"
}

// timeChanOf names the time value whose C field e is, for ChanOp.TimeChan:
// "Timer" or "Ticker" when e is x.C of a local variable that is only ever
// assigned time.NewTimer or time.NewTicker (both tiers see that), "time"
// when the typed tier knows it is the C of a time.Timer or time.Ticker
// made elsewhere (a Timer from time.AfterFunc has a nil C), "" otherwise.
func (b *builder) timeChanOf(e ast.Expr) string {
	sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "C" {
		return ""
	}
	if k, ok := b.keyOf(sel.X); ok {
		if _, local := ast.Unparen(sel.X).(*ast.Ident); local && b.timers[k] != b.tickers[k] && !b.assignedNonTimer(k) {
			if b.timers[k] {
				return "Timer"
			}
			return "Ticker"
		}
	}
	if info := b.m.Info; info != nil {
		if v, ok := info.ObjectOf(sel.Sel).(*types.Var); ok && v.IsField() && v.Pkg() != nil && v.Pkg().Path() == "time" {
			return "time"
		}
	}
	return ""
}
