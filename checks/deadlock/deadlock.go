package deadlock

import (
	"go/ast"
	"go/token"
	"go/types"
	"sort"

	"golang.org/x/tools/go/analysis"

	"github.com/golens/golens/checks"
	"github.com/golens/golens/checks/modelpass"
	"github.com/golens/golens/model"
)

const name = "deadlock"

// Analyzer reports deadlocks between mutexes, and between a mutex and a
// channel or WaitGroup, that show across the functions of a package.
var Analyzer = &analysis.Analyzer{
	Name: name,
	Doc: "report deadlocks through calls: a mutex locked again by a callee, an AB-BA lock order, a lock held across a wait whose partner needs it\n\n" +
		"Go's mutexes are not reentrant and not tied to a goroutine. A function that holds a mutex and calls one " +
		"that locks it again blocks forever; two code paths that take the same two mutexes in opposite orders " +
		"deadlock when they run at once; and a goroutine that holds a mutex while it waits on a channel or a " +
		"WaitGroup blocks forever when the goroutine it waits for must take that mutex first.",
	URL:      checks.DocURL(name),
	Requires: []*analysis.Analyzer{modelpass.Analyzer},
	Run:      run,
}

// The check computes, for each function of the package, a summary of the
// mutexes it may lock (directly or through the package's functions it
// calls), and walks each function body with the set of mutexes held at each
// point. These are package-local facts computed here; when the model's
// function summaries (issue 9) carry lock effects, this pass reads them
// instead.

// mutex names one mutex as an expression reaches it.
type mutex struct {
	// root and path identify the instance within one function: the
	// variable at the root of the selector chain and the fields after it
	// (".mu", ".state.mu"). root is nil when the chain starts elsewhere (a
	// call, an index): then only class identifies it.
	root types.Object
	path string
	// class identifies every instance of the mutex: the struct field it
	// is (so a.mu and b.mu of one type share it) or its variable.
	class types.Object
	text  string // as written
	// once: a sync.Once, "held" while the function its Do runs has not
	// returned (once.go).
	once bool
}

func (m mutex) sameInstance(o mutex) bool {
	return m.root != nil && m.root == o.root && m.path == o.path
}

type lockKind int

const (
	lockW lockKind = iota
	lockR
)

func (k lockKind) String() string {
	if k == lockR {
		return "RLock"
	}
	return "Lock"
}

// conflicts: two holders of these kinds exclude each other.
func conflicts(a, b lockKind) bool { return a == lockW || b == lockW }

// held is one mutex held at a point.
type held struct {
	mu   mutex
	kind lockKind
	pos  token.Pos // the Lock
}

// acq is a mutex a function locks, directly or through a call.
type acq struct {
	mu   mutex // relative to the function's own variables
	kind lockKind
	pos  token.Pos // the Lock, wherever it is
	// chain is the call path from the function to the Lock: empty for a
	// Lock of its own.
	chain []string // "size()", "cp()"
	// top is set for a Lock that is a statement of the function body's
	// top level (the shape lockleak follows itself).
	top bool
	// released lists the mutexes the caller held that the path to this
	// Lock unlocks first ("Lock should be held on entry but will be
	// unlocked to prevent lock inversion"): not held when it locks.
	released []mutex
	// gated: the path to this Lock passes an early return on an atomic
	// flag (see unit.flagExits).
	gated bool
	// storedAt is the store of the callback the path goes through, if
	// any (callbacks.go).
	storedAt token.Pos
	// dispatched: the path goes through an interface call read as its
	// only implementation in the package.
	dispatched bool
}

// unit is one function body: a declaration or a function literal.
type unit struct {
	fn   *types.Func // nil for literals
	decl *ast.FuncDecl
	lit  *ast.FuncLit
	body *ast.BlockStmt
	recv types.Object // receiver variable, if any
	// parent is the unit a function literal is written in.
	parent *unit
	test   bool // a Test/Benchmark/Example function or a literal inside one
	name   string
	// model is the file's model: how a branch ends (EndsBlock) is its
	// exit classifier's answer, not a list of this check's own.
	model *model.File

	locks   []*lockEvent
	calls   []*callEvent
	waits   []*waitEvent // blocking channel ops, wg.Wait
	partner []*waitEvent // channel ops and Done/Signal that release a waiter
	loops   []ast.Node   // the for and range statements of the body
	// paramCalls are the calls of the function's function-typed
	// parameters made with mutexes held (paramfunc.go).
	paramCalls []paramCall
	// flagExits are the ifs that return early on an atomic flag
	// (`if c.done.Load() { return }`): what follows runs only in one
	// state of the object, which golens cannot follow, so a Lock after
	// one makes no lock-order edge (crypto/tls's handshakeContext takes
	// c.in under handshakeMutex only before the handshake completes;
	// Read takes them the other way round only after).
	flagExits []token.Pos
}

// flagExitBetween reports whether u returns early on an atomic flag
// between from and to.
func (u *unit) flagExitBetween(from, to token.Pos) bool {
	for _, p := range u.flagExits {
		if from < p && p < to {
			return true
		}
	}
	return false
}

type lockEvent struct {
	mu     mutex
	kind   lockKind
	unlock bool
	call   *ast.CallExpr
	stmt   ast.Stmt
	block  ast.Node // the block whose statement list holds stmt
	held   []held   // held just before
	top    bool
	// unlockedBefore: an Unlock of the same mutex precedes this Lock in the
	// function (it was held by the caller on entry).
	unlockedBefore bool
}

type callEvent struct {
	call   *ast.CallExpr
	callee *types.Func
	// recv, when set, is the receiver of callee in the caller's terms for a
	// call made on the caller's behalf: fmt.Printf("%v", x) calls x.String().
	recv ast.Expr
	// field, when callee is nil, is the func-typed field the call calls
	// (x.f()), and owner the struct value x it is read from.
	field types.Object
	owner ast.Expr
	// fnLit, when callee is nil, is the function literal the call runs
	// (the argument of once.Do).
	fnLit *ast.FuncLit
	// dispatched: callee is the only implementation in the package of
	// the interface method the call names.
	dispatched bool
	held       []held
	stmt       ast.Stmt
	block      ast.Node
}

type waitKind int

const (
	waitSend waitKind = iota
	waitRecv
	waitClose
	waitWGWait
	waitWGDone
)

type waitEvent struct {
	kind     waitKind
	class    types.Object // the channel or WaitGroup
	text     string
	pos, end token.Pos
	held     []held
	inSelect bool // a select case: may not block
	// retCall is the call whose result is the channel (range
	// b.Notify()), while its class is not yet resolved.
	retCall  *ast.CallExpr
	deferred bool
	stmt     ast.Stmt
	block    ast.Node
}

type analysisState struct {
	pass    *analysis.Pass
	units   []*unit
	byFunc  map[*types.Func]*unit
	summary map[*unit][]acq
	// waitSummary holds each unit's blocking operations, its own and
	// its callees' (heldwait.go).
	waitSummary map[*unit][]calleeWait
	waitBusy    map[*unit]bool
	busy        map[*unit]bool
	byLit       map[*ast.FuncLit]*unit
	// callbacks maps a func-typed field to the functions stored in it
	// that lock a mutex of the field's owner (callbacks.go).
	callbacks map[types.Object][]callback
	// pkg holds the package-wide facts this check reads (model.Package,
	// built by modelpass): variable paths seen through constructors and
	// parent pointers, Cond locks, channel aliases and buffers, uses.
	pkg *model.Package
	// calls indexes u.calls by callee (callIndex, once computed).
	calls map[types.Object][]*callEvent
	// aliases maps a local channel variable that only ever copies
	// another to it (model.Package.ChanAliases).
	aliases map[types.Object]types.Object
	writers map[types.Object]bool // classes locked with Lock somewhere
	// unbuffered holds the channel classes whose every make in the
	// package is unbuffered (and that have one): only there does a send
	// certainly wait for its receiver.
	unbuffered map[types.Object]bool
	// smallBuffer holds the channel classes whose every make has a
	// buffer of at most one (and that have one): a second send fills it.
	smallBuffer map[types.Object]bool
	// conds maps a Cond field to the mutex its L locks
	// (model.Package.CondLocks).
	conds map[types.Object]model.CondLock
}

func run(pass *analysis.Pass) (any, error) {
	res := pass.ResultOf[modelpass.Analyzer].(*modelpass.Result)
	st := &analysisState{pass: pass, pkg: res.Package, byFunc: map[*types.Func]*unit{}, summary: map[*unit][]acq{},
		busy: map[*unit]bool{}, byLit: map[*ast.FuncLit]*unit{},
		waitSummary: map[*unit][]calleeWait{}, waitBusy: map[*unit]bool{}, writers: map[types.Object]bool{}}
	st.conds = res.Package.CondLocks()
	st.aliases = res.Package.ChanAliases()
	models := res.Files
	for _, f := range pass.Files {
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			fn, _ := pass.TypesInfo.Defs[fd.Name].(*types.Func)
			u := &unit{fn: fn, decl: fd, body: fd.Body, name: fd.Name.Name, test: isTestFunc(pass, fd), model: models[f]}
			if fd.Recv != nil && len(fd.Recv.List) == 1 && len(fd.Recv.List[0].Names) == 1 {
				u.recv = pass.TypesInfo.Defs[fd.Recv.List[0].Names[0]]
			}
			if fn != nil {
				st.byFunc[fn] = u
			}
			st.add(u)
		}
	}
	for _, u := range st.units {
		for _, l := range u.locks {
			if !l.unlock && l.kind == lockW && l.mu.class != nil {
				st.writers[l.mu.class] = true
			}
		}
	}
	st.resolveReturnedChans()
	st.unbuffered, st.smallBuffer = res.Package.ChanBuffers()
	st.callbacks = st.findCallbacks()
	var diags []analysis.Diagnostic
	diags = append(diags, st.doubleLocks()...)
	diags = append(diags, st.lockOrder()...)
	diags = append(diags, st.heldAcrossWait()...)
	diags = append(diags, st.passedLocks()...)
	sort.SliceStable(diags, func(i, j int) bool { return diags[i].Pos < diags[j].Pos })
	for _, d := range diags {
		pass.Report(d)
	}
	return nil, nil
}

// add walks u and the function literals inside it, each as a unit of its own.
func (st *analysisState) add(u *unit) {
	st.units = append(st.units, u)
	w := &walker{st: st, u: u}
	w.block(u.body, u.body.List, nil)
	for _, lit := range w.lits {
		v := &unit{lit: lit, body: lit.Body, name: u.name + "'s function literal", test: u.test, recv: u.recv, parent: u, model: u.model}
		st.byLit[lit] = v
		st.add(v)
	}
}

func isTestFunc(pass *analysis.Pass, fd *ast.FuncDecl) bool {
	if fd.Recv != nil {
		return false
	}
	tf := pass.Fset.File(fd.Pos())
	if tf == nil || len(tf.Name()) < 8 || tf.Name()[len(tf.Name())-8:] != "_test.go" {
		return false
	}
	n := fd.Name.Name
	for _, p := range []string{"Test", "Benchmark", "Example", "Fuzz"} {
		if len(n) >= len(p) && n[:len(p)] == p {
			return true
		}
	}
	return false
}

// acquires returns the mutexes fn may lock, relative to fn's variables:
// its own Locks (except those of a mutex it unlocks first, which its
// caller holds) and those of the package's functions it calls, mapped
// through the call's receiver and arguments.
func (st *analysisState) acquires(fn *types.Func) []acq {
	u := st.byFunc[fn]
	if u == nil {
		return nil
	}
	return st.acquiresOf(u)
}

// acquiresOf is acquires for a unit: a declaration or a function literal
// (whose captured variables are its enclosing function's).
func (st *analysisState) acquiresOf(u *unit) []acq {
	if s, ok := st.summary[u]; ok {
		return s
	}
	if st.busy[u] {
		// A recursive call (load → Get → once.Do(load)): u's own
		// Locks, which do not depend on the summary being computed.
		return st.ownAcquires(u)
	}
	st.busy[u] = true
	out := st.ownAcquires(u)
	for _, c := range u.calls {
		for _, ca := range st.callAcquires(c) {
			a, mu := ca.a, ca.mu
			if unlockedBy(u, mu, c.call.Pos()) {
				continue
			}
			rel := callerHeldReleased(u, c.call.Pos())
			if c.callee != nil {
				for _, r := range a.released {
					if m, ok := st.mapThrough(c, r); ok && m.root != nil {
						rel = append(rel, m)
					}
				}
			}
			out = append(out, acq{mu: mu, kind: a.kind, pos: a.pos, chain: append(c.chainHead(), a.chain...), released: rel,
				gated: a.gated || u.flagExitBetween(u.body.Pos(), c.call.Pos()), storedAt: a.storedAt,
				dispatched: a.dispatched || c.dispatched})
		}
	}
	if len(out) > 64 {
		out = out[:64]
	}
	delete(st.busy, u)
	st.summary[u] = out
	return out
}

// ownAcquires lists the Locks written in u itself.
func (st *analysisState) ownAcquires(u *unit) []acq {
	var out []acq
	for _, l := range u.locks {
		if !l.unlock && !l.unlockedBefore {
			out = append(out, acq{mu: l.mu, kind: l.kind, pos: l.call.Pos(), top: l.top, released: callerHeldReleased(u, l.call.Pos()),
				gated: u.flagExitBetween(u.body.Pos(), l.call.Pos())})
		}
	}
	return out
}

// callAcq is a mutex a call may lock: the callee's acquisition and its
// mutex in the caller's terms.
type callAcq struct {
	a  acq
	mu mutex
	// relative: mu's path is below the owner of a callback
	// (callbackAcquires), not yet in the caller's terms.
	relative bool
}

// callAcquires lists the mutexes the call c may lock, in the caller's
// terms: through the static callee, or through the callbacks stored in the
// func-typed field it calls (callbacks.go).
func (st *analysisState) callAcquires(c *callEvent) []callAcq {
	if c.fnLit != nil {
		var out []callAcq
		if v := st.byLit[c.fnLit]; v != nil {
			for _, a := range st.acquiresOf(v) {
				out = append(out, callAcq{a: a, mu: a.mu})
			}
		}
		return out
	}
	if c.callee == nil {
		return st.fieldAcquires(c)
	}
	var out []callAcq
	for _, a := range st.acquires(c.callee) {
		if mu, ok := st.mapThrough(c, a.mu); ok {
			out = append(out, callAcq{a: a, mu: mu})
		}
	}
	return out
}

// callerHeldReleased lists the mutexes u unlocks before p without having
// locked them first: its caller held them.
func callerHeldReleased(u *unit, p token.Pos) []mutex {
	var out []mutex
	for _, l := range u.locks {
		if l.unlock && l.call.Pos() < p && l.mu.root != nil {
			own := false
			for _, k := range u.locks {
				if !k.unlock && k.call.Pos() < l.call.Pos() && k.mu.sameInstance(l.mu) {
					own = true
				}
			}
			if !own {
				out = append(out, l.mu)
			}
		}
	}
	return out
}

// releases reports whether the callee's Lock a, reached through the call
// c, happens after the caller's h was unlocked on the way.
func (st *analysisState) releases(c *callEvent, a acq, h mutex) bool {
	if c.callee == nil {
		return false
	}
	for _, r := range a.released {
		if m, ok := st.mapThrough(c, r); ok && m.sameInstance(h) {
			return true
		}
	}
	return false
}

// unlockedBy: u unlocks mu before p (the caller held it on entry).
func unlockedBy(u *unit, mu mutex, p token.Pos) bool {
	for _, l := range u.locks {
		if l.unlock && l.call.Pos() < p && (l.mu.sameInstance(mu) || l.mu.root == nil && l.mu.class == mu.class) {
			return true
		}
	}
	return false
}

// mapThrough rewrites a mutex of the callee in the caller's terms: a
// receiver or parameter root becomes the call's receiver or argument
// expression; a package-level variable stays; other roots keep only their
// class.
func (st *analysisState) mapThrough(c *callEvent, mu mutex) (mutex, bool) {
	if mu.class == nil {
		return mutex{}, false
	}
	out := mutex{class: mu.class, text: mu.text, once: mu.once}
	if mu.root == nil {
		return out, true
	}
	if v, ok := mu.root.(*types.Var); ok && v.Parent() == v.Pkg().Scope() {
		return mu, true
	}
	sig, _ := c.callee.Type().(*types.Signature)
	if sig == nil {
		return out, true
	}
	var arg ast.Expr
	if sig.Recv() != nil && sig.Recv() == mu.root && c.recv != nil {
		arg = c.recv
	} else if sig.Recv() != nil && sig.Recv() == mu.root {
		if sel, ok := ast.Unparen(c.call.Fun).(*ast.SelectorExpr); ok {
			arg = sel.X
		}
	} else {
		for i := 0; i < sig.Params().Len(); i++ {
			if sig.Params().At(i) == mu.root && i < len(c.call.Args) && !sig.Variadic() {
				arg = c.call.Args[i]
			}
		}
	}
	if arg == nil {
		return out, true
	}
	base := st.refOf(arg)
	if base.root == nil {
		return out, true
	}
	out.root, out.path = base.root, base.path+mu.path
	out.text = base.text + mu.path
	return st.resolve(out), true
}

// refOf names the variable path an expression reaches
// (model.Package.Ref: seen through constructor fields and parent
// pointers).
func (st *analysisState) refOf(e ast.Expr) mutex { return fromRef(st.pkg.Ref(e)) }

func fromRef(r model.Ref) mutex {
	return mutex{root: r.Root, path: r.Path, class: r.Class, text: r.Text}
}

// resolve sees m through constructor fields and parent pointers
// (model.Package.Resolve), keeping what it is.
func (st *analysisState) resolve(m mutex) mutex {
	out := fromRef(st.pkg.Resolve(model.Ref{Root: m.root, Path: m.path, Class: m.class, Text: m.text}))
	out.once = m.once
	return out
}

func exprText(e ast.Expr) string { return model.ExprText(e) }
