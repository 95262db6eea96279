package model

import (
	"go/ast"
	"go/token"
)

// methodValueReleases lists the calls in f's own body of a local variable
// that holds a mutex's Unlock (RUnlock) method value:
//
//	unlock := s.mu.Unlock
//	defer unlock()
//
// The method value evaluates its receiver, &s.mu, where it is taken; the
// call releases that mutex. Each such call becomes an Unlock event of the
// mutex the receiver names, as the direct call s.mu.Unlock() would be, when
// golens can tell that the name still reaches the same mutex at the call:
// the variable is declared with the method value and never assigned again
// nor has its address taken, and the receiver's root variable is declared
// in f (a parameter, the receiver, a local) and not written after the
// method value is taken (nor through its address, nor in a closure). Any
// other call of a function value stays a call golens cannot see into.
func (b *builder) methodValueReleases(f *Func) []releaseEvent {
	if f == nil || f.Body == nil {
		return nil
	}
	var out []releaseEvent
	ast.Inspect(f.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.CallExpr:
			id, ok := ast.Unparen(n.Fun).(*ast.Ident)
			if !ok || len(n.Args) != 0 {
				return true
			}
			if op := b.methodValueUnlock(f, n, id); op != nil {
				at := n.Pos()
				if op.Deferred {
					at = b.deferPosOf(f, n)
				}
				out = append(out, releaseEvent{op: op, deferred: op.Deferred, at: at})
			}
		}
		return true
	})
	return out
}

// methodValueUnlock is the Unlock event of the call `v()` when v holds a
// mutex's Unlock or RUnlock method value (see methodValueReleases); nil
// otherwise.
func (b *builder) methodValueUnlock(f *Func, call *ast.CallExpr, v *ast.Ident) *LockOp {
	decl := b.m.DeclPos(v)
	if !decl.IsValid() || decl < f.Body.Lbrace || decl > f.Body.Rbrace {
		return nil
	}
	rhs := b.assignedOnce(v, decl) // recover_flow.go
	if rhs == nil {
		return nil
	}
	sel, ok := ast.Unparen(rhs).(*ast.SelectorExpr)
	if !ok || (sel.Sel.Name != "Unlock" && sel.Sel.Name != "RUnlock") {
		return nil
	}
	recvType := b.methodRecvType(sel)
	if recvType != "sync.Mutex" && recvType != "sync.RWMutex" || recvType == "sync.Mutex" && sel.Sel.Name == "RUnlock" {
		return nil
	}
	x := stripAddr(sel.X)
	if _, ok := selectorPath(x); !ok {
		return nil // an index or a call on the way: not followed
	}
	root := rootIdent(x)
	if root == nil {
		return nil
	}
	rootDecl := b.rootDecl(root)
	if !rootDecl.IsValid() || rootDecl < f.Pos || rootDecl >= f.End {
		return nil
	}
	if b.writtenAfter(f, root, rootDecl, sel.End()) {
		return nil
	}
	deferred := false
	for _, d := range f.Defers {
		if d.Node != nil && d.Node.Call == call {
			deferred = true
		}
	}
	kind := Unlock
	if sel.Sel.Name == "RUnlock" {
		kind = RUnlock
	}
	k, _ := b.keyOf(x)
	recv := b.m.Text(x.Pos(), x.End())
	return &LockOp{Kind: kind, Pos: call.Pos(), Call: call, Recv: recv, Key: k, Type: recvType, Func: f, Deferred: deferred,
		Through: "the method value `" + b.m.Text(sel.Pos(), sel.End()) + "` taken at " + b.m.where(sel.Pos()),
		synth:   &lockSynth{id: recv + "@" + posKey(rootDecl), root: root}}
}

// writtenAfter reports whether the variable root (declared at decl) is
// assigned, incremented, ranged into or has its address taken anywhere in
// f's body (function literals included) after pos.
func (b *builder) writtenAfter(f *Func, root *ast.Ident, decl token.Pos, pos token.Pos) bool {
	same := func(e ast.Expr) bool {
		id, ok := ast.Unparen(e).(*ast.Ident)
		return ok && id.Name == root.Name && id.Pos() > pos && b.rootDecl(id) == decl
	}
	found := false
	ast.Inspect(f.Body, func(n ast.Node) bool {
		if found {
			return false
		}
		switch n := n.(type) {
		case *ast.AssignStmt:
			for _, l := range n.Lhs {
				found = found || same(l)
			}
		case *ast.IncDecStmt:
			found = same(n.X)
		case *ast.RangeStmt:
			found = n.Key != nil && same(n.Key) || n.Value != nil && same(n.Value)
		case *ast.UnaryExpr:
			found = n.Op == token.AND && same(n.X)
		}
		return !found
	})
	return found
}
