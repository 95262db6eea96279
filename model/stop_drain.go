package model

import (
	"go/ast"
	"go/token"
	"go/version"
)

// The drain idiom, `if !t.Stop() { <-t.C }`, was needed before Go 1.23: a
// timer's channel had a buffer of 1, and a value sent before Stop stayed in
// it. From Go 1.23 (the main module's go line, or godebug asynctimerchan=0)
// the channel is synchronous: Stop returns false only when the timer's
// value was already received or the timer was already stopped, and no stale
// value is left to drain (https://pkg.go.dev/time#Timer.Stop). The drain
// receive then waits for a send that comes only after a Reset — forever in
// the usual shape, where the goroutine that drains is the one that resets.
// markStopDrains marks those receives (ChanOp.DrainAfterStop); the hover
// and the hint read it with File.Timers.

// markStopDrains sets DrainAfterStop on a receive statement from x.C that
// stands in the body of an if whose condition is !x.Stop() (x written the
// same way), with no statement before it in that body naming x.
func (b *builder) markStopDrains() {
	for _, op := range b.m.ChanOps {
		if op.Kind != Recv || op.Select != nil || op.TimeChan != "Timer" && op.TimeChan != "time" {
			continue
		}
		u, ok := op.Node.(*ast.UnaryExpr)
		if !ok {
			continue
		}
		sel, ok := ast.Unparen(u.X).(*ast.SelectorExpr)
		if !ok || sel.Sel.Name != "C" || op.Func == nil || op.Func.Body == nil {
			continue
		}
		x := b.text(sel.X)
		path := pathTo(op.Func.Body, u)
		// path: ... IfStmt, BlockStmt (its body), ExprStmt, UnaryExpr
		n := len(path)
		if n < 4 {
			continue
		}
		st, ok := path[n-2].(*ast.ExprStmt)
		if !ok || st.X != ast.Expr(u) && ast.Unparen(st.X) != ast.Expr(u) {
			continue
		}
		blk, ok := path[n-3].(*ast.BlockStmt)
		if !ok {
			continue
		}
		ifs, ok := path[n-4].(*ast.IfStmt)
		if !ok || ifs.Body != blk || ifs.Init != nil || !b.notStop(ifs.Cond, x) {
			continue
		}
		clean := true
		for _, s := range blk.List {
			if s == ast.Stmt(st) {
				break
			}
			if b.mentionsText(s, x) {
				clean = false
			}
		}
		op.DrainAfterStop = clean
	}
}

// notStop: cond is !x.Stop() with x written as given.
func (b *builder) notStop(cond ast.Expr, x string) bool {
	u, ok := ast.Unparen(cond).(*ast.UnaryExpr)
	if !ok || u.Op != token.NOT {
		return false
	}
	call, ok := ast.Unparen(u.X).(*ast.CallExpr)
	if !ok || len(call.Args) != 0 {
		return false
	}
	m, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	return ok && m.Sel.Name == "Stop" && b.text(m.X) == x
}

// mentionsText: some expression in n is written as x.
func (b *builder) mentionsText(n ast.Node, x string) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		if e, ok := n.(ast.Expr); ok && !found && b.text(e) == x {
			found = true
		}
		return !found
	})
	return found
}

// Timers says how the program's timer channels behave, as the main
// module's go line and the godebug settings decide (TimerGodebug): Sync
// from Go 1.23 (unbuffered: no stale value after Stop or Reset), Async
// before (a buffer of 1); Rule names what decides it ("go 1.21 in go.mod",
// or a godebug asynctimerchan setting, which overrides the go line). The
// go line is that of the file's module, taken as the main module; a
// //go:build line of the file changes the file's language version, not
// the timers. All zero when golens cannot tell, or under a setting it does
// not know (asynctimerchan=2).
func (f *File) Timers() (sync, async bool, rule string) {
	if f == nil {
		return false, false, ""
	}
	if d := f.derived; d != nil {
		d.timersOnce.Do(func() { d.timerSync, d.timerAsync, d.timerRule = f.timers() })
		return d.timerSync, d.timerAsync, d.timerRule
	}
	return f.timers()
}

func (f *File) timers() (sync, async bool, rule string) {
	if v := f.ModuleGoVersion(); v != "" {
		s := version.Compare(v, "go1.23") >= 0
		sync, async, rule = s, !s, "go "+trimGo(v)+" in go.mod"
	}
	switch val, where, unknown := f.TimerGodebug(); {
	case unknown:
		sync, async, rule = false, false, ""
	case where == "":
	case val == "0":
		sync, async, rule = true, false, where
	case val == "1":
		sync, async, rule = false, true, where
	case version.IsValid(val):
		s := version.Compare(val, "go1.23") >= 0
		sync, async, rule = s, !s, where
	default:
		sync, async, rule = false, false, ""
	}
	return sync, async, rule
}

func trimGo(v string) string {
	if len(v) > 2 && v[:2] == "go" {
		return v[2:]
	}
	return v
}
