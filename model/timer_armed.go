package model

import (
	"go/ast"
	"go/token"
)

// A Timer's channel ends a select's wait only while the timer is armed: once
// it has fired and its value was received, or once it is stopped, nothing is
// sent on t.C until a Reset (https://pkg.go.dev/time#Timer.Stop,
// #Timer.Reset). A debouncer that stops its timer before the loop, or a
// watchdog whose t.C case does not re-arm it, then waits on its other cases
// with no bound, so "t.C bounds the wait" is true only where the timer is
// armed on every path into the select.
//
// markTimerArmed proves that, conservatively, for a case receiving from x.C
// where x is a local Timer of the select's function: scanning back from the
// select through the enclosing statements, the first statement that names x
// must arm it (x := time.NewTimer(d), x = time.NewTimer(d), var x =
// time.NewTimer(d), or a statement x.Reset(d)); a deferred call runs at
// return and is passed over. For each loop passed on the way (the select
// is then also reached from the loop's previous pass), every clause of
// the select must leave x armed — a clause that receives from x.C must
// Reset it in its own statement list, with no break, continue or goto
// before — and nothing after the select in the loop body may name x other
// than to arm it. Anything else (a Stop, a receive elsewhere, x passed or
// captured, a goto in the function) is not proven: TimerArmed stays false.
func (b *builder) markTimerArmed() {
	for _, sel := range b.m.Selects {
		for _, c := range sel.Cases {
			if c.Timeout == "" || c.Op == nil || c.Op.Kind != Recv {
				continue
			}
			u, ok := c.Op.Node.(*ast.UnaryExpr)
			if !ok {
				continue
			}
			s, ok := ast.Unparen(u.X).(*ast.SelectorExpr)
			if !ok || s.Sel.Name != "C" {
				continue // time.After(d) makes a fresh timer on every evaluation; ctx.Done() is no timer
			}
			c.TimerC = true
			if id, ok := ast.Unparen(s.X).(*ast.Ident); ok && sel.Func != nil && sel.Func.Body != nil && sel.Node != nil {
				c.TimerArmed = b.timerArmedAt(id.Name, sel)
			}
		}
	}
}

func (b *builder) timerArmedAt(name string, sel *Select) bool {
	body := sel.Func.Body
	if hasGoto(body) {
		return false
	}
	path := pathTo(body, sel.Node)
	if len(path) == 0 {
		return false
	}
	var loops []int // indexes in path of the loops passed
	for i := len(path) - 1; i > 0; i-- {
		child, parent := path[i], path[i-1]
		switch p := parent.(type) {
		case *ast.ForStmt:
			if b.names(name, p.Init) || b.names(name, p.Cond) || b.names(name, p.Post) {
				return false
			}
			loops = append(loops, i-1)
			continue
		case *ast.RangeStmt:
			if b.names(name, p.Key) || b.names(name, p.Value) || b.names(name, p.X) {
				return false
			}
			loops = append(loops, i-1)
			continue
		case *ast.IfStmt:
			if b.names(name, p.Init) || b.names(name, p.Cond) {
				return false
			}
			continue
		case *ast.SwitchStmt:
			if b.names(name, p.Init) || b.names(name, p.Tag) {
				return false
			}
			continue
		case *ast.TypeSwitchStmt:
			if b.names(name, p.Init) || b.names(name, p.Assign) {
				return false
			}
			continue
		case *ast.CaseClause:
			for _, e := range p.List {
				if b.names(name, e) {
					return false
				}
			}
		case *ast.CommClause:
			if b.names(name, p.Comm) {
				return false
			}
		case *ast.FuncLit:
			return false // the select's own function is the path's root
		}
		list := stmtList(parent)
		if list == nil {
			continue
		}
		at := -1
		for j, st := range list {
			if ast.Node(st) == child {
				at = j
			}
		}
		for j := at - 1; j >= 0; j-- {
			switch {
			case b.armsTimer(name, list[j]):
				return b.loopsKeepArmed(name, sel, path, loops)
			case isDefer(list[j]):
			case b.names(name, list[j]):
				return false
			}
		}
	}
	return false // not armed on entry to the function
}

// loopsKeepArmed checks the back edges of the loops passed between the
// select and the statement that arms the timer.
func (b *builder) loopsKeepArmed(name string, sel *Select, path []ast.Node, loops []int) bool {
	if len(loops) == 0 {
		return true
	}
	for _, cl := range sel.Node.Body.List {
		cc, ok := cl.(*ast.CommClause)
		if !ok {
			return false
		}
		armed := true
		if cc.Comm != nil && b.names(name, cc.Comm) {
			if !b.receivesC(name, cc.Comm) {
				return false
			}
			armed = false
		}
		ended := false
		for _, st := range cc.Body {
			if _, ok := st.(*ast.ReturnStmt); ok {
				ended = true
				break
			}
			switch {
			case b.armsTimer(name, st):
				armed = true
			case isDefer(st):
			case b.names(name, st):
				return false
			case !armed && hasBranch(st):
				return false // leaves the clause with the timer spent
			}
		}
		if !armed && !ended {
			return false
		}
	}
	// After the select, up to the end of the outermost loop's body, nothing
	// may name the timer except to arm it.
	outer := loops[len(loops)-1]
	for i := len(path) - 1; i > outer+1; i-- {
		child, parent := path[i], path[i-1]
		list := stmtList(parent)
		seen := false
		for _, st := range list {
			if ast.Node(st) == child {
				seen = true
				continue
			}
			if seen && !b.armsTimer(name, st) && !isDefer(st) && b.names(name, st) {
				return false
			}
		}
	}
	return true
}

// armsTimer: x.Reset(d) as a statement, or x assigned time.NewTimer(d).
func (b *builder) armsTimer(name string, st ast.Stmt) bool {
	switch s := st.(type) {
	case *ast.ExprStmt:
		call, ok := ast.Unparen(s.X).(*ast.CallExpr)
		if !ok {
			return false
		}
		m, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
		if !ok || m.Sel.Name != "Reset" {
			return false
		}
		id, ok := ast.Unparen(m.X).(*ast.Ident)
		return ok && id.Name == name && !b.namesAny(name, call.Args)
	case *ast.AssignStmt:
		if len(s.Lhs) != 1 || len(s.Rhs) != 1 {
			return false
		}
		id, ok := s.Lhs[0].(*ast.Ident)
		return ok && id.Name == name && b.newTimer(s.Rhs[0], name)
	case *ast.DeclStmt:
		g, ok := s.Decl.(*ast.GenDecl)
		if !ok || g.Tok != token.VAR || len(g.Specs) != 1 {
			return false
		}
		vs, ok := g.Specs[0].(*ast.ValueSpec)
		return ok && len(vs.Names) == 1 && vs.Names[0].Name == name && len(vs.Values) == 1 && b.newTimer(vs.Values[0], name)
	}
	return false
}

func (b *builder) newTimer(e ast.Expr, name string) bool {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok {
		return false
	}
	fn, _ := b.pkgCall(call, "time")
	return fn == "NewTimer" && !b.namesAny(name, call.Args)
}

// receivesC: the comm is a receive from name.C (v := <-t.C, <-t.C).
func (b *builder) receivesC(name string, comm ast.Stmt) bool {
	var x ast.Expr
	switch s := comm.(type) {
	case *ast.ExprStmt:
		x = s.X
	case *ast.AssignStmt:
		if len(s.Rhs) == 1 {
			x = s.Rhs[0]
			for _, l := range s.Lhs {
				if b.names(name, l) {
					return false
				}
			}
		}
	}
	u, ok := ast.Unparen(x).(*ast.UnaryExpr)
	if !ok || u.Op != token.ARROW {
		return false
	}
	s, ok := ast.Unparen(u.X).(*ast.SelectorExpr)
	if !ok || s.Sel.Name != "C" {
		return false
	}
	id, ok := ast.Unparen(s.X).(*ast.Ident)
	return ok && id.Name == name
}

// names reports whether any of nodes mentions the identifier name (a
// selector's field name aside).
func (b *builder) names(name string, nodes ...ast.Node) bool {
	found := false
	for _, n := range nodes {
		if n == nil {
			continue
		}
		ast.Inspect(n, func(n ast.Node) bool {
			if found {
				return false
			}
			switch x := n.(type) {
			case *ast.SelectorExpr:
				ast.Inspect(x.X, func(n ast.Node) bool {
					if id, ok := n.(*ast.Ident); ok && id.Name == name {
						found = true
					}
					return !found
				})
				return false
			case *ast.Ident:
				if x.Name == name {
					found = true
				}
			}
			return !found
		})
	}
	return found
}

func (b *builder) namesAny(name string, es []ast.Expr) bool {
	for _, e := range es {
		if b.names(name, e) {
			return true
		}
	}
	return false
}

func isDefer(st ast.Stmt) bool {
	_, ok := st.(*ast.DeferStmt)
	return ok
}

func hasGoto(body *ast.BlockStmt) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if br, ok := n.(*ast.BranchStmt); ok && br.Tok == token.GOTO {
			found = true
		}
		return !found
	})
	return found
}

// pathTo is the chain of nodes from root down to target (both included),
// nil when target is not inside root.
func pathTo(root, target ast.Node) []ast.Node {
	var stack, out []ast.Node
	ast.Inspect(root, func(n ast.Node) bool {
		if out != nil {
			return false
		}
		if n == nil {
			stack = stack[:len(stack)-1]
			return false
		}
		if n.Pos() > target.Pos() || n.End() < target.End() {
			return false
		}
		stack = append(stack, n)
		if n == target {
			out = append([]ast.Node(nil), stack...)
			return false
		}
		return true
	})
	return out
}
