package model

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"unsafe"
)

// visitor walks the file once, carrying where it is (walkState): which
// function, whether inside a loop or a branch, which goroutine body, which
// select case. One visitor serves the whole walk: a node that changes the
// state saves the old one on a stack and returns a restorer, which puts it
// back when the walk leaves the node. (A visitor per block, loop and
// branch was a large share of the build's garbage.)
type visitor struct {
	b *builder
	walkState
	saved []walkState
}

// restorer walks a node's children with the visitor, then restores the
// state the node changed. It is pointer-shaped, so returning it as an
// ast.Visitor allocates nothing.
type restorer struct{ v *visitor }

func (r restorer) Visit(n ast.Node) ast.Visitor {
	if n == nil {
		v := r.v
		v.walkState = v.saved[len(v.saved)-1]
		v.saved = v.saved[:len(v.saved)-1]
		return nil
	}
	return r.v.Visit(n)
}

type walkState struct {
	fn          *Func
	inLoop      bool // inside a loop of fn
	conditional bool // inside a branch or loop of fn
	goroutine   *Goroutine
	selectCase  *SelectCase
	// selectComm is the case's own communication (the send statement, or
	// the receive expression): an operation nested in it — the value
	// sent in case out <- <-in — runs when the select is entered, not as
	// the case.
	selectComm ast.Node
	block      *ast.BlockStmt
	// caps collects, for each enclosing go or defer function literal, the
	// variables of outer functions its body refers to, during this one walk.
	caps []*captureCollector
}

// captureCollector gathers the captures of one function literal. A
// literal captures a few variables, so slices scanned in order serve
// better than sets (which were a large share of the build's garbage).
type captureCollector struct {
	lit     *ast.FuncLit
	top     *Func // the outermost enclosing function declaration
	out     []captureWithKey
	written []VarKey // variables the literal assigns to, captured or not
	// seen and writtenSet index out and written once they grow long
	// (a huge literal), so that the collector stays linear.
	seen       map[VarKey]bool
	writtenSet map[VarKey]bool
	// outRoom and writtenRoom are out's and written's first backing
	// arrays: a literal captures a handful of variables, so one
	// allocation holds the collector and its lists.
	outRoom     [4]captureWithKey
	writtenRoom [2]VarKey
}

const collectorScan = 32

// newCollector returns an empty collector for lit, reusing one whose
// literal has been walked: its result is copied out (result), and the
// collectors, a few hundred bytes each, were the walk's largest garbage
// after the channel operations.
func (b *builder) newCollector(lit *ast.FuncLit, top *Func) *captureCollector {
	var c *captureCollector
	if n := len(b.freeCols); n > 0 {
		c, b.freeCols = b.freeCols[n-1], b.freeCols[:n-1]
		*c = captureCollector{}
	} else {
		c = new(captureCollector)
	}
	c.lit, c.top = lit, top
	c.out, c.written = c.outRoom[:0], c.writtenRoom[:0]
	return c
}

func (c *captureCollector) has(k VarKey) bool {
	if c.seen != nil {
		return c.seen[k]
	}
	for i := range c.out {
		if c.out[i].key == k {
			return true
		}
	}
	return false
}

func (c *captureCollector) add(cw captureWithKey) {
	c.out = append(c.out, cw)
	if c.seen == nil && len(c.out) > collectorScan {
		c.seen = make(map[VarKey]bool, 2*len(c.out))
		for _, o := range c.out {
			c.seen[o.key] = true
		}
	} else if c.seen != nil {
		c.seen[cw.key] = true
	}
}

func (c *captureCollector) isWritten(k VarKey) bool {
	if c.writtenSet != nil {
		return c.writtenSet[k]
	}
	for _, w := range c.written {
		if w == k {
			return true
		}
	}
	return false
}

func (c *captureCollector) write(k VarKey) {
	if c.isWritten(k) {
		return
	}
	c.written = append(c.written, k)
	if c.writtenSet == nil && len(c.written) > collectorScan {
		c.writtenSet = make(map[VarKey]bool, 2*len(c.written))
		for _, w := range c.written {
			c.writtenSet[w] = true
		}
	} else if c.writtenSet != nil {
		c.writtenSet[k] = true
	}
}

// marked returns the captures with Written set: the collector's own
// list, valid until it is reused (a defer keeps only their names).
func (c *captureCollector) marked() []captureWithKey {
	for i := range c.out {
		c.out[i].Written = c.isWritten(c.out[i].key)
	}
	return c.out
}

// with changes the state for the node's children (leaving any select
// case), and restores it after them.
func (v *visitor) with(f func(w *walkState)) ast.Visitor {
	v.saved = append(v.saved, v.walkState)
	v.selectCase = nil
	f(&v.walkState)
	return restorer{v}
}

func (v *visitor) Visit(n ast.Node) ast.Visitor {
	b := v.b
	// Identifiers and literals are most of the nodes and declare, call
	// and send nothing: only captures are looked up for them.
	switch n := n.(type) {
	case *ast.Ident:
		for _, c := range v.caps {
			b.captureIdent(n, c)
		}
		return nil
	case *ast.BasicLit:
		return nil
	case *ast.CompositeLit:
		if len(v.caps) > 0 && b.m.Info == nil {
			b.markFieldKeys(n)
		}
	}
	if v.fn != nil {
		b.declareNode(n) // locals are declared as the walk reaches them
		b.flow(v, n)     // calls and escapes, for function summaries
	}
	switch n := n.(type) {
	case nil:
		return nil
	case *ast.FuncDecl:
		f := b.slabs.funcs.new()
		*f = Func{Name: funcDeclName(n), Pos: n.Pos(), End: n.End(), Body: n.Body, Type: n.Type, Node: n}
		b.m.Funcs = append(b.m.Funcs, f)
		ast.Walk(v, n.Type) // channel types of parameters and results
		if n.Body == nil {
			return nil
		}
		saved := v.walkState
		v.walkState = walkState{fn: f, block: n.Body}
		ast.Walk(v, n.Body)
		v.walkState = saved
		return nil
	case *ast.FuncLit:
		f := b.slabs.funcs.new()
		*f = Func{Name: "func literal", Pos: n.Pos(), End: n.End(), Body: n.Body, Type: n.Type, Lit: true, Parent: v.fn, Node: n}
		b.funcOf[n] = f
		b.m.Funcs = append(b.m.Funcs, f)
		w := walkState{fn: f, goroutine: v.goroutine, block: n.Body, caps: v.caps}
		var g *Goroutine
		if n == b.goLit {
			g = b.goOfLit
		}
		if g != nil {
			f.GoBody, g.Body = g, f
			w.goroutine = g
		}
		var d *Defer
		if n == b.deferLit {
			d = b.deferOf
		}
		f.Deferred, f.deferredBy = d != nil, d
		var col *captureCollector
		if (g != nil || d != nil) && v.fn != nil {
			top := v.fn
			for top.Parent != nil {
				top = top.Parent
			}
			// A go or defer literal captures a handful of variables:
			// room for them up front saves the slices' growth, a large
			// share of the walk's garbage.
			col = b.newCollector(n, top)
			// The collectors of the literals being walked are a stack:
			// this literal's list is the enclosing one's plus col, cut
			// from one array (a sibling literal, walked after this one
			// is done, reuses the slot).
			n := len(v.caps)
			b.capStack = append(b.capStack[:n], col)
			w.caps = b.capStack[: n+1 : n+1]
		}
		ast.Walk(v, n.Type)
		saved := v.walkState
		v.walkState = w
		ast.Walk(v, n.Body)
		v.walkState = saved
		if col != nil {
			caps := col.marked()
			if g != nil {
				g.Captures = stripKeys(caps)
			}
			if d != nil {
				if len(caps) > 0 {
					d.Captures = make([]string, 0, len(caps))
				}
				for _, c := range caps {
					d.Captures = append(d.Captures, c.Name)
					if c.IsLoop {
						d.loopCaps = append(d.loopCaps, c.Capture)
					}
					if c.Written {
						d.CapturesWritten = append(d.CapturesWritten, c.Name)
						if isResultName(d.Func, c.Decl) {
							d.SetsResults = append(d.SetsResults, c.Name)
						}
					}
				}
			}
			b.freeCols = append(b.freeCols, col)
		}
		return nil
	case *ast.Ident:
		for _, c := range v.caps {
			b.captureIdent(n, c)
		}
		return nil
	case *ast.BlockStmt:
		return v.with(func(w *walkState) { w.block = n })
	case *ast.ForStmt:
		return v.with(func(w *walkState) { w.inLoop, w.conditional = true, true })
	case *ast.RangeStmt:
		b.rangeStmt(v, n)
		return v.with(func(w *walkState) { w.inLoop, w.conditional = true, true })
	case *ast.IfStmt, *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.CaseClause:
		return v.with(func(w *walkState) { w.conditional = true })
	case *ast.SelectStmt:
		b.selectStmt(v, n)
		return nil
	case *ast.GoStmt:
		b.goStmt(v, n)
		return v
	case *ast.DeferStmt:
		b.deferStmt(v, n)
		return v
	case *ast.SendStmt:
		b.sendStmt(v, n)
	case *ast.UnaryExpr:
		if n.Op == token.ARROW {
			b.recvExpr(v, n)
		}
		if n.Op == token.AND {
			// &x may be written through: its value is no longer known.
			if k, ok := b.keyOf(n.X); ok {
				b.recordAssign(k, assignment{pos: n.Pos(), block: v.block, inLoop: v.inLoop, addr: true})
			}
		}
	case *ast.AssignStmt:
		b.assignStmt(v, n)
		for _, c := range v.caps {
			for _, l := range n.Lhs {
				if k, ok := b.keyOf(l); ok {
					c.write(k)
				}
			}
		}
	case *ast.IncDecStmt:
		for _, c := range v.caps {
			if k, ok := b.keyOf(n.X); ok {
				c.write(k)
			}
		}
		if k, ok := b.keyOf(n.X); ok {
			b.recordAssign(k, assignment{pos: n.Pos(), block: v.block, inLoop: v.inLoop})
		}
	case *ast.ValueSpec:
		b.valueSpec(v, n)
	case *ast.CallExpr:
		if b.callExpr(v, n) {
			return nil
		}
	case *ast.ChanType:
		b.chanType(n, nil)
		return nil
	case *ast.BranchStmt:
		if n.Tok == token.GOTO && v.fn != nil {
			if b.gotoFuncs == nil {
				b.gotoFuncs = map[*Func]bool{}
			}
			b.gotoFuncs[v.fn] = true
		}
	}
	return v
}

func funcDeclName(d *ast.FuncDecl) string {
	if d.Recv == nil || len(d.Recv.List) == 0 {
		return d.Name.Name
	}
	t := d.Recv.List[0].Type
	star := ""
	if s, ok := t.(*ast.StarExpr); ok {
		t, star = s.X, "*"
	}
	switch x := t.(type) {
	case *ast.IndexExpr:
		t = x.X
	case *ast.IndexListExpr:
		t = x.X
	}
	name := "?"
	if id, ok := t.(*ast.Ident); ok {
		name = id.Name
	}
	if star != "" {
		return "(*" + name + ")." + d.Name.Name
	}
	return name + "." + d.Name.Name
}

// ---- channel operations ----

func (b *builder) newOp(v *visitor, kind OpKind, pos, end token.Pos, node ast.Node, ch ast.Expr) *ChanOp {
	op := b.slabs.ops.new()
	*op = ChanOp{
		Kind: kind, Pos: pos, End: end, Node: node,
		ChanExpr: b.text(ch), Chan: b.chanOf(ch),
		Select: v.selectCase, Func: v.fn, InLoop: v.inLoop, InGo: v.goroutine,
	}
	if op.Select != nil && node != v.selectComm {
		op.Select = nil
	}
	op.TimeChan = b.timeChanOf(ch)
	if call, ok := ast.Unparen(ch).(*ast.CallExpr); ok {
		if name, _ := b.pkgCall(call, "time"); name != "" {
			op.Source = "time." + name
		} else if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && sel.Sel.Name == "Done" && len(call.Args) == 0 && b.doneIsContext(sel) {
			op.Source = b.text(sel.X) + ".Done"
			op.DoneGuess = b.m.Info == nil && !b.doneShownContext(sel) // ctxdone.go
		}
	}
	if op.Chan != nil {
		op.Chan.Ops = append(op.Chan.Ops, op)
	}
	b.m.ChanOps = append(b.m.ChanOps, op)
	return op
}

func (b *builder) sendStmt(v *visitor, n *ast.SendStmt) {
	op := b.newOp(v, Send, n.Arrow, n.End(), n, n.Chan)
	op.ValueStr = b.text(n.Value)
	b.addSite(SiteSend, n.Arrow, n.Arrow+2, unsafe.Pointer(op))
}

func (b *builder) recvExpr(v *visitor, n *ast.UnaryExpr) {
	op := b.newOp(v, Recv, n.OpPos, n.End(), n, n.X)
	op.CommaOk = b.commaOk[n]
	b.addSite(SiteRecv, n.OpPos, n.OpPos+2, unsafe.Pointer(op))
}

func (b *builder) rangeStmt(v *visitor, n *ast.RangeStmt) {
	if !b.isChan(n.X) {
		return
	}
	op := b.newOp(v, Range, n.Range, n.End(), n, n.X)
	b.addSite(SiteRange, n.Range, n.Range+token.Pos(len("range")), unsafe.Pointer(op))
}

func (b *builder) chanType(n *ast.ChanType, mk *MakeSite) *ChanType {
	ct := b.slabs.chanTypes.new()
	*ct = ChanType{Pos: n.Begin, End: n.End(), Elem: b.text(n.Value), Dir: dirOf(n.Dir), Make: mk}
	b.m.ChanTypes = append(b.m.ChanTypes, ct)
	end := n.Begin + token.Pos(len("chan"))
	switch n.Dir {
	case ast.RECV:
		end = n.Begin + token.Pos(len("<-chan"))
	case ast.SEND:
		end = n.Arrow + 2
	}
	b.addSite(SiteChanType, n.Begin, end, unsafe.Pointer(ct))
	// The element type may itself be a channel: chan chan int.
	if inner, ok := n.Value.(*ast.ChanType); ok {
		b.chanType(inner, nil)
	}
	return ct
}

// ---- statements ----

func (b *builder) assignStmt(v *visitor, n *ast.AssignStmt) {
	// v, ok := <-ch / v, ok = <-ch
	if len(n.Lhs) == 2 && len(n.Rhs) == 1 {
		if u, ok := ast.Unparen(n.Rhs[0]).(*ast.UnaryExpr); ok && u.Op == token.ARROW {
			b.commaOk[u] = true
		}
	}
	// ctx, cancel := context.WithTimeout(...)
	if len(n.Lhs) == 2 && len(n.Rhs) == 1 {
		if call, ok := ast.Unparen(n.Rhs[0]).(*ast.CallExpr); ok {
			if name, _ := b.pkgCall(call, "context"); name != "" && len(name) > 4 && name[:4] == "With" {
				if id, ok := n.Lhs[1].(*ast.Ident); ok && id.Name != "_" {
					k, _ := b.keyOf(id)
					b.pendingCancel = append(b.pendingCancel, pendingCancel{call: call, name: id.Name, key: k})
				}
				if k, ok := b.keyOf(n.Lhs[0]); ok {
					b.syncVars[k] = "context.Context"
				}
			}
		}
	}
	for i, l := range n.Lhs {
		k, ok := b.keyOf(l)
		if !ok {
			continue
		}
		as := assignment{pos: n.Pos(), block: v.block, inLoop: v.inLoop}
		var rhs ast.Expr
		if len(n.Lhs) == len(n.Rhs) {
			rhs = n.Rhs[i]
		}
		if n.Tok == token.DEFINE || n.Tok == token.ASSIGN {
			as.rhs = rhs // x += e and friends store no value the model knows
		}
		if _, isIdent := l.(*ast.Ident); isIdent {
			b.recordAssign(k, as) // defers' arguments are identifiers
		}
		c := b.chans[k]
		if c == nil {
			continue
		}
		switch {
		case rhs == nil:
			c.Assigned = append(c.Assigned, n.Pos())
		case isNil(rhs, b):
			c.NilSets = append(c.NilSets, n.Pos())
		case b.isMakeChan(rhs):
			// recorded by declare
		default:
			c.Assigned = append(c.Assigned, n.Pos())
		}
	}
}

func (b *builder) valueSpec(v *visitor, n *ast.ValueSpec) {
	for i, name := range n.Names {
		k, ok := b.keyOf(name)
		if !ok {
			continue
		}
		as := assignment{pos: name.Pos(), block: v.block, inLoop: v.inLoop}
		var rhs ast.Expr
		if i < len(n.Values) && len(n.Values) == len(n.Names) {
			rhs = n.Values[i]
			as.rhs = rhs
		} else if len(n.Values) == 0 && n.Type != nil {
			as.rhs, as.zero = n.Type, true // var x T: the zero value, known for basic types
		}
		b.recordAssign(k, as)
		if c := b.chans[k]; c != nil && len(n.Values) > 0 {
			switch {
			case rhs == nil:
				c.Assigned = append(c.Assigned, name.Pos())
			case isNil(rhs, b):
			case b.isMakeChan(rhs):
			default:
				c.Assigned = append(c.Assigned, name.Pos())
			}
		}
	}
}

func zeroValue(t ast.Expr) string {
	id, ok := t.(*ast.Ident)
	if !ok || id.Obj != nil {
		return ""
	}
	switch id.Name {
	case "int", "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64", "uintptr", "byte", "rune", "float32", "float64":
		return "0"
	case "string":
		return `""`
	case "bool":
		return "false"
	}
	return ""
}

func isNil(e ast.Expr, b *builder) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok || id.Name != "nil" {
		return false
	}
	if info := b.m.Info; info != nil {
		if obj := info.Uses[id]; obj != nil {
			_, ok := obj.(*types.Nil)
			return ok
		}
	}
	return id.Obj == nil
}

func (b *builder) isMakeChan(e ast.Expr) bool {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok || !b.isBuiltin(call.Fun, "make") || len(call.Args) == 0 {
		return false
	}
	_, ok = ast.Unparen(call.Args[0]).(*ast.ChanType)
	return ok
}

// ---- go and defer ----

func (b *builder) goStmt(v *visitor, n *ast.GoStmt) {
	g := b.slabs.goroutines.new()
	*g = Goroutine{Pos: n.Go, End: n.End(), Node: n, Func: v.fn, InLoop: v.inLoop, Call: b.text(n.Call), derived: b.m.derived}
	g.Callee = b.calleeName(n.Call)
	if len(n.Call.Args) > 0 {
		g.Args = make([]string, 0, len(n.Call.Args)) // one allocation, not one per doubling
	}
	for _, a := range n.Call.Args {
		g.Args = append(g.Args, b.text(a))
	}
	if lit, ok := ast.Unparen(n.Call.Fun).(*ast.FuncLit); ok {
		b.goLit, b.goOfLit = lit, g // its captures are gathered when the literal is walked
	}
	g.index = int32(len(b.m.Goroutines))
	b.m.Goroutines = append(b.m.Goroutines, g)
	b.addSite(SiteGo, n.Go, n.Go+2, unsafe.Pointer(g))
}

func (b *builder) deferStmt(v *visitor, n *ast.DeferStmt) {
	if v.fn == nil {
		return
	}
	d := b.slabs.defers.new()
	*d = Defer{
		Pos: n.Defer, End: n.End(), Node: n, Func: v.fn,
		Conditional: v.conditional, InLoop: v.inLoop,
		Call: b.text(n.Call), Callee: b.calleeName(n.Call),
	}
	if lit, ok := ast.Unparen(n.Call.Fun).(*ast.FuncLit); ok {
		d.Closure = true
		b.deferLit, b.deferOf = lit, d // its captures are gathered when the literal is walked
	} else if sel, ok := ast.Unparen(n.Call.Fun).(*ast.SelectorExpr); ok {
		if x, ok := sel.X.(*ast.Ident); !ok || !b.isPackage(x) {
			d.Receiver, d.ReceiverExpr = b.text(sel.X), sel.X
		}
	}
	if len(n.Call.Args) > 0 {
		d.Args = make([]DeferArg, 0, len(n.Call.Args)) // one allocation, not one per doubling
	}
	for _, a := range n.Call.Args {
		d.Args = append(d.Args, DeferArg{Expr: b.text(a), Node: a, Pos: a.Pos()})
	}
	v.fn.Defers = append(v.fn.Defers, d)
	b.m.Defers = append(b.m.Defers, d)
	b.deferCall = n.Call
	b.addSite(SiteDefer, n.Defer, n.Defer+token.Pos(len("defer")), unsafe.Pointer(d))
}

func (b *builder) calleeName(call *ast.CallExpr) string {
	switch f := ast.Unparen(call.Fun).(type) {
	case *ast.FuncLit:
		return "func literal"
	case *ast.Ident:
		return f.Name
	case *ast.SelectorExpr:
		return b.text(f)
	case *ast.IndexExpr:
		return b.text(f.X)
	}
	return b.text(call.Fun)
}

type captureWithKey struct {
	Capture
	key VarKey
}

func stripKeys(in []captureWithKey) []Capture {
	out := make([]Capture, len(in))
	for i, c := range in {
		out[i] = c.Capture
	}
	return out
}

func (b *builder) captureIdent(id *ast.Ident, c *captureCollector) {
	lit, top := c.lit, c.top
	if id.Name == "_" {
		return
	}
	var key VarKey
	var decl token.Pos
	if info := b.m.Info; info != nil {
		obj, ok := info.Uses[id].(*types.Var)
		if !ok || obj.IsField() {
			return
		}
		key, decl = VarKey{obj: obj}, obj.Pos()
	} else {
		if id.Obj == nil || id.Obj.Kind != ast.Var || b.fieldKeys[id] {
			return
		}
		key, decl = VarKey{obj: id.Obj}, declPos(id.Obj)
	}
	if !decl.IsValid() || (decl >= lit.Pos() && decl < lit.End()) || decl < top.Pos || decl > top.End {
		return
	}
	if c.has(key) {
		return // seen: only the first mention is recorded
	}
	loop := false
	if b.m.Info == nil {
		if as, ok := id.Obj.Decl.(*ast.AssignStmt); ok && as.Tok == token.DEFINE {
			loop = b.isLoopHeader(as)
		}
	}
	loop = loop || b.loopVars[decl]
	c.add(captureWithKey{Capture: Capture{Name: id.Name, Decl: decl, IsLoop: loop}, key: key})
}

// isLoopHeader reports whether as is the init statement of a for loop or the
// key/value definition of a range clause.
func (b *builder) isLoopHeader(as *ast.AssignStmt) bool {
	// go/parser records range clause variables with a synthesized
	// AssignStmt whose right side is a single UnaryExpr RANGE; for-loop
	// inits are indexed by the declare pass.
	if len(as.Rhs) == 1 {
		if u, ok := as.Rhs[0].(*ast.UnaryExpr); ok && u.Op == token.RANGE {
			return true
		}
	}
	return b.loopHeaders[as]
}

// ---- select ----

func (b *builder) selectStmt(v *visitor, n *ast.SelectStmt) {
	s := &Select{Pos: n.Select, End: n.End(), Node: n, Func: v.fn, InLoop: v.inLoop}
	b.m.Selects = append(b.m.Selects, s)
	b.addSite(SiteSelect, n.Select, n.Select+token.Pos(len("select")), unsafe.Pointer(s))
	if n.Body == nil {
		return
	}
	s.Cases = make([]*SelectCase, 0, len(n.Body.List))
	// The cases themselves, in one allocation: a select has a few.
	cases := make([]SelectCase, len(n.Body.List))
	// Every case is walked in the same state: conditional, in no case
	// but its own communication.
	saved := v.walkState
	v.selectCase, v.conditional = nil, true
	for i, st := range n.Body.List {
		cc, ok := st.(*ast.CommClause)
		if !ok {
			continue
		}
		sc := &cases[i]
		*sc = SelectCase{Pos: cc.Case, Colon: cc.Colon, Select: s, Index: i + 1, Default: cc.Comm == nil}
		s.Cases = append(s.Cases, sc)
		if sc.Default {
			s.Default = sc
			b.addSite(SiteDefault, cc.Case, cc.Case+token.Pos(len("default")), unsafe.Pointer(sc))
		} else {
			b.addSite(SiteCase, cc.Case, cc.Case+token.Pos(len("case")), unsafe.Pointer(sc))
		}
		if cc.Comm != nil {
			v.selectCase, v.selectComm = sc, commNode(cc.Comm)
			ast.Walk(v, cc.Comm)
			v.selectCase, v.selectComm = nil, nil
			sc.Op = b.lastOpIn(cc.Comm)
			if sc.Op != nil {
				sc.Timeout = b.timeoutOf(sc.Op)
			}
		}
		for _, body := range cc.Body {
			ast.Walk(v, body)
		}
	}
	v.walkState = saved
}

// commNode is the node of a select case's own communication: the send
// statement, or the receive expression (<-ch, v := <-ch, v, ok = <-ch).
func commNode(comm ast.Stmt) ast.Node {
	switch s := comm.(type) {
	case *ast.SendStmt:
		return s
	case *ast.ExprStmt:
		return ast.Unparen(s.X)
	case *ast.AssignStmt:
		if len(s.Rhs) == 1 {
			return ast.Unparen(s.Rhs[0])
		}
	}
	return nil
}

// lastOpIn finds the channel operation recorded for a select case's
// communication clause.
func (b *builder) lastOpIn(comm ast.Stmt) *ChanOp {
	for i := len(b.m.ChanOps) - 1; i >= 0; i-- {
		op := b.m.ChanOps[i]
		if op.Pos < comm.Pos() {
			break
		}
		if op.Pos <= comm.End() && op.Select != nil {
			return op
		}
	}
	return nil
}

// timeoutOf names a case operand that fires by time or cancellation.
func (b *builder) timeoutOf(op *ChanOp) string {
	if op.Kind != Recv {
		return ""
	}
	u, ok := op.Node.(*ast.UnaryExpr)
	if !ok {
		return ""
	}
	switch x := ast.Unparen(u.X).(type) {
	case *ast.CallExpr:
		if name, _ := b.pkgCall(x, "time"); name == "After" {
			return b.text(x)
		}
		if sel, ok := ast.Unparen(x.Fun).(*ast.SelectorExpr); ok && sel.Sel.Name == "Done" && len(x.Args) == 0 {
			if b.syncTypeOf(sel.X) == "context.Context" || looksLikeContext(sel.X) {
				return b.text(x)
			}
			if inner, ok := ast.Unparen(sel.X).(*ast.CallExpr); ok {
				if name, _ := b.pkgCall(inner, "context"); name == "Background" || name == "TODO" {
					return b.text(x) // a nil channel: see SelectCase.CtxOrigin
				}
			}
		}
	case *ast.SelectorExpr:
		if x.Sel.Name == "C" && b.isTimer(x.X) {
			return b.text(x)
		}
	}
	return ""
}

func (b *builder) isTimer(e ast.Expr) bool {
	if info := b.m.Info; info != nil {
		if t := info.TypeOf(e); t != nil {
			if p, ok := t.(*types.Pointer); ok {
				t = p.Elem()
			}
			if n, ok := types.Unalias(t).(*types.Named); ok && n.Obj().Pkg() != nil {
				return n.Obj().Pkg().Path() == "time" && n.Obj().Name() == "Timer"
			}
			return false
		}
	}
	k, ok := b.keyOf(e)
	return ok && b.timers[k]
}

// looksLikeContext is the syntax tier's guess for ctx.Done(): a receiver
// named like a context.
func looksLikeContext(e ast.Expr) bool {
	var name string
	switch x := ast.Unparen(e).(type) {
	case *ast.Ident:
		name = x.Name
	case *ast.SelectorExpr:
		name = x.Sel.Name
	}
	return name == "ctx" || name == "Ctx" || name == "context" || len(name) > 3 && (name[len(name)-3:] == "Ctx" || name[len(name)-3:] == "ctx")
}

// ---- calls ----

// callExpr records the call's facts; it reports whether it has walked the
// call's children itself.
func (b *builder) callExpr(v *visitor, call *ast.CallExpr) (walkedChildren bool) {
	fun := ast.Unparen(call.Fun)
	switch {
	case b.isBuiltin(fun, "close") && len(call.Args) == 1:
		op := b.newOp(v, Close, fun.Pos(), call.End(), call, call.Args[0])
		op.Deferred = b.isDeferredCall(v, call)
		b.addSite(SiteClose, fun.Pos(), fun.End(), unsafe.Pointer(op))
		return false
	case b.isBuiltin(fun, "make") && len(call.Args) >= 1:
		if ct, ok := ast.Unparen(call.Args[0]).(*ast.ChanType); ok {
			mk, ch := b.makes[call.Pos()].site, b.makes[call.Pos()].ch
			if mk == nil {
				// A make not assigned to a variable: passed or returned.
				mk = b.slabs.makes.new()
				*mk = MakeSite{Pos: call.Pos(), Elem: b.text(ct.Value), Dir: dirOf(ct.Dir), CapKnown: len(call.Args) < 2}
				if len(call.Args) >= 2 {
					mk.CapExpr = b.text(call.Args[1])
					if val := b.constValue(call.Args[1]); val != nil {
						if n, ok := constIntVal(val); ok {
							mk.Cap, mk.CapKnown = n, true
						}
					}
				}
			}
			t := b.chanType(ct, mk)
			t.Chan = ch
			b.addSite(SiteMake, fun.Pos(), fun.End(), unsafe.Pointer(t))
			for _, a := range call.Args[1:] {
				ast.Walk(v, a)
			}
			return true
		}
		return false
	case b.isBuiltin(fun, "panic") || b.isBuiltin(fun, "recover"):
		id := fun.(*ast.Ident)
		bc := &BuiltinCall{Name: id.Name, Pos: id.Pos(), Call: call, Func: v.fn}
		bc.DirectlyDeferred = v.fn != nil && v.fn.Deferred
		b.m.Builtins = append(b.m.Builtins, bc)
		b.addSite(SiteBuiltin, id.Pos(), id.End(), unsafe.Pointer(bc))
		return false
	}
	if name, sel := b.pkgCall(call, "time"); name != "" {
		b.noteAfterFunc(name, call)
		switch name {
		case "After", "Tick", "Sleep", "NewTimer", "NewTicker", "AfterFunc":
			tc := &TimeCall{Name: name, Pos: sel.Pos(), Call: call, Func: v.fn, InLoop: v.inLoop, Case: v.selectCase}
			if len(call.Args) > 0 {
				tc.Arg = b.text(call.Args[0])
				tc.Value = b.durationText(call.Args[0])
			}
			b.m.TimeCalls = append(b.m.TimeCalls, tc)
			b.addSite(SiteTime, sel.Pos(), sel.End(), unsafe.Pointer(tc))
		}
		return false
	}
	if name, sel := b.pkgCall(call, "context"); name != "" {
		b.noteAfterFunc(name, call)
		switch name {
		case "WithCancel", "WithTimeout", "WithDeadline", "WithCancelCause", "WithTimeoutCause", "WithDeadlineCause":
			cc := &ContextCall{Name: name, Pos: sel.Pos(), Call: call, Func: v.fn, derived: b.m.derived}
			if len(call.Args) > 1 {
				cc.Arg = b.text(call.Args[1])
			}
			for _, p := range b.pendingCancel {
				if p.call == call {
					cc.CancelName = p.name
				}
			}
			if v.fn != nil {
				b.m.CtxCalls = append(b.m.CtxCalls, cc)
				b.addSite(SiteContext, sel.Pos(), sel.End(), unsafe.Pointer(cc))
			}
		case "AfterFunc", "Cause":
			b.noteCtxFunc(v, call, sel, name)
		}
		return false
	}
	sel, ok := fun.(*ast.SelectorExpr)
	if !ok {
		if id, isIdent := fun.(*ast.Ident); isIdent {
			b.noteIdentCall(v, call, id)
		}
		return false
	}
	b.methodCall(v, call, sel)
	return false
}

// methodCall records Mutex, RWMutex, WaitGroup and context Done calls.
func (b *builder) methodCall(v *visitor, call *ast.CallExpr, sel *ast.SelectorExpr) {
	method := sel.Sel.Name
	recvType := b.methodRecvType(sel)
	b.noteMethodCall(v, call, sel, recvType)
	switch method {
	case "Do":
		if recvType == "sync.Once" {
			b.onceDo(v, call, sel)
		}
	case "Lock", "Unlock", "RLock", "RUnlock", "TryLock", "TryRLock":
		if recvType == "" && len(call.Args) == 0 && b.mixedSyncField(sel.X) {
			// A field two struct types of the file declare, one as a
			// Mutex and one as an RWMutex, and the syntax tier cannot
			// tell which struct x is: only an RWMutex has RLock, RUnlock
			// and TryRLock; for the others the type stays unknown ("").
			if method[0] == 'R' || method == "TryRLock" {
				recvType = "sync.RWMutex"
			} else {
				recvType = "mutex?"
			}
		}
		if recvType == "" && len(call.Args) == 0 && b.embeddedMutex != "" && b.m.Info == nil && method[0] != 'R' && method != "TryRLock" {
			// Promoted from an embedded Mutex or RWMutex, and the
			// syntax tier cannot tell which (structs of the file embed
			// both): a lock of unknown type.
			if _, known := b.promotedMutex(sel.X); !known {
				recvType = "mutex?"
			}
		}
		if len(call.Args) != 0 || (recvType != "sync.Mutex" && recvType != "sync.RWMutex" && recvType != "mutex?") {
			return
		}
		if recvType == "sync.Mutex" && method[0] == 'R' || recvType == "sync.Mutex" && method == "TryRLock" {
			return
		}
		if recvType == "mutex?" {
			recvType = ""
		}
		k, _ := b.keyOf(sel.X)
		l := b.slabs.locks.new()
		*l = LockOp{Kind: lockKind(method), Pos: sel.Sel.Pos(), Call: call, Recv: b.text(sel.X), Key: k, Type: recvType, Func: v.fn,
			Deferred: b.isDeferredCall(v, call)}
		b.m.Locks = append(b.m.Locks, l)
		b.addSite(SiteLock, sel.Sel.Pos(), sel.Sel.End(), unsafe.Pointer(l))
	case "Add", "Done", "Wait", "Go":
		if recvType == "context.Context" && method == "Done" && len(call.Args) == 0 {
			cc := &ContextCall{Name: "Done", Pos: sel.Sel.Pos(), Call: call, Recv: b.text(sel.X), Func: v.fn, Case: v.selectCase, derived: b.m.derived}
			b.m.CtxCalls = append(b.m.CtxCalls, cc)
			b.addSite(SiteContext, sel.Sel.Pos(), sel.Sel.End(), unsafe.Pointer(cc))
			return
		}
		if recvType != "sync.WaitGroup" {
			return
		}
		// (A switch: map literals here were built again at every call.)
		kind, wantArgs := WGAdd, 1 // any other method: as Add
		switch method {
		case "Done":
			kind, wantArgs = WGDone, 0
		case "Wait":
			kind, wantArgs = WGWait, 0
		case "Go":
			kind = WGGo
		}
		if len(call.Args) != wantArgs {
			return
		}
		k, _ := b.keyOf(sel.X)
		w := b.slabs.waitGroups.new()
		*w = WaitGroupOp{Kind: kind, Pos: sel.Sel.Pos(), Call: call, Recv: b.text(sel.X), Key: k, Func: v.fn, InGo: v.goroutine,
			Deferred: b.isDeferredCall(v, call)}
		if kind == WGAdd {
			w.Arg = b.text(call.Args[0])
		}
		b.m.WaitGroups = append(b.m.WaitGroups, w)
		b.addSite(SiteWaitGroup, sel.Sel.Pos(), sel.Sel.End(), unsafe.Pointer(w))
	}
}

func constIntVal(v constant.Value) (int64, bool) {
	return constant.Int64Val(constant.ToInt(v))
}

func lockKind(m string) LockKind {
	for i, n := range lockNames {
		if n == m {
			return LockKind(i)
		}
	}
	return Lock
}

// isDeferredCall reports whether call is the call of the defer statement
// being walked.
func (b *builder) isDeferredCall(v *visitor, call *ast.CallExpr) bool {
	if v.fn == nil {
		return false
	}
	return call == b.deferCall
}

// methodRecvType names the sync/context type whose method sel calls.
func (b *builder) methodRecvType(sel *ast.SelectorExpr) string {
	if info := b.m.Info; info != nil {
		if s, ok := info.Selections[sel]; ok {
			if fn, ok := s.Obj().(*types.Func); ok && fn.Pkg() != nil {
				recv := fn.Signature().Recv()
				if recv == nil {
					return ""
				}
				return namedSyncType(recv.Type())
			}
			return ""
		}
		if t := info.TypeOf(sel.X); t != nil {
			return namedSyncType(t)
		}
	}
	if st := b.syncTypeOf(sel.X); st != "" {
		return st
	}
	// A struct embedding a sync.Mutex promotes its methods: s.Lock().
	if b.embeddedMutex != "" {
		switch sel.Sel.Name {
		case "Lock", "Unlock", "TryLock":
			st, _ := b.promotedMutex(sel.X)
			return st
		case "RLock", "RUnlock", "TryRLock":
			if st, _ := b.promotedMutex(sel.X); st == "sync.RWMutex" {
				return st
			}
		}
	}
	return ""
}

// promotedMutex is, on the syntax tier, the sync type whose Lock x.Lock()
// calls through an embedded field. When the syntax tells x's struct type
// (syntaxTypeName), the type comes from that struct: the Mutex or RWMutex
// it embeds, through the structs of the file it embeds, or none (a Lock
// method of its own). Otherwise it is the one the file's structs embed,
// unless two of them embed different ones. known is false where golens
// cannot tell (st is then "").
func (b *builder) promotedMutex(x ast.Expr) (st string, known bool) {
	if len(b.structTypes) > 0 {
		if t, _ := b.syntaxTypeName(x); t != "" && b.structTypes[t] {
			return b.embeddedMutexOf(t)
		}
	}
	if b.embeddedMixed {
		return "", false
	}
	return b.embeddedMutex, true
}

// embeddedMutexOf is the sync.Mutex or sync.RWMutex whose methods the
// struct type t of this file promotes: the shallowest embedded one, as Go
// selects it; "" when it embeds none. known is false when two at one depth
// make x.Lock() ambiguous, or a type embedded on the way is not a struct
// type of this file (its fields are unknown here).
func (b *builder) embeddedMutexOf(t string) (st string, known bool) {
	level, seen := []string{t}, map[string]bool{t: true}
	for depth := 0; depth < 8 && len(level) > 0; depth++ {
		found := ""
		var next []string
		for _, s := range level {
			if !b.structTypes[s] {
				return "", false
			}
			if st := b.embeddedSync[s]; st != "" {
				if found != "" && found != st {
					return "", false
				}
				found = st
			}
			for _, e := range b.embeddedStructs[s] {
				if !seen[e] {
					seen[e] = true
					next = append(next, e)
				}
			}
		}
		if found != "" {
			return found, true
		}
		level = next
	}
	return "", len(level) == 0
}

// isResultName reports whether decl declares a named result of f.
func isResultName(f *Func, decl token.Pos) bool {
	if f == nil || f.Type == nil || f.Type.Results == nil {
		return false
	}
	for _, fld := range f.Type.Results.List {
		for _, n := range fld.Names {
			if n.Pos() == decl {
				return true
			}
		}
	}
	return false
}

// markFieldKeys records the identifier keys of lit, on the syntax tier, as
// field names rather than uses of variables: go/parser resolves a key to
// a variable of the same name in scope (it cannot tell a struct literal
// from a map literal), so `outcome{job: name}` would read as a use of a
// local job. Only a literal whose type is known here to be a map keeps
// its keys as expressions; for one whose type golens cannot see (another
// file's type, an elided type), a key is taken for a field: leaving out a
// variable is silence, taking a field for a variable a false "captures".
func (b *builder) markFieldKeys(lit *ast.CompositeLit) {
	if isMapLit(lit) {
		return
	}
	for _, e := range lit.Elts {
		if kv, ok := e.(*ast.KeyValueExpr); ok {
			if id, ok := kv.Key.(*ast.Ident); ok {
				if b.fieldKeys == nil {
					b.fieldKeys = map[*ast.Ident]bool{}
				}
				b.fieldKeys[id] = true
			}
		}
	}
}

// isMapLit reports whether lit's type, as written, is a map type or a
// name this file declares as one.
func isMapLit(lit *ast.CompositeLit) bool {
	t := lit.Type
	for {
		switch x := t.(type) {
		case *ast.MapType:
			return true
		case *ast.ParenExpr:
			t = x.X
			continue
		case *ast.IndexExpr: // a generic map type: M[K]
			t = x.X
			continue
		case *ast.Ident:
			if x.Obj != nil && x.Obj.Kind == ast.Typ {
				if ts, ok := x.Obj.Decl.(*ast.TypeSpec); ok {
					t = ts.Type
					continue
				}
			}
		}
		return false
	}
}
