package model

import (
	"go/ast"
	"go/token"
	"slices"
)

// StartCondWait is a call that main makes before a go statement and that
// can wait on a sync.Cond (Cond.Wait, directly or in a function of the
// package it calls) while main is still the program's only goroutine of
// its own: no go statement, no call that starts a goroutine and no call
// golens cannot see into runs before it. A Cond is signalled only by
// another goroutine, so if the call waits there it never returns, and
// main never starts the goroutine nor reaches the wait for it: a bounded
// queue filled past its size before its consumer starts (`q.Put` three
// times into a queue of two). Whether it waits depends on values golens
// does not follow (the loop around the Wait), so this is a possibility,
// which the go hover and hint state as the condition of the wait they
// name. nil when there is none.
type StartCondWait struct {
	// Call is the call as written ("q.Put"), At where it is; Pos is the
	// Cond.Wait it reaches (in whichever file holds it).
	Call    string
	At, Pos token.Pos
	// Where is where the Cond.Wait is, "line 24" or "line 24 of queue.go".
	Where string
}

// StartCondWait finds the StartCondWait before g's go statement; nil when
// there is none, g is not started by main of package main, or the file
// has an init function (which may start goroutines first).
func (m *File) StartCondWait(g *Goroutine) *StartCondWait {
	fn := g.Func
	if fn == nil || fn.Name != "main" || fn.Lit || fn.Body == nil || m.AST == nil || m.AST.Name.Name != "main" || g.Node == nil {
		return nil
	}
	for _, d := range m.AST.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil && fd.Name.Name == "init" {
			return nil
		}
	}
	s := m.SummaryOf(fn)
	if s == nil {
		return nil
	}
	stmts := slices.Clone(m.StmtsBefore(g.Node.Pos()))
	slices.SortFunc(stmts, func(a, b ast.Stmt) int { return int(a.Pos() - b.Pos()) })
	in := func(st ast.Stmt, p token.Pos) bool { return st.Pos() <= p && p < st.End() }
	for _, st := range stmts {
		if holds[*ast.GoStmt](st) || holds[*ast.FuncLit](st) {
			return nil
		}
		for _, oc := range s.Opaque {
			if in(st, oc.Pos) && !oc.Deferred {
				return nil // a call golens cannot see into may start goroutines
			}
		}
		var found *StartCondWait
		for _, e := range s.Effects {
			if e.Kind == EffCondWait && !e.At.IsValid() && !e.InGo && !e.Deferred && in(st, e.Pos) && !m.inNestedLit(fn, e.Pos) {
				found = &StartCondWait{Call: m.condWaitCall(e.Pos), At: e.Pos, Pos: e.Pos, Where: m.where(e.Pos)}
				break
			}
		}
		for _, cs := range s.calls {
			if cs.fn != fn || cs.inGo || cs.deferred || !in(st, cs.call.Pos()) {
				continue
			}
			if cs.resolved == nil {
				if cs.knownSafe {
					continue
				}
				return nil
			}
			if startsGoroutines(cs.resolved, map[*Summary]bool{}) {
				return nil
			}
			if found == nil || cs.call.Pos() < found.At {
				if e := callDoesInside(cs.resolved, map[*Summary]bool{s: true}, func(e *Effect) bool { return e.Kind == EffCondWait }); e != nil {
					found = &StartCondWait{Call: cs.callee, At: cs.call.Pos(), Pos: e.Pos, Where: m.where(e.Pos)}
				}
			}
		}
		if found != nil {
			return found
		}
	}
	return nil
}

// condWaitCall is the receiver of the Cond.Wait call at p as written,
// with ".Wait": "q.cond.Wait".
func (m *File) condWaitCall(p token.Pos) string {
	path, _ := EnclosingPath(m.AST, p, p)
	for _, n := range path {
		if call, ok := n.(*ast.CallExpr); ok {
			return m.Text(call.Fun.Pos(), call.Fun.End())
		}
	}
	return "Wait"
}

// startsGoroutines reports whether a call of callee may start a goroutine:
// its body holds a go statement or a function literal (which a library
// may run in a goroutine of its own: time.AfterFunc), or it calls a
// function that may, or one golens cannot see into.
func startsGoroutines(callee *Summary, seen map[*Summary]bool) bool {
	if callee == nil || seen[callee] {
		return false
	}
	seen[callee] = true
	if callee.Func == nil || callee.Func.Body == nil || holds[*ast.GoStmt](callee.Func.Body) || holds[*ast.FuncLit](callee.Func.Body) {
		return true
	}
	if len(callee.Opaque) > 0 {
		return true
	}
	for _, cs := range callee.calls {
		if cs.resolved == nil {
			if !cs.knownSafe {
				return true
			}
			continue
		}
		if startsGoroutines(cs.resolved, seen) {
			return true
		}
	}
	return false
}
