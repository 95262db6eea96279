package wgmisuse

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/golens/golens/checks/internal/chanutil"
)

// A goroutine that waits for its own WaitGroup: it was counted by wg.Add
// before it started, and it calls wg.Wait() before its own wg.Done() has
// run (a deferred Done runs only when it returns). The counter cannot
// reach zero while it waits: it blocks forever, and so does every other
// Wait.

func selfWaits(pass *analysis.Pass, ins *inspector.Inspector) []analysis.Diagnostic {
	info := pass.TypesInfo
	wgs := newWGCalls(pass)
	var out []analysis.Diagnostic
	for cur := range ins.Root().Preorder((*ast.GoStmt)(nil)) {
		g := cur.Node().(*ast.GoStmt)
		lit, ok := ast.Unparen(g.Call.Fun).(*ast.FuncLit)
		if !ok {
			continue
		}
		// The goroutine's Done: deferred, or a statement of its body.
		var done ast.Node
		var wg types.Object
		var wgExpr ast.Expr
		for _, st := range lit.Body.List {
			var call *ast.CallExpr
			switch st := st.(type) {
			case *ast.DeferStmt:
				call = st.Call
			case *ast.ExprStmt:
				call, _ = ast.Unparen(st.X).(*ast.CallExpr)
			}
			if call == nil {
				continue
			}
			if x, ok := wgCall(wgs, call, "Done"); ok {
				done, wgExpr, wg = st, x, objOf(info, x)
				break
			}
		}
		if wg == nil {
			continue
		}
		dones := 0
		ast.Inspect(lit.Body, func(n ast.Node) bool {
			if c, ok := n.(*ast.CallExpr); ok {
				if x, ok := wgCall(wgs, c, "Done"); ok && objOf(info, x) == wg {
					dones++
				}
			}
			return true
		})
		if dones != 1 {
			continue // other Dones on other paths: hard to order
		}
		_, deferred := done.(*ast.DeferStmt)
		// A Wait on the same WaitGroup before the Done runs.
		var wait *ast.CallExpr
		ast.Inspect(lit.Body, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				return false
			case *ast.CallExpr:
				if x, ok := wgCall(wgs, n, "Wait"); ok && objOf(info, x) == wg && wait == nil && (deferred || n.Pos() < done.Pos()) {
					wait = n
				}
			}
			return wait == nil
		})
		if wait == nil {
			continue
		}
		// Counted: an Add on it before the go statement, in the function
		// that starts the goroutine.
		body, _ := enclosingFuncBody(cur)
		if body == nil || !addBefore(info, wgs, body, wg, g.Pos()) {
			continue
		}
		wgText := types.ExprString(wgExpr)
		when := "before its own " + wgText + ".Done()"
		if deferred {
			when = "while its deferred " + wgText + ".Done() has not run yet"
		}
		out = append(out, analysis.Diagnostic{Pos: wait.Pos(), End: wait.End(), Category: name,
			Message: fmt.Sprintf("the goroutine waits on %s, which counts it, %s (%s): the counter cannot reach zero while it waits, so this blocks forever", wgText, when, chanutil.Where(pass.Fset, done.Pos(), wait.Pos())),
			Related: []analysis.RelatedInformation{{Pos: done.Pos(), Message: "its own Done"}, {Pos: g.Pos(), Message: "the goroutine, counted by the Add before it"}},
		})
	}
	return out
}

func enclosingFuncBody(c inspector.Cursor) (*ast.BlockStmt, bool) {
	for c = c.Parent(); c.Node() != nil; c = c.Parent() {
		switch n := c.Node().(type) {
		case *ast.FuncLit:
			return n.Body, true
		case *ast.FuncDecl:
			return n.Body, true
		}
	}
	return nil, false
}

func addBefore(info *types.Info, wgs *wgCalls, body *ast.BlockStmt, wg types.Object, pos token.Pos) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if _, ok := n.(*ast.FuncLit); ok {
			return false
		}
		if call, ok := n.(*ast.CallExpr); ok && call.Pos() < pos {
			if x, ok := wgCall(wgs, call, "Add"); ok && objOf(info, x) == wg {
				found = true
			}
		}
		return !found
	})
	return found
}
