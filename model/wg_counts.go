package model

import (
	"go/ast"
	"go/token"
	"strconv"
	"strings"
)

// CountsOwnGoroutine reports whether w, an Add made inside the body of a
// goroutine literal (WaitGroupOp.InGo), counts that goroutine itself: the
// goroutine calls Done on the same WaitGroup, and no goroutine started
// after the Add, inside the first one, may call Done on it (then the Add
// counts that nested goroutine before it starts, which is right). When it
// does, Wait may run before the Add and return while the goroutine still
// works. The wgmisuse check's "Add inside the goroutine it counts" and the
// Add hover read this one answer, so it stays false wherever that is not
// proven:
//   - a nested go statement after the Add that calls a function by name
//     (go s.handle(c)) may call Done in that function, where this fact does
//     not look, and a nested literal that names the WaitGroup's variable
//     (its Done, or s.finish()) may too: the Add then counts the goroutine
//     it comes before, the shape the WaitGroup docs ask for;
//   - a goroutine already counted by an Add of the same WaitGroup written
//     just before its go statement (countedBeforeGo), whose own Done cannot
//     run before this Add, holds the counter at one or more while the Add
//     runs: Wait cannot see zero then, so it cannot return early.
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
	if !counts {
		return false
	}
	root := wgRootName(w.Call)
	for _, g2 := range m.Goroutines {
		if g2 == g || g2.Node == nil || g2.Pos <= w.Pos || g2.Pos >= g.End {
			continue
		}
		if g2.Body == nil || root == "" || mentionsIdent(g2.Node, root) {
			return false // it may call Done for this Add
		}
	}
	return !m.countedBeforeGo(g, w)
}

// wgRootName is the name of the variable a WaitGroup method call's receiver
// starts with: "s" for s.wg.Add(1), "wg" for wg.Add(1); "" when it starts
// with anything else.
func wgRootName(call *ast.CallExpr) string {
	if call == nil {
		return ""
	}
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return ""
	}
	x := ast.Unparen(sel.X)
	for {
		switch e := x.(type) {
		case *ast.Ident:
			return e.Name
		case *ast.SelectorExpr:
			x = ast.Unparen(e.X)
		case *ast.StarExpr:
			x = ast.Unparen(e.X)
		case *ast.UnaryExpr:
			x = ast.Unparen(e.X)
		default:
			return ""
		}
	}
}

// mentionsIdent reports whether an identifier named name appears in n.
func mentionsIdent(n ast.Node, name string) bool {
	found := false
	ast.Inspect(n, func(c ast.Node) bool {
		if id, ok := c.(*ast.Ident); ok && id.Name == name {
			found = true
		}
		return !found
	})
	return found
}

// countedBeforeGo reports whether the goroutine g, holding the Add w, is
// counted by another Add of w's WaitGroup that runs just before g's go
// statement: a statement of the same statement list, before it, with a
// positive constant delta and no go statement or wg.Go between the two
// (that would be the goroutine it counts). g's own Done calls on the
// WaitGroup must all run after w: deferred in g's body (they run when g
// returns), or statements of g's body written after the one holding w (run
// once, not in a loop that could run them before w's next pass). Then the
// counter is at least one from that Add until after w has run, so a Wait
// cannot find it at zero before w.
func (m *File) countedBeforeGo(g *Goroutine, w *WaitGroupOp) bool {
	if g.Node == nil || g.Func == nil || g.Body == nil || g.Body.Body == nil {
		return false
	}
	var before *WaitGroupOp
	for _, a := range m.WaitGroups {
		if a.Kind != WGAdd || a == w || a.Deferred || a.Key != w.Key || a.Recv != w.Recv || a.Func != g.Func || a.Pos >= g.Pos {
			continue
		}
		if n, err := strconv.Atoi(strings.TrimSpace(a.Arg)); err != nil || n < 1 {
			continue
		}
		if sameListBefore(a.Call, g.Node, g.Func) {
			before = a
		}
	}
	if before == nil {
		return false
	}
	for _, o := range m.WaitGroups {
		if (o.Kind == WGGo || o.Kind == WGAdd) && o.Func == g.Func && o.Key == w.Key && o.Pos > before.Pos && o.Pos < g.Pos {
			return false
		}
	}
	for _, g2 := range m.Goroutines {
		if g2 != g && g2.Pos > before.Pos && g2.Pos < g.Pos {
			return false // the Add may count that one
		}
	}
	// The top-level statement of g's body holding w.
	top := token.NoPos
	for _, st := range g.Body.Body.List {
		if st.Pos() <= w.Pos && w.Pos < st.End() {
			top = st.End()
		}
	}
	for _, d := range m.WaitGroups {
		if d.Kind != WGDone || d.Key != w.Key || d.InGo != g {
			continue
		}
		if d.Func == g.Body && d.Deferred {
			continue
		}
		ok := false
		if d.Func == g.Body && !d.Deferred && top.IsValid() && d.Pos >= top {
			for _, st := range g.Body.Body.List {
				if es, isExpr := st.(*ast.ExprStmt); isExpr && ast.Unparen(es.X) == d.Call {
					ok = true
				}
			}
		}
		if !ok {
			return false
		}
	}
	return true
}

// sameListBefore reports whether the call stmt a (an expression
// statement) and the go statement g are in the same statement list of f,
// outside function literals, a before g.
func sameListBefore(a *ast.CallExpr, g *ast.GoStmt, f *Func) bool {
	if f.Body == nil {
		return false
	}
	found := false
	ast.Inspect(f.Body, func(n ast.Node) bool {
		if found {
			return false
		}
		if _, ok := n.(*ast.FuncLit); ok {
			return false
		}
		ai, gi := -1, -1
		for i, st := range stmtList(n) {
			if es, ok := st.(*ast.ExprStmt); ok && ast.Unparen(es.X) == a {
				ai = i
			}
			if st == g {
				gi = i
			}
		}
		if ai >= 0 && gi > ai {
			found = true
		}
		return !found
	})
	return found
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
