package model

import (
	"go/ast"
)

// atomicQuiet reports a method call on a sync/atomic value (s.served.Add(1),
// n.Load()): the methods of atomic.Int32, Int64, Uint32, Uint64, Uintptr,
// Bool, Pointer and Value return, keep none of their arguments, and wait
// for no goroutine (https://pkg.go.dev/sync/atomic), so the function
// summaries treat them as the known-safe library calls (fmt.Println), not
// as calls golens cannot see into. The receiver's type is read from types,
// or on the syntax tier from its declaration: a variable or parameter
// declared with an atomic type, or a struct field of the file that every
// field of that name declares with one.
func (b *builder) atomicQuiet(call *ast.CallExpr) bool {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return false
	}
	if info := b.m.Info; info != nil {
		pkg, _ := methodRecvType(info, sel)
		return pkg == "sync/atomic"
	}
	switch x := ast.Unparen(sel.X).(type) {
	case *ast.Ident:
		if x.Obj == nil || x.Obj.Kind != ast.Var {
			return false
		}
		switch d := x.Obj.Decl.(type) {
		case *ast.Field:
			return b.isAtomicType(d.Type)
		case *ast.ValueSpec:
			return d.Type != nil && b.isAtomicType(d.Type)
		}
	case *ast.SelectorExpr:
		return b.atomicField(x.Sel.Name)
	}
	return false
}

// isAtomicType reports whether t (or *t) names a type of sync/atomic.
func (b *builder) isAtomicType(t ast.Expr) bool {
	if st, ok := t.(*ast.StarExpr); ok {
		t = st.X
	}
	if ix, ok := t.(*ast.IndexExpr); ok { // atomic.Pointer[T]
		t = ix.X
	}
	sel, ok := t.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	x, ok := sel.X.(*ast.Ident)
	return ok && x.Obj == nil && b.imports[x.Name] == "sync/atomic"
}

// atomicField reports whether the file declares struct fields called
// name, all with a sync/atomic type. The file's fields are read once.
func (b *builder) atomicField(name string) bool {
	if b.atomicFields == nil {
		b.atomicFields = map[string]bool{}
		b.eachStructField(func(f *ast.Field) {
			atomic := b.isAtomicType(f.Type)
			for _, id := range f.Names {
				old, seen := b.atomicFields[id.Name]
				b.atomicFields[id.Name] = atomic && (!seen || old)
			}
		})
	}
	return b.atomicFields[name]
}
