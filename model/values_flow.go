package model

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"sort"
	"strings"
	"sync"

	"golang.org/x/tools/go/cfg"
)

// ChanValue is the channel value one operation sees when its variable is
// assigned more than once in the function: which of the assignments reach
// the operation on the paths of the function's control-flow graph.
type ChanValue struct {
	// Makes are the make calls whose value reaches the operation.
	Makes []*MakeSite
	// Nil: the nil value (`var ch chan T`, `ch = nil`) reaches it on some
	// path.
	Nil bool
	// NilSet lists the assignments of an explicit nil (`ch = nil`) that
	// reach it; when Nil is set and NilSet is empty, the nil is the
	// declaration's (`var ch chan T`).
	NilSet []token.Pos
	// NilDecl: the nil of a declaration without a value reaches it.
	NilDecl bool
	// Other: another value reaches it on some path (an assignment from an
	// expression golens does not follow, or the value the variable had
	// before the function's own assignments).
	Other bool
}

// Capacity is the capacity of the channel the operation uses, when every
// path that gives it a channel gives a made one of the same constant
// capacity. (Nil says whether it may be nil instead.)
func (v *ChanValue) Capacity() (int64, bool) {
	if v.Other || len(v.Makes) == 0 {
		return 0, false
	}
	first := v.Makes[0]
	for _, mk := range v.Makes {
		if !mk.CapKnown || mk.Cap != first.Cap {
			return 0, false
		}
	}
	return first.Cap, true
}

// Capacity is the capacity of the channel this operation uses: from the
// makes that reach it on the paths of its function when the variable is
// reassigned there (see ChanValue), otherwise from the channel's makes.
func (op *ChanOp) Capacity() (int64, bool) {
	if at := op.At(); at != nil {
		return at.Capacity()
	}
	if op.Chan == nil {
		return 0, false
	}
	return op.Chan.Capacity()
}

// MayUse reports whether the channel made at mk may be the one op uses:
// false only when the model knows which values reach op (its variable is
// reassigned in op's function, see At) and mk's is not among them.
func (op *ChanOp) MayUse(mk *MakeSite) bool {
	at := op.At()
	if at == nil || at.Other {
		return true
	}
	for _, m := range at.Makes {
		if m == mk {
			return true
		}
	}
	return false
}

// MakeAt is the make whose channel this operation uses, when a single one
// reaches it; otherwise nil.
func (op *ChanOp) MakeAt() *MakeSite {
	if at := op.At(); at != nil {
		if len(at.Makes) == 1 && !at.Nil && !at.Other {
			return at.Makes[0]
		}
		return nil
	}
	if op.Chan != nil && len(op.Chan.Makes) == 1 {
		return op.Chan.Makes[0]
	}
	return nil
}

// CtxOrigin says where the context of a ctx.Done() case comes from.
type CtxOrigin int

const (
	// CtxUnknown: a parameter, a field, or assignments that disagree:
	// whether it has a deadline depends on code golens does not follow.
	CtxUnknown CtxOrigin = iota
	// CtxDeadline: made by context.WithTimeout or WithDeadline (or their
	// Cause variants) on every path golens sees: Done closes at the
	// deadline or on cancel.
	CtxDeadline
	// CtxCancel: made by context.WithCancel (or WithCancelCause): Done
	// closes when cancel is called or the parent is done.
	CtxCancel
	// CtxNever: context.Background() or TODO(): Done returns nil, and a
	// receive from nil never proceeds.
	CtxNever
)

func (o CtxOrigin) String() string {
	return [...]string{"unknown", "deadline", "cancel", "never"}[o]
}

// write is one assignment to a variable.
type write struct {
	pos  token.Pos // the statement or spec
	node ast.Node
	rhs  ast.Expr // the value stored; for a tuple from one call, the call
	// unknown: a write whose value golens cannot tell (x op= e, &x taken,
	// range variables).
	unknown bool
}

// valueVars collects the variables whose value at an operation depends on
// the path: local channels assigned more than once, and contexts whose
// Done is a select case.
type valueVars struct {
	chans map[VarKey]*Chan
	ctxs  map[VarKey]bool
	// mu guards the write lists, which the flows of several functions
	// can ask for at once.
	mu sync.Mutex
	// inTop holds the writes of each wanted variable, in source order,
	// found in one top-level function: all the writes of a variable
	// declared there. A hover pays for the walk of its own function only.
	inTop map[*Func]map[VarKey][]write
	// inFile holds the writes found in the whole file, for variables
	// declared outside any function (package-level, unresolved); nil
	// until one is asked for.
	inFile map[VarKey][]write
}

func (fb *flowBuilder) wanted() *valueVars {
	fb.vvOnce.Do(fb.collectWanted)
	return fb.vv
}

// collectWanted finds the variables whose value depends on the path.
// Their writes are collected when a function's flow first asks
// (writesOf).
func (fb *flowBuilder) collectWanted() {
	vv := &valueVars{chans: map[VarKey]*Chan{}, ctxs: map[VarKey]bool{}}
	fb.vv = vv
	for _, c := range fb.m.Chans {
		if reassignedLocal(c) {
			vv.chans[c.Key] = c
		}
	}
	for _, op := range fb.m.ChanOps {
		if x := ctxOfOp(op); x != nil {
			if k, ok := fb.b.keyOf(x); ok {
				vv.ctxs[k] = true
			}
		}
	}
	// And the contexts of Done calls outside a receive (values).
	for _, c := range fb.m.CtxCalls {
		if c.Name != "Done" || c.Call == nil {
			continue
		}
		if sel, ok := ast.Unparen(c.Call.Fun).(*ast.SelectorExpr); ok {
			if k, ok := fb.b.keyOf(sel.X); ok {
				vv.ctxs[k] = true
			}
		}
	}
}

// writesOf returns every write to the wanted variable k in the file, in
// source order, as read from fn: a variable declared in fn's top-level
// function is written only there, and only that function is walked;
// any other variable costs one walk of the file.
func (fb *flowBuilder) writesOf(vv *valueVars, k VarKey, fn *Func) []write {
	if vv.chans[k] == nil && !vv.ctxs[k] {
		return nil
	}
	top := fn
	for top != nil && top.Parent != nil {
		top = top.Parent
	}
	vv.mu.Lock()
	defer vv.mu.Unlock()
	if d := k.declOf(); top != nil && top.Body != nil && d.IsValid() && d >= top.Pos && d < top.End {
		ws, done := vv.inTop[top]
		if !done {
			if vv.inTop == nil {
				vv.inTop = map[*Func]map[VarKey][]write{}
			}
			ws = fb.collectWrites(vv, top.Body)
			vv.inTop[top] = ws
		}
		return ws[k]
	}
	if vv.inFile == nil {
		vv.inFile = fb.collectWrites(vv, fb.m.AST)
	}
	return vv.inFile[k]
}

// collectWrites finds every write under root to the variables whose
// value depends on the path.
func (fb *flowBuilder) collectWrites(vv *valueVars, root ast.Node) map[VarKey][]write {
	writes := map[VarKey][]write{}
	if len(vv.chans) == 0 && len(vv.ctxs) == 0 {
		return writes
	}
	want := func(e ast.Expr) (VarKey, bool) {
		if _, ok := ast.Unparen(e).(*ast.Ident); !ok {
			return VarKey{}, false
		}
		k, ok := fb.b.keyOf(e)
		if !ok || (vv.chans[k] == nil && !vv.ctxs[k]) {
			return VarKey{}, false
		}
		return k, true
	}
	ast.Inspect(root, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for i, l := range n.Lhs {
				k, ok := want(l)
				if !ok {
					continue
				}
				w := write{pos: n.Pos(), node: n}
				switch {
				case n.Tok != token.DEFINE && n.Tok != token.ASSIGN:
					w.unknown = true
				case len(n.Lhs) == len(n.Rhs):
					w.rhs = n.Rhs[i]
				case len(n.Rhs) == 1 && i == 0:
					w.rhs = n.Rhs[0] // ctx, cancel := context.WithTimeout(...)
				default:
					w.unknown = true
				}
				writes[k] = append(writes[k], w)
			}
		case *ast.ValueSpec:
			for i, name := range n.Names {
				k, ok := want(name)
				if !ok {
					continue
				}
				w := write{pos: name.Pos(), node: n}
				switch {
				case len(n.Values) == 0:
					// var ch chan T: nil (a context variable: nil too)
				case len(n.Values) == len(n.Names):
					w.rhs = n.Values[i]
				case len(n.Values) == 1 && i == 0:
					w.rhs = n.Values[0]
				default:
					w.unknown = true
				}
				writes[k] = append(writes[k], w)
			}
		case *ast.UnaryExpr:
			if n.Op == token.AND {
				if k, ok := want(n.X); ok {
					writes[k] = append(writes[k], write{pos: n.Pos(), node: n, unknown: true})
				}
			}
		case *ast.RangeStmt:
			for _, e := range []ast.Expr{n.Key, n.Value} {
				if e == nil {
					continue
				}
				if k, ok := want(e); ok {
					writes[k] = append(writes[k], write{pos: e.Pos(), node: n, unknown: true})
				}
			}
		}
		return true
	})
	return writes
}

// ctxOfCase returns the context expression of a `case <-ctx.Done():`.
func ctxOfCase(c *SelectCase) ast.Expr {
	if c.Op == nil || c.Timeout == "" {
		return nil
	}
	return ctxOfOp(c.Op)
}

// ctxOfOp returns the context expression of a receive `<-ctx.Done()`.
func ctxOfOp(op *ChanOp) ast.Expr {
	if op.Kind != Recv || !strings.HasSuffix(op.Source, ".Done") {
		return nil
	}
	u, ok := op.Node.(*ast.UnaryExpr)
	if !ok {
		return nil
	}
	call, ok := ast.Unparen(u.X).(*ast.CallExpr)
	if !ok {
		return nil
	}
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Done" || len(call.Args) != 0 {
		return nil
	}
	return sel.X
}

// reassignedLocal reports whether c is a local channel variable written
// more than once: its value at an operation depends on the path. A
// parameter the function assigns (a = nil to disable a select case) is
// one too: the caller's channel is its value on entry only.
func reassignedLocal(c *Chan) bool {
	n := len(c.Makes) + len(c.NilSets) + len(c.Assigned)
	if c.declaredBare {
		n++
	}
	if c.IsParam {
		return !c.IsField && c.Decl.IsValid() && n > 0
	}
	return c.Local && !c.IsField && n > 1
}

// valueFuncs lists the functions holding operations whose value depends
// on the path: they need a control-flow graph.
func (fb *flowBuilder) valueFuncs() []*Func {
	var out []*Func
	seen := map[*Func]bool{}
	for _, op := range fb.m.ChanOps {
		if op.Chan != nil && reassignedLocal(op.Chan) && op.Func != nil && !seen[op.Func] {
			seen[op.Func] = true
			out = append(out, op.Func)
		}
	}
	for _, op := range fb.m.ChanOps {
		if op.Func != nil && !seen[op.Func] && ctxOfOp(op) != nil {
			seen[op.Func] = true
			out = append(out, op.Func)
		}
	}
	// A Done call outside a receive (plain.Done() == nil): its hover
	// reads the same origin (values).
	for _, c := range fb.m.CtxCalls {
		if c.Name == "Done" && c.Call != nil && c.Func != nil && !seen[c.Func] {
			seen[c.Func] = true
			out = append(out, c.Func)
		}
	}
	return out
}

// reaching returns the writes of key that reach position at in fl's
// function, and whether the value from before the function's own writes
// (entry) reaches it too. ok is false when a write cannot be placed on the
// graph (it is inside a nested function literal: it may run at any time).
func (fl *funcFlow) reaching(writes []write, at token.Pos) (defs []write, entry, ok bool) {
	type spot struct {
		blk *cfg.Block
		idx int
	}
	var inside []write
	where := map[*cfg.Block]map[int][]write{}
	for _, w := range writes {
		if w.pos < fl.fn.Pos || w.pos >= fl.fn.End {
			continue // another function's write: it is before this one runs
		}
		blk, idx, found := fl.locate(w.pos)
		if !found || fl.inLiteral(w.pos) {
			return nil, false, false // a closure writes it: at any time
		}
		if where[blk] == nil {
			where[blk] = map[int][]write{}
		}
		where[blk][idx] = append(where[blk][idx], w)
		inside = append(inside, w)
	}
	blk, idx, found := fl.locate(at)
	if !found {
		return nil, false, false
	}
	seen := map[*cfg.Block]bool{}
	found = false
	var walk func(b *cfg.Block, from int)
	walk = func(b *cfg.Block, from int) {
		for i := from; i >= 0; i-- {
			if ws := where[b][i]; len(ws) > 0 {
				// The last write of the node wins; a write in the same node
				// as the operation (ch, x = make(...), <-ch) happens after
				// the operands are read, so it does not count.
				if b == blk && i == idx {
					continue
				}
				defs = append(defs, ws[len(ws)-1])
				return
			}
		}
		if b == fl.g.Blocks[0] {
			entry = true
		}
		for _, p := range fl.preds[b] {
			if !seen[p] {
				seen[p] = true
				walk(p, len(p.Nodes)-1)
			}
		}
	}
	walk(blk, idx)
	sort.Slice(defs, func(i, j int) bool { return defs[i].pos < defs[j].pos })
	// Deduplicate (a block reached twice through a loop).
	out := defs[:0]
	for i, d := range defs {
		if i == 0 || d.pos != defs[i-1].pos {
			out = append(out, d)
		}
	}
	return out, entry, true
}

// values fills ChanOp.vals.at for f's operations on reassigned channel
// variables and ChanOp.vals.ctxOrigin for its ctx.Done() receives.
func (fb *flowBuilder) values(f *Func) {
	vv := fb.wanted()
	b := fb.b
	// A Done call outside a receive (done := ctx.Done()) gets the same
	// origin, so its hover does not call a nil channel "closed when ctx is
	// cancelled".
	for _, c := range fb.m.CtxCalls {
		if c.Func != f || c.Name != "Done" || c.Call == nil {
			continue
		}
		if sel, ok := ast.Unparen(c.Call.Fun).(*ast.SelectorExpr); ok {
			c.doneOrigin, c.doneFrom = fb.ctxOrigin(vv, sel.X, f)
			if c.doneOrigin == CtxUnknown {
				c.doneNeverInFile = fb.ctxParamNeverInFile(sel.X)
			}
		}
	}
	for _, op := range fb.m.ChanOps {
		if op.Func != f {
			continue
		}
		if x := ctxOfOp(op); x != nil {
			origin, from := fb.ctxOrigin(vv, x, f)
			if op.vals == nil {
				op.vals = new(opValues)
			}
			op.vals.ctxOrigin, op.vals.ctxFrom = origin, from
			if origin == CtxUnknown {
				op.vals.ctxNeverInFile = fb.ctxParamNeverInFile(x)
				if op.vals.ctxNeverInFile == "" {
					op.vals.ctxHeld = fb.ctxHeldByCaller(x, op)
				}
			}
		}
		if op.Chan == nil || vv.chans[op.Chan.Key] == nil || f.flow == nil {
			continue
		}
		e := op.Operand()
		if e == nil {
			continue
		}
		defs, entry, ok := op.Func.flow.reaching(fb.writesOf(vv, op.Chan.Key, op.Func), e.Pos())
		if !ok {
			continue
		}
		// entry: the value from before the function's own writes (the
		// function is a literal using its parent's variable).
		v := &ChanValue{Other: entry}
		for _, d := range defs {
			switch {
			case d.unknown:
				v.Other = true
			case d.rhs == nil:
				v.Nil, v.NilDecl = true, true // var ch chan T
			case isNil(d.rhs, b):
				v.Nil = true
				v.NilSet = append(v.NilSet, d.pos)
			default:
				call, isCall := ast.Unparen(d.rhs).(*ast.CallExpr)
				if mk := b.makes[callPos(call, isCall)].site; mk != nil {
					v.Makes = append(v.Makes, mk)
				} else {
					v.Other = true
				}
			}
		}
		if v.Nil && (fb.nilGuarded(op, defs) || fb.nilResetBefore(op, defs)) {
			// if ch != nil { ch <- v }: the nil that reaches the guard
			// does not reach the operation (net/http's readResponse).
			v.Nil, v.NilDecl, v.NilSet = false, false, nil
		}
		if op.vals == nil {
			op.vals = new(opValues)
		}
		op.vals.at = v
	}
}

// nilGuarded reports whether op runs only where its channel variable is
// not nil: it sits in the body of an if whose condition is `ch != nil`
// (or such a test joined by &&), and no write that reaches the op is inside
// that body before it (or anywhere in the body, when a loop inside the body
// encloses the op), so every nil that reaches the op passed the test first.
func (fb *flowBuilder) nilGuarded(op *ChanOp, defs []write) bool {
	path, _ := EnclosingPath(fb.m.AST, op.Pos, op.End)
	loop := false // a loop between the if and the op
	for i, n := range path {
		switch n := n.(type) {
		case *ast.FuncLit, *ast.FuncDecl:
			return false
		case *ast.ForStmt, *ast.RangeStmt:
			loop = true
		case *ast.IfStmt:
			if i == 0 || path[i-1] != n.Body || !fb.testsNotNil(n.Cond, op.Chan.Key) {
				continue
			}
			for _, d := range defs {
				if d.pos > n.Body.Lbrace && d.pos < n.Body.Rbrace && (loop || d.pos < op.Pos) {
					return false
				}
			}
			return true
		}
	}
	return false
}

// nilResetBefore reports whether op follows, in the same statement list,
// an `if x == nil { ...; x = v }` (no else) that gives its channel
// variable x a value other than nil on every path through it, with no
// write of x between that if and op: the nil that reaches the if does not
// reach op (a dispatcher that re-arms `send = out` before its select).
func (fb *flowBuilder) nilResetBefore(op *ChanOp, defs []write) bool {
	path, _ := EnclosingPath(fb.m.AST, op.Pos, op.End)
	for i := 1; i < len(path); i++ {
		switch path[i].(type) {
		case *ast.FuncLit, *ast.FuncDecl:
			return false
		case *ast.ForStmt, *ast.RangeStmt:
			// A write after op in this loop would reach op by the back
			// edge without passing an if outside the loop.
			return false
		}
		list := stmtList(path[i])
		if list == nil {
			continue
		}
		cur, ok := path[i-1].(ast.Stmt)
		if !ok {
			continue
		}
		at := slices.Index(list, cur)
		for j := at - 1; j >= 0; j-- {
			ifs, ok := list[j].(*ast.IfStmt)
			if !ok || ifs.Else != nil || ifs.Init != nil || !fb.testsNil(ifs.Cond, op.Chan.Key) {
				continue
			}
			set := false
			for _, st := range ifs.Body.List {
				as, ok := st.(*ast.AssignStmt)
				if !ok || as.Tok != token.ASSIGN || len(as.Lhs) != len(as.Rhs) {
					continue
				}
				for k, l := range as.Lhs {
					if got, ok := fb.b.keyOf(ast.Unparen(l)); ok && got == op.Chan.Key {
						set = !isNil(as.Rhs[k], fb.b)
					}
				}
			}
			if !set {
				return false
			}
			for _, d := range defs {
				if d.pos >= ifs.End() && d.pos < op.Pos {
					return false
				}
				// Every nil that reaches op must come from before the if
				// or from inside its body before the re-arm.
				if d.pos >= ifs.Body.Lbrace && d.pos < ifs.Body.Rbrace && (d.rhs == nil || isNil(d.rhs, fb.b)) {
					return false
				}
			}
			return op.Func == nil || op.Func.Body == nil || !hasGoto(op.Func.Body)
		}
	}
	return false
}

// testsNil reports whether cond is `k == nil` or `nil == k`.
func (fb *flowBuilder) testsNil(cond ast.Expr, k VarKey) bool {
	be, ok := ast.Unparen(cond).(*ast.BinaryExpr)
	return ok && be.Op == token.EQL && fb.comparesNil(be, k)
}

// comparesNil reports whether be compares the variable k with nil, on
// either side.
func (fb *flowBuilder) comparesNil(be *ast.BinaryExpr, k VarKey) bool {
	x, y := be.X, be.Y
	if isNil(x, fb.b) {
		x, y = y, x
	}
	if !isNil(y, fb.b) {
		return false
	}
	got, ok := fb.b.keyOf(ast.Unparen(x))
	return ok && got == k
}

// testsNotNil reports whether cond, when true, proves the variable k is
// not nil: `k != nil`, `nil != k`, or one of the operands of &&.
func (fb *flowBuilder) testsNotNil(cond ast.Expr, k VarKey) bool {
	be, ok := ast.Unparen(cond).(*ast.BinaryExpr)
	if !ok {
		return false
	}
	switch be.Op {
	case token.LAND:
		return fb.testsNotNil(be.X, k) || fb.testsNotNil(be.Y, k)
	case token.NEQ:
		return fb.comparesNil(be, k)
	}
	return false
}

func callPos(call *ast.CallExpr, ok bool) token.Pos {
	if !ok {
		return token.NoPos
	}
	return call.Pos()
}

// ctxOrigin works out where the context x (at a select in fn) comes from.
func (fb *flowBuilder) ctxOrigin(vv *valueVars, x ast.Expr, fn *Func) (CtxOrigin, *ContextCall) {
	return fb.ctxOriginAt(vv, x, fn, 0)
}

// ctxOriginAt is ctxOrigin through depth context.WithValue parents (a
// WithValue in a loop can reach itself: the depth bounds the walk).
func (fb *flowBuilder) ctxOriginAt(vv *valueVars, x ast.Expr, fn *Func, depth int) (CtxOrigin, *ContextCall) {
	b := fb.b
	if depth > 4 {
		return CtxUnknown, nil
	}
	if call, ok := ast.Unparen(x).(*ast.CallExpr); ok {
		return fb.originOfValue(vv, call, fn, depth)
	}
	if o, ok := fb.ctxFieldOrigin(vv, x, depth); ok {
		return o, nil
	}
	if o, ok := fb.ctxParamOrigin(x); ok {
		return o, nil
	}
	k, ok := b.keyOf(x)
	if !ok {
		return CtxUnknown, nil
	}
	writes := fb.writesOf(vv, k, fn)
	var defs []write
	entry := false
	defFn := fn // the function whose flow reaches the write
	switch {
	case len(writes) == 1 && writes[0].node != nil && fn != nil && !(writes[0].pos >= fn.Pos && writes[0].pos < fn.End):
		// One write, in an enclosing function (a goroutine's or closure's
		// context): the variable holds that value wherever it is used.
		defs, defFn = writes, nil
	case fn != nil && fn.flow != nil:
		defs, entry, ok = fn.flow.reaching(writes, x.Pos())
		if !ok {
			return CtxUnknown, nil
		}
	default:
		return CtxUnknown, nil
	}
	if entry || len(defs) == 0 {
		return CtxUnknown, nil // a parameter, or a value from before
	}
	origin, from := CtxOrigin(-1), (*ContextCall)(nil)
	for _, d := range defs {
		if d.unknown || d.rhs == nil {
			return CtxUnknown, nil
		}
		call, isCall := ast.Unparen(d.rhs).(*ast.CallExpr)
		if !isCall {
			return CtxUnknown, nil
		}
		o, cc := fb.originOfValue(vv, call, defFn, depth)
		if o == CtxUnknown || (origin >= 0 && o != origin) {
			return CtxUnknown, nil
		}
		origin = o
		if from == nil {
			from = cc
		}
	}
	return origin, from
}

// originOfValue classifies a call that yields a context. fn is the
// function the call is in, for following a WithValue parent held in a
// variable (nil: do not follow it).
func (fb *flowBuilder) originOfValue(vv *valueVars, call *ast.CallExpr, fn *Func, depth int) (CtxOrigin, *ContextCall) {
	name, _ := fb.b.pkgCall(call, "context")
	switch name {
	case "WithValue": // its Done is the parent's Done
		if len(call.Args) == 3 {
			return fb.ctxOriginAt(vv, call.Args[0], fn, depth+1)
		}
	case "Background", "TODO", "WithoutCancel": // WithoutCancel: "its Done channel is nil"
		return CtxNever, nil
	case "WithTimeout", "WithDeadline", "WithTimeoutCause", "WithDeadlineCause":
		return CtxDeadline, fb.ctxCall(call)
	case "WithCancel", "WithCancelCause":
		return CtxCancel, fb.ctxCall(call)
	case "":
		// withRequest(parent, …), a function of this file that returns
		// its context parameter with values added: its Done is the
		// argument's.
		if i := fb.valueOnlyParam(call); i >= 0 && i < len(call.Args) {
			return fb.ctxOriginAt(vv, call.Args[i], fn, depth+1)
		}
	}
	return CtxUnknown, nil
}

// valueOnlyParam is, for a call of a function declared in this file (not
// a method) with one result, the index of the context parameter that
// every one of its returns gives back, directly or wrapped in
// context.WithValue (also through `ctx = context.WithValue(ctx, …)`, the
// only assignments to it); -1 otherwise.
func (fb *flowBuilder) valueOnlyParam(call *ast.CallExpr) int {
	id, ok := ast.Unparen(call.Fun).(*ast.Ident)
	if !ok {
		return -1
	}
	var fd *ast.FuncDecl
	for _, d := range fb.m.AST.Decls {
		if d, ok := d.(*ast.FuncDecl); ok && d.Recv == nil && d.Name.Name == id.Name && d.Body != nil {
			fd = d
			break
		}
	}
	if fd == nil || fd.Type.Results == nil || len(fd.Type.Results.List) != 1 || len(fd.Type.Results.List[0].Names) > 1 {
		return -1
	}
	if info := fb.m.Info; info != nil {
		if info.Uses[id] == nil || info.Uses[id] != info.Defs[fd.Name] {
			return -1
		}
	} else if id.Obj == nil || id.Obj.Decl != fd {
		return -1
	}
	params := map[string]int{}
	i := 0
	for _, fld := range fd.Type.Params.List {
		if len(fld.Names) == 0 {
			i++
			continue
		}
		for _, n := range fld.Names {
			params[n.Name] = i
			i++
		}
	}
	// param resolves e to the parameter it passes on.
	var param func(e ast.Expr, depth int) int
	param = func(e ast.Expr, depth int) int {
		if depth > 8 {
			return -1
		}
		switch e := ast.Unparen(e).(type) {
		case *ast.Ident:
			if i, ok := params[e.Name]; ok {
				return i
			}
		case *ast.CallExpr:
			if name, _ := fb.b.pkgCall(e, "context"); name == "WithValue" && len(e.Args) == 3 {
				return param(e.Args[0], depth+1)
			}
		}
		return -1
	}
	result, ok2 := -1, true
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		if !ok2 {
			return false
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.AssignStmt:
			for j, l := range n.Lhs {
				lid, isID := ast.Unparen(l).(*ast.Ident)
				if !isID {
					continue
				}
				if k, isParam := params[lid.Name]; isParam {
					// Only ctx = context.WithValue(ctx, …) keeps it.
					if len(n.Lhs) != len(n.Rhs) || n.Tok != token.ASSIGN || param(n.Rhs[j], 0) != k {
						ok2 = false
					}
				}
			}
		case *ast.UnaryExpr:
			if x, isID := ast.Unparen(n.X).(*ast.Ident); isID && n.Op == token.AND {
				if _, isParam := params[x.Name]; isParam {
					ok2 = false
				}
			}
		case *ast.ReturnStmt:
			if len(n.Results) != 1 {
				ok2 = false
				return false
			}
			k := param(n.Results[0], 0)
			if k < 0 || result >= 0 && k != result {
				ok2 = false
				return false
			}
			result = k
		}
		return true
	})
	if !ok2 {
		return -1
	}
	return result
}

func (fb *flowBuilder) ctxCall(call *ast.CallExpr) *ContextCall {
	for _, cc := range fb.m.CtxCalls {
		if cc.Call == call {
			return cc
		}
	}
	return nil
}

// ctxFieldOrigin is the origin of a context held in a struct field (p.ctx),
// on the typed tier: when every place of the package that sets the field
// sets it to a context of one origin that is never cancelled
// (context.Background(), TODO(), WithoutCancel, or a WithValue of one), and
// no code outside the package can set it (an unexported field, or any
// field of package main), the field holds such a context wherever it is
// set. ok is false otherwise; the syntax tier cannot tell one field from
// another of the same name.
func (fb *flowBuilder) ctxFieldOrigin(vv *valueVars, x ast.Expr, depth int) (CtxOrigin, bool) {
	m := fb.m
	sel, isSel := ast.Unparen(x).(*ast.SelectorExpr)
	if !isSel || m.Info == nil || m.pkg == nil {
		return CtxUnknown, false
	}
	s, ok := m.Info.Selections[sel]
	if !ok || s.Kind() != types.FieldVal {
		return CtxUnknown, false
	}
	field, _ := s.Obj().(*types.Var)
	if field == nil || field.Pkg() == nil || field.Pkg() != m.pkg.Types || field.Exported() && field.Pkg().Name() != "main" {
		return CtxUnknown, false
	}
	if _, isIface := field.Type().Underlying().(*types.Interface); !isIface {
		return CtxUnknown, false
	}
	sets := m.pkg.FieldSets(field)
	if len(sets) == 0 {
		return CtxUnknown, false
	}
	for _, st := range sets {
		switch st.Kind {
		case FieldReceiver:
			continue // a method call through an interface value cannot change it
		case FieldAssign, FieldLiteral:
		default:
			return CtxUnknown, false
		}
		call, isCall := ast.Unparen(st.Value).(*ast.CallExpr)
		if st.Value == nil || !isCall {
			return CtxUnknown, false
		}
		if o, _ := fb.originOfValue(vv, call, nil, depth+1); o != CtxNever {
			return CtxUnknown, false
		}
	}
	return CtxNever, true
}

// ctxParamOrigin is the origin of a context parameter (typed tier): when
// the function declaring it is one that no code outside the package can
// call (unexported, or any function of package main), is never used other
// than called directly, never assigns the parameter, and every call of it
// in the package passes a context that is never cancelled
// (context.Background(), TODO(), WithoutCancel, or a WithValue of one,
// written in the call), the parameter holds such a context: its Done is
// nil. `func (ts *tokenSource) start(ctx context.Context) { go func() {
// ... case <-ctx.Done(): return ... }() }` called only as
// ts.start(context.Background()). ok is false otherwise; the syntax tier
// does not see the calls in other files.
func (fb *flowBuilder) ctxParamOrigin(x ast.Expr) (CtxOrigin, bool) {
	m := fb.m
	id, isID := ast.Unparen(x).(*ast.Ident)
	if !isID || m.Info == nil {
		return CtxUnknown, false
	}
	info := m.Info
	param, _ := info.Uses[id].(*types.Var)
	if param == nil || param.Pkg() == nil || m.pkg != nil && param.Pkg() != m.pkg.Types {
		return CtxUnknown, false
	}
	if _, isIface := param.Type().Underlying().(*types.Interface); !isIface {
		return CtxUnknown, false
	}
	// The package's files; without the package facts, this file, when
	// the type checker's uses show the function is named in no other.
	files := []*ast.File{m.AST}
	if m.pkg != nil {
		files = m.pkg.Files
	}
	// The function declaring param, and param's index.
	var fd *ast.FuncDecl
	idx := -1
	for _, file := range files {
		for _, d := range file.Decls {
			f, ok := d.(*ast.FuncDecl)
			if !ok || f.Body == nil || param.Pos() < f.Type.Pos() || param.Pos() >= f.Type.End() {
				continue
			}
			if i := paramIndexOf(f, param); i >= 0 {
				fd, idx = f, i
			}
		}
	}
	if fd == nil || idx < 0 {
		return CtxUnknown, false
	}
	fn, _ := info.Defs[fd.Name].(*types.Func)
	if fn == nil || fn.Exported() && fn.Pkg().Name() != "main" {
		return CtxUnknown, false
	}
	if sig, ok := fn.Type().(*types.Signature); !ok || sig.Variadic() && idx >= sig.Params().Len()-1 {
		return CtxUnknown, false
	}
	if fd.Recv != nil {
		// A call through an interface names the interface's method, not
		// this one, and passes whatever context its caller has: an
		// exported method may be called so by another package, any
		// method by this one wherever an interface method of its name is
		// used. In package main, another package reaches an exported
		// method only through a value of its type converted to an
		// interface: none may be (toInterface).
		if fn.Exported() {
			recv, _ := fn.Type().(*types.Signature)
			var named *types.Named
			if recv != nil && recv.Recv() != nil {
				rt := types.Unalias(recv.Recv().Type())
				if p, ok := rt.(*types.Pointer); ok {
					rt = types.Unalias(p.Elem())
				}
				named, _ = rt.(*types.Named)
			}
			if named == nil || fn.Pkg().Name() != "main" || m.pkg == nil || toInterface(info, files, named) {
				return CtxUnknown, false
			}
		}
		for u, obj := range info.Uses {
			if f, ok := obj.(*types.Func); ok && u.Name == fn.Name() {
				if sig, ok := f.Type().(*types.Signature); ok && sig.Recv() != nil && types.IsInterface(sig.Recv().Type()) {
					return CtxUnknown, false
				}
			}
		}
	}
	// The parameter keeps the value it was called with.
	changed := false
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for _, l := range n.Lhs {
				if lid, ok := ast.Unparen(l).(*ast.Ident); ok && info.Uses[lid] == param {
					changed = true
				}
			}
		case *ast.UnaryExpr:
			if xid, ok := ast.Unparen(n.X).(*ast.Ident); ok && n.Op == token.AND && info.Uses[xid] == param {
				changed = true
			}
		}
		return !changed
	})
	if changed {
		return CtxUnknown, false
	}
	if m.pkg == nil {
		for u, obj := range info.Uses {
			if obj == fn && (u.Pos() < m.AST.FileStart || u.Pos() >= m.AST.FileEnd) {
				return CtxUnknown, false // named in another file
			}
		}
	}
	// Every use of the function is a direct call passing a context that is
	// never cancelled.
	calls, other := 0, false
	for _, file := range files {
		ast.Inspect(file, func(n ast.Node) bool {
			if other {
				return false
			}
			if call, ok := n.(*ast.CallExpr); ok {
				var name *ast.Ident
				switch f := ast.Unparen(call.Fun).(type) {
				case *ast.Ident:
					name = f
				case *ast.SelectorExpr:
					name = f.Sel
				}
				if name != nil && info.Uses[name] == fn {
					if call.Ellipsis.IsValid() || idx >= len(call.Args) || !neverDoneTyped(info, call.Args[idx], 0) && !neverDoneVar(info, files, call.Args[idx]) {
						other = true
						return false
					}
					calls++
					// The arguments may hold other uses (a method value).
					for _, a := range call.Args {
						ast.Inspect(a, func(n ast.Node) bool {
							if u, ok := n.(*ast.Ident); ok && info.Uses[u] == fn {
								other = true
							}
							return !other
						})
					}
					if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
						ast.Inspect(sel.X, func(n ast.Node) bool {
							if u, ok := n.(*ast.Ident); ok && info.Uses[u] == fn {
								other = true
							}
							return !other
						})
					}
					return false
				}
			}
			if u, ok := n.(*ast.Ident); ok && info.Uses[u] == fn {
				other = true // a method value, a func value, an interface's method set
			}
			return true
		})
	}
	if other || calls == 0 {
		return CtxUnknown, false
	}
	return CtxNever, true
}

// neverDoneVar reports whether e is a local variable declared with a
// never-done context (neverDoneTyped: bg := context.WithoutCancel(ctx))
// that nothing in files assigns again or takes the address of: it holds
// that context wherever it is read.
func neverDoneVar(info *types.Info, files []*ast.File, e ast.Expr) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok {
		return false
	}
	v, _ := info.Uses[id].(*types.Var)
	if v == nil || v.IsField() || v.Parent() == nil || v.Parent() == v.Pkg().Scope() {
		return false
	}
	declared, other := false, false
	for _, file := range files {
		if v.Pos() < file.FileStart || v.Pos() >= file.FileEnd {
			continue
		}
		ast.Inspect(file, func(n ast.Node) bool {
			if other {
				return false
			}
			switch n := n.(type) {
			case *ast.AssignStmt:
				for i, l := range n.Lhs {
					lid, ok := ast.Unparen(l).(*ast.Ident)
					if !ok {
						continue
					}
					if info.Defs[lid] == v && len(n.Lhs) == len(n.Rhs) && neverDoneTyped(info, n.Rhs[i], 0) {
						declared = true
					} else if info.Defs[lid] == v || info.Uses[lid] == v {
						other = true
					}
				}
			case *ast.ValueSpec:
				for i, name := range n.Names {
					if info.Defs[name] == v {
						if len(n.Values) == len(n.Names) && neverDoneTyped(info, n.Values[i], 0) {
							declared = true
						} else {
							other = true
						}
					}
				}
			case *ast.UnaryExpr:
				if xid, ok := ast.Unparen(n.X).(*ast.Ident); ok && n.Op == token.AND && info.Uses[xid] == v {
					other = true
				}
			}
			return !other
		})
	}
	return declared && !other
}

// neverDoneTyped reports, from the types, whether e as written is a
// context whose Done is nil: context.Background(), TODO(),
// WithoutCancel(…), or a context.WithValue of one.
func neverDoneTyped(info *types.Info, e ast.Expr, depth int) bool {
	if depth > 8 {
		return false
	}
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok {
		return false
	}
	var name *ast.Ident
	switch f := ast.Unparen(call.Fun).(type) {
	case *ast.Ident:
		name = f
	case *ast.SelectorExpr:
		name = f.Sel
	}
	if name == nil {
		return false
	}
	fn, _ := info.Uses[name].(*types.Func)
	if fn == nil || fn.Pkg() == nil || fn.Pkg().Path() != "context" {
		return false
	}
	switch fn.Name() {
	case "Background", "TODO", "WithoutCancel":
		return true
	case "WithValue":
		return len(call.Args) == 3 && neverDoneTyped(info, call.Args[0], depth+1)
	}
	return false
}

// ctxParamNeverInFile is ctxParamOrigin's fact as far as this file shows
// it, on the syntax tier: x is a parameter of the unexported function
// declared around it (no function literal between declares a parameter
// of its name), nothing in the function assigns that name or takes its
// address, no other declaration of the file has the function's name, and
// every use of the name in the file is a direct call passing
// context.Background() or context.TODO() in the parameter's place. The
// function's name, or "". Calls in other files of the package are not
// seen: the texts reading this say "in this file".
func (fb *flowBuilder) ctxParamNeverInFile(x ast.Expr) string {
	m := fb.m
	id, isID := ast.Unparen(x).(*ast.Ident)
	if !isID || m.Info != nil || m.AST == nil {
		return ""
	}
	imported := false // context, under its own name
	for _, im := range m.AST.Imports {
		if im.Path.Value == `"context"` && im.Name == nil {
			imported = true
		}
	}
	if !imported {
		return ""
	}
	var fd *ast.FuncDecl
	for _, d := range m.AST.Decls {
		if f, ok := d.(*ast.FuncDecl); ok && f.Body != nil && f.Body.Pos() <= id.Pos() && id.Pos() < f.Body.End() {
			fd = f
		}
	}
	if fd == nil || ast.IsExported(fd.Name.Name) || fd.Type.Params == nil {
		return ""
	}
	// x is the parameter itself, as the file's scopes resolve it (a
	// declaration of its name in an inner block is another variable).
	obj := id.Obj
	if obj == nil || obj.Kind != ast.Var {
		return ""
	}
	idx := paramIndexWhere(fd, func(n *ast.Ident) bool { return n.Obj == obj })
	if idx < 0 {
		return ""
	}
	bad := false
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			// `ctx, cancel := ...` at the body's top level assigns the
			// parameter (the resolver gives it the parameter's object).
			for _, l := range n.Lhs {
				if lid, ok := ast.Unparen(l).(*ast.Ident); ok && lid.Obj == obj {
					bad = true
				}
			}
		case *ast.UnaryExpr:
			if xid, ok := ast.Unparen(n.X).(*ast.Ident); ok && n.Op == token.AND && xid.Obj == obj {
				bad = true
			}
		}
		return !bad
	})
	if bad {
		return ""
	}
	name := fd.Name.Name
	for _, d := range m.AST.Decls {
		if f, ok := d.(*ast.FuncDecl); ok && f != fd && f.Name.Name == name {
			return ""
		}
	}
	calls := 0
	ok := map[*ast.Ident]bool{fd.Name: true}
	ast.Inspect(m.AST, func(n ast.Node) bool {
		call, isCall := n.(*ast.CallExpr)
		if !isCall {
			return true
		}
		var callee *ast.Ident
		switch f := ast.Unparen(call.Fun).(type) {
		case *ast.Ident:
			callee = f
		case *ast.SelectorExpr:
			callee = f.Sel
		}
		if callee == nil || callee.Name != name {
			return true
		}
		if (fd.Recv == nil) != (callee == call.Fun) || call.Ellipsis.IsValid() || idx >= len(call.Args) || !neverDoneWritten(call.Args[idx]) && !fb.neverDoneLocal(call.Args[idx]) {
			return true // left unmarked: a use of another kind
		}
		ok[callee] = true
		calls++
		return true
	})
	if calls == 0 {
		return ""
	}
	other := false
	ast.Inspect(m.AST, func(n ast.Node) bool {
		if u, isID := n.(*ast.Ident); isID && u.Name == name && !ok[u] {
			other = true
		}
		return !other
	})
	if other {
		return ""
	}
	return name
}

// neverDoneWritten reports context.Background() or context.TODO() as
// written (the syntax tier: the package name as imported by default).
func neverDoneWritten(e ast.Expr) bool {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok || len(call.Args) != 0 {
		return false
	}
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return false
	}
	pkg, ok := sel.X.(*ast.Ident)
	return ok && pkg.Name == "context" && (sel.Sel.Name == "Background" || sel.Sel.Name == "TODO")
}

// neverDoneLocal reports, on the syntax tier, a local variable declared
// with context.Background() or context.TODO() as written (neverDoneWritten)
// that nothing in the file assigns again or takes the address of: it holds
// that context wherever it is read (ctx := context.Background(); run(ctx)).
func (fb *flowBuilder) neverDoneLocal(e ast.Expr) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok || id.Obj == nil {
		return false
	}
	fb.neverDoneOnce.Do(func() {
		decl, bad := map[*ast.Object]bool{}, map[*ast.Object]bool{}
		for _, d := range fb.m.AST.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			ast.Inspect(fd.Body, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.AssignStmt:
					for i, l := range n.Lhs {
						lid, ok := ast.Unparen(l).(*ast.Ident)
						if !ok || lid.Obj == nil {
							continue
						}
						if n.Tok == token.DEFINE && lid.Obj.Decl == n && len(n.Lhs) == len(n.Rhs) && neverDoneWritten(n.Rhs[i]) {
							decl[lid.Obj] = true
						} else {
							bad[lid.Obj] = true
						}
					}
				case *ast.ValueSpec:
					for i, name := range n.Names {
						if name.Obj == nil {
							continue
						}
						if len(n.Values) == len(n.Names) && neverDoneWritten(n.Values[i]) {
							decl[name.Obj] = true
						} else {
							bad[name.Obj] = true
						}
					}
				case *ast.UnaryExpr:
					if xid, ok := ast.Unparen(n.X).(*ast.Ident); ok && n.Op == token.AND && xid.Obj != nil {
						bad[xid.Obj] = true
					}
				}
				return true
			})
		}
		for o := range bad {
			delete(decl, o)
		}
		fb.neverDone = decl
	})
	return fb.neverDone[id.Obj]
}
