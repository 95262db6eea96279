package model

import (
	"go/ast"
	"go/types"
	"strings"
)

// A sync.Cond's L is the Locker it was made with (Package.CondLocks:
// every store into the Cond field is sync.NewCond(&owner.mu), or
// sync.NewCond(owner.mu.RLocker()) for a read lock). The lock flow reads
// owner.cond.L.Lock() as a Lock of owner.mu, so a path holding the mutex
// through one name and locking it through the other is a relock, and the
// mutex is held between c.cond.L.Lock() and c.cond.L.Unlock() for every
// reader of the flow (File.HeldAt, LockFlow).

// UsePackage gives the model the facts only the package's files together
// prove (the Cond locks, today) for its lock flows. Call it right after
// building the model, before anything reads it; without it a Cond's L is
// a Locker golens does not name.
func (f *File) UsePackage(p *Package) { f.pkg = p }

// condLockOps lists the Lock and Unlock calls on a Cond's L in f's own
// body (not in its function literals) and in the closures f defers, as
// lock operations on the mutex the Cond was made with. They are not in
// File.Locks: the call is a sync.Locker's, and only the package's facts
// say which mutex it is.
func (fb *flowBuilder) condLockOps(f *Func) []*LockOp {
	m := fb.m
	if m.pkg == nil || m.Info == nil || f.Body == nil {
		return nil
	}
	conds := m.pkg.CondLocks()
	if len(conds) == 0 {
		return nil
	}
	var out []*LockOp
	scan := func(in *Func, body *ast.BlockStmt, deferredClosure bool) {
		deferred := map[*ast.CallExpr]bool{}
		ast.Inspect(body, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				return false
			case *ast.DeferStmt:
				deferred[n.Call] = true
			case *ast.CallExpr:
				if op := fb.condLockOp(in, n, conds); op != nil {
					op.Deferred = deferred[n] || deferredClosure
					out = append(out, op)
				}
			}
			return true
		})
	}
	scan(f, f.Body, false)
	for _, d := range f.Defers {
		if !d.Closure {
			continue
		}
		if lit := fb.funcAt(d.Node.Call.Fun.Pos()); lit != nil && lit.Body != nil {
			scan(lit, lit.Body, true)
		}
	}
	return out
}

// condLockOp reads owner.cond.L.Lock() or .Unlock() as the lock operation
// on owner.mu (an RLock or RUnlock when L is the mutex's RLocker); nil for
// any other call.
func (fb *flowBuilder) condLockOp(in *Func, call *ast.CallExpr, conds map[types.Object]CondLock) *LockOp {
	m := fb.m
	method, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok || len(call.Args) != 0 || method.Sel.Name != "Lock" && method.Sel.Name != "Unlock" {
		return nil
	}
	l, ok := ast.Unparen(method.X).(*ast.SelectorExpr)
	if !ok || l.Sel.Name != "L" {
		return nil
	}
	cond, ok := ast.Unparen(l.X).(*ast.SelectorExpr)
	if !ok {
		return nil
	}
	sel := m.Info.Selections[cond]
	if sel == nil || sel.Kind() != types.FieldVal {
		return nil
	}
	cl, ok := conds[sel.Obj()]
	if !ok {
		return nil
	}
	owner := stripAddr(cond.X)
	root := rootIdent(owner)
	if root == nil {
		return nil
	}
	kind := Lock
	switch {
	case method.Sel.Name == "Lock" && cl.Read:
		kind = RLock
	case method.Sel.Name == "Unlock" && cl.Read:
		kind = RUnlock
	case method.Sel.Name == "Unlock":
		kind = Unlock
	}
	name := m.Text(owner.Pos(), owner.End()) + "." + cl.Name
	verb := "locks"
	if kind == Unlock || kind == RUnlock {
		verb = "unlocks"
	}
	op := &LockOp{Kind: kind, Pos: method.Sel.Pos(), Call: call, Recv: name, Func: in,
		Through: "which " + verb + " it (" + m.Text(method.X.Pos(), method.X.End()) + " is " + name + ", the Cond's Locker)",
		synth:   &lockSynth{id: name + "@" + posKey(fb.b.rootDecl(root)), root: root}}
	if p, ok := selectorPath(owner); ok {
		op.synth.memPath = append(p, strings.Split(cl.Name, ".")...)
	}
	return op
}

// condLockFuncs marks in need the functions whose flow a Lock or Unlock
// on a Cond's L may take part in: those that call x.L.Lock() or
// x.L.Unlock() (typed tier), and the functions deferring a closure that
// does. Which mutex L is, UsePackage tells later, when the flow is
// computed; the flow must exist for it.
func (b *builder) condLockFuncs(need map[*Func]bool) {
	if b.m.Info == nil || b.ss == nil {
		return
	}
	for _, cs := range b.ss.calls {
		method, ok := ast.Unparen(cs.call.Fun).(*ast.SelectorExpr)
		if !ok || cs.fn == nil || method.Sel.Name != "Lock" && method.Sel.Name != "Unlock" {
			continue
		}
		if l, ok := ast.Unparen(method.X).(*ast.SelectorExpr); !ok || l.Sel.Name != "L" {
			continue
		}
		need[cs.fn] = true
		if cs.fn.Lit && cs.fn.Deferred && cs.fn.Parent != nil {
			need[cs.fn.Parent] = true
		}
	}
}
