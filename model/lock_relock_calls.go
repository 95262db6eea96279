package model

import (
	"go/ast"
	"go/token"
)

// RelockCall is a call, made while its caller holds a mutex, of a method
// that locks that same mutex again — directly or through further methods
// called on the same receiver — on every path, before anything releases
// it. Go mutexes are not reentrant: the call blocks forever unless another
// goroutine unlocks the mutex, so the caller never returns from it and its
// own release of the lock does not run.
type RelockCall struct {
	Call *ast.CallExpr
	// LockPos is the Lock the callee reaches; Chain the methods called on
	// the way, the first one Call's ("log", "size").
	LockPos token.Pos
	Chain   []string
	// LockAt spells LockPos for a reader: "line 10", "line 10 of log.go".
	LockAt string
}

// relockCallDepth bounds the methods followed from a call to the Lock.
const relockCallDepth = 4

// RelockCalls lists the calls of l's function, after l, that lock l's
// mutex again while l holds it (RelockCall), computed on read. It follows
// only what it can prove: l is a Lock of a field of its method's receiver
// (s.mu.Lock()), released only by deferred unlocks, with no call golens
// cannot follow that may release it; each call is a method called on that
// same receiver, in a statement after l's in the same block, and each
// method on the way is declared on the same receiver type and locks the
// field (or calls the next method) on every path, outside goroutines, with
// no unlock of it before. The deadlock check reports these double locks
// too (by its own lock facts, model/lockfacts).
func (l *LockOp) RelockCalls() []RelockCall {
	if l == nil || l.Func == nil || l.Func.fb == nil || l.synth != nil || l.Deferred || (l.Kind != Lock && l.Kind != RLock) {
		return nil
	}
	lf := l.Flow()
	if lf == nil || !lf.Known || lf.Released == No || len(lf.Unsure) > 0 || len(lf.Started) > 0 || lf.Rebound.IsValid() || lf.Relock != nil {
		return nil
	}
	for _, u := range lf.Releases {
		if !u.Deferred {
			return nil
		}
	}
	b := l.Func.fb.b
	if b == nil || b.ss == nil {
		return nil
	}
	recvName, recvType := methodRecv(l.Func)
	sel, ok := ast.Unparen(l.Call.Fun).(*ast.SelectorExpr)
	if !ok || recvName == "" {
		return nil
	}
	muSel, ok := ast.Unparen(sel.X).(*ast.SelectorExpr)
	if !ok {
		return nil
	}
	if id, ok := ast.Unparen(muSel.X).(*ast.Ident); !ok || id.Name != recvName {
		return nil
	}
	field := muSel.Sel.Name
	after := statementsAfter(l.Func.Body, l.Call)
	if after == nil {
		return nil
	}
	// The candidate calls first: the summaries (derive) are computed
	// only when there is one.
	var cands []*callSite
	for _, cs := range b.ss.calls {
		if cs.fn != l.Func || cs.inGo || cs.deferred || !cs.hasRecv || !after(cs.call.Pos()) {
			continue
		}
		if id, ok := ast.Unparen(cs.recv()).(*ast.Ident); ok && id.Name == recvName {
			cands = append(cands, cs)
		}
	}
	if len(cands) == 0 {
		return nil
	}
	b.m.derived.ensure()
	calleeOf := b.methodCallee()
	var out []RelockCall
	for _, cs := range cands {
		name := ast.Unparen(cs.call.Fun).(*ast.SelectorExpr).Sel.Name
		if pos, chain, ok := b.locksRecvField(calleeOf(cs.call), calleeOf, recvType, field, l.Kind, relockCallDepth); ok {
			out = append(out, RelockCall{Call: cs.call, LockPos: pos, Chain: append([]string{name}, chain...), LockAt: b.m.where(pos)})
		}
	}
	return out
}

// methodRecv is the receiver name and receiver type name (without the
// pointer) of a method; "" for a function or a literal.
func methodRecv(f *Func) (name, typ string) {
	fd, ok := f.Node.(*ast.FuncDecl)
	if !ok || fd.Recv == nil || len(fd.Recv.List) != 1 || len(fd.Recv.List[0].Names) != 1 {
		return "", ""
	}
	t := fd.Recv.List[0].Type
	if st, ok := t.(*ast.StarExpr); ok {
		t = st.X
	}
	id, ok := t.(*ast.Ident)
	if !ok {
		return "", ""
	}
	return fd.Recv.List[0].Names[0].Name, id.Name
}

// statementsAfter reports, for a position, whether it lies in a statement
// that follows the one holding call in the same block of body (outside
// function literals); nil when call is not a statement of a block.
func statementsAfter(body *ast.BlockStmt, call *ast.CallExpr) func(token.Pos) bool {
	var list []ast.Stmt
	idx := -1
	ast.Inspect(body, func(n ast.Node) bool {
		if idx >= 0 {
			return false
		}
		var stmts []ast.Stmt
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.BlockStmt:
			stmts = n.List
		case *ast.CaseClause:
			stmts = n.Body
		case *ast.CommClause:
			stmts = n.Body
		default:
			return true
		}
		for i, s := range stmts {
			if es, ok := s.(*ast.ExprStmt); ok && ast.Unparen(es.X) == call {
				list, idx = stmts, i
				return false
			}
		}
		return true
	})
	if idx < 0 {
		return nil
	}
	rest := list[idx+1:]
	if len(rest) == 0 {
		return func(token.Pos) bool { return false }
	}
	from, to := rest[0].Pos(), rest[len(rest)-1].End()
	lits := []*ast.FuncLit{}
	for _, s := range rest {
		ast.Inspect(s, func(n ast.Node) bool {
			if fl, ok := n.(*ast.FuncLit); ok {
				lits = append(lits, fl)
				return false
			}
			return true
		})
	}
	return func(p token.Pos) bool {
		if p < from || p >= to {
			return false
		}
		for _, fl := range lits {
			if fl.Pos() <= p && p < fl.End() {
				return false
			}
		}
		return true
	}
}

// locksRecvField reports whether f, a method declared on recvType, locks
// its receiver's field on every path outside goroutines before any unlock
// of it — written recv.field.Lock() in its body, or through a method it
// calls on its receiver — and where, with the methods called on the way.
// It reads f's top-level statements in order, and each one's calls in
// source order outside function literals and the right of && and ||: the
// first Lock of the field, or method call on the receiver that locks it,
// decides; a statement that may return, or unlocks the field, before it
// ends the search. held is the kind the caller holds: a second read lock
// under a read lock blocks only when a writer waits, and is not followed.
func (b *builder) locksRecvField(f *Func, calleeOf func(*ast.CallExpr) *Func, recvType, field string, held LockKind, depth int) (token.Pos, []string, bool) {
	pos, chain, v := b.recvFieldVerdict(f, calleeOf, recvType, field, held, depth)
	return pos, chain, v == relocks
}

// The verdicts of recvFieldVerdict.
const (
	mayUnlock = -1 // may release the field, or golens cannot tell
	noVerdict = 0  // releases nothing; need not lock it either
	relocks   = 1  // locks it on every path before any release
)

func (b *builder) recvFieldVerdict(f *Func, calleeOf func(*ast.CallExpr) *Func, recvType, field string, held LockKind, depth int) (token.Pos, []string, int) {
	if f == nil || f.Body == nil || depth == 0 {
		return token.NoPos, nil, mayUnlock
	}
	name, typ := methodRecv(f)
	if name == "" || typ != recvType || takesUnlockValue(f.Body) {
		return token.NoPos, nil, mayUnlock
	}
	for _, st := range f.Body.List {
		switch st.(type) {
		case *ast.ExprStmt, *ast.AssignStmt, *ast.DeclStmt, *ast.ReturnStmt, *ast.IncDecStmt, *ast.SendStmt:
		case *ast.DeferStmt:
			continue // runs at return
		default:
			// if, for, switch, go, …: on some paths only, or later.
			// Past it only when it can release nothing: no unlock of
			// the field, no call on the receiver or passing it.
			if unlocksField(st, name, field) || usesRecvInCall(st, name) {
				return token.NoPos, nil, mayUnlock
			}
			if b.mayLeave(st) {
				return token.NoPos, nil, noVerdict
			}
			continue
		}
		for _, call := range callsInOrder(st) {
			sel, isSel := ast.Unparen(call.Fun).(*ast.SelectorExpr)
			if isSel {
				if mu, isMu := ast.Unparen(sel.X).(*ast.SelectorExpr); isMu {
					if id, isID := ast.Unparen(mu.X).(*ast.Ident); isID && id.Name == name && mu.Sel.Name == field {
						switch sel.Sel.Name {
						case "Lock":
							return call.Pos(), nil, relocks
						case "RLock":
							if held == Lock {
								return call.Pos(), nil, relocks
							}
						}
						return token.NoPos, nil, mayUnlock // Unlock, TryLock, …
					}
				}
				if id, isID := ast.Unparen(sel.X).(*ast.Ident); isID && id.Name == name {
					pos, rest, v := b.recvFieldVerdict(calleeOf(call), calleeOf, recvType, field, held, depth-1)
					switch v {
					case relocks:
						return pos, append([]string{sel.Sel.Name}, rest...), relocks
					case mayUnlock:
						return token.NoPos, nil, mayUnlock
					}
					continue
				}
			}
			for _, a := range call.Args {
				if mentions(a, name) {
					return token.NoPos, nil, mayUnlock // the receiver handed on
				}
			}
		}
		if _, ret := st.(*ast.ReturnStmt); ret {
			return token.NoPos, nil, noVerdict
		}
	}
	return token.NoPos, nil, noVerdict
}

// usesRecvInCall reports whether n calls a method on name or passes name
// (or something reached through it) to a call, outside function literals.
func usesRecvInCall(n ast.Node, name string) bool {
	found := false
	ast.Inspect(n, func(x ast.Node) bool {
		if c, ok := x.(*ast.CallExpr); ok {
			if sel, ok := ast.Unparen(c.Fun).(*ast.SelectorExpr); ok && mentions(sel.X, name) {
				found = true
			}
			for _, a := range c.Args {
				found = found || mentions(a, name)
			}
		}
		return !found
	})
	return found
}

// mentions reports whether e uses the variable name.
func mentions(e ast.Node, name string) bool {
	found := false
	ast.Inspect(e, func(x ast.Node) bool {
		if id, ok := x.(*ast.Ident); ok && id.Name == name {
			found = true
		}
		return !found
	})
	return found
}

// callsInOrder lists the calls of a simple statement that run whenever it
// runs, arguments before the call they are passed to, outside function
// literals and the right operand of && and ||.
func callsInOrder(st ast.Stmt) []*ast.CallExpr {
	var out []*ast.CallExpr
	var walk func(n ast.Node)
	walk = func(n ast.Node) {
		ast.Inspect(n, func(x ast.Node) bool {
			switch x := x.(type) {
			case *ast.FuncLit:
				return false
			case *ast.BinaryExpr:
				if x.Op == token.LAND || x.Op == token.LOR {
					walk(x.X)
					return false
				}
			case *ast.CallExpr:
				walk(x.Fun)
				for _, a := range x.Args {
					walk(a)
				}
				out = append(out, x)
				return false
			}
			return true
		})
	}
	walk(st)
	return out
}

// mayLeave reports whether st may end its function or goroutine: a return,
// a goto, or a call that may exit (File.MayExit: panic, os.Exit,
// log.Fatal*, runtime.Goexit, this file's exiting helpers, and calls named
// like them that golens cannot read), anywhere outside function literals.
func (b *builder) mayLeave(st ast.Stmt) bool {
	found := false
	ast.Inspect(st, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			found = true
		case *ast.BranchStmt:
			if n.Tok == token.GOTO {
				found = true
			}
		case *ast.CallExpr:
			found = found || b.m.MayExit(n)
		}
		return !found
	})
	return found
}

// unlocksField reports whether n holds a call name.field.Unlock() or
// RUnlock() (any receiver name when name is ""), outside deferred calls
// and function literals.
func unlocksField(n ast.Node, name, field string) bool {
	found := false
	ast.Inspect(n, func(x ast.Node) bool {
		switch x := x.(type) {
		case *ast.FuncLit, *ast.DeferStmt:
			return false
		case *ast.CallExpr:
			if sel, ok := ast.Unparen(x.Fun).(*ast.SelectorExpr); ok && (sel.Sel.Name == "Unlock" || sel.Sel.Name == "RUnlock") {
				if mu, ok := ast.Unparen(sel.X).(*ast.SelectorExpr); ok && mu.Sel.Name == field {
					if id, ok := ast.Unparen(mu.X).(*ast.Ident); ok && (name == "" || id.Name == name) {
						found = true
					}
				}
			}
		}
		return !found
	})
	return found
}

// methodCallee finds the function a call calls: by the file's summaries
// for a call in this file, by the package's (typed tier) for one in
// another file of the package. nil when golens has no body for it.
func (b *builder) methodCallee() func(*ast.CallExpr) *Func {
	var byCall map[*ast.CallExpr]*callSite
	return func(call *ast.CallExpr) *Func {
		if call.Pos() >= b.m.AST.FileStart && call.Pos() <= b.m.AST.FileEnd {
			if byCall == nil {
				byCall = make(map[*ast.CallExpr]*callSite, len(b.ss.calls))
				for _, cs := range b.ss.calls {
					byCall[cs.call] = cs
				}
			}
			if cs := byCall[call]; cs != nil {
				if s := b.lockCallee(cs); s != nil {
					return s.Func
				}
			}
			return nil
		}
		if p := b.m.pkg; p != nil && b.m.Info != nil {
			if fn := calleeObj(b.m.Info, call); fn != nil {
				if s := p.FuncSummary(fn); s != nil {
					return s.Func
				}
			}
		}
		return nil
	}
}
