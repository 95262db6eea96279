package model

import (
	"go/ast"
	"go/token"
	"slices"
)

// WaitedClose is a close that has run whenever an operation runs, because
// the function running the operation first waits for the goroutine that
// makes it: a collector that closes results on every path by which it
// returns, main's `<-stopped` that its deferred close(stopped) ends, then
// main's `results <- 2`, which panics (send on closed channel).
type WaitedClose struct {
	// Close is the goroutine's close of the channel (in its literal or in
	// the function of this file its go statement calls).
	Close token.Pos
	// Go is the goroutine; WaitBy and Wait its wait, as GoWait names it.
	Go     *Goroutine
	WaitBy string
	Wait   token.Pos
}

// ClosedByWaited is, for a send or receive outside a select, the
// WaitedClose of its channel: the function holding op starts a goroutine
// and then waits for it (GoWait, proven, with no way to give up), both in
// statements of their own that every path to op runs first (StmtsBefore);
// the goroutine closes op's channel on every path by which it ends (a
// Proven close in its summary: a deferred one, or one every return passes
// through); and the channel variable is made once and never assigned. nil
// when there is none. The send hint and hover read it: such a send
// panics, such a receive never waits.
func (m *File) ClosedByWaited(op *ChanOp) *WaitedClose {
	if op == nil || op.Select != nil || op.Func == nil || op.Chan == nil || op.Kind != Send && op.Kind != Recv {
		return nil
	}
	c := op.Chan
	if len(c.Assigned) > 0 || len(c.NilSets) > 0 || len(c.Makes) > 1 {
		return nil
	}
	var before []ast.Stmt
	for _, g := range m.Goroutines {
		if g.Func != op.Func || g.Node == nil || g.Node.End() > op.Pos || g.enclosingGo() != op.InGo {
			continue
		}
		if before == nil {
			before = m.StmtsBefore(op.Pos)
		}
		if !slices.Contains(before, ast.Stmt(g.Node)) {
			continue // started only on some paths to op
		}
		w := g.Wait()
		if w.By == "" || w.GiveUp != "" || !w.Pos.IsValid() || w.Waited.Certainty != Proven || !w.Waited.Holds {
			continue
		}
		if !slices.ContainsFunc(before, func(st ast.Stmt) bool { return plainStmtAt(st, w.Pos) }) {
			continue
		}
		if cl := m.closesOnEveryEnd(g, c); cl.IsValid() {
			return &WaitedClose{Close: cl, Go: g, WaitBy: w.By, Wait: w.Pos}
		}
	}
	return nil
}

// plainStmtAt reports whether st holds p and runs all of itself whenever
// it runs: an expression or assignment statement (`<-done`, `wg.Wait()`,
// `v := <-done`), not a statement with branches or a body.
func plainStmtAt(st ast.Stmt, p token.Pos) bool {
	if p < st.Pos() || p >= st.End() {
		return false
	}
	switch st.(type) {
	case *ast.ExprStmt, *ast.AssignStmt:
		return true
	}
	return false
}

// closesOnEveryEnd is the close of c that g's function makes on every path
// by which it ends (a Proven close effect of its summary, not in a
// goroutine it starts nor through a call), in the literal a go statement
// starts or in the function of this file it calls with c as an argument;
// NoPos when there is none.
func (m *File) closesOnEveryEnd(g *Goroutine, c *Chan) token.Pos {
	var s *Summary
	param := -1
	if g.Body != nil {
		s = m.SummaryOf(g.Body)
	} else {
		fd := m.fileCallee(g.Node.Call)
		if fd == nil || fd.Body == nil {
			return token.NoPos
		}
		fn := m.FuncAt(fd.Body.Lbrace + 1)
		if fn == nil || fn.Body != fd.Body {
			return token.NoPos
		}
		s = m.SummaryOf(fn)
		for i, a := range g.Node.Call.Args {
			if id, ok := ast.Unparen(a).(*ast.Ident); ok && m.DeclPos(id) == c.Decl {
				if param >= 0 {
					return token.NoPos // passed twice
				}
				param = i
			}
		}
		if param < 0 {
			return token.NoPos
		}
	}
	if s == nil {
		return token.NoPos
	}
	for _, e := range s.Effects {
		if e.Kind != EffClose || e.Certainty != Proven || e.InGo || e.At.IsValid() {
			continue
		}
		if param >= 0 && e.Target.Param == param || param < 0 && e.Target.Param < 0 && e.key == c.Key {
			return e.Pos
		}
	}
	return token.NoPos
}
