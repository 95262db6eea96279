package model

import (
	"go/ast"
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
