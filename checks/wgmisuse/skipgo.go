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

// A skipped go statement: the counter is raised once for every element
// before the loop, and a continue (or break) skips the go statement whose
// goroutine is the only one calling Done. Each skipped element leaves one
// Done missing: the counter never reaches zero and the Wait after the loop
// blocks forever.
//
//	wg.Add(len(items))
//	for _, it := range items {
//		if it == "" {
//			continue // no goroutine, no Done
//		}
//		go func() { defer wg.Done(); use(it) }()
//	}
//	wg.Wait()

func skippedGos(pass *analysis.Pass, ins *inspector.Inspector) []analysis.Diagnostic {
	info := pass.TypesInfo
	wgs := newWGCalls(pass)
	var out []analysis.Diagnostic
	for cur := range ins.Root().Preorder((*ast.BlockStmt)(nil)) {
		block := cur.Node().(*ast.BlockStmt)
		for i, st := range block.List {
			if d, ok := skippedGo(pass, info, wgs, block.List, i, st); ok {
				out = append(out, d)
			}
		}
	}
	return out
}

func skippedGo(pass *analysis.Pass, info *types.Info, wgs *wgCalls, list []ast.Stmt, i int, st ast.Stmt) (analysis.Diagnostic, bool) {
	none := analysis.Diagnostic{}
	// wg.Add(len(xs)).
	add := exprCall(st)
	if add == nil {
		return none, false
	}
	wgExpr, ok := wgCall(wgs, add, "Add")
	if !ok || len(add.Args) != 1 {
		return none, false
	}
	wg := objOf(info, wgExpr)
	lenCall, ok := ast.Unparen(add.Args[0]).(*ast.CallExpr)
	if wg == nil || !ok || len(lenCall.Args) != 1 {
		return none, false
	}
	if b, ok := info.Uses[identOf(lenCall.Fun)].(*types.Builtin); !ok || b.Name() != "len" {
		return none, false
	}
	xs := types.ExprString(lenCall.Args[0])
	// The next statement ranges over xs.
	if i+1 >= len(list) {
		return none, false
	}
	next := list[i+1]
	if ls, ok := next.(*ast.LabeledStmt); ok {
		next = ls.Stmt // a labelled loop: `continue label` is one of its skips
	}
	loop, ok := next.(*ast.RangeStmt)
	if !ok || types.ExprString(loop.X) != xs {
		return none, false
	}
	if _, ok := info.TypeOf(loop.X).Underlying().(*types.Chan); ok {
		return none, false
	}
	// Exactly one go statement in the body, a statement of the body itself,
	// whose function literal calls wg.Done once; nothing else in the
	// package calls Done (or Add, or Go) on wg inside the loop or Done
	// anywhere else.
	goAt := -1
	gos := 0
	ast.Inspect(loop.Body, func(n ast.Node) bool {
		if _, ok := n.(*ast.GoStmt); ok {
			gos++
		}
		return true
	})
	for k, bs := range loop.Body.List {
		if _, ok := bs.(*ast.GoStmt); ok {
			goAt = k
		}
	}
	if gos != 1 || goAt < 0 {
		return none, false
	}
	goStmt := loop.Body.List[goAt].(*ast.GoStmt)
	lit, ok := ast.Unparen(goStmt.Call.Fun).(*ast.FuncLit)
	if !ok {
		return none, false
	}
	dones := 0
	for call, op := range wgs.ops {
		sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
		if !ok || objOf(info, sel.X) != wg {
			continue
		}
		inLit := call.Pos() >= lit.Pos() && call.End() <= lit.End()
		inLoop := call.Pos() >= loop.Pos() && call.End() <= loop.End()
		switch op.Kind {
		case model.WGDone:
			if !inLit {
				return none, false // Done elsewhere: the skip path may count itself out
			}
			dones++
		case model.WGAdd, model.WGGo:
			if inLoop {
				return none, false
			}
		}
	}
	if dones != 1 {
		return none, false
	}
	// A continue or break of this loop that a pass gets to before the go
	// statement (the model's PassSkips).
	m := wgs.fileOf(loop.Pos())
	if m == nil {
		return none, false
	}
	skips := m.PassSkips(loop, goStmt)
	if len(skips) == 0 {
		return none, false
	}
	skip := skips[0]
	// The Wait after the loop, in the same block, with nothing between
	// touching wg.
	var wait *ast.CallExpr
	for _, after := range list[i+2:] {
		if call := exprCall(after); call != nil {
			if x, ok := wgCall(wgs, call, "Wait"); ok && objOf(info, x) == wg {
				wait = call
				break
			}
		}
		if mentions(info, after, wg) {
			return none, false
		}
	}
	if wait == nil {
		return none, false
	}
	wgText := types.ExprString(wgExpr)
	line := pass.Fset.Position(skip.Pos).Line
	msg := fmt.Sprintf("%s.Add(len(%s)) counts one Done per element, but the %s on line %d skips the go statement whose goroutine calls %s.Done(): once it is taken, the counter never reaches zero and %s.Wait() (%s) blocks forever; call %s.Add(1) just before the go statement instead",
		wgText, xs, skip.What, line, wgText, wgText, chanutil.Where(pass.Fset, wait.Pos(), add.Pos()), wgText)
	return analysis.Diagnostic{Pos: add.Pos(), End: add.End(), Category: name, Message: msg,
		Related: []analysis.RelatedInformation{
			{Pos: skip.Pos, Message: "skips the go statement"},
			{Pos: goStmt.Pos(), Message: "the only goroutine that calls Done"},
			{Pos: wait.Pos(), Message: "waits forever once an element is skipped"},
		}}, true
}

func exprCall(st ast.Stmt) *ast.CallExpr {
	es, ok := st.(*ast.ExprStmt)
	if !ok {
		return nil
	}
	call, _ := ast.Unparen(es.X).(*ast.CallExpr)
	return call
}

func identOf(e ast.Expr) *ast.Ident {
	id, _ := ast.Unparen(e).(*ast.Ident)
	return id
}

// mentions reports whether n refers to obj.
func mentions(info *types.Info, n ast.Node, obj types.Object) bool {
	found := false
	ast.Inspect(n, func(c ast.Node) bool {
		if id, ok := c.(*ast.Ident); ok && info.Uses[id] == obj {
			found = true
		}
		if sel, ok := c.(*ast.SelectorExpr); ok && objOf(info, sel) == obj {
			found = true
		}
		return !found
	})
	return found
}
