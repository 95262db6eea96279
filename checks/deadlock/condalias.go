package deadlock

import (
	"go/ast"
	"go/types"
)

// A sync.Cond's L is the Locker it was made with: c.cond.L.Lock() locks
// c.mu when every Cond stored in the field cond is sync.NewCond(&c.mu) of
// the struct that holds it, and read-locks c.mu when it is
// sync.NewCond(c.mu.RLocker()) (go doc sync.NewCond, sync.RWMutex.RLocker).
// Two names then reach one lock, and a goroutine holding it through one
// name that locks it again through the other deadlocks like any double lock.

// condLock is the mutex a Cond field's L locks, relative to the struct
// that holds the field.
type condLock struct {
	path  string       // ".mu", ".state.mu"
	class types.Object // the mutex field
	kind  lockKind     // lockR when L is the mutex's RLocker
	name  string       // "mu", "state.mu", as written after the struct
}

// condLocks maps each *sync.Cond (or sync.Cond) field of the package to the
// mutex of its own struct its L locks, when every store into the field in
// the package agrees: owner.f = sync.NewCond(&owner.mu) or
// sync.NewCond(owner.mu.RLocker()), owner being the same variable path on
// both sides. A field stored any other way (another Cond, a composite
// literal, a Locker golens cannot name), or whose L is assigned, has none.
func (st *analysisState) condLocks() map[types.Object]condLock {
	out := map[types.Object]condLock{}
	bad := map[types.Object]bool{}
	isCond := func(t types.Type) bool {
		if p, ok := types.Unalias(t).(*types.Pointer); ok {
			t = p.Elem()
		}
		n, ok := types.Unalias(t).(*types.Named)
		return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "sync" && n.Obj().Name() == "Cond"
	}
	store := func(lhs ast.Expr, rhs ast.Expr) {
		se, ok := ast.Unparen(lhs).(*ast.SelectorExpr)
		if !ok {
			return
		}
		sel := st.pass.TypesInfo.Selections[se]
		if sel == nil || sel.Kind() != types.FieldVal {
			return
		}
		f := sel.Obj()
		if se.Sel.Name == "L" && isCond(st.pass.TypesInfo.TypeOf(se.X)) {
			// c.cond.L = …: the Cond's Locker changes.
			if r := st.refOf(se.X); r.class != nil {
				bad[r.class] = true
			}
			return
		}
		if !isCond(f.Type()) {
			return
		}
		cl, ok := st.newCondLock(st.refOf(se.X), rhs)
		if !ok {
			bad[f] = true
			return
		}
		if prev, seen := out[f]; seen && prev != cl {
			bad[f] = true
			return
		}
		out[f] = cl
	}
	for _, file := range st.pass.Files {
		ast.Inspect(file, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.AssignStmt:
				for i, l := range n.Lhs {
					if len(n.Lhs) == len(n.Rhs) {
						store(l, n.Rhs[i])
					} else {
						store(l, nil)
					}
				}
			case *ast.KeyValueExpr:
				// T{cond: …}: the owner is the literal, which golens does
				// not name here.
				if id, ok := n.Key.(*ast.Ident); ok {
					if v, ok := st.pass.TypesInfo.Uses[id].(*types.Var); ok && v.IsField() && isCond(v.Type()) {
						bad[v] = true
					}
				}
			}
			return true
		})
	}
	for f := range bad {
		delete(out, f)
	}
	return out
}

// newCondLock reads sync.NewCond(&owner.path) or
// sync.NewCond(owner.path.RLocker()), where owner is the variable path the
// Cond is stored on.
func (st *analysisState) newCondLock(owner mutex, rhs ast.Expr) (condLock, bool) {
	call, ok := ast.Unparen(rhs).(*ast.CallExpr)
	if owner.root == nil || !ok || len(call.Args) != 1 {
		return condLock{}, false
	}
	fn := calledFunc(st.pass.TypesInfo, call)
	if fn == nil || fn.Pkg() == nil || fn.Pkg().Path() != "sync" || fn.Name() != "NewCond" {
		return condLock{}, false
	}
	arg := ast.Unparen(call.Args[0])
	kind := lockW
	if c, ok := arg.(*ast.CallExpr); ok && len(c.Args) == 0 {
		rf := calledFunc(st.pass.TypesInfo, c)
		se, isSel := ast.Unparen(c.Fun).(*ast.SelectorExpr)
		if rf == nil || !isSel || rf.Pkg() == nil || rf.Pkg().Path() != "sync" || rf.Name() != "RLocker" {
			return condLock{}, false
		}
		arg, kind = se.X, lockR
	} else if u, ok := arg.(*ast.UnaryExpr); !ok || u.Op.String() != "&" {
		return condLock{}, false
	}
	mu := st.refOf(arg)
	if mu.root != owner.root || len(mu.path) <= len(owner.path) || mu.path[:len(owner.path)] != owner.path || mu.class == nil {
		return condLock{}, false
	}
	if !isMutexType(st.pass.TypesInfo.TypeOf(arg)) {
		return condLock{}, false
	}
	rel := mu.path[len(owner.path):]
	return condLock{path: rel, class: mu.class, kind: kind, name: rel[1:]}, true
}

func isMutexType(t types.Type) bool {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "sync" && (n.Obj().Name() == "Mutex" || n.Obj().Name() == "RWMutex")
}

// calledFunc is the function or method a call names statically.
func calledFunc(info *types.Info, c *ast.CallExpr) *types.Func {
	var id *ast.Ident
	switch f := ast.Unparen(c.Fun).(type) {
	case *ast.Ident:
		id = f
	case *ast.SelectorExpr:
		id = f.Sel
	default:
		return nil
	}
	fn, _ := info.Uses[id].(*types.Func)
	return fn
}

// condLockCall reads owner.cond.L.Lock() (and Unlock) as the lock of the
// mutex the Cond was made with.
func (w *walker) condLockCall(method string, x ast.Expr) (mutex, lockKind, bool, bool) {
	se, ok := ast.Unparen(x).(*ast.SelectorExpr)
	if !ok || se.Sel.Name != "L" || method != "Lock" && method != "Unlock" {
		return mutex{}, 0, false, false
	}
	cond := w.st.refOf(se.X)
	cl, ok := w.st.conds[cond.class]
	if !ok || cond.root == nil {
		return mutex{}, 0, false, false
	}
	// cond.path ends with the Cond field; the mutex is its sibling.
	ownerPath := cond.path[:len(cond.path)-len(cond.class.Name())-1]
	condSel, ok := ast.Unparen(se.X).(*ast.SelectorExpr)
	if !ok {
		return mutex{}, 0, false, false
	}
	ownerText := exprText(condSel.X)
	mu := mutex{root: cond.root, path: ownerPath + cl.path, class: cl.class,
		text: ownerText + "." + cl.name + " (as " + exprText(se) + ")"}
	return mu, cl.kind, method == "Unlock", true
}
