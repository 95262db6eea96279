package model

import (
	"go/ast"
	"go/token"
)

// importedVarSignal is why golens cannot tell whether the starting function
// waits for g when, after the go statement, it ranges over or receives from
// a variable of an imported package (`for e := range events.Bus`) and the
// goroutine calls a function of that package (`events.Shutdown()`): such a
// function may close or send on its package's variable without being
// handed it, so no summary of the goroutine shows the signal. "" when the
// starting function waits on no such variable, or the goroutine calls
// nothing of that package.
func (b *builder) importedVarSignal(g *Goroutine, parent *Func) string {
	if parent == nil || parent.Body == nil || g.Node == nil {
		return ""
	}
	type wait struct {
		pos        token.Pos
		text, verb string
	}
	waits := map[string]wait{}
	ast.Inspect(parent.Body, func(n ast.Node) bool {
		if n == nil || n == g.Node {
			return false
		}
		if _, lit := n.(*ast.FuncLit); lit {
			return false // runs at a time of its own
		}
		if n.Pos() < g.End {
			return true
		}
		var x ast.Expr
		verb := ""
		switch n := n.(type) {
		case *ast.RangeStmt:
			x, verb = n.X, "ranges over"
		case *ast.UnaryExpr:
			if n.Op == token.ARROW {
				x, verb = n.X, "receives from"
			}
		}
		if sel, ok := ast.Unparen(x).(*ast.SelectorExpr); ok && x != nil {
			if id, ok := sel.X.(*ast.Ident); ok && b.isPackage(id) {
				if _, seen := waits[id.Name]; !seen {
					waits[id.Name] = wait{n.Pos(), b.text(sel), verb}
				}
			}
		}
		return true
	})
	if len(waits) == 0 {
		return ""
	}
	why := ""
	ast.Inspect(g.Node.Call, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if why != "" || !ok {
			return why == ""
		}
		sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
		if !ok {
			return true
		}
		id, ok := sel.X.(*ast.Ident)
		if !ok || !b.isPackage(id) {
			return true
		}
		if w, ok := waits[id.Name]; ok {
			why = "the goroutine calls `" + b.text(call.Fun) + "` at line " + itoa(b.m.Line(call.Pos())) +
				", which may close or send on `" + w.text + "` (golens does not see into it), and " +
				starterName(parent) + " " + w.verb + " `" + w.text + "` at line " + itoa(b.m.Line(w.pos))
		}
		return why == ""
	})
	return why
}
