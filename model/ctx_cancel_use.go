package model

import "go/ast"

// CancelUse says where the cancel func of a constructor call goes when it
// is not assigned to a named variable (CancelName == ""): "discarded" (to
// the blank identifier, or the call is a statement of its own),
// "returned" (the call is the result list of a return statement: the
// caller gets the cancel func), "passed" (the call is the argument list of
// another call), "declared" (a var spec's value: `var ctx, cancel =
// context.WithCancel(...)`). It reads the syntax tree around the call on
// demand (nothing is built for it).
func (c *ContextCall) CancelUse(m *File) string {
	if c == nil || c.Call == nil || m == nil || m.AST == nil {
		return ""
	}
	path, _ := EnclosingPath(m.AST, c.Call.Pos(), c.Call.End())
	parent := ast.Node(nil)
	for _, n := range path {
		if n == ast.Node(c.Call) {
			continue
		}
		if _, isParen := n.(*ast.ParenExpr); isParen {
			continue
		}
		parent = n
		break
	}
	switch p := parent.(type) {
	case *ast.ReturnStmt:
		return "returned"
	case *ast.CallExpr:
		if p != c.Call {
			return "passed"
		}
	case *ast.ValueSpec:
		if len(p.Names) == 2 && p.Names[1].Name != "_" {
			return "declared"
		}
		return "discarded"
	case *ast.AssignStmt:
		if len(p.Lhs) == 2 {
			if id, ok := p.Lhs[1].(*ast.Ident); ok && id.Name == "_" {
				return "discarded"
			}
			return "assigned" // to a field or element: cancel is stored there
		}
	case *ast.ExprStmt:
		return "discarded"
	}
	return ""
}
