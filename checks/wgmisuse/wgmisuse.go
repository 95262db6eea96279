package wgmisuse

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/golens/golens/checks"
	"github.com/golens/golens/checks/internal/chanutil"
	"github.com/golens/golens/checks/modelpass"
	"github.com/golens/golens/model"
)

const name = "wgmisuse"

// Analyzer reports WaitGroup misuse and WaitGroups or mutexes received by
// value.
var Analyzer = &analysis.Analyzer{
	Name: name,
	Doc: "report WaitGroup.Add inside the goroutine it counts, Done without Add, and WaitGroups or mutexes received by value\n\n" +
		"Add must run before the go statement, or Wait may return early; Done on a WaitGroup " +
		"that is never Added to panics; a sync.WaitGroup, Mutex or RWMutex parameter is a copy.",
	URL:      checks.DocURL(name),
	Requires: []*analysis.Analyzer{modelpass.Analyzer, inspect.Analyzer},
	Run:      run,
}

// Message prefixes, also used by DuplicatesGopls.
const (
	msgAddInside = "wg.Add inside the goroutine it counts"
	msgByValue   = "received by value"
)

// DuplicatesGopls reports whether gopls shows the same finding by default:
// vet's waitgroup analyzer reports an Add that is the first statement of a
// go statement's function literal, and copylocks reports locks and
// WaitGroups passed by value. Done without Add is golens's own.
func DuplicatesGopls(d analysis.Diagnostic) bool {
	if d.Category != name {
		return false
	}
	return strings.Contains(d.Message, msgByValue) ||
		strings.Contains(d.Message, msgAddInside) && strings.Contains(d.Message, "(first statement)")
}

func run(pass *analysis.Pass) (any, error) {
	defer paramCache.Delete(pass)
	res := pass.ResultOf[modelpass.Analyzer].(*modelpass.Result)
	calls := callSites(pass)
	for _, m := range res.Order {
		for _, d := range addInside(m) {
			pass.Report(d)
		}
		for _, d := range byValue(m, calls) {
			pass.Report(d)
		}
	}
	for _, d := range doneWithoutAdd(pass, res) {
		pass.Report(d)
	}
	for _, d := range waitWithoutDone(pass, res) {
		pass.Report(d)
	}
	for _, d := range skippedDones(pass) { // skippeddone.go
		pass.Report(d)
	}
	for _, d := range waitsInLoop(pass, pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)) { // waitinloop.go
		pass.Report(d)
	}
	for _, d := range selfWaits(pass) { // selfwait.go
		pass.Report(d)
	}
	for _, d := range waitsBeforeGo(pass) { // waitbeforego.go
		pass.Report(d)
	}
	for _, d := range skippedGos(pass, pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)) { // skipgo.go
		pass.Report(d)
	}
	return nil, nil
}

// Syntax runs the checks that need no types: Add inside the goroutine, and
// parameters received by value (reported without a fix, since the call
// sites in other files are unknown).
func Syntax(m *model.File) []analysis.Diagnostic {
	return append(addInside(m), byValue(m, nil)...)
}

// ---- Add inside the goroutine ----

func addInside(m *model.File) []analysis.Diagnostic {
	var out []analysis.Diagnostic
	for _, w := range m.WaitGroups {
		g := w.InGo
		// The goroutine counts itself, and the Add is in its own body (not
		// in a function literal inside it): the model's CountsOwnGoroutine.
		if g == nil || w.Func != g.Body || !m.CountsOwnGoroutine(w) {
			continue
		}
		body := g.Body.Body
		idx := -1
		for i, s := range body.List {
			if es, ok := s.(*ast.ExprStmt); ok && es.X == w.Call {
				idx = i
			}
		}
		if idx < 0 {
			continue
		}
		where := ""
		if idx == 0 {
			where = " (first statement)"
		}
		d := analysis.Diagnostic{
			Pos: w.Call.Pos(), End: w.Call.End(), Category: name,
			Message: fmt.Sprintf("%s%s: %s.Wait may run before this Add and return while the goroutine still works; call %s.Add before the go statement",
				strings.Replace(msgAddInside, "wg", w.Recv, 1), where, w.Recv, w.Recv),
			Related: []analysis.RelatedInformation{{Pos: g.Pos, End: g.Pos + 2, Message: "the go statement"}},
		}
		if fix, ok := moveAdd(m, w, g, body.List[idx]); ok {
			d.SuggestedFixes = []analysis.SuggestedFix{fix}
		}
		out = append(out, d)
	}
	return out
}

// moveAdd moves the Add statement to the line before the go statement when
// its operands are all visible there.
func moveAdd(m *model.File, w *model.WaitGroupOp, g *model.Goroutine, stmt ast.Stmt) (analysis.SuggestedFix, bool) {
	if m.Src == nil {
		return analysis.SuggestedFix{}, false
	}
	lit := g.Body
	ok := true
	ast.Inspect(w.Call, func(n ast.Node) bool {
		if id, isId := n.(*ast.Ident); isId {
			if p := m.DeclPos(id); p.IsValid() && p >= lit.Pos && p < lit.End {
				ok = false
			}
		}
		return ok
	})
	if !ok {
		return analysis.SuggestedFix{}, false
	}
	from, to, ok := wholeLines(m, stmt)
	if !ok {
		return analysis.SuggestedFix{}, false
	}
	tf := m.Fset.File(g.Pos)
	goLine := tf.LineStart(m.Line(g.Pos))
	indent := m.Text(goLine, g.Pos)
	if strings.TrimSpace(indent) != "" {
		return analysis.SuggestedFix{}, false
	}
	call := m.Text(w.Call.Pos(), w.Call.End())
	return analysis.SuggestedFix{
		Message: fmt.Sprintf("Move %s before the go statement", call),
		TextEdits: []analysis.TextEdit{
			{Pos: goLine, End: goLine, NewText: []byte(indent + call + "\n")},
			{Pos: from, End: to},
		},
	}, true
}

// ---- Done without Add ----

func doneWithoutAdd(pass *analysis.Pass, res *modelpass.Result) []analysis.Diagnostic {
	info := pass.TypesInfo
	added := map[model.VarKey]bool{}
	for _, m := range res.Order {
		for _, w := range m.WaitGroups {
			if w.Kind == model.WGAdd || w.Kind == model.WGGo {
				added[w.Key] = true
			}
		}
	}
	// Uses of each WaitGroup variable other than .Done() and .Wait() (the
	// model's WaitGroupUses): any of them (an Add through a method value,
	// &wg passed somewhere) means the counter may be raised where the
	// model cannot see. Walked on first read, once per package.
	var out []analysis.Diagnostic
	for _, m := range res.Order {
		for _, w := range m.WaitGroups {
			if w.Kind != model.WGDone || added[w.Key] {
				continue
			}
			sel, ok := ast.Unparen(w.Call.Fun).(*ast.SelectorExpr)
			if !ok {
				continue
			}
			obj := objOf(info, sel.X)
			if obj == nil || !isWaitGroup(obj.Type()) || isPointer(obj.Type()) || !private(pass, obj) {
				continue
			}
			if !res.Package.WaitGroupUses()[obj].OnlyThrough("Done", "Wait") {
				continue
			}
			d := analysis.Diagnostic{
				Pos: w.Call.Pos(), End: w.Call.End(), Category: name,
				Message: fmt.Sprintf("%s.Done() but nothing in the package calls %s.Add: the counter goes negative and Done panics", w.Recv, w.Recv),
			}
			if fix, ok := addBeforeGo(m, w, obj); ok {
				d.SuggestedFixes = []analysis.SuggestedFix{fix}
			}
			out = append(out, d)
		}
	}
	return out
}

// waitWithoutDone reports a Wait on a WaitGroup of the package whose Adds
// are all positive constants and which nothing calls Done on: once an Add
// has run, the Wait blocks forever.
func waitWithoutDone(pass *analysis.Pass, res *modelpass.Result) []analysis.Diagnostic {
	info := pass.TypesInfo
	var firstAdd map[types.Object]*model.WaitGroupOp = map[types.Object]*model.WaitGroupOp{}
	done := map[types.Object]bool{}
	for _, m := range res.Order {
		for _, w := range m.WaitGroups {
			sel, ok := ast.Unparen(w.Call.Fun).(*ast.SelectorExpr)
			if !ok {
				continue
			}
			obj := objOf(info, sel.X)
			if obj == nil {
				continue
			}
			switch w.Kind {
			case model.WGDone, model.WGGo:
				done[obj] = true
			case model.WGAdd:
				if n, err := strconv.Atoi(w.Arg); err != nil || n <= 0 {
					done[obj] = true // Add(-1) or a variable: may count down
				} else if firstAdd[obj] == nil {
					firstAdd[obj] = w
				}
			}
		}
	}
	var out []analysis.Diagnostic
	for _, m := range res.Order {
		for _, w := range m.WaitGroups {
			if w.Kind != model.WGWait {
				continue
			}
			sel, ok := ast.Unparen(w.Call.Fun).(*ast.SelectorExpr)
			if !ok {
				continue
			}
			obj := objOf(info, sel.X)
			add := firstAdd[obj]
			if obj == nil || add == nil || done[obj] || !isWaitGroup(obj.Type()) || isPointer(obj.Type()) || !private(pass, obj) {
				continue
			}
			if !res.Package.WaitGroupUses()[obj].OnlyThrough("Add", "Wait") {
				continue
			}
			out = append(out, analysis.Diagnostic{
				Pos: w.Call.Pos(), End: w.Call.End(), Category: name,
				Message: fmt.Sprintf("%s.Wait() blocks forever once %s.Add has run (%s): nothing in the package calls %s.Done, so the counter never returns to zero",
					w.Recv, w.Recv, chanutil.Where(pass.Fset, add.Call.Pos(), w.Call.Pos()), w.Recv),
				Related: []analysis.RelatedInformation{{Pos: add.Call.Pos(), Message: "the counter is raised here and never lowered"}},
			})
		}
	}
	return out
}

// private reports whether obj can be reached only from this package: a
// local variable (not a parameter), or an unexported package variable or
// struct field of a type declared here.
func private(pass *analysis.Pass, obj types.Object) bool {
	v, ok := obj.(*types.Var)
	if !ok || obj.Pkg() != pass.Pkg || ast.IsExported(obj.Name()) {
		return false
	}
	if v.IsField() {
		return true
	}
	if v.Parent() == pass.Pkg.Scope() {
		return true
	}
	// A parameter (or result) is declared in a signature: the caller owns
	// the WaitGroup and may have added to it.
	return !paramDecls(pass)[obj.Pos()]
}

// paramCache holds, during one run (run deletes its entry), the positions
// of every parameter name declared in the package: private is asked
// for each WaitGroup operation, and walking every file each time was
// quadratic.
var paramCache sync.Map // *analysis.Pass → map[token.Pos]bool

func paramDecls(pass *analysis.Pass) map[token.Pos]bool {
	if v, ok := paramCache.Load(pass); ok {
		return v.(map[token.Pos]bool)
	}
	decls := map[token.Pos]bool{}
	for _, f := range pass.Files {
		ast.Inspect(f, func(n ast.Node) bool {
			if ft, ok := n.(*ast.FuncType); ok && ft.Params != nil {
				for _, fld := range ft.Params.List {
					for _, name := range fld.Names {
						decls[name.Pos()] = true
					}
				}
			}
			return true
		})
	}
	v, _ := paramCache.LoadOrStore(pass, decls)
	return v.(map[token.Pos]bool)
}

// addBeforeGo offers wg.Add(1) before the go statement whose function
// literal calls Done, when wg is a local variable in scope there.
func addBeforeGo(m *model.File, w *model.WaitGroupOp, obj types.Object) (analysis.SuggestedFix, bool) {
	g := w.InGo
	if g == nil || g.Body == nil || w.Func != g.Body || m.Src == nil {
		return analysis.SuggestedFix{}, false
	}
	v := obj.(*types.Var)
	if v.IsField() || v.Parent() == nil || !v.Parent().Contains(g.Pos) || obj.Pos() > g.Pos {
		return analysis.SuggestedFix{}, false
	}
	tf := m.Fset.File(g.Pos)
	goLine := tf.LineStart(m.Line(g.Pos))
	indent := m.Text(goLine, g.Pos)
	if strings.TrimSpace(indent) != "" {
		return analysis.SuggestedFix{}, false
	}
	return analysis.SuggestedFix{
		Message:   fmt.Sprintf("Add %s.Add(1) before the go statement", w.Recv),
		TextEdits: []analysis.TextEdit{{Pos: goLine, End: goLine, NewText: []byte(indent + w.Recv + ".Add(1)\n")}},
	}, true
}

func objOf(info *types.Info, e ast.Expr) types.Object {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		return info.Uses[e]
	case *ast.SelectorExpr:
		if s, ok := info.Selections[e]; ok && s.Kind() == types.FieldVal {
			return s.Obj()
		}
		return info.Uses[e.Sel]
	}
	return nil
}

func isWaitGroup(t types.Type) bool { return syncName(t) == "WaitGroup" }

func isPointer(t types.Type) bool {
	_, ok := t.(*types.Pointer)
	return ok
}

// syncName returns the name of a sync type, through one pointer.
func syncName(t types.Type) string {
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	if !ok || n.Obj().Pkg() == nil || n.Obj().Pkg().Path() != "sync" {
		return ""
	}
	return n.Obj().Name()
}

// ---- received by value ----

// callSites indexes the calls of the package's functions; a function also
// used as a value is marked, since its signature cannot change safely.
func callSites(pass *analysis.Pass) map[types.Object]*uses {
	out := map[types.Object]*uses{}
	in := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	in.WithStack([]ast.Node{(*ast.Ident)(nil)}, func(n ast.Node, push bool, stack []ast.Node) bool {
		if !push {
			return true
		}
		id := n.(*ast.Ident)
		fn, ok := pass.TypesInfo.Uses[id].(*types.Func)
		if !ok || fn.Pkg() != pass.Pkg {
			return true
		}
		u := out[fn]
		if u == nil {
			u = &uses{}
			out[fn] = u
		}
		i := len(stack) - 2
		if i >= 0 {
			if sel, ok := stack[i].(*ast.SelectorExpr); ok && sel.Sel == id {
				i--
			}
		}
		if i >= 0 {
			if call, ok := stack[i].(*ast.CallExpr); ok && (call.Fun == id || isSelOf(call.Fun, id)) {
				u.calls = append(u.calls, call)
				return true
			}
		}
		u.value = true
		return true
	})
	return out
}

type uses struct {
	calls []*ast.CallExpr
	value bool
}

func isSelOf(fun ast.Expr, id *ast.Ident) bool {
	sel, ok := ast.Unparen(fun).(*ast.SelectorExpr)
	return ok && sel.Sel == id
}

func byValue(m *model.File, calls map[types.Object]*uses) []analysis.Diagnostic {
	var out []analysis.Diagnostic
	for _, f := range m.Funcs {
		if f.Type == nil || f.Type.Params == nil {
			continue
		}
		for _, field := range f.Type.Params.List {
			typ := syncTypeExpr(m, field.Type)
			if typ == "" {
				continue
			}
			for _, pname := range field.Names {
				what := "locking the copy excludes nobody else"
				if typ == "WaitGroup" {
					what = copiedWaitGroupUse(f, pname.Name)
				}
				d := analysis.Diagnostic{
					Pos: field.Type.Pos(), End: field.Type.End(), Category: name,
					Message: fmt.Sprintf("%s is %s: the function gets a copy of the sync.%s, so %s; use *sync.%s",
						pname.Name, msgByValue, typ, what, typ),
				}
				d.Related = callRelated(m, f, calls)
				if fix, ok := pointerFix(m, f, field, pname, calls); ok {
					d.SuggestedFixes = []analysis.SuggestedFix{fix}
				}
				out = append(out, d)
			}
		}
	}
	return out
}

// copiedWaitGroupUse says what the function's calls on its by-value
// WaitGroup parameter name miss: a Done lowers the copy's counter, not the
// one the caller waits on; a Wait waits for the copy's counter, which
// only the copy's own Add and Done change.
func copiedWaitGroupUse(f *model.Func, name string) string {
	var add, done, wait bool
	if f.Body != nil {
		ast.Inspect(f.Body, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if id, ok := ast.Unparen(sel.X).(*ast.Ident); ok && id.Name == name {
				switch sel.Sel.Name {
				case "Add":
					add = true
				case "Done":
					done = true
				case "Wait":
					wait = true
				}
			}
			return true
		})
	}
	switch {
	case wait && !add && !done:
		return "Wait on the copy waits on the counter as it was when the function was called, which the caller's Done calls do not lower"
	case wait || add && !done:
		var used []string
		for _, u := range []struct {
			ok   bool
			name string
		}{{add, "Add"}, {done, "Done"}, {wait, "Wait"}} {
			if u.ok {
				used = append(used, u.name)
			}
		}
		return strings.Join(used, " and ") + " on the copy never reach the caller's WaitGroup"
	}
	return "Done on the copy never reaches the caller's Wait"
}

// syncTypeExpr names the sync type a parameter type expression denotes by
// value: "WaitGroup", "Mutex" or "RWMutex", or "".
func syncTypeExpr(m *model.File, t ast.Expr) string {
	if m.Info != nil {
		tv, ok := m.Info.Types[t]
		if !ok || isPointer(tv.Type) {
			return ""
		}
		switch n := syncName(tv.Type); n {
		case "WaitGroup", "Mutex", "RWMutex":
			return n
		}
		return ""
	}
	sel, ok := t.(*ast.SelectorExpr)
	if !ok {
		return ""
	}
	x, ok := sel.X.(*ast.Ident)
	if !ok || x.Obj != nil {
		return ""
	}
	imported := false
	for _, imp := range m.AST.Imports {
		if imp.Path.Value == `"sync"` && (imp.Name == nil || imp.Name.Name == x.Name) && x.Name == "sync" {
			imported = true
		}
	}
	if !imported {
		return ""
	}
	switch sel.Sel.Name {
	case "WaitGroup", "Mutex", "RWMutex":
		return sel.Sel.Name
	}
	return ""
}

// pointerFix turns the parameter into a pointer and passes &x at every call
// site in the package. It needs types (to find all call sites), a named
// function only ever called, a parameter used only as a method receiver
// inside the body, and arguments that can be addressed.
func pointerFix(m *model.File, f *model.Func, field *ast.Field, pname *ast.Ident, calls map[types.Object]*uses) (analysis.SuggestedFix, bool) {
	if calls == nil || m.Info == nil || f.Lit || len(field.Names) != 1 {
		return analysis.SuggestedFix{}, false
	}
	var decl *ast.FuncDecl
	for _, d := range m.AST.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Pos() == f.Pos {
			decl = fd
		}
	}
	if decl == nil {
		return analysis.SuggestedFix{}, false
	}
	fn, ok := m.Info.Defs[decl.Name].(*types.Func)
	if !ok {
		return analysis.SuggestedFix{}, false
	}
	u := calls[fn]
	if u != nil && u.value {
		return analysis.SuggestedFix{}, false
	}
	if decl.Recv != nil {
		return analysis.SuggestedFix{}, false // interface satisfaction may depend on the signature
	}
	pobj := m.Info.Defs[pname]
	if pobj == nil {
		return analysis.SuggestedFix{}, false
	}
	ok = true
	var stack []ast.Node
	ast.Inspect(decl.Body, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return false
		}
		stack = append(stack, n)
		if id, isId := n.(*ast.Ident); isId && m.Info.Uses[id] == pobj {
			// Only x.Method(...) works unchanged on a pointer.
			if len(stack) < 3 {
				ok = false
			} else if sel, isSel := stack[len(stack)-2].(*ast.SelectorExpr); !isSel || sel.X != id {
				ok = false
			} else if call, isCall := stack[len(stack)-3].(*ast.CallExpr); !isCall || call.Fun != sel {
				ok = false
			}
		}
		return ok
	})
	if !ok {
		return analysis.SuggestedFix{}, false
	}
	// Which argument: the parameter's index.
	index := 0
	for _, fl := range decl.Type.Params.List {
		if fl == field {
			break
		}
		n := len(fl.Names)
		if n == 0 {
			n = 1
		}
		index += n
	}
	edits := []analysis.TextEdit{{Pos: field.Type.Pos(), End: field.Type.Pos(), NewText: []byte("*")}}
	if u != nil {
		for _, c := range u.calls {
			if c.Ellipsis.IsValid() || index >= len(c.Args) {
				return analysis.SuggestedFix{}, false
			}
			a := ast.Unparen(c.Args[index])
			switch a := a.(type) {
			case *ast.Ident, *ast.SelectorExpr, *ast.IndexExpr:
				edits = append(edits, analysis.TextEdit{Pos: a.Pos(), End: a.Pos(), NewText: []byte("&")})
			case *ast.StarExpr:
				edits = append(edits, analysis.TextEdit{Pos: a.Pos(), End: a.X.Pos()})
			default:
				return analysis.SuggestedFix{}, false
			}
		}
	}
	return analysis.SuggestedFix{
		Message:   fmt.Sprintf("Receive %s as a pointer and pass its address at the call sites", pname.Name),
		TextEdits: edits,
	}, true
}

// ---- helpers ----

func wholeLines(m *model.File, s ast.Stmt) (token.Pos, token.Pos, bool) {
	tf := m.Fset.File(s.Pos())
	start := tf.LineStart(m.Line(s.Pos()))
	if strings.TrimSpace(m.Text(start, s.Pos())) != "" {
		return 0, 0, false
	}
	endOff := m.Offset(s.End())
	nl := bytes.IndexByte(m.Src[endOff:], '\n')
	if nl < 0 {
		return 0, 0, false
	}
	rest := strings.TrimSpace(string(m.Src[endOff : endOff+nl]))
	if rest != "" && !strings.HasPrefix(rest, "//") {
		return 0, 0, false
	}
	return start, m.Pos(endOff + nl + 1), true
}

// callRelated points at the package's calls of f, where the copy is made.
func callRelated(m *model.File, f *model.Func, calls map[types.Object]*uses) []analysis.RelatedInformation {
	if calls == nil || m.Info == nil || f.Lit {
		return nil
	}
	for _, d := range m.AST.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Pos() != f.Pos {
			continue
		}
		u := calls[m.Info.Defs[fd.Name]]
		if u == nil {
			return nil
		}
		var out []analysis.RelatedInformation
		for _, c := range u.calls {
			out = append(out, analysis.RelatedInformation{Pos: c.Pos(), End: c.End(), Message: "the copy is made here"})
		}
		return out
	}
	return nil
}
