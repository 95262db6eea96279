package model

import (
	"go/ast"
	"go/token"
)

// A deferred function's code under `if r := recover(); r != nil { … }`
// (or `if recover() != nil { … }`) runs only while the function that
// deferred it is panicking: a panic that stopped it before its own last
// statements. So a send there is not a second send after the function's
// normal send: it is the send the function makes instead of it, on the
// panic path. A supervisor that restarts a panicking worker and reads one
// result per attempt is the usual shape:
//
//	defer func() {
//		if r := recover(); r != nil {
//			out <- result{err: fmt.Errorf("panic: %v", r)}
//		}
//	}()
//	…
//	out <- result{v, nil}
//
// Waits (deferWaitsAfter) and sends (RecoverGuarded, read by checks that
// count a function's sends) agree on this one rule.

// RecoverGuarded reports whether p lies in the body of an if, written
// directly in the body of a function literal deferred by a defer
// statement, whose condition is `recover() != nil` or `v != nil` where v
// is declared by the if's own init as `v := recover()`: code there runs
// only on a panic path of the deferring function.
func (m *File) RecoverGuarded(p token.Pos) bool {
	found := false
	for _, fd := range m.AST.Decls {
		if found {
			break
		}
		if fd.Pos() > p || p >= fd.End() {
			continue
		}
		ast.Inspect(fd, func(n ast.Node) bool {
			if found || n == nil || n.Pos() > p || p >= n.End() {
				return false
			}
			d, ok := n.(*ast.DeferStmt)
			if !ok {
				return true
			}
			lit, ok := ast.Unparen(d.Call.Fun).(*ast.FuncLit)
			if !ok || lit.Body == nil {
				return true
			}
			for _, st := range lit.Body.List {
				ifs, ok := st.(*ast.IfStmt)
				if ok && ifs.Body.Pos() <= p && p < ifs.Body.End() && m.recoverCond(ifs) {
					found = true
					return false
				}
			}
			return true
		})
	}
	return found
}

// recoverCond: the if's condition is `recover() != nil` (either side), or
// `v != nil` with v := recover() in the if's init.
func (m *File) recoverCond(ifs *ast.IfStmt) bool {
	be, ok := ast.Unparen(ifs.Cond).(*ast.BinaryExpr)
	if !ok || be.Op != token.NEQ {
		return false
	}
	x, y := ast.Unparen(be.X), ast.Unparen(be.Y)
	if isNilIdent(x) {
		x, y = y, x
	}
	if !isNilIdent(y) {
		return false
	}
	if m.isRecoverCall(x) {
		return true
	}
	id, ok := x.(*ast.Ident)
	if !ok || ifs.Init == nil {
		return false
	}
	as, ok := ifs.Init.(*ast.AssignStmt)
	if !ok || as.Tok != token.DEFINE || len(as.Lhs) != 1 || len(as.Rhs) != 1 {
		return false
	}
	l, ok := as.Lhs[0].(*ast.Ident)
	return ok && l.Name == id.Name && m.isRecoverCall(ast.Unparen(as.Rhs[0]))
}

// isRecoverCall: e is a call of the builtin recover (the model's Builtins:
// a local function named recover is not it).
func (m *File) isRecoverCall(e ast.Expr) bool {
	call, ok := e.(*ast.CallExpr)
	if !ok {
		return false
	}
	for _, b := range m.Builtins {
		if b.Name == "recover" && b.Call == call {
			return true
		}
	}
	return false
}
