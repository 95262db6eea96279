package model

import (
	"go/ast"
	"go/token"
	"sort"

	"golang.org/x/tools/go/cfg"
)

// WaitSkipped is the first place where the starting function can end after
// the go statement has run without reaching the wait GoWait names, nor any
// other wait written the same way in the same function: a return statement,
// written before the wait, that some path from the go statement gets to
// first.
// processAll starting a goroutine per item and returning early on a bad one
// before wg.Wait(): "processAll waits for it" holds only on the paths that
// get to the Wait, and the goroutines started before the return run on
// unwaited. A later pass of a loop counts (the go statement in one pass,
// the return in the next). nil when no such return exists,
// when the wait is deferred (a deferred Wait runs at every return once it
// is registered) or in a function literal, and when the model does not
// follow the function's flow. Exits that end the program (os.Exit) or
// panic are not counted. Computed on demand, outside the build.
func (m *File) WaitSkipped(g *Goroutine) *Exit {
	w := g.Wait()
	if w.By == "" || !w.Pos.IsValid() || g.Node == nil || g.Func == nil || g.Func.Body == nil {
		return nil
	}
	body := g.Func.Body
	if w.Pos < body.Pos() || w.Pos >= body.End() {
		return nil
	}
	if m.waitDeferred(body, w.Pos) {
		return m.exitSkipsDeferredWait(g, w)
	}
	if m.deferredSameWait(body, w, g.Node.Pos()) {
		// "defer wg.Wait()" registered before the go statement on every
		// path to it: each return after the go statement runs that Wait.
		return nil
	}
	if !returnBefore(body, w.Pos) {
		// Only a return written before the wait counts (below): without
		// one, the answer is nil, and the function's flow need not be
		// built for the hover.
		return nil
	}
	fl := m.flowAt(g.Node.Pos())
	if fl == nil || fl.fn == nil || fl.fn.Body != body {
		return nil
	}
	blk, idx, ok := fl.locateNode(g.Node)
	if !ok {
		return nil
	}
	// The blocks that wait: the one holding the wait, and those holding
	// another wait written the same way (wg.Wait() on a second path).
	barrier := map[*cfg.Block]bool{}
	for _, p := range m.sameWaits(body, w) {
		b, i, ok := fl.locateAny(p)
		if !ok {
			// A range wait (`for r := range results`) is at its range
			// keyword, which no node of the graph holds: the graph
			// evaluates the ranged expression before the loop
			// (r20d_validate_early_return).
			if rs := rangeStmtAt(body, p); rs != nil {
				b, i, ok = fl.locateAny(rs.X.Pos())
			}
		}
		if !ok {
			continue
		}
		if b == blk && i > idx {
			return nil // later in the go statement's own block
		}
		barrier[b] = true
	}
	if len(barrier) == 0 {
		return nil
	}
	var out []*Exit
	seen := map[*cfg.Block]bool{}
	work := append([]*cfg.Block(nil), blk.Succs...)
	for len(work) > 0 {
		b := work[len(work)-1]
		work = work[:len(work)-1]
		if seen[b] || barrier[b] {
			continue
		}
		seen[b] = true
		if e := fl.exitOf[b]; e != nil {
			// Only a return written before the wait: the paths to a
			// later one (or to the end of the body) that miss the
			// wait mostly run a loop of waits zero times ("for i := 0;
			// i < n; i++ { <-out }"), which the graph allows and the
			// program does not do.
			if e.Kind == ExitReturn && e.Pos < w.Pos {
				out = append(out, e)
			}
			continue
		}
		work = append(work, b.Succs...)
	}
	if len(out) == 0 {
		return nil
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Pos < out[j].Pos })
	return out[0]
}

// exitSkipsDeferredWait is, for a wait that runs in a deferred call of
// the starting function (`defer func() { close(lines); <-flushed }()`),
// the first os.Exit or log.Fatal call of that function written after the
// go statement: it ends the program without running deferred calls, so on
// its path the wait never happens (r20f_exit_skips_flush). nil when there
// is none, or the wait is in a function literal that is not deferred.
func (m *File) exitSkipsDeferredWait(g *Goroutine, w GoWait) *Exit {
	if !m.inDeferStmt(g.Func.Body, w.Pos) {
		return nil
	}
	for _, e := range m.ExitsOf(g.Func) {
		if e.Kind == ExitProcess && e.Pos > g.Node.End() {
			return e
		}
	}
	return nil
}

// inDeferStmt reports whether p lies in a defer statement of body (in its
// deferred call, or the function literal it defers).
func (m *File) inDeferStmt(body *ast.BlockStmt, p token.Pos) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if d, ok := n.(*ast.DeferStmt); ok && d.Pos() <= p && p < d.End() {
			found = true
		}
		return !found && (n == nil || n.Pos() <= p && p < n.End())
	})
	return found
}

// deferredSameWait reports whether a defer statement at the top level of
// body, written before the statement that holds p, defers the wait w in
// the same words ("defer wg.Wait()" beside a later "wg.Wait()"): every
// path to p registers it first, so every return after p runs that Wait.
// A body with a goto is not trusted (a jump can pass the defer by).
func (m *File) deferredSameWait(body *ast.BlockStmt, w GoWait, p token.Pos) bool {
	tf := m.Fset.File(body.Pos())
	if tf == nil || hasGoto(body) {
		return false
	}
	for _, st := range body.List {
		if st.End() > p {
			return false
		}
		d, ok := st.(*ast.DeferStmt)
		if !ok {
			continue
		}
		lo, hi := tf.Offset(d.Call.Pos()), tf.Offset(d.Call.End())
		if lo >= 0 && hi <= len(m.Src) && string(m.Src[lo:hi]) == w.By {
			return true
		}
	}
	return false
}

// returnBefore reports whether a statement of body that starts before p
// holds a return of its own (HoldsReturn): a return written before p, or
// one in a statement, such as a loop, that also holds p. It may say true
// where WaitSkipped then finds nothing; never false where it finds one.
func returnBefore(body *ast.BlockStmt, p token.Pos) bool {
	for _, st := range body.List {
		if st.Pos() >= p {
			break
		}
		if HoldsReturn(st) {
			return true
		}
	}
	return false
}

// sameWaits lists the positions in body, outside function literals and
// defer statements, of the wait w and of every call or receive whose
// source text is w.By ("wg.Wait()", "<-done").
func (m *File) sameWaits(body *ast.BlockStmt, w GoWait) []token.Pos {
	ps := []token.Pos{w.Pos}
	tf := m.Fset.File(body.Pos())
	if tf == nil {
		return ps
	}
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit, *ast.DeferStmt:
			return false
		case *ast.CallExpr, *ast.UnaryExpr:
			if n.Pos() == w.Pos {
				return true
			}
			lo, hi := tf.Offset(n.Pos()), tf.Offset(n.End())
			if lo >= 0 && hi <= len(m.Src) && string(m.Src[lo:hi]) == w.By {
				ps = append(ps, n.Pos())
			}
		}
		return true
	})
	return ps
}

// waitDeferred reports whether the position p in body lies in a defer
// statement or in a function literal of body (the wait then runs at
// return, or whenever the literal is called, which the function's own
// flow does not show).
func (m *File) waitDeferred(body *ast.BlockStmt, p token.Pos) bool {
	path, _ := EnclosingPath(m.AST, p, p)
	for _, n := range path {
		if n == ast.Node(body) {
			return false
		}
		switch n.(type) {
		case *ast.DeferStmt, *ast.FuncLit:
			return true
		}
	}
	return true // body does not hold p
}

// rangeStmtAt is the range statement of body (not of a function literal
// in it) that starts at p, or whose range keyword is at p; nil if none.
func rangeStmtAt(body *ast.BlockStmt, p token.Pos) *ast.RangeStmt {
	var out *ast.RangeStmt
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.RangeStmt:
			if n.Pos() == p || n.Range == p {
				out = n
			}
		}
		return out == nil && (n == nil || n.Pos() <= p && p < n.End())
	})
	return out
}
