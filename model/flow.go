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

// ExitKind says how a function ends.
type ExitKind int

const (
	// ExitReturn is a return statement.
	ExitReturn ExitKind = iota
	// ExitEnd is reaching the closing brace of the body.
	ExitEnd
	// ExitPanic is an explicit panic(...) call: the deferred calls run while
	// the panic unwinds the function.
	ExitPanic
	// ExitGoexit is runtime.Goexit (or testing's FailNow family, which calls
	// it): the deferred calls run, then the goroutine ends.
	ExitGoexit
	// ExitProcess is os.Exit or log.Fatal*: the program ends at once and no
	// deferred call runs.
	ExitProcess
)

func (k ExitKind) String() string {
	return [...]string{"return", "end", "panic", "goexit", "exit"}[k]
}

// Exit is one place where a function ends, as its control-flow graph sees
// it. Only explicit exits are modelled: any call may also panic.
type Exit struct {
	Kind ExitKind
	Pos  token.Pos // the return keyword, the closing brace, or the call
	Call string    // for calls: "os.Exit(1)", "log.Fatal(err)", "panic(err)"
}

// Callee names the function an exit call calls, as written: "os.Exit",
// "log.Fatal", "t.Fatal", "panic", or "func literal" for a literal called
// where it stands; "" for a return or the end of the body.
func (e *Exit) Callee() string {
	if strings.HasPrefix(e.Call, "func(") {
		return "func literal" // func() { ...; os.Exit(1) }()
	}
	if i := strings.IndexByte(e.Call, '('); i >= 0 {
		return e.Call[:i]
	}
	return e.Call
}

// RunsDefers reports whether the deferred calls run when the function ends
// here. Per the spec they run on return and while a panic unwinds the
// goroutine (runtime.Goexit too); os.Exit ends the program without running
// them.
func (e *Exit) RunsDefers() bool { return e.Kind != ExitProcess }

// Tri is a three-valued answer about the paths through a function.
type Tri int

const (
	// No: on no path.
	No Tri = iota
	// Some: on some paths and not on others.
	Some
	// All: on every path.
	All
)

func (t Tri) String() string { return [...]string{"no", "some", "all"}[t] }

// maxFlowEvents and maxDeferWork bound the defer order's work on one
// function: it is worked out for up to maxFlowEvents defers whatever the
// function's size, and for more while defers × blocks stays within
// maxDeferWork (a few milliseconds; BenchmarkDeferOrder). Past both it is left
// unknown, with the reason (DeferOrder.Why), rather than slowing every
// edit.
const (
	maxFlowEvents = 64
	maxDeferWork  = 16 * 1024
)

// funcFlow is the control-flow graph of one function body, with the model's
// facts placed on its blocks.
type funcFlow struct {
	fn     *Func
	g      *cfg.CFG
	exitOf map[*cfg.Block]*Exit // blocks that end the function
	preds  map[*cfg.Block][]*cfg.Block
	spots  []spot  // nodes by position, built on first locate
	lits   []*Func // function literals nested in fn
	// counted are the loops whose passes are proven, by their condition
	// block (loops_flow.go).
	counted map[*cfg.Block]*countedLoop
	// siteOf and sites classify the edges that leave a loop iteration
	// (locks_loops.go), built on first use.
	siteOf map[blockEdge]int16
	sites  []loopSite
	mayEnd []token.Pos // see mayEndCalls
}

// inLiteral reports whether p is inside a function literal nested in the
// function: code there runs whenever the literal is called, not in the
// flow of the function itself.
func (fl *funcFlow) inLiteral(p token.Pos) bool {
	for _, l := range fl.lits {
		if p >= l.Pos && p < l.End {
			return true
		}
	}
	return false
}

// flowBuilder builds the flows of the functions that need one.
type flowBuilder struct {
	b      *builder
	m      *File
	vv     *valueVars
	vvOnce sync.Once
	// neverDone: the syntax tier's locals that hold a never-cancelled
	// context wherever read (neverDoneLocal), computed once.
	neverDone     map[*ast.Object]bool
	neverDoneOnce sync.Once
	// exiters are the file's functions that end the process (ExitProcess)
	// or the goroutine (ExitGoexit) on every path (see findExiters), by
	// the position of their name.
	exiters     map[token.Pos]ExitKind
	exitersOnce sync.Once
	// methodNames are the exiters that are methods, by "Type.name", for
	// the syntax tier's reading of a method call (methodExiterDecl).
	methodNames map[string]token.Pos
	// litExits caches boundLitExit by the declaring identifier.
	litExitMu sync.Mutex
	litExits  map[token.Pos]litExit
	// exitVars caches exitVar by the variable's declaring name (under
	// litExitMu).
	exitVars map[token.Pos]*ExitVar
	// localExitVars caches localExitVar by the local variable's
	// declaring name (under litExitMu); nil entries too.
	localExitVars map[token.Pos]*ExitVar
	// pairsMu guards LockOp.pairs, which the flows of two functions can
	// both write (an unlock in a deferred closure).
	pairsMu sync.Mutex
	// helperCallers are the functions that call, by name, a function of
	// this file that locks (see lockHelperCallers).
	helperCallers map[*Func]bool
}

// buildFlows computes the path facts (defer order, lock pairing, recover
// reach, the value of reassigned channel and context variables) for the
// functions that have something path-dependent. The control-flow graph is
// built only for those: most functions have no defer and no lock.
func (b *builder) buildFlows() {
	fb := &flowBuilder{b: b, m: b.m}
	b.resolveRecovers()
	need := make(map[*Func]bool, len(b.m.Funcs)) // sized: growing it entry by entry showed in the build
	for _, d := range b.m.Defers {
		need[d.Func] = true
	}
	for _, l := range b.m.Locks {
		if l.Func != nil {
			need[l.Func] = true
		}
	}
	for _, f := range fb.valueFuncs() {
		need[f] = true
	}
	fb.helperCallers = b.lockHelperCallers()
	for f := range fb.helperCallers {
		need[f] = true
	}
	b.condLockFuncs(need)
	for _, f := range b.m.Funcs {
		if need[f] && f.Body != nil {
			f.fb = fb // its flow is computed on first use: see ensureFlow
		}
	}
}

// ensureFlow computes the path facts of f the first time any of them is
// read. Building a control-flow graph for every function on each edit
// would cost as much as parsing; a hover needs one function's, and inlay
// hints those of the functions in view. Models are read concurrently, so
// each function's facts are computed once under a sync.Once; the facts of
// one function are written only by its own computation (except the
// lock pairs of unlocks in deferred closures: see LockOp.Pairs).
func (f *Func) ensureFlow() {
	if f == nil || f.fb == nil {
		return
	}
	f.once.Do(func() { f.fb.compute(f) })
}

// compute builds f's control-flow graph and the facts read from it.
func (fb *flowBuilder) compute(f *Func) {
	fl := fb.flowOf(f)
	f.flow = fl
	f.pathFacts().exits = fl.exits()
	fb.deferOrder(fl)
	fb.lockPairs(fl)
	fb.values(f)
	fb.panics(f)
}

// Exits lists where the function ends (returns, the closing brace, panic,
// os.Exit, ...), in source order; nil for functions whose control flow the
// model does not follow (those without defers, locks or reassigned
// channels).
func (f *Func) Exits() []*Exit {
	f.ensureFlow()
	return f.exitList()
}

// flowOf builds the control-flow graph of f's body and finds its exits.
func (fb *flowBuilder) flowOf(f *Func) *funcFlow {
	g := cfg.New(f.Body, fb.mayReturn)
	fl := &funcFlow{fn: f, g: g, exitOf: map[*cfg.Block]*Exit{}, preds: map[*cfg.Block][]*cfg.Block{}}
	for _, l := range fb.m.Funcs {
		if l.Lit && l.Pos > f.Pos && l.End <= f.End && nestedIn(l, f) {
			fl.lits = append(fl.lits, l)
		}
	}
	fl.nilReceiverPanics()
	for _, blk := range g.Blocks {
		if !blk.Live {
			continue
		}
		for _, s := range blk.Succs {
			fl.preds[s] = append(fl.preds[s], blk)
		}
		if len(blk.Succs) > 0 || len(blk.Nodes) == 0 {
			continue
		}
		switch n := blk.Nodes[len(blk.Nodes)-1].(type) {
		case *ast.ReturnStmt:
			e := &Exit{Kind: ExitReturn, Pos: n.Return}
			if n.Return == f.Body.Rbrace {
				e.Kind = ExitEnd // cfg makes falling off the end an explicit return
			}
			fl.exitOf[blk] = e
		case *ast.ExprStmt:
			if call, ok := n.X.(*ast.CallExpr); ok {
				if k, ok := fb.exitCall(call); ok {
					fl.exitOf[blk] = &Exit{Kind: k, Pos: call.Pos(), Call: fb.b.text(call)}
				}
			}
		}
	}
	fb.countLoops(fl)
	return fl
}

// nilReceiverPanics ends the paths at each defer statement whose receiver
// the model proves a nil pointer (Defer.NilReceiver): evaluating the
// method value panics there, so the statement is a panic exit, its call is
// never deferred, and nothing after it in the block runs. The cfg package
// cannot be told this (it asks only about calls), so the block is cut at
// the statement.
func (fl *funcFlow) nilReceiverPanics() {
	for _, d := range fl.fn.Defers {
		if d.NilReceiver == "" || d.Node == nil {
			continue
		}
		for _, blk := range fl.g.Blocks {
			if !blk.Live {
				continue
			}
			i := slices.IndexFunc(blk.Nodes, func(n ast.Node) bool { return n == ast.Node(d.Node) })
			if i < 0 {
				continue
			}
			blk.Nodes = blk.Nodes[:i]
			blk.Succs = nil
			fl.exitOf[blk] = &Exit{Kind: ExitPanic, Pos: d.Pos, Call: "defer " + d.Call}
			break
		}
	}
}

// exits lists the function's exits in source order.
func (fl *funcFlow) exits() []*Exit {
	var out []*Exit
	for _, e := range fl.exitOf {
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Pos < out[j].Pos })
	return out
}

func (fb *flowBuilder) mayReturn(call *ast.CallExpr) bool {
	_, exits := fb.exitCall(call)
	return !exits
}

// exitCall reports whether call never returns, and how it ends the
// function: panic, runtime.Goexit, os.Exit and log.Fatal*, log.Panic*, and
// calls of this file's helpers that always end the process or the
// goroutine (callsExiter).
func (fb *flowBuilder) exitCall(call *ast.CallExpr) (ExitKind, bool) {
	if k, ok := fb.directExit(call); ok {
		return k, true
	}
	return fb.callsExiter(call)
}

// directExit reports calls of the builtin and library functions that never
// return: panic, runtime.Goexit, os.Exit, log.Fatal*, log.Panic*.
func (fb *flowBuilder) directExit(call *ast.CallExpr) (ExitKind, bool) {
	b := fb.b
	if b.isBuiltin(call.Fun, "panic") {
		return ExitPanic, true
	}
	if name, _ := b.pkgCall(call, "os"); name == "Exit" {
		return ExitProcess, true
	}
	if name, _ := b.pkgCall(call, "runtime"); name == "Goexit" {
		return ExitGoexit, true
	}
	switch name, _ := b.pkgCall(call, "log"); name {
	case "Fatal", "Fatalf", "Fatalln":
		return ExitProcess, true
	case "Panic", "Panicf", "Panicln":
		return ExitPanic, true
	}
	if b.testingGoexit(call) {
		return ExitGoexit, true
	}
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
		switch sel.Sel.Name {
		case "Fatal", "Fatalf", "Fatalln":
			if b.onLogLogger(sel) {
				return ExitProcess, true
			}
		case "Panic", "Panicf", "Panicln":
			if b.onLogLogger(sel) {
				return ExitPanic, true
			}
		}
	}
	return 0, false
}

// methodRecvType is the package path and name of the named type (or
// pointer to it) whose method sel selects; "" when sel is not a method
// value of a named type.
func methodRecvType(info *types.Info, sel *ast.SelectorExpr) (pkg, name string) {
	s := info.Selections[sel]
	if s == nil || s.Kind() != types.MethodVal {
		return "", ""
	}
	t := s.Recv()
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	if !ok || n.Obj().Pkg() == nil {
		return "", ""
	}
	return n.Obj().Pkg().Path(), n.Obj().Name()
}

// onLogLogger reports whether sel is a method of a *log.Logger, whose
// Fatal* calls os.Exit(1) and Panic* panics, as log's functions do
// (https://pkg.go.dev/log#Logger.Fatal). The receiver's type is read from
// types, or on the syntax tier from its declaration: a variable or
// parameter declared *log.Logger, or one set from log.New or log.Default.
func (b *builder) onLogLogger(sel *ast.SelectorExpr) bool {
	if info := b.m.Info; info != nil {
		pkg, name := methodRecvType(info, sel)
		return pkg == "log" && name == "Logger"
	}
	id, ok := ast.Unparen(sel.X).(*ast.Ident)
	if !ok || id.Obj == nil || id.Obj.Kind != ast.Var {
		return false
	}
	isLoggerType := func(t ast.Expr) bool {
		st, ok := t.(*ast.StarExpr)
		if !ok {
			return false
		}
		ts, ok := st.X.(*ast.SelectorExpr)
		if !ok {
			return false
		}
		x, ok := ts.X.(*ast.Ident)
		return ok && b.imports[x.Name] == "log" && ts.Sel.Name == "Logger"
	}
	isLoggerValue := func(v ast.Expr) bool {
		c, ok := ast.Unparen(v).(*ast.CallExpr)
		if !ok {
			return false
		}
		name, _ := b.pkgCall(c, "log")
		return name == "New" || name == "Default"
	}
	switch d := id.Obj.Decl.(type) {
	case *ast.Field:
		return isLoggerType(d.Type)
	case *ast.ValueSpec:
		if d.Type != nil {
			return isLoggerType(d.Type)
		}
		for i, n := range d.Names {
			if n.Name == id.Name && len(d.Values) == len(d.Names) {
				return isLoggerValue(d.Values[i])
			}
		}
	case *ast.AssignStmt:
		for i, l := range d.Lhs {
			if n, ok := l.(*ast.Ident); ok && n.Name == id.Name && len(d.Rhs) == len(d.Lhs) {
				return isLoggerValue(d.Rhs[i])
			}
		}
	}
	return false
}

// testingGoexit reports t.Fatal, t.Fatalf, t.FailNow, t.Skip, t.Skipf and
// t.SkipNow on a *testing.T, *testing.B, *testing.F or testing.TB: they
// call runtime.Goexit, so the function stops there and its deferred calls
// run (https://pkg.go.dev/testing#T.FailNow, #T.SkipNow). The receiver's
// type is read from types, or on the syntax tier from the parameter's
// declaration (`t *testing.T`, `tb testing.TB`); a receiver of another type
// (a struct embedding *testing.T) is not counted.
func (b *builder) testingGoexit(call *ast.CallExpr) bool {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return false
	}
	switch sel.Sel.Name {
	case "Fatal", "Fatalf", "FailNow", "Skip", "Skipf", "SkipNow":
	default:
		return false
	}
	return b.onTestingT(sel)
}

// testingQuiet reports t.Log, t.Logf, t.Error, t.Errorf, t.Fail, t.Failed,
// t.Helper, t.Name and t.Skipped on a *testing.T, *testing.B, *testing.F
// or testing.TB (read as testingGoexit reads it): they return, keep none
// of their arguments, and wait for no goroutine
// (https://pkg.go.dev/testing#T.Log, #T.Error). The function summaries
// treat them as the known-safe library calls (fmt.Println): not calls
// golens cannot see into.
func (b *builder) testingQuiet(call *ast.CallExpr) bool {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return false
	}
	switch sel.Sel.Name {
	case "Log", "Logf", "Error", "Errorf", "Fail", "Failed", "Helper", "Name", "Skipped":
	default:
		return false
	}
	return b.onTestingT(sel)
}

// onTestingT reports whether sel is a method of testing's T, B, F or TB.
func (b *builder) onTestingT(sel *ast.SelectorExpr) bool {
	testingType := func(name string) bool {
		return name == "T" || name == "B" || name == "F" || name == "TB"
	}
	if info := b.m.Info; info != nil {
		pkg, name := methodRecvType(info, sel)
		return pkg == "testing" && testingType(name)
	}
	id, ok := ast.Unparen(sel.X).(*ast.Ident)
	if !ok || id.Obj == nil || id.Obj.Kind != ast.Var {
		return false
	}
	field, ok := id.Obj.Decl.(*ast.Field)
	if !ok {
		return false
	}
	typ := field.Type
	if st, ok := typ.(*ast.StarExpr); ok {
		typ = st.X
	}
	ts, ok := typ.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	x, ok := ts.X.(*ast.Ident)
	return ok && b.imports[x.Name] == "testing" && testingType(ts.Sel.Name)
}

// callsExiter reports whether call calls a function of this file that ends
// the process on every path (a `die` helper: then the caller's deferred
// calls never run either), or the goroutine through runtime.Goexit (a
// `fatalf` helper: the deferred calls of the whole goroutine run), and how.
func (fb *flowBuilder) callsExiter(call *ast.CallExpr) (ExitKind, bool) {
	var decl token.Pos
	switch fun := ast.Unparen(call.Fun).(type) {
	case *ast.Ident:
		if k, ok := fb.boundLitExit(fun); ok { // die := func(...) { ...; os.Exit(1) }
			return k, true
		}
		if ev := fb.exitVar(fun); ev != nil && ev.Proven { // var osExit = os.Exit
			return ev.Kind, true
		}
		fb.exitersOnce.Do(fb.findExiters)
		if len(fb.exiters) == 0 {
			return 0, false
		}
		if info := fb.m.Info; info != nil {
			if fn, ok := info.Uses[fun].(*types.Func); ok {
				decl = fn.Pos()
			}
		} else if fun.Obj != nil && fun.Obj.Kind == ast.Fun {
			if d, ok := fun.Obj.Decl.(*ast.FuncDecl); ok {
				decl = d.Name.Pos()
			}
		}
	case *ast.FuncLit:
		// func() { ...; os.Exit(1) }(): a literal called where it
		// stands, which ends the program (or the goroutine) on every
		// path, as a helper of the file would.
		return fb.exitsByShape(fun.Body)
	case *ast.SelectorExpr:
		// a.fail(err), where fail is a method of this file that exits.
		fb.exitersOnce.Do(fb.findExiters)
		if len(fb.exiters) == 0 {
			return 0, false
		}
		decl = fb.methodExiterDecl(fun)
	default:
		return 0, false
	}
	k, ok := fb.exiters[decl]
	return k, ok
}

// methodExiterDecl is the position of the name of the method of this file
// that the method call x.m calls: on the typed tier from its selection
// (an interface method is none of the file's declarations); on the syntax
// tier only when x's declared type names a type of this file with a method
// m (a parameter or receiver `a *app`, `a := &app{...}`), so a call on a
// value of another type that happens to share the name is never counted.
func (fb *flowBuilder) methodExiterDecl(sel *ast.SelectorExpr) token.Pos {
	if info := fb.m.Info; info != nil {
		s, ok := info.Selections[sel]
		if !ok || s.Kind() != types.MethodVal {
			return token.NoPos
		}
		if fn, ok := s.Obj().(*types.Func); ok {
			return fn.Origin().Pos()
		}
		return token.NoPos
	}
	typ, _ := fb.b.syntaxTypeName(sel.X)
	if typ == "" {
		return token.NoPos
	}
	return fb.methodNames[typ+"."+sel.Sel.Name]
}

// findExiters finds the file's functions and methods that end the
// process, or the goroutine, on every path, proven by shape: the body's last statement
// is os.Exit or log.Fatal* (or runtime.Goexit), and nothing in it returns,
// jumps (goto) or exits another way (a panic) — so every path that ends
// reaches that last call. Anything else is not claimed.
func (fb *flowBuilder) findExiters() {
	for _, d := range fb.m.AST.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok || fd.Body == nil || len(fd.Body.List) == 0 {
			continue
		}
		recvType := ""
		if fd.Recv != nil {
			if len(fd.Recv.List) != 1 {
				continue
			}
			if recvType, _ = fb.b.syntaxTypeOfExpr(fd.Recv.List[0].Type); recvType == "" {
				continue
			}
		}
		kind, proven := fb.exitsByShape(fd.Body)
		if proven {
			if fb.exiters == nil {
				fb.exiters = map[token.Pos]ExitKind{}
			}
			fb.exiters[fd.Name.Pos()] = kind
			if recvType != "" {
				if fb.methodNames == nil {
					fb.methodNames = map[string]token.Pos{}
				}
				fb.methodNames[recvType+"."+fd.Name.Name] = fd.Name.Pos()
			}
		}
	}
}

// exitsByShape reports whether body ends the process, or the goroutine, on
// every path, proven by shape: its last statement is os.Exit or log.Fatal*
// (or runtime.Goexit), and nothing in it returns, jumps (goto) or exits
// another way (a panic).
func (fb *flowBuilder) exitsByShape(body *ast.BlockStmt) (ExitKind, bool) {
	if body == nil || len(body.List) == 0 {
		return 0, false
	}
	last, ok := body.List[len(body.List)-1].(*ast.ExprStmt)
	if !ok {
		return 0, false
	}
	lastCall, ok := last.X.(*ast.CallExpr)
	if !ok {
		return 0, false
	}
	kind, ok := fb.directExit(lastCall)
	if !ok || kind != ExitProcess && kind != ExitGoexit {
		return 0, false
	}
	proven := true
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false // its returns and panics are its own
		case *ast.ReturnStmt:
			proven = false
		case *ast.BranchStmt:
			if n.Tok == token.GOTO {
				proven = false
			}
		case *ast.CallExpr:
			if k, ok := fb.directExit(n); ok && k != kind {
				proven = false // another kind of exit on some path
			}
		}
		return proven
	})
	return kind, proven
}

// locate finds the live block and node index holding position p; ok is
// false when no node of the graph holds it (p is in a nested function
// literal's own body, or in dead code).
func (fl *funcFlow) locate(p token.Pos) (blk *cfg.Block, idx int, ok bool) {
	if fl.spots == nil {
		for _, b := range fl.g.Blocks {
			if !b.Live {
				continue
			}
			for i, n := range b.Nodes {
				fl.spots = append(fl.spots, spot{n.Pos(), n.End(), b, i})
			}
		}
		sort.Slice(fl.spots, func(i, j int) bool { return fl.spots[i].pos < fl.spots[j].pos })
	}
	// The narrowest node holding p, among the few starting before it
	// (nodes rarely nest: a statement's parts are separate nodes).
	i := sort.Search(len(fl.spots), func(i int) bool { return fl.spots[i].pos > p })
	var best *spot
	for j := i - 1; j >= 0 && j >= i-8; j-- {
		s := &fl.spots[j]
		if p >= s.pos && p < s.end && (best == nil || s.end-s.pos < best.end-best.pos) {
			best = s
		}
	}
	if best == nil {
		return nil, 0, false
	}
	return best.blk, best.idx, true
}

// spot is one node of the graph, for locate.
type spot struct {
	pos, end token.Pos
	blk      *cfg.Block
	idx      int
}

// event is one thing on a block that a path analysis cares about.
type event struct {
	node int // index in the block's Nodes
	pos  token.Pos
	fact any // *Defer, *LockOp, deferredUnlock, opaqueCall
}

// eventsByBlock places facts on the blocks of fl, ordered by node and then
// by position. facts are given with their positions.
func (fl *funcFlow) place(positions []token.Pos, facts []any) map[*cfg.Block][]event {
	out := map[*cfg.Block][]event{}
	for i, p := range positions {
		blk, idx, ok := fl.locate(p)
		if !ok {
			continue
		}
		out[blk] = append(out[blk], event{node: idx, pos: p, fact: facts[i]})
	}
	for _, evs := range out {
		sort.SliceStable(evs, func(i, j int) bool {
			if evs[i].node != evs[j].node {
				return evs[i].node < evs[j].node
			}
			return evs[i].pos < evs[j].pos
		})
	}
	return out
}

// maxFlowStates bounds one path analysis (pairs of block and state).
const maxFlowStates = 20000

// forward runs a path-sensitive analysis over fl: each path carries a state
// of type S from the entry; step applies one event to it; atExit receives
// the states that reach each exit. States are kept per block as a set, so a
// loop is followed until it adds no new state. It reports false when the
// analysis grew past maxFlowStates and its results must not be trusted.
func forward[S comparable](fl *funcFlow, evs map[*cfg.Block][]event, init S, step func(S, event) S, atExit func(*Exit, S)) bool {
	return forwardEdges(fl, evs, init, step, nil, atExit)
}

// forwardEdges is forward with a hook on each edge taken: edge may change
// the state that crosses from one block to the next (the lock flow marks
// the paths that leave a loop iteration holding a lock).
func forwardEdges[S comparable](fl *funcFlow, evs map[*cfg.Block][]event, init S, step func(S, event) S, edge func(from, to *cfg.Block, s S) S, atExit func(*Exit, S)) bool {
	type state struct {
		s     S
		trips loopTrips // passes through counted loops (loops_flow.go)
	}
	type item struct {
		blk *cfg.Block
		state
	}
	// The states seen on each block: most blocks see one or two, which a
	// short list holds without hashing (the defer order runs one analysis
	// per defer, and hashing every block's state dominated it); a block
	// that sees many more moves to a set.
	const listMax = 8
	seenList := make([][]state, len(fl.g.Blocks))
	var seenSet map[item]bool
	total := 0
	seen := func(it item) bool {
		list := seenList[it.blk.Index]
		if len(list) > listMax {
			return seenSet[it]
		}
		for _, x := range list {
			if x == it.state {
				return true
			}
		}
		return false
	}
	add := func(it item) {
		total++
		list := seenList[it.blk.Index]
		if len(list) > listMax {
			seenSet[it] = true
			return
		}
		list = append(list, it.state)
		seenList[it.blk.Index] = list
		if len(list) > listMax {
			if seenSet == nil {
				seenSet = map[item]bool{}
			}
			for _, x := range list {
				seenSet[item{it.blk, x}] = true
			}
		}
	}
	work := []item{{fl.g.Blocks[0], state{init, loopTrips{}}}}
	add(work[0])
	for len(work) > 0 {
		it := work[len(work)-1]
		work = work[:len(work)-1]
		s := it.s
		for _, ev := range evs[it.blk] {
			s = step(s, ev)
		}
		if e := fl.exitOf[it.blk]; e != nil {
			atExit(e, s)
		}
		for _, succ := range it.blk.Succs {
			trips, ok := fl.edge(it.blk, succ, it.trips)
			if !ok {
				continue // no execution takes this step
			}
			ns := s
			if edge != nil {
				ns = edge(it.blk, succ, s)
			}
			next := item{succ, state{ns, trips}}
			if !seen(next) {
				if total >= maxFlowStates {
					return false
				}
				add(next)
				work = append(work, next)
			}
		}
	}
	return true
}
