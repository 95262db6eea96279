package wgmisuse

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/types"

	"golang.org/x/tools/go/analysis"

	"github.com/golens/golens/checks/internal/chanutil"
	"github.com/golens/golens/checks/modelpass"
	"github.com/golens/golens/model"
)

// Wait before the goroutine that calls Done: the counter is raised, then
// the function waits, and only afterwards starts the goroutine that is the
// package's only caller of Done on that WaitGroup. Nothing can bring the
// counter to zero while Wait blocks, so it blocks forever.
//
//	p.Submit(1) // p.wg.Add(1)
//	p.wg.Wait()
//	go p.worker() // the only p.wg.Done()

func waitsBeforeGo(pass *analysis.Pass) []analysis.Diagnostic {
	info := pass.TypesInfo
	wgs := newWGCalls(pass)
	pkg := pass.ResultOf[modelpass.Analyzer].(*modelpass.Result).Package
	uses := pkg.WaitGroupUses()
	var out []analysis.Diagnostic
	for _, file := range pass.Files {
		for _, decl := range file.Decls {
			fd, ok := decl.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			list := fd.Body.List
			for i, st := range list {
				wait := exprCall(st)
				if wait == nil {
					continue
				}
				x, ok := wgCall(wgs, wait, "Wait")
				if !ok {
					continue
				}
				wg := objOf(info, x)
				// Every mention of wg is the receiver of one of its calls (the
				// model's WaitGroupUses): its address is never taken, it is
				// never passed, copied or set in a literal, and no method
				// value of it escapes, so no code golens does not see can
				// call Done on it.
				if wg == nil || !private(pass, wg) || !uses[wg].OnlyCallsOf("Add", "Done", "Wait", "Go") {
					continue
				}
				if d, ok := waitBeforeGo(pass, pkg, wgs, list, i, wait, x, wg); ok {
					out = append(out, d)
				}
			}
		}
	}
	return out
}

func waitBeforeGo(pass *analysis.Pass, pkg *model.Package, wgs *wgCalls, list []ast.Stmt, i int, wait *ast.CallExpr, x ast.Expr, wg types.Object) (analysis.Diagnostic, bool) {
	none := analysis.Diagnostic{}
	info := pass.TypesInfo
	// The Add before the Wait: directly, or through a call of a function
	// of the package whose body adds a positive constant as a statement of
	// its own.
	var added ast.Node
	addText := ""
	for j := i - 1; j >= 0 && added == nil; j-- {
		call := exprCall(list[j])
		if call == nil {
			continue
		}
		if ax, ok := wgCall(wgs, call, "Add"); ok && objOf(info, ax) == wg && positive(info, call) && types.ExprString(ax) == types.ExprString(x) {
			added, addText = call, types.ExprString(call)
			continue
		}
		if fd := pkg.FuncDecl(calleeOf(info, call)); fd != nil {
			for _, bs := range fd.Body.List {
				if c := exprCall(bs); c != nil {
					if ax, ok := wgCall(wgs, c, "Add"); ok && objOf(info, ax) == wg && positive(info, c) && sameInstance(info, call, fd, ax, x) {
						if addsOnReturn(wgs, fd, bs) {
							added, addText = call, types.ExprString(call.Fun)+" (which calls "+types.ExprString(c)+")"
						}
						break
					}
				}
			}
		}
	}
	if added == nil {
		return none, false
	}
	// The go statement after the Wait whose function holds every Done.
	for _, st := range list[i+1:] {
		gs, ok := st.(*ast.GoStmt)
		if !ok {
			continue
		}
		var body ast.Node
		what := "a function literal"
		if lit, ok := ast.Unparen(gs.Call.Fun).(*ast.FuncLit); ok {
			body = lit
		} else if fn := calleeOf(info, gs.Call); fn != nil && namedOnce(pkg, fn) {
			if fd := pkg.FuncDecl(fn); fd != nil {
				body, what = fd, types.ExprString(gs.Call.Fun)
			}
		}
		if body == nil {
			continue
		}
		dones := 0
		for call, op := range wgs.ops {
			sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
			if !ok || objOf(info, sel.X) != wg {
				continue
			}
			switch op.Kind.String() {
			case "Done":
				if call.Pos() < body.Pos() || call.End() > body.End() {
					return none, false // another Done may run before the Wait
				}
				dones++
			case "Go":
				return none, false
			}
		}
		if dones == 0 {
			continue
		}
		wgText := types.ExprString(x)
		msg := fmt.Sprintf("%s.Wait() waits for the counter raised by %s (%s), but the only %s.Done() is in the goroutine started after it (%s, %s): that goroutine is not running yet, so the counter never reaches zero and %s.Wait() blocks forever; start the goroutine before waiting",
			wgText, addText, chanutil.Where(pass.Fset, added.Pos(), wait.Pos()), wgText, what, chanutil.Where(pass.Fset, gs.Pos(), wait.Pos()), wgText)
		return analysis.Diagnostic{Pos: wait.Pos(), End: wait.End(), Category: name, Message: msg,
			Related: []analysis.RelatedInformation{
				{Pos: added.Pos(), Message: "raises the counter"},
				{Pos: gs.Pos(), Message: "starts the only caller of Done, after the Wait"},
			}}, true
	}
	return none, false
}

func positive(info *types.Info, add *ast.CallExpr) bool {
	if len(add.Args) != 1 {
		return false
	}
	tv := info.Types[add.Args[0]]
	return tv.Value != nil && constant.Sign(tv.Value) > 0
}

// calleeOf is the function or method a call names statically, or nil.
func calleeOf(info *types.Info, call *ast.CallExpr) *types.Func {
	switch fun := ast.Unparen(call.Fun).(type) {
	case *ast.Ident:
		fn, _ := info.Uses[fun].(*types.Func)
		return fn
	case *ast.SelectorExpr:
		if s, ok := info.Selections[fun]; ok && s.Kind() != types.MethodVal {
			return nil
		}
		fn, _ := info.Uses[fun.Sel].(*types.Func)
		if fn != nil {
			if sig, ok := fn.Type().(*types.Signature); ok && sig.Recv() != nil {
				if _, iface := sig.Recv().Type().Underlying().(*types.Interface); iface {
					return nil
				}
			}
		}
		return fn
	}
	return nil
}

// namedOnce reports whether the package names fn once (the model's
// CallsOf: its calls and its other mentions): the go statement is its only
// use.
func namedOnce(pkg *model.Package, fn *types.Func) bool {
	calls, other := pkg.CallsOf(fn)
	return len(calls)+other == 1
}

// sameInstance reports whether the Add at ax in fd, called by call, adds
// to the WaitGroup x names at the Wait: the same local or package
// variable, or the same field of the receiver the call passes
// (p.submit() adding to its receiver's wg, waited on as p.wg).
func sameInstance(info *types.Info, call *ast.CallExpr, fd *ast.FuncDecl, ax, x ast.Expr) bool {
	axSel, ok1 := ast.Unparen(ax).(*ast.SelectorExpr)
	xSel, ok2 := ast.Unparen(x).(*ast.SelectorExpr)
	if !ok1 && !ok2 {
		return true // the same variable object, not a field
	}
	if !ok1 || !ok2 || axSel.Sel.Name != xSel.Sel.Name {
		return false
	}
	recvID, ok := ast.Unparen(axSel.X).(*ast.Ident)
	if !ok || fd.Recv == nil || len(fd.Recv.List) != 1 || len(fd.Recv.List[0].Names) != 1 || info.Uses[recvID] != info.Defs[fd.Recv.List[0].Names[0]] {
		return false
	}
	callSel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	return ok && types.ExprString(callSel.X) == types.ExprString(xSel.X)
}

// addsOnReturn reports whether every run of fd that returns to its caller
// has run the Add statement add first (the model's RunReach): a return
// before it, or a panic the helper may recover from, leaves the counter as
// it was. A path ending in os.Exit, log.Fatal or runtime.Goexit is not
// counted: the caller's Wait after the call is then never reached (run:
// a helper `if bad { os.Exit(3) }; wg.Add(1)` exits with status 3 when bad,
// and otherwise the Wait deadlocks: "all goroutines are asleep").
func addsOnReturn(wgs *wgCalls, fd *ast.FuncDecl, add ast.Stmt) bool {
	m, f := wgs.funcOf(fd.Body)
	if f == nil {
		return false
	}
	returns := func(e *model.Exit) bool {
		return e.Kind == model.ExitReturn || e.Kind == model.ExitEnd || e.Kind == model.ExitPanic
	}
	return m.RunReach(f, add, returns) == model.ReachAlways
}
