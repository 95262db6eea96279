package model

import "go/ast"

// inGotoLoop reports whether a goto after the defer jumps back to a label
// before it, in the same function: the defer then runs again on the next
// pass, after the writes between it and the goto, like a defer in a for
// loop (`again: defer f(i); i++; if i < 3 { goto again }`).
func (b *builder) inGotoLoop(d *Defer) bool {
	if d.Func == nil || d.Func.Body == nil {
		return false
	}
	labels := map[string]bool{} // labels before the defer
	found := false
	ast.Inspect(d.Func.Body, func(n ast.Node) bool {
		if found {
			return false
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			return false // a goto cannot leave its function
		case *ast.LabeledStmt:
			if n.Pos() < d.Pos {
				labels[n.Label.Name] = true
			}
		case *ast.BranchStmt:
			if n.Label != nil && n.Pos() > d.End && labels[n.Label.Name] && n.Tok.String() == "goto" {
				found = true
			}
		}
		return true
	})
	return found
}
