package timeoutleak

import (
	"go/ast"
	"go/token"

	"github.com/golens/golens/checks/internal/chanutil"
	"github.com/golens/golens/model"
)

// testStops are the methods of testing.T, B and F that end the calling
// goroutine through runtime.Goexit (go doc testing.T.SkipNow) while the
// test passes as skipped. Fatal and FailNow end it too, but on a path the
// test already reports as failed: like a give-up case that fails the test
// (failsOnGiveUp), a leak there is not reported.
var testStops = map[string]bool{"Skip": true, "Skipf": true, "SkipNow": true}

// stopsGoroutine reports a call that ends f's goroutine without ending the
// program or failing: t.Skip (Skipf, SkipNow) on f's *testing.T, B or F
// parameter, or runtime.Goexit. Deferred calls still run.
func stopsGoroutine(f *model.Func, call *ast.CallExpr) bool {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return false
	}
	x, ok := sel.X.(*ast.Ident)
	if !ok {
		return false
	}
	if x.Name == "runtime" && sel.Sel.Name == "Goexit" {
		return true
	}
	if !testStops[sel.Sel.Name] {
		return false
	}
	for fn := f; fn != nil; fn = fn.Parent {
		if fn.Type == nil || fn.Type.Params == nil {
			continue
		}
		for _, p := range fn.Type.Params.List {
			if !isTestingType(p.Type) {
				continue
			}
			for _, n := range p.Names {
				if n.Name == x.Name {
					return true
				}
			}
		}
	}
	return false
}

func isTestingType(e ast.Expr) bool {
	if st, ok := e.(*ast.StarExpr); ok {
		e = st.X
	}
	sel, ok := e.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	pkg, ok := sel.X.(*ast.Ident)
	if !ok || pkg.Name != "testing" {
		return false
	}
	switch sel.Sel.Name {
	case "T", "B", "F", "TB":
		return true
	}
	return false
}

// howEnds says how the function leaves at pos: "returns", or "stops
// (t.Skip)" for a call that ends its goroutine.
func howEnds(m *model.File, f *model.Func, pos token.Pos) string {
	path, _ := chanutil.PathEnclosingInterval(m, pos, pos+1)
	for _, n := range path {
		if call, ok := n.(*ast.CallExpr); ok && call.Pos() == pos && stopsGoroutine(f, call) {
			return "stops (" + chanutil.NodeText(m, call.Fun) + ")"
		}
	}
	return "returns"
}
