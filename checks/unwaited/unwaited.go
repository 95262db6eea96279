package unwaited

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"go/version"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/golens/golens/checks"
	"github.com/golens/golens/checks/internal/chanutil"
	"github.com/golens/golens/checks/modelpass"
	"github.com/golens/golens/model"
)

const name = "unwaited"

// Analyzer reports goroutines that main or a test leaves running when it
// returns, with nothing waiting for them, and time.Sleep used as the way to
// wait for goroutines.
var Analyzer = &analysis.Analyzer{
	Name:     name,
	Doc:      doc,
	URL:      checks.DocURL(name),
	Requires: []*analysis.Analyzer{modelpass.Analyzer},
	Run:      run,
}

const doc = `report goroutines that main or a test does not wait for

When main returns the program exits, and goroutines still running are
stopped in the middle of their work; a test that returns while its
goroutines run lets them outlive it. time.Sleep is not a way to wait: the
goroutine may need longer. The check reports main and TestXxx functions that
start goroutines and then return, or only sleep, with nothing that waits for
them: no channel receive, select, WaitGroup, lock, deferred call, cleanup,
or call that may block. Wait with a sync.WaitGroup instead.`

func run(pass *analysis.Pass) (any, error) {
	useGo := false
	v := ""
	if pass.Module != nil && pass.Module.GoVersion != "" {
		v = "go" + pass.Module.GoVersion
	} else if pass.Pkg != nil {
		v = pass.Pkg.GoVersion()
	}
	if version.IsValid(v) && version.Compare(v, "go1.25") >= 0 {
		useGo = true
	}
	return modelpass.Report(pass, func(m *model.File) []analysis.Diagnostic { return check(m, useGo) })
}

// Syntax runs the check on a syntax-tier model. Without the module's Go
// version its fix uses wg.Add and wg.Done, which work in every version.
func Syntax(m *model.File) []analysis.Diagnostic { return check(m, false) }

func check(m *model.File, useGo bool) []analysis.Diagnostic {
	if len(m.Goroutines) == 0 {
		return nil
	}
	isTest := strings.HasSuffix(m.Fset.Position(m.AST.Pos()).Filename, "_test.go")
	var out []analysis.Diagnostic
	for _, decl := range m.AST.Decls {
		fd, ok := decl.(*ast.FuncDecl)
		if !ok || fd.Body == nil || fd.Recv != nil {
			continue
		}
		what := ""
		switch {
		case fd.Name.Name == "main" && m.AST.Name.Name == "main" && fd.Type.Params.NumFields() == 0:
			what = "main"
		case isTest && isTestFunc(fd):
			what = fd.Name.Name
		default:
			continue
		}
		var f *model.Func
		for _, mf := range m.Funcs {
			if mf.Pos == fd.Pos() && !mf.Lit {
				f = mf
			}
		}
		if f == nil {
			continue
		}
		if d, ok := checkFunc(m, f, fd, what, useGo); ok {
			out = append(out, d)
		}
	}
	return out
}

func isTestFunc(fd *ast.FuncDecl) bool {
	n := fd.Name.Name
	if !strings.HasPrefix(n, "Test") || n == "TestMain" {
		return false
	}
	if len(n) > 4 {
		r := n[4]
		if 'a' <= r && r <= 'z' {
			return false
		}
	}
	ps := fd.Type.Params.List
	if len(ps) != 1 || len(ps[0].Names) != 1 {
		return false
	}
	star, ok := ps[0].Type.(*ast.StarExpr)
	if !ok {
		return false
	}
	sel, ok := star.X.(*ast.SelectorExpr)
	return ok && sel.Sel.Name == "T"
}

// checkFunc looks at the goroutines started directly by f. It reports
// only goroutines the model proves nothing in f waits for
// (GoWait.Nothing, which the go hover and the goroutine hint's tooltip
// read for their "Nothing in main waits for it"), and only when f returns soon after starting them: it
// does not block on a channel, a select, a WaitGroup or a deferred call,
// loop forever, or call anything that could wait or block.
func checkFunc(m *model.File, f *model.Func, fd *ast.FuncDecl, what string, useGo bool) (analysis.Diagnostic, bool) {
	var gs []*model.Goroutine
	for _, g := range m.Goroutines {
		if g.Func == f {
			if !g.Wait().Nothing() {
				return analysis.Diagnostic{}, false // waited for, or golens cannot tell
			}
			gs = append(gs, g)
		}
	}
	if len(gs) == 0 {
		return analysis.Diagnostic{}, false
	}
	// f blocks on something else before it returns: it may never return,
	// or return only once the goroutines are done for reasons golens does
	// not follow (a signal, a stop channel, a server's shutdown).
	for _, op := range m.ChanOps {
		if op.Func == f {
			return analysis.Diagnostic{}, false
		}
	}
	for _, s := range m.Selects {
		if s.Func == f {
			return analysis.Diagnostic{}, false
		}
	}
	for _, w := range m.WaitGroups {
		if w.Func == f {
			return analysis.Diagnostic{}, false
		}
	}
	if len(f.Defers) > 0 {
		return analysis.Diagnostic{}, false
	}
	// The statements from the one that starts the first goroutine on:
	// every call there must be one that cannot wait for the goroutines.
	first := gs[0]
	start := -1
	for i, st := range fd.Body.List {
		if st.Pos() <= first.Pos && first.Pos < st.End() {
			start = i
			break
		}
	}
	if start < 0 {
		return analysis.Diagnostic{}, false
	}
	testParam := ""
	if what != "main" {
		testParam = fd.Type.Params.List[0].Names[0].Name
	}
	var sleeps []*ast.ExprStmt
	ok := true
	hasReturn := false
	for _, st := range fd.Body.List[start:] {
		ast.Inspect(st, func(n ast.Node) bool {
			if !ok {
				return false
			}
			switch n := n.(type) {
			case *ast.FuncLit:
				return false // goroutine bodies, or closures called below (unknown calls)
			case *ast.GoStmt:
				// Arguments are evaluated here; they rarely wait.
				for _, a := range n.Call.Args {
					ast.Inspect(a, func(n ast.Node) bool {
						if c, isCall := n.(*ast.CallExpr); isCall && !harmless(m, c, testParam) {
							ok = false
						}
						return ok
					})
				}
				return false
			case *ast.ForStmt:
				if n.Cond == nil {
					ok = false // runs until the program ends
				}
			case *ast.ReturnStmt:
				hasReturn = true
			case *ast.ExprStmt:
				if call, isCall := n.X.(*ast.CallExpr); isCall && isPkgCall(m, call, "time", "Sleep") {
					if top(fd, n) {
						sleeps = append(sleeps, n)
					} else {
						ok = false // a polling loop: it waits for something
					}
					return false
				}
			case *ast.CallExpr:
				if !harmless(m, n, testParam) && !freeLock(m, f, n) {
					ok = false
				}
			}
			return ok
		})
		if !ok {
			return analysis.Diagnostic{}, false
		}
	}
	if what != "main" && len(sleeps) == 0 && !usesParam(gs, testParam) {
		// A test that starts goroutines and returns usually means to: they
		// die with the test binary. It is a bug when they use the test's
		// *T after it has completed (that panics), or when a time.Sleep
		// stands in for waiting on their results.
		return analysis.Diagnostic{}, false
	}
	var d analysis.Diagnostic
	who := what
	if what != "main" {
		who = "test " + what
	}
	goroutines, they, them := "the goroutine", "it", "it"
	if len(gs) > 1 || gs[0].InLoop {
		goroutines, they, them = "the goroutines", "they", "them"
	}
	consequence := "the program may exit before " + they + " finish"
	if what != "main" {
		consequence = they + " may outlive the test"
		if usesParam(gs, testParam) {
			consequence += " (a t.Log or t.Error after the test has completed panics)"
		}
	}
	if len(gs) == 1 && !gs[0].InLoop {
		consequence = strings.Replace(consequence, " finish", " finishes", 1)
	}
	if len(sleeps) > 0 {
		sl := sleeps[len(sleeps)-1]
		d = analysis.Diagnostic{
			Pos:      sl.Pos(),
			End:      sl.End(),
			Category: name,
			Message: fmt.Sprintf("time.Sleep is the only wait for %s started on line %d: %s may still be running (or not have started) when %s returns",
				goroutines, chanutil.LineOf(m, first.Pos), they, who),
		}
	} else {
		d = analysis.Diagnostic{
			Pos:      first.Pos,
			End:      first.Pos + 2,
			Category: name,
			Message:  fmt.Sprintf("%s returns without waiting for %s it starts here: nothing waits for %s, so %s", who, goroutines, them, consequence),
		}
	}
	for _, g := range gs {
		d.Related = append(d.Related, analysis.RelatedInformation{Pos: g.Pos, End: g.Pos + 2, Message: "goroutine started here"})
	}
	if !hasReturn && len(sleeps) <= 1 {
		if fix, ok := wgFix(m, fd, gs, sleeps, useGo); ok {
			d.SuggestedFixes = []analysis.SuggestedFix{fix}
		}
	}
	return d, true
}

// top reports whether st is a statement of fd's body itself.
func top(fd *ast.FuncDecl, st ast.Stmt) bool {
	for _, s := range fd.Body.List {
		if s == st {
			return true
		}
	}
	return false
}

// pkgOf returns the import path of the package x names, or "".
func pkgOf(m *model.File, x ast.Expr) string {
	id, ok := ast.Unparen(x).(*ast.Ident)
	if !ok {
		return ""
	}
	if m.Info != nil {
		if pn, ok := m.Info.Uses[id].(*types.PkgName); ok {
			return pn.Imported().Path()
		}
		return ""
	}
	if id.Obj != nil {
		return ""
	}
	for _, imp := range m.AST.Imports {
		path, err := strconv.Unquote(imp.Path.Value)
		if err != nil {
			continue
		}
		local := path[strings.LastIndex(path, "/")+1:]
		if imp.Name != nil {
			local = imp.Name.Name
		}
		if local == id.Name {
			return path
		}
	}
	return ""
}

func isPkgCall(m *model.File, call *ast.CallExpr, path, fn string) bool {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	return ok && sel.Sel.Name == fn && pkgOf(m, sel.X) == path
}

var harmlessBuiltins = map[string]bool{
	"len": true, "cap": true, "append": true, "copy": true, "delete": true, "print": true, "println": true,
	"min": true, "max": true, "new": true, "make": true, "clear": true, "complex": true, "real": true, "imag": true,
}

var basicTypes = map[string]bool{
	"int": true, "int8": true, "int16": true, "int32": true, "int64": true, "uint": true, "uint8": true,
	"uint16": true, "uint32": true, "uint64": true, "uintptr": true, "float32": true, "float64": true,
	"string": true, "byte": true, "rune": true, "bool": true, "any": true, "error": true,
}

// harmless reports whether call cannot wait for another goroutine: printing,
// formatting, string and number helpers, conversions, t.Log.
func harmless(m *model.File, call *ast.CallExpr, testParam string) bool {
	switch fun := ast.Unparen(call.Fun).(type) {
	case *ast.Ident:
		for name := range harmlessBuiltins {
			if chanutil.IsBuiltin(m, fun, name) {
				return true
			}
		}
		if m.Info != nil {
			if tv, ok := m.Info.Types[fun]; ok && tv.IsType() {
				return true
			}
			return false
		}
		return fun.Obj == nil && basicTypes[fun.Name]
	case *ast.SelectorExpr:
		switch pkgOf(m, fun.X) {
		case "fmt":
			switch fun.Sel.Name {
			case "Print", "Printf", "Println", "Sprint", "Sprintf", "Sprintln", "Errorf":
				return true
			}
		case "log":
			switch fun.Sel.Name {
			case "Print", "Printf", "Println":
				return true
			}
		case "strings", "strconv", "math", "errors", "unicode", "unicode/utf8", "math/rand", "math/rand/v2":
			return true
		case "time":
			switch fun.Sel.Name {
			case "Now", "Since", "Duration", "Unix", "Date":
				return true
			}
		}
		if id, ok := fun.X.(*ast.Ident); ok && testParam != "" && id.Name == testParam {
			switch fun.Sel.Name {
			case "Log", "Logf", "Helper", "Name", "Error", "Errorf", "Fail":
				return true
			}
			// t.Fatal, t.FailNow, t.Skip...: they end the test's
			// goroutine (runtime.Goexit, as the model's exit classifier
			// says) and wait for nothing.
			if k, ok := m.ExitCall(call); ok && k == model.ExitGoexit {
				return true
			}
		}
	}
	return false
}

// ---- the fix ----

// wgFix waits for every goroutine with a sync.WaitGroup.
func wgFix(m *model.File, fd *ast.FuncDecl, gs []*model.Goroutine, sleeps []*ast.ExprStmt, useGo bool) (analysis.SuggestedFix, bool) {
	if m.Src == nil || usesName(fd, "wg") {
		return analysis.SuggestedFix{}, false
	}
	var edits []analysis.TextEdit
	// var wg sync.WaitGroup before the statement that starts the first
	// goroutine.
	var firstTop ast.Stmt
	for _, st := range fd.Body.List {
		if st.Pos() <= gs[0].Pos && gs[0].Pos < st.End() {
			firstTop = st
		}
	}
	ind, ok := chanutil.IndentOf(m, firstTop.Pos())
	if !ok {
		return analysis.SuggestedFix{}, false
	}
	edits = append(edits, analysis.TextEdit{Pos: firstTop.Pos(), End: firstTop.Pos(), NewText: []byte("var wg sync.WaitGroup\n" + ind)})
	for _, g := range gs {
		e, ok := goEdits(m, g, useGo)
		if !ok {
			return analysis.SuggestedFix{}, false
		}
		edits = append(edits, e...)
	}
	removeTime := false
	if len(sleeps) == 1 {
		sl := sleeps[0]
		edits = append(edits, analysis.TextEdit{Pos: sl.Pos(), End: sl.End(), NewText: []byte("wg.Wait()")})
		removeTime = pkgUses(m, "time") == 1
	} else {
		// wg.Wait() as the last statement of the function.
		rb := fd.Body.Rbrace
		if _, ok := chanutil.IndentOf(m, rb); !ok || len(fd.Body.List) == 0 {
			return analysis.SuggestedFix{}, false
		}
		inner, ok := chanutil.IndentOf(m, fd.Body.List[0].Pos())
		if !ok {
			return analysis.SuggestedFix{}, false
		}
		line := m.Offset(rb)
		for line > 0 && m.Src[line-1] != '\n' {
			line--
		}
		edits = append(edits, analysis.TextEdit{Pos: m.Pos(line), End: m.Pos(line), NewText: []byte(inner + "wg.Wait()\n")})
	}
	imp, ok := importEdits(m, removeTime)
	if !ok {
		return analysis.SuggestedFix{}, false
	}
	edits = append(edits, imp...)
	msg := "Wait for the goroutines with a sync.WaitGroup (wg.Add, defer wg.Done, wg.Wait)"
	if useGo {
		msg = "Wait for the goroutines with a sync.WaitGroup (wg.Go, wg.Wait)"
	}
	return analysis.SuggestedFix{Message: msg, TextEdits: edits}, true
}

// goEdits turns one go statement into a goroutine the WaitGroup counts.
func goEdits(m *model.File, g *model.Goroutine, useGo bool) ([]analysis.TextEdit, bool) {
	gst := g.Node
	call := gst.Call
	ind, ok := chanutil.IndentOf(m, gst.Pos())
	if !ok {
		return nil, false
	}
	if lit, isLit := ast.Unparen(call.Fun).(*ast.FuncLit); isLit {
		if len(call.Args) > 0 || lit.Type.Params.NumFields() > 0 {
			return nil, false
		}
		if useGo {
			return []analysis.TextEdit{
				{Pos: gst.Go, End: lit.Pos(), NewText: []byte("wg.Go(")},
				{Pos: lit.End(), End: call.End(), NewText: []byte(")")},
			}, true
		}
		if len(lit.Body.List) == 0 {
			return nil, false
		}
		firstStmt := lit.Body.List[0]
		bodyInd, ok := chanutil.IndentOf(m, firstStmt.Pos())
		if !ok {
			return nil, false
		}
		return []analysis.TextEdit{
			{Pos: gst.Pos(), End: gst.Pos(), NewText: []byte("wg.Add(1)\n" + ind)},
			{Pos: firstStmt.Pos(), End: firstStmt.Pos(), NewText: []byte("defer wg.Done()\n" + bodyInd)},
		}, true
	}
	// go f(args): the arguments would be evaluated inside the new
	// closure, later; only constants and variables keep their meaning.
	for _, a := range call.Args {
		switch ast.Unparen(a).(type) {
		case *ast.BasicLit, *ast.Ident:
		default:
			return nil, false
		}
	}
	text := chanutil.NodeText(m, call)
	if text == "" || strings.Contains(text, "\n") {
		return nil, false
	}
	if useGo {
		return []analysis.TextEdit{{Pos: gst.Pos(), End: gst.End(), NewText: []byte("wg.Go(func() { " + text + " })")}}, true
	}
	return []analysis.TextEdit{
		{Pos: gst.Pos(), End: gst.End(), NewText: []byte("wg.Add(1)\n" + ind + "go func() {\n" + ind + "\tdefer wg.Done()\n" + ind + "\t" + text + "\n" + ind + "}()")},
	}, true
}

// usesName reports whether name is declared or used anywhere in fd.
func usesName(fd *ast.FuncDecl, name string) bool {
	found := false
	ast.Inspect(fd, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && id.Name == name {
			found = true
		}
		return !found
	})
	return found
}

// pkgUses counts the references to the package imported as path.
func pkgUses(m *model.File, path string) int {
	n := 0
	ast.Inspect(m.AST, func(x ast.Node) bool {
		if sel, ok := x.(*ast.SelectorExpr); ok && pkgOf(m, sel.X) == path {
			n++
		}
		return true
	})
	return n
}

// importEdits adds "sync" to the imports (and removes "time" when the
// Sleep was its only use), keeping each import group sorted as gofmt does.
func importEdits(m *model.File, removeTime bool) ([]analysis.TextEdit, bool) {
	hasSync := false
	for _, imp := range m.AST.Imports {
		if imp.Path.Value == `"sync"` {
			if imp.Name != nil {
				return nil, false
			}
			hasSync = true
		}
	}
	if hasSync && !removeTime {
		return nil, true
	}
	var decl *ast.GenDecl
	for _, d := range m.AST.Decls {
		if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.IMPORT {
			if decl != nil {
				return nil, false // several import declarations: leave it to goimports
			}
			decl = gd
		}
	}
	if decl == nil {
		if removeTime {
			return nil, false
		}
		return []analysis.TextEdit{{Pos: m.AST.Name.End(), End: m.AST.Name.End(), NewText: []byte("\n\nimport \"sync\"")}}, true
	}
	for _, c := range m.AST.Comments {
		if c.Pos() >= decl.Pos() && c.End() <= decl.End() {
			return nil, false
		}
	}
	type spec struct {
		path, text string
	}
	var specs []spec
	var groups [][]*ast.ImportSpec
	prevLine := -10
	for _, s := range decl.Specs {
		is := s.(*ast.ImportSpec)
		line := chanutil.LineOf(m, is.Pos())
		if line != prevLine+1 || len(groups) == 0 {
			groups = append(groups, nil)
		}
		groups[len(groups)-1] = append(groups[len(groups)-1], is)
		prevLine = chanutil.LineOf(m, is.End())
	}
	// The group to rewrite: the one holding "time" when it goes, else the
	// first one.
	target, found := 0, false
	for i, g := range groups {
		for _, is := range g {
			if removeTime && is.Path.Value == `"time"` {
				if is.Name != nil {
					return nil, false
				}
				target, found = i, true
			}
		}
	}
	if removeTime && !found {
		return nil, false
	}
	for _, is := range groups[target] {
		if removeTime && is.Path.Value == `"time"` {
			continue
		}
		specs = append(specs, spec{is.Path.Value, m.Text(is.Pos(), is.End())})
	}
	if !hasSync {
		specs = append(specs, spec{`"sync"`, `"sync"`})
	}
	sort.SliceStable(specs, func(i, j int) bool { return specs[i].path < specs[j].path })
	g := groups[target]
	from, to := g[0].Pos(), g[len(g)-1].End()
	if !decl.Lparen.IsValid() {
		// import "x"
		from, to = decl.Pos(), decl.End()
		switch len(specs) {
		case 0:
			return nil, false
		case 1:
			return []analysis.TextEdit{{Pos: from, End: to, NewText: []byte("import " + specs[0].text)}}, true
		}
		var b strings.Builder
		b.WriteString("import (\n")
		for _, s := range specs {
			b.WriteString("\t" + s.text + "\n")
		}
		b.WriteString(")")
		return []analysis.TextEdit{{Pos: from, End: to, NewText: []byte(b.String())}}, true
	}
	if len(specs) == 0 {
		return nil, false
	}
	ind, ok := chanutil.IndentOf(m, from)
	if !ok {
		return nil, false
	}
	texts := make([]string, len(specs))
	for i, s := range specs {
		texts[i] = s.text
	}
	return []analysis.TextEdit{{Pos: from, End: to, NewText: []byte(strings.Join(texts, "\n"+ind))}}, true
}

// usesParam reports whether a goroutine literal refers to the test's *T.
func usesParam(gs []*model.Goroutine, param string) bool {
	for _, g := range gs {
		for _, c := range g.Captures {
			if c.Name == param {
				return true
			}
		}
	}
	return false
}

// freeLock reports whether call is an Unlock of a mutex (it never blocks),
// or a Lock of one that nothing can hold when f reaches it: the model's
// lock op, the first lock of that mutex in f, and no other function of the
// file locks it. The goroutines f starts do not lock it either: the model
// does not prove a goroutine unwaited when it locks or unlocks a mutex
// its starting function locks after the go statement (Goroutine.Waited).
// Nor does f itself hold it there: the lock flow the hover reads
// (LockOp.Flow) follows f's paths and finds none that reaches the Lock
// holding it (Relock), and no loop that comes round to it again with it
// held (a leak whose Relock it is). A Lock f reaches holding the mutex
// waits forever (a run of truth/testdata/r8_unwaited_main_relocks.txtar:
// "all goroutines are asleep"), so f never returns.
func freeLock(m *model.File, f *model.Func, call *ast.CallExpr) bool {
	var op *model.LockOp
	for _, l := range m.Locks {
		if l.Call == call && l.Func == f && !l.Deferred {
			op = l
		}
	}
	if op == nil {
		return false
	}
	switch op.Kind {
	case model.Unlock, model.RUnlock:
		return true
	}
	for _, l := range m.Locks {
		if l == op || l.Key != op.Key {
			continue
		}
		switch l.Kind {
		case model.Unlock, model.RUnlock:
			continue
		}
		if l.Func != f || l.Pos < op.Pos {
			return false
		}
	}
	return notHeldByItsFunc(op)
}

// notHeldByItsFunc reports whether the lock flow of op's function proves
// that no path reaches op holding its mutex, on a first pass or on a loop's
// next one.
func notHeldByItsFunc(op *model.LockOp) bool {
	fl := op.Flow()
	if fl == nil || !fl.Known || fl.Relock != nil {
		return false
	}
	for _, lk := range fl.Leaks {
		if lk.Relock != nil {
			return false
		}
	}
	return true
}
