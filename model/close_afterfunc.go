package model

import (
	"go/ast"
	"go/token"
)

// A close inside a callback handed to time.AfterFunc or context.AfterFunc
// runs only if the callback is called. time.AfterFunc(d, f) calls f after
// d unless the Timer it returns is stopped first (Timer.Stop: "prevents the
// Timer from firing"); context.AfterFunc(ctx, f) calls f once ctx is done,
// unless the stop func it returns is called first
// (https://pkg.go.dev/context#AfterFunc). "ch is closed at line 10" is
// then false in a run that stops the timer: the close may happen, on a
// condition the texts name.

// afterFuncCondition names the condition under which the close op, written
// in a function literal passed to time.AfterFunc or context.AfterFunc,
// runs: "if `t.Stop()` at line 11 does not stop the timer first", "once
// `ctx` is done, unless `stop()` at line 14 ran before". ok is
// false when op is not in such a literal, or when the literal runs for
// sure: a time.AfterFunc whose Timer nothing stops.
// noteAfterFunc records, while the file is walked, a function literal
// passed as an AfterFunc callback: the closes in it are the only ones
// afterFuncCondition must look up, and most files have none.
func (b *builder) noteAfterFunc(name string, call *ast.CallExpr) {
	if name != "AfterFunc" || len(call.Args) != 2 {
		return
	}
	if lit, ok := ast.Unparen(call.Args[1]).(*ast.FuncLit); ok {
		if b.afterFuncLits == nil {
			b.afterFuncLits = map[token.Pos]*ast.CallExpr{}
		}
		b.afterFuncLits[lit.Pos()] = call
	}
}

func (b *builder) afterFuncCondition(op *ChanOp) (when string, ok bool) {
	// Only a close written directly in a function literal can be in such
	// a callback: the others skip the walk from the file's root, which a
	// file of tens of thousands of closes would otherwise pay once each.
	if op.Func == nil || !op.Func.Lit || len(b.afterFuncLits) == 0 {
		return "", false
	}
	call := b.afterFuncLits[op.Func.Pos]
	if call == nil {
		return "", false
	}
	path, _ := EnclosingPath(b.m.AST, call.Pos(), call.End())
	pkg := "time"
	name, _ := b.pkgCall(call, pkg)
	if name != "AfterFunc" {
		pkg = "context"
		if name, _ = b.pkgCall(call, pkg); name != "AfterFunc" {
			return "", false
		}
	}
	// The Timer or stop func and the call that stops it
	// (AfterFuncStopper: callsites.go), which the AfterFunc hover reads
	// too.
	st := b.afterFuncStop(call, path, pkg)
	where := ""
	if st.At.IsValid() {
		where = "`" + st.Text + "` at line " + itoa(b.m.Line(st.At))
	}
	if st.Reset && pkg == "time" {
		// Reset reschedules the call: it still runs, later.
		return "when the timer fires, which " + where + " reschedules", true
	}
	if pkg == "time" {
		if where == "" {
			return "", false // nothing stops the timer: the callback runs after the delay
		}
		return "if " + where + " does not stop the timer first", true
	}
	ctx := "`" + b.text(call.Args[0]) + "`"
	if st.NeverDone != "" {
		return "if " + ctx + " were ever done: it never is, so the function is never called", true
	}
	if where == "" {
		return "once " + ctx + " is done", true
	}
	return "once " + ctx + " is done, unless " + where + " ran before", true
}
