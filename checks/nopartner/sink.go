package nopartner

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/astutil"

	"github.com/golens/golens/checks/internal/chanutil"
	"github.com/golens/golens/model"
)

// A buffered channel nothing receives from: each send fills one slot, and
// the send after the last free slot blocks forever. An error sink made
// next to its one send (errc := make(chan error, 1); go func() { errc <-
// f() }()) never fills, so the rule needs more than "nobody receives": the
// send must be able to run more times than the buffer holds. It is
// reported when the send sits in a function that makes no channel of the
// class (the channel outlives one call of it) and that runs again and
// again: an exported function or method (callers elsewhere call it as
// often as they like, cockroach's RowChannel.Push), or one the package
// calls from two places or from inside a loop.

// repeatedSinkSend returns the first plain send of a buffered class that
// nothing receives from and whose function can run more often than the
// buffer holds.
func repeatedSinkSend(pass *analysis.Pass, c *class) (op, *types.Func, bool) {
	makers := map[*ast.FuncDecl]bool{}
	for _, m := range c.made {
		makers[chanutil.DeclAt(pass.Files, m)] = true
	}
	for _, s := range c.sends {
		if !s.blocking {
			continue
		}
		fd := chanutil.DeclAt(pass.Files, s.pos)
		if fd == nil || makers[fd] || underCallback(pass, s.pos) {
			continue
		}
		fn, _ := pass.TypesInfo.Defs[fd.Name].(*types.Func)
		if fn == nil || fd.Name.Name == "init" || fd.Name.Name == "main" {
			continue
		}
		if public(pass, fn) || calledRepeatedly(pass, fn) {
			return s, fn, true
		}
	}
	return op{}, nil, false
}

// underCallback: the send is in a function literal handed to a call (not
// a go or defer statement), such as once.Do(func() { ... }): the callee
// decides how often it runs.
func underCallback(pass *analysis.Pass, pos token.Pos) bool {
	for _, file := range pass.Files {
		if !(file.FileStart <= pos && pos <= file.FileEnd) {
			continue
		}
		path, _ := astutil.PathEnclosingInterval(file, pos, pos)
		for i, n := range path {
			lit, ok := n.(*ast.FuncLit)
			if !ok || i+1 >= len(path) {
				continue
			}
			call, ok := path[i+1].(*ast.CallExpr)
			if !ok || call.Fun == ast.Expr(lit) {
				continue // an immediately called literal runs with its function
			}
			if i+2 < len(path) {
				switch path[i+2].(type) {
				case *ast.GoStmt, *ast.DeferStmt:
					continue
				}
			}
			return true
		}
	}
	return false
}

// calledRepeatedly: the package calls fn from two or more places, or from
// inside a loop; a call of an interface method that fn's type implements
// counts as a call of fn.
func calledRepeatedly(pass *analysis.Pass, fn *types.Func) bool {
	calls := 0
	for _, file := range pass.Files {
		ast.Inspect(file, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || calls >= 2 {
				return calls < 2
			}
			if chanutil.PackageCallee(pass.TypesInfo, pass.Pkg, call) == fn || viaInterface(pass, call, fn) {
				calls++
				if chanutil.InLoopAt(file, call.Pos()) {
					calls = 2
				}
			}
			return true
		})
	}
	return calls >= 2
}

// viaInterface: call is x.M() on an interface whose method M the receiver
// type of method fn implements (model.ViaInterface).
func viaInterface(pass *analysis.Pass, call *ast.CallExpr, fn *types.Func) bool {
	return model.ViaInterface(pass.TypesInfo, call, fn)
}
