package model

import (
	"go/ast"
	"go/token"
	"go/types"
)

// A channel field's facts gather every operation on that field of any
// value of the struct type: `close(a.quit)` is a close of the field quit.
// Said of `<-b.quit`, where b is another value, "b.quit is closed at line
// 25" is false when line 25 closes only a's. CloseOfOtherValue tells the
// texts which closes to leave out.

// CloseOfOtherValue reports whether cl closes the field of a different
// value than the one op's operand names: op is on b.f and cl closes a.f,
// where a and b are two distinct local variables, each declared once (:=
// or var) from a composite literal, &T{...}, new(T) or a function call,
// never assigned again and never addressed (&a). A close through a
// receiver, a parameter, a range variable, a package variable or a
// variable copied from another (b := a) may close op's channel and is
// kept. Leaving a close out only removes a claim.
func (m *File) CloseOfOtherValue(op, cl *ChanOp) bool {
	if op == nil || cl == nil || op == cl {
		return false
	}
	opBase, opSel := selectorBase(opOperand(op))
	clBase, clSel := selectorBase(opOperand(cl))
	if opBase == nil || clBase == nil || opSel != clSel {
		return false
	}
	a, b := m.identKey(opBase), m.identKey(clBase)
	if a == nil || b == nil || a == b {
		return false
	}
	return m.freshLocal(opBase, a) && m.freshLocal(clBase, b)
}

// opOperand is the channel operand of op as written.
func opOperand(op *ChanOp) ast.Expr {
	switch n := op.Node.(type) {
	case *ast.SendStmt:
		return n.Chan
	case *ast.UnaryExpr:
		return n.X
	case *ast.CallExpr:
		if len(n.Args) == 1 {
			return n.Args[0]
		}
	case *ast.RangeStmt:
		return n.X
	}
	return nil
}

// selectorBase splits x.f, with x a plain name, into x and f.
func selectorBase(e ast.Expr) (*ast.Ident, string) {
	if e == nil {
		return nil, ""
	}
	sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
	if !ok {
		return nil, ""
	}
	id, ok := ast.Unparen(sel.X).(*ast.Ident)
	if !ok {
		return nil, ""
	}
	return id, sel.Sel.Name
}

// identKey is the variable id names: a *types.Var on the typed tier, an
// *ast.Object of kind Var on the syntax tier; nil for anything else.
func (m *File) identKey(id *ast.Ident) any {
	if m.Info != nil {
		if v, ok := m.Info.ObjectOf(id).(*types.Var); ok && !v.IsField() {
			return v
		}
		return nil
	}
	if id.Obj != nil && id.Obj.Kind == ast.Var {
		return id.Obj
	}
	return nil
}

// freshLocal reports whether the variable key (named by id) is a local
// declared once from a fresh-looking value and never written or
// addressed again (see CloseOfOtherValue). Answers are kept per variable
// (derived.freshLocals) so hints asking for many operations walk each
// declaring function once per variable.
func (m *File) freshLocal(id *ast.Ident, key any) bool {
	if m.derived != nil {
		if v, ok := m.derived.freshLocals.Load(key); ok {
			return v.(bool)
		}
	}
	fresh := m.computeFreshLocal(id, key)
	if m.derived != nil {
		m.derived.freshLocals.Store(key, fresh)
	}
	return fresh
}

func (m *File) computeFreshLocal(id *ast.Ident, key any) bool {
	var declPos token.Pos
	switch k := key.(type) {
	case *types.Var:
		if k.Parent() == nil || k.Pkg() != nil && k.Parent() == k.Pkg().Scope() {
			return false
		}
		declPos = k.Pos()
	case *ast.Object:
		declPos = objectDeclPos(k)
	}
	if !declPos.IsValid() {
		return false
	}
	fn := m.funcAt(declPos)
	if fn == nil || fn.Body == nil || declPos < fn.Body.Pos() || declPos >= fn.Body.End() {
		return false // a parameter, a receiver or a package variable
	}
	is := func(e ast.Expr) bool {
		x, ok := ast.Unparen(e).(*ast.Ident)
		return ok && x.Name == id.Name && m.identKey(x) == key
	}
	defines, fresh, other := 0, false, false
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		if other {
			return false
		}
		switch n := n.(type) {
		case *ast.AssignStmt:
			for i, lhs := range n.Lhs {
				if !is(lhs) {
					continue
				}
				if n.Tok != token.DEFINE || lhs.Pos() != declPos || len(n.Lhs) != len(n.Rhs) {
					other = true
					return false
				}
				defines++
				fresh = m.freshValue(n.Rhs[i])
			}
		case *ast.ValueSpec:
			for i, name := range n.Names {
				if name.Pos() != declPos {
					continue
				}
				if len(n.Values) != len(n.Names) {
					other = true
					return false
				}
				defines++
				fresh = m.freshValue(n.Values[i])
			}
		case *ast.RangeStmt:
			if n.Key != nil && is(n.Key) || n.Value != nil && is(n.Value) {
				other = true
				return false
			}
		case *ast.UnaryExpr:
			if n.Op == token.AND && is(n.X) {
				other = true
				return false
			}
		}
		return true
	})
	return !other && defines == 1 && fresh
}

// objectDeclPos is the position of the name a syntax-tier object declares.
func objectDeclPos(o *ast.Object) token.Pos {
	switch d := o.Decl.(type) {
	case *ast.AssignStmt:
		for _, lhs := range d.Lhs {
			if x, ok := lhs.(*ast.Ident); ok && x.Name == o.Name {
				return x.Pos()
			}
		}
	case *ast.ValueSpec:
		for _, x := range d.Names {
			if x.Name == o.Name {
				return x.Pos()
			}
		}
	}
	return token.NoPos
}

// freshValue reports whether e looks like a value of its own: a
// composite literal, its address, new(T), or a call of a function (not a
// conversion, which may copy another value's pointer).
func (m *File) freshValue(e ast.Expr) bool {
	switch e := ast.Unparen(e).(type) {
	case *ast.CompositeLit:
		return true
	case *ast.UnaryExpr:
		_, ok := ast.Unparen(e.X).(*ast.CompositeLit)
		return e.Op == token.AND && ok
	case *ast.CallExpr:
		switch f := ast.Unparen(e.Fun).(type) {
		case *ast.Ident:
			if m.Info != nil {
				switch m.Info.ObjectOf(f).(type) {
				case *types.Func:
					return true
				case *types.Builtin:
					return f.Name == "new"
				}
				return false
			}
			if f.Obj != nil {
				return f.Obj.Kind == ast.Fun
			}
			return f.Name == "new"
		case *ast.SelectorExpr:
			if m.Info != nil {
				_, ok := m.Info.ObjectOf(f.Sel).(*types.Func)
				return ok
			}
			return true // pkg.F(...) or x.M(...); a conversion to pkg.T is rare
		case *ast.IndexExpr, *ast.IndexListExpr:
			return m.Info != nil && m.Info.Types[f].IsValue() // a generic function's instance
		}
	}
	return false
}
