package model

import (
	"go/ast"
	"go/token"
	"go/types"
)

// FixedCaptures lists those of d.Captures (a deferred closure's) whose
// value when the closure runs is the value they hold when the defer
// statement runs: variables a for or range clause around the defer
// declares, when the file's Go version is known to be 1.22 or later, so
// that each pass of the loop has its own variable
// (https://go.dev/ref/spec#For_statements), and nothing in the loop's
// body (the closure included) assigns it, takes its address or calls a
// method on it. A three-clause loop's post statement changes the next
// pass's copy, not this one. The closure still reads the variable when it
// runs; it finds the value it has now.
func (m *File) FixedCaptures(d *Defer) []string {
	if d == nil || len(d.loopCaps) == 0 || d.Node == nil {
		return nil
	}
	if per, known := m.AtLeast("go1.22"); !per || !known {
		return nil
	}
	path, _ := EnclosingPath(m.AST, d.Node.Pos(), d.Node.End())
	var out []string
	for _, c := range d.loopCaps {
		if c.Written {
			continue
		}
		var body *ast.BlockStmt
		for _, n := range path {
			switch n := n.(type) {
			case *ast.ForStmt:
				if as, ok := n.Init.(*ast.AssignStmt); ok && as.Tok == token.DEFINE && m.declares(as.Lhs, c.Decl) {
					body = n.Body
				}
			case *ast.RangeStmt:
				if n.Tok == token.DEFINE && m.declares([]ast.Expr{n.Key, n.Value}, c.Decl) {
					body = n.Body
				}
			}
			if body != nil {
				break
			}
		}
		if body == nil || m.changesVar(body, c.Decl) {
			continue
		}
		out = append(out, c.Name)
	}
	return out
}

// declares reports whether one of ids is the identifier declared at decl.
func (m *File) declares(ids []ast.Expr, decl token.Pos) bool {
	for _, e := range ids {
		if id, ok := e.(*ast.Ident); ok && id.Pos() == decl {
			return true
		}
	}
	return false
}

// varDecl is where the variable id refers to is declared, NoPos when it
// is not a variable.
func (m *File) varDecl(id *ast.Ident) token.Pos {
	if m.Info != nil {
		if v, ok := m.Info.Uses[id].(*types.Var); ok && !v.IsField() {
			return v.Pos()
		}
		return token.NoPos
	}
	if id.Obj == nil || id.Obj.Kind != ast.Var {
		return token.NoPos
	}
	return declPos(id.Obj)
}

// changesVar reports whether n may change the variable declared at decl:
// assigns it (also as a range clause's target), increments it, takes its
// address, or uses it as a selector's operand (a pointer method may
// change it), function literals included.
func (m *File) changesVar(n ast.Node, decl token.Pos) bool {
	is := func(e ast.Expr) bool {
		id, ok := ast.Unparen(e).(*ast.Ident)
		return ok && m.varDecl(id) == decl
	}
	bad := false
	ast.Inspect(n, func(x ast.Node) bool {
		if bad {
			return false
		}
		switch x := x.(type) {
		case *ast.AssignStmt:
			for _, l := range x.Lhs {
				bad = bad || is(l)
			}
		case *ast.IncDecStmt:
			bad = is(x.X)
		case *ast.RangeStmt:
			bad = x.Tok == token.ASSIGN && (x.Key != nil && is(x.Key) || x.Value != nil && is(x.Value))
		case *ast.UnaryExpr:
			bad = x.Op == token.AND && is(x.X)
		case *ast.SelectorExpr:
			bad = is(x.X)
		}
		return !bad
	})
	return bad
}
