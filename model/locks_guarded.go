package model

import (
	"go/ast"
	"go/token"
)

// A Lock and its Unlock taken under the same condition:
//
//	if locked {
//		mu.Lock()
//	}
//	s.n += v
//	if locked {
//		mu.Unlock()
//	}
//
// The control-flow graph has a path that takes the Lock and skips the
// Unlock, but no run takes it: the condition is a local variable nothing
// assigns in between, so a run that entered the first if enters the second.
// A leak on such a path is not a fact about the program (the lock flow of
// locks_flow.go follows the graph, not the values that pick its branches).

// guardedRelease is the end of the if statement that releases l under the
// condition that took it, when every run that takes l runs that release
// before going past it; NoPos otherwise. Only a statement right after l's
// if, in the same list, with the same condition text, qualifies; and only
// when nothing between them jumps (return, break, continue, goto) and the
// condition reads nothing but locals of f that f never assigns after l's
// if. It is asked only of a lock the flow found leaking.
func (fb *flowBuilder) guardedRelease(f *Func, l *LockOp, releases map[*LockOp]bool) token.Pos {
	if f == nil || f.Body == nil || l.Deferred || l.Func != f {
		return token.NoPos
	}
	m := fb.m
	found := token.NoPos
	ast.Inspect(f.Body, func(n ast.Node) bool {
		if found.IsValid() {
			return false
		}
		if _, lit := n.(*ast.FuncLit); lit {
			return false
		}
		list := stmtList(n)
		for i, s := range list {
			first, ok := s.(*ast.IfStmt)
			if !ok || first.Init != nil || first.Else != nil || first.Pos() > l.Pos || l.Pos > first.End() {
				continue
			}
			k := callStmtIndex(first.Body.List, l.Call)
			if k < 0 || jumps(first.Body.List[k+1:]) || !fb.stableCond(f, first.Cond, first.Pos()) {
				return false
			}
			cond := m.Text(first.Cond.Pos(), first.Cond.End())
			for _, t := range list[i+1:] {
				second, ok := t.(*ast.IfStmt)
				if ok && second.Init == nil && second.Else == nil && m.Text(second.Cond.Pos(), second.Cond.End()) == cond {
					for u := range releases {
						if u.Deferred || u.Func != f {
							continue
						}
						if j := callStmtIndex(second.Body.List, u.Call); j >= 0 && !jumps(second.Body.List[:j]) {
							found = second.End()
							return false
						}
					}
				}
				if jumps([]ast.Stmt{t}) {
					return false
				}
			}
			return false
		}
		return true
	})
	return found
}

// callStmtIndex is the index in list of the expression statement that is
// call; -1 when there is none.
func callStmtIndex(list []ast.Stmt, call *ast.CallExpr) int {
	for i, s := range list {
		if es, ok := s.(*ast.ExprStmt); ok && ast.Unparen(es.X) == ast.Expr(call) {
			return i
		}
	}
	return -1
}

// jumps reports whether any of the statements holds a return, break,
// continue, goto or fallthrough (outside function literals): a way past
// what follows them that the caller does not follow.
func jumps(list []ast.Stmt) bool {
	found := false
	for _, s := range list {
		ast.Inspect(s, func(n ast.Node) bool {
			switch n.(type) {
			case *ast.FuncLit:
				return false
			case *ast.ReturnStmt, *ast.BranchStmt:
				found = true
			}
			return !found
		})
	}
	return found
}

// stableCond reports whether cond reads only constants and variables
// declared in f (parameters and locals) that f, its function literals
// included, does not assign, increment or take the address of after from:
// then it has the same value wherever it is evaluated after from.
func (fb *flowBuilder) stableCond(f *Func, cond ast.Expr, from token.Pos) bool {
	m := fb.m
	vars := map[token.Pos]bool{}
	ok := true
	ast.Inspect(cond, func(n ast.Node) bool {
		if !ok || n == nil {
			return false
		}
		switch n := n.(type) {
		case *ast.Ident:
			switch n.Name {
			case "true", "false", "nil":
				return false
			}
			d := m.DeclPos(n)
			if !d.IsValid() || d < f.Pos || d > f.End {
				ok = false
			}
			vars[d] = true
		case *ast.ParenExpr, *ast.BasicLit:
		case *ast.UnaryExpr:
			ok = n.Op == token.NOT
		case *ast.BinaryExpr:
			switch n.Op {
			case token.LAND, token.LOR, token.EQL, token.NEQ, token.LSS, token.LEQ, token.GTR, token.GEQ:
			default:
				ok = false
			}
		default:
			ok = false
		}
		return ok
	})
	if !ok || len(vars) == 0 {
		return false
	}
	written := func(e ast.Expr) bool {
		id, isID := ast.Unparen(e).(*ast.Ident)
		return isID && id.Pos() > from && vars[m.DeclPos(id)]
	}
	ast.Inspect(f.Body, func(n ast.Node) bool {
		if !ok {
			return false
		}
		switch n := n.(type) {
		case *ast.AssignStmt:
			for _, e := range n.Lhs {
				if written(e) {
					ok = false
				}
			}
		case *ast.IncDecStmt:
			ok = !written(n.X)
		case *ast.UnaryExpr:
			ok = n.Op != token.AND || !written(n.X)
		case *ast.RangeStmt:
			ok = (n.Key == nil || !written(n.Key)) && (n.Value == nil || !written(n.Value))
		}
		return ok
	})
	return ok
}
