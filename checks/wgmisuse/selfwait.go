package wgmisuse

import (
	"fmt"
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis"

	"github.com/golens/golens/checks/internal/chanutil"
	"github.com/golens/golens/model"
)

// A goroutine that waits for its own WaitGroup: it was counted by wg.Add
// before it started, and it calls wg.Wait() before its own wg.Done() has
// run (a deferred Done runs only when it returns). The counter cannot
// reach zero while it waits: it blocks forever, and so does every other
// Wait.

func selfWaits(pass *analysis.Pass) []analysis.Diagnostic {
	info := pass.TypesInfo
	wgs := newWGCalls(pass)
	var out []analysis.Diagnostic
	for _, m := range wgs.models {
		for _, g := range m.Goroutines {
			if g.Body == nil || g.Body.Body == nil {
				continue
			}
			if d, ok := selfWait(pass, info, wgs, m, g); ok {
				out = append(out, d)
			}
		}
	}
	return out
}

func selfWait(pass *analysis.Pass, info *types.Info, wgs *wgCalls, m *model.File, g *model.Goroutine) (analysis.Diagnostic, bool) {
	none := analysis.Diagnostic{}
	lit := g.Body
	// The goroutine's Done: deferred, or a statement of its body.
	var done ast.Stmt
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
		return none, false
	}
	// The model's operations on wg: one Done in the goroutine (others, on
	// other paths, are hard to order), the Waits of its own body, and the
	// Adds of the function that starts it.
	same := func(w *model.WaitGroupOp) bool {
		sel, ok := ast.Unparen(w.Call.Fun).(*ast.SelectorExpr)
		return ok && objOf(info, sel.X) == wg
	}
	dones := 0
	for _, w := range m.WaitGroups {
		if w.Kind == model.WGDone && w.Pos >= lit.Pos && w.Pos < lit.End && same(w) {
			dones++
		}
	}
	if dones != 1 {
		return none, false
	}
	_, deferred := done.(*ast.DeferStmt)
	// A Wait on the same WaitGroup that a run of the goroutine reaches
	// before its Done has run (the model's ReachBefore): any Wait when the
	// Done is deferred (it runs only when the goroutine returns).
	var wait *ast.CallExpr
	for _, w := range m.WaitGroups {
		if w.Kind != model.WGWait || w.Func != lit || !same(w) {
			continue
		}
		if deferred || m.ReachBefore(lit, done, w.Pos) == model.ReachSome {
			wait = w.Call
			break
		}
	}
	if wait == nil {
		return none, false
	}
	// Counted: an Add on it from which the function that starts the
	// goroutine gets to the go statement (the model's ReachAfter; in a
	// loop, an Add of an earlier pass counts the goroutine of a later
	// one).
	counted := false
	for _, w := range m.WaitGroups {
		if w.Kind == model.WGAdd && w.Func == g.Func && same(w) && m.ReachAfter(w.Call, g.Pos).Possible() {
			counted = true
			break
		}
	}
	if !counted {
		return none, false
	}
	wgText := types.ExprString(wgExpr)
	when := "before its own " + wgText + ".Done()"
	if deferred {
		when = "while its deferred " + wgText + ".Done() has not run yet"
	}
	return analysis.Diagnostic{Pos: wait.Pos(), End: wait.End(), Category: name,
		Message: fmt.Sprintf("the goroutine waits on %s, which counts it, %s (%s): the counter cannot reach zero while it waits, so this blocks forever", wgText, when, chanutil.Where(pass.Fset, done.Pos(), wait.Pos())),
		Related: []analysis.RelatedInformation{{Pos: done.Pos(), Message: "its own Done"}, {Pos: g.Pos, Message: "the goroutine, counted by the Add before it"}},
	}, true
}
