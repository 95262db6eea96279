package deferloop

import (
	"fmt"
	"go/ast"
	"go/token"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/golens/golens/checks"
	"github.com/golens/golens/checks/internal/chanutil"
	"github.com/golens/golens/checks/modelpass"
	"github.com/golens/golens/model"
)

const name = "deferloop"

// Analyzer reports defers of releases inside loops.
var Analyzer = &analysis.Analyzer{
	Name: name,
	Doc: "report a defer in a loop that releases a resource only at return\n\n" +
		"A deferred Close or Unlock in a loop body runs when the function returns, " +
		"not at the end of the iteration, so every iteration's file, connection or lock is " +
		"held until then. The fix moves the body into a function literal called once per iteration.",
	URL:      checks.DocURL(name),
	Requires: []*analysis.Analyzer{modelpass.Analyzer},
	Run:      run,
}

func run(pass *analysis.Pass) (any, error) { return modelpass.Report(pass, check) }

// Syntax runs the check on a syntax-tier model.
func Syntax(m *model.File) []analysis.Diagnostic { return check(m) }

// releases are the method names whose deferred call frees something.
var releases = map[string]bool{
	"Close": true, "Unlock": true, "RUnlock": true, "Release": true, "Rollback": true,
}

func check(m *model.File) []analysis.Diagnostic {
	var out []analysis.Diagnostic
	reported := map[ast.Node]bool{}
	testFile := strings.HasSuffix(m.Fset.Position(m.AST.Pos()).Filename, "_test.go")
	for _, d := range m.Defers {
		if !d.InLoop || d.Func == nil {
			continue
		}
		what := released(m, d)
		if what == "" {
			continue
		}
		unlock := strings.Contains(what, "stays locked")
		if testFile && !unlock {
			// A test's loop over a small table holding its files until
			// the test ends is harmless; a lock held into the next
			// iteration still deadlocks.
			continue
		}
		path, _ := chanutil.PathEnclosingInterval(m, d.Node.Pos(), d.Node.End())
		loop, label := repeatingLoop(m, d, path)
		if loop == nil || inSelectCase(path, loop) || guarded(d) || outlivesIteration(d, loop) {
			continue
		}
		if unlock && !sameMutexEachIteration(m, d, loop) {
			continue
		}
		call := d.Call
		if d.Closure {
			call = "func() { … }()"
		}
		msg := fmt.Sprintf("defer %s in a loop runs only when %s returns: %s until then, for every iteration",
			call, funcName(d.Func), what)
		if v := sharedLoopVar(m, d, loop); v != "" {
			// Before go 1.22 the closures all read the loop's one variable
			// at return: they release its last value, each time, and the
			// earlier passes' values are never released at all
			// (r20g_go121_defer_close_last).
			msg = fmt.Sprintf("defer %s in a loop runs only when %s returns, and %s: the loop has one `%s` for all its passes, so every deferred call reads its last value: that value is released once for each pass, and the values of the earlier passes are never released",
				call, funcName(d.Func), m.GoVersionRule(), v)
		}
		diag := analysis.Diagnostic{
			Pos: d.Node.Pos(), End: d.Node.End(), Category: name,
			Message: msg,
			Related: []analysis.RelatedInformation{{Pos: loopPos(loop), End: loopPos(loop) + 3, Message: "the loop"}},
		}
		body := model.LoopBody(loop)
		if !reported[body] {
			if fix, ok := wrapBody(m, body, loop, label); ok {
				diag.SuggestedFixes = []analysis.SuggestedFix{fix}
			}
		}
		reported[body] = true
		out = append(out, diag)
	}
	return out
}

func funcName(f *model.Func) string {
	if f.Lit {
		return "the enclosing function literal"
	}
	return f.Name
}

// released describes what a deferred call releases, or "" when it is not a
// release.
func released(m *model.File, d *model.Defer) string {
	call := d.Node.Call
	if lit, ok := ast.Unparen(call.Fun).(*ast.FuncLit); ok {
		what := ""
		for _, s := range lit.Body.List {
			if ifs, ok := s.(*ast.IfStmt); ok && returns(ifs.Body) {
				// `if err == nil { return }; f.Close()`: released only
				// on some paths (the error path), on purpose.
				return what
			}
			es, ok := s.(*ast.ExprStmt)
			if !ok {
				continue
			}
			if c, ok := es.X.(*ast.CallExpr); ok {
				if w := releaseCall(m, d, c); w != "" && what == "" {
					what = w
				}
			}
		}
		return what
	}
	return releaseCall(m, d, call)
}

func releaseCall(m *model.File, d *model.Defer, call *ast.CallExpr) string {
	switch fun := ast.Unparen(call.Fun).(type) {
	case *ast.SelectorExpr:
		if !releases[fun.Sel.Name] || len(call.Args) != 0 {
			return ""
		}
		recv := types(fun.X)
		if recv == "" {
			return ""
		}
		switch fun.Sel.Name {
		case "Unlock", "RUnlock":
			// A mutex only when the model records this call as the
			// Unlock of a sync.Mutex or RWMutex (a LockOp); another
			// type's Unlock may do anything: stay silent.
			for _, l := range m.Locks {
				if l.Call == call && (l.Kind == model.Unlock || l.Kind == model.RUnlock) {
					return recv + " stays locked (the next iteration's Lock waits forever)"
				}
			}
			return ""
		case "Release":
			return recv + " is not released"
		}
		return recv + " stays open"
	}
	return ""
}

// types renders a receiver expression: identifiers and selectors only.
func types(e ast.Expr) string {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		return e.Name
	case *ast.SelectorExpr:
		if x := types(e.X); x != "" {
			return x + "." + e.Sel.Name
		}
	}
	return ""
}

// repeatingLoop returns the loop that runs the defer again, and its
// label, or nil when the defer runs at most once per call. Whether it runs
// more than once is the model's defer order (Order().Many, which the defer
// hover and the defer-order hint show too): a defer followed on every path
// by a return, panic, os.Exit, t.Fatal or a break of its loop registers one
// call, and so does one in a loop proven to make a single pass. The loop
// named is the innermost one around the defer, within its function, whose
// next pass the defer can reach (model.File.NextPass): after a break of an
// inner loop, the outer loop that comes back to it.
func repeatingLoop(m *model.File, d *model.Defer, path []ast.Node) (ast.Stmt, string) {
	o := d.Order()
	if o.Known && !o.Many {
		return nil, ""
	}
	for i, n := range path {
		switch n := n.(type) {
		case *ast.FuncLit, *ast.FuncDecl:
			return nil, ""
		case *ast.ForStmt, *ast.RangeStmt:
			loop := n.(ast.Stmt)
			if !m.NextPass(d.Node, loop).Possible() {
				continue // every path leaves this loop first
			}
			label := ""
			if i+1 < len(path) {
				if l, ok := path[i+1].(*ast.LabeledStmt); ok {
					label = l.Label.Name
				}
			}
			return loop, label
		}
	}
	return nil, ""
}

func loopPos(loop ast.Stmt) token.Pos { return loop.Pos() }

// wrapBody builds the fix that moves the loop body into a function literal
// called once per iteration. Continues of this loop become returns; any
// return, goto or break of this loop makes the fix unavailable.
func wrapBody(m *model.File, body *ast.BlockStmt, loop ast.Stmt, label string) (analysis.SuggestedFix, bool) {
	if m.Src == nil || body == nil {
		return analysis.SuggestedFix{}, false
	}
	var continues []*ast.BranchStmt
	ok := true
	// Labels declared inside the body may be targeted freely; any other
	// label would be out of reach inside the function literal.
	inner := map[string]bool{}
	ast.Inspect(body, func(n ast.Node) bool {
		if l, ok := n.(*ast.LabeledStmt); ok {
			inner[l.Label.Name] = true
		}
		_, lit := n.(*ast.FuncLit)
		return !lit
	})
	var rawLines [][2]int // line ranges inside multi-line raw strings
	var walk func(n ast.Node, inLoop, inBreakable bool)
	walk = func(n ast.Node, inLoop, inBreakable bool) {
		ast.Inspect(n, func(c ast.Node) bool {
			if !ok || c == nil {
				return false
			}
			if c == n {
				return true
			}
			switch c := c.(type) {
			case *ast.FuncLit:
				return false
			case *ast.ReturnStmt:
				ok = false
			case *ast.BranchStmt:
				if c.Label != nil && !inner[c.Label.Name] && c.Label.Name != label {
					ok = false
				}
				switch c.Tok {
				case token.GOTO:
					ok = false
				case token.BREAK:
					if c.Label == nil && !inBreakable || c.Label != nil && c.Label.Name == label {
						ok = false
					}
				case token.CONTINUE:
					if c.Label == nil && !inLoop || c.Label != nil && c.Label.Name == label {
						continues = append(continues, c)
					}
				}
			case *ast.ForStmt, *ast.RangeStmt:
				walk(c, true, true)
				return false
			case *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
				walk(c, inLoop, true)
				return false
			case *ast.BasicLit:
				if strings.HasPrefix(c.Value, "`") && strings.Contains(c.Value, "\n") {
					rawLines = append(rawLines, [2]int{m.Line(c.Pos()) + 1, m.Line(c.End())})
				}
			}
			return true
		})
	}
	walk(body, false, false)
	if !ok {
		return analysis.SuggestedFix{}, false
	}
	for _, cg := range m.AST.Comments {
		for _, c := range cg.List {
			if c.Pos() > body.Lbrace && c.End() < body.Rbrace && strings.HasPrefix(c.Text, "/*") && strings.Contains(c.Text, "\n") {
				return analysis.SuggestedFix{}, false
			}
		}
	}
	// The inner text, with continue → return, then indented by one tab.
	start, end := m.Offset(body.Lbrace)+1, m.Offset(body.Rbrace)
	var text strings.Builder
	last := start
	for _, c := range continues {
		o := m.Offset(c.Pos())
		text.Write(m.Src[last:o])
		text.WriteString("return")
		last = m.Offset(c.End())
	}
	text.Write(m.Src[last:end])
	lines := strings.Split(text.String(), "\n")
	if len(lines) < 3 || strings.TrimSpace(lines[len(lines)-1]) != "" {
		return analysis.SuggestedFix{}, false // a one-line body
	}
	indent := lines[len(lines)-1]
	firstLine := m.Line(body.Lbrace)
	var b strings.Builder
	b.WriteString(lines[0])
	b.WriteString("\n" + indent + "\tfunc() {")
	for i, l := range lines[1 : len(lines)-1] {
		line := firstLine + 1 + i
		protected := false
		for _, r := range rawLines {
			if line >= r[0] && line <= r[1] {
				protected = true
			}
		}
		b.WriteString("\n")
		if l != "" && !protected {
			b.WriteString("\t")
		}
		b.WriteString(l)
	}
	b.WriteString("\n" + indent + "\t}()\n" + indent)
	msg := "Move the loop body into a function literal called once per iteration"
	if len(continues) > 0 {
		msg += " (continue becomes return)"
	}
	return analysis.SuggestedFix{
		Message:   msg,
		TextEdits: []analysis.TextEdit{{Pos: body.Lbrace + 1, End: body.Rbrace, NewText: []byte(b.String())}},
	}, true
}

// inSelectCase reports a defer in a select case inside the loop: in an
// event loop a case such as a timer's firing usually happens once, so the
// defer does not pile up.
func inSelectCase(path []ast.Node, loop ast.Stmt) bool {
	for _, n := range path {
		if n == loop {
			return false
		}
		if _, ok := n.(*ast.CommClause); ok {
			return true
		}
	}
	return false
}

// sameMutexEachIteration reports whether a deferred Unlock's mutex is the
// same one in every iteration: the root variable of the receiver (c in
// c.mu) is declared outside the loop and not assigned in it. A loop that
// walks a chain (for p := c.parent; p != nil; p = p.parent) locks a
// different mutex each time, which is not a deadlock.
func sameMutexEachIteration(m *model.File, d *model.Defer, loop ast.Stmt) bool {
	call := d.Node.Call
	if lit, ok := ast.Unparen(call.Fun).(*ast.FuncLit); ok {
		for _, s := range lit.Body.List {
			if es, ok := s.(*ast.ExprStmt); ok {
				if c, ok := es.X.(*ast.CallExpr); ok {
					call = c
				}
			}
		}
	}
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return false
	}
	root := sel.X
	for {
		switch x := ast.Unparen(root).(type) {
		case *ast.SelectorExpr:
			root = x.X
			continue
		case *ast.StarExpr:
			root = x.X
			continue
		}
		break
	}
	id, ok := ast.Unparen(root).(*ast.Ident)
	if !ok {
		return false
	}
	decl := token.NoPos
	if m.Info != nil {
		if obj := m.Info.Uses[id]; obj != nil {
			decl = obj.Pos()
		}
	} else if id.Obj != nil {
		if n, ok := id.Obj.Decl.(ast.Node); ok {
			decl = n.Pos()
		}
	}
	if !decl.IsValid() {
		return id.Obj == nil && m.Info == nil // a package-level name from another file
	}
	if decl >= loop.Pos() && decl < loop.End() {
		return false
	}
	// Whether the variable is assigned again while the lock is held is
	// the model's lock flow (LockFlow.Rebound, which follows the variable
	// by its declaration, not its name): read it from the Locks this
	// Unlock releases inside the loop.
	followed := false
	for _, u := range m.Locks {
		if u.Call != call || (u.Kind != model.Unlock && u.Kind != model.RUnlock) {
			continue
		}
		for _, l := range u.Pairs() {
			if l.Pos < loop.Pos() || l.Pos >= loop.End() {
				continue
			}
			lf := l.Flow()
			if lf == nil {
				continue
			}
			followed = true
			if lf.Rebound.IsValid() {
				return false
			}
		}
	}
	// Where the model does not follow the lock, stay silent: a variable
	// reassigned in the loop would make this a different mutex.
	return followed
}

func returns(b *ast.BlockStmt) bool {
	for _, s := range b.List {
		if _, ok := s.(*ast.ReturnStmt); ok {
			return true
		}
	}
	return false
}

// guarded reports a defer the model finds behind a run-once guard: a
// proven flag (DeferOrder.Once, which also clears Many, so repeatingLoop
// already finds no loop) or an unproven lazy initialisation
// (DeferOrder.Guard, `if f == nil { f = open(); defer f.Close() }`), where
// the check stays silent because it is most likely run once.
func guarded(d *model.Defer) bool {
	o := d.Order()
	return o.Once != "" || o.Guard != ""
}

// outlivesIteration reports a deferred receiver that the loop hands on
// beyond the iteration: to a goroutine, into a slice or map, or to a
// variable declared outside the loop. Then closing it at the end of the
// iteration would be wrong; closing it at return is the point.
func outlivesIteration(d *model.Defer, loop ast.Stmt) bool {
	// The receiver's root variable, from the operand as written (the
	// model's Receiver is the receiver as Go evaluates it, "&t", or "" when
	// the syntax tier cannot tell a method from a field of func type).
	if d.ReceiverExpr == nil {
		return false
	}
	var root string
	for x := d.ReceiverExpr; root == ""; {
		switch e := ast.Unparen(x).(type) {
		case *ast.Ident:
			root = e.Name
		case *ast.SelectorExpr:
			x = e.X
		case *ast.StarExpr:
			x = e.X
		case *ast.UnaryExpr:
			x = e.X
		case *ast.IndexExpr:
			x = e.X
		default:
			return false
		}
	}
	mentions := func(n ast.Node) bool {
		found := false
		ast.Inspect(n, func(x ast.Node) bool {
			if id, ok := x.(*ast.Ident); ok && id.Name == root {
				found = true
			}
			return !found
		})
		return found
	}
	body := model.LoopBody(loop)
	out := false
	ast.Inspect(body, func(n ast.Node) bool {
		if out {
			return false
		}
		switch n := n.(type) {
		case *ast.GoStmt:
			out = mentions(n.Call)
		case *ast.CallExpr:
			if id, ok := ast.Unparen(n.Fun).(*ast.Ident); ok && id.Name == "append" {
				for _, a := range n.Args[min(1, len(n.Args)):] {
					if mentions(a) {
						out = true
					}
				}
			}
		case *ast.AssignStmt:
			if n.Tok != token.ASSIGN {
				return true
			}
			for i, l := range n.Lhs {
				if i < len(n.Rhs) && mentions(n.Rhs[i]) {
					switch l := ast.Unparen(l).(type) {
					case *ast.IndexExpr, *ast.SelectorExpr:
						out = true
					case *ast.Ident:
						if l.Obj != nil && l.Obj.Decl != nil {
							if dn, ok := l.Obj.Decl.(ast.Node); ok && (dn.Pos() < loop.Pos() || dn.Pos() > loop.End()) {
								out = true
							}
						}
					}
				}
			}
		}
		return true
	})
	return out
}

// sharedLoopVar is the loop variable a deferred closure's release reads
// (`defer func() { l.Close() }()` in `for _, l := range ls`) when the
// file's Go version is known to be before go1.22: the loop then has one
// variable for all its passes. "" otherwise, also when the closure reads a
// copy (`l := l`) or the version is not known.
func sharedLoopVar(m *model.File, d *model.Defer, loop ast.Stmt) string {
	if !d.Closure {
		return ""
	}
	if perIter, known := m.AtLeast("go1.22"); !known || perIter {
		return ""
	}
	lit, ok := ast.Unparen(d.Node.Call.Fun).(*ast.FuncLit)
	if !ok {
		return ""
	}
	vars := map[token.Pos]string{}
	addDefined := func(exprs ...ast.Expr) {
		for _, e := range exprs {
			if id, ok := e.(*ast.Ident); ok && id.Name != "_" {
				vars[id.Pos()] = id.Name
			}
		}
	}
	switch l := loop.(type) {
	case *ast.RangeStmt:
		if l.Tok == token.DEFINE {
			addDefined(l.Key, l.Value)
		}
	case *ast.ForStmt:
		if as, ok := l.Init.(*ast.AssignStmt); ok && as.Tok == token.DEFINE {
			addDefined(as.Lhs...)
		}
	}
	for _, s := range lit.Body.List {
		es, ok := s.(*ast.ExprStmt)
		if !ok {
			continue
		}
		c, ok := es.X.(*ast.CallExpr)
		if !ok || releaseCall(m, d, c) == "" {
			continue
		}
		sel := ast.Unparen(c.Fun).(*ast.SelectorExpr)
		root := sel.X
		for {
			if s, ok := ast.Unparen(root).(*ast.SelectorExpr); ok {
				root = s.X
				continue
			}
			break
		}
		if id, ok := ast.Unparen(root).(*ast.Ident); ok {
			if name, ok := vars[m.DeclPos(id)]; ok {
				return name
			}
		}
	}
	return ""
}
