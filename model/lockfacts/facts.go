// Package lockfacts holds the lock facts of a type-checked package that
// golens's deadlock check decides from: the mutexes certainly held at each
// lock call, call and channel operation of each function (read from the
// model's lock flow, model.Func.HeldAt, which the Lock hover, the hints
// and lockleak read too), each
// function's lock acquisitions through the package's functions it calls
// (acquires, in the caller's terms), the blocking operations it reaches
// (waitsOf) and their partners, the functions stored in func-typed fields
// and passed as arguments, and the callers of each function. It reads the
// package-wide facts of model.Package (variable paths seen through
// constructors and parent pointers, Cond locks, channel aliases and
// buffers), and is built once per package by checks/modelpass.
package lockfacts

import (
	"go/ast"
	"go/token"
	"go/types"

	"github.com/golens/golens/model"
)

// Build computes the lock facts of the package whose files' models are
// files.
func Build(pkg *model.Package, files map[*ast.File]*model.File) *Facts {
	st := &Facts{Pkg: pkg, ByFunc: map[*types.Func]*Unit{}, summary: map[*Unit][]Acq{},
		busy: map[*Unit]bool{}, byLit: map[*ast.FuncLit]*Unit{},
		waitSummary: map[*Unit][]CalleeWait{}, waitBusy: map[*Unit]bool{}, Writers: map[types.Object]bool{}}
	st.conds = pkg.CondLocks()
	st.lockOps = map[*ast.CallExpr]*model.LockOp{}
	st.wgOps = map[*ast.CallExpr]*model.WaitGroupOp{}
	st.chanOps = map[ast.Node]*model.ChanOp{}
	st.goDone = map[*ast.FuncLit]*WaitEvent{}
	st.declFile = map[*ast.FuncDecl]*model.File{}
	st.helpers = map[*types.Func]lockHelperOps{}
	for f, m := range files {
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok {
				st.declFile[fd] = m
			}
		}
	}
	st.funcOf = map[*ast.BlockStmt]*model.Func{}
	for _, m := range files {
		if m == nil {
			continue
		}
		for _, f := range m.Funcs {
			if f.Body != nil {
				st.funcOf[f.Body] = f
			}
		}
		for _, l := range m.Locks {
			st.lockOps[l.Call] = l
		}
		for _, w := range m.WaitGroups {
			st.wgOps[w.Call] = w
		}
		for _, op := range m.ChanOps {
			st.chanOps[op.Node] = op
		}
	}
	st.aliases = pkg.ChanAliases()
	for _, f := range pkg.Files {
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			fn, _ := pkg.Info.Defs[fd.Name].(*types.Func)
			u := &Unit{Fn: fn, Decl: fd, Body: fd.Body, Name: fd.Name.Name, Test: isTestFunc(pkg.Fset, fd), File: files[f]}
			if fd.Recv != nil && len(fd.Recv.List) == 1 && len(fd.Recv.List[0].Names) == 1 {
				u.Recv = pkg.Info.Defs[fd.Recv.List[0].Names[0]]
			}
			if fn != nil {
				st.ByFunc[fn] = u
			}
			st.add(u)
		}
	}
	for _, u := range st.Units {
		for _, l := range u.Locks {
			if !l.Unlock && l.Kind == LockW && l.Mu.Class != nil {
				st.Writers[l.Mu.Class] = true
			}
		}
	}
	st.resolveReturnedChans()
	st.Unbuffered, st.SmallBuffer = pkg.ChanBuffers()
	st.resolveElemChans()
	st.callbacks = st.findCallbacks()
	return st
}

// Mutex names one mutex as an expression reaches it.
type Mutex struct {
	// Root and path identify the instance within one function: the
	// variable at the root of the selector chain and the fields after it
	// (".mu", ".state.mu"). root is nil when the chain starts elsewhere (a
	// call, an index): then only class identifies it.
	Root types.Object
	Path string
	// Class identifies every instance of the mutex: the struct field it
	// is (so a.mu and b.mu of one type share it) or its variable.
	Class types.Object
	Text  string // as written
	// Once: a sync.Once, "held" while the function its Do runs has not
	// returned (once.go).
	Once bool
	// Via and ViaText: where the path was seen through a constructor, a
	// composite literal or a parent pointer, and what that proved
	// (model.Ref); not part of the identity.
	Via     token.Pos
	ViaText string
}

func (m Mutex) SameInstance(o Mutex) bool {
	return m.Root != nil && m.Root == o.Root && m.Path == o.Path
}

type LockKind int

const (
	LockW LockKind = iota
	LockR
)

func (k LockKind) String() string {
	if k == LockR {
		return "RLock"
	}
	return "Lock"
}

// Conflicts: two holders of these kinds exclude each other.
func Conflicts(a, b LockKind) bool { return a == LockW || b == LockW }

// Held is one mutex held at a point.
type Held struct {
	Mu   Mutex
	Kind LockKind
	Pos  token.Pos // the Lock
}

// Acq is a mutex a function locks, directly or through a call.
type Acq struct {
	Mu   Mutex // relative to the function's own variables
	Kind LockKind
	Pos  token.Pos // the Lock, wherever it is
	// Chain is the call path from the function to the Lock: empty for a
	// Lock of its own.
	Chain []string // "size()", "cp()"
	// Top is set for a Lock that is a statement of the function body's
	// top level (the shape lockleak follows itself).
	Top bool
	// Released lists the mutexes the caller held that the path to this
	// Lock unlocks first ("Lock should be held on entry but will be
	// unlocked to prevent lock inversion"): not held when it locks.
	Released []Mutex
	// Gated: the path to this Lock passes an early return on an atomic
	// flag (see unit.flagExits).
	Gated bool
	// StoredAt is the store of the callback the path goes through, if
	// any (callbacks.go).
	StoredAt token.Pos
	// PassedAt is the call that handed the stored function to the
	// function storing it (s.Listen(func() {…})), if any.
	PassedAt token.Pos
	// Dispatched: the path goes through an interface call read as its
	// only implementation in the package.
	Dispatched bool
}

// Unit is one function body: a declaration or a function literal.
type Unit struct {
	Fn   *types.Func // nil for literals
	Decl *ast.FuncDecl
	Lit  *ast.FuncLit
	Body *ast.BlockStmt
	Recv types.Object // receiver variable, if any
	// Parent is the unit a function literal is written in.
	Parent *Unit
	Test   bool // a Test/Benchmark/Example function or a literal inside one
	Name   string
	// File is the file's model: how a branch ends (MayEndBlock,
	// ExitCall) is its exit classifier's answer, not a list of this
	// check's own.
	File *model.File

	Locks   []*LockEvent
	Calls   []*CallEvent
	Waits   []*WaitEvent // blocking channel ops, wg.Wait
	Partner []*WaitEvent // channel ops and Done/Signal that release a waiter
	Loops   []ast.Node   // the for and range statements of the body
	// ParamCalls are the calls of the function's function-typed
	// parameters made with mutexes held (paramfunc.go).
	ParamCalls []ParamCall
	// FlagExits are the ifs that return early on an atomic flag
	// (`if c.done.Load() { return }`): what follows runs only in one
	// state of the object, which golens cannot follow, so a Lock after
	// one makes no lock-order edge (crypto/tls's handshakeContext takes
	// c.in under handshakeMutex only before the handshake completes;
	// Read takes them the other way round only after).
	FlagExits []token.Pos
	// TryLocks are the TryLock and TryRLock calls of the body: they never
	// block, but an Unlock after one may release the function's own lock,
	// not one its caller held.
	TryLocks []*LockEvent
}

// FlagExitBetween reports whether u returns early on an atomic flag
// between from and to.
func (u *Unit) FlagExitBetween(from, to token.Pos) bool {
	for _, p := range u.FlagExits {
		if from < p && p < to {
			return true
		}
	}
	return false
}

type LockEvent struct {
	Mu     Mutex
	Kind   LockKind
	Unlock bool
	Call   *ast.CallExpr
	Stmt   ast.Stmt
	Block  ast.Node // the block whose statement list holds stmt
	Held   []Held   // held just before
	Top    bool
	// UnlockedBefore: an Unlock of the same mutex precedes this Lock in the
	// function (it was held by the caller on entry).
	UnlockedBefore bool
}

type CallEvent struct {
	Call   *ast.CallExpr
	Callee *types.Func
	// Recv, when set, is the receiver of callee in the caller's terms for a
	// call made on the caller's behalf: fmt.Printf("%v", x) calls x.String().
	Recv ast.Expr
	// Field, when callee is nil, is the func-typed field the call calls
	// (x.f()), and owner the struct value x it is read from.
	Field types.Object
	Owner ast.Expr
	// FnLit, when callee is nil, is the function literal the call runs
	// (the argument of once.Do).
	FnLit *ast.FuncLit
	// Iface, when callee is nil, is the interface method the call names
	// when the package has several implementations (or none): which one
	// runs is known only where a caller proves the value (aliased.go).
	Iface *types.Func
	// Local: FnLit is the literal a local variable was defined with, and
	// the call calls that variable (indirect.go).
	Local bool
	// Dispatched: callee is the only implementation in the package of
	// the interface method the call names.
	Dispatched bool
	Held       []Held
	Stmt       ast.Stmt
	Block      ast.Node
}

type WaitKind int

const (
	WaitSend WaitKind = iota
	WaitRecv
	WaitClose
	WaitWGWait
	WaitWGDone
)

type WaitEvent struct {
	Kind  WaitKind
	Class types.Object // the channel or WaitGroup
	Text  string
	// Root and Path name it within its function, as Mutex does (nil
	// Root: only Class identifies it); othervalue.go reads through them
	// which value's field it is.
	Root     types.Object
	Path     string
	Pos, End token.Pos
	Held     []Held
	// InSelect: a case of a select that may not wait on it: one with a
	// default (ChanOp.MayBlock is false) or another case that may
	// proceed instead.
	InSelect bool
	// RetCall is the call whose result is the channel (range
	// b.Notify()), while its class is not yet resolved.
	RetCall  *ast.CallExpr
	Deferred bool
	Stmt     ast.Stmt
	Block    ast.Node
}

type Facts struct {
	Units   []*Unit
	ByFunc  map[*types.Func]*Unit
	summary map[*Unit][]Acq
	// waitSummary holds each unit's blocking operations, its own and
	// its callees' (heldwait.go).
	waitSummary map[*Unit][]CalleeWait
	waitBusy    map[*Unit]bool
	busy        map[*Unit]bool
	byLit       map[*ast.FuncLit]*Unit
	// callbacks maps a func-typed field to the functions stored in it
	// that lock a mutex of the field's owner (callbacks.go).
	callbacks map[types.Object][]Callback
	// Pkg holds the package-wide facts this check reads (model.Package,
	// built by modelpass): variable paths seen through constructors and
	// parent pointers, Cond locks, channel aliases and buffers, uses.
	Pkg *model.Package
	// Calls indexes u.calls by callee (callIndex, once computed).
	Calls map[types.Object][]*CallEvent
	// aliases maps a local channel variable that only ever copies
	// another to it (model.Package.ChanAliases).
	aliases map[types.Object]types.Object
	Writers map[types.Object]bool // classes locked with Lock somewhere
	// Unbuffered holds the channel classes whose every make in the
	// package is unbuffered (and that have one): only there does a send
	// certainly wait for its receiver.
	Unbuffered map[types.Object]bool
	// SmallBuffer holds the channel classes whose every make has a
	// buffer of at most one (and that have one): a second send fills it.
	SmallBuffer map[types.Object]bool
	// conds maps a Cond field to the mutex its L locks
	// (model.Package.CondLocks).
	conds map[types.Object]model.CondLock
	// lockOps maps each Lock, Unlock, RLock, RUnlock, TryLock and TryRLock
	// call of the package to the model's lock operation (File.Locks).
	lockOps map[*ast.CallExpr]*model.LockOp
	// wgOps maps each WaitGroup method call to the model's operation
	// (File.WaitGroups).
	wgOps map[*ast.CallExpr]*model.WaitGroupOp
	// chanOps maps each send, receive, range over a channel and close of
	// the package to the model's channel operation (File.ChanOps), by its
	// node: the walk records the operations the model found, and reads
	// from it whether a select case may block.
	chanOps map[ast.Node]*model.ChanOp
	// goDone holds, for each function literal a WaitGroup's Go runs, the
	// Done that runs when it returns.
	goDone map[*ast.FuncLit]*WaitEvent
	// declFile maps each function declaration to its file's model;
	// helpers caches lockHelper.
	declFile map[*ast.FuncDecl]*model.File
	helpers  map[*types.Func]lockHelperOps
	// indirect holds what the walk reads for calls of function values
	// (indirect.go).
	indirect indirect
	// funcOf maps each function body of the package to the model's
	// function: whose lock flow says what is held in it (held.go).
	funcOf map[*ast.BlockStmt]*model.Func
	// ptrTargets caches PtrMutexTargets (ptrmutex.go).
	ptrTargets map[types.Object]types.Object
	// repeated caches RunRepeatedly (repeated.go).
	repeated map[*Unit]RepeatSite
	// elemStores lists where channels are stored into each container
	// field (elemchans.go).
	elemStores map[types.Object][]token.Pos
}

// add walks u and the function literals inside it, each as a unit of its own.
func (st *Facts) add(u *Unit) {
	st.Units = append(st.Units, u)
	w := &walker{st: st, u: u, fn: st.funcOf[u.Body]}
	w.block(u.Body, u.Body.List)
	for _, lit := range w.lits {
		v := &Unit{Lit: lit, Body: lit.Body, Name: u.Name + "'s function literal", Test: u.Test, Recv: u.Recv, Parent: u, File: u.File}
		st.byLit[lit] = v
		st.add(v)
		if done := st.goDone[lit]; done != nil {
			v.Partner = append(v.Partner, done)
		}
	}
}

func isTestFunc(fset *token.FileSet, fd *ast.FuncDecl) bool {
	if fd.Recv != nil {
		return false
	}
	tf := fset.File(fd.Pos())
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

// Acquires returns the mutexes fn may lock, relative to fn's variables:
// its own Locks (except those of a mutex it unlocks first, which its
// caller holds) and those of the package's functions it calls, mapped
// through the call's receiver and arguments.
func (st *Facts) Acquires(fn *types.Func) []Acq {
	u := st.ByFunc[fn]
	if u == nil {
		return nil
	}
	return st.AcquiresOf(u)
}

// AcquiresOf is acquires for a unit: a declaration or a function literal
// (whose captured variables are its enclosing function's).
func (st *Facts) AcquiresOf(u *Unit) []Acq {
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
	for _, c := range u.Calls {
		for _, ca := range st.CallAcquires(c) {
			a, mu := ca.A, ca.Mu
			if unlockedBy(u, mu, c.Call.Pos()) {
				continue
			}
			rel := CallerHeldReleased(u, c.Call.Pos())
			if c.Callee != nil {
				for _, r := range a.Released {
					if m, ok := st.MapThrough(c, r); ok && m.Root != nil {
						rel = append(rel, m)
					}
				}
			}
			out = append(out, Acq{Mu: mu, Kind: a.Kind, Pos: a.Pos, Chain: append(c.ChainHead(), a.Chain...), Released: rel,
				Gated: a.Gated || u.FlagExitBetween(u.Body.Pos(), c.Call.Pos()), StoredAt: a.StoredAt, PassedAt: a.PassedAt,
				Dispatched: a.Dispatched || c.Dispatched})
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
func (st *Facts) ownAcquires(u *Unit) []Acq {
	var out []Acq
	for _, l := range u.Locks {
		if !l.Unlock && !l.UnlockedBefore {
			out = append(out, Acq{Mu: l.Mu, Kind: l.Kind, Pos: l.Call.Pos(), Top: l.Top, Released: CallerHeldReleased(u, l.Call.Pos()),
				Gated: u.FlagExitBetween(u.Body.Pos(), l.Call.Pos())})
		}
	}
	return out
}

// CallAcq is a mutex a call may lock: the callee's acquisition and its
// mutex in the caller's terms.
type CallAcq struct {
	A  Acq
	Mu Mutex
	// Relative: mu's path is below the owner of a callback
	// (callbackAcquires), not yet in the caller's terms.
	Relative bool
}

// CallAcquires lists the mutexes the call c may lock, in the caller's
// terms: through the static callee, or through the callbacks stored in the
// func-typed field it calls (callbacks.go).
func (st *Facts) CallAcquires(c *CallEvent) []CallAcq {
	if c.FnLit != nil {
		var out []CallAcq
		if v := st.byLit[c.FnLit]; v != nil {
			for _, a := range st.AcquiresOf(v) {
				out = append(out, CallAcq{A: a, Mu: a.Mu})
			}
		}
		return out
	}
	if c.Callee == nil {
		return st.fieldAcquires(c)
	}
	var out []CallAcq
	for _, a := range st.Acquires(c.Callee) {
		if mu, ok := st.MapThrough(c, a.Mu); ok {
			out = append(out, CallAcq{A: a, Mu: mu})
		}
	}
	return out
}

// CallerHeldReleased lists the mutexes u unlocks before p without having
// locked them first: its caller held them.
func CallerHeldReleased(u *Unit, p token.Pos) []Mutex {
	var out []Mutex
	for _, l := range u.Locks {
		if l.Unlock && l.Call.Pos() < p && l.Mu.Root != nil {
			own := triedBefore(u, l)
			for _, k := range u.Locks {
				if !k.Unlock && k.Call.Pos() < l.Call.Pos() && k.Mu.SameInstance(l.Mu) {
					own = true
				}
			}
			if !own {
				out = append(out, l.Mu)
			}
		}
	}
	return out
}

// Releases reports whether the callee's Lock a, reached through the call
// c, happens after the caller's h was unlocked on the way.
func (st *Facts) Releases(c *CallEvent, a Acq, h Mutex) bool {
	if c.Callee == nil {
		return false
	}
	for _, r := range a.Released {
		if m, ok := st.MapThrough(c, r); ok && m.SameInstance(h) {
			return true
		}
	}
	return false
}

// unlockedBy: u unlocks mu before p (the caller held it on entry).
func unlockedBy(u *Unit, mu Mutex, p token.Pos) bool {
	for _, l := range u.Locks {
		if l.Unlock && l.Call.Pos() < p && (l.Mu.SameInstance(mu) || l.Mu.Root == nil && l.Mu.Class == mu.Class) && !triedBefore(u, l) {
			return true
		}
	}
	return false
}

// triedBefore reports whether u TryLocks the mutex the Unlock l releases
// before l: then l may release u's own lock, not its caller's.
func triedBefore(u *Unit, l *LockEvent) bool {
	for _, t := range u.TryLocks {
		if t.Call.Pos() < l.Call.Pos() && t.Mu.SameInstance(l.Mu) {
			return true
		}
	}
	return false
}

// MapThrough rewrites a mutex of the callee in the caller's terms: a
// receiver or parameter root becomes the call's receiver or argument
// expression; a package-level variable stays; other roots keep only their
// class.
func (st *Facts) MapThrough(c *CallEvent, mu Mutex) (Mutex, bool) {
	if mu.Class == nil {
		return Mutex{}, false
	}
	out := Mutex{Class: mu.Class, Text: mu.Text, Once: mu.Once}
	if mu.Root == nil {
		return out, true
	}
	if v, ok := mu.Root.(*types.Var); ok && v.Parent() == v.Pkg().Scope() {
		return mu, true
	}
	sig, _ := c.Callee.Type().(*types.Signature)
	if sig == nil {
		return out, true
	}
	var arg ast.Expr
	if sig.Recv() != nil && sig.Recv() == mu.Root && c.Recv != nil {
		arg = c.Recv
	} else if sig.Recv() != nil && sig.Recv() == mu.Root {
		if sel, ok := ast.Unparen(c.Call.Fun).(*ast.SelectorExpr); ok {
			arg = sel.X
		}
	} else {
		for i := 0; i < sig.Params().Len(); i++ {
			if sig.Params().At(i) == mu.Root && i < len(c.Call.Args) && !sig.Variadic() {
				arg = c.Call.Args[i]
			}
		}
	}
	if arg == nil {
		return out, true
	}
	base := st.refOf(arg)
	if base.Root == nil {
		return out, true
	}
	out.Root, out.Path = base.Root, base.Path+mu.Path
	out.Text = base.Text + mu.Path
	out.Via, out.ViaText = base.Via, base.ViaText
	return st.resolve(out), true
}

// refOf names the variable path an expression reaches
// (model.Package.Ref: seen through constructor fields and parent
// pointers).
func (st *Facts) refOf(e ast.Expr) Mutex { return fromRef(st.Pkg.Ref(e)) }

func fromRef(r model.Ref) Mutex {
	return Mutex{Root: r.Root, Path: r.Path, Class: r.Class, Text: r.Text, Via: r.Via, ViaText: r.ViaText}
}

// resolve sees m through constructor fields and parent pointers
// (model.Package.Resolve), keeping what it is.
func (st *Facts) resolve(m Mutex) Mutex {
	out := fromRef(st.Pkg.Resolve(model.Ref{Root: m.Root, Path: m.Path, Class: m.Class, Text: m.Text}))
	out.Once = m.Once
	if !out.Via.IsValid() {
		out.Via, out.ViaText = m.Via, m.ViaText
	}
	return out
}

func exprText(e ast.Expr) string { return model.ExprText(e) }

// ChainHead is the first hop of a chain through c: "size()", or "cp()"
// for a callback stored in the field cp.
func (c *CallEvent) ChainHead() []string {
	if c.Callee != nil {
		return []string{c.Callee.Name() + "()"}
	}
	if f := c.Field; f != nil {
		return []string{f.Name() + "()"}
	}
	return nil
}

// EndsInPanic reports whether the statement list of block (a block, or a
// case or select clause of u) ends in a panic on every path through its
// last statement: panic(...), or log.Panic* (model.File.ExitCall). Code
// there runs only where its author says the program went wrong ("invalid
// concurrent Body.Read call").
func (u *Unit) EndsInPanic(block ast.Node) bool {
	var list []ast.Stmt
	switch b := block.(type) {
	case *ast.BlockStmt:
		list = b.List
	case *ast.CaseClause:
		list = b.Body
	case *ast.CommClause:
		list = b.Body
	}
	if len(list) == 0 || u.File == nil {
		return false
	}
	es, ok := list[len(list)-1].(*ast.ExprStmt)
	if !ok {
		return false
	}
	call, ok := ast.Unparen(es.X).(*ast.CallExpr)
	if !ok {
		return false
	}
	k, exits := u.File.ExitCall(call)
	return exits && k == model.ExitPanic
}
