package model

import (
	"go/ast"
	"go/types"
)

// Whether x.Done() is a context's Done. Any type may have a Done method:
// a job whose Done returns the channel its goroutine closes is not a
// context, and "j.Done() is closed when the context is cancelled" would be
// false. The typed tier asks the type (it has Context's four methods, or
// Done is context's own); the syntax tier excludes a receiver when the
// file declares a Done method of its own and nothing shows x is a
// context.

// doneIsContext reports whether sel (x.Done, called with no arguments)
// may be a context's Done.
func (b *builder) doneIsContext(sel *ast.SelectorExpr) bool {
	if info := b.m.Info; info != nil {
		if s := info.Selections[sel]; s != nil {
			if fn, ok := s.Obj().(*types.Func); ok && fn.Pkg() != nil && fn.Pkg().Path() == "context" {
				return true
			}
			return contextLike(s.Recv())
		}
		if t := info.TypeOf(sel.X); t != nil {
			return contextLike(t)
		}
		return true
	}
	if !b.fileDeclaresDone() {
		return true
	}
	// The file has a Done method of its own: x must show it is a
	// context.
	return b.doneShownContext(sel)
}

// doneShownContext reports whether the file shows (syntax tier) that x in
// x.Done() is a context: a context constructor's result
// (context.Background()), a variable declared or assigned with
// context's types or constructors, or a field v.f that a struct type of
// the file, v's type, declares as a context.Context. Without that, x.Done() is taken for a
// context's only by the method's name (ChanOp.DoneGuess).
func (b *builder) doneShownContext(sel *ast.SelectorExpr) bool {
	return b.shownContext(sel.X, 3)
}

// shownContext is doneShownContext for the expression x; a variable
// declared from another variable (ctx := parent) is followed depth more
// steps.
func (b *builder) shownContext(x ast.Expr, depth int) bool {
	if b.isContextCall(x) {
		return true
	}
	if sel, ok := ast.Unparen(x).(*ast.SelectorExpr); ok {
		return b.contextField(sel)
	}
	id, ok := ast.Unparen(x).(*ast.Ident)
	if !ok || id.Obj == nil || depth == 0 {
		return false
	}
	from := func(v ast.Expr) bool {
		if b.isContextCall(v) {
			return true
		}
		src, ok := ast.Unparen(v).(*ast.Ident)
		return ok && src.Obj != id.Obj && b.shownContext(src, depth-1)
	}
	switch d := id.Obj.Decl.(type) {
	case *ast.Field:
		return b.isContextType(d.Type)
	case *ast.ValueSpec:
		if d.Type != nil {
			return b.isContextType(d.Type)
		}
		for _, v := range d.Values {
			if from(v) {
				return true
			}
		}
	case *ast.AssignStmt:
		for _, v := range d.Rhs {
			if from(v) {
				return true
			}
		}
	}
	return false
}

// contextField reports whether sel is v.f with v a variable whose type
// the syntax tier reads from its declaration (a receiver d *Delayed[T], a
// parameter, t := &T{...}) and f a field that the file's declaration of
// that struct type writes as context.Context.
func (b *builder) contextField(sel *ast.SelectorExpr) bool {
	name, _ := b.syntaxTypeName(sel.X)
	if name == "" {
		return false
	}
	for _, d := range b.m.AST.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok {
			continue
		}
		for _, spec := range gd.Specs {
			ts, ok := spec.(*ast.TypeSpec)
			if !ok || ts.Name.Name != name {
				continue
			}
			st, ok := ts.Type.(*ast.StructType)
			if !ok || st.Fields == nil {
				return false
			}
			for _, f := range st.Fields.List {
				for _, id := range f.Names {
					if id.Name == sel.Sel.Name {
						return b.isContextType(f.Type)
					}
				}
			}
			return false
		}
	}
	return false
}

// contextLike reports whether t has context.Context's methods.
func contextLike(t types.Type) bool {
	ms := types.NewMethodSet(t)
	if _, isPtr := t.(*types.Pointer); !isPtr && !types.IsInterface(t) {
		ms = types.NewMethodSet(types.NewPointer(t))
	}
	for _, name := range []string{"Deadline", "Done", "Err", "Value"} {
		found := false
		for i := range ms.Len() {
			if ms.At(i).Obj().Name() == name {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

// fileDeclaresDone reports whether the file declares a method named Done.
func (b *builder) fileDeclaresDone() bool {
	// Asked at every x.Done() the walk meets: the declarations are
	// scanned once (only the walk asks, on one goroutine).
	if b.declaresDone == 0 {
		b.declaresDone = 1
		for _, d := range b.m.AST.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv != nil && fd.Name.Name == "Done" {
				b.declaresDone = 2
				break
			}
		}
	}
	return b.declaresDone == 2
}

// isContextType reports whether e is the type context.Context.
func (b *builder) isContextType(e ast.Expr) bool {
	sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
	if !ok {
		return false
	}
	x, ok := sel.X.(*ast.Ident)
	return ok && b.imports[x.Name] == "context" && sel.Sel.Name == "Context"
}

// isContextCall reports whether e is a call of a context package function
// (context.WithCancel(...), context.Background()).
func (b *builder) isContextCall(e ast.Expr) bool {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok {
		return false
	}
	name, _ := b.pkgCall(call, "context")
	return name != ""
}
