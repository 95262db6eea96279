package model

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"
)

// Resources: what a function opens that must be closed — a file, a net
// connection or listener, an HTTP response's body — where it is opened,
// where it is closed, and where it goes that golens cannot follow. The
// unclosedresource check reads these facts; a feature that says anything
// about an os.Open or a Close reads them too, so that they cannot
// disagree.

// ResourceKind is what an opener returns.
type ResourceKind int

const (
	// ResFile is an *os.File.
	ResFile ResourceKind = iota
	// ResConn is a net connection or listener.
	ResConn
	// ResBody is an *http.Response, whose Body must be closed.
	ResBody
)

// What names the resource: "the file", "the connection", "the response
// body".
func (k ResourceKind) What() string {
	return [...]string{"the file", "the connection", "the response body"}[k]
}

// resourceOpeners maps "pkg.Func" and "(*pkg.Type).Method" (types.Func's
// FullName) to what they open.
var resourceOpeners = map[string]ResourceKind{
	"os.Open": ResFile, "os.Create": ResFile, "os.OpenFile": ResFile, "os.CreateTemp": ResFile,
	"net.Dial": ResConn, "net.DialTimeout": ResConn, "net.Listen": ResConn, "net.ListenPacket": ResConn,
	"net.DialTCP": ResConn, "net.DialUDP": ResConn, "net.DialUnix": ResConn, "net.DialIP": ResConn,
	"net.ListenTCP": ResConn, "net.ListenUDP": ResConn, "net.ListenUnix": ResConn, "net.ListenUnixgram": ResConn,
	"(*net.Dialer).Dial": ResConn, "(*net.Dialer).DialContext": ResConn, "(*net.ListenConfig).Listen": ResConn,
	"net/http.Get": ResBody, "net/http.Post": ResBody, "net/http.Head": ResBody, "net/http.PostForm": ResBody,
	"(*net/http.Client).Do": ResBody, "(*net/http.Client).Get": ResBody, "(*net/http.Client).Post": ResBody,
	"(*net/http.Client).Head": ResBody, "(*net/http.Client).PostForm": ResBody,
}

// resourceReaders use a reader or writer argument without keeping or
// closing it.
var resourceReaders = map[string]bool{
	"io.Copy": true, "io.CopyN": true, "io.CopyBuffer": true, "io.ReadAll": true, "io.ReadFull": true,
	"io.ReadAtLeast": true, "io.WriteString": true, "io/ioutil.ReadAll": true,
	"fmt.Fprint": true, "fmt.Fprintf": true, "fmt.Fprintln": true, "fmt.Fscan": true, "fmt.Fscanf": true, "fmt.Fscanln": true,
}

// resourceWrappers return a value that wraps their reader argument.
var resourceWrappers = map[string]bool{
	"encoding/json.NewDecoder": true, "encoding/xml.NewDecoder": true, "bufio.NewReader": true,
	"bufio.NewScanner": true, "io.LimitReader": true,
}

// Resource is one `x, err := opener(...)` statement of a function body and
// what the function does with x.
type Resource struct {
	Kind ResourceKind
	// Opener names the call as a message does: "os.Open", "http.Get",
	// "client.Do" (a method as written).
	Opener string
	Call   *ast.CallExpr
	Assign *ast.AssignStmt
	// Body is the function body the open is written in (a declaration's or
	// a literal's); List and Index place the assignment in its statement
	// list: List[Index] == Assign.
	Body  *ast.BlockStmt
	List  []ast.Stmt
	Index int
	// InLoop: the open is in a loop of Body.
	InLoop bool
	// Var is the variable assigned the resource, nil when it is discarded
	// with _ (VarName is then "_"); Err the error variable, nil when
	// discarded.
	Var     types.Object
	VarName string
	Err     types.Object
	// Outer: Var belongs to an enclosing function or the package, which
	// keeps it: its fate is not this function's.
	Outer bool
	// NilClosePanics: calling Close on the nil result of a failed open
	// panics — a nil interface (net.Conn, net.Listener) or a nil
	// *http.Response (resp.Body). (*os.File).Close and the concrete net
	// conns' Close return an error on nil instead.
	NilClosePanics bool
	// Closes are the calls that close it in Body, function literals
	// included: x.Close(), x.Body.Close(), or a method value x.Close
	// (which is also an escape).
	Closes []token.Pos
	// Escapes are where it goes that golens does not follow: passed to a
	// call that may keep it, stored, returned, compared other than with
	// nil, or used by a function literal that may run later.
	Escapes []token.Pos
	// ErrCheck is the statement right after the open, List[Index+1], when
	// it is `if err != nil { ... }` on Err with no init and no else and a
	// body that may leave (MayEndBlock); nil otherwise. The open is then
	// expected to succeed past it, and a Close belongs right after it.
	ErrCheck *ast.IfStmt
	// DeferBeforeCheck is the first `defer` closing the resource written
	// after the open and before Err is used, when an ErrCheck-shaped
	// check on Err (CheckAfterDefer) follows it before any other use of
	// Err: the Close is deferred before the failure is ruled out. Both
	// nil otherwise.
	DeferBeforeCheck *ast.DeferStmt
	CheckAfterDefer  *ast.IfStmt

	info *types.Info
}

// CloseExpr is the call that closes the resource, as written in a message
// or a fix: "f.Close()", "resp.Body.Close()".
func (r *Resource) CloseExpr() string {
	if r.Kind == ResBody {
		return r.VarName + ".Body.Close()"
	}
	return r.VarName + ".Close()"
}

// ClosedBy reports whether call closes the resource: x.Close(),
// x.Body.Close(), or a function literal called there that does (defer
// func() { x.Close() }()).
func (r *Resource) ClosedBy(call *ast.CallExpr) bool {
	if r == nil || r.Var == nil || call == nil {
		return false
	}
	if lit, ok := ast.Unparen(call.Fun).(*ast.FuncLit); ok {
		found := false
		ast.Inspect(lit.Body, func(n ast.Node) bool {
			if cl, ok := n.(*ast.CallExpr); ok && r.ClosedBy(cl) {
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
	if r.Kind == ResBody {
		inner, ok := x.(*ast.SelectorExpr)
		if !ok || inner.Sel.Name != "Body" {
			return false
		}
		x = ast.Unparen(inner.X)
	}
	id, ok := x.(*ast.Ident)
	return ok && r.info.Uses[id] == r.Var
}

// Resources lists, on the typed tier, the resources the file's functions
// open with `x, err := opener(...)` (a two-value assignment of a known
// opener), in source order, with where each is closed and where it
// escapes. nil on the syntax tier. Computed on each call: one walk of the
// file and of each opening function.
func (m *File) Resources() []*Resource {
	if m.Info == nil || m.AST == nil {
		return nil
	}
	var out []*Resource
	ast.Inspect(m.AST, func(n ast.Node) bool {
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
		out = append(out, m.bodyResources(body)...)
		return true
	})
	return out
}

// bodyResources finds the opens made directly in one function body (not in
// nested literals, which are visited on their own).
func (m *File) bodyResources(body *ast.BlockStmt) []*Resource {
	var out []*Resource
	var visit func(list []ast.Stmt, inLoop bool)
	visit = func(list []ast.Stmt, inLoop bool) {
		for i, s := range list {
			if as, ok := s.(*ast.AssignStmt); ok && len(as.Lhs) == 2 && len(as.Rhs) == 1 {
				if call, ok := ast.Unparen(as.Rhs[0]).(*ast.CallExpr); ok {
					if r := m.newResource(body, list, i, as, call, inLoop); r != nil {
						out = append(out, r)
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
						visit(n.List, inLoop || isLoopBodyIn(s, n))
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
	return out
}

// isLoopBodyIn reports whether b is (inside) the body of a loop in s.
func isLoopBodyIn(s ast.Stmt, b *ast.BlockStmt) bool {
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

// newResource reads one `x, err := call` statement, list[i]; nil when call
// opens nothing golens knows or x is not a plain name.
func (m *File) newResource(body *ast.BlockStmt, list []ast.Stmt, i int, as *ast.AssignStmt, call *ast.CallExpr, inLoop bool) *Resource {
	info := m.Info
	kind, opener, ok := m.resourceOpener(call)
	if !ok {
		return nil
	}
	resID, ok := as.Lhs[0].(*ast.Ident)
	if !ok {
		return nil
	}
	r := &Resource{Kind: kind, Opener: opener, Call: call, Assign: as, Body: body, List: list, Index: i,
		InLoop: inLoop, VarName: resID.Name, info: info}
	if errID, _ := as.Lhs[1].(*ast.Ident); errID != nil && errID.Name != "_" {
		r.Err = info.ObjectOf(errID)
	}
	if check, at := m.errCheckFrom(r, i+1); check != nil && at == i+1 {
		r.ErrCheck = check
	}
	r.NilClosePanics = kind == ResBody
	if tup, ok := info.TypeOf(call).(*types.Tuple); ok && tup.Len() > 0 && kind != ResBody {
		r.NilClosePanics = types.IsInterface(tup.At(0).Type())
	}
	if resID.Name == "_" {
		return r
	}
	r.Var = info.ObjectOf(resID)
	if r.Var == nil {
		return nil
	}
	m.deferBeforeCheck(r)
	if r.Var.Pos() < body.Pos() || r.Var.Pos() >= body.End() {
		r.Outer = true
		return r
	}
	m.resourceFate(r)
	return r
}

// resourceOpener reports what call opens and how a message names it.
func (m *File) resourceOpener(call *ast.CallExpr) (ResourceKind, string, bool) {
	var id *ast.Ident
	switch fun := ast.Unparen(call.Fun).(type) {
	case *ast.Ident:
		id = fun
	case *ast.SelectorExpr:
		id = fun.Sel
	default:
		return 0, "", false
	}
	fn, ok := m.Info.Uses[id].(*types.Func)
	if !ok {
		return 0, "", false
	}
	full := fn.FullName()
	k, ok := resourceOpeners[full]
	if !ok {
		return 0, "", false
	}
	short := strings.TrimPrefix(full, "net/")
	if strings.HasPrefix(full, "(") {
		short = fn.Name() // Client.Do: name it as written
		if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
			short = m.Text(sel.Pos(), sel.End())
		}
	}
	return k, short, true
}

// resourceFate looks at every use of r.Var in its function (nested
// literals included): where it is closed, and where it escapes.
func (m *File) resourceFate(r *Resource) {
	info := m.Info
	res, k := r.Var, r.Kind
	closed := func(at ast.Node) { r.Closes = append(r.Closes, at.Pos()) }
	escapes := func(at ast.Node) { r.Escapes = append(r.Escapes, at.Pos()) }
	var stack []ast.Node
	inLit := 0
	ast.Inspect(r.Body, func(n ast.Node) bool {
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
			depth := 2
			if k == ResBody {
				depth = 3
			}
			if call, ok := up(depth).(*ast.CallExpr); ok && r.ClosedBy(call) {
				closed(call)
			} else {
				escapes(id)
			}
			return true
		}
		switch p := parent.(type) {
		case *ast.SelectorExpr:
			sel := p
			if k == ResBody {
				if sel.Sel.Name != "Body" {
					return true // resp.StatusCode, resp.Header...
				}
				// resp.Body: what happens to it?
				switch g := up(2).(type) {
				case *ast.SelectorExpr:
					if g.Sel.Name == "Close" {
						if call, ok := up(3).(*ast.CallExpr); ok && call.Fun == g {
							closed(call)
						} else {
							closed(g) // a method value: closes, and escapes
							escapes(g)
						}
					}
					return true
				case *ast.CallExpr:
					if m.callsIn(g, resourceReaders) || m.isChainedWrapper(g, up(3), up(4)) {
						return true
					}
					escapes(id)
				default:
					escapes(id)
				}
				return true
			}
			if sel.Sel.Name == "Close" {
				if call, ok := up(2).(*ast.CallExpr); ok && call.Fun == sel {
					closed(call)
				} else {
					closed(sel)
					escapes(sel)
				}
			}
			return true
		case *ast.BinaryExpr:
			if (p.Op == token.EQL || p.Op == token.NEQ) && (isNilIdent(p.X) || isNilIdent(p.Y)) {
				return true
			}
			escapes(id)
		case *ast.AssignStmt:
			for _, l := range p.Lhs {
				if l == id {
					return true // (re)assigned: a new open or a reset
				}
			}
			escapes(id)
		case *ast.CallExpr:
			if p.Fun != id && k != ResBody && (m.callsIn(p, resourceReaders) || m.isChainedWrapper(p, up(2), up(3)) || m.isLocalWrapper(r.Body, p, up(2))) {
				return true
			}
			escapes(id)
		default:
			escapes(id)
		}
		return true
	})
}

// errCheckFrom finds the first statement from r.List[from] on that is
// `if err != nil { ... }` on r.Err, with no init and no else and a body
// that may leave, and its index; nil when err is used before one (or is
// discarded).
func (m *File) errCheckFrom(r *Resource, from int) (*ast.IfStmt, int) {
	if r.Err == nil {
		return nil, -1
	}
	for j := from; j < len(r.List); j++ {
		ifs, ok := r.List[j].(*ast.IfStmt)
		if ok && ifs.Init == nil && ifs.Else == nil {
			if be, ok := ifs.Cond.(*ast.BinaryExpr); ok && be.Op == token.NEQ {
				if id, ok := ast.Unparen(be.X).(*ast.Ident); ok && m.Info.Uses[id] == r.Err && isNilIdent(be.Y) && m.MayEndBlock(ifs.Body.List) {
					return ifs, j
				}
			}
		}
		if m.mentions(r.List[j], r.Err) {
			return nil, -1
		}
	}
	return nil, -1
}

// deferBeforeCheck fills r.DeferBeforeCheck and r.CheckAfterDefer.
func (m *File) deferBeforeCheck(r *Resource) {
	if r.Err == nil {
		return
	}
	for j := r.Index + 1; j < len(r.List); j++ {
		if d, ok := r.List[j].(*ast.DeferStmt); ok && r.ClosedBy(d.Call) {
			if check, _ := m.errCheckFrom(r, j+1); check != nil {
				r.DeferBeforeCheck, r.CheckAfterDefer = d, check
			}
			return
		}
		if m.mentions(r.List[j], r.Err) {
			return
		}
	}
}

// mentions reports whether an identifier in n denotes obj.
func (m *File) mentions(n ast.Node, obj types.Object) bool {
	found := false
	ast.Inspect(n, func(x ast.Node) bool {
		if id, ok := x.(*ast.Ident); ok && m.Info.ObjectOf(id) == obj {
			found = true
		}
		return !found
	})
	return found
}

func isNilIdent(e ast.Expr) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	return ok && id.Name == "nil"
}

// isChainedWrapper reports `json.NewDecoder(r).Decode(&v)`: the wrapper is
// used once, right away, and dropped.
func (m *File) isChainedWrapper(call *ast.CallExpr, parent, grand ast.Node) bool {
	if !m.callsIn(call, resourceWrappers) {
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
func (m *File) isLocalWrapper(body *ast.BlockStmt, call *ast.CallExpr, parent ast.Node) bool {
	if !m.callsIn(call, resourceWrappers) {
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
	obj := m.Info.Defs[lhs]
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
				if id, ok := x.(*ast.Ident); ok && m.Info.Uses[id] == obj {
					only = false
				}
				return only
			})
			return false
		}
		id, ok := n.(*ast.Ident)
		if !ok || m.Info.Uses[id] != obj {
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

// callsIn reports a call of a function whose FullName is in set.
func (m *File) callsIn(call *ast.CallExpr, set map[string]bool) bool {
	var id *ast.Ident
	switch fun := ast.Unparen(call.Fun).(type) {
	case *ast.Ident:
		id = fun
	case *ast.SelectorExpr:
		id = fun.Sel
	default:
		return false
	}
	fn, ok := m.Info.Uses[id].(*types.Func)
	return ok && set[fn.FullName()]
}
