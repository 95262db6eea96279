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
// assigned time.NewTimer or time.NewTicker (both tiers see that), "Ticker"
// for the C of any other *time.Ticker, "time" for the C of another
// time.Timer (a Timer from time.AfterFunc has a nil C, so golens does not
// say it fires) — the typed tier knows the type, the syntax tier reads it
// where the file declares it (declaredTimerType) — "" otherwise.
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
			if timeTypeName(info.TypeOf(sel.X)) == "Ticker" {
				return "Ticker"
			}
			return "time"
		}
		return ""
	}
	return timeKindOfType(b.declaredTimerType(sel.X))
}

// timeKindOfType is ChanOp.TimeChan for the C of a value declared
// *time.Ticker ("Ticker": every Ticker sends ticks until Stop) or
// *time.Timer ("time", as the typed tier says: the Timer may be one of
// time.AfterFunc, whose C is nil, so golens does not say it fires), "" for
// no declared type. Either way nothing closes C: Stop does not, and the
// field is receive-only, so no other code can.
func timeKindOfType(t string) string {
	switch t {
	case "Ticker":
		return "Ticker"
	case "Timer":
		return "time"
	}
	return ""
}

// declaredTimerType is, on the syntax tier, "Timer" or "Ticker" when e is
// declared *time.Timer or *time.Ticker where this file shows it: a
// parameter, receiver or variable declared with that type (`func loop(t
// *time.Ticker)`), or a field x.f where x's struct type is declared in
// this file (a receiver `s *svc`, `var s svc`, `s := &svc{...}`) with f of
// that type. "" otherwise: golens does not guess the type of a field by
// its name alone.
func (b *builder) declaredTimerType(e ast.Expr) string {
	switch x := ast.Unparen(e).(type) {
	case *ast.Ident:
		if x.Obj == nil || x.Obj.Kind != ast.Var {
			return ""
		}
		switch d := x.Obj.Decl.(type) {
		case *ast.Field:
			return b.timerTypeName(d.Type)
		case *ast.ValueSpec:
			if d.Type != nil {
				return b.timerTypeName(d.Type)
			}
		}
	case *ast.SelectorExpr:
		t, _ := b.syntaxTypeName(x.X)
		if t == "" || b.m.AST.Scope == nil {
			return ""
		}
		obj := b.m.AST.Scope.Lookup(t)
		if obj == nil || obj.Kind != ast.Typ {
			return ""
		}
		ts, ok := obj.Decl.(*ast.TypeSpec)
		if !ok {
			return ""
		}
		st, ok := ts.Type.(*ast.StructType)
		if !ok || st.Fields == nil {
			return ""
		}
		for _, f := range st.Fields.List {
			for _, n := range f.Names {
				if n.Name == x.Sel.Name {
					return b.timerTypeName(f.Type)
				}
			}
		}
	}
	return ""
}

// timerTypeName is "Timer" or "Ticker" when t is *time.Timer or
// *time.Ticker (isTimerType), "" otherwise.
func (b *builder) timerTypeName(t ast.Expr) string {
	if !b.isTimerType(t) {
		return ""
	}
	return t.(*ast.StarExpr).X.(*ast.SelectorExpr).Sel.Name
}
