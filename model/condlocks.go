package model

import (
	"go/ast"
	"go/types"
)

// A sync.Cond's L is the Locker it was made with: c.cond.L.Lock() locks
// c.mu when every Cond stored in the field cond is sync.NewCond(&c.mu) of
// the struct that holds it, and read-locks c.mu when it is
// sync.NewCond(c.mu.RLocker()) (go doc sync.NewCond, sync.RWMutex.RLocker).
// Two names then reach one lock: a goroutine holding it through one name
// that locks it again through the other deadlocks like any double lock.

// CondLock is the mutex a Cond field's L locks, relative to the struct
// that holds the field.
type CondLock struct {
	Path  string       // ".mu", ".state.mu"
	Class types.Object // the mutex field
	Read  bool         // L is the mutex's RLocker: Lock read-locks it
	Name  string       // "mu", "state.mu", as written after the struct
}

// CondLocks maps each *sync.Cond (or sync.Cond) field of the package to the
// mutex of its own struct its L locks, when every store into the field in
// the package agrees: owner.f = sync.NewCond(&owner.mu) or
// sync.NewCond(owner.mu.RLocker()), owner being the same variable path on
// both sides. A field stored any other way (another Cond, a composite
// literal, a Locker golens cannot name), or whose L is assigned, has none.
func (p *Package) CondLocks() map[types.Object]CondLock {
	p.condsOnce.Do(func() { p.conds = p.condLocks() })
	return p.conds
}

func (p *Package) condLocks() map[types.Object]CondLock {
	out := map[types.Object]CondLock{}
	bad := map[types.Object]bool{}
	store := func(lhs ast.Expr, rhs ast.Expr) {
		se, ok := ast.Unparen(lhs).(*ast.SelectorExpr)
		if !ok {
			return
		}
		sel := p.Info.Selections[se]
		if sel == nil || sel.Kind() != types.FieldVal {
			return
		}
		f := sel.Obj()
		if se.Sel.Name == "L" && isCondType(p.Info.TypeOf(se.X)) {
			// c.cond.L = …: the Cond's Locker changes.
			if r := p.RawRef(se.X); r.Class != nil {
				bad[r.Class] = true
			}
			return
		}
		if !isCondType(f.Type()) {
			return
		}
		cl, ok := p.newCondLock(p.RawRef(se.X), rhs)
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
	for _, file := range p.Files {
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
					if v, ok := p.Info.Uses[id].(*types.Var); ok && v.IsField() && isCondType(v.Type()) {
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

func isCondType(t types.Type) bool {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "sync" && n.Obj().Name() == "Cond"
}

// newCondLock reads sync.NewCond(&owner.path) or
// sync.NewCond(owner.path.RLocker()), where owner is the variable path the
// Cond is stored on.
func (p *Package) newCondLock(owner Ref, rhs ast.Expr) (CondLock, bool) {
	call, ok := ast.Unparen(rhs).(*ast.CallExpr)
	if owner.Root == nil || !ok || len(call.Args) != 1 {
		return CondLock{}, false
	}
	fn := CalledFunc(p.Info, call)
	if fn == nil || fn.Pkg() == nil || fn.Pkg().Path() != "sync" || fn.Name() != "NewCond" {
		return CondLock{}, false
	}
	arg := ast.Unparen(call.Args[0])
	read := false
	if c, ok := arg.(*ast.CallExpr); ok && len(c.Args) == 0 {
		rf := CalledFunc(p.Info, c)
		se, isSel := ast.Unparen(c.Fun).(*ast.SelectorExpr)
		if rf == nil || !isSel || rf.Pkg() == nil || rf.Pkg().Path() != "sync" || rf.Name() != "RLocker" {
			return CondLock{}, false
		}
		arg, read = se.X, true
	} else if u, ok := arg.(*ast.UnaryExpr); !ok || u.Op.String() != "&" {
		return CondLock{}, false
	}
	mu := p.RawRef(arg)
	if mu.Root != owner.Root || len(mu.Path) <= len(owner.Path) || mu.Path[:len(owner.Path)] != owner.Path || mu.Class == nil {
		return CondLock{}, false
	}
	if !isMutexType(p.Info.TypeOf(arg)) {
		return CondLock{}, false
	}
	rel := mu.Path[len(owner.Path):]
	return CondLock{Path: rel, Class: mu.Class, Read: read, Name: rel[1:]}, true
}

func isMutexType(t types.Type) bool {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == "sync" && (n.Obj().Name() == "Mutex" || n.Obj().Name() == "RWMutex")
}
