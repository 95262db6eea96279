package condwait

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/golens/golens/checks"
)

const name = "condwait"

// Analyzer reports sync.Cond.Wait calls that do not re-check their
// condition in a loop.
var Analyzer = &analysis.Analyzer{
	Name: name,
	Doc: "report sync.Cond.Wait outside a loop that re-checks the condition\n\n" +
		"Wait unlocks c.L, suspends, and locks c.L again when woken; by then another goroutine may have " +
		"changed the state, so the condition must be checked again in a for loop. A Wait guarded by no " +
		"condition at all misses a Signal or Broadcast sent before it started waiting, and blocks forever.",
	URL:      checks.DocURL(name),
	Requires: []*analysis.Analyzer{inspect.Analyzer},
	Run:      run,
}

func run(pass *analysis.Pass) (any, error) {
	ins := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	for cur := range ins.Root().Preorder((*ast.ExprStmt)(nil)) {
		es := cur.Node().(*ast.ExprStmt)
		call, ok := ast.Unparen(es.X).(*ast.CallExpr)
		if !ok || !isCondWait(pass, call) {
			continue
		}
		recv := types.ExprString(call.Fun.(*ast.SelectorExpr).X)
		var guard *ast.IfStmt
		inLoop := false
	up:
		for c := cur.Parent(); c.Node() != nil; c = c.Parent() {
			switch n := c.Node().(type) {
			case *ast.ForStmt, *ast.RangeStmt:
				inLoop = true
				break up
			case *ast.IfStmt:
				if guard == nil {
					guard = n
				}
			case *ast.FuncLit, *ast.FuncDecl:
				break up
			}
		}
		if inLoop {
			continue
		}
		d := analysis.Diagnostic{Pos: call.Pos(), End: call.End(), Category: name}
		if guard == nil {
			d.Message = recv + ".Wait() checks no condition: a Signal or Broadcast sent before this goroutine reaches Wait is lost (a Cond keeps no memory of it), so Wait can block forever; wait in `for !condition { " + recv + ".Wait() }`"
		} else {
			d.Message = recv + ".Wait() under an if, not a for: when Wait returns another goroutine may already have changed the state (Broadcast wakes every waiter), so the condition must be checked again; use `for` instead of `if`"
			if guard.Init == nil && guard.Else == nil && len(guard.Body.List) == 1 && guard.Body.List[0] == es {
				d.SuggestedFixes = []analysis.SuggestedFix{{
					Message:   "Check the condition in a loop: replace if with for",
					TextEdits: []analysis.TextEdit{{Pos: guard.If, End: guard.If + 2, NewText: []byte("for")}},
				}}
			}
		}
		pass.Report(d)
	}
	lostWakeups(pass, ins) // lostwakeup.go
	return nil, nil
}

func isCondWait(pass *analysis.Pass, call *ast.CallExpr) bool {
	se, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok || se.Sel.Name != "Wait" {
		return false
	}
	sel := pass.TypesInfo.Selections[se]
	if sel == nil || sel.Kind() != types.MethodVal {
		return false
	}
	fn, _ := sel.Obj().(*types.Func)
	if fn == nil || fn.Pkg() == nil || fn.Pkg().Path() != "sync" {
		return false
	}
	rt := fn.Type().(*types.Signature).Recv().Type()
	if p, ok := rt.(*types.Pointer); ok {
		rt = p.Elem()
	}
	n, ok := rt.(*types.Named)
	return ok && n.Obj().Name() == "Cond"
}
