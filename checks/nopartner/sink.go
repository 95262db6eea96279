package nopartner

import (
	"go/ast"
	"go/constant"
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
		if (public(pass, fn) || calledRepeatedly(pass, fn)) && !sendsFit(pass, c) {
			return s, fn, true
		}
	}
	return op{}, nil, false
}

// underCallback: the send is in a function literal handed to a call (not
// a go or defer statement), such as once.Do(func() { ... }): the callee
// decides how often it runs.
func underCallback(pass *analysis.Pass, pos token.Pos) bool {
	path := enclosingPath(pass, pos)
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

// sendsFit: the buffer has room for every send the program can make on
// the class, so no send fills it. Proven only in a program's package main
// when the class has one make, run once (in main's own body, not in a
// loop), with a constant capacity, and every send runs a counted number of
// times: a send in main's own body (not in a loop) once, a send in another
// function of the package (not in a loop, not in a literal) once per call,
// and that function is only called, never used as a value, each call
// written in main's own body outside any loop. The sum of those counts
// (sends per call × calls) is then the most values the buffer ever holds
// (two produce calls, one send each, into a buffer of 4).
func sendsFit(pass *analysis.Pass, c *class) bool {
	if pass.Pkg.Name() != "main" || len(c.made) != 1 || c.unbounded {
		return false
	}
	capacity, ok := makeCapacity(pass, c.made[0])
	if !ok || !onceInMain(pass, c.made[0]) {
		return false
	}
	total := int64(0)
	counted := map[*types.Func]int64{}
	for _, s := range c.sends {
		fd := chanutil.DeclAt(pass.Files, s.pos)
		if fd == nil || s.maybe || !ownBodyNoLoop(pass, s.pos) {
			return false
		}
		if fd.Name.Name == "main" && fd.Recv == nil {
			total++
			continue
		}
		fn, _ := pass.TypesInfo.Defs[fd.Name].(*types.Func)
		if fn == nil || fd.Recv != nil {
			return false
		}
		n, seen := counted[fn]
		if !seen {
			var ok bool
			if n, ok = callsFromMainOnce(pass, fn); !ok {
				return false
			}
			counted[fn] = n
		}
		total += n
	}
	return total <= capacity
}

// makeCapacity is the constant capacity of the make call at pos.
func makeCapacity(pass *analysis.Pass, pos token.Pos) (int64, bool) {
	var capacity int64
	found := false
	for _, f := range pass.Files {
		if !(f.FileStart <= pos && pos <= f.FileEnd) {
			continue
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if found || !ok || call.Pos() != pos || len(call.Args) != 2 {
				return !found
			}
			if tv := pass.TypesInfo.Types[call.Args[1]]; tv.Value != nil {
				if v, exact := constant.Int64Val(tv.Value); exact {
					capacity, found = v, true
				}
			}
			return false
		})
	}
	return capacity, found
}

// onceInMain: pos is in main's own body (func main, not in a function
// literal), outside any loop: it runs at most once.
func onceInMain(pass *analysis.Pass, pos token.Pos) bool {
	fd := chanutil.DeclAt(pass.Files, pos)
	return fd != nil && fd.Recv == nil && fd.Name.Name == "main" && ownBodyNoLoop(pass, pos)
}

// ownBodyNoLoop: pos is in its function declaration's own body, not in a
// function literal nor in a loop (nor in a goto's reach: a function with
// a label is not counted).
func ownBodyNoLoop(pass *analysis.Pass, pos token.Pos) bool {
	for _, n := range enclosingPath(pass, pos) {
		switch n := n.(type) {
		case *ast.ForStmt, *ast.RangeStmt, *ast.FuncLit:
			return false
		case *ast.FuncDecl:
			labelled := false
			ast.Inspect(n, func(x ast.Node) bool {
				if _, ok := x.(*ast.LabeledStmt); ok {
					labelled = true
				}
				return !labelled
			})
			return !labelled
		}
	}
	return false
}

// callsFromMainOnce counts the calls of fn when every use of fn in the
// package is the function of a call written in main's own body outside
// any loop (so each runs at most once); false otherwise.
func callsFromMainOnce(pass *analysis.Pass, fn *types.Func) (int64, bool) {
	calls := map[*ast.Ident]bool{}
	for _, f := range pass.Files {
		ast.Inspect(f, func(n ast.Node) bool {
			if call, ok := n.(*ast.CallExpr); ok {
				if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok && pass.TypesInfo.Uses[id] == fn {
					calls[id] = true
				}
			}
			return true
		})
	}
	n := int64(0)
	for id, obj := range pass.TypesInfo.Uses {
		if obj != fn {
			continue
		}
		if !calls[id] || !onceInMain(pass, id.Pos()) {
			return 0, false
		}
		n++
	}
	return n, true
}

// enclosingPath is the path from the innermost node at pos up to its
// file (astutil.PathEnclosingInterval), in whichever file of the package
// holds pos; nil when none does.
func enclosingPath(pass *analysis.Pass, pos token.Pos) []ast.Node {
	for _, f := range pass.Files {
		if f.FileStart <= pos && pos <= f.FileEnd {
			path, _ := astutil.PathEnclosingInterval(f, pos, pos)
			return path
		}
	}
	return nil
}
