package model

import (
	"go/ast"
	"go/token"
)

// ExitHelper is a call of a function of this file that ends the program
// on some of its paths but not on all (func mustValid(cfg) { if … {
// os.Exit(3) } }): where it does, deferred calls do not run.
type ExitHelper struct {
	Pos  token.Pos
	Call string // the helper call as written: "mustValid(cfg)"
	// Exit is the call that ends the program, as written ("os.Exit(3)"),
	// at ExitPos: in the helper's own body, or in a function of this file
	// that it calls.
	Exit    string
	ExitPos token.Pos
}

// ExitHelpersAfter lists, in source order, the calls in d's own function
// (outside function literals) that control can reach once the defer
// statement has run, of functions of this file that may end the program
// without returning: a call in the body (not in a function literal) of
// the function, or of a function of this file it calls, is os.Exit or
// log.Fatal* (ExitCall, ExitProcess). Calls that end the program on
// every path are exits of the flow (ExitCall) and are not listed; nor
// are calls golens only guesses may exit by their name (MayExit).
func (m *File) ExitHelpersAfter(d *Defer) []ExitHelper {
	if d == nil || d.Node == nil || d.Func == nil || d.Func.Body == nil {
		return nil
	}
	var out []ExitHelper
	callsBesideDefer(d, func(n *ast.CallExpr) {
		if _, exits := m.ExitCall(n); exits {
			return
		}
		fd := m.fileCallee(n)
		if fd == nil {
			return
		}
		exit := m.processExitIn(fd, map[*ast.FuncDecl]bool{})
		if exit == nil || !m.ReachAfter(d.Node, n.Pos()).Possible() {
			return
		}
		out = append(out, ExitHelper{Pos: n.Pos(), Call: m.Text(n.Pos(), n.End()), Exit: m.Text(exit.Pos(), exit.End()), ExitPos: exit.Pos()})
	})
	return out
}

// callsBesideDefer calls visit, in source order, with each call in d's
// own function outside function literals, except the deferred call and
// the calls inside it (its arguments). The callers ask ReachAfter which
// of them can run once the defer statement has.
func callsBesideDefer(d *Defer, visit func(*ast.CallExpr)) {
	ast.Inspect(d.Func.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.CallExpr:
			if n.Pos() < d.Pos || n.End() > d.End {
				visit(n)
			}
		}
		return true
	})
}

// processExitIn finds a call in fd's body (outside function literals)
// that ends the program (ExitCall: ExitProcess), directly or in a function
// of this file fd calls; nil when there is none.
func (m *File) processExitIn(fd *ast.FuncDecl, seen map[*ast.FuncDecl]bool) *ast.CallExpr {
	if fd == nil || fd.Body == nil || seen[fd] {
		return nil
	}
	seen[fd] = true
	var found *ast.CallExpr
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		if found != nil {
			return false
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.CallExpr:
			if kind, ok := m.ExitCall(n); ok && kind == ExitProcess {
				if callee := m.fileCallee(n); callee != nil {
					found = m.processExitIn(callee, seen)
					if found == nil {
						found = n
					}
				} else {
					found = n
				}
				return false
			}
			if callee := m.fileCallee(n); callee != nil {
				found = m.processExitIn(callee, seen)
			}
		}
		return found == nil
	})
	return found
}
