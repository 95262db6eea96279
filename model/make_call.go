package model

import "go/ast"

// MakeCall is the make call written at mk, or nil when the file holds
// none there. A feature that edits the make (the timeoutleak check's
// buffer fix) asks for it here rather than searching the file: the search
// stays inside the innermost function around mk and skips every subtree
// that does not hold it.
func (m *File) MakeCall(mk *MakeSite) *ast.CallExpr {
	var root ast.Node = m.AST
	if f := m.funcAt(mk.Pos); f != nil {
		root = f.Body
	}
	var call *ast.CallExpr
	ast.Inspect(root, func(n ast.Node) bool {
		if n == nil || call != nil || mk.Pos < n.Pos() || mk.Pos >= n.End() {
			return false
		}
		if c, ok := n.(*ast.CallExpr); ok && c.Pos() == mk.Pos {
			if id, ok := ast.Unparen(c.Fun).(*ast.Ident); ok && id.Name == "make" {
				call = c
				return false
			}
		}
		return true
	})
	return call
}
