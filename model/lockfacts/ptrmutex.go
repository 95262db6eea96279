package lockfacts

import (
	"go/ast"
	"go/token"
	"go/types"

	"github.com/golens/golens/model"
)

// A mutex field of pointer type (mu *sync.Mutex) locks whatever mutex it
// points to. When every value the package stores in it is the address of
// another struct's mutex field, taken from the very value the new struct
// is stored into (h.obs = append(h.obs, &tally{lock: &h.mu})), a Lock
// through it locks that other mutex: the two fields are one lock class.
// A store of any other value (new(sync.Mutex), &other.mu of a different
// variable, an unkeyed literal, the field's own address taken) leaves the
// field a class of its own.

// SameClass reports whether two mutex classes lock the same mutexes: the
// same field or variable, or a pointer field every store of which points
// at the other (PtrMutexTargets).
func (st *Facts) SameClass(a, b types.Object) bool {
	if a == b {
		return true
	}
	t := st.PtrMutexTargets()
	return a != nil && b != nil && (t[a] == b || t[b] == a || t[a] != nil && t[a] == t[b])
}

// PtrMutexTargets maps each unexported *sync.Mutex or *sync.RWMutex field
// of the package whose every store is &R.f (R the root of the value the
// store ends up in) to f's class.
func (st *Facts) PtrMutexTargets() map[types.Object]types.Object {
	if st.ptrTargets != nil {
		return st.ptrTargets
	}
	target := map[types.Object]types.Object{}
	bad := map[types.Object]bool{}
	store := func(field types.Object, val ast.Expr, into types.Object) {
		u, ok := ast.Unparen(val).(*ast.UnaryExpr)
		if !ok || u.Op != token.AND {
			bad[field] = true
			return
		}
		r := st.Pkg.RawRef(u.X)
		if r.Root == nil || r.Root != into || r.Class == nil || r.Class == field || target[field] != nil && target[field] != r.Class {
			bad[field] = true
			return
		}
		target[field] = r.Class
	}
	for _, f := range st.Pkg.Files {
		var stack []ast.Node
		ast.Inspect(f, func(n ast.Node) bool {
			if n == nil {
				stack = stack[:len(stack)-1]
				return true
			}
			stack = append(stack, n)
			switch n := n.(type) {
			case *ast.CompositeLit:
				s, ok := model.DerefStruct(st.Pkg.Info.TypeOf(n))
				if !ok {
					return true
				}
				for i, e := range n.Elts {
					kv, keyed := e.(*ast.KeyValueExpr)
					if !keyed {
						if i < s.NumFields() && isPtrMutexField(s.Field(i)) {
							bad[s.Field(i)] = true
						}
						continue
					}
					id, _ := kv.Key.(*ast.Ident)
					if id == nil {
						continue
					}
					if v, ok := st.Pkg.Info.Uses[id].(*types.Var); ok && isPtrMutexField(v) {
						store(v, kv.Value, storedInto(st.Pkg, stack))
					}
				}
			case *ast.AssignStmt:
				for i, l := range n.Lhs {
					se, ok := ast.Unparen(l).(*ast.SelectorExpr)
					if !ok {
						continue
					}
					sel := st.Pkg.Info.Selections[se]
					if sel == nil || sel.Kind() != types.FieldVal || !isPtrMutexField(sel.Obj().(*types.Var)) {
						continue
					}
					if len(n.Lhs) != len(n.Rhs) {
						bad[sel.Obj()] = true
						continue
					}
					store(sel.Obj(), n.Rhs[i], st.Pkg.RawRef(se.X).Root)
				}
			case *ast.UnaryExpr:
				if se, ok := ast.Unparen(n.X).(*ast.SelectorExpr); ok && n.Op == token.AND {
					if sel := st.Pkg.Info.Selections[se]; sel != nil && sel.Kind() == types.FieldVal {
						if v := sel.Obj().(*types.Var); isPtrMutexField(v) {
							bad[v] = true
						}
					}
				}
			}
			return true
		})
	}
	st.ptrTargets = map[types.Object]types.Object{}
	for f, t := range target {
		if !bad[f] && !f.Exported() && f.Pkg() == st.Pkg.Types {
			st.ptrTargets[f] = t
		}
	}
	return st.ptrTargets
}

// storedInto is the root variable of what the statement enclosing the
// composite literal at the top of stack assigns to (h in h.obs =
// append(h.obs, &T{...})), or the receiver of the method when the
// statement returns it; nil otherwise.
func storedInto(pkg *model.Package, stack []ast.Node) types.Object {
	for i := len(stack) - 1; i >= 0; i-- {
		switch s := stack[i].(type) {
		case *ast.FuncLit:
			return nil
		case *ast.AssignStmt:
			if len(s.Lhs) != 1 {
				return nil
			}
			if s.Tok == token.DEFINE {
				return nil
			}
			return pkg.RawRef(s.Lhs[0]).Root
		case *ast.ReturnStmt:
			for j := i - 1; j >= 0; j-- {
				if fd, ok := stack[j].(*ast.FuncDecl); ok {
					if fd.Recv != nil && len(fd.Recv.List) == 1 && len(fd.Recv.List[0].Names) == 1 {
						return pkg.Info.Defs[fd.Recv.List[0].Names[0]]
					}
					return nil
				}
				if _, ok := stack[j].(*ast.FuncLit); ok {
					return nil
				}
			}
			return nil
		case ast.Stmt:
			return nil
		}
	}
	return nil
}

// isPtrMutexField: a struct field of type *sync.Mutex or *sync.RWMutex.
func isPtrMutexField(v *types.Var) bool {
	if v == nil || !v.IsField() {
		return false
	}
	p, ok := types.Unalias(v.Type()).(*types.Pointer)
	if !ok {
		return false
	}
	n, ok := types.Unalias(p.Elem()).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "sync" && (n.Obj().Name() == "Mutex" || n.Obj().Name() == "RWMutex")
}
