package wgmisuse

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/astutil"

	"github.com/golens/golens/checks/internal/chanutil"
	"github.com/golens/golens/checks/modelpass"
	"github.com/golens/golens/model"
)

// A Done skipped on some path: the goroutine calls wg.Done() at the end of
// its body, and an earlier return leaves without it. The counter then
// never reaches zero and wg.Wait() blocks forever.

func skippedDones(pass *analysis.Pass) []analysis.Diagnostic {
	info := pass.TypesInfo
	wgs := newWGCalls(pass)
	// WaitGroups something waits on (the model's WaitGroup operations).
	waited := map[types.Object]token.Pos{}
	anyWait := token.NoPos
	for _, m := range wgs.models {
		for _, w := range m.WaitGroups {
			x, ok := wgCall(wgs, w.Call, "Wait")
			if !ok {
				continue
			}
			if o := objOf(info, x); o != nil {
				waited[o] = w.Call.Pos()
			}
			if anyWait == token.NoPos {
				anyWait = w.Call.Pos()
			}
		}
	}
	if len(waited) == 0 {
		return nil
	}
	// Bodies run as goroutines (the model's Goroutines): go func() {...}()
	// and go f() for a function of the package.
	pkg := pass.ResultOf[modelpass.Analyzer].(*modelpass.Result).Package
	declOf := func(id *ast.Ident) *ast.FuncDecl {
		fn, _ := info.Uses[id].(*types.Func)
		return pkg.FuncDecl(fn) // the model's index of the package's declarations
	}
	var bodies []*ast.BlockStmt
	seen := map[*ast.BlockStmt]bool{}
	for _, m := range wgs.models {
		for _, g := range m.Goroutines {
			var body *ast.BlockStmt
			switch fn := ast.Unparen(g.Node.Call.Fun).(type) {
			case *ast.FuncLit:
				body = fn.Body
			case *ast.Ident:
				if fd := declOf(fn); fd != nil {
					body = fd.Body
				}
			case *ast.SelectorExpr:
				if fd := declOf(fn.Sel); fd != nil {
					body = fd.Body
				}
			}
			if body != nil && !seen[body] {
				seen[body] = true
				bodies = append(bodies, body)
			}
		}
	}
	var out []analysis.Diagnostic
	for _, body := range bodies {
		if d, ok := skippedDone(pass, wgs, body, waited, anyWait); ok {
			out = append(out, d)
		}
	}
	return out
}

// wgCalls indexes the package's WaitGroup method calls as the model
// records them (model.File.WaitGroups): the one answer to "is this a
// WaitGroup's Done", which hover, hints and the other wgmisuse rules read
// too.
type wgCalls struct {
	info   *types.Info
	ops    map[*ast.CallExpr]*model.WaitGroupOp
	models []*model.File
}

func newWGCalls(pass *analysis.Pass) *wgCalls {
	w := &wgCalls{info: pass.TypesInfo, ops: map[*ast.CallExpr]*model.WaitGroupOp{}}
	w.models = pass.ResultOf[modelpass.Analyzer].(*modelpass.Result).Order
	for _, m := range w.models {
		for _, op := range m.WaitGroups {
			w.ops[op.Call] = op
		}
	}
	return w
}

// wgCall matches x.Name() on a sync.WaitGroup and returns x.
func wgCall(w *wgCalls, call *ast.CallExpr, name string) (ast.Expr, bool) {
	op := w.ops[call]
	if op == nil || op.Kind.String() != name {
		return nil, false
	}
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return nil, false
	}
	return sel.X, true
}

func skippedDone(pass *analysis.Pass, wgs *wgCalls, body *ast.BlockStmt, waited map[types.Object]token.Pos, anyWait token.Pos) (analysis.Diagnostic, bool) {
	info := pass.TypesInfo
	// The Done: a statement of the body itself, not deferred.
	var done *ast.ExprStmt
	var wg ast.Expr
	for _, st := range body.List {
		if es, ok := st.(*ast.ExprStmt); ok {
			if call, ok := ast.Unparen(es.X).(*ast.CallExpr); ok {
				if x, ok := wgCall(wgs, call, "Done"); ok {
					done, wg = es, x
					break
				}
			}
		}
	}
	if done == nil {
		return analysis.Diagnostic{}, false
	}
	obj := objOf(info, wg)
	if obj == nil {
		return analysis.Diagnostic{}, false
	}
	waitPos, ok := waited[obj]
	if !ok {
		if v, isVar := obj.(*types.Var); isVar && !v.IsField() && v.Parent() != nil && v.Parent() != pass.Pkg.Scope() && isPointer(v.Type()) {
			waitPos = anyWait // a *WaitGroup parameter: the caller's Wait
		} else {
			return analysis.Diagnostic{}, false
		}
	}
	// Any other Done of the same WaitGroup in the function (deferred, or
	// on the early path) makes the paths hard to count: leave it.
	m, fn := wgs.funcOf(body)
	if fn == nil {
		return analysis.Diagnostic{}, false
	}
	others := 0
	for _, w := range m.WaitGroups {
		if x, ok := wgCall(wgs, w.Call, "Done"); ok && w.Func == fn && objOf(info, x) == obj {
			others++
		}
	}
	if others != 1 {
		return analysis.Diagnostic{}, false
	}
	// The first return at which a run of the function ends without having
	// run the Done: the model's ExitsBefore.
	ret := firstReturnBefore(m, fn, done)
	if ret == nil || helperDone(wgs, body, ret.Pos(), obj) {
		return analysis.Diagnostic{}, false
	}
	wgText := types.ExprString(wg)
	d := analysis.Diagnostic{Pos: ret.Pos(), End: ret.End(), Category: name,
		Message: fmt.Sprintf("this return skips %s.Done() (%s): the WaitGroup's counter never reaches zero and %s.Wait() (%s) blocks forever; defer %s.Done() at the start of the goroutine",
			wgText, chanutil.Where(pass.Fset, done.Pos(), ret.Pos()), wgText, chanutil.Where(pass.Fset, waitPos, ret.Pos()), wgText),
		Related: []analysis.RelatedInformation{
			{Pos: done.Pos(), Message: "the Done this path skips"},
			{Pos: waitPos, Message: "the Wait that blocks"},
		},
	}
	if fix, ok := deferDoneFix(pass, body, done); ok {
		d.SuggestedFixes = []analysis.SuggestedFix{fix}
	}
	return d, true
}

// deferDoneFix moves the Done to a defer at the top of the body.
func deferDoneFix(pass *analysis.Pass, body *ast.BlockStmt, done *ast.ExprStmt) (analysis.SuggestedFix, bool) {
	var b bytes.Buffer
	if err := format.Node(&b, pass.Fset, done.X); err != nil {
		return analysis.SuggestedFix{}, false
	}
	tf := pass.Fset.File(done.Pos())
	if tf == nil || len(body.List) == 0 {
		return analysis.SuggestedFix{}, false
	}
	first := body.List[0]
	// Indent like the first statement; delete the Done's whole line.
	src, err := pass.ReadFile(tf.Name())
	if err != nil {
		return analysis.SuggestedFix{}, false
	}
	off := tf.Offset(first.Pos())
	lineStart := off
	for lineStart > 0 && src[lineStart-1] != '\n' {
		lineStart--
	}
	indent := string(src[lineStart:off])
	for _, r := range indent {
		if r != ' ' && r != '\t' {
			return analysis.SuggestedFix{}, false // not alone on its line
		}
	}
	ds, de := tf.Offset(done.Pos()), tf.Offset(done.End())
	for ds > 0 && (src[ds-1] == ' ' || src[ds-1] == '\t') {
		ds--
	}
	if ds > 0 && src[ds-1] != '\n' || de < len(src) && src[de] != '\n' {
		return analysis.SuggestedFix{}, false
	}
	return analysis.SuggestedFix{
		Message: "Defer the Done at the start of the goroutine",
		TextEdits: []analysis.TextEdit{
			{Pos: first.Pos(), End: first.Pos(), NewText: []byte("defer " + b.String() + "\n" + indent)},
			{Pos: tf.Pos(ds), End: tf.Pos(de + 1), NewText: nil},
		},
	}, true
}

// helperDone: a function of the package called before pos calls Done on
// the same WaitGroup (s.fail() may count the goroutine out), directly or
// through its own calls, on some path or every path: the model's
// summaries say so (model.File.EffectsThroughCalls), for callees of this
// file and of the package's other files alike.
func helperDone(wgs *wgCalls, body *ast.BlockStmt, pos token.Pos, obj types.Object) bool {
	m, fn := wgs.funcOf(body)
	if fn == nil {
		return true // not modelled: stay silent
	}
	if v, ok := obj.(*types.Var); ok && v.IsField() {
		obj = v.Origin()
	}
	s := m.SummaryOf(fn)
	for _, e := range m.EffectsThroughCalls(fn, pos, wgs.models) {
		if e.Kind == model.EffDone && s.TargetObject(e.Target) == obj {
			return true
		}
	}
	return false
}

// fileOf is the model of the file holding pos, or nil.
func (w *wgCalls) fileOf(pos token.Pos) *model.File {
	for _, m := range w.models {
		if pos >= m.AST.Pos() && pos < m.AST.FileEnd {
			return m
		}
	}
	return nil
}

// funcOf is the model of the file holding body and the function whose
// body it is.
func (w *wgCalls) funcOf(body *ast.BlockStmt) (*model.File, *model.Func) {
	for _, m := range w.models {
		if body.Pos() < m.AST.Pos() || body.Pos() >= m.AST.FileEnd {
			continue
		}
		for _, f := range m.Funcs {
			if f.Body == body {
				return m, f
			}
		}
	}
	return nil, nil
}

// firstReturnBefore is the first return statement, in source order, at
// which a call of f ends without having run the statement done (the
// model's ExitsBefore; a return of a function literal inside f is the
// literal's own).
func firstReturnBefore(m *model.File, f *model.Func, done ast.Stmt) *ast.ReturnStmt {
	for _, e := range m.ExitsBefore(f, done) {
		if e.Kind != model.ExitReturn {
			continue
		}
		path, _ := astutil.PathEnclosingInterval(m.AST, e.Pos, e.Pos)
		if len(path) > 0 {
			if r, ok := path[0].(*ast.ReturnStmt); ok {
				return r
			}
		}
	}
	return nil
}
