// Package model builds the concurrency model of one Go file version: the
// goroutines it starts, the channels it makes and uses, its selects, defers,
// locks, WaitGroups, panics and recovers, and the time and context calls
// around them — each with its position.
//
// The model is built once per document version (see Build) and is the only
// view of the file that golens's features read: hover, inlay hints, checks
// and code actions all consult the same Chan for a channel's capacity and the
// same Defer for its run order, so they never disagree.
//
// It is built from syntax first (the syntax tier: works on broken files and
// needs no toolchain). When type information is available (the typed tier),
// Build uses it to recognise channels, mutexes and WaitGroups that syntax
// alone cannot see (parameters of named types, struct fields declared in other
// files, return values).
//
// Variables are identified by their declaration, not their name: `ch` in two
// functions is two channels.
//
// Facts cross function boundaries through function summaries (summary.go):
// what each function does to the channels, locks, WaitGroups, Conds and
// contexts it is given or reaches, composed through the calls of the file
// (and, on the typed tier, of the package: see BuildWith). Derived facts
// carry a Certainty (certainty.go): a negative such as "nothing closes it"
// is proven only when the value does not escape the analysed code;
// otherwise the model records where it went (Chan.Indirect, Goroutine.Waited).
//
// The summaries and the facts derived from them are computed on first
// read, once, for the whole file (see derived): an edit followed by a
// hover on a select or a make pays for none of them.
package model

import (
	"go/ast"
	"go/token"
	"go/types"
	"sort"
	"sync"
	"unsafe"
)

// Tier says how much the model knows.
type Tier int

const (
	// SyntaxTier models were built from the parse tree alone.
	SyntaxTier Tier = iota
	// TypedTier models were built with go/types information.
	TypedTier
)

// File is the concurrency model of one version of one Go file.
type File struct {
	Fset *token.FileSet
	AST  *ast.File
	// Src is the source the model was built from. The model quotes it
	// without copying (aliasText): callers must not modify it after
	// Build.
	Src  []byte
	Tier Tier
	// Info is the type information the model was enriched with, or nil.
	Info *types.Info

	Funcs      []*Func
	Chans      []*Chan
	Goroutines []*Goroutine
	ChanOps    []*ChanOp
	Selects    []*Select
	Defers     []*Defer
	Locks      []*LockOp
	WaitGroups []*WaitGroupOp
	Builtins   []*BuiltinCall // panic and recover
	TimeCalls  []*TimeCall    // time.After, Tick, Sleep, NewTimer, NewTicker, AfterFunc
	CtxCalls   []*ContextCall // context.WithCancel/Timeout/Deadline, ctx.Done()
	ChanTypes  []*ChanType    // `chan T` type expressions, with their make call if any
	// summaries holds one summary per function of Funcs (see Summaries).
	summaries []*Summary
	summaryOf map[*Func]*Summary
	// derived computes the summaries and the facts that read them on
	// first use (lazy.go).
	derived *derived

	sites []Site // sorted by Start; see SiteAt
	// trackHeld: the lock flows record HeldAt's probes (TrackHeld).
	trackHeld bool
	// pkg: the package's facts the lock flows read (UsePackage).
	pkg *Package
	// classPkg: the package whose channel classes the channel facts
	// read (BuildInPackage, chan_classes_file.go).
	classPkg *Package
}

// Func is a function declaration or function literal.
type Func struct {
	Name string // "main", "(*Server).Run", or "func literal"
	Pos  token.Pos
	End  token.Pos
	Body *ast.BlockStmt
	Type *ast.FuncType
	// Node is the declaration or literal itself (*ast.FuncDecl or
	// *ast.FuncLit), for features that need its receiver, name or
	// parameters.
	Node   ast.Node
	Parent *Func // enclosing function of a literal
	Defers []*Defer
	// GoBody is set on a function literal started by a go statement.
	GoBody *Goroutine
	// deferredBy is the defer statement whose call is this literal (set
	// with Deferred).
	deferredBy *Defer
	// Path facts, computed on first use (see ensureFlow and Exits).
	fb   *flowBuilder
	once sync.Once
	// Lit is set on a function literal. (The flags sit beside once, in
	// its padding.)
	Lit bool
	// Deferred is set on a function literal that is itself the deferred call
	// (`defer func() { ... }()`): recover works directly inside it.
	Deferred bool
	flow     *funcFlow
	// paths: the facts the flow computation gives, allocated when it
	// runs: a hover computes one function's, and inline they were a
	// quarter of every Func's size.
	paths *funcPaths
}

// funcPaths are the path facts of a function (Func.ensureFlow).
type funcPaths struct {
	// heldAt: what the lock flow holds at each probe (locks_heldat.go).
	heldAt map[token.Pos][]HeldFlow
	exits  []*Exit
	// lockCalls are the calls of f whose summary proves they return
	// holding a mutex of the caller (see LockCalls).
	lockCalls []*LockOp
}

// pathFacts is f's path facts, allocated on first write: only the flow
// computation (once per function) writes them.
func (f *Func) pathFacts() *funcPaths {
	if f.paths == nil {
		f.paths = new(funcPaths)
	}
	return f.paths
}

// exitList is f's exits as computed so far; nil before its flow is.
func (f *Func) exitList() []*Exit {
	if f.paths == nil {
		return nil
	}
	return f.paths.exits
}

// VarKey identifies a variable by its declaration. Two uses of `ch` have the
// same key exactly when they refer to the same variable. Struct fields
// reached through a selector are keyed by field (typed tier: the field
// object; syntax tier: the field name), so `s.jobs` in a constructor and in a
// method are the same channel.
type VarKey struct {
	obj   any    // *ast.Object (syntax tier) or types.Object (typed tier)
	field string // for selector expressions: the selected field name
}

// Valid reports whether the key identifies a variable at all.
func (k VarKey) Valid() bool { return k.obj != nil || k.field != "" }

// ChanDir is a channel's direction.
type ChanDir int

const (
	Bidirectional ChanDir = iota
	SendOnly              // chan<- T
	RecvOnly              // <-chan T
)

func (d ChanDir) String() string {
	switch d {
	case SendOnly:
		return "send-only"
	case RecvOnly:
		return "receive-only"
	}
	return "bidirectional"
}

// Chan is one channel variable (or field) and everything the file does with
// it.
type Chan struct {
	Key     VarKey
	Name    string    // as written at the declaration: "ch", "s.jobs"
	Decl    token.Pos // declaring identifier; NoPos when unknown (field of another file)
	Elem    string    // element type as written, "" when unknown
	Dir     ChanDir
	IsParam bool // a function parameter or result: made by the caller
	IsField bool
	// Local is set for a variable declared inside a function body.
	Local bool
	// declaredBare: declared by `var ch chan T` without a value, by the
	// spec bareSpec (Chan.BareDecl).
	declaredBare bool
	// neverSent: proven that nothing sends on it (close_paths.go). (With
	// the other flags: a Chan is then 256 bytes, not 288.)
	neverSent bool
	// noSendInFile: no send on it is written in the file, through a
	// call, an alias or an escape (close_paths.go, NoSendInFile).
	noSendInFile bool
	bareSpec     *ast.ValueSpec
	Makes        []*MakeSite
	NilSets      []token.Pos // explicit `ch = nil` assignments (the disable-a-case idiom)
	Assigned     []token.Pos // other assignments from an expression that is not make/nil
	Ops          []*ChanOp
	// indirect and closed: see Indirect and Closed (computed on first
	// read, with the summaries).
	indirect []ChanUse
	closed   Fact
	// someCloses: the closes of this file that run only on some paths of
	// the function holding the channel, with the condition golens can
	// name (close_paths.go).
	someCloses map[*ChanOp]string
	derived    *derived
}

// MakeSite is a `make(chan T[, n])` call assigned to a channel.
type MakeSite struct {
	Pos      token.Pos
	Elem     string
	Dir      ChanDir
	Cap      int64 // capacity when CapKnown
	CapKnown bool
	CapExpr  string // as written; "" for an unbuffered make
}

// Capacity summarises what the model knows about a channel's buffer.
// known is false when there is no make in this file, the makes disagree, or
// a capacity is not a constant.
func (c *Chan) Capacity() (capacity int64, known bool) {
	if len(c.Makes) == 0 || len(c.Assigned) > 0 || c.IsParam {
		return 0, false
	}
	first := c.Makes[0]
	for _, m := range c.Makes {
		if !m.CapKnown || m.Cap != first.Cap {
			return 0, false
		}
	}
	return first.Cap, first.CapKnown
}

// NeverMade reports whether the channel is nil on every path the model can
// see: a variable declared inside a function without a value, never made,
// never assigned. (A package-level variable may be made by another file.)
func (c *Chan) NeverMade() bool {
	return c.Local && c.declaredBare && !c.IsParam && !c.IsField && c.Decl.IsValid() &&
		len(c.Makes) == 0 && len(c.Assigned) == 0
}

// Closes lists the close(ch) operations on the channel.
func (c *Chan) Closes() []*ChanOp { return c.opsOf(Close) }

// Sends lists the send statements on the channel (including select cases).
func (c *Chan) Sends() []*ChanOp { return c.opsOf(Send) }

// Receives lists receive operations and range loops on the channel.
func (c *Chan) Receives() []*ChanOp {
	var out []*ChanOp
	for _, op := range c.Ops {
		if op.Kind == Recv || op.Kind == Range {
			out = append(out, op)
		}
	}
	return out
}

func (c *Chan) opsOf(k OpKind) []*ChanOp {
	var out []*ChanOp
	for _, op := range c.Ops {
		if op.Kind == k {
			out = append(out, op)
		}
	}
	return out
}

// OpKind is the kind of a channel operation.
type OpKind uint8

const (
	Send OpKind = iota
	Recv
	Close
	Range
)

func (k OpKind) String() string {
	return [...]string{"send", "receive", "close", "range"}[k]
}

// ChanOp is a send, receive, close or range over a channel.
type ChanOp struct {
	Pos      token.Pos // the <- arrow, `close`, or `range`
	End      token.Pos // end of the whole operation
	Node     ast.Node  // *ast.SendStmt, *ast.UnaryExpr, *ast.CallExpr or *ast.RangeStmt
	ChanExpr string    // the channel operand as written
	Chan     *Chan     // nil when the operand is not a known channel variable (e.g. time.After(d))
	// Source names the call a receive reads from when the operand is a call:
	// "time.After", "ctx.Done", "time.Tick"; "" otherwise.
	Source string
	// TimeChan is "Timer" or "Ticker" when the operand is t.C of a local
	// made by time.NewTimer or time.NewTicker, "time" for the C of a
	// time.Timer or time.Ticker made elsewhere (typed tier), and "Ticker"
	// or "Timer" for a local holding time.Tick's or time.After's channel,
	// and the C's kind for a local holding only such Cs (c := ticker.C)
	// (timefunc_chans.go); "AfterFunc" for t.C of a local declared by
	// t := time.AfterFunc(...) and written nothing else: a nil channel
	// (afterfunc_timers.go); "" otherwise. For "Timer", "Ticker" and
	// "time" the time package sends on it and never closes it.
	TimeChan string
	// TimeFunc is "After" or "Tick" when TimeChan is set because the
	// operand holds the channel time.After or time.Tick returned: no
	// Timer or Ticker value is at hand, so nothing can Stop it; After's
	// sends one value only. "" otherwise.
	TimeFunc string
	Select   *SelectCase
	Func     *Func
	InGo     *Goroutine // inside the body of a goroutine literal
	ValueStr string     // for sends: the value as written
	// Kind sits with the flags: a file has thousands of operations.
	Kind    OpKind
	CommaOk bool // v, ok := <-ch
	InLoop  bool // inside a for/range loop of the same function
	// Deferred is set on `defer close(ch)`: the close runs when Func
	// returns, not where it is written.
	Deferred bool
	// DoneGuess is set on a receive from x.Done() that the syntax tier
	// takes for a context's Done only by the method's name: nothing in
	// the file shows x is a context (a Done method of another file or
	// package may be a job's own). Texts then say "if x is a context".
	DoneGuess bool
	// DrainAfterStop is set on a receive from x.C written in the body of
	// `if !x.Stop() { ... }`, before anything else there names x: the
	// drain idiom. It runs only when Stop returned false (stop_drain.go).
	DrainAfterStop bool
	// UnreachedAfter is set on a close written after a loop of its own
	// function that never ends (unreached_close.go): the loop's position.
	UnreachedAfter token.Pos
	// vals: the path facts At and Ctx read, set when the function's flow
	// is computed for the few operations that have them (values_flow.go).
	vals *opValues
}

type opValues struct {
	at        *ChanValue // see At
	ctxOrigin CtxOrigin  // see Ctx
	ctxFrom   *ContextCall
	// ctxNeverInFile: see CtxNeverInFile
	ctxNeverInFile string
	// ctxHeld: see CtxHeld
	ctxHeld *CtxHeld
}

// CtxNeverInFile is, for a ctx.Done() receive on the syntax tier whose
// context is a parameter of an unexported function every use of which in
// this file is a call passing context.Background() or context.TODO()
// (model.File.ctxParamNeverInFile), that function's name: in this file
// the context is never cancelled and the receive is never ready, though
// a call in another file of the package could pass one that is. "" else.
func (op *ChanOp) CtxNeverInFile() string {
	op.Func.ensureFlow()
	if op.vals == nil {
		return ""
	}
	return op.vals.ctxNeverInFile
}

// At is the value the channel variable has here, per path, when the
// variable is assigned more than once in the function (see ChanValue);
// nil otherwise. Capacity and MakeAt read it.
func (op *ChanOp) At() *ChanValue {
	op.Func.ensureFlow()
	if op.vals == nil {
		return nil
	}
	return op.vals.at
}

// Ctx says, for a receive from ctx.Done(), where the context comes from on
// the paths the model sees, and its constructor call when known: only a
// deadline context makes the receive a timeout, and
// context.Background().Done() is nil and never ready.
func (op *ChanOp) Ctx() (CtxOrigin, *ContextCall) {
	op.Func.ensureFlow()
	if op.vals == nil {
		return CtxUnknown, nil
	}
	return op.vals.ctxOrigin, op.vals.ctxFrom
}

// Select is a select statement.
type Select struct {
	Pos     token.Pos
	End     token.Pos
	Node    *ast.SelectStmt
	Cases   []*SelectCase
	Default *SelectCase
	Func    *Func
	InLoop  bool
}

// Timeouts lists the cases that fire on a timer or a context: the cases that
// can win over a slow partner. A Done case of context.Background() or TODO()
// is not one: that channel is nil and never ready; nor, on the syntax tier,
// one whose context every call in this file passes as Background() or
// TODO() (ChanOp.CtxNeverInFile): nothing golens sees bounds the wait.
func (s *Select) Timeouts() []*SelectCase {
	var out []*SelectCase
	for _, c := range s.Cases {
		if o, _ := c.Ctx(); c.Timeout != "" && !(c.IsCtxDone() && (o == CtxNever || c.Op.CtxNeverInFile() != "" || c.Op.CtxHeld() != nil)) {
			out = append(out, c)
		}
	}
	return out
}

// Delay reports whether this timer case (time.After, or a Timer's C) sits
// beside no case that waits for a value or a partner: the select has no
// default, and every other case of it waits on a timer or a context's Done
// too. Such a timer is not a timeout on another wait; it is what the
// select waits for, unless a context is done first — a retry loop's
// backoff (select { case <-ctx.Done(): return err; case <-t.C: }). Which of
// the two a program means is its own business, so the texts that read
// this say only what waits for what. Computed on read.
func (c *SelectCase) Delay() bool {
	if c.Timeout == "" || c.Op == nil || c.IsCtxDone() || c.Select == nil || c.Select.Default != nil {
		return false
	}
	for _, o := range c.Select.Cases {
		if o != c && !o.Default && o.Timeout == "" {
			return false
		}
	}
	return true
}

// SelectCase is one case (or the default) of a select.
type SelectCase struct {
	Pos     token.Pos // the `case` or `default` keyword
	Colon   token.Pos
	Select  *Select
	Index   int     // 1-based among the select's clauses
	Op      *ChanOp // nil for default
	Default bool
	// Timeout describes a case that fires by time or cancellation:
	// "time.After(2 * time.Second)", "ctx.Done()", "timer.C"; "" otherwise.
	Timeout string
	// TimerC is set on a Timeout case that receives from a Timer's C
	// (x.C), and TimerArmed when the model proves that timer armed on
	// every path into the select (timer_armed.go): only then does its
	// case bound the wait; a spent or stopped timer sends nothing.
	TimerC, TimerArmed bool
}

// Ctx is ChanOp.Ctx for a ctx.Done() case; CtxUnknown for other cases.
func (c *SelectCase) Ctx() (CtxOrigin, *ContextCall) {
	if c.Op == nil {
		return CtxUnknown, nil
	}
	return c.Op.Ctx()
}

// IsCtxDone reports whether the case receives from a ctx.Done().
func (c *SelectCase) IsCtxDone() bool { return ctxOfCase(c) != nil }

// Defer is a defer statement.
type Defer struct {
	Pos   token.Pos
	End   token.Pos
	Node  *ast.DeferStmt
	Func  *Func
	Index int // 1-based among Func's defer statements, in source order
	// Conditional is set when the defer statement is written inside an if,
	// switch, select case or loop (syntax only). Whether it is executed on
	// the paths to each exit, and its run position there, is Order().
	Conditional bool
	InLoop      bool
	Closure     bool   // defer func() { ... }() (with the flags above)
	Call        string // the deferred call as written
	Callee      string // "fmt.Println", "f.Close", "func literal"
	Args        []DeferArg
	// CalleeWrites lists the writes, later in Func, of the variable the
	// deferred function value is read from (defer release(); release =
	// other): the defer evaluated the function value already, so the call
	// still runs the one it held then. A window on the variable's list,
	// shared like DeferArg.ReassignedAt: read it, never write into it.
	CalleeWrites []token.Pos
	// Captures lists variables of the enclosing function a deferred closure
	// reads: they are read when it runs, not now.
	Captures []string
	// CapturesWritten lists those of Captures the closure assigns to (by
	// variable, not by name: a shadowing declaration inside is another
	// variable); the defer hint reads it.
	CapturesWritten []string
	// SetsResults lists those of CapturesWritten that are named results of
	// Func: deferred calls run after return has set the results, so what
	// the closure stores there is what Func returns.
	SetsResults []string
	// loopCaps are those of Captures that a for or range clause declares
	// (FixedCaptures reads them).
	loopCaps []Capture
	// Receiver is the method receiver, evaluated now too, as Go evaluates
	// it: "f" in defer f.Close(), "&t" when a pointer method is deferred
	// on an addressable t, "*p" for a value method on a pointer p; "" when
	// the syntax tier cannot tell a method from a field of func type.
	Receiver string
	// ReceiverExpr is the operand before the dot (`t` in defer t.m()), as
	// written; nil for a package function or a function literal.
	ReceiverExpr ast.Expr
	// NilReceiver names the receiver variable when the model proves it a
	// nil pointer and the deferred method has a value receiver: a local
	// declared `var l *T` with no value and never assigned, taken the
	// address of, or written anywhere in its function. Evaluating the
	// method value reads *l now, so the defer statement itself panics
	// and the call is never deferred (a run shows it:
	// truth/testdata/r10l_defer_value_method_nil_ptr.txtar). The flow
	// counts the statement as a panic exit.
	NilReceiver string
	// LoopAddrs names the loop variables whose address the statement
	// evaluates now (receiver `&s` of a pointer method, or an argument
	// `&s`): shared by all iterations before go 1.22, so every call
	// deferred here gets the same pointer.
	LoopAddrs []string
	// order: see Order. A pointer, set when the path facts are computed:
	// most defers of an edited file are never asked, and the order is a
	// third of a Defer's size.
	// EndlessAfter is a loop after the defer statement, in an enclosing
	// block of its function, that never ends and that nothing unwinds
	// (no panic, Goexit or exit call in it, no recover in the function):
	// the function never returns, so the deferred call never runs
	// (loopAfterDefer, which the deferred close's UnreachedAfter reads
	// too). NoPos otherwise.
	EndlessAfter token.Pos
	order        *DeferOrder
}

// Order is when the deferred call runs, per path (see DeferOrder): hover
// and hints both read it.
func (d *Defer) Order() DeferOrder {
	d.Func.ensureFlow()
	if d.order == nil {
		return DeferOrder{}
	}
	return *d.order
}

// DeferArg is one argument of a deferred call: evaluated at the defer
// statement.
type DeferArg struct {
	Expr string
	Node ast.Expr
	Pos  token.Pos
	// Value is the constant value the argument has at the defer statement,
	// when the model can tell ("5", `"done"`); "" otherwise.
	Value string
	// ReassignedAt lists later assignments to the argument's variable in the
	// same function, in source order: the deferred call will not see them.
	// The defers of one variable share one list (this is a window on it):
	// read it, never write into it. Readers that format it show only the
	// first few, since a function may reassign it thousands of times.
	ReassignedAt []token.Pos
}

// Capture is a variable of an enclosing function that a function literal
// refers to.
type Capture struct {
	Name    string
	Decl    token.Pos
	Written bool // the literal assigns to it
	IsLoop  bool // a loop variable (per-iteration since Go 1.22)
}

// Goroutine is a go statement.
type Goroutine struct {
	Pos      token.Pos
	End      token.Pos
	Node     *ast.GoStmt
	Func     *Func // the function containing the go statement
	Body     *Func // the literal's body, when it is `go func(){...}()`
	Call     string
	Callee   string
	Args     []string // evaluated now, in the starting goroutine
	Captures []Capture
	InLoop   bool
	// index is the goroutine's place in File.Goroutines (goIndex).
	index int32
	// The wait facts (waitedBy, waitPos, waitMayGiveUp, waitThrough,
	// waited, ...: see the methods of the same names) are computed on
	// first read, with the summaries, into goWait, which ensureWait
	// allocates: a hover reads one goroutine's, and the facts were
	// nearly half of every Goroutine's size.
	*goWait
	derived  *derived
	waitOnce sync.Once // see ensureWait
	// Receiver is the method receiver evaluated at the go statement, as
	// Go evaluates it: "&t" when a pointer method is called on an
	// addressable t.
	Receiver string
	// LoopAddrs: as Defer.LoopAddrs, for the go statement.
	LoopAddrs []string
	// FuncValue is the selector a go statement calls when golens does not
	// know whether it is a method value or a field of func type ("j.run"
	// with j's type unknown on the syntax tier, "s.f" for a func field):
	// either way it is evaluated now, x included. "" when Receiver is set
	// or the call is a plain function or a package's.
	FuncValue string
	// CalleeWrites: as Defer.CalleeWrites, for go f() with f a variable
	// written again later in Func.
	CalleeWrites []token.Pos
}

// goWait holds a goroutine's wait facts (Goroutine.ensureWait).
type goWait struct {
	waitedBy      string
	waitPos       token.Pos
	waitMayGiveUp bool
	sendBlocks    bool   // a send of the goroutine never completes (sendsOutnumberReceives)
	waitGiveUpWhy string // how a wait that is not a select case gives up (waits_range.go)
	waitsForOne   string // why a single receive waits for only one of the goroutines a loop starts
	// oneOfCase: a select case receiving from a channel the goroutine,
	// started in a loop, sends on, that takes one of the loop's values
	// (so it is not said to wait for it), that can lose to another case,
	// and after which the starting function receives from that channel
	// nowhere else (NoPos otherwise): the select hint's leak sentence.
	oneOfCase     token.Pos
	waitThrough   string
	waitEnd       *WaitEnd // when the wait ends, if the goroutine may not end it (waits_ends.go)
	waitThen      string   // what waits after a select case that can lose (waits_after_select.go)
	waitThenWaits bool     // ... and it waits for the goroutine on every path
	waited        Fact
	// waiterWait: with waited a proven negative, a WaitGroup Wait in
	// another goroutine of the starting function that waits for this one
	// (waits_wgwaiter.go).
	waiterWait *WaitGroupOp
	// waiterDoneSome: with waiterWait, the goroutine's own Done on that
	// WaitGroup when it runs only on some of its paths (NoPos when on
	// every path).
	waiterDoneSome token.Pos
}

// LockKind names a sync.Mutex / RWMutex method.
type LockKind int

const (
	Lock LockKind = iota
	Unlock
	RLock
	RUnlock
	TryLock
	TryRLock
)

var lockNames = [...]string{"Lock", "Unlock", "RLock", "RUnlock", "TryLock", "TryRLock"}

func (k LockKind) String() string { return lockNames[k] }

// LockOp is a call of a Mutex or RWMutex method.
type LockOp struct {
	Kind     LockKind
	Pos      token.Pos // the method name
	Deferred bool      // defer mu.Unlock() (beside Pos, in its padding)
	Call     *ast.CallExpr
	Recv     string // receiver as written: "mu", "s.mu"
	Key      VarKey
	Type     string // "sync.Mutex", "sync.RWMutex", or "" when unknown (syntax tier, declared elsewhere)
	Func     *Func
	flow     *LockFlow // see Flow
	// lists: what the lock flow pairs the op with, allocated when the
	// flow of its function runs (a hover runs one function's); nil before.
	lists *lockLists
	// Through is set on a release made by a call of a function whose
	// summary unlocks the mutex (`defer s.unlock()`): where the callee
	// unlocks, for a reader ("which unlocks it at line 13"); Call is the
	// call. Such an op is not in File.Locks.
	Through string
	// synth names the mutex of such a release; nil for a direct call.
	synth *lockSynth
}

// lockLists are the lists the lock flow fills, under its flowBuilder's
// pairsMu.
type lockLists struct {
	pairs   []*LockOp // see Pairs
	wrongOf []*LockOp // see WrongKind
	// twiceAfter: see ReleasedBefore
	twiceAfter []*LockOp
	// againAfter: see UnlockedBefore
	againAfter []*LockOp
	// unnamed: see ReleasesUnnamed
	unnamed []token.Pos
}

// listsOf is l's lists for the flow to append to (under pairsMu).
func (l *LockOp) listsOf() *lockLists {
	if l.lists == nil {
		l.lists = new(lockLists)
	}
	return l.lists
}

// lockSynth names the mutex of a release or acquire made through a call
// (LockOp.Through), as lockIdentity would name the mutex of a direct call.
type lockSynth struct {
	id   string
	root *ast.Ident
	// memPath, when set, is the selector path from root to the mutex (a
	// Lock through a Cond's L: locks_cond.go).
	memPath []string
}

// synthID is the name of the mutex of an op made through a call; "" for a
// direct call.
func (l *LockOp) synthID() string {
	if l.synth == nil {
		return ""
	}
	return l.synth.id
}

// Flow (Lock, RLock) says which unlocks release the lock on which paths of
// its function; nil when the flow is not followed.
func (l *LockOp) Flow() *LockFlow {
	l.Func.ensureFlow()
	return l.flow
}

// LockCalls lists the calls in f's own body of functions whose summary
// proves they return holding a mutex f reaches (`s.begin()` where begin
// locks s.mu on every path), as Lock or RLock ops with their flow: Call
// is the helper call, Through where the helper locks. They are not in
// File.Locks; lockleak and the call's hover read their Flow as they do a
// written Lock's.
//
// Only the calls of functions of the same file, and on the typed tier
// with the package (BuildIn) of functions of its other files whose body
// locks, are followed, so that a function calling nothing that locks
// costs no flow.
func (f *Func) LockCalls() []*LockOp {
	if f == nil || f.fb == nil || !f.fb.helperCallers[f] {
		return nil
	}
	f.ensureFlow()
	if f.paths == nil {
		return nil
	}
	return f.paths.lockCalls
}

// Pairs (Unlock, RUnlock) lists the locks this call releases on some path,
// in source order. An unlock in a deferred closure releases locks of the
// function that deferred it, so that function's flow is consulted too.
func (l *LockOp) Pairs() []*LockOp {
	l.Func.ensureFlow()
	if l.Func != nil && l.Func.Lit && l.Func.Deferred {
		l.Func.Parent.ensureFlow()
	}
	if l.Func == nil || l.Func.fb == nil && (l.Func.Parent == nil || l.Func.Parent.fb == nil) {
		if l.lists == nil {
			return nil
		}
		return l.lists.pairs
	}
	fb := l.Func.fb
	if fb == nil {
		fb = l.Func.Parent.fb
	}
	fb.pairsMu.Lock()
	defer fb.pairsMu.Unlock()
	if l.lists == nil {
		return nil
	}
	out := append([]*LockOp(nil), l.lists.pairs...)
	sort.Slice(out, func(i, j int) bool { return out[i].Pos < out[j].Pos })
	return out
}

// WaitGroupKind names a sync.WaitGroup method.
type WaitGroupKind int

const (
	WGAdd WaitGroupKind = iota
	WGDone
	WGWait
	WGGo
)

func (k WaitGroupKind) String() string { return [...]string{"Add", "Done", "Wait", "Go"}[k] }

// WaitGroupOp is a call of a sync.WaitGroup method.
type WaitGroupOp struct {
	Kind     WaitGroupKind
	Pos      token.Pos
	Call     *ast.CallExpr
	Recv     string
	Key      VarKey
	Arg      string // Add's delta as written
	Deferred bool
	Func     *Func
	InGo     *Goroutine
}

// BuiltinCall is a call of panic or recover.
type BuiltinCall struct {
	Name string // "panic" or "recover"
	Pos  token.Pos
	Call *ast.CallExpr
	Func *Func
	// DirectlyDeferred: the call is made directly by a deferred function
	// literal, the only place where recover stops a panic.
	DirectlyDeferred bool
	// Reach (recover): whether this recover can stop a panic, and
	// DeferredBy: the defer statements whose deferred call is the function
	// holding it.
	Reach      RecoverReach
	DeferredBy []*Defer
	// NestedBy (RecoverNested, in a literal deferred by a named function):
	// the defer statements whose deferred call is that named function.
	NestedBy []*Defer
	// CalledInDeferred (RecoverStops, in a literal deferred by a named
	// function): the calls of that named function made directly by a
	// deferred function literal. Called that way during a panic, it
	// starts after the panic began, and this recover returns nil for
	// that panic (guard() inside defer func() { guard() }()).
	CalledInDeferred []token.Pos
	// BoundTo (recover in a literal bound to a variable or field): that
	// variable as written, `f` in `f := func() { ... }`.
	BoundTo string
	// For a panic statement: see PanicExit, Registered, Recovers.
	panicExit  *Exit
	registered []*Defer
	recovers   []*BuiltinCall
}

// PanicExit is a panic statement's exit in its function's control flow;
// nil for a panic inside an expression or a function not followed.
func (b *BuiltinCall) PanicExit() *Exit {
	b.Func.ensureFlow()
	return b.panicExit
}

// Registered lists the defers of the panicking function that can have been
// registered on the paths reaching this panic: their calls run as it
// unwinds.
func (b *BuiltinCall) Registered() []*Defer {
	b.Func.ensureFlow()
	return b.registered
}

// Recovers lists the recovers that the deferred calls of Registered make
// directly: they can stop this panic.
func (b *BuiltinCall) Recovers() []*BuiltinCall {
	b.Func.ensureFlow()
	return b.recovers
}

// TimeCall is a call into package time that blocks or makes a timer.
type TimeCall struct {
	Name string // "After", "Tick", "Sleep", "NewTimer", "NewTicker", "AfterFunc"
	Pos  token.Pos
	Call *ast.CallExpr
	Arg  string
	// Value is the duration when it is a constant the model can evaluate
	// (time.Duration's String form, on both tiers): hover and hints read it.
	Value  string
	Func   *Func
	InLoop bool
	Case   *SelectCase
}

// ContextCall is a context constructor or a Done call.
type ContextCall struct {
	Name string // "WithCancel", "WithTimeout", "WithDeadline", "WithCancelCause", "WithTimeoutCause", "WithDeadlineCause", "Done"
	Pos  token.Pos
	Call *ast.CallExpr
	Recv string // for Done: the context as written
	Arg  string // the timeout/deadline as written
	Func *Func
	Case *SelectCase
	// CancelDeferred is set on a constructor whose cancel func is deferred
	// in the same function.
	CancelDeferred bool
	CancelName     string
	// cancelCalls and cancelEscapes: see CancelCalls and CancelEscapes
	// (computed on first read, with the summaries).
	cancelCalls   []*Effect
	cancelEscapes string
	derived       *derived
	// doneOrigin, doneFrom: for a Done call, where its context comes from
	// (DoneCtx; computed with its function's path facts).
	doneOrigin CtxOrigin
	doneFrom   *ContextCall
	// doneNeverInFile: ChanOp.CtxNeverInFile for a Done call.
	doneNeverInFile string
}

// DoneNeverInFile is ChanOp.CtxNeverInFile for a Done call.
func (c *ContextCall) DoneNeverInFile() string {
	if c == nil || c.Name != "Done" || c.Func == nil {
		return ""
	}
	c.Func.ensureFlow()
	return c.doneNeverInFile
}

// DoneCtx says, for a Done call, where the context it is called on comes
// from, as ChanOp.Ctx does for a receive from a Done call: CtxNever for
// context.Background() (its Done returns nil), the constructor for one
// made in the function. CtxUnknown for any other call.
func (c *ContextCall) DoneCtx() (CtxOrigin, *ContextCall) {
	if c == nil || c.Name != "Done" || c.Func == nil {
		return CtxUnknown, nil
	}
	c.Func.ensureFlow()
	return c.doneOrigin, c.doneFrom
}

// CancelDefer is the defer statement of the constructor's function that
// defers its cancel func (the one CancelDeferred is set for), nil when
// there is none. Its Order says whether the deferred cancel runs at
// return: a deferred call registered after it that ends the program
// (DeferOrder.EndedBy, MayEndBy) skips it.
func (c *ContextCall) CancelDefer() *Defer {
	if c == nil || !c.CancelDeferred || c.Func == nil {
		return nil
	}
	for _, d := range c.Func.Defers {
		if d.Callee == c.CancelName && d.Pos > c.Pos {
			return d
		}
	}
	return nil
}

// ChanType is a channel type expression: `chan T`, `<-chan T`, `chan<- T`.
type ChanType struct {
	Pos  token.Pos // start of the expression
	End  token.Pos
	Elem string
	Dir  ChanDir
	Make *MakeSite // set when the type is the first argument of make
	// Chan is the channel the make is assigned to, when known.
	Chan *Chan
}

// SiteKind tells what construct a Site anchors.
type SiteKind uint8

const (
	SiteGo SiteKind = iota
	SiteChanType
	SiteMake
	SiteSend
	SiteRecv
	SiteClose
	SiteRange
	SiteDefer
	SiteSelect
	SiteCase
	SiteDefault
	SiteBuiltin
	SiteWaitGroup
	SiteLock
	SiteTime
	SiteContext
	SiteOnce // sync.Once's Do (oncecall.go)
	SiteCall // Cond, Timer/Ticker and context calls (callsites.go)
)

// Site is a span of source (usually a keyword or operator) that golens
// explains, with the model fact behind it. Hover and explain-at-cursor look
// sites up by offset. The fact is read with the accessor that matches Kind
// (Op for sends, receives, closes and ranges; Defer for defers; …); the
// others return nil. A file has thousands of sites, so each is kept small:
// the fact is a bare pointer whose type Kind tells (an interface would
// make a Site 32 bytes, not 24), and the end is kept as the span's length
// (a token.Pos would make it 32: the sites are the build's largest array).
type Site struct {
	fact  unsafe.Pointer
	Start token.Pos
	span  uint16 // End - Start; spans are keywords, operators and names
	Kind  SiteKind
}

// End is where the site's span ends (the position just after it).
func (s *Site) End() token.Pos { return s.Start + token.Pos(s.span) }

// Goroutine is the fact of a SiteGo.
func (s *Site) Goroutine() *Goroutine {
	if s.Kind != SiteGo {
		return nil
	}
	return (*Goroutine)(s.fact)
}

// ChanType is the fact of a SiteChanType or SiteMake.
func (s *Site) ChanType() *ChanType {
	switch s.Kind {
	case SiteChanType, SiteMake:
		return (*ChanType)(s.fact)
	}
	return nil
}

// Op is the fact of a SiteSend, SiteRecv, SiteClose or SiteRange.
func (s *Site) Op() *ChanOp {
	switch s.Kind {
	case SiteSend, SiteRecv, SiteClose, SiteRange:
		return (*ChanOp)(s.fact)
	}
	return nil
}

// Defer is the fact of a SiteDefer.
func (s *Site) Defer() *Defer {
	if s.Kind != SiteDefer {
		return nil
	}
	return (*Defer)(s.fact)
}

// Select is the fact of a SiteSelect.
func (s *Site) Select() *Select {
	if s.Kind != SiteSelect {
		return nil
	}
	return (*Select)(s.fact)
}

// Case is the fact of a SiteCase or SiteDefault.
func (s *Site) Case() *SelectCase {
	switch s.Kind {
	case SiteCase, SiteDefault:
		return (*SelectCase)(s.fact)
	}
	return nil
}

// Builtin is the fact of a SiteBuiltin.
func (s *Site) Builtin() *BuiltinCall {
	if s.Kind != SiteBuiltin {
		return nil
	}
	return (*BuiltinCall)(s.fact)
}

// WaitGroup is the fact of a SiteWaitGroup.
func (s *Site) WaitGroup() *WaitGroupOp {
	if s.Kind != SiteWaitGroup {
		return nil
	}
	return (*WaitGroupOp)(s.fact)
}

// Lock is the fact of a SiteLock.
func (s *Site) Lock() *LockOp {
	if s.Kind != SiteLock {
		return nil
	}
	return (*LockOp)(s.fact)
}

// Time is the fact of a SiteTime.
func (s *Site) Time() *TimeCall {
	if s.Kind != SiteTime {
		return nil
	}
	return (*TimeCall)(s.fact)
}

// Context is the fact of a SiteContext.
func (s *Site) Context() *ContextCall {
	if s.Kind != SiteContext {
		return nil
	}
	return (*ContextCall)(s.fact)
}

// Sites returns every explained site in source order.
func (f *File) Sites() []Site { return f.sites }

// SiteAt returns the site whose span contains pos (start inclusive, end
// inclusive so that a cursor just after a keyword still counts), or nil.
// When spans nest, the narrowest wins.
func (f *File) SiteAt(pos token.Pos) *Site {
	// Sites are sorted by Start; scan back from the last site starting at
	// or before pos. Spans are short (keywords), so only a few are checked.
	i := sort.Search(len(f.sites), func(i int) bool { return f.sites[i].Start > pos })
	var best *Site
	for j := i - 1; j >= 0 && j >= i-8; j-- {
		s := &f.sites[j]
		if pos >= s.Start && pos <= s.End() {
			if best == nil || s.span < best.span {
				best = s
			}
		}
	}
	return best
}

// DeclPos returns where the variable id refers to is declared — the
// declaring identifier, as in Chan.Decl — on either tier; NoPos when id is
// not a variable the file can resolve.
func (f *File) DeclPos(id *ast.Ident) token.Pos {
	if id == nil || id.Name == "_" {
		return token.NoPos
	}
	if f.Info != nil {
		if v, ok := f.Info.ObjectOf(id).(*types.Var); ok && v != nil {
			return v.Pos()
		}
		return token.NoPos
	}
	if id.Obj == nil || id.Obj.Kind != ast.Var {
		return token.NoPos
	}
	return declPos(id.Obj)
}

// Position converts a position in the file to line and column (1-based,
// byte columns).
func (f *File) Position(p token.Pos) token.Position { return f.Fset.Position(p) }

// Line returns the 1-based line of p.
func (f *File) Line(p token.Pos) int { return f.Fset.Position(p).Line }

// Offset converts a byte offset in Src to a token.Pos, clamped to the file.
func (f *File) Pos(offset int) token.Pos {
	tf := f.Fset.File(f.AST.Pos())
	if tf == nil {
		return token.NoPos
	}
	if offset < 0 {
		offset = 0
	}
	if offset > tf.Size() {
		offset = tf.Size()
	}
	return tf.Pos(offset)
}

// Offset converts a token.Pos to a byte offset in Src.
func (f *File) Offset(p token.Pos) int {
	tf := f.Fset.File(f.AST.Pos())
	if tf == nil || !p.IsValid() {
		return 0
	}
	return tf.Offset(p)
}

// Text returns the source text between two positions.
func (f *File) Text(from, to token.Pos) string {
	a, b := f.Offset(from), f.Offset(to)
	if a < 0 || b > len(f.Src) || a > b {
		return ""
	}
	return string(f.Src[a:b])
}
