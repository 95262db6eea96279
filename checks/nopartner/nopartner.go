package nopartner

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/golens/golens/checks"
	"github.com/golens/golens/checks/internal/chanutil"
	"github.com/golens/golens/checks/modelpass"
	"github.com/golens/golens/model"
)

const name = "nopartner"

// Analyzer reports channel operations that nothing in the package can
// complete.
var Analyzer = &analysis.Analyzer{
	Name: name,
	Doc: "report a receive from a channel nothing sends on or closes, and a send on a channel nothing receives from\n\n" +
		"A channel that the package never lets out of its sight, and that no code sends on or closes, " +
		"blocks every receive from it forever; one that no code receives from blocks every send once " +
		"its buffer is full. The channel is followed through assignments, function parameters and " +
		"results within the package.",
	URL:      checks.DocURL(name),
	Requires: []*analysis.Analyzer{inspect.Analyzer, modelpass.Analyzer},
	Run:      run,
}

// A channel class is the set of variables (locals, parameters, unexported
// fields and package variables) that the package's code shows hold the same
// channels: joined by assignment, by passing as an argument to a function of
// the package, and by returning. This is a package-local flow fact computed
// here; the model's function summaries (issue 9) can own it later.

type class struct {
	parent    *class
	vars      []types.Object
	made      []token.Pos // make(chan ...) assigned into the class
	sends     []op
	recvs     []op
	closes    []token.Pos
	escapes   bool // used where the package loses sight of it
	recvOnly  bool // handed out of the package only as <-chan: outsiders can receive
	buffered  bool
	unbounded bool // a make whose capacity is not a constant
}

type op struct {
	pos, end token.Pos
	text     string
	blocking bool    // not a select case with alternatives
	giveUp   *giveUp // a receive in a select, in a loop another case ends
	maybe    bool    // through an interface: possibly another type's channel
}

func (c *class) root() *class {
	for c.parent != nil {
		c = c.parent
	}
	return c
}

type state struct {
	private map[*types.Var]bool // exported fields of types that stay in the package
	pass    *analysis.Pass
	classes map[types.Object]*class
	results map[*types.Func]*class // functions whose results are a channel of a class

	used         map[types.Object]bool // functions some code refers to (dead.go)
	ifaceMethods map[string]bool       // method names interfaces declare (dead.go)

	// models are the files' models: whether a select case leaves its
	// loop is their reachability answer (leavesLoop).
	models *modelpass.Result
}

// modelAt returns the model of the file holding pos, or nil.
func (st *state) modelAt(pos token.Pos) *model.File {
	if st.models == nil {
		return nil
	}
	for _, f := range st.pass.Files {
		if f.FileStart <= pos && pos <= f.FileEnd {
			return st.models.Files[f]
		}
	}
	return nil
}

func (st *state) of(obj types.Object) *class {
	c := st.classes[obj]
	if c == nil {
		c = &class{vars: []types.Object{obj}}
		st.classes[obj] = c
		if !st.trackable(obj) {
			c.escapes = true
		}
	}
	return c.root()
}

func union(a, b *class) *class {
	a, b = a.root(), b.root()
	if a == b {
		return a
	}
	b.parent = a
	a.vars = append(a.vars, b.vars...)
	a.made = append(a.made, b.made...)
	a.sends = append(a.sends, b.sends...)
	a.recvs = append(a.recvs, b.recvs...)
	a.closes = append(a.closes, b.closes...)
	a.escapes = a.escapes || b.escapes
	a.recvOnly = a.recvOnly || b.recvOnly
	a.buffered = a.buffered || b.buffered
	a.unbounded = a.unbounded || b.unbounded
	return a
}

// trackable: code outside the package cannot reach the variable.
func (st *state) trackable(obj types.Object) bool {
	v, ok := obj.(*types.Var)
	if !ok || v.Pkg() != st.pass.Pkg {
		return false
	}
	if v.IsField() {
		if st.private == nil {
			st.private = privateFields(st.pass.Pkg) // private.go
		}
		return !v.Embedded() && (!st.public(v) || st.private[v])
	}
	if v.Parent() == st.pass.Pkg.Scope() {
		return !st.public(v)
	}
	return true
}

func isChan(t types.Type) (*types.Chan, bool) {
	if t == nil {
		return nil, false
	}
	c, ok := t.Underlying().(*types.Chan)
	return c, ok
}

func run(pass *analysis.Pass) (any, error) {
	st := &state{pass: pass, classes: map[types.Object]*class{}, results: map[*types.Func]*class{}}
	st.models, _ = pass.ResultOf[modelpass.Analyzer].(*modelpass.Result)
	defer forgetPass(pass)
	ins := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	info := pass.TypesInfo

	// Functions that return a channel variable of the package: their calls
	// are that class.
	for c := range ins.Root().Preorder((*ast.FuncDecl)(nil)) {
		fd := c.Node().(*ast.FuncDecl)
		fn, _ := info.Defs[fd.Name].(*types.Func)
		if fn == nil || fd.Body == nil {
			continue
		}
		sig := fn.Type().(*types.Signature)
		if st.public(fn) {
			// Callers elsewhere may pass their own channels, or receive.
			for i := 0; i < sig.Params().Len(); i++ {
				if _, ok := isChan(sig.Params().At(i).Type()); ok {
					st.of(sig.Params().At(i)).escapes = true
				}
			}
		}
		if sig.Results().Len() != 1 {
			continue
		}
		ct, ok := isChan(sig.Results().At(0).Type())
		if !ok {
			continue
		}
		var cls *class
		ok = true
		ast.Inspect(fd.Body, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				return false
			case *ast.ReturnStmt:
				if len(n.Results) != 1 {
					ok = false
					return false
				}
				if id, isNil := ast.Unparen(n.Results[0]).(*ast.Ident); isNil && id.Name == "nil" {
					return false
				}
				obj := st.varOf(n.Results[0])
				if obj == nil {
					ok = false
					return false
				}
				if cls == nil {
					cls = st.of(obj)
				} else {
					cls = union(cls, st.of(obj))
				}
			}
			return true
		})
		if !ok || cls == nil {
			continue
		}
		st.results[fn] = cls
		if st.public(fn) {
			// Callers elsewhere get it: with <-chan they can only receive.
			if ct.Dir() == types.RecvOnly {
				cls.recvOnly = true
			} else {
				cls.escapes = true
			}
		}
	}

	// A function returning a channel that is used as a value, not called
	// (put in a template FuncMap, passed as a callback), is called by code
	// the package does not show: that code may receive (text/template's
	// count).
	for cur := range ins.Root().Preorder((*ast.Ident)(nil)) {
		id := cur.Node().(*ast.Ident)
		fn, ok := info.Uses[id].(*types.Func)
		if !ok || st.results[fn] == nil {
			continue
		}
		callee := ast.Node(id)
		parent := cur.Parent()
		if sel, ok := parent.Node().(*ast.SelectorExpr); ok && sel.Sel == id {
			callee, parent = sel, parent.Parent()
		}
		if call, ok := parent.Node().(*ast.CallExpr); !ok || call.Fun != callee {
			st.results[fn].root().escapes = true
		}
	}

	// Every identifier that refers to a channel variable.
	for cur := range ins.Root().Preorder((*ast.Ident)(nil)) {
		id := cur.Node().(*ast.Ident)
		obj := info.Uses[id]
		if obj == nil {
			obj = info.Defs[id]
		}
		v, ok := obj.(*types.Var)
		if !ok {
			continue
		}
		if _, ok := isChan(v.Type()); !ok {
			continue
		}
		cls := st.of(v)
		// The expression the identifier is (x.f for a field).
		expr := ast.Expr(id)
		parent := cur.Parent()
		if sel, ok := parent.Node().(*ast.SelectorExpr); ok && sel.Sel == id {
			expr = sel
			parent = parent.Parent()
		} else if ok {
			continue // the X of a selector: a method value on a channel type, rare
		}
		st.use(cls, expr, parent, v)
	}

	// Receives straight from a call that returns a channel of a class:
	// <-s.Done(), range s.Events().
	for cur := range ins.Root().Preorder((*ast.UnaryExpr)(nil), (*ast.RangeStmt)(nil)) {
		var x ast.Expr
		var from, to token.Pos
		blocking := true
		var gu *giveUp // a select case that gives up, as for a variable (use)
		switch n := cur.Node().(type) {
		case *ast.UnaryExpr:
			if n.Op != token.ARROW {
				continue
			}
			x, from, to, blocking = n.X, n.OpPos, n.End(), !inChoice(cur.Parent())
			gu = st.loopGiveUp(cur, n)
		case *ast.RangeStmt:
			x, from, to = n.X, n.For, n.X.End()
		}
		call, ok := ast.Unparen(x).(*ast.CallExpr)
		if !ok {
			continue
		}
		if fn := st.callee(call); fn != nil && st.results[fn] != nil {
			cls := st.results[fn].root()
			cls.recvs = append(cls.recvs, op{from, to, types.ExprString(call), blocking, gu, false})
			continue
		}
		// A call through an interface may run any method of the package
		// that implements it: each such method's channel may be received
		// from here (grpc's balancer.Notify()).
		for fn, cls := range st.results {
			if viaInterface(pass, call, fn) {
				cls = cls.root()
				cls.recvs = append(cls.recvs, op{from, to, types.ExprString(call), blocking, nil, true})
			}
		}
	}

	// Sends on and closes of a call's result: s.in() <- v, close(s.out()).
	// They only ever silence a finding (a class with a sender or a close
	// is not "never sent on"), so those through an interface count too,
	// and none of them is taken as a blocking send.
	for cur := range ins.Root().Preorder((*ast.SendStmt)(nil), (*ast.CallExpr)(nil)) {
		var x ast.Expr
		isClose := false
		switch n := cur.Node().(type) {
		case *ast.SendStmt:
			x = n.Chan
		case *ast.CallExpr:
			if id, ok := ast.Unparen(n.Fun).(*ast.Ident); ok && id.Name == "close" && len(n.Args) == 1 {
				if _, b := info.Uses[id].(*types.Builtin); b {
					x, isClose = n.Args[0], true
				}
			}
		}
		call, ok := ast.Unparen(x).(*ast.CallExpr)
		if !ok {
			continue
		}
		for fn, cls := range st.results {
			if st.callee(call) == fn || viaInterface(pass, call, fn) {
				cls = cls.root()
				if isClose {
					cls.closes = append(cls.closes, call.Pos())
				} else {
					cls.sends = append(cls.sends, op{call.Pos(), call.End(), types.ExprString(call), false, nil, true})
				}
			}
		}
	}

	var funcs [][2]token.Pos // every function body, for closedBefore
	for cur := range ins.Root().Preorder((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		funcs = append(funcs, [2]token.Pos{cur.Node().Pos(), cur.Node().End()})
	}
	var out []analysis.Diagnostic
	seen := map[*class]bool{}
	for _, c := range st.classes {
		c = c.root()
		if seen[c] {
			continue
		}
		seen[c] = true
		if c.escapes || len(c.made) == 0 {
			continue
		}
		before := len(out)
		if len(c.sends) == 0 && len(c.closes) == 0 && len(c.recvs) > 0 {
			for _, r := range c.recvs {
				if r.blocking && !r.maybe {
					out = append(out, analysis.Diagnostic{Pos: r.pos, End: r.end, Category: name,
						Message: fmt.Sprintf("nothing in the package sends on or closes %s (made at %s), and it %s: this receive blocks forever",
							r.text, chanutil.Where(pass.Fset, c.made[0], r.pos), leaves(c)),
						Related: []analysis.RelatedInformation{{Pos: c.made[0], Message: "the channel is made here"}}})
					break
				}
			}
		}
		// Buffered: a sink whose sends may all fit (an error channel
		// nobody reads but that never fills) is not worth a finding.
		live, deadIn := st.liveRecvs(c)
		if len(live) == 0 && !c.recvOnly && len(c.sends) > 0 && !c.buffered && !c.unbounded {
			for _, s := range c.sends {
				if !s.blocking || closedBefore(funcs, c, s.pos) {
					continue
				}
				if fd := chanutil.DeclAt(pass.Files, s.pos); len(deadIn) > 0 && (fd == nil || st.dead(fd)) {
					continue // the send never runs either
				}
				what := "this send blocks forever"
				if len(deadIn) > 0 {
					what = "its only receive is in " + deadIn[0] + ", which nothing calls: " + what
				}
				out = append(out, analysis.Diagnostic{Pos: s.pos, End: s.end, Category: name,
					Message: fmt.Sprintf("nothing in the package receives from %s (made at %s), and it does not leave the package: %s",
						s.text, chanutil.Where(pass.Fset, c.made[0], s.pos), what),
					Related: []analysis.RelatedInformation{{Pos: c.made[0], Message: "the channel is made here"}}})
				break
			}
		}
		if len(live) == 0 && !c.recvOnly && (c.buffered || c.unbounded) {
			if s, fn, ok := repeatedSinkSend(pass, c); ok && !closedBefore(funcs, c, s.pos) {
				dead := ""
				if len(deadIn) > 0 {
					dead = deadIn[0]
				}
				out = append(out, analysis.Diagnostic{Pos: s.pos, End: s.end, Category: name,
					Message: message("repeatedSink", map[string]any{
						"Chan": s.text, "Made": chanutil.Where(pass.Fset, c.made[0], s.pos), "Func": fn.Name(), "Exported": public(pass, fn),
						"DeadIn": dead,
					}),
					Related: []analysis.RelatedInformation{{Pos: c.made[0], Message: "the channel is made here, with a buffer"}}})
			}
		}
		if d, ok := gaveUpPartner(pass, st, c); ok {
			out = append(out, d)
		}
		if d, ok := skippedSend(pass, c); ok {
			out = append(out, d)
		}
		if d, ok := errExitPartner(pass, c); ok {
			out = append(out, d)
		} else if d, ok := errFanout(pass, c); ok { // errfanout.go
			out = append(out, d)
		} else if d, ok := fieldEarlyReturn(pass, c); ok { // fieldearly.go
			out = append(out, d)
		}
		if d, ok := broadcastBySend(pass, c); ok {
			out = append(out, d)
		}
		if d, ok := condChan(pass, c); ok { // condchan.go
			out = append(out, d)
		}
		if len(out) == before {
			// endless.go: only when no other rule has explained the class.
			if d, ok := endlessProducer(pass, c); ok {
				out = append(out, d)
			} else if d, ok := finiteProducer(pass, c); ok { // finite.go
				out = append(out, d)
			}
		}
	}
	var roots []*class
	for c := range seen {
		roots = append(roots, c)
	}
	out = append(out, sendCycles(pass, st, roots)...)
	out = append(out, circularWaits(pass, roots)...)
	for _, d := range out {
		pass.Report(d)
	}
	return nil, nil
}

// closedBefore reports whether the class is closed earlier in the
// function that sends at p: a send on a closed channel panics rather than
// block (runtime's crash tests do it on purpose).
func closedBefore(funcs [][2]token.Pos, c *class, p token.Pos) bool {
	inner := func(p token.Pos) [2]token.Pos {
		var best [2]token.Pos
		for _, f := range funcs {
			if f[0] <= p && p < f[1] && (best[1] == 0 || f[1]-f[0] < best[1]-best[0]) {
				best = f
			}
		}
		return best
	}
	f := inner(p)
	for _, cl := range c.closes {
		if cl < p && inner(cl) == f {
			return true
		}
	}
	return false
}

func leaves(c *class) string {
	if c.recvOnly {
		return "leaves the package only as a receive-only channel"
	}
	return "does not leave the package"
}

// varOf is the channel variable an expression reads: x, s.f, (x).
func (st *state) varOf(e ast.Expr) types.Object {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		if v, ok := st.pass.TypesInfo.Uses[e].(*types.Var); ok {
			return v
		}
	case *ast.SelectorExpr:
		if sel := st.pass.TypesInfo.Selections[e]; sel != nil && sel.Kind() == types.FieldVal {
			return sel.Obj()
		}
	}
	return nil
}

// flow joins the class of the value expression e into cls: a channel
// variable, a function call of the package that returns one, make (a
// made channel), or nil. Anything else loses sight of the channel.
func (st *state) flow(cls *class, e ast.Expr) *class {
	e = ast.Unparen(e)
	switch x := e.(type) {
	case *ast.Ident:
		if x.Name == "nil" {
			if _, isNil := st.pass.TypesInfo.Uses[x].(*types.Nil); isNil {
				return cls
			}
		}
	case *ast.CallExpr:
		if id, ok := ast.Unparen(x.Fun).(*ast.Ident); ok && id.Name == "make" {
			if _, b := st.pass.TypesInfo.Uses[id].(*types.Builtin); b {
				cls.made = append(cls.made, x.Pos())
				if len(x.Args) > 1 {
					tv := st.pass.TypesInfo.Types[x.Args[1]]
					if tv.Value == nil {
						cls.unbounded = true
					} else if tv.Value.String() != "0" {
						cls.buffered = true
					}
				}
				return cls
			}
		}
		if fn := st.callee(x); fn != nil && st.results[fn] != nil {
			return union(cls, st.results[fn])
		}
	}
	if obj := st.varOf(e); obj != nil {
		return union(cls, st.of(obj))
	}
	cls.escapes = true
	return cls
}

func (st *state) callee(c *ast.CallExpr) *types.Func {
	return chanutil.PackageCallee(st.pass.TypesInfo, st.pass.Pkg, c)
}

// use classifies one appearance of a channel variable.
func (st *state) use(cls *class, expr ast.Expr, parent inspector.Cursor, v *types.Var) {
	text := types.ExprString(expr)
	for {
		if p, ok := parent.Node().(*ast.ParenExpr); ok {
			expr = p
			parent = parent.Parent()
			continue
		}
		break
	}
	switch p := parent.Node().(type) {
	case *ast.SendStmt:
		if p.Chan == expr {
			cls.sends = append(cls.sends, op{p.Arrow, p.End(), text, !inChoice(parent), nil, false})
			return
		}
		// The channel is the value sent: it goes elsewhere.
	case *ast.UnaryExpr:
		if p.Op == token.ARROW {
			cls.recvs = append(cls.recvs, op{p.OpPos, p.End(), text, !inChoice(parent), st.loopGiveUp(parent, p), false})
			return
		}
	case *ast.RangeStmt:
		if p.X == expr {
			cls.recvs = append(cls.recvs, op{p.For, p.X.End(), text, true, nil, false})
			return
		}
	case *ast.CallExpr:
		if id, ok := ast.Unparen(p.Fun).(*ast.Ident); ok {
			if _, b := st.pass.TypesInfo.Uses[id].(*types.Builtin); b {
				switch id.Name {
				case "close":
					cls.closes = append(cls.closes, p.Pos())
					return
				case "len", "cap":
					// len reads the buffer: someone may drain by it.
					cls.escapes = true
					return
				}
			}
		}
		if expr == p.Fun {
			return
		}
		// An argument: joins the callee's parameter.
		if fn := st.callee(p); fn != nil {
			sig := fn.Type().(*types.Signature)
			for i, a := range p.Args {
				if a == expr && i < sig.Params().Len() && !(sig.Variadic() && i >= sig.Params().Len()-1) {
					union(cls, st.of(sig.Params().At(i)))
					return
				}
			}
		}
	case *ast.BinaryExpr:
		// ch == nil, ch != nil
		return
	case *ast.AssignStmt:
		for i, l := range p.Lhs {
			if l == expr && len(p.Rhs) == len(p.Lhs) {
				st.flow(cls, p.Rhs[i])
				return
			}
		}
		for i, r := range p.Rhs {
			if r == expr && len(p.Rhs) == len(p.Lhs) {
				if obj := st.varOf(p.Lhs[i]); obj != nil {
					union(cls, st.of(obj))
					return
				}
				if id, ok := p.Lhs[i].(*ast.Ident); ok {
					if obj, ok := st.pass.TypesInfo.Defs[id].(*types.Var); ok && obj != nil {
						union(cls, st.of(obj))
						return
					}
					if id.Name == "_" {
						return
					}
				}
			}
		}
	case *ast.ValueSpec:
		for i, n := range p.Names {
			if n == expr {
				if i < len(p.Values) && len(p.Values) == len(p.Names) {
					st.flow(cls, p.Values[i])
				}
				return
			}
		}
		for i, val := range p.Values {
			if val == expr && len(p.Values) == len(p.Names) {
				union(cls, st.of(st.pass.TypesInfo.Defs[p.Names[i]]))
				return
			}
		}
	case *ast.KeyValueExpr:
		if p.Key == expr {
			// A field in a composite literal: T{ch: make(chan int)}.
			st.flow(cls, p.Value)
			return
		}
	case *ast.Field:
		return // a declaration: a parameter, a result or a struct field
	case *ast.ReturnStmt:
		// Joined through the function's results (above) when its every
		// return is a channel variable.
		if fd := enclosingFunc(parent); fd != nil {
			if fn, _ := st.pass.TypesInfo.Defs[fd.Name].(*types.Func); fn != nil && st.results[fn] != nil {
				return
			}
		}
	case *ast.SelectorExpr, *ast.CommClause:
		return
	}
	if _, isDecl := st.pass.TypesInfo.Defs[identOf(expr)].(*types.Var); isDecl {
		return // the declaring identifier (x := ..., range vars)
	}
	cls.escapes = true
}

func identOf(e ast.Expr) *ast.Ident {
	switch e := e.(type) {
	case *ast.Ident:
		return e
	case *ast.SelectorExpr:
		return e.Sel
	}
	return nil
}

func enclosingFunc(c inspector.Cursor) *ast.FuncDecl {
	for ; c.Node() != nil; c = c.Parent() {
		switch n := c.Node().(type) {
		case *ast.FuncLit:
			return nil
		case *ast.FuncDecl:
			return n
		}
	}
	return nil
}

// inChoice reports an operation that is a case of a select with another
// case or a default: it need not block.
func inChoice(c inspector.Cursor) bool {
	start, end := c.Node().Pos(), c.Node().End()
	for ; c.Node() != nil; c = c.Parent() {
		switch n := c.Node().(type) {
		case *ast.CommClause:
			// Only the case's own communication is a choice; a statement
			// of its body blocks like any other.
			if n.Comm == nil || !(n.Comm.Pos() <= start && end <= n.Comm.End()) {
				return false
			}
			sel := c.Parent().Parent().Node().(*ast.SelectStmt)
			return len(sel.Body.List) > 1
		case ast.Stmt:
			if _, ok := n.(*ast.AssignStmt); ok {
				continue
			}
			if _, ok := n.(*ast.ExprStmt); ok {
				continue
			}
			if _, ok := n.(*ast.SendStmt); ok {
				continue
			}
			return false
		case *ast.FuncLit:
			return false
		}
	}
	return false
}
