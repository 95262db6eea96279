package model

import (
	"go/ast"
	"go/token"
)

// inGotoLoop reports whether a goto after the defer jumps back to a label
// before it, in the same function: the defer then runs again on the next
// pass, after the writes between it and the goto, like a defer in a for
// loop (`again: defer f(i); i++; if i < 3 { goto again }`).
func (b *builder) inGotoLoop(d *Defer) bool {
	if d.Func == nil || !b.gotoFuncs[d.Func] {
		return false // no goto written in the function itself: nothing jumps back
	}
	return InGotoLoop(d.Func.Body, d.Pos, d.End)
}

// InGotoLoop reports whether, in the function whose body is body, a goto
// at or after end jumps back to a label before start: the code between
// start and end runs again on the next pass, as in a for loop written with
// goto (`retry: ...; c.Wait(); goto retry`). Function literals in body are
// not entered: their labels and gotos are their own, and a goto cannot
// leave its function. The one answer for defers in goto loops (the
// model's defer counts) and for a Cond.Wait in one (the condwait check).
func InGotoLoop(body *ast.BlockStmt, start, end token.Pos) bool {
	if body == nil {
		return false
	}
	labels := map[string]bool{} // labels before start
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if found {
			return false
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.LabeledStmt:
			if n.Pos() < start {
				labels[n.Label.Name] = true
			}
		case *ast.BranchStmt:
			if n.Tok == token.GOTO && n.Label != nil && n.Pos() >= end && labels[n.Label.Name] {
				found = true
			}
		}
		return true
	})
	return found
}
