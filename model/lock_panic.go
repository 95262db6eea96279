package model

import (
	"go/ast"
	"go/types"
)

// PanicSkips (a Lock or RLock) lists the calls of function values — a
// variable or parameter of function type, or on the typed tier a struct
// field of one — made with the lock held as statements of the block that
// holds the Lock, between it and a release written in that same block
// (mu.Lock(); v := f(x); mu.Unlock()): golens cannot see what such a call
// runs, and if it panics the release after it does not run. release is
// that Unlock (RUnlock). Nothing is listed when the lock's flow is not
// followed, when a path does not release it, or when any of its releases
// is deferred or made in another function (a deferred release runs on a
// panic too).
func (m *File) PanicSkips(l *LockOp) (calls []*ast.CallExpr, release *LockOp) {
	if l == nil || (l.Kind != Lock && l.Kind != RLock) || l.Deferred {
		return nil, nil
	}
	lf := l.Flow()
	if lf == nil || !lf.Known || lf.Released != All || len(lf.Releases) == 0 {
		return nil, nil
	}
	for _, u := range lf.Releases {
		if u.Deferred || u.Func != l.Func || u.Through != "" {
			return nil, nil
		}
	}
	block, at := m.stmtIn(l.Call)
	if block == nil {
		return nil, nil
	}
	end := -1
	for i := at + 1; i < len(block.List) && end < 0; i++ {
		for _, u := range lf.Releases {
			if es, ok := block.List[i].(*ast.ExprStmt); ok && ast.Unparen(es.X) == u.Call {
				end, release = i, u
			}
		}
	}
	if end < 0 {
		return nil, nil
	}
	for _, st := range block.List[at+1 : end] {
		switch st.(type) {
		case *ast.ExprStmt, *ast.AssignStmt, *ast.DeclStmt, *ast.IncDecStmt, *ast.SendStmt:
		default:
			continue // a statement of its own flow (if, for, defer, go, ...): not followed here
		}
		ast.Inspect(st, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				return false
			case *ast.CallExpr:
				if m.isFuncValue(n.Fun) {
					calls = append(calls, n)
				}
			}
			return true
		})
	}
	if len(calls) == 0 {
		return nil, nil
	}
	return calls, release
}

// stmtIn finds the block whose statement list holds call as a statement
// of its own (call() as an expression statement), and its index there.
func (m *File) stmtIn(call *ast.CallExpr) (*ast.BlockStmt, int) {
	path, _ := EnclosingPath(m.AST, call.Pos(), call.End())
	for i, n := range path {
		es, ok := n.(*ast.ExprStmt)
		if !ok || ast.Unparen(es.X) != call || i+1 >= len(path) {
			continue
		}
		block, ok := path[i+1].(*ast.BlockStmt)
		if !ok {
			return nil, 0
		}
		for j, st := range block.List {
			if st == es {
				return block, j
			}
		}
	}
	return nil, 0
}

// isFuncValue reports whether fun, the callee of a call, is a function
// value: a variable or parameter (not a declared function), or, on the
// typed tier, a struct field of function type.
func (m *File) isFuncValue(fun ast.Expr) bool {
	switch f := ast.Unparen(fun).(type) {
	case *ast.Ident:
		if !m.DeclPos(f).IsValid() {
			return false
		}
		if m.Info != nil {
			v, ok := m.Info.ObjectOf(f).(*types.Var)
			if !ok {
				return false
			}
			_, isSig := v.Type().Underlying().(*types.Signature)
			return isSig
		}
		return true
	case *ast.SelectorExpr:
		if m.Info == nil {
			return false
		}
		sel, ok := m.Info.Selections[f]
		if !ok || sel.Kind() != types.FieldVal {
			return false
		}
		_, isSig := sel.Type().Underlying().(*types.Signature)
		return isSig
	}
	return false
}
