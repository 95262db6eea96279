package model

import (
	"go/ast"
	"go/token"
)

// RecoverUse says what the recovers in some code do with the value of
// the panic they stop: nothing (a blanket `defer func() { recover() }()`
// that keeps a goroutine or a test alive whatever went wrong), or read it
// (test it, store it, return it: the code expects a panic there, as a
// test that a call panics does). Checks that report a panic stay silent
// where the panic is the point, and not merely where it is swallowed.
type RecoverUse uint8

const (
	// RecoverNone: no recover is called there.
	RecoverNone RecoverUse = iota
	// RecoverDiscards: every recover there is a statement of its own, or
	// assigned only to _: the panic's value is dropped unread.
	RecoverDiscards
	// RecoverExamines: some recover's value is read.
	RecoverExamines
)

func (u RecoverUse) String() string {
	return [...]string{"none", "discards", "examines"}[u]
}

// RecoverUse reports what the recovers called in n (function literals
// included, as CallsRecover) do with the panic's value.
func (m *File) RecoverUse(n ast.Node) RecoverUse {
	if n == nil {
		return RecoverNone
	}
	use := RecoverNone
	for _, b := range m.Builtins {
		if b.Name != "recover" || b.Pos < n.Pos() || b.Pos >= n.End() || b.Call == nil {
			continue
		}
		use = RecoverDiscards
		if !m.valueDropped(b.Call) {
			return RecoverExamines
		}
	}
	return use
}

// RecoverUseAt is RecoverUse of the body of the innermost function whose
// body holds p: the function in which an operation written at p runs.
func (m *File) RecoverUseAt(p token.Pos) RecoverUse {
	f := m.funcAt(p)
	if f == nil || f.Body == nil {
		return RecoverNone
	}
	return m.RecoverUse(f.Body)
}

// valueDropped reports whether the call's result is unused: the call is
// an expression statement, or assigned only to blank identifiers.
func (m *File) valueDropped(call *ast.CallExpr) bool {
	path, _ := EnclosingPath(m.AST, call.Pos(), call.End())
	for i, n := range path {
		if n != ast.Node(call) {
			continue
		}
		if i+1 >= len(path) {
			return false
		}
		switch p := path[i+1].(type) {
		case *ast.ExprStmt:
			return true
		case *ast.AssignStmt:
			for _, l := range p.Lhs {
				if id, ok := l.(*ast.Ident); !ok || id.Name != "_" {
					return false
				}
			}
			return true
		case *ast.ParenExpr:
			return false
		}
		return false
	}
	return false
}
