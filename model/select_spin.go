package model

import (
	"go/ast"
	"go/token"
	"slices"
)

// MaySpin reports whether a select with a default, in a loop, can make
// that loop spin: the innermost loop around it is one with no end of its
// own — `for {` or `for cond {` — so while no case is ready, every pass
// runs default and comes straight back. A range loop (over a slice, a map,
// an integer, a channel) or a three-clause loop with a condition makes a
// bounded number of passes: `for i := range 5 { select { case ch <- i:
// default: } }` tries five times and moves on; it does not spin.
//
// A default that leaves the loop (DefaultLeaves: it returns, breaks out,
// panics, exits) does not make it spin either: the first pass that finds
// no case ready is the loop's last.
func (s *Select) MaySpin(m *File) bool {
	loop := s.endlessLoop(m)
	if loop == nil || m.waitsElsewhereIn(loop.Body, s) || s.DefaultWaits(m).IsValid() {
		return false
	}
	_, leaves := s.DefaultLeaves(m)
	return !leaves
}

// DefaultLeave is how a select's default leaves the loop around it
// (DefaultLeaves).
type DefaultLeave struct {
	// Pos is the first way out in the default's body (a return, a
	// break, a goto or continue out of the loop, an exit call).
	Pos token.Pos
	// How: "return", "break" (of the loop or a statement around it),
	// "jump" (a goto or a continue of an outer loop), "after" (a return
	// or break after the select, which every path from the default
	// reaches), or for calls the
	// ExitKind's String: "panic", "goexit", "exit". When the default's
	// ways out are of more than one kind, "leave".
	How string
	// Call is the function an exit call calls, as written: "os.Exit",
	// "log.Fatal", "fail"; empty for statements.
	Call string
}

// DefaultLeaves reports whether the select's default clause, once run,
// never lets the innermost loop around the select (in its function) start
// another pass, and leaves it by a way the model proves: every path
// through the default ends in a return, a break of the loop (or of a
// statement around it), a goto or continue out of it, or a call ExitCall
// knows never returns (panic, os.Exit, log.Fatal, runtime.Goexit,
// t.Fatal, this file's helpers that always exit). Then the loop does not
// spin on the default: it ends the first time no case is ready. The
// control-flow graph decides (NextPass: a return under a condition may
// not be taken, an unlabelled break in the default leaves only the
// select); where the model does not follow the function, only a default
// whose last statement ends it (EndsBlock) and holds such a way out
// counts. ok is false otherwise, and when there is no default or no loop.
func (s *Select) DefaultLeaves(m *File) (DefaultLeave, bool) {
	cc := s.defaultClause()
	loop := s.innermostLoop(m)
	if cc == nil || loop == nil {
		return DefaultLeave{}, false
	}
	switch m.NextPass(cc, loop) {
	case ReachNever:
	case ReachUnknown:
		if p, ok := s.leftAfter(cc, loop); ok {
			return DefaultLeave{Pos: p, How: "after"}, true
		}
		if !m.EndsBlock(cc.Body) {
			return DefaultLeave{}, false
		}
	default:
		return DefaultLeave{}, false
	}
	var out DefaultLeave
	for _, e := range m.LoopExits(loop) {
		if !e.Proven || e.Pos < cc.Colon || e.Pos >= cc.End() {
			continue
		}
		how, call := e.What, ""
		switch e.What {
		case "return", "break":
		case "continue", "goto":
			how = "jump"
		default:
			// An exit call: ExitCall names its kind.
			how, call = "", e.What
			ast.Inspect(cc, func(n ast.Node) bool {
				if c, ok := n.(*ast.CallExpr); ok && c.Pos() == e.Pos && how == "" {
					if k, ok := m.ExitCall(c); ok {
						how = k.String()
					}
				}
				return how == ""
			})
			if how == "" {
				continue
			}
		}
		switch {
		case !out.Pos.IsValid():
			out = DefaultLeave{Pos: e.Pos, How: how, Call: call}
		case out.How != how || out.Call != call:
			out.How, out.Call = "leave", ""
		}
	}
	if !out.Pos.IsValid() {
		if p, ok := s.leftAfter(cc, loop); ok {
			out = DefaultLeave{Pos: p, How: "after"}
		}
	}
	// A default that never comes round again but has no way out of its
	// own (it loops or blocks forever inside) does not leave.
	return out, out.Pos.IsValid()
}

// defaultClause is the select's default clause, nil when it has none.
func (s *Select) defaultClause() *ast.CommClause {
	if s.Default == nil || s.Node == nil {
		return nil
	}
	for _, st := range s.Node.Body.List {
		if cc, ok := st.(*ast.CommClause); ok && cc.Comm == nil {
			return cc
		}
	}
	return nil
}

// innermostLoop is the innermost for or range statement around the
// select, in its function; nil when there is none.
func (s *Select) innermostLoop(m *File) ast.Stmt {
	if !s.InLoop || s.Node == nil || m == nil || m.AST == nil {
		return nil
	}
	path, _ := EnclosingPath(m.AST, s.Node.Pos(), s.Node.Pos())
	for _, n := range path {
		switch n := n.(type) {
		case *ast.FuncLit, *ast.FuncDecl:
			return nil
		case *ast.RangeStmt:
			return n
		case *ast.ForStmt:
			return n
		}
	}
	return nil
}

// DefaultWaits returns the first operation in the select's default clause
// that can wait (a channel operation, a select without a default,
// time.Sleep, a Lock, a WaitGroup Wait), NoPos when there is none: a
// default that sleeps makes a polling loop, not a spinning one.
func (s *Select) DefaultWaits(m *File) token.Pos {
	if s.Default == nil || s.Node == nil || m == nil {
		return token.NoPos
	}
	for _, st := range s.Node.Body.List {
		if cc, ok := st.(*ast.CommClause); ok && cc.Comm == nil && len(cc.Body) > 0 {
			return m.firstWaitIn(cc.Body[0].Pos(), cc.End(), nil)
		}
	}
	return token.NoPos
}

// WaitsElsewhereInLoop reports whether the select is in a loop with no
// end of its own (as MaySpin) whose body can wait outside the select
// (waitsElsewhereIn): a pass that runs default goes on to that wait, so
// the loop does not spin on the select alone.
func (s *Select) WaitsElsewhereInLoop(m *File) bool {
	loop := s.endlessLoop(m)
	return loop != nil && m.waitsElsewhereIn(loop.Body, s)
}

// endlessLoop is the innermost loop around the select, in its function,
// when it is `for {` or `for cond {`; nil otherwise.
func (s *Select) endlessLoop(m *File) *ast.ForStmt {
	if f, ok := s.innermostLoop(m).(*ast.ForStmt); ok && (f.Cond == nil || f.Post == nil) {
		return f
	}
	return nil
}

// waitsElsewhereIn reports whether the loop body holds, outside the select
// s, an operation that can wait: a channel operation, another select
// without a default, time.Sleep, a Lock or a WaitGroup Wait. Then a pass
// that runs s's default can still wait there (`select { case <-hi: ...;
// default: }` followed by a blocking select over every channel is the
// priority idiom, not a spin), and MaySpin says nothing. It scans the
// file's operations, on demand (a hover asks, one select at a time).
func (m *File) waitsElsewhereIn(body *ast.BlockStmt, s *Select) bool {
	if body == nil {
		return false
	}
	return m.firstWaitIn(body.Pos(), body.End(), s).IsValid()
}

// firstWaitIn returns the position of an operation in [from, to) that can
// wait — a channel operation other than close outside a select, a select
// without a default, time.Sleep, a Lock or RLock, a WaitGroup Wait — outside the
// select skip (nil: none skipped); NoPos when there is none.
func (m *File) firstWaitIn(from, to token.Pos, skip *Select) token.Pos {
	in := func(p token.Pos) bool {
		return p >= from && p < to && !(skip != nil && p >= skip.Node.Pos() && p < skip.Node.End())
	}
	first := token.NoPos
	note := func(p token.Pos) {
		if in(p) && (!first.IsValid() || p < first) {
			first = p
		}
	}
	for _, op := range m.ChanOps {
		// A select's case waits only as its select does: a select
		// without default is noted below, one with a default never
		// waits (r18k_dropring: a default whose body is another select
		// with a default).
		if op.Kind != Close && op.Select == nil {
			note(op.Pos)
		}
	}
	for _, o := range m.Selects {
		if o != skip && o.Default == nil && o.Node != nil {
			note(o.Node.Pos())
		}
	}
	for _, t := range m.TimeCalls {
		if t.Name == "Sleep" {
			note(t.Pos)
		}
	}
	for _, l := range m.Locks {
		if l.Kind == Lock || l.Kind == RLock {
			note(l.Pos)
		}
	}
	for _, w := range m.WaitGroups {
		if w.Kind == WGWait {
			note(w.Pos)
		}
	}
	return first
}

// leftAfter is the `break` or `return` statement that follows the select
// in the loop's body, when the default clause cannot jump anywhere else
// (no continue, goto or labelled branch in it): every pass that runs
// default goes on to that statement and leaves the loop
// (`default:` then `break` below the select: r22q_drop_when_full).
func (s *Select) leftAfter(cc *ast.CommClause, loop ast.Stmt) (token.Pos, bool) {
	body := LoopBody(loop)
	if body == nil || s.Node == nil {
		return token.NoPos, false
	}
	i := slices.IndexFunc(body.List, func(st ast.Stmt) bool { return st == ast.Stmt(s.Node) })
	if i < 0 || i+1 >= len(body.List) {
		return token.NoPos, false
	}
	jumps := false
	ast.Inspect(cc, func(n ast.Node) bool {
		if b, ok := n.(*ast.BranchStmt); ok && (b.Tok == token.CONTINUE || b.Tok == token.GOTO || b.Label != nil) {
			jumps = true
		}
		_, lit := n.(*ast.FuncLit)
		return !jumps && !lit
	})
	if jumps {
		return token.NoPos, false
	}
	switch next := body.List[i+1].(type) {
	case *ast.BranchStmt:
		if next.Tok == token.BREAK && next.Label == nil {
			return next.Pos(), true
		}
	case *ast.ReturnStmt:
		return next.Pos(), true
	}
	return token.NoPos, false
}
