package model

import (
	"go/ast"
)

// timeQuiet reports a method call on a time.Timer or time.Ticker
// (tick.Stop(), t.Reset(d)), or on any other value of package time on the
// typed tier (deadline.Sub(now)): these methods return, keep none of their
// arguments, and wait for no goroutine (https://pkg.go.dev/time#Ticker.Stop,
// https://pkg.go.dev/time#Timer.Reset), so the function summaries treat them
// as the known-safe library calls (time.Now()), not as calls golens cannot
// see into. Otherwise a goroutine whose function ends with defer tick.Stop()
// would be said to call something golens cannot see into, and its wait
// left unknown. (A Timer of time.AfterFunc keeps its function from the
// AfterFunc call, where the summaries already record it.) The receiver's
// type is read from types, or on the syntax tier from the variable: one
// assigned only time.NewTimer or time.NewTicker, or declared *time.Timer
// or *time.Ticker.
func (b *builder) timeQuiet(call *ast.CallExpr) bool {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return false
	}
	if info := b.m.Info; info != nil {
		pkg, _ := methodRecvType(info, sel)
		return pkg == "time"
	}
	if name := sel.Sel.Name; name != "Stop" && name != "Reset" {
		return false
	}
	x, ok := ast.Unparen(sel.X).(*ast.Ident)
	if !ok || x.Obj == nil || x.Obj.Kind != ast.Var {
		return false
	}
	if k, ok := b.keyOf(x); ok && (b.timers[k] || b.tickers[k]) && !b.assignedNonTimer(k) {
		return true
	}
	switch d := x.Obj.Decl.(type) {
	case *ast.Field:
		return b.isTimerType(d.Type)
	case *ast.ValueSpec:
		return d.Type != nil && b.isTimerType(d.Type)
	}
	return false
}

// isTimerType reports whether t is *time.Timer or *time.Ticker.
func (b *builder) isTimerType(t ast.Expr) bool {
	st, ok := t.(*ast.StarExpr)
	if !ok {
		return false
	}
	sel, ok := st.X.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Timer" && sel.Sel.Name != "Ticker" {
		return false
	}
	x, ok := sel.X.(*ast.Ident)
	return ok && x.Obj == nil && b.imports[x.Name] == "time"
}
