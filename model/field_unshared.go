package model

import (
	"go/ast"
	"go/token"
	"go/types"
)

// A local that holds a value of its own and is only ever read through its
// fields (`audit := newJob("audit")`, then `<-audit.done`) never hands its
// value to anything: no call, send, store or assignment sees the pointer.
// A close written on another variable's field (`close(j.done)` in a
// worker ranging over a jobs channel) can then close the field of that
// local's value only if the value reached that variable, and it cannot
// have. closeOfUnsharedLocal is that rule, one more way CloseOfOtherValue
// proves a close is of another value.

// closeOfUnsharedLocal reports whether op is on x.f, with x a local
// declared once from a fresh value (freshLocal) whose constructor, if it
// is a call, returns a composite literal of its own on every return, and
// x is used nowhere but as the operand of field selections; and cl closes
// y.f for a variable y other than x.
func (m *File) closeOfUnsharedLocal(op, cl *ChanOp) bool {
	v, ok := m.sameFieldOtherVar(op, cl)
	if !ok {
		return false
	}
	fn := m.freshLocal(v.opBase, v.a)
	if fn == nil {
		return false
	}
	return m.onlySelected(fn, v.opBase.Name, v.a)
}

// onlySelected reports whether every mention of the variable key (named
// name) in fn, apart from its declaration, is the X of a field selection
// that is not addressed (&x.f), and its declaration's value is a
// composite literal, or a call of a function of this file that returns a
// composite literal (or its address) directly on every return.
func (m *File) onlySelected(fn *Func, name string, key any) bool {
	ok := true
	var stack []ast.Node
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		if !ok {
			return false
		}
		if n == nil {
			stack = stack[:len(stack)-1]
			return false
		}
		defer func() { stack = append(stack, n) }()
		id, isID := n.(*ast.Ident)
		if !isID || id.Name != name || m.identKey(id) != key {
			return true
		}
		parent := stack[len(stack)-1]
		switch p := parent.(type) {
		case *ast.SelectorExpr:
			if p.X != id {
				return true // a field or method named like it
			}
			if m.mayBeMethod(p) {
				ok = false // x.m() or x.m hands the receiver to the method
				return true
			}
			if len(stack) >= 2 {
				if u, isU := stack[len(stack)-2].(*ast.UnaryExpr); isU && u.Op == token.AND {
					ok = false
				}
			}
		case *ast.AssignStmt:
			if p.Tok != token.DEFINE || len(p.Lhs) != len(p.Rhs) {
				ok = false
				return true
			}
			for i, l := range p.Lhs {
				if l == id {
					ok = m.ownsFreshValue(p.Rhs[i])
				}
			}
		case *ast.ValueSpec:
			for i, l := range p.Names {
				if l == id && i < len(p.Values) {
					ok = m.ownsFreshValue(p.Values[i])
				} else if l == id {
					ok = false
				}
			}
		default:
			ok = false
		}
		return true
	})
	return ok
}

// mayBeMethod reports whether sel may select a method rather than a
// field: on the typed tier what the selection is; on the syntax tier,
// whether the file declares a method of that name on any type.
func (m *File) mayBeMethod(sel *ast.SelectorExpr) bool {
	if m.Info != nil {
		if s := m.Info.Selections[sel]; s != nil {
			return s.Kind() != types.FieldVal
		}
		return true
	}
	field, method := false, false
	ast.Inspect(m.AST, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncDecl:
			method = method || n.Recv != nil && n.Name.Name == sel.Sel.Name
		case *ast.StructType:
			for _, f := range n.Fields.List {
				for _, name := range f.Names {
					field = field || name.Name == sel.Sel.Name
				}
			}
		}
		return true
	})
	// A name no struct of this file declares as a field may be a method
	// of a type declared in another file.
	return method || !field
}

// ownsFreshValue reports whether e is a composite literal (or its
// address), or a call of a function declared in this file whose every
// return statement returns one directly: a value no one else holds.
func (m *File) ownsFreshValue(e ast.Expr) bool {
	lit := func(e ast.Expr) bool {
		switch x := ast.Unparen(e).(type) {
		case *ast.CompositeLit:
			return true
		case *ast.UnaryExpr:
			_, isLit := ast.Unparen(x.X).(*ast.CompositeLit)
			return x.Op == token.AND && isLit
		}
		return false
	}
	if lit(e) {
		return true
	}
	call, isCall := ast.Unparen(e).(*ast.CallExpr)
	if !isCall {
		return false
	}
	id, isID := ast.Unparen(call.Fun).(*ast.Ident)
	if !isID {
		return false
	}
	var decl *ast.FuncDecl
	for _, d := range m.AST.Decls {
		if fd, isFD := d.(*ast.FuncDecl); isFD && fd.Recv == nil && fd.Name.Name == id.Name && fd.Body != nil {
			decl = fd
		}
	}
	if decl == nil || decl.Type.Results == nil || decl.Type.Results.NumFields() != 1 {
		return false
	}
	if m.Info != nil && m.Info.Defs[decl.Name] != m.Info.Uses[id] {
		return false
	}
	returns := 0
	good := true
	ast.Inspect(decl.Body, func(n ast.Node) bool {
		switch r := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			returns++
			good = good && len(r.Results) == 1 && lit(r.Results[0])
		}
		return good
	})
	return good && returns > 0
}
