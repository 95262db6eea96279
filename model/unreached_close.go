package model

import (
	"go/ast"
	"go/token"
)

// A close written after a loop that never ends never runs: `for range
// ticker.C { ... }; close(done)` — Stop does not close a ticker's channel,
// and with no break or return out of the loop the statement after it is
// never reached. Saying "done is closed at line N" would promise a close
// that the receiver waits for in vain (r15h_ticker_range_after_stop).
//
// markUnreachedCloses sets ChanOp.UnreachedAfter on a close (or the defer
// statement holding one) that follows, in an enclosing block of its own
// function, a for statement without a condition that no pass leaves
// (File.LoopsForever) or a range over a channel of the time package that
// no pass leaves (File.LoopNeverEnds). A panic, os.Exit or
// Goexit in the loop ends the goroutine, not just the loop, so the close
// stays unreached.
func (b *builder) markUnreachedCloses() {
	// Most functions have no endless loop, and then none of their closes
	// is unreached: deciding that once per function keeps a file of many
	// closes linear (a path walk per close is quadratic in a 60,000-line
	// function).
	hasEndless := map[*Func]bool{}
	endlessIn := func(fn *Func) bool {
		has, seen := hasEndless[fn]
		if !seen {
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.ForStmt:
					has = has || b.m.LoopNeverEnds(n)
				case *ast.RangeStmt:
					has = has || b.m.LoopNeverEnds(n)
				}
				return !has
			})
			hasEndless[fn] = has
		}
		return has
	}
	for _, op := range b.m.ChanOps {
		if op.Kind != Close || op.Func == nil || op.Func.Body == nil || op.Node == nil || !endlessIn(op.Func) {
			continue
		}
		path := pathTo(op.Func.Body, op.Node)
		for i := len(path) - 1; i > 0 && !op.UnreachedAfter.IsValid(); i-- {
			if _, lit := path[i].(*ast.FuncLit); lit {
				break
			}
			list := stmtList(path[i-1])
			for _, st := range list {
				if ast.Node(st) == path[i] {
					break
				}
				if at := b.endlessLoopAt(st); at.IsValid() {
					op.UnreachedAfter = at
					break
				}
			}
		}
		if !op.UnreachedAfter.IsValid() && op.Deferred {
			op.UnreachedAfter = b.loopAfterDefer(op.Func, path)
		}
	}
	// Any deferred call, not only a close: a loop after its defer
	// statement that never ends means the function never returns to run
	// it (the defer hover and hint say so, as the close's hover does).
	for _, d := range b.m.Defers {
		if d.Func == nil || d.Func.Body == nil || d.Node == nil || !endlessIn(d.Func) {
			continue
		}
		d.EndlessAfter = b.loopAfterDefer(d.Func, pathTo(d.Func.Body, d.Node))
	}
}

// loopAfterDefer is, for a deferred call (defer close(done)) of fn, path
// leading from fn's body to it, an endless
// loop that follows the defer statement in an enclosing block of its own
// function: the function never returns, so the deferred close never runs —
// unless a panic or runtime.Goexit in the loop unwinds it (which runs the
// defers), so a loop holding a panic or Goexit call, or a function with a
// recover, is not counted. NoPos otherwise.
func (b *builder) loopAfterDefer(fn *Func, path []ast.Node) token.Pos {
	for _, bc := range b.m.Builtins {
		if bc.Name == "recover" && bc.Pos > fn.Body.Pos() && bc.Pos < fn.Body.End() {
			return token.NoPos
		}
	}
	inDefer := false
	for i := len(path) - 1; i > 0; i-- {
		if _, lit := path[i].(*ast.FuncLit); lit {
			return token.NoPos
		}
		if _, ok := path[i].(*ast.DeferStmt); ok {
			inDefer = true
		}
		if !inDefer {
			continue
		}
		after := false
		for _, st := range stmtList(path[i-1]) {
			if ast.Node(st) == path[i] {
				after = true
				continue
			}
			if !after {
				continue
			}
			if at := b.endlessLoopAt(st); at.IsValid() && !b.unwindsIn(st) {
				return at
			}
		}
	}
	return token.NoPos
}

// unwindsIn reports whether st holds, outside function literals, a call
// of panic, of a function named Goexit (runtime.Goexit), or any call that
// may end the goroutine (File.MayExit: t.FailNow, a helper that calls
// Goexit): each unwinds the goroutine and runs its deferred calls.
func (b *builder) unwindsIn(st ast.Stmt) bool {
	found := false
	ast.Inspect(st, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.CallExpr:
			switch f := ast.Unparen(n.Fun).(type) {
			case *ast.Ident:
				found = found || f.Name == "panic"
			case *ast.SelectorExpr:
				found = found || f.Sel.Name == "Goexit"
			}
			found = found || b.m.MayExit(n)
		}
		return !found
	})
	return found
}

// endlessLoopAt is the position of st when it is a loop that never ends
// (see markUnreachedCloses), looking through labels; NoPos otherwise.
func (b *builder) endlessLoopAt(st ast.Stmt) token.Pos {
	for {
		l, ok := st.(*ast.LabeledStmt)
		if !ok {
			break
		}
		st = l.Stmt
	}
	if b.m.LoopNeverEnds(st) {
		return st.Pos()
	}
	return token.NoPos
}

// LoopNeverEnds reports whether loop is a loop that no pass leaves and that
// nothing ends from outside: a for statement without a condition
// (LoopsForever), or a range over a channel the time package sends on and
// never closes (time.Tick(d), a Ticker's or Timer's C) with no way out of
// its body. Its function never gets past it; only a panic or the end of
// the program stops it.
func (m *File) LoopNeverEnds(loop ast.Stmt) bool {
	switch l := loop.(type) {
	case *ast.ForStmt:
		return m.LoopsForever(l)
	case *ast.RangeStmt:
		timeChan := false
		for _, op := range m.ChanOps {
			if op.Kind == Range && op.Node == ast.Node(l) {
				timeChan = op.TimeChan == "Timer" || op.TimeChan == "Ticker" || op.TimeChan == "time" || op.Source == "time.Tick" || op.Source == "time.After"
			}
		}
		for _, tc := range m.TimeCalls {
			if ast.Expr(tc.Call) == ast.Unparen(l.X) && (tc.Name == "Tick" || tc.Name == "After") {
				timeChan = true
			}
		}
		return timeChan && len(m.LoopExits(l)) == 0
	}
	return false
}
