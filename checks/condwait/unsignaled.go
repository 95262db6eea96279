package condwait

import (
	"go/ast"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/golens/golens/checks/modelpass"
)

// A Wait on a Cond that nothing signals: the model proves, over the whole
// package (model.Package.UnsignaledConds), that no code signals or
// broadcasts it and that it reaches no code that could. Only the
// package's test variant sees every file (code in a _test.go file could
// signal an unexported field), so the rule runs only on a pass that holds
// test files.
func unsignaledWaits(pass *analysis.Pass) {
	res := pass.ResultOf[modelpass.Analyzer].(*modelpass.Result)
	withTests := false
	for _, f := range pass.Files {
		withTests = withTests || strings.HasSuffix(pass.Fset.Position(f.FileStart).Filename, "_test.go")
	}
	if !withTests {
		return
	}
	never := res.Package.UnsignaledConds()
	if len(never) == 0 {
		return
	}
	for _, m := range res.Order {
		for _, w := range m.CondWaits() {
			o := condObj(pass.TypesInfo, w.Call.Fun.(*ast.SelectorExpr).X)
			if o == nil || !never[o] {
				continue
			}
			pass.Report(analysis.Diagnostic{Pos: w.Call.Pos(), End: w.Call.End(), Category: name,
				Message: message("unsignaled", map[string]any{"Cond": w.Recv})})
		}
	}
}

// condObj is the variable or field (its generic origin) a Cond expression
// names.
func condObj(info *types.Info, e ast.Expr) types.Object {
	o := objOf(info, e)
	if v, ok := o.(*types.Var); ok {
		return v.Origin()
	}
	return o
}
