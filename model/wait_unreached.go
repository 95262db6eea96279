package model

import "go/ast"

// WaitUnreached is the range of the starting function that keeps it from
// ever reaching the wait GoWait names: a range over a channel that the
// model proves never ends (RangeEnds), written before the wait in the
// same statement list, with no label between them that a goto could
// reach. main ranging results that nothing closes, then wg.Wait(): "main
// waits for it with wg.Wait()" would promise a wait the program never
// gets to. nil when there is no such range. Computed on demand, outside
// the build (it reads channel facts through RangeEnds).
func (m *File) WaitUnreached(g *Goroutine) *ChanOp {
	return firstBeforeWait(g, func(st ast.Stmt) *ChanOp {
		rs, ok := st.(*ast.RangeStmt)
		if !ok {
			return nil
		}
		for _, op := range m.ChanOps {
			if op.Kind == Range && op.Node == ast.Node(rs) && op.Func == g.Func && m.RangeEnds(op).ProvenFalse() {
				return op
			}
		}
		return nil
	})
}

// firstBeforeWait is the first statement fact pick finds (non-nil) among
// the statements after the go statement and before the wait GoWait names,
// in the innermost list holding the wait (waitList); a label between it
// and the wait, which a goto may land on past it, cancels it. nil when
// there is none.
func firstBeforeWait[T any](g *Goroutine, pick func(ast.Stmt) *T) *T {
	list, waitStmt := waitList(g)
	if waitStmt == nil {
		return nil
	}
	var found *T
	for _, st := range list {
		if _, ok := st.(*ast.LabeledStmt); ok {
			found = nil
		}
		if st == waitStmt {
			return found
		}
		if st.Pos() >= g.End && found == nil {
			found = pick(st)
		}
	}
	return nil
}

// waitList is the innermost statement list of the starting function that
// holds the wait GoWait names, and the statement in it that does; nil
// when there is none.
func waitList(g *Goroutine) (list []ast.Stmt, waitStmt ast.Stmt) {
	w := g.Wait()
	if w.By == "" || !w.Pos.IsValid() || g.Func == nil || g.Func.Body == nil {
		return nil, nil
	}
	ast.Inspect(g.Func.Body, func(n ast.Node) bool {
		if n == nil {
			return false
		}
		if n.Pos() > w.Pos || n.End() <= w.Pos {
			return false // only the nodes holding the wait are walked
		}
		if _, ok := n.(*ast.FuncLit); ok {
			return false
		}
		stmts := stmtList(n)
		for _, st := range stmts {
			if st.Pos() <= w.Pos && w.Pos < st.End() {
				list, waitStmt = stmts, st
			}
		}
		return true
	})
	// Deeper lists were found last: list is the innermost one.
	return list, waitStmt
}

// WaitEndedFirst is the call that ends the starting function before it
// ever reaches the wait GoWait names: a statement `runtime.Goexit()`,
// `os.Exit(1)`, `log.Fatal(err)`, `panic(v)` or a call of a helper of the
// file that always does (ExitCall), written after the go statement and
// before the wait in the same statement list, with no label between them
// that a goto could reach. main calling runtime.Goexit() before
// wg.Wait(): "main waits for it with wg.Wait()" would promise a wait that
// never runs. nil when there is none. Computed on demand, outside the
// build.
func (m *File) WaitEndedFirst(g *Goroutine) *Exit {
	return firstBeforeWait(g, func(st ast.Stmt) *Exit {
		es, ok := st.(*ast.ExprStmt)
		if !ok {
			return nil
		}
		call, ok := ast.Unparen(es.X).(*ast.CallExpr)
		if !ok {
			return nil
		}
		if kind, ok := m.ExitCall(call); ok {
			return &Exit{Kind: kind, Pos: call.Pos(), Call: m.Text(call.Pos(), call.End())}
		}
		return nil
	})
}

// GoEndsProgram is, for a goroutine whose function (the literal of `go
// func() {...}()`, or a function of this file it calls) ends on every path
// it can end by os.Exit, log.Fatal* or a helper of the file that always
// does, the first of those exit calls: the goroutine never returns, its
// deferred calls (a deferred wg.Done()) never run, and when it gets there
// the whole program ends — a wait on it never sees it finish. nil when
// some path returns or reaches the end of the body, or the model does not
// follow the function's flow. Computed on demand, outside the build.
func (m *File) GoEndsProgram(g *Goroutine) *Exit {
	if g == nil || g.Node == nil {
		return nil
	}
	fn, _ := m.goFunc(g)
	if fn == nil {
		return nil
	}
	exits := m.ExitsOf(fn)
	if len(exits) == 0 {
		return nil
	}
	for _, e := range exits {
		if e.Kind != ExitProcess {
			return nil
		}
	}
	return exits[0]
}

// goFunc is the function a go statement runs: its literal, or the
// function of this file it calls (then with that function's declaration,
// fd). nil when golens does not see it.
func (m *File) goFunc(g *Goroutine) (fn *Func, fd *ast.FuncDecl) {
	if g == nil || g.Node == nil {
		return nil, nil
	}
	if g.Body != nil {
		return g.Body, nil
	}
	fd = m.fileCallee(g.Node.Call)
	if fd == nil || fd.Body == nil {
		return nil, nil
	}
	if fn = m.FuncAt(fd.Body.Lbrace + 1); fn == nil || fn.Body != fd.Body {
		return nil, nil
	}
	return fn, fd
}

// PanicFirst is a send the starting function makes before the wait GoWait
// names that panics, its channel closed by then (ClosedBefore): the
// function never gets to the wait.
type PanicFirst struct {
	Send   *ChanOp
	Closed *ChanOp
}

// WaitPanicsFirst is the send that ends the starting function before it
// reaches the wait GoWait names: a send statement written after the go
// statement and before the wait in the same statement list, or the first
// of a counted loop's body there (LoopTrips: at least one pass, nothing
// before it in the body that branches), whose channel is closed before
// it on every path (ClosedBefore), so it panics (send on closed channel;
// r22j_close_before_go: close(jobs) moved above the loop that sends).
// Whatever else runs before it either returns, blocks or ends the
// function too: none of those reaches the wait either. nil when there is
// none.
func (m *File) WaitPanicsFirst(g *Goroutine) *PanicFirst {
	return firstBeforeWait(g, func(st ast.Stmt) *PanicFirst {
		var send *ast.SendStmt
		switch s := st.(type) {
		case *ast.SendStmt:
			send = s
		case *ast.ForStmt:
			if n, ok := m.LoopTrips(s); !ok || n < 1 {
				return nil
			}
			for _, b := range s.Body.List {
				if sd, ok := b.(*ast.SendStmt); ok {
					send = sd
					break
				}
				switch b.(type) {
				case *ast.ExprStmt, *ast.AssignStmt, *ast.IncDecStmt, *ast.DeclStmt:
					continue
				}
				return nil // may branch past the send
			}
		}
		if send == nil {
			return nil
		}
		for _, op := range m.ChanOps {
			if op.Kind == Send && op.Node == ast.Node(send) && op.Select == nil {
				if cl := m.ClosedBefore(op); cl != nil {
					return &PanicFirst{Send: op, Closed: cl}
				}
				return nil
			}
		}
		return nil
	})
}
