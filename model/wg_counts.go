package model

import (
	"go/ast"
	"go/token"
)

// CountsOwnGoroutine reports whether w, an Add made inside the body of a
// goroutine literal (WaitGroupOp.InGo), counts that goroutine itself: the
// goroutine calls Done on the same WaitGroup, and no goroutine started
// after the Add, inside the first one, calls Done on it (then the Add
// counts that nested goroutine before it starts, which is right: the
// outer goroutine was counted before it started, so Wait cannot return
// before this Add). When it does, Wait may run before the Add and return
// while the goroutine still works. The wgmisuse check's "Add inside the
// goroutine it counts" and the Add hover read this one answer.
func (m *File) CountsOwnGoroutine(w *WaitGroupOp) bool {
	g := w.InGo
	if w.Kind != WGAdd || g == nil || g.Body == nil || !w.Key.Valid() {
		return false
	}
	counts := false
	for _, o := range m.WaitGroups {
		if o.Kind != WGDone || o.Key != w.Key || o.Recv != w.Recv {
			continue
		}
		if o.InGo == g {
			counts = true
		} else if o.InGo != nil && o.InGo.Pos > w.Pos && o.InGo.Pos < g.End {
			return false // a nested goroutine started after the Add
		}
	}
	return counts
}

// AddAfterGo is the goroutine, started in w's function before the Add w,
// that w counts: its body calls Done on the same WaitGroup and no earlier
// Add of that function counts it. Its Done may then run before w — Done
// on a zero counter panics ("sync: negative WaitGroup counter"), and a
// Wait in between may return early
// (https://pkg.go.dev/sync#WaitGroup.Add). nil when there is none, or when
// a go statement after w may be the one it counts.
func (m *File) AddAfterGo(w *WaitGroupOp) *Goroutine {
	if w.Kind != WGAdd || w.InGo != nil || w.Func == nil || !w.Key.Valid() {
		return nil
	}
	var counted *Goroutine
	for _, g := range m.Goroutines {
		if g.Func != w.Func {
			continue
		}
		if g.Pos > w.Pos {
			return nil
		}
		for _, o := range m.WaitGroups {
			if o.Kind == WGDone && o.Key == w.Key && o.Recv == w.Recv && o.InGo == g {
				counted = g
			}
		}
	}
	if counted == nil {
		return nil
	}
	for _, o := range m.WaitGroups {
		if o.Kind == WGAdd && o != w && o.Key == w.Key && o.Func == w.Func && o.Pos < counted.Pos {
			return nil
		}
	}
	return counted
}

// AddBeforeGo reports whether a go statement (or a wg.Go) of w's function
// follows the Add w: the shape "Add, then go" the WaitGroup docs ask for.
func (m *File) AddBeforeGo(w *WaitGroupOp) bool {
	if w.Kind != WGAdd || w.Func == nil {
		return false
	}
	for _, g := range m.Goroutines {
		if g.Func == w.Func && g.Pos > w.Pos {
			return true
		}
	}
	for _, o := range m.WaitGroups {
		if o.Kind == WGGo && o.Func == w.Func && o.Pos > w.Pos {
			return true
		}
	}
	return false
}

// AddSkipped finds a way out written between the Add w and the go
// statement after it in the same statement list (a continue, break, goto
// or return, outside function literals and outside loops, switches and
// selects of their own) that leaves before that go statement runs, with
// no Done on w's WaitGroup written between the Add and it: on that path
// nothing calls Done for the Add and Wait never returns. It returns the
// statement's keyword and position, and the go statement's position; ""
// when there is none.
func (m *File) AddSkipped(w *WaitGroupOp) (what string, at, goPos token.Pos) {
	if w.Kind != WGAdd || w.Func == nil || w.Func.Body == nil || w.InGo != nil || !w.Key.Valid() {
		return "", token.NoPos, token.NoPos
	}
	var list []ast.Stmt
	idx := -1
	ast.Inspect(w.Func.Body, func(n ast.Node) bool {
		if idx >= 0 {
			return false
		}
		if _, ok := n.(*ast.FuncLit); ok {
			return false
		}
		for i, st := range stmtList(n) {
			if es, ok := st.(*ast.ExprStmt); ok && ast.Unparen(es.X) == w.Call {
				list, idx = stmtList(n), i
				return false
			}
		}
		return true
	})
	if idx < 0 {
		return "", token.NoPos, token.NoPos
	}
	goAt := -1
	for j := idx + 1; j < len(list) && goAt < 0; j++ {
		if gs, ok := list[j].(*ast.GoStmt); ok {
			goAt, goPos = j, gs.Pos()
		}
	}
	if goAt < 0 {
		return "", token.NoPos, token.NoPos
	}
	for j := idx + 1; j < goAt && what == ""; j++ {
		ast.Inspect(list[j], func(n ast.Node) bool {
			if what != "" {
				return false
			}
			switch n := n.(type) {
			case *ast.FuncLit, *ast.ForStmt, *ast.RangeStmt, *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
				return false
			case *ast.ReturnStmt:
				what, at = "return", n.Pos()
			case *ast.BranchStmt:
				if n.Tok != token.FALLTHROUGH {
					what, at = n.Tok.String(), n.Pos()
				}
			}
			return true
		})
	}
	if what == "" {
		return "", token.NoPos, token.NoPos
	}
	for _, o := range m.WaitGroups {
		if o.Kind == WGDone && o.Key == w.Key && o.Func == w.Func && o.Pos > w.Pos && o.Pos < at {
			return "", token.NoPos, token.NoPos // the skipping path calls Done itself
		}
	}
	return what, at, goPos
}

// DoneInGoFunc is the wg.Go call whose function literal holds the Done w
// on the same WaitGroup: Go already calls Done when that function returns,
// so w is a second Done for the same goroutine — the counter falls below
// the goroutines still running and, once every one has finished, below
// zero, where Done panics ("sync: negative WaitGroup counter"). nil when
// w is not such a Done, or when the literal also calls Add or Go on that
// WaitGroup (then w may pair with that Add).
func (m *File) DoneInGoFunc(w *WaitGroupOp) *WaitGroupOp {
	if w.Kind != WGDone || w.Func == nil || !w.Func.Lit || w.Func.Node == nil || !w.Key.Valid() {
		return nil
	}
	var goOp *WaitGroupOp
	for _, o := range m.WaitGroups {
		if o.Key != w.Key || o.Recv != w.Recv {
			continue
		}
		if (o.Kind == WGAdd || o.Kind == WGGo) && o.Func == w.Func {
			return nil
		}
		if o.Kind == WGGo && o.Call != nil && len(o.Call.Args) == 1 && ast.Unparen(o.Call.Args[0]) == w.Func.Node {
			goOp = o
		}
	}
	return goOp
}
