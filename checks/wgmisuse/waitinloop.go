package wgmisuse

import (
	"fmt"
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/golens/golens/checks/internal/chanutil"
	"github.com/golens/golens/model"
)

// Wait inside the loop: the counter is raised once for all iterations
// before the loop, and each iteration starts one goroutine and then waits.
// The first Wait needs every Done, but only one goroutine is running: it
// blocks forever.
//
//	wg.Add(len(plugins))
//	for _, p := range plugins {
//		go func() { defer wg.Done(); p.Start() }()
//		wg.Wait() // waits for len(plugins) Dones, one goroutine exists
//	}

func waitsInLoop(pass *analysis.Pass, ins *inspector.Inspector) []analysis.Diagnostic {
	info := pass.TypesInfo
	wgs := newWGCalls(pass)
	var out []analysis.Diagnostic
	for cur := range ins.Root().Preorder((*ast.BlockStmt)(nil)) {
		block := cur.Node().(*ast.BlockStmt)
		for i, st := range block.List {
			body := model.LoopBody(st)
			if body == nil {
				continue
			}
			// wg.Wait() in the loop body, after a go statement of it.
			var wait *ast.CallExpr
			var wg types.Object
			var wgExpr ast.Expr
			sawGo := false
			for _, bs := range body.List {
				if _, ok := bs.(*ast.GoStmt); ok {
					sawGo = true
					continue
				}
				if es, ok := bs.(*ast.ExprStmt); ok && sawGo {
					if call, ok := ast.Unparen(es.X).(*ast.CallExpr); ok {
						if x, ok := wgCall(wgs, call, "Wait"); ok {
							wait, wgExpr, wg = call, x, objOf(info, x)
							break
						}
					}
				}
			}
			if wait == nil || wg == nil || addsIn(info, wgs, body, wg) {
				continue
			}
			// The Add before the loop, in the same block: its count is
			// not 1.
			var add *ast.CallExpr
			for j := i - 1; j >= 0 && add == nil; j-- {
				es, ok := block.List[j].(*ast.ExprStmt)
				if !ok {
					continue
				}
				call, ok := ast.Unparen(es.X).(*ast.CallExpr)
				if !ok {
					continue
				}
				if x, ok := wgCall(wgs, call, "Add"); ok && objOf(info, x) == wg {
					add = call
				}
			}
			if add == nil {
				continue
			}
			count := "more than 1"
			if tv := info.Types[add.Args[0]]; tv.Value != nil {
				if tv.Value.String() == "1" || tv.Value.String() == "0" || tv.Value.String()[0] == '-' {
					continue
				}
				count = tv.Value.String()
			}
			wgText := types.ExprString(wgExpr)
			msg := fmt.Sprintf("%s.Wait() inside the loop waits for every Done the %s.Add(%s) before the loop (%s) counts, but by then only the goroutines of the iterations so far have started: ",
				wgText, wgText, types.ExprString(add.Args[0]), chanutil.Where(pass.Fset, add.Pos(), wait.Pos()))
			if count == "more than 1" {
				msg += fmt.Sprintf("when %s is more than 1, the first iteration blocks forever; move %s.Wait() after the loop", types.ExprString(add.Args[0]), wgText)
			} else {
				msg += fmt.Sprintf("the first iteration blocks forever; move %s.Wait() after the loop", wgText)
			}
			out = append(out, analysis.Diagnostic{Pos: wait.Pos(), End: wait.End(), Category: name, Message: msg,
				Related: []analysis.RelatedInformation{{Pos: add.Pos(), Message: "the counter is raised for all iterations here"}}})
		}
	}
	return out
}

// addsIn reports whether body (function literals included) raises wg's
// counter: an Add or a Go of it, as the model records them.
func addsIn(info *types.Info, wgs *wgCalls, body *ast.BlockStmt, wg types.Object) bool {
	for call, op := range wgs.ops {
		if (op.Kind == model.WGAdd || op.Kind == model.WGGo) && call.Pos() >= body.Pos() && call.End() <= body.End() {
			if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && objOf(info, sel.X) == wg {
				return true
			}
		}
	}
	return false
}
