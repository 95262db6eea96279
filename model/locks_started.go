package model

import (
	"go/ast"
	"go/token"
	"strings"
)

// GoRelease is a go statement of the locking function whose goroutine
// unlocks the mutex: `go s.release()` where release unlocks s.mu, `go
// unlockLater(mu)`, or `go func() { …; s.mu.Unlock() }()` (directly or
// through a helper it calls). The goroutine may run at any time after the
// go statement, so from there on the paths of the function may or may not
// hold the mutex: golens neither pairs it as this lock's release nor says
// the lock is still held when the function returns.
type GoRelease struct {
	// Go is the go statement.
	Go token.Pos
	// Call is the call the unlock is reached through, as written: the go
	// statement's own call for a named function or method, or the call
	// inside the started literal ("" for an Unlock written in it).
	Call string
	// Unlock is where the Unlock (RUnlock) is written, in whichever file
	// (NoPos when golens cannot tell), and UnlockAt says where for a
	// reader: "line 16", "line 11 of other.go".
	Unlock   token.Pos
	UnlockAt string
}

// goRelease is the flow's event for a GoRelease, at its go statement.
type goRelease struct{ g GoRelease }

// goReleases lists the go statements of f's own body whose goroutine
// releases the mutex id (rooted at root, with key key).
func (fb *flowBuilder) goReleases(f *Func, id string, root *ast.Ident, key VarKey) []GoRelease {
	if f.Body == nil {
		return nil
	}
	b, m := fb.b, fb.m
	rootDecl := b.rootDecl(root)
	var out []GoRelease
	ast.Inspect(f.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.GoStmt:
			call := n.Call
			if lit, ok := ast.Unparen(call.Fun).(*ast.FuncLit); ok {
				g := fb.funcAt(lit.Pos())
				if g == nil {
					return false
				}
				for _, o := range m.Locks {
					if (o.Kind == Unlock || o.Kind == RUnlock) && o.Func != nil && (o.Func == g || nestedIn(o.Func, g)) {
						if oid, _ := b.lockIdentity(o); oid == id {
							if fb.relocksFirst(g, o, id, root, rootDecl, key) {
								continue
							}
							out = append(out, GoRelease{Go: n.Pos(), Unlock: o.Pos})
							return false
						}
					}
				}
				if b.ss == nil || !fb.callsResolvable(g) {
					return false
				}
				b.m.derived.ensure()
				for _, cs := range b.ss.calls {
					if cs.fn == nil || !enclosedBy(cs.fn, g) {
						continue
					}
					if fb.callEffect(cs.call, root, rootDecl, key) == callReleases {
						out = append(out, GoRelease{Go: n.Pos(), Call: callText(m, cs.call), Unlock: fb.unlockIn(cs)})
						return false
					}
				}
				return false
			}
			if fb.callEffect(call, root, rootDecl, key) == callReleases {
				var at token.Pos
				if cs := b.callAtPos(call.Pos()); cs != nil && cs.call == call {
					at = fb.unlockIn(cs)
				}
				out = append(out, GoRelease{Go: n.Pos(), Call: callText(m, call), Unlock: at})
			}
			return false
		}
		return true
	})
	for i := range out {
		if out[i].Unlock.IsValid() {
			out[i].UnlockAt = m.where(out[i].Unlock)
		}
	}
	return out
}

// relocksFirst reports whether the started literal g's Unlock (RUnlock)
// u releases only the lock g itself takes before it: `go func() {
// mu.Lock(); n++; mu.Unlock() }()`. Such a goroutine waits in its Lock
// until the mutex is free, so its Unlock cannot release a lock the
// starting function holds. It holds when u is a statement (or a defer) of
// g's own top-level body that an earlier top-level Lock (RLock) of the
// same mutex precedes, g unlocks the mutex nowhere else, no call between
// the two (for a defer: after the Lock) may release it, and no label lets
// a jump skip the Lock. The same holds for a statement u of a block inside
// g (a loop body that locks and unlocks on each pass: `for m := range ch {
// mu.Lock(); n++; mu.Unlock() }`) when u is not deferred and g has no
// goto.
func (fb *flowBuilder) relocksFirst(g *Func, u *LockOp, id string, root *ast.Ident, rootDecl token.Pos, key VarKey) bool {
	if u.Func != g || g.Body == nil {
		return false
	}
	b, m := fb.b, fb.m
	want := Lock
	if u.Kind == RUnlock {
		want = RLock
	}
	for _, o := range m.Locks {
		if o != u && (o.Kind == Unlock || o.Kind == RUnlock) && o.Func != nil && (o.Func == g || nestedIn(o.Func, g)) {
			if oid, _ := b.lockIdentity(o); oid == id {
				return false
			}
		}
	}
	stmtCall := func(st ast.Stmt) *ast.CallExpr {
		switch st := st.(type) {
		case *ast.ExprStmt:
			c, _ := ast.Unparen(st.X).(*ast.CallExpr)
			return c
		case *ast.DeferStmt:
			return st.Call
		}
		return nil
	}
	// The statement list that holds the Unlock: the body itself, or a
	// block inside it (a loop body that locks and unlocks on each pass).
	list, nested := g.Body.List, false
	holds := func(l []ast.Stmt) bool {
		for _, st := range l {
			if c := stmtCall(st); c == u.Call {
				return true
			}
		}
		return false
	}
	if !holds(list) {
		list = nil
		ast.Inspect(g.Body, func(n ast.Node) bool {
			if list != nil {
				return false
			}
			var l []ast.Stmt
			switch n := n.(type) {
			case *ast.FuncLit:
				return false
			case *ast.BlockStmt:
				l = n.List
			case *ast.CaseClause:
				l = n.Body
			case *ast.CommClause:
				l = n.Body
			}
			if l != nil && holds(l) {
				list = l
			}
			return true
		})
		nested = true
		if list == nil || hasGoto(g.Body) {
			return false
		}
	}
	lockAt, unlockAt := -1, -1
	for i, st := range list {
		if _, ok := st.(*ast.LabeledStmt); ok {
			return false
		}
		if lockAt < 0 && fb.tryLockLoop(st, g, want, id) {
			lockAt = i
			continue
		}
		c := stmtCall(st)
		if c == nil {
			continue
		}
		if c == u.Call {
			unlockAt = i
			break
		}
		if _, isDefer := st.(*ast.DeferStmt); isDefer || lockAt >= 0 {
			continue
		}
		for _, o := range m.Locks {
			if o.Call == c && o.Kind == want && o.Func == g {
				if oid, _ := b.lockIdentity(o); oid == id {
					lockAt = i
				}
			}
		}
	}
	if lockAt < 0 || unlockAt < 0 {
		return false
	}
	end := unlockAt
	if _, ok := list[unlockAt].(*ast.DeferStmt); ok {
		if nested {
			return false // runs at return, not at the end of this block
		}
		end = len(list)
	}
	for _, st := range list[lockAt+1 : end] {
		if _, ok := st.(*ast.LabeledStmt); ok {
			return false
		}
		releases := false
		ast.Inspect(st, func(n ast.Node) bool {
			if c, ok := n.(*ast.CallExpr); ok && !releases && c != u.Call {
				if fb.callEffect(c, root, rootDecl, key) == callReleases {
					releases = true
				}
			}
			return !releases
		})
		if releases {
			return false
		}
	}
	return true
}

func callText(m *File, call *ast.CallExpr) string {
	return strings.TrimSpace(m.Text(call.Pos(), call.End()))
}

// unlockIn is where the callee of cs writes its first Unlock (RUnlock)
// outside goroutines it starts, or NoPos.
func (fb *flowBuilder) unlockIn(cs *callSite) token.Pos {
	sum := fb.b.lockCallee(cs)
	if sum == nil {
		return token.NoPos
	}
	for _, e := range sum.Effects {
		if (e.Kind == EffUnlock || e.Kind == EffRUnlock) && !e.InGo {
			return e.Pos
		}
	}
	return token.NoPos
}

// callsResolvable reports whether the literal g makes a call whose summary
// could release a mutex: one to a function golens may have a body for.
// A literal that calls only what cannot (sync and Cond methods, cancel
// funcs, known-safe library calls: unresolved) needs no summaries, and
// asking for them costs the whole file's on the first hover of a Lock
// in a function that starts it.
func (fb *flowBuilder) callsResolvable(g *Func) bool {
	b := fb.b
	for _, cs := range b.ss.calls {
		if cs.fn != nil && enclosedBy(cs.fn, g) && !b.unresolved(cs) {
			return true
		}
	}
	return false
}

// tryLockLoop reports a statement of g's body that polls until it holds the
// mutex id: `for !mu.TryLock() { … }` (TryRLock for a read lock) with no
// break or goto in its body, so it ends only holding the lock (or not at
// all). relocksFirst counts it as the goroutine's own Lock.
func (fb *flowBuilder) tryLockLoop(st ast.Stmt, g *Func, want LockKind, id string) bool {
	loop, ok := st.(*ast.ForStmt)
	if !ok || loop.Init != nil || loop.Post != nil || loop.Cond == nil {
		return false
	}
	not, ok := ast.Unparen(loop.Cond).(*ast.UnaryExpr)
	if !ok || not.Op != token.NOT {
		return false
	}
	call, ok := ast.Unparen(not.X).(*ast.CallExpr)
	if !ok {
		return false
	}
	try := TryLock
	if want == RLock {
		try = TryRLock
	}
	found := false
	for _, o := range fb.m.Locks {
		if o.Call == call && o.Kind == try && o.Func == g {
			if oid, _ := fb.b.lockIdentity(o); oid == id {
				found = true
			}
		}
	}
	if !found {
		return false
	}
	jumps := false
	ast.Inspect(loop.Body, func(n ast.Node) bool {
		if br, ok := n.(*ast.BranchStmt); ok && (br.Tok == token.BREAK || br.Tok == token.GOTO) {
			jumps = true
		}
		return !jumps
	})
	return !jumps
}
