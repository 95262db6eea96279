package model

import "go/ast"

// The Timer time.AfterFunc returns has no channel: its C is nil
// (https://pkg.go.dev/time#AfterFunc: "the returned Timer can be used to
// cancel the call using its Stop method"; the time package sets C only in
// NewTimer), so a receive from it blocks forever and a select case on it
// is never ready. markAfterFuncTimers runs after the walk has seen every
// write: an operation on x.C where x was ever assigned a time.AfterFunc
// call is not the C of a timer that fires. ChanOp.TimeChan becomes
// "AfterFunc" when x is a local declared by that call and written nothing
// else (proven nil), and "" otherwise (golens cannot tell which Timer x
// holds); a select case on it is no timeout either way.
func (b *builder) markAfterFuncTimers() {
	if len(b.afterFuncs) == 0 {
		return // most files assign no time.AfterFunc Timer
	}
	for _, op := range b.m.ChanOps {
		sel, ok := ast.Unparen(op.Operand()).(*ast.SelectorExpr)
		if !ok || sel.Sel.Name != "C" {
			continue
		}
		k, ok := b.keyOf(sel.X)
		if !ok {
			continue
		}
		writes, ok := b.afterFuncs[k]
		if !ok {
			continue
		}
		op.TimeChan, op.TimeFunc = "", ""
		if _, local := ast.Unparen(sel.X).(*ast.Ident); local && len(writes) == 1 && writes[0] == k.declOf() &&
			!b.timers[k] && !b.tickers[k] && !b.assignedNonTimer(k) {
			op.TimeChan = "AfterFunc"
		}
		if op.Select != nil && op.Select.Op == op {
			op.Select.Timeout = ""
		}
	}
}
