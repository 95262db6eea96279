package model

import (
	"go/ast"
	"go/token"
	"go/types"
)

// Where a context constructor's cancel func is kept, and which fields the
// package reads: together they tell whether anything can still call a
// cancel func stored in a field (the cancelleak check), next to where it
// is called (CancelCalls) and where it goes that golens cannot follow
// (CancelEscapes).

// CancelStore is a struct field a cancel func is stored in.
type CancelStore struct {
	// Field is the field (its generic origin).
	Field *types.Var
	// Pos is the store: the assignment's target, the assignment holding
	// `s.cancel = cancel`, or the literal's keyed element.
	Pos token.Pos
	// Lit is the composite literal, for a keyed element
	// (`&T{cancel: cancel}`); CtxField is then the literal's field that
	// receives the context, if any.
	Lit      *ast.CompositeLit
	CtxField *types.Var
	// Returned: Lit is what every return of the function declaration
	// returns (cancel_returned.go), so its callers receive the cancel func
	// inside the result.
	Returned bool
}

// CancelStores lists where the cancel func of the constructor c is stored
// when storing it in struct fields is all that happens to it: the
// constructor's own assignment puts it in a field
// (`s.ctx, s.cancel = context.WithCancel(p)`), or every use of the
// variable it is assigned to, in the function that declares it (function
// literals included), stores it in a field, by assignment
// (`s.cancel = cancel`) or as a keyed value (`&T{cancel: cancel}`). The
// second result is the constructor's assignment. nil when the cancel func
// is used any other way (called, deferred, passed, returned, stored other
// than in a field), discarded with _, or not assigned; always nil on the
// syntax tier. Computed on each call: one walk of the function.
func (m *File) CancelStores(c *ContextCall) ([]CancelStore, *ast.AssignStmt) {
	info := m.Info
	if info == nil || c == nil || c.Func == nil || c.Name == "Done" {
		return nil, nil
	}
	body, as := constructorAssign(c)
	if as == nil {
		return nil, nil
	}
	if f := fieldSelected(info, as.Lhs[1]); f != nil {
		return []CancelStore{{Field: f, Pos: as.Lhs[1].Pos()}}, as
	}
	v := identVar(info, as.Lhs[1])
	if v == nil {
		return nil, as // discarded with _, or stored elsewhere
	}
	ctxVar := identVar(info, as.Lhs[0])
	var stores []CancelStore
	ok := true
	ast.Inspect(body, func(n ast.Node) bool {
		if !ok {
			return false
		}
		switch n := n.(type) {
		case *ast.KeyValueExpr:
			if identVar(info, n.Value) == v {
				lit := litHolding(body, n)
				f := keyedField(info, lit, n)
				if f == nil {
					ok = false
					return false
				}
				stores = append(stores, CancelStore{Field: f, Pos: n.Pos(), Lit: lit, CtxField: litFieldOf(info, lit, ctxVar), Returned: returnsLit(info, body, lit)})
				return false
			}
		case *ast.AssignStmt:
			if n == as {
				return false // the defining assignment itself
			}
			for i, r := range n.Rhs {
				if identVar(info, r) == v {
					var f *types.Var
					if len(n.Lhs) == len(n.Rhs) {
						f = fieldSelected(info, n.Lhs[i])
					}
					if f == nil {
						ok = false
						return false
					}
					stores = append(stores, CancelStore{Field: f, Pos: n.Pos()})
					return false
				}
			}
		case *ast.Ident:
			if info.Uses[n] == v {
				ok = false // called, deferred, passed, returned
			}
		}
		return true
	})
	if !ok {
		return nil, as
	}
	return stores, as
}

// constructorAssign is the assignment `ctx, cancel := c` of a context
// constructor and the body of the function declaration that holds it
// (function literals included); nil for a constructor called any other
// way or in a package-level function literal.
func constructorAssign(c *ContextCall) (*ast.BlockStmt, *ast.AssignStmt) {
	top := c.Func
	for top.Parent != nil {
		top = top.Parent
	}
	if top.Lit || top.Body == nil {
		return nil, nil // a package-level function literal
	}
	body := top.Body
	var as *ast.AssignStmt
	ast.Inspect(body, func(n ast.Node) bool {
		if a, ok := n.(*ast.AssignStmt); ok && len(a.Lhs) == 2 && len(a.Rhs) == 1 && ast.Unparen(a.Rhs[0]) == c.Call {
			as = a
		}
		return as == nil
	})
	return body, as
}

// ContextFields lists, on the typed tier, the struct fields (their
// origins) the context made by the constructor c is stored in, in the
// function declaration that calls it (function literals included): the
// constructor's own assignment (`s.ctx, s.cancel = context.WithCancel(p)`),
// the literal that stores its cancel func (`&T{ctx: ctx, cancel: cancel}`,
// CancelStore.CtxField), or a plain assignment of the context variable
// (`s.ctx = ctx`). A goroutine that receives from one of these fields'
// Done waits on this context (the cancelleak check names it). nil on the
// syntax tier, and for a constructor not assigned to two operands.
// Computed on each call: one walk of the function.
func (m *File) ContextFields(c *ContextCall) []*types.Var {
	info := m.Info
	if info == nil || c == nil || c.Func == nil || c.Name == "Done" {
		return nil
	}
	body, as := constructorAssign(c)
	if as == nil {
		return nil
	}
	var fields []*types.Var
	add := func(f *types.Var) {
		if f == nil {
			return
		}
		for _, g := range fields {
			if g == f {
				return
			}
		}
		fields = append(fields, f)
	}
	add(fieldSelected(info, as.Lhs[0]))
	stores, _ := m.CancelStores(c)
	for _, s := range stores {
		add(s.CtxField)
	}
	ctxVar := identVar(info, as.Lhs[0])
	if ctxVar == nil {
		return fields
	}
	ast.Inspect(body, func(n ast.Node) bool {
		if a, ok := n.(*ast.AssignStmt); ok && len(a.Lhs) == len(a.Rhs) {
			for i, r := range a.Rhs {
				if identVar(info, r) == ctxVar {
					add(fieldSelected(info, a.Lhs[i]))
				}
			}
		}
		return true
	})
	return fields
}

// ReadFields lists, on the typed tier, the struct fields this file reads:
// every selection of the field (s.f) except as the target of a plain
// assignment (= or :=) — a call, a copy, a comparison, &s.f, an operand.
// Fields are their generic origins. nil on the syntax tier. Computed on
// each call: one walk of the file.
func (m *File) ReadFields() map[*types.Var]bool {
	info := m.Info
	if info == nil {
		return nil
	}
	read := map[*types.Var]bool{}
	assigned := map[*ast.SelectorExpr]bool{}
	ast.Inspect(m.AST, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			if n.Tok == token.ASSIGN || n.Tok == token.DEFINE {
				for _, l := range n.Lhs {
					if sel, ok := l.(*ast.SelectorExpr); ok {
						assigned[sel] = true
					}
				}
			}
		case *ast.SelectorExpr:
			if s := info.Selections[n]; s != nil && s.Kind() == types.FieldVal && !assigned[n] {
				if v, ok := s.Obj().(*types.Var); ok {
					read[v.Origin()] = true
				}
			}
		}
		return true
	})
	return read
}

// fieldSelected is the field e selects (its origin), or nil.
func fieldSelected(info *types.Info, e ast.Expr) *types.Var {
	sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
	if !ok {
		return nil
	}
	s := info.Selections[sel]
	if s == nil || s.Kind() != types.FieldVal {
		return nil
	}
	v, _ := s.Obj().(*types.Var)
	if v == nil {
		return nil
	}
	return v.Origin()
}

// identVar is the variable an identifier uses or declares, or nil.
func identVar(info *types.Info, e ast.Expr) *types.Var {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok {
		return nil
	}
	if v, ok := info.Uses[id].(*types.Var); ok {
		return v
	}
	v, _ := info.Defs[id].(*types.Var)
	return v
}

// litHolding is the composite literal in body that has kv as an element.
func litHolding(body *ast.BlockStmt, kv *ast.KeyValueExpr) *ast.CompositeLit {
	var lit *ast.CompositeLit
	ast.Inspect(body, func(n ast.Node) bool {
		if cl, ok := n.(*ast.CompositeLit); ok {
			for _, e := range cl.Elts {
				if e == kv {
					lit = cl
				}
			}
		}
		return lit == nil
	})
	return lit
}

// keyedField is the struct field kv's key names in lit (its origin).
func keyedField(info *types.Info, lit *ast.CompositeLit, kv *ast.KeyValueExpr) *types.Var {
	if lit == nil {
		return nil
	}
	id, ok := kv.Key.(*ast.Ident)
	if !ok {
		return nil
	}
	v, _ := info.Uses[id].(*types.Var)
	if v == nil || !v.IsField() {
		return nil
	}
	return v.Origin()
}

// litFieldOf is the field of lit whose keyed value is the variable v.
func litFieldOf(info *types.Info, lit *ast.CompositeLit, v *types.Var) *types.Var {
	if lit == nil || v == nil {
		return nil
	}
	for _, e := range lit.Elts {
		if kv, ok := e.(*ast.KeyValueExpr); ok && identVar(info, kv.Value) == v {
			return keyedField(info, lit, kv)
		}
	}
	return nil
}
