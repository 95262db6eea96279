package model

import (
	"go/ast"
	"go/token"
)

// calleeNeverSignals reports whether the function of this file that g's
// go statement calls can neither send on nor close its parameter number
// ai: every mention of the parameter in its body is the channel of a
// receive or a range, or of a send that never runs (in the body of a
// select case that receives from a nil channel: neverReadyBodies). A
// receive in the starting function on the channel passed there then
// waits for some other goroutine, not for g (r20h_ctx_deadline: the
// backend sends its reply only in `case <-stuck:`, stuck being nil).
// False when the callee is not a function of this file, or the
// parameter is used any other way (passed on, stored, closed).
func (b *builder) calleeNeverSignals(g *Goroutine, ai int) bool {
	m := b.m
	if g.Node == nil {
		return false
	}
	fd := m.fileCallee(g.Node.Call)
	if fd == nil || fd.Body == nil {
		return false
	}
	param := paramIdent(fd, ai)
	if param == nil || param.Name == "_" {
		return false
	}
	// The operand position of each receive and range on the parameter,
	// and of each send that never runs.
	harmless := map[token.Pos]bool{}
	dead := m.neverReadyBodies()
	for _, op := range m.ChanOps {
		if op.Chan == nil || op.Chan.Decl != param.Pos() || op.Pos < fd.Body.Pos() || op.Pos >= fd.Body.End() {
			continue
		}
		switch {
		case op.Kind == Recv || op.Kind == Range, op.Kind == Send && inSpans(dead, op.Pos):
			if x := op.Operand(); x != nil {
				harmless[ast.Unparen(x).Pos()] = true
			}
		}
	}
	ok := true
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		if id, isID := n.(*ast.Ident); isID && id.Name == param.Name && !harmless[id.Pos()] {
			ok = false
		}
		return ok
	})
	return ok
}

// recoversPanics reports whether fn defers a call that may recover a
// panic: a function literal that calls recover, or any named function or
// method (which may). A panic in fn then returns from it instead of
// ending the program, skipping the statements after it that are not
// deferred: a `wg.Done()` at the end of the body is then not a signal on
// every path (r20f_recover_skips_done: parseAll's Wait never returns).
func recoversPanics(fn *Func) bool {
	if fn == nil || fn.Body == nil {
		return false
	}
	found := false
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.DeferStmt:
			switch f := ast.Unparen(n.Call.Fun).(type) {
			case *ast.FuncLit:
				found = found || callsRecover(f.Body)
			case *ast.Ident:
				found = found || f.Name != "close" && f.Name != "panic" && f.Name != "print" && f.Name != "println"
			case *ast.SelectorExpr:
				found = found || !syncMethod(f.Sel.Name)
			}
		}
		return !found
	})
	return found
}

// callsRecover reports whether body calls recover() itself.
func callsRecover(body *ast.BlockStmt) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if c, ok := n.(*ast.CallExpr); ok {
			if id, ok := ast.Unparen(c.Fun).(*ast.Ident); ok && id.Name == "recover" && len(c.Args) == 0 {
				found = true
			}
		}
		return !found
	})
	return found
}

// syncMethod reports whether a method of this name is one of the sync,
// time and context calls a defer commonly makes, none of which recovers.
func syncMethod(name string) bool {
	switch name {
	case "Done", "Unlock", "RUnlock", "Stop", "Signal", "Broadcast", "Close", "Wait":
		return true
	}
	return false
}
