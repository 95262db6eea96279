package model

import (
	"go/ast"
	"go/token"
	"go/types"
	"sort"

	"golang.org/x/tools/go/ast/inspector"
)

// Channel classes: which of the package's variables hold the same channels.
//
// A channel class is the set of variables (locals, parameters, unexported
// fields and package variables) that the package's code shows hold the
// same channels: joined by assignment, by passing as an argument to a
// function of the package, and by returning. With it come every make
// stored into the class, every send, receive, range and close written on
// one of its variables (or on a call of a function of the package that
// returns one), and whether the channels leave golens's sight: a variable
// other packages can reach, a value handed to code golens does not follow.
// A class that leaves sight has uses golens cannot see, so "nothing sends
// on it" or "nothing closes it" is unknown there, never proven.
//
// The classes are a may-alias fact over the whole package: two channels
// passed to one parameter share a class, so a class's facts hold for each
// of its channels only as "no code of the package does this to any of
// them". nopartner reads them (its rules about a channel with no partner);
// Package.ChanClasses computes them once per package.

// ChanClass is one class of channel variables and what the package does to
// its channels.
type ChanClass struct {
	Vars   []types.Object // the variables of the class, in the order met
	Makes  []token.Pos    // each make(chan ...) stored into the class
	Sends  []ChanClassOp
	Recvs  []ChanClassOp // receives and ranges
	Closes []token.Pos   // each close(x) call
	// LenCapReads are the len(x) and cap(x) calls on the class: they read
	// the buffer without sending, receiving or closing, so they do not
	// lose sight of the channel (a run of `ch := make(chan int);
	// println(cap(ch)); <-ch` deadlocks), but code may guard its sends
	// by them (if len(ch) < cap(ch) { ch <- v }).
	LenCapReads []token.Pos
	// Unseen: the channels leave golens's sight, so code it does not
	// see may send on, receive from or close them. UnseenAt is the first
	// place they do (NoPos when a variable of the class is itself
	// reachable from other packages) and UnseenWhy says how, after "it
	// is": "passed to `fmt.Println`, which golens does not follow".
	Unseen    bool
	UnseenAt  token.Pos
	UnseenWhy string
	// unseenOut: some loss of sight lets code outside the package hold a
	// channel of the class (stored where it reaches, handed to code golens
	// does not follow, returned to other packages): every loss but a
	// parameter of a function other packages can call (loseIn), through
	// which their channels come in, while the package's own go nowhere.
	unseenOut bool
	// RecvOnlyOut: handed out of the package only as a receive-only
	// channel (an exported function returning <-chan T): code elsewhere
	// can receive from it, but neither send nor close.
	RecvOnlyOut bool
	// Buffered: some make of the class has a constant capacity above
	// zero; UnknownCap: one has a capacity that is not a constant.
	Buffered   bool
	UnknownCap bool

	parent *ChanClass
}

// ChanClassOp is one send or receive on a channel of a class.
type ChanClassOp struct {
	Pos, End token.Pos
	Text     string   // the channel as written: ch, s.out, s.Events()
	Node     ast.Node // the *ast.SendStmt, *ast.UnaryExpr (<-x) or *ast.RangeStmt
	// Blocking: not the communication of a select that has another case
	// or a default.
	Blocking bool
	// OnCall: the channel is a call's result (<-s.Done(), s.in() <- v),
	// not a variable.
	OnCall bool
	// ViaInterface: written on a call through an interface whose method
	// of the package returns the class's channel: possibly another
	// type's channel.
	ViaInterface bool
	// Callee: the operation is made by this function of another package
	// on the channel passed to it at the call Node (Pos, End), as its
	// summary says (chan_classes_imported.go). Not Blocking: it is not
	// written here.
	Callee *types.Func
}

// Sent is whether any code sends on the class's channels: proven when a
// send is written on one (through an interface: possible), proven not when
// none is and the channels never leave golens's sight, unknown otherwise.
func (c *ChanClass) Sent() Fact { return c.written(c.Sends != nil, opsCertain(c.Sends), "sent") }

// Closed is whether any code closes the class's channels, with the same
// certainty rules as Sent.
func (c *ChanClass) Closed() Fact { return c.written(len(c.Closes) > 0, true, "closed") }

func (c *ChanClass) written(any, certain bool, verb string) Fact {
	switch {
	case any && certain:
		return Fact{Certainty: Proven, Holds: true}
	case any:
		return Fact{Certainty: Possible, Why: verb + " through an interface call"}
	case c.Unseen:
		return Fact{Certainty: Unknown, Why: c.UnseenWhy}
	}
	return Fact{Certainty: Proven, Why: "golens follows every use of it in the package"}
}

func opsCertain(ops []ChanClassOp) bool {
	for _, o := range ops {
		if !o.ViaInterface {
			return true
		}
	}
	return false
}

func (c *ChanClass) root() *ChanClass {
	for c.parent != nil {
		c = c.parent
	}
	return c
}

func (c *ChanClass) lose(at token.Pos, why string) {
	c.loseIn(at, why)
	c.unseenOut = true
}

// loseIn loses sight of the class only for channels that come into it from
// outside the package (a parameter of a function other packages can
// call): code there may do anything to its own channels, but gets none of
// the package's through it.
func (c *ChanClass) loseIn(at token.Pos, why string) {
	if !c.Unseen {
		c.Unseen, c.UnseenAt, c.UnseenWhy = true, at, why
	}
}

// UnseenOnlyIn reports that the class loses sight only of channels that
// come in from other packages (loseIn): a channel the package makes and
// holds in a variable that never takes another value is not one of them,
// and no code outside the package can reach it through the class.
func (c *ChanClass) UnseenOnlyIn() bool { return c.Unseen && !c.unseenOut }

func joinClasses(a, b *ChanClass) *ChanClass {
	a, b = a.root(), b.root()
	if a == b {
		return a
	}
	b.parent = a
	a.Vars = append(a.Vars, b.Vars...)
	a.Makes = append(a.Makes, b.Makes...)
	a.Sends = append(a.Sends, b.Sends...)
	a.Recvs = append(a.Recvs, b.Recvs...)
	a.Closes = append(a.Closes, b.Closes...)
	a.LenCapReads = append(a.LenCapReads, b.LenCapReads...)
	if b.Unseen {
		a.loseIn(b.UnseenAt, b.UnseenWhy)
		a.unseenOut = a.unseenOut || b.unseenOut
	}
	a.RecvOnlyOut = a.RecvOnlyOut || b.RecvOnlyOut
	a.Buffered = a.Buffered || b.Buffered
	a.UnknownCap = a.UnknownCap || b.UnknownCap
	return a
}

// ChanClasses holds the package's channel classes.
type ChanClasses struct {
	byVar    map[types.Object]*ChanClass
	byResult map[*types.Func]*ChanClass
	all      []*ChanClass
}

// Of is the class of a channel variable (a field of an instantiated
// generic type: its origin's), nil when the package's code never mentions
// it.
func (cs *ChanClasses) Of(obj types.Object) *ChanClass {
	if v, ok := obj.(*types.Var); ok {
		obj = v.Origin()
	}
	if c := cs.byVar[obj]; c != nil {
		return c.root()
	}
	return nil
}

// OfResult is the class of the channel a function of the package returns,
// when its every return is a channel variable (or nil); nil otherwise.
func (cs *ChanClasses) OfResult(fn *types.Func) *ChanClass {
	if c := cs.byResult[fn]; c != nil {
		return c.root()
	}
	return nil
}

// Results lists the functions whose result is a class (OfResult).
func (cs *ChanClasses) Results() map[*types.Func]*ChanClass {
	out := make(map[*types.Func]*ChanClass, len(cs.byResult))
	for fn, c := range cs.byResult {
		out[fn] = c.root()
	}
	return out
}

// Vars lists every channel variable the package mentions, each with its
// class.
func (cs *ChanClasses) Vars() map[types.Object]*ChanClass {
	out := make(map[types.Object]*ChanClass, len(cs.byVar))
	for obj, c := range cs.byVar {
		out[obj] = c.root()
	}
	return out
}

// All lists the classes, in the order of their first variable's
// declaration.
func (cs *ChanClasses) All() []*ChanClass { return cs.all }

// ChanClasses computes the package's channel classes, once.
func (p *Package) ChanClasses() *ChanClasses {
	p.chanClassesOnce.Do(func() { p.chanClasses = p.buildChanClasses() })
	return p.chanClasses
}

// chanClassSet is the state of one computation of the classes.
type chanClassSet struct {
	p       *Package
	byVar   map[types.Object]*ChanClass
	results map[*types.Func]*ChanClass
}

// PackageCallee is the function or concrete method of pkg a call calls
// statically (its generic origin); nil for a call through an interface, a
// func value, or another package's function.
func PackageCallee(info *types.Info, pkg *types.Package, call *ast.CallExpr) *types.Func {
	if fn := StaticCallee(info, call); fn != nil && fn.Pkg() == pkg {
		return fn
	}
	return nil
}

// StaticCallee is the function or concrete method a call names statically
// (its generic origin), in any package; nil for a call through an
// interface or a func value.
func StaticCallee(info *types.Info, call *ast.CallExpr) *types.Func {
	var id *ast.Ident
	switch f := ast.Unparen(call.Fun).(type) {
	case *ast.Ident:
		id = f
	case *ast.SelectorExpr:
		if sel := info.Selections[f]; sel != nil && (sel.Kind() != types.MethodVal || types.IsInterface(sel.Recv())) {
			return nil
		}
		id = f.Sel
	default:
		return nil
	}
	fn, _ := info.Uses[id].(*types.Func)
	if fn == nil {
		return nil
	}
	return fn.Origin()
}

// ViaInterface reports whether call is x.M() on an interface whose method
// M the receiver type of method fn implements: the call may run fn.
func ViaInterface(info *types.Info, call *ast.CallExpr, fn *types.Func) bool {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != fn.Name() {
		return false
	}
	s := info.Selections[sel]
	if s == nil || s.Kind() != types.MethodVal || !types.IsInterface(s.Recv()) {
		return false
	}
	recv := fn.Type().(*types.Signature).Recv()
	if recv == nil {
		return false
	}
	iface, ok := s.Recv().Underlying().(*types.Interface)
	return ok && types.Implements(recv.Type(), iface)
}

func chanType(t types.Type) (*types.Chan, bool) {
	if t == nil {
		return nil, false
	}
	c, ok := t.Underlying().(*types.Chan)
	return c, ok
}

func (s *chanClassSet) of(obj types.Object) *ChanClass {
	c := s.byVar[obj]
	if c == nil {
		c = &ChanClass{Vars: []types.Object{obj}}
		s.byVar[obj] = c
		if obj == nil {
			c.lose(token.NoPos, "a variable golens cannot name")
		} else if !s.p.Trackable(obj) {
			c.lose(token.NoPos, "reachable from other packages (`"+obj.Name()+"`)")
		}
	}
	return c.root()
}

func (s *chanClassSet) callee(c *ast.CallExpr) *types.Func {
	return PackageCallee(s.p.Info, s.p.Types, c)
}

func (p *Package) buildChanClasses() *ChanClasses {
	s := &chanClassSet{p: p, byVar: map[types.Object]*ChanClass{}, results: map[*types.Func]*ChanClass{}}
	ins := inspector.New(p.Files)
	info := p.Info

	// Functions that return a channel variable of the package: their calls
	// are that class.
	for c := range ins.Root().Preorder((*ast.FuncDecl)(nil)) {
		fd := c.Node().(*ast.FuncDecl)
		fn, _ := info.Defs[fd.Name].(*types.Func)
		if fn == nil || fd.Body == nil {
			continue
		}
		sig := fn.Type().(*types.Signature)
		outside := p.Visible(fn) && !p.mainFuncHidden(fn)
		if outside {
			// Callers elsewhere may pass their own channels, or receive.
			for i := 0; i < sig.Params().Len(); i++ {
				if _, ok := chanType(sig.Params().At(i).Type()); ok {
					s.of(sig.Params().At(i)).loseIn(fd.Name.Pos(), "a parameter of "+calledElsewhere(p, fn))
				}
			}
		}
		if sig.Results().Len() != 1 {
			continue
		}
		ct, ok := chanType(sig.Results().At(0).Type())
		if !ok {
			continue
		}
		var cls *ChanClass
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
				obj := s.varOf(n.Results[0])
				if obj == nil {
					ok = false
					return false
				}
				if cls == nil {
					cls = s.of(obj)
				} else {
					cls = joinClasses(cls, s.of(obj))
				}
			}
			return true
		})
		if !ok || cls == nil {
			continue
		}
		s.results[fn] = cls
		if outside {
			// Callers elsewhere get it: with <-chan they can only receive.
			if ct.Dir() == types.RecvOnly {
				cls.RecvOnlyOut = true
			} else {
				cls.lose(fd.Name.Pos(), "returned by "+calledElsewhere(p, fn))
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
		if !ok || s.results[fn] == nil {
			continue
		}
		callee := ast.Node(id)
		parent := cur.Parent()
		if sel, ok := parent.Node().(*ast.SelectorExpr); ok && sel.Sel == id {
			callee, parent = sel, parent.Parent()
		}
		if call, ok := parent.Node().(*ast.CallExpr); !ok || call.Fun != callee {
			s.results[fn].root().lose(id.Pos(), "returned by `"+fn.Name()+"`, which is used as a value and called where golens cannot see")
		}
	}

	resultFuncs := sortedFuncs(s.results) // in declaration order: ops append in one order every run

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
		if _, ok := chanType(v.Type()); !ok {
			continue
		}
		// A field of an instantiated generic type (d.ch of a
		// delayingType[any]) is its origin's: the methods that send on it
		// are written on the generic type.
		cls := s.of(v.Origin())
		// The expression the identifier is (x.f for a field).
		expr := ast.Expr(id)
		parent := cur.Parent()
		if sel, ok := parent.Node().(*ast.SelectorExpr); ok && sel.Sel == id {
			expr = sel
			parent = parent.Parent()
		} else if ok {
			continue // the X of a selector: a method value on a channel type, rare
		}
		s.use(cls, expr, parent)
	}

	// Receives straight from a call that returns a channel of a class:
	// <-s.Done(), range s.Events().
	for cur := range ins.Root().Preorder((*ast.UnaryExpr)(nil), (*ast.RangeStmt)(nil)) {
		var x ast.Expr
		var from, to token.Pos
		blocking := true
		switch n := cur.Node().(type) {
		case *ast.UnaryExpr:
			if n.Op != token.ARROW {
				continue
			}
			x, from, to, blocking = n.X, n.OpPos, n.End(), !inChoice(cur.Parent())
		case *ast.RangeStmt:
			x, from, to = n.X, n.For, n.X.End()
		}
		call, ok := ast.Unparen(x).(*ast.CallExpr)
		if !ok {
			continue
		}
		if fn := s.callee(call); fn != nil && s.results[fn] != nil {
			cls := s.results[fn].root()
			cls.Recvs = append(cls.Recvs, ChanClassOp{Pos: from, End: to, Text: types.ExprString(call), Node: cur.Node(), Blocking: blocking, OnCall: true})
			continue
		}
		// A call through an interface may run any method of the package
		// that implements it: each such method's channel may be received
		// from here (grpc's balancer.Notify()).
		for _, fn := range resultFuncs {
			if ViaInterface(info, call, fn) {
				cls := s.results[fn].root()
				cls.Recvs = append(cls.Recvs, ChanClassOp{Pos: from, End: to, Text: types.ExprString(call), Node: cur.Node(), Blocking: blocking, OnCall: true, ViaInterface: true})
			}
		}
	}

	// Sends on and closes of a call's result: s.in() <- v, close(s.out()).
	// Through an interface they are possible only.
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
		for _, fn := range resultFuncs {
			if s.callee(call) == fn || ViaInterface(info, call, fn) {
				cls := s.results[fn].root()
				if isClose {
					cls.Closes = append(cls.Closes, call.Pos())
				} else {
					cls.Sends = append(cls.Sends, ChanClassOp{Pos: call.Pos(), End: call.End(), Text: types.ExprString(call), Node: cur.Node(),
						Blocking: !inChoice(cur), OnCall: true, ViaInterface: s.callee(call) != fn})
				}
			}
		}
	}

	s.positionalStores(ins)
	s.passedResults(ins, resultFuncs)

	out := &ChanClasses{byVar: s.byVar, byResult: s.results}
	seen := map[*ChanClass]bool{}
	objs := make([]types.Object, 0, len(s.byVar))
	for obj := range s.byVar {
		objs = append(objs, obj)
	}
	sort.Slice(objs, func(i, j int) bool { return objs[i].Pos() < objs[j].Pos() })
	for _, obj := range objs {
		if c := s.byVar[obj].root(); !seen[c] {
			seen[c] = true
			out.all = append(out.all, c)
		}
	}
	return out
}

// passedResults follows a call of a function whose result is a class's
// channel where no variable holds it: session(readLines(...)) hands the
// channel readLines returns straight to session's parameter, which joins
// the class as `ch := readLines(...); session(ch)` would — session's
// receives are the class's (r15h_idle_reader_leak). The receives, sends
// and closes on a call's result, an assignment to a channel variable, and
// a call whose result is dropped are followed above; anywhere else
// (passed to a function whose parameter is not a channel variable,
// stored in a literal, returned by a function the classes do not follow)
// golens loses sight of the channel, as it does of a variable used there.
func (s *chanClassSet) passedResults(ins *inspector.Inspector, resultFuncs []*types.Func) {
	info := s.p.Info
	for cur := range ins.Root().Preorder((*ast.CallExpr)(nil)) {
		call := cur.Node().(*ast.CallExpr)
		fn := s.callee(call)
		if fn == nil || s.results[fn] == nil {
			continue
		}
		cls := s.results[fn].root()
		expr := ast.Expr(call)
		parent := cur.Parent()
		for {
			if p, ok := parent.Node().(*ast.ParenExpr); ok {
				expr, parent = p, parent.Parent()
				continue
			}
			break
		}
		switch p := parent.Node().(type) {
		case *ast.UnaryExpr:
			if p.Op == token.ARROW {
				continue // a receive: above
			}
		case *ast.RangeStmt, *ast.ExprStmt, *ast.GoStmt, *ast.DeferStmt:
			continue // ranged over (above), or the result is dropped
		case *ast.SendStmt:
			if p.Chan == expr {
				continue // above
			}
		case *ast.AssignStmt:
			if s.heldByChanVar(p.Lhs, p.Rhs, expr) {
				continue // flow, from the variable's side
			}
		case *ast.ValueSpec:
			if len(p.Names) == len(p.Values) {
				for i, v := range p.Values {
					if v == expr {
						if obj, ok := info.Defs[p.Names[i]].(*types.Var); ok && obj != nil {
							if _, isChan := chanType(obj.Type()); isChan {
								expr = nil
							}
						}
					}
				}
				if expr == nil {
					continue
				}
			}
		case *ast.CompositeLit:
			if s.positional(p, expr) != nil {
				continue // T{"eu", f()}: joined with the field (positionalStores)
			}
		case *ast.CallExpr:
			if id, ok := ast.Unparen(p.Fun).(*ast.Ident); ok && (id.Name == "close" || id.Name == "len" || id.Name == "cap") {
				if _, b := info.Uses[id].(*types.Builtin); b {
					continue // a close (above), or a read of the buffer
				}
			}
			if expr == p.Fun {
				continue
			}
			if param := s.chanParamOf(p, expr); param != nil {
				joinClasses(cls, s.of(param))
				continue
			}
			if s.followImported(cls, p, expr) {
				continue
			}
		}
		cls.lose(call.Pos(), "returned by `"+fn.Name()+"` and "+lostHow(parent.Node(), call))
	}
}

// positional is the channel field that expr, an element of the struct
// literal lit without keys, sets; nil otherwise.
func (s *chanClassSet) positional(lit *ast.CompositeLit, expr ast.Expr) *types.Var {
	for i, e := range lit.Elts {
		if e == expr {
			if f := PositionalField(s.p.Info, lit, i); f != nil {
				if _, ok := chanType(f.Type()); ok {
					return f
				}
			}
			return nil
		}
	}
	return nil
}

// positionalStores joins each value of a struct literal without keys into
// the class of the channel field it sets, as a keyed literal's key does
// (T{"eu", slow} stores slow's channel in T's field as T{delay: slow}
// would): the field's receives then wait for slow's close.
func (s *chanClassSet) positionalStores(ins *inspector.Inspector) {
	for cur := range ins.Root().Preorder((*ast.CompositeLit)(nil)) {
		lit := cur.Node().(*ast.CompositeLit)
		for _, e := range lit.Elts {
			if f := s.positional(lit, e); f != nil {
				s.flow(s.of(f.Origin()), e)
			}
		}
	}
}

// heldByChanVar: expr is the right-hand side of an assignment whose
// matching left-hand side is a channel variable (x := f(), s.ch = f()),
// or the blank identifier (the value is dropped).
func (s *chanClassSet) heldByChanVar(lhs, rhs []ast.Expr, expr ast.Expr) bool {
	if len(lhs) != len(rhs) {
		return false
	}
	for i, r := range rhs {
		if r != expr {
			continue
		}
		if id, ok := lhs[i].(*ast.Ident); ok {
			if id.Name == "_" {
				return true
			}
			if obj, ok := s.p.Info.Defs[id].(*types.Var); ok && obj != nil {
				_, isChan := chanType(obj.Type())
				return isChan
			}
		}
		if obj := s.varOf(lhs[i]); obj != nil {
			_, isChan := chanType(obj.Type())
			return isChan
		}
	}
	return false
}

// sortedFuncs lists the functions of m in declaration order, so that the
// operations appended to several classes come in one order every run.
func sortedFuncs(m map[*types.Func]*ChanClass) []*types.Func {
	out := make([]*types.Func, 0, len(m))
	for fn := range m {
		out = append(out, fn)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Pos() < out[j].Pos() })
	return out
}

// varOf is the channel variable an expression reads: x, s.f, (x).
func (s *chanClassSet) varOf(e ast.Expr) types.Object {
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		if v, ok := s.p.Info.Uses[e].(*types.Var); ok {
			return v.Origin()
		}
	case *ast.SelectorExpr:
		if sel := s.p.Info.Selections[e]; sel != nil && sel.Kind() == types.FieldVal {
			return sel.Obj().(*types.Var).Origin()
		}
	}
	return nil
}

// flow joins the class of the value expression e into cls: a channel
// variable, a function call of the package that returns one, make (a
// made channel), or nil. Anything else loses sight of the channel.
func (s *chanClassSet) flow(cls *ChanClass, e ast.Expr) *ChanClass {
	e = ast.Unparen(e)
	switch x := e.(type) {
	case *ast.Ident:
		if x.Name == "nil" {
			if _, isNil := s.p.Info.Uses[x].(*types.Nil); isNil {
				return cls
			}
		}
	case *ast.CallExpr:
		if id, ok := ast.Unparen(x.Fun).(*ast.Ident); ok && id.Name == "make" {
			if _, b := s.p.Info.Uses[id].(*types.Builtin); b {
				cls.Makes = append(cls.Makes, x.Pos())
				if len(x.Args) > 1 {
					tv := s.p.Info.Types[x.Args[1]]
					if tv.Value == nil {
						cls.UnknownCap = true
					} else if tv.Value.String() != "0" {
						cls.Buffered = true
					}
				}
				return cls
			}
		}
		if fn := s.callee(x); fn != nil && s.results[fn] != nil {
			return joinClasses(cls, s.results[fn])
		}
	}
	if obj := s.varOf(e); obj != nil {
		return joinClasses(cls, s.of(obj))
	}
	cls.lose(e.Pos(), "assigned from `"+ExprText(e)+"`, which golens does not follow")
	return cls
}

// use classifies one appearance of a channel variable.
func (s *chanClassSet) use(cls *ChanClass, expr ast.Expr, parent inspector.Cursor) {
	info := s.p.Info
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
			cls.Sends = append(cls.Sends, ChanClassOp{Pos: p.Arrow, End: p.End(), Text: text, Node: p, Blocking: !inChoice(parent)})
			return
		}
		// The channel is the value sent: it goes elsewhere.
	case *ast.UnaryExpr:
		if p.Op == token.ARROW {
			cls.Recvs = append(cls.Recvs, ChanClassOp{Pos: p.OpPos, End: p.End(), Text: text, Node: p, Blocking: !inChoice(parent)})
			return
		}
	case *ast.RangeStmt:
		if p.X == expr {
			cls.Recvs = append(cls.Recvs, ChanClassOp{Pos: p.For, End: p.X.End(), Text: text, Node: p, Blocking: true})
			return
		}
	case *ast.CallExpr:
		if id, ok := ast.Unparen(p.Fun).(*ast.Ident); ok {
			if _, b := info.Uses[id].(*types.Builtin); b {
				switch id.Name {
				case "close":
					cls.Closes = append(cls.Closes, p.Pos())
					return
				case "len", "cap":
					// Reads the buffer; neither sends, receives nor closes.
					cls.LenCapReads = append(cls.LenCapReads, p.Pos())
					return
				}
			}
		}
		if expr == p.Fun {
			return
		}
		// An argument: joins the callee's parameter (chanParamOf).
		if param := s.chanParamOf(p, expr); param != nil {
			joinClasses(cls, s.of(param))
			return
		}
		if s.followImported(cls, p, expr) { // chan_classes_imported.go
			return
		}
	case *ast.BinaryExpr:
		// ch == nil, ch != nil
		return
	case *ast.AssignStmt:
		for i, l := range p.Lhs {
			if l == expr && len(p.Rhs) == len(p.Lhs) {
				s.flow(cls, p.Rhs[i])
				return
			}
		}
		for i, r := range p.Rhs {
			if r == expr && len(p.Rhs) == len(p.Lhs) {
				if obj := s.varOf(p.Lhs[i]); obj != nil {
					joinClasses(cls, s.of(obj))
					return
				}
				if id, ok := p.Lhs[i].(*ast.Ident); ok {
					if obj, ok := info.Defs[id].(*types.Var); ok && obj != nil {
						joinClasses(cls, s.of(obj))
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
					s.flow(cls, p.Values[i])
				}
				return
			}
		}
		for i, val := range p.Values {
			if val == expr && len(p.Values) == len(p.Names) {
				joinClasses(cls, s.of(info.Defs[p.Names[i]]))
				return
			}
		}
	case *ast.KeyValueExpr:
		if p.Key == expr {
			// A field in a composite literal: T{ch: make(chan int)}.
			s.flow(cls, p.Value)
			return
		}
	case *ast.CompositeLit:
		if s.positional(p, expr) != nil {
			return // T{"eu", ch}: joined with the field (positionalStores)
		}
	case *ast.Field:
		return // a declaration: a parameter, a result or a struct field
	case *ast.ReturnStmt:
		// Joined through the function's results (above) when its every
		// return is a channel variable.
		if fd := enclosingFuncDecl(parent); fd != nil {
			if fn, _ := info.Defs[fd.Name].(*types.Func); fn != nil && s.results[fn] != nil {
				return
			}
		}
	case *ast.SelectorExpr, *ast.CommClause:
		return
	}
	if _, isDecl := info.Defs[identOf(expr)].(*types.Var); isDecl {
		return // the declaring identifier (x := ..., range vars)
	}
	cls.lose(expr.Pos(), lostHow(parent.Node(), expr))
}

// lostHow says, for a reader, how a use of the channel (expr) under parent
// leaves golens's sight; it follows "it is", as every Fact's Why does.
func lostHow(parent ast.Node, expr ast.Expr) string {
	switch p := parent.(type) {
	case *ast.AssignStmt:
		// h.subs[id] = ch: stored in a place no variable names.
		for i, r := range p.Rhs {
			if r == expr && len(p.Lhs) == len(p.Rhs) {
				return "stored in `" + ExprText(p.Lhs[i]) + "`, which golens does not follow"
			}
		}
	case *ast.CallExpr:
		return "passed to `" + ExprText(p.Fun) + "`, which golens does not follow"
	case *ast.SendStmt:
		return "sent on a channel"
	case *ast.ReturnStmt:
		return "returned"
	case *ast.CompositeLit:
		return "stored in a composite literal"
	}
	return "used where golens does not follow it"
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

func enclosingFuncDecl(c inspector.Cursor) *ast.FuncDecl {
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

// chanParamOf is the parameter of the function call calls that the
// argument expr binds to, when that parameter is a channel variable itself
// (not a type parameter, an interface, a variadic slice or _, whose uses
// the classes do not follow); nil otherwise, or when golens does not know
// the callee. A literal called where it is written (go func(c chan T) {
// ... }(ch)) counts: its signature holds the parameter objects its body
// uses, locals of the package like any other.
func (s *chanClassSet) chanParamOf(call *ast.CallExpr, expr ast.Expr) *types.Var {
	var sig *types.Signature
	if fn := s.callee(call); fn != nil {
		sig = fn.Type().(*types.Signature)
	} else if lit, ok := ast.Unparen(call.Fun).(*ast.FuncLit); ok {
		sig, _ = s.p.Info.TypeOf(lit).(*types.Signature)
	}
	if sig == nil {
		return nil
	}
	params := sig.Params()
	for i, a := range call.Args {
		if a != expr || i >= params.Len() || sig.Variadic() && i >= params.Len()-1 {
			continue
		}
		if _, ok := chanType(params.At(i).Type()); ok && params.At(i).Name() != "_" {
			return params.At(i)
		}
	}
	return nil
}
