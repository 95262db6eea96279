package model

import (
	"go/ast"
	"go/token"
	"go/types"
)

// A method with a value receiver gets a copy of the receiver: its sync
// fields (a WaitGroup, a Mutex) are copies too, counter and lock state
// included. Done, Unlock or Wait on such a field never reaches the
// caller's value, so these operations pair with nothing outside the
// method (go vet's copylocks check reports the copy).

// ValueReceiverCopy returns the receiver's name when x (the operand of a
// sync method call in f: p.wg in p.wg.Wait()) is a field reached from a
// value receiver of the method f belongs to; "" otherwise.
func (m *File) ValueReceiverCopy(f *Func, x ast.Expr) string {
	if x == nil {
		return ""
	}
	// The root of the selector chain: p in p.wg or p.a.wg.
	sel, ok := ast.Unparen(x).(*ast.SelectorExpr)
	if !ok {
		// c.RLock() on a value receiver c whose struct embeds the
		// mutex: the promoted method locks the copy's mutex.
		if id, isID := ast.Unparen(x).(*ast.Ident); isID && m.embedsSync(id) {
			return m.valueRecvNamed(f, id)
		}
		return ""
	}
	var root ast.Expr = sel
	for {
		s, ok := root.(*ast.SelectorExpr)
		if !ok {
			break
		}
		root = ast.Unparen(s.X)
	}
	id, ok := root.(*ast.Ident)
	if !ok {
		return ""
	}
	// A pointer field (wg *sync.WaitGroup) is copied as a pointer: the
	// copy reaches the same WaitGroup.
	if info := m.Info; info != nil {
		if t := info.TypeOf(sel); t == nil {
			return ""
		} else if _, ptr := t.Underlying().(*types.Pointer); ptr {
			return ""
		}
	} else if m.pointerField(sel.Sel.Name) {
		return ""
	}
	return m.valueRecvNamed(f, id)
}

// embedsSync reports whether the value x names has a struct type that
// embeds a sync value by value (not a pointer): on the typed tier from
// its type, on the syntax tier whenever a struct of the file embeds a
// Mutex or RWMutex (the lock calls golens records on x are promoted ones).
func (m *File) embedsSync(x *ast.Ident) bool {
	if info := m.Info; info != nil {
		t := info.TypeOf(x)
		if t == nil {
			return false
		}
		st, ok := t.Underlying().(*types.Struct)
		if !ok {
			return false
		}
		for i := range st.NumFields() {
			fld := st.Field(i)
			if !fld.Embedded() {
				continue
			}
			if n, ok := fld.Type().(*types.Named); ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "sync" {
				return true
			}
		}
		return false
	}
	return true
}

// valueRecvNamed is the name of f's value receiver when id is it, or "".
func (m *File) valueRecvNamed(f *Func, id *ast.Ident) string {
	for f != nil && f.Lit {
		f = f.Parent
	}
	if f == nil {
		return ""
	}
	for _, d := range m.AST.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Pos() != f.Pos || fd.Recv == nil || len(fd.Recv.List) != 1 || len(fd.Recv.List[0].Names) != 1 {
			continue
		}
		name := fd.Recv.List[0].Names[0]
		if _, ptr := ast.Unparen(fd.Recv.List[0].Type).(*ast.StarExpr); ptr {
			return ""
		}
		same := name.Obj != nil && id.Obj == name.Obj
		if info := m.Info; info != nil {
			same = info.Uses[id] != nil && info.Uses[id] == info.Defs[name]
		}
		if same {
			return name.Name
		}
		return ""
	}
	return ""
}

// OnCopy returns the value receiver whose copy the operation works on
// (see ValueReceiverCopy), or "".
func (w *WaitGroupOp) OnCopy(m *File) string {
	if sel, ok := ast.Unparen(w.Call.Fun).(*ast.SelectorExpr); ok {
		return m.ValueReceiverCopy(w.Func, sel.X)
	}
	return ""
}

// lockOperand is the mutex expression of a lock call (s.mu in s.mu.Lock()).
func lockOperand(l *LockOp) ast.Expr {
	if l.Call != nil {
		if sel, ok := ast.Unparen(l.Call.Fun).(*ast.SelectorExpr); ok {
			return sel.X
		}
	}
	return nil
}

// pointerField reports whether a struct type of the file declares a field
// of this name with a pointer type (syntax tier: the field's type is not
// otherwise known at a selector).
func (m *File) pointerField(name string) bool {
	found := false
	ast.Inspect(m.AST, func(n ast.Node) bool {
		st, ok := n.(*ast.StructType)
		if !ok || found {
			return !found
		}
		for _, f := range st.Fields.List {
			for _, fn := range f.Names {
				if fn.Name == name {
					if _, ptr := f.Type.(*ast.StarExpr); ptr {
						found = true
					}
				}
			}
		}
		return true
	})
	return found
}

// OnCopy returns the value receiver whose copy the Do works on (see
// ValueReceiverCopy), or "": each call of such a method has a fresh Once,
// so its Do calls the function on every call of the method.
func (o *OnceCall) OnCopy(m *File) string {
	if o == nil || o.Call == nil {
		return ""
	}
	if sel, ok := ast.Unparen(o.Call.Fun).(*ast.SelectorExpr); ok {
		return m.ValueReceiverCopy(o.Func, sel.X)
	}
	return ""
}

// ValueParamCopy returns the parameter's name when x (the operand of a sync
// method call in f: wg in wg.Done()) is a parameter of f declared as a
// sync.WaitGroup, sync.Mutex or sync.RWMutex value, not a pointer: the
// caller passed a copy, counter or lock state included, so no operation on
// it reaches the caller's value (go vet's copylocks check reports such a
// parameter). "" otherwise.
func (m *File) ValueParamCopy(f *Func, x ast.Expr) string {
	id, ok := ast.Unparen(x).(*ast.Ident)
	if !ok || f == nil || f.Type == nil || f.Type.Params == nil {
		return ""
	}
	for _, field := range f.Type.Params.List {
		if !isSyncValueType(field.Type) {
			continue
		}
		for _, name := range field.Names {
			if name.Name != id.Name {
				continue
			}
			same := name.Obj != nil && id.Obj == name.Obj
			if info := m.Info; info != nil {
				same = info.Uses[id] != nil && info.Uses[id] == info.Defs[name]
			} else if name.Obj == nil {
				// No object resolution: the parameter is the name unless a
				// declaration in the body shadows it.
				same = !m.declaredIn(f.Body, id.Name, id.Pos())
			}
			if same {
				return name.Name
			}
		}
	}
	return ""
}

// isSyncValueType reports the type expressions sync.WaitGroup, sync.Mutex
// and sync.RWMutex (values, not pointers).
func isSyncValueType(e ast.Expr) bool {
	sel, ok := e.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	x, ok := sel.X.(*ast.Ident)
	return ok && x.Name == "sync" && (sel.Sel.Name == "WaitGroup" || sel.Sel.Name == "Mutex" || sel.Sel.Name == "RWMutex")
}

// declaredIn reports whether body declares name (:=, var, or a function
// literal's parameter) before pos.
func (m *File) declaredIn(body *ast.BlockStmt, name string, pos token.Pos) bool {
	if body == nil {
		return false
	}
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if found || n == nil || n.Pos() >= pos {
			return false
		}
		switch n := n.(type) {
		case *ast.AssignStmt:
			if n.Tok == token.DEFINE {
				for _, l := range n.Lhs {
					if l, ok := l.(*ast.Ident); ok && l.Name == name {
						found = true
					}
				}
			}
		case *ast.ValueSpec:
			for _, l := range n.Names {
				if l.Name == name {
					found = true
				}
			}
		case *ast.Field:
			for _, l := range n.Names {
				if l.Name == name {
					found = true
				}
			}
		}
		return true
	})
	return found
}
