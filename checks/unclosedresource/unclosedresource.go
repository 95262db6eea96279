package unclosedresource

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/golens/golens/checks"
	"github.com/golens/golens/checks/modelpass"
	"github.com/golens/golens/model"
)

const name = "unclosedresource"

// Analyzer reports resources that are never closed or closed before the
// error check.
var Analyzer = &analysis.Analyzer{
	Name: name,
	Doc: "report an opened file, connection or response body that is never closed\n\n" +
		"A file, net connection or listener, or HTTP response body that the function neither " +
		"closes nor lets escape leaks its descriptor; a Close deferred before the error check " +
		"runs on a nil value. The fix defers Close right after the error check.",
	URL:      checks.DocURL(name),
	Requires: []*analysis.Analyzer{modelpass.Analyzer},
	Run:      run,
}

func run(pass *analysis.Pass) (any, error) {
	res := pass.ResultOf[modelpass.Analyzer].(*modelpass.Result)
	for _, m := range res.Order {
		if m.Info == nil {
			continue
		}
		c := &checker{pass: pass, m: m}
		c.file()
	}
	return nil, nil
}

// kind of resource an opener returns.
type kind int

const (
	file kind = iota
	conn
	response // the resource is resp.Body
)

// openers maps "pkg.Func" and "(*pkg.Type).Method" to what they open.
var openers = map[string]kind{
	"os.Open": file, "os.Create": file, "os.OpenFile": file, "os.CreateTemp": file,
	"net.Dial": conn, "net.DialTimeout": conn, "net.Listen": conn, "net.ListenPacket": conn,
	"net.DialTCP": conn, "net.DialUDP": conn, "net.DialUnix": conn, "net.DialIP": conn,
	"net.ListenTCP": conn, "net.ListenUDP": conn, "net.ListenUnix": conn, "net.ListenUnixgram": conn,
	"(*net.Dialer).Dial": conn, "(*net.Dialer).DialContext": conn, "(*net.ListenConfig).Listen": conn,
	"net/http.Get": response, "net/http.Post": response, "net/http.Head": response, "net/http.PostForm": response,
	"(*net/http.Client).Do": response, "(*net/http.Client).Get": response, "(*net/http.Client).Post": response,
	"(*net/http.Client).Head": response, "(*net/http.Client).PostForm": response,
}

// readers are functions that use a reader or writer argument without
// keeping or closing it.
var readers = map[string]bool{
	"io.Copy": true, "io.CopyN": true, "io.CopyBuffer": true, "io.ReadAll": true, "io.ReadFull": true,
	"io.ReadAtLeast": true, "io.WriteString": true, "io/ioutil.ReadAll": true,
	"fmt.Fprint": true, "fmt.Fprintf": true, "fmt.Fprintln": true, "fmt.Fscan": true, "fmt.Fscanf": true, "fmt.Fscanln": true,
}

type checker struct {
	pass *analysis.Pass
	m    *model.File
}

func (c *checker) file() {
	info := c.m.Info
	ast.Inspect(c.m.AST, func(n ast.Node) bool {
		var body *ast.BlockStmt
		switch n := n.(type) {
		case *ast.FuncDecl:
			body = n.Body
		case *ast.FuncLit:
			body = n.Body
		default:
			return true
		}
		if body == nil {
			return false
		}
		c.body(body, info)
		return true
	})
}

// body checks the opens made directly in one function body (not in nested
// literals, which are visited on their own).
func (c *checker) body(body *ast.BlockStmt, info *types.Info) {
	var visit func(list []ast.Stmt, inLoop bool)
	visit = func(list []ast.Stmt, inLoop bool) {
		for i, s := range list {
			if as, ok := s.(*ast.AssignStmt); ok && len(as.Lhs) == 2 && len(as.Rhs) == 1 {
				if call, ok := ast.Unparen(as.Rhs[0]).(*ast.CallExpr); ok {
					if k, fn, ok := c.opener(call); ok {
						c.open(body, list, i, as, call, k, fn, inLoop)
					}
				}
			}
			// Recurse into nested statement lists of this function.
			ast.Inspect(s, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.FuncLit:
					return false
				case *ast.BlockStmt:
					if n != body {
						visit(n.List, inLoop || isLoopBody(s, n))
					}
					return false
				case *ast.CaseClause:
					visit(n.Body, inLoop)
					return false
				case *ast.CommClause:
					visit(n.Body, inLoop)
					return false
				}
				return true
			})
		}
	}
	visit(body.List, false)
}

func isLoopBody(s ast.Stmt, b *ast.BlockStmt) bool {
	inLoop := false
	ast.Inspect(s, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.ForStmt:
			if b.Pos() >= n.Body.Pos() && b.End() <= n.Body.End() {
				inLoop = true
			}
		case *ast.RangeStmt:
			if b.Pos() >= n.Body.Pos() && b.End() <= n.Body.End() {
				inLoop = true
			}
		case *ast.FuncLit:
			return false
		}
		return !inLoop
	})
	return inLoop
}

// closePanicsOnNil reports whether calling Close on the nil result of a
// failed open panics: a nil interface (net.Conn, net.Listener) or a nil
// *http.Response (resp.Body). (*os.File).Close and the concrete net conns'
// Close methods return an error on nil instead.
func (c *checker) closePanicsOnNil(call *ast.CallExpr, k kind) bool {
	if k == response {
		return true
	}
	t := c.m.Info.TypeOf(call)
	tup, ok := t.(*types.Tuple)
	if !ok || tup.Len() == 0 {
		return false
	}
	return types.IsInterface(tup.At(0).Type())
}

func (c *checker) opener(call *ast.CallExpr) (kind, string, bool) {
	var id *ast.Ident
	switch fun := ast.Unparen(call.Fun).(type) {
	case *ast.Ident:
		id = fun
	case *ast.SelectorExpr:
		id = fun.Sel
	default:
		return 0, "", false
	}
	fn, ok := c.m.Info.Uses[id].(*types.Func)
	if !ok {
		return 0, "", false
	}
	full := fn.FullName()
	k, ok := openers[full]
	if !ok {
		return 0, "", false
	}
	short := strings.TrimPrefix(full, "net/")
	if strings.HasPrefix(full, "(") {
		short = fn.Name() // Client.Do: name it as written
		if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
			short = c.m.Text(sel.Pos(), sel.End())
		}
	}
	return k, short, true
}

// open examines one `x, err := opener(...)` statement, list[i].
func (c *checker) open(body *ast.BlockStmt, list []ast.Stmt, i int, as *ast.AssignStmt, call *ast.CallExpr, k kind, fn string, inLoop bool) {
	info := c.m.Info
	resID, ok := as.Lhs[0].(*ast.Ident)
	if !ok {
		return
	}
	errID, _ := as.Lhs[1].(*ast.Ident)
	var errObj types.Object
	if errID != nil && errID.Name != "_" {
		errObj = info.ObjectOf(errID)
	}
	what := map[kind]string{file: "the file", conn: "the connection", response: "the response body"}[k]
	testFile := strings.HasSuffix(c.pass.Fset.Position(as.Pos()).Filename, "_test.go")
	if resID.Name == "_" {
		// Leaked only if the open is expected to succeed: the error is
		// ignored too, or checked right away with a return on failure.
		// (`_, err := http.Get(bad); if err == nil { t.Fatal(...) }` is not.)
		if testFile {
			return
		}
		if errObj != nil {
			if check, ci := c.errCheck(list, i+1, errObj); check == nil || ci != i+1 {
				return
			}
		}
		c.pass.Report(analysis.Diagnostic{
			Pos: call.Pos(), End: call.End(), Category: name,
			Message: fmt.Sprintf("%s opened by %s is discarded without being closed, so it leaks", what, fn),
		})
		return
	}
	res := info.ObjectOf(resID)
	if res == nil || res.Pos() < body.Pos() || res.Pos() >= body.End() {
		return // a variable of an enclosing function or the package keeps it
	}
	closeExpr := resID.Name + ".Close()"
	if k == response {
		closeExpr = resID.Name + ".Body.Close()"
	}

	// A Close deferred before the error check.
	if errObj != nil {
		for j := i + 1; j < len(list); j++ {
			if d, ok := list[j].(*ast.DeferStmt); ok && c.closes(d.Call, res, k) && c.closePanicsOnNil(call, k) {
				check, ci := c.errCheck(list, j+1, errObj)
				if check == nil {
					break
				}
				consequence := "when " + fn + " fails " + resID.Name + " is nil and the deferred Close panics"
				diag := analysis.Diagnostic{
					Pos: d.Pos(), End: d.End(), Category: name,
					Message: fmt.Sprintf("%s is deferred before the error from %s is checked: %s", closeExpr, fn, consequence),
					Related: []analysis.RelatedInformation{{Pos: check.Pos(), Message: "the error is checked here"}},
				}
				if fix, ok := c.moveDefer(d, list[ci].(*ast.IfStmt)); ok {
					diag.SuggestedFixes = []analysis.SuggestedFix{fix}
				}
				c.pass.Report(diag)
				return
			}
			if c.uses(list[j], errObj) {
				break
			}
		}
	}

	closed, escapes := c.fate(body, res, k, as)
	if closed || escapes || testFile || servesForever(body) {
		// In tests, a test server's Close tears down what a test leaves
		// open; only the deferred-before-check panic is reported there.
		return
	}
	diag := analysis.Diagnostic{
		Pos: call.Pos(), End: call.End(), Category: name,
		Message: fmt.Sprintf("%s opened by %s is never closed in this function and does not escape it: call %s (with defer, after the error check)",
			what, fn, closeExpr),
	}
	if errObj != nil && !inLoop {
		if check, ci := c.errCheck(list, i+1, errObj); check != nil && ci == i+1 {
			if fix, ok := c.insertAfter(check, "defer "+closeExpr); ok {
				diag.SuggestedFixes = []analysis.SuggestedFix{fix}
			}
		}
	}
	c.pass.Report(diag)
}

// closes reports whether a (deferred) call closes the resource: x.Close(),
// x.Body.Close(), or a function literal that does.
func (c *checker) closes(call *ast.CallExpr, res types.Object, k kind) bool {
	if lit, ok := ast.Unparen(call.Fun).(*ast.FuncLit); ok {
		found := false
		ast.Inspect(lit.Body, func(n ast.Node) bool {
			if cl, ok := n.(*ast.CallExpr); ok && c.closes(cl, res, k) {
				found = true
			}
			return !found
		})
		return found
	}
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Close" {
		return false
	}
	x := ast.Unparen(sel.X)
	if k == response {
		inner, ok := x.(*ast.SelectorExpr)
		if !ok || inner.Sel.Name != "Body" {
			return false
		}
		x = ast.Unparen(inner.X)
	}
	id, ok := x.(*ast.Ident)
	return ok && c.m.Info.Uses[id] == res
}

// errCheck finds the first statement from list[from] on that is
// `if err != nil { ... }` with a body that leaves, and no else.
func (c *checker) errCheck(list []ast.Stmt, from int, errObj types.Object) (*ast.IfStmt, int) {
	for j := from; j < len(list); j++ {
		ifs, ok := list[j].(*ast.IfStmt)
		if ok && ifs.Init == nil && ifs.Else == nil {
			if be, ok := ifs.Cond.(*ast.BinaryExpr); ok && be.Op == token.NEQ {
				if id, ok := ast.Unparen(be.X).(*ast.Ident); ok && c.m.Info.Uses[id] == errObj && isNil(be.Y) && c.m.MayEndBlock(ifs.Body.List) {
					return ifs, j
				}
			}
		}
		if c.uses(list[j], errObj) {
			return nil, -1
		}
	}
	return nil, -1
}

func isNil(e ast.Expr) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	return ok && id.Name == "nil"
}

func (c *checker) uses(n ast.Node, obj types.Object) bool {
	found := false
	ast.Inspect(n, func(x ast.Node) bool {
		if id, ok := x.(*ast.Ident); ok && c.m.Info.ObjectOf(id) == obj {
			found = true
		}
		return !found
	})
	return found
}

// fate looks at every use of the resource in the function (nested literals
// included): is it closed, or does it escape?
func (c *checker) fate(body *ast.BlockStmt, res types.Object, k kind, open *ast.AssignStmt) (closed, escapes bool) {
	info := c.m.Info
	var stack []ast.Node
	inLit := 0
	ast.Inspect(body, func(n ast.Node) bool {
		if n == nil {
			if _, ok := stack[len(stack)-1].(*ast.FuncLit); ok {
				inLit--
			}
			stack = stack[:len(stack)-1]
			return false
		}
		stack = append(stack, n)
		if _, ok := n.(*ast.FuncLit); ok {
			inLit++
		}
		id, ok := n.(*ast.Ident)
		if !ok || info.Uses[id] != res {
			return true
		}
		parent := stack[len(stack)-2]
		up := func(i int) ast.Node {
			if len(stack)-1-i >= 0 {
				return stack[len(stack)-1-i]
			}
			return nil
		}
		if inLit > 0 {
			// A closure may run later, or elsewhere: only a Close in it
			// counts, any other use lets the resource escape.
			if call, ok := up(2 + btoi(k == response)).(*ast.CallExpr); ok && c.closes(call, res, k) {
				closed = true
			} else {
				escapes = true
			}
			return true
		}
		switch p := parent.(type) {
		case *ast.SelectorExpr:
			sel := p
			if k == response {
				if sel.Sel.Name != "Body" {
					return true // resp.StatusCode, resp.Header...
				}
				// resp.Body: what happens to it?
				switch g := up(2).(type) {
				case *ast.SelectorExpr:
					if g.Sel.Name == "Close" {
						if call, ok := up(3).(*ast.CallExpr); ok && call.Fun == g {
							closed = true
						} else {
							closed, escapes = true, true // method value
						}
					}
					return true
				case *ast.CallExpr:
					if c.isReader(g) || c.isChainedWrapper(g, up(3), up(4)) {
						return true
					}
					escapes = true
				default:
					escapes = true
				}
				return true
			}
			if sel.Sel.Name == "Close" {
				if call, ok := up(2).(*ast.CallExpr); ok && call.Fun == sel {
					closed = true
				} else {
					closed, escapes = true, true
				}
				return true
			}
			if inLit > 0 {
				escapes = true // used by a closure that may run later
			}
			return true
		case *ast.BinaryExpr:
			if (p.Op == token.EQL || p.Op == token.NEQ) && (isNil(p.X) || isNil(p.Y)) {
				return true
			}
			escapes = true
		case *ast.AssignStmt:
			for _, l := range p.Lhs {
				if l == id {
					return true // (re)assigned: a new open or a reset
				}
			}
			escapes = true
		case *ast.CallExpr:
			if p.Fun != id && k != response && (c.isReader(p) || c.isChainedWrapper(p, up(2), up(3)) || c.isLocalWrapper(body, p, up(2))) {
				return true
			}
			escapes = true
		default:
			escapes = true
		}
		return true
	})
	return closed, escapes
}

// wrappers return a value that wraps their reader argument.
var wrappers = map[string]bool{
	"encoding/json.NewDecoder": true, "encoding/xml.NewDecoder": true, "bufio.NewReader": true,
	"bufio.NewScanner": true, "io.LimitReader": true,
}

// isChainedWrapper reports `json.NewDecoder(r).Decode(&v)`: the wrapper is
// used once, right away, and dropped.
func (c *checker) isChainedWrapper(call *ast.CallExpr, parent, grand ast.Node) bool {
	if !c.calls(call, wrappers) {
		return false
	}
	sel, ok := parent.(*ast.SelectorExpr)
	if !ok || sel.X != call {
		return false
	}
	outer, ok := grand.(*ast.CallExpr)
	return ok && outer.Fun == sel
}

// isLocalWrapper reports `sc := bufio.NewScanner(f)` where sc is used only
// by calling its methods in this function (sc.Scan(), sc.Text()): the
// wrapper never closes f and does not outlive the function.
func (c *checker) isLocalWrapper(body *ast.BlockStmt, call *ast.CallExpr, parent ast.Node) bool {
	if !c.calls(call, wrappers) {
		return false
	}
	as, ok := parent.(*ast.AssignStmt)
	if !ok || as.Tok != token.DEFINE || len(as.Lhs) != 1 || len(as.Rhs) != 1 || as.Rhs[0] != call {
		return false
	}
	lhs, ok := as.Lhs[0].(*ast.Ident)
	if !ok {
		return false
	}
	obj := c.m.Info.Defs[lhs]
	if obj == nil {
		return false
	}
	only := true
	var stack []ast.Node
	ast.Inspect(body, func(n ast.Node) bool {
		if n == nil {
			stack = stack[:len(stack)-1]
			return false
		}
		stack = append(stack, n)
		if _, lit := n.(*ast.FuncLit); lit {
			stack = stack[:len(stack)-1]
			// Any use in a closure may outlive the function.
			ast.Inspect(n, func(x ast.Node) bool {
				if id, ok := x.(*ast.Ident); ok && c.m.Info.Uses[id] == obj {
					only = false
				}
				return only
			})
			return false
		}
		id, ok := n.(*ast.Ident)
		if !ok || c.m.Info.Uses[id] != obj {
			return only
		}
		if len(stack) < 3 {
			only = false
			return false
		}
		sel, ok := stack[len(stack)-2].(*ast.SelectorExpr)
		if !ok || sel.X != id {
			only = false
			return false
		}
		if call, ok := stack[len(stack)-3].(*ast.CallExpr); !ok || call.Fun != sel {
			only = false
		}
		return only
	})
	return only
}

func (c *checker) isReader(call *ast.CallExpr) bool { return c.calls(call, readers) }

func (c *checker) calls(call *ast.CallExpr, set map[string]bool) bool {
	var id *ast.Ident
	switch fun := ast.Unparen(call.Fun).(type) {
	case *ast.Ident:
		id = fun
	case *ast.SelectorExpr:
		id = fun.Sel
	default:
		return false
	}
	fn, ok := c.m.Info.Uses[id].(*types.Func)
	return ok && set[fn.FullName()]
}

// ---- fixes ----

// insertAfter inserts a statement on a new line after stmt, at its
// indentation.
func (c *checker) insertAfter(stmt ast.Stmt, text string) (analysis.SuggestedFix, bool) {
	m := c.m
	if m.Src == nil {
		return analysis.SuggestedFix{}, false
	}
	tf := m.Fset.File(stmt.Pos())
	start := tf.LineStart(m.Line(stmt.Pos()))
	indent := m.Text(start, stmt.Pos())
	if strings.TrimSpace(indent) != "" {
		return analysis.SuggestedFix{}, false
	}
	endOff := m.Offset(stmt.End())
	nl := bytes.IndexByte(m.Src[endOff:], '\n')
	if nl < 0 {
		return analysis.SuggestedFix{}, false
	}
	if rest := strings.TrimSpace(string(m.Src[endOff : endOff+nl])); rest != "" && !strings.HasPrefix(rest, "//") {
		return analysis.SuggestedFix{}, false
	}
	at := m.Pos(endOff + nl)
	return analysis.SuggestedFix{
		Message:   "Add " + text + " after the error check",
		TextEdits: []analysis.TextEdit{{Pos: at, End: at, NewText: []byte("\n" + indent + text)}},
	}, true
}

// moveDefer moves a defer statement to just after the error check.
func (c *checker) moveDefer(d *ast.DeferStmt, check *ast.IfStmt) (analysis.SuggestedFix, bool) {
	m := c.m
	if m.Src == nil {
		return analysis.SuggestedFix{}, false
	}
	tf := m.Fset.File(d.Pos())
	start := tf.LineStart(m.Line(d.Pos()))
	if strings.TrimSpace(m.Text(start, d.Pos())) != "" || m.Line(d.Pos()) != m.Line(d.End()) {
		return analysis.SuggestedFix{}, false
	}
	endOff := m.Offset(d.End())
	nl := bytes.IndexByte(m.Src[endOff:], '\n')
	if nl < 0 {
		return analysis.SuggestedFix{}, false
	}
	line := strings.TrimRight(string(m.Src[m.Offset(d.Pos()):endOff+nl]), " \t")
	ins, ok := c.insertAfter(check, line)
	if !ok {
		return analysis.SuggestedFix{}, false
	}
	return analysis.SuggestedFix{
		Message: "Move the deferred Close after the error check",
		TextEdits: append([]analysis.TextEdit{{Pos: start, End: m.Pos(endOff + nl + 1)}},
			ins.TextEdits...),
	}, true
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// servesForever reports a function that loops forever (for {} with no break
// of that loop and no return in it), such as an accept loop: whatever it
// opened lives as long as the process.
func servesForever(body *ast.BlockStmt) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ForStmt:
			if n.Cond == nil && !leavesLoop(n.Body) {
				found = true
			}
		}
		return !found
	})
	return found
}

// leavesLoop reports a return, goto, or a break of this loop in its body.
func leavesLoop(body *ast.BlockStmt) bool {
	leaves := false
	var walk func(n ast.Node, breakable bool)
	walk = func(n ast.Node, nested bool) {
		ast.Inspect(n, func(x ast.Node) bool {
			if leaves || x == nil {
				return false
			}
			if x == n {
				return true
			}
			switch x := x.(type) {
			case *ast.FuncLit:
				return false
			case *ast.ReturnStmt:
				leaves = true
			case *ast.BranchStmt:
				if x.Tok == token.GOTO || x.Tok == token.BREAK && (x.Label != nil || !nested) {
					leaves = true
				}
			case *ast.ForStmt, *ast.RangeStmt, *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
				walk(x, true)
				return false
			}
			return true
		})
	}
	walk(body, false)
	return leaves
}
