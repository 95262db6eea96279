package model

import (
	"go/ast"
	"go/token"
	"go/types"
	"sort"
	"strings"
	"sync"
	"unsafe"
)

// Function summaries: what a function does, directly or through the
// functions it calls and the goroutines it starts, to the channels, locks,
// WaitGroups, Conds and contexts it is given (parameters), reaches through
// fields, or captures. They let the model answer "who closes this channel"
// and "who waits for this goroutine" across function boundaries, and say
// what it does not know ("passed to f at line 9, which golens cannot see
// into") instead of a false negative.
//
// On the syntax tier the summaries compose across the functions of the file;
// on the typed tier a SummaryLookup (see package typed) supplies the
// summaries of functions in the package's other files.

// EffectKind is what a function does to a value.
type EffectKind uint8

const (
	EffClose EffectKind = iota
	EffSend
	EffRecv
	EffRange
	EffLock
	EffUnlock
	EffRLock
	EffRUnlock
	EffAdd
	EffDone
	EffWait     // WaitGroup.Wait
	EffCondWait // Cond.Wait
	EffSignal   // Cond.Signal or Broadcast
	EffCancel   // calls a context's cancel func
	EffCtxDone  // receives from ctx.Done()
	EffEscape   // passes or stores it where the model cannot follow
	EffReturn   // returns it
)

var effectVerbs = [...]string{
	"closes", "sends on", "receives from", "ranges over", "locks", "unlocks", "read-locks", "read-unlocks",
	"calls Add on", "calls Done on", "waits on", "waits on", "signals", "cancels", "waits for the cancellation of",
	"passes on", "returns",
}

var effectNames = [...]string{
	"close", "send", "recv", "range", "lock", "unlock", "rlock", "runlock",
	"add", "done", "wait", "condwait", "signal", "cancel", "ctxdone", "escape", "return",
}

// String is the verb for a reader: "closes", "sends on".
func (k EffectKind) String() string { return effectVerbs[k] }

// signals reports whether the effect can release a goroutine waiting on
// the value: a send, a close, Done, a cancel, a Cond signal.
func (k EffectKind) signals() bool {
	return k == EffClose || k == EffSend || k == EffDone || k == EffCancel || k == EffSignal
}

// waits reports whether the effect waits for another goroutine.
func (k EffectKind) waits() bool {
	return k == EffRecv || k == EffRange || k == EffWait || k == EffCtxDone || k == EffCondWait
}

// Target is what an effect acts on: a parameter of the summarised function
// (Param >= 0, 0-based, the receiver not counted), or a variable reached
// otherwise — a struct field (keyed by field), a package variable or a
// variable a function literal captures (Param < 0, Key set).
type Target struct {
	Param int
	Key   VarKey
}

// Effect is one thing a function does to a value.
type Effect struct {
	Target Target
	// Pos is the operation itself (the close, the send arrow, the Lock
	// call, the call that lets the value escape), in whichever file of the
	// package holds it; In names the function it is written in.
	Pos token.Pos
	In  string
	// At is the call in the summarised function through which the effect
	// happens, and Via the callee it calls there; At is NoPos when the
	// operation is written in the function itself (or in a function
	// literal inside it).
	At  token.Pos
	Via string
	// InGo is set when the operation runs in a goroutine the function
	// starts; Deferred when it runs as the function returns.
	InGo     bool
	Deferred bool
	// ViaGo: the call at At is itself a go statement's (`go emit(ch)`),
	// so the callee's whole body is the goroutine, not one it starts.
	ViaGo bool
	// ViaField: the callee reaches the value as a field of a struct it is
	// given (its receiver: w.stop() closing w.in), not as an argument of
	// its own: the call passes the struct, not the channel.
	ViaField bool
	// ByName is set on an effect through a call (At) when the callee
	// reaches the value by its own name (a package-level variable, or a
	// variable a function literal captured), not through an argument or
	// the receiver: nothing is passed at At, so UseText says the callee
	// uses it ("used by `fill`, called at line 6, which closes it"), not
	// that it is passed.
	ByName bool
	// NoBlock is set on a send, receive or range that cannot block (a
	// case of a select with a default: ChanOp.MayBlock) and on a TryLock
	// (recorded as a Lock). MayBlock reads it (effect_blocking.go).
	NoBlock bool
	// Certainty is Proven when the operation is in the function, a
	// function literal it runs, starts or defers, or a function it calls;
	// Possible when it is in a function literal handed to another
	// function, which may or may not call it.
	Certainty Certainty
	// Kind, with the flags: a hover's summaries make hundreds of Effects.
	Kind EffectKind
	// onlyHere: the effect is Possible only because the operation (or the
	// call through which it happens) is on some paths of the summarised
	// function's own body; where it is, it runs (summary_paths.go).
	onlyHere bool
	// byCover: Proven only because the coverage pass through calls found
	// another operation, through a call, on every other path
	// (summary_cover.go): this one alone runs on some paths.
	byCover bool
	// Why describes an escape: "passed to `f` at line 9, which golens
	// cannot see into", "assigned to `s.ch` at line 9".
	Why string

	// key is the target as a key of the summarised function.
	key VarKey
}

// Summary is what one function (declaration or literal) does to the values
// it is given or reaches.
type Summary struct {
	Func *Func
	Name string
	// Obj is the function's object on the typed tier.
	Obj *types.Func
	// Params are the keys of the function's parameters, in order (the
	// receiver not included).
	Params []VarKey
	// Recv is the key of the method receiver, if any.
	Recv VarKey
	// Effects lists everything the function does, directly and through
	// the functions it calls.
	Effects []*Effect
	// Opaque lists calls of functions golens cannot see into that pass no
	// tracked value: they may still reach package variables or fields.
	Opaque []OpaqueCall

	local []*Effect // effects of the function's own code, before composition
	calls []*callSite
	// composed[i] counts the effects of calls[i]'s callee already composed
	// into this summary (ComposeSummaries).
	composed []int
	seen     map[effectID]bool
	// bodyFrom and bodyTo span the body, to tell its locals apart.
	bodyFrom, bodyTo token.Pos
	// file is the model whose summaries this is (nil for a summary a
	// SummaryLookup gives): the lock flow of another file reads its calls
	// through it (opaqueInside).
	file *File
}

// OpaqueCall is a call of a function the model cannot see into.
type OpaqueCall struct {
	Pos    token.Pos
	Callee string // the callee as written: "s.flush"
	// Unseen: golens has no body for the callee (declared in another
	// file on the syntax tier, another package, or a function value),
	// so it cannot see into the call at all.
	Unseen bool
	// Deferred: the call is a defer statement's, so it runs when its
	// function returns, after any go statement that follows the defer.
	Deferred bool
	// InGo: the call runs in another goroutine than the summarised
	// function's — a go statement's call, or a call inside a function
	// literal a go statement starts (between the call's function and the
	// summarised one). It cannot make the summarised function wait.
	InGo bool
}

type effectID struct {
	kind   EffectKind
	target Target
	pos    token.Pos
	at     token.Pos
	inGo   bool
}

// EffectsOn lists the effects on the parameter with the given index.
func (s *Summary) EffectsOn(param int) []*Effect {
	var out []*Effect
	for _, e := range s.Effects {
		if e.Target.Param == param {
			out = append(out, e)
		}
	}
	return out
}

// LockNet is the net count of Lock (or RLock) minus Unlock (RUnlock)
// calls the function makes on target outside goroutines it starts, as far
// as it holds on every path: positive when it returns holding a lock it
// took on every path (the Locks that run on every path outnumber all its
// Unlocks), negative when it releases one its caller took on every path
// (the Unlocks that run on every path outnumber all its Locks), zero
// otherwise. A helper that locks or unlocks only under an if nets zero.
func (s *Summary) LockNet(t Target) int {
	mustLocks, locks, mustUnlocks, unlocks := 0, 0, 0, 0
	for _, e := range s.Effects {
		if e.Target != t || e.InGo {
			continue
		}
		switch e.Kind {
		case EffLock, EffRLock:
			locks++
			if e.Certainty == Proven {
				mustLocks++
			}
		case EffUnlock, EffRUnlock:
			unlocks++
			if e.Certainty == Proven {
				mustUnlocks++
			}
		}
	}
	if n := mustLocks - unlocks; n > 0 {
		return n
	}
	if n := locks - mustUnlocks; n < 0 {
		return n
	}
	return 0
}

// callSite is a call made by a function, with the tracked values passed.
type callSite struct {
	call     *ast.CallExpr
	fn       *Func // the innermost function containing the call
	inGo     bool  // a go statement's call
	deferred bool  // a defer statement's call
	// knownSafe: a library function known not to keep or signal its
	// arguments (fmt.Println). (Beside the other flags: a file records
	// hundreds of calls.)
	knownSafe bool
	// hasRecv: a method call (x.m(), x not a package); recv is x. (A flag
	// beside the others, not the expression: a file records hundreds of
	// calls.)
	hasRecv bool
	callee  string
	args    []argRef

	resolved *Summary
	// must[i] says whether the call runs on every path of the i-th
	// function enclosing it (0: cs.fn, 1: its parent, ...): set for
	// resolved calls (summary_paths.go).
	must []bool
}

// mustIn reports whether the call runs on every path by which s's
// function returns; s is cs.fn or a function enclosing it.
// recv is the method receiver expression of a method call, nil for other
// calls.
func (cs *callSite) recv() ast.Expr {
	if !cs.hasRecv {
		return nil
	}
	return ast.Unparen(cs.call.Fun).(*ast.SelectorExpr).X
}

func (cs *callSite) mustIn(s *Summary) bool {
	i := 0
	for g := cs.fn; g != nil && g != s.Func; g = g.Parent {
		i++
	}
	return i < len(cs.must) && cs.must[i]
}

type argRef struct {
	index int
	key   VarKey
	pos   token.Pos
}

// flowEscape records a tracked value leaving the code the model follows in
// some way other than a call argument.
type flowEscape struct {
	key  VarKey
	pos  token.Pos
	fn   *Func
	why  string
	kind EffectKind // EffEscape or EffReturn
}

// chanAlias is `x.f = ch` (or `y := ch`) where ch is a channel variable:
// x.f holds the channel ch was made as.
type chanAlias struct {
	to, from VarKey
	pos      token.Pos
	// positional: stored by a struct literal without keys (T{"eu",
	// ch}), whose field golens reads from the type: the field may hold
	// other channels too (other literals' values, some of them not
	// variables), so it gets none of the variable's makes
	// (resolveAliases), and only may be closed where it is closed
	// (aliasOriginFact).
	positional bool
}

// SummaryLookup gives the summaries of functions declared outside the
// file being built (the package's other files, on the typed tier).
type SummaryLookup interface {
	// FuncSummary returns the summary of fn, or nil when it is unknown.
	FuncSummary(fn *types.Func) *Summary
	// FieldEffects lists what the functions of other files do to a
	// struct field, directly or through their calls.
	FieldEffects(field *types.Var) []*Effect
}

// callRoomLen call sites fill one 8 KB allocation (the size class
// a chunk of 64 was rounded up to).
const callRoomLen = 8192 / int(unsafe.Sizeof(callSite{}))

// summaryState is the builder's bookkeeping for summaries.
type summaryState struct {
	calls []*callSite
	// callRoom holds the call sites calls points to, 8 KB to an
	// allocation (callRoomLen): a file records hundreds, and one
	// allocation each was a twentieth of the build's allocations.
	callRoom   []callSite
	callAt     map[token.Pos]*callSite // see callAtPos
	callAtOnce sync.Once
	escapes    []flowEscape
	aliases    []chanAlias
	litVars    map[VarKey]*ast.FuncLit  // variables bound to a function literal
	litVarBad  map[VarKey]bool          // assigned more than once
	passedLit  map[token.Pos]bool       // function literals passed as arguments, by position
	cancels    map[VarKey]VarKey        // cancel func -> its context
	cancelOf   map[*ast.CallExpr]VarKey // context constructor -> its cancel func
	lookup     SummaryLookup
	// must holds each function's paths index (summary_paths.go), built on
	// first use: by the summaries, and by the wait facts of goroutines,
	// which may be computed concurrently (mustMu).
	must   map[*Func]*mustIndex
	mustMu sync.Mutex
}

func newSummaryState(lookup SummaryLookup) *summaryState {
	return &summaryState{
		litVars:   map[VarKey]*ast.FuncLit{},
		litVarBad: map[VarKey]bool{},
		passedLit: map[token.Pos]bool{},
		cancels:   map[VarKey]VarKey{},
		cancelOf:  map[*ast.CallExpr]VarKey{},
		lookup:    lookup,
		must:      map[*Func]*mustIndex{},
	}
}

// tracked reports whether key names a value summaries follow.
func (b *builder) tracked(k VarKey) bool {
	if b.chans[k] != nil {
		return true
	}
	if st := b.syncVars[k]; st != "" && st != "sync.Once" {
		return true
	}
	_, ok := b.ss.cancels[k]
	return ok
}

// trackedKey resolves e (x, s.f, &x) to a tracked key.
func (b *builder) trackedKey(e ast.Expr) (VarKey, bool) {
	e = ast.Unparen(e)
	if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.AND {
		e = ast.Unparen(u.X)
	}
	// (<-chan T)(ch): a conversion is the same channel.
	if call, ok := e.(*ast.CallExpr); ok && len(call.Args) == 1 {
		if _, isChanType := ast.Unparen(call.Fun).(*ast.ChanType); isChanType {
			e = ast.Unparen(call.Args[0])
		}
	}
	switch e.(type) {
	case *ast.Ident, *ast.SelectorExpr:
	default:
		return VarKey{}, false
	}
	k, ok := b.keyOf(e)
	if !ok || !b.tracked(k) {
		return VarKey{}, false
	}
	return k, true
}

// flow is called by the walk for every node inside a function, before the
// node's own handling: it records calls, the function literals bound to
// variables, the cancel funcs of contexts, and the ways a tracked value
// escapes.
func (b *builder) flow(v *visitor, n ast.Node) {
	switch n := n.(type) {
	case *ast.CallExpr:
		b.recordCall(v, n)
	case *ast.AssignStmt:
		b.assignFlow(v, n)
	case *ast.ValueSpec:
		b.valueSpecFlow(v, n) // callargs.go
	case *ast.GoStmt:
		b.goCall = n.Call
	case *ast.ReturnStmt:
		for _, r := range n.Results {
			if k, ok := b.trackedKey(r); ok {
				b.ss.escapes = append(b.ss.escapes, flowEscape{key: k, pos: r.Pos(), fn: v.fn, kind: EffReturn,
					why: "returned at line " + itoa(b.m.Line(r.Pos()))})
			}
		}
	case *ast.SendStmt:
		if k, ok := b.trackedKey(n.Value); ok {
			b.ss.escapes = append(b.ss.escapes, flowEscape{key: k, pos: n.Value.Pos(), fn: v.fn, kind: EffEscape,
				why: "sent on `" + b.text(n.Chan) + "` at line " + itoa(b.m.Line(n.Arrow))})
		}
	case *ast.CompositeLit:
		for i, elt := range n.Elts {
			val := elt
			var field *ast.Ident
			if kv, ok := elt.(*ast.KeyValueExpr); ok {
				val = kv.Value
				field, _ = kv.Key.(*ast.Ident)
			}
			if k, ok := b.trackedKey(val); ok {
				if field != nil && b.chans[k] != nil {
					// T{ch: resc}: the field holds resc's channel.
					if fk, ok := b.keyOf(&ast.SelectorExpr{X: &ast.Ident{Name: "_", NamePos: field.Pos()}, Sel: field}); ok {
						b.ss.aliases = append(b.ss.aliases, chanAlias{to: fk, from: k, pos: val.Pos()})
					}
				} else if fv := b.positionalField(n, i); fv != nil && b.chans[k] != nil {
					// T{"eu", resc}: the same store, by position (typed
					// tier: the type names the field).
					b.ss.aliases = append(b.ss.aliases, chanAlias{to: VarKey{obj: fieldOrigin(fv)}, from: k, pos: val.Pos(), positional: true})
				}
				what := "a composite literal"
				if n.Type != nil {
					what = "a value of type `" + b.text(n.Type) + "`"
				}
				b.ss.escapes = append(b.ss.escapes, flowEscape{key: k, pos: val.Pos(), fn: v.fn, kind: EffEscape,
					why: "stored in " + what + " at line " + itoa(b.m.Line(val.Pos()))})
			}
		}
	}
}

// positionalField is the struct field the i-th element of a literal
// without keys sets (T{"eu", ch}: ch sets T's second field), on the typed
// tier; nil on the syntax tier, for a keyed literal or one not of a struct.
func (b *builder) positionalField(lit *ast.CompositeLit, i int) *types.Var {
	if b.m.Info == nil {
		return nil
	}
	return PositionalField(b.m.Info, lit, i)
}

// PositionalField is the struct field the i-th element of lit sets when lit
// is a struct literal without keys (its fields in declaration order); nil
// otherwise.
func PositionalField(info *types.Info, lit *ast.CompositeLit, i int) *types.Var {
	if i >= len(lit.Elts) {
		return nil
	}
	if _, keyed := lit.Elts[i].(*ast.KeyValueExpr); keyed {
		return nil
	}
	t := info.TypeOf(lit)
	if t == nil {
		return nil
	}
	st, ok := DerefStruct(t)
	if !ok || i >= st.NumFields() || len(lit.Elts) != st.NumFields() {
		return nil
	}
	return st.Field(i)
}

func (b *builder) assignFlow(v *visitor, n *ast.AssignStmt) {
	ss := b.ss
	// ctx, cancel := context.WithCancel(parent)
	if len(n.Lhs) == 2 && len(n.Rhs) == 1 {
		if call, ok := ast.Unparen(n.Rhs[0]).(*ast.CallExpr); ok {
			if name, _ := b.pkgCall(call, "context"); strings.HasPrefix(name, "With") {
				kc, ok1 := b.keyOf(n.Lhs[1])
				kx, ok2 := b.keyOf(n.Lhs[0])
				if ok1 {
					ss.cancels[kc] = kx // kx is zero for `_, cancel :=`
					ss.cancelOf[call] = kc
				}
				if ok2 && b.syncVars[kx] == "" {
					b.syncVars[kx] = "context.Context"
				}
			}
		}
	}
	if len(n.Lhs) != len(n.Rhs) {
		return
	}
	for i, r := range n.Rhs {
		l := n.Lhs[i]
		if lit, ok := ast.Unparen(r).(*ast.FuncLit); ok {
			if k, ok := b.keyOf(l); ok {
				if _, dup := ss.litVars[k]; dup {
					ss.litVarBad[k] = true
				}
				ss.litVars[k] = lit
			}
			continue
		}
		if id, ok := l.(*ast.Ident); ok && id.Name == "_" {
			continue // `_ = x` discards the value: nothing keeps it
		}
		k, ok := b.trackedKey(r)
		if !ok {
			continue
		}
		if lk, ok := b.keyOf(l); ok && lk == k {
			continue
		}
		if lk, ok := b.keyOf(l); ok && b.chans[k] != nil {
			ss.aliases = append(ss.aliases, chanAlias{to: lk, from: k, pos: n.Pos()})
		}
		ss.escapes = append(ss.escapes, flowEscape{key: k, pos: r.Pos(), fn: v.fn, kind: EffEscape,
			why: "assigned to `" + b.text(l) + "` at line " + itoa(b.m.Line(n.Pos())) + ", which golens does not follow"})
	}
}

// knownSafePkgs are standard packages whose functions neither keep nor
// signal the values passed to them (printing, formatting, errors).
var knownSafePkgs = map[string]bool{"fmt": true, "log": true, "errors": true, "strings": true, "strconv": true, "sort": true, "slices": true, "maps": true, "math": true, "bytes": true, "unicode": true, "time": true, "sync/atomic": true, "math/rand": true, "math/rand/v2": true, "unicode/utf8": true, "path": true, "path/filepath": true}

// knownSafeBuiltins are builtins that neither keep nor signal their
// arguments (close is recorded as an operation).
var knownSafeBuiltins = map[string]bool{"len": true, "cap": true, "print": true, "println": true, "close": true, "make": true, "new": true, "panic": true, "recover": true, "min": true, "max": true, "clear": true, "delete": true, "copy": true}

// namesType reports whether id names a type, so that id(x) is a
// conversion, not a call: from the type checker when there is one, else
// from the parser's resolution (a type declared in the file) or the
// universe scope (string, int, ...).
func (b *builder) namesType(id *ast.Ident) bool {
	if info := b.m.Info; info != nil {
		if obj := info.Uses[id]; obj != nil {
			_, ok := obj.(*types.TypeName)
			return ok
		}
	}
	if id.Obj != nil {
		return id.Obj.Kind == ast.Typ
	}
	_, ok := types.Universe.Lookup(id.Name).(*types.TypeName)
	return ok
}

func (b *builder) recordCall(v *visitor, call *ast.CallExpr) {
	fun := ast.Unparen(call.Fun)
	switch f := fun.(type) {
	case *ast.FuncLit:
		if len(call.Args) == 0 {
			return // its body is walked as part of the enclosing function
		}
		// func(c chan int) { ... }(ch): record the call, so that what the
		// literal does to its parameters maps to the arguments.
	case *ast.Ident:
		if knownSafeBuiltins[f.Name] && b.isBuiltin(f, f.Name) {
			return
		}
	case *ast.ArrayType, *ast.ChanType, *ast.MapType, *ast.InterfaceType, *ast.FuncType, *ast.StructType:
		return // a conversion
	}
	ss := b.ss
	var args []argRef
	for i, a := range call.Args {
		if lit, ok := ast.Unparen(a).(*ast.FuncLit); ok {
			ss.passedLit[lit.Pos()] = true
			continue
		}
		if k, ok := b.trackedKey(a); ok {
			args = append(args, argRef{index: i, key: k, pos: a.Pos()})
		}
	}
	if id, ok := fun.(*ast.Ident); ok && len(args) == 0 && (b.isBuiltin(id, "append") || b.namesType(id)) {
		// append(s.seen, c) and conversions (string(b), ID(n)) with no
		// tracked value call nothing and signal nothing: they are no
		// call golens cannot see into. (A conversion of a tracked value,
		// MyChan(ch), stays recorded: golens does not follow the copy.)
		return
	}
	hasRecv := false
	if sel, ok := fun.(*ast.SelectorExpr); ok {
		if x, ok := sel.X.(*ast.Ident); ok && b.isPackage(x) {
			// A function of another package: golens sees into none, and
			// one that gets no tracked value needs no record (most calls
			// of a file are like this).
			if len(args) == 0 {
				return
			}
			if b.knownSafeCall(x, sel.Sel.Name) && !b.timeAfterFunc(x, sel.Sel.Name) {
				return // fmt.Println(ch): neither keeps nor signals it
			}
		} else if b.testingQuiet(call) || b.atomicQuiet(call) || b.timeQuiet(call) {
			return // t.Log(ch), n.Add(1): neither keeps nor signals it, waits for nothing
		} else {
			hasRecv = true
		}
	}
	if len(ss.callRoom) == cap(ss.callRoom) {
		ss.callRoom = make([]callSite, 0, callRoomLen)
	}
	ss.callRoom = append(ss.callRoom, callSite{call: call, fn: v.fn, deferred: b.isDeferredCall(v, call), inGo: call == b.goCall, args: args, hasRecv: hasRecv})
	ss.calls = append(ss.calls, &ss.callRoom[len(ss.callRoom)-1])
}

// knownSafeCall reports whether pkg.name is a function of a known-safe
// standard package (knownSafePkgs) that returns normally: it neither keeps
// nor signals what it is given.
func (b *builder) knownSafeCall(pkg *ast.Ident, name string) bool {
	path := b.imports[pkg.Name]
	if info := b.m.Info; info != nil {
		if pn, ok := info.Uses[pkg].(*types.PkgName); ok {
			path = pn.Imported().Path()
		}
	}
	return knownSafePkgs[path] && !strings.HasPrefix(name, "Fatal") && !strings.HasPrefix(name, "Panic")
}

// timeAfterFunc reports whether pkg.name is time.AfterFunc, the one
// function of a known-safe package that keeps what it is given: it calls
// its function argument later, in its own goroutine
// (time.AfterFunc(d, cancel) calls cancel when the timer fires). Its call
// is recorded, so the function value escapes there (isTimeAfterFuncCall) instead
// of looking unused. Lock flows still treat it as safe: it calls nothing
// before it returns.
func (b *builder) timeAfterFunc(pkg *ast.Ident, name string) bool {
	if name != "AfterFunc" {
		return false
	}
	path := b.imports[pkg.Name]
	if info := b.m.Info; info != nil {
		if pn, ok := info.Uses[pkg].(*types.PkgName); ok {
			path = pn.Imported().Path()
		}
	}
	return path == "time"
}

// isTimeAfterFuncCall reports whether call is time.AfterFunc(d, f).
func (b *builder) isTimeAfterFuncCall(call *ast.CallExpr) bool {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return false
	}
	x, ok := sel.X.(*ast.Ident)
	return ok && b.isPackage(x) && b.timeAfterFunc(x, sel.Sel.Name)
}

// callAtPos returns the call recorded at pos. The index is built on first
// use, once: most files never need it, and the lock flows that do may ask
// from several goroutines at once.
func (b *builder) callAtPos(pos token.Pos) *callSite {
	ss := b.ss
	ss.callAtOnce.Do(func() {
		ss.callAt = make(map[token.Pos]*callSite, len(ss.calls))
		for _, cs := range ss.calls {
			ss.callAt[cs.call.Pos()] = cs
		}
	})
	return ss.callAt[pos]
}

// ---- building and composing ----

// unresolved reports whether summarize leaves the call's callee
// unresolved whatever the summaries hold: a call of a cancel func, a
// method of a Cond, Mutex, RWMutex, WaitGroup or Context (recorded as
// operations), or a known-safe library call. It mirrors the checks at the
// top of summarize's loop over the calls, and lets the lock flows skip the
// summaries of a function that calls nothing else (see summaryReleases).
func (b *builder) unresolved(cs *callSite) bool {
	fun := ast.Unparen(cs.call.Fun)
	if id, ok := fun.(*ast.Ident); ok {
		if k, ok := b.keyOf(id); ok {
			if _, isCancel := b.ss.cancels[k]; isCancel {
				return true
			}
		}
	}
	if sel, ok := fun.(*ast.SelectorExpr); ok && cs.hasRecv {
		if k, ok := b.keyOf(sel.X); ok && b.isCondVar(k, sel) {
			return true
		}
		if st := b.methodRecvType(sel); st != "" {
			return true
		}
	}
	return cs.knownSafe
}

// indexMethods indexes the file's methods by "T.m", for either receiver
// kind, and sets the receivers go and defer statements evaluate, which
// need them. Called by finish, before the summaries.
func (b *builder) indexMethods() {
	b.methods = map[string]*Func{}
	for _, f := range b.m.Funcs {
		if !f.Lit {
			if t, meth, ok := splitMethod(f.Name); ok {
				b.methods[t+"."+meth] = f
			}
		}
	}
	b.fixReceivers(b.methods)
}

// summarize builds every function's summary, composes them through the
// calls of the file (and the lookup), and derives the channel facts that
// depend on them. It runs once, when the first of those facts is read
// (see derived.ensure).
func (b *builder) summarize() {
	b.buildSummaries()
	b.deriveChanFacts()
	b.deriveCancels()
}

// buildSummaries summarises every function of b.m (its own operations,
// then what its calls do), into b.m.summaries and b.m.summaryOf.
func (b *builder) buildSummaries() {
	m := b.m
	ss := b.ss
	sums := make(map[*Func]*Summary, len(m.Funcs))
	declFunc := make(map[token.Pos]*Func, len(m.Funcs))
	methods := b.methods
	objFunc := map[*types.Func]*Func{}
	m.summaries = make([]*Summary, 0, len(m.Funcs))
	for _, f := range m.Funcs {
		s := &Summary{Func: f, Name: f.Name, file: m}
		if f.Body != nil {
			s.bodyFrom, s.bodyTo = f.Body.Lbrace, f.Body.Rbrace
		}
		if f.Type != nil && f.Type.Params != nil {
			for _, fld := range f.Type.Params.List {
				if len(fld.Names) == 0 {
					s.Params = append(s.Params, VarKey{})
				}
				for _, name := range fld.Names {
					k, _ := b.keyOf(name)
					s.Params = append(s.Params, k)
				}
			}
		}
		sums[f] = s
		m.summaries = append(m.summaries, s)
		if !f.Lit {
			declFunc[f.Pos] = f
		}
	}
	for _, d := range m.AST.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok {
			continue
		}
		f := declFunc[fd.Pos()]
		if f == nil {
			continue
		}
		if fd.Recv != nil && len(fd.Recv.List) == 1 && len(fd.Recv.List[0].Names) == 1 {
			sums[f].Recv, _ = b.keyOf(fd.Recv.List[0].Names[0])
		}
		if info := m.Info; info != nil {
			if obj, ok := info.Defs[fd.Name].(*types.Func); ok {
				objFunc[obj] = f
				sums[f].Obj = obj
			}
		}
	}
	m.summaryOf = sums

	// Local effects: an operation counts for its own function and for
	// every function enclosing that literal.
	labels := make(map[*Func]string, len(m.Funcs))
	var lastFunc *Func
	var lastLabel string
	var slab effectSlab
	litAlways := map[*Func]bool{}  // litRunsAlways, per function literal
	var noBlock map[token.Pos]bool // channel operations that cannot block (select cases beside a default)
	// addLocal records one operation; must says whether it runs on every
	// path of its own function (summary_paths.go). In an enclosing
	// function it runs on every path only when, besides, each function
	// literal between is called where it stands on every path.
	addLocal := func(f *Func, kind EffectKind, key VarKey, pos token.Pos, deferred bool, why string, must, maybe bool) {
		inGo, certainty := false, Proven
		if !must || maybe {
			certainty = Possible
		}
		onlyHere := !must && !maybe
		if f != lastFunc { // consecutive operations are mostly in one function
			lastFunc, lastLabel = f, labelOf(f, labels)
		}
		in := lastLabel
		for g := f; g != nil; g = g.Parent {
			s := sums[g]
			if s == nil {
				break
			}
			e := slab.new()
			*e = Effect{Kind: kind, Target: s.targetOf(key), key: key, Pos: pos, In: in, InGo: inGo,
				Deferred: deferred, NoBlock: noBlock[pos] && kind.mayWait(), Certainty: certainty, Why: why, onlyHere: onlyHere}
			s.addLocal(e)
			onlyHere = false
			if g.Lit {
				if g.GoBody != nil {
					inGo = true
				}
				if ss.passedLit[g.Pos] {
					certainty = Possible
				}
				if kind != EffEscape && kind != EffReturn && certainty == Proven && g.Parent != nil {
					always, ok := litAlways[g]
					if !ok {
						always = b.litRunsAlways(g)
						litAlways[g] = always
					}
					if !always {
						certainty = Possible
					}
				}
				deferred = g.Deferred
			}
		}
	}
	// The operations of the functions' own code, collected first: whether
	// one runs on every path can depend on its siblings (the same close
	// in both branches of an if).
	type localOp struct {
		f        *Func
		kind     EffectKind
		key      VarKey
		pos      token.Pos
		deferred bool
		maybe    bool // conditional by nature (TryLock)
	}
	var ops []localOp
	dead := m.neverReadyBodies()
	for _, op := range m.ChanOps {
		if op.Func == nil || inSpans(dead, op.Pos) {
			continue
		}
		if op.Kind != Close && !op.MayBlock() {
			if noBlock == nil {
				noBlock = map[token.Pos]bool{}
			}
			noBlock[op.Pos] = true
		}
		if op.Chan != nil {
			kind := [...]EffectKind{Send: EffSend, Recv: EffRecv, Close: EffClose, Range: EffRange}[op.Kind]
			ops = append(ops, localOp{op.Func, kind, op.Chan.Key, op.Pos, op.Deferred, false})
			continue
		}
		if op.Kind == Recv && strings.HasSuffix(op.Source, ".Done") {
			if call, ok := ast.Unparen(op.Operand()).(*ast.CallExpr); ok {
				if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
					if k, ok := b.keyOf(sel.X); ok {
						ops = append(ops, localOp{op.Func, EffCtxDone, k, op.Pos, false, false})
					}
				}
			}
		}
	}
	for _, l := range m.Locks {
		if l.Func == nil || !l.Key.Valid() || m.ValueReceiverCopy(l.Func, lockOperand(l)) != "" { // valuerecv.go
			continue
		}
		kind := [...]EffectKind{Lock: EffLock, Unlock: EffUnlock, RLock: EffRLock, RUnlock: EffRUnlock, TryLock: EffLock, TryRLock: EffRLock}[l.Kind]
		// TryLock takes the lock only when it reports true, and never
		// waits for it.
		if l.Kind == TryLock || l.Kind == TryRLock {
			if noBlock == nil {
				noBlock = map[token.Pos]bool{}
			}
			noBlock[l.Pos] = true
		}
		ops = append(ops, localOp{l.Func, kind, l.Key, l.Pos, l.Deferred, l.Kind == TryLock || l.Kind == TryRLock})
	}
	for _, w := range m.WaitGroups {
		if w.Func == nil || !w.Key.Valid() || w.OnCopy(m) != "" { // a value receiver's copy: valuerecv.go
			continue
		}
		kind := [...]EffectKind{WGAdd: EffAdd, WGDone: EffDone, WGWait: EffWait, WGGo: EffAdd}[w.Kind]
		ops = append(ops, localOp{w.Func, kind, w.Key, w.Pos, w.Deferred, false})
	}
	// Cancel funcs and Cond methods are operations too (recorded after the
	// escapes, as they always were).
	nDirect := len(ops)
	for _, cs := range ss.calls {
		fun := ast.Unparen(cs.call.Fun)
		if id, ok := fun.(*ast.Ident); ok {
			if k, ok := b.keyOf(id); ok {
				if _, isCancel := ss.cancels[k]; isCancel {
					ops = append(ops, localOp{cs.fn, EffCancel, k, cs.call.Pos(), cs.deferred, false})
					continue
				}
			}
		}
		if sel, ok := fun.(*ast.SelectorExpr); ok && cs.hasRecv {
			if k, ok := b.keyOf(sel.X); ok && b.isCondVar(k, sel) {
				switch sel.Sel.Name {
				case "Wait":
					ops = append(ops, localOp{cs.fn, EffCondWait, k, sel.Sel.Pos(), cs.deferred, false})
				case "Signal", "Broadcast":
					ops = append(ops, localOp{cs.fn, EffSignal, k, sel.Sel.Pos(), cs.deferred, false})
				}
			}
		}
	}
	must := make([]bool, len(ops))
	type opGroup struct {
		f    *Func
		kind EffectKind
		key  VarKey
	}
	var groups map[opGroup][]int
	for i, op := range ops {
		must[i] = !op.maybe && b.mustAt(op.f, op.pos)
		if !must[i] && !op.maybe {
			if groups == nil {
				groups = map[opGroup][]int{}
			}
			g := opGroup{op.f, op.kind, op.key}
			groups[g] = append(groups[g], i)
		}
	}
	// The same operation in every branch: `if ok { close(ch) } else {
	// close(ch) }`, or before every way out of a `for {`. Only for the
	// operations the first walk left on some paths.
	for g, list := range groups {
		if len(list) < 2 && !b.mustOf(g.f).endless {
			continue // one operation, not in a for {: the first walk's answer stands
		}
		ps := make([]token.Pos, len(list))
		for i, j := range list {
			ps[i] = ops[j].pos
		}
		if b.covers(g.f, ps) {
			for _, j := range list {
				must[j] = true
			}
		}
	}
	for i, op := range ops[:nDirect] {
		addLocal(op.f, op.kind, op.key, op.pos, op.deferred, "", must[i], op.maybe)
	}
	for _, e := range ss.escapes {
		// A value that escapes on some path escapes: escapes stay certain.
		addLocal(e.fn, e.kind, e.key, e.pos, false, e.why, true, false)
	}
	for i, op := range ops[nDirect:] {
		addLocal(op.f, op.kind, op.key, op.pos, op.deferred, "", must[nDirect+i], op.maybe)
	}
	// Calls: cancel funcs, Cond methods, and calls of other functions.
	// (unresolved must skip exactly the calls this loop leaves unresolved.)
	for _, cs := range ss.calls {
		fun := ast.Unparen(cs.call.Fun)
		if id, ok := fun.(*ast.Ident); ok {
			if k, ok := b.keyOf(id); ok {
				if _, isCancel := ss.cancels[k]; isCancel {
					continue // an operation: recorded above
				}
			}
		}
		if sel, ok := fun.(*ast.SelectorExpr); ok && cs.hasRecv {
			if k, ok := b.keyOf(sel.X); ok && b.isCondVar(k, sel) {
				continue // an operation: recorded above
			}
			if st := b.methodRecvType(sel); st != "" {
				continue // sync and context methods are recorded as operations
			}
		}
		if cs.knownSafe {
			continue
		}
		cs.callee = b.calleeName(cs.call)
		cs.resolved = b.resolveCallee(cs, sums, declFunc, methods, objFunc)
		if cs.resolved == nil {
			inGo := cs.inGo
			for g := cs.fn; g != nil; g = g.Parent {
				if s := sums[g]; s != nil && len(cs.args) == 0 {
					s.Opaque = append(s.Opaque, OpaqueCall{Pos: cs.call.Pos(), Callee: cs.callee, Deferred: cs.deferred && g == cs.fn, InGo: inGo})
				}
				inGo = inGo || g.GoBody != nil
			}
			why := "passed to `" + cs.callee + "` at line " + itoa(m.Line(cs.call.Pos())) + ", which golens cannot see into"
			if b.isTimeAfterFuncCall(cs.call) {
				why = "passed to `" + cs.callee + "` at line " + itoa(m.Line(cs.call.Pos())) + ", which calls it in its own goroutine when the timer fires, unless the timer is stopped first"
			}
			if id, ok := ast.Unparen(cs.call.Fun).(*ast.Ident); ok && b.isBuiltin(id, "append") {
				why = "appended to a slice at line " + itoa(m.Line(cs.call.Pos())) + ", which golens does not follow"
			}
			if b.isConversion(cs.call) {
				// cancelFunc(cancel): a type conversion, not a call; the
				// value goes on under the new type.
				why = "converted to `" + cs.callee + "` at line " + itoa(m.Line(cs.call.Pos())) + ", a value golens does not follow"
			}
			for _, a := range cs.args {
				addLocal(cs.fn, EffEscape, a.key, a.pos, false, why, true, false)
			}
			continue
		}
		// Whether the call runs on every path of each enclosing function.
		must := b.mustAt(cs.fn, cs.call.Pos())
		escaped, why := b.sortArgs(cs) // callargs.go
		for i, a := range escaped {
			addLocal(cs.fn, EffEscape, a.key, a.pos, false, why[i], true, false)
		}
		for g := cs.fn; g != nil; g = g.Parent {
			if s := sums[g]; s != nil {
				s.calls = append(s.calls, cs)
				cs.must = append(cs.must, must)
			}
			must = must && b.litRunsAlways(g)
		}
	}
	for _, s := range m.summaries {
		s.Effects = append(make([]*Effect, 0, len(s.local)), s.local...)
	}
	composeSummaries(m.summaries, &slab) // the same chunks: one partly used chunk, not two
	b.coverThroughCalls(m.summaries)     // summary_cover.go
}

// deriveCancels records, for each context constructor, where its cancel
// func is called (directly, in a goroutine or closure, or in a function it
// is passed to) and where it escapes.
func (b *builder) deriveCancels() {
	for _, cc := range b.m.CtxCalls {
		kc, ok := b.ss.cancelOf[cc.Call]
		if !ok || cc.Func == nil {
			continue
		}
		top := cc.Func
		for top.Parent != nil {
			top = top.Parent
		}
		s := b.m.summaryOf[top] // not SummaryOf: this runs inside derived.ensure
		if s == nil {
			continue
		}
		// The top function's summary sees every use of the cancel func,
		// but says "in a goroutine" and "deferred" from the top function's
		// side. A use inside the function that makes the context (a
		// function literal, often a goroutine's) is read from that
		// function's own summary: its `defer cancel()` is deferred there,
		// not a call in a goroutine.
		type use struct {
			kind    EffectKind
			pos, at token.Pos
		}
		var own map[use]*Effect
		if o := b.m.summaryOf[cc.Func]; o != nil && o != s {
			own = map[use]*Effect{}
			for _, e := range o.Effects {
				if e.key == kc {
					own[use{e.Kind, e.Pos, e.At}] = e
				}
			}
		}
		for _, e := range s.Effects {
			if e.key != kc {
				continue
			}
			if oe := own[use{e.Kind, e.Pos, e.At}]; oe != nil {
				e = oe
			}
			switch e.Kind {
			case EffCancel:
				cc.cancelCalls = append(cc.cancelCalls, e)
			case EffEscape, EffReturn:
				if cc.cancelEscapes == "" {
					cc.cancelEscapes = UseText(b.m, ChanUse{Effect: e})
				}
			}
		}
		cc.cancelCalls = dropGoDuplicates(cc.cancelCalls)
	}
}

// dropGoDuplicates drops a call reached through a go statement's function
// literal (`go func() { ...; cancel() }()`, ViaGo) when the same call is
// also listed as the goroutine's own (InGo, no At): the top function's
// summary holds it both as its literal's code and as the effect of the go
// statement, and it is one call, not two.
func dropGoDuplicates(calls []*Effect) []*Effect {
	direct := map[token.Pos]bool{}
	for _, e := range calls {
		if !e.At.IsValid() {
			direct[e.Pos] = true
		}
	}
	out := calls[:0:0]
	for _, e := range calls {
		if e.ViaGo && e.Via == "func literal" && direct[e.Pos] {
			continue
		}
		out = append(out, e)
	}
	return out
}

// addLocal records an effect of the function's own code: each operation
// is recorded once per function, so there is nothing to deduplicate (the
// seen set is built when composition first needs it).
func (s *Summary) addLocal(e *Effect) { s.local = append(s.local, e) }

// has reports whether s already has the effect id. Most summaries hold a
// few dozen effects, which a scan checks faster than a set is built; the
// set is built only for a long list, and then kept up to date by
// composeCall.
func (s *Summary) has(id effectID) bool {
	if s.seen == nil && len(s.Effects) > 64 {
		s.seen = make(map[effectID]bool, 2*len(s.Effects))
		for _, e := range s.Effects {
			s.seen[effectID{e.Kind, e.Target, e.Pos, e.At, e.InGo}] = true
		}
	}
	if s.seen != nil {
		return s.seen[id]
	}
	for _, e := range s.Effects {
		if e.Pos == id.pos && e.At == id.at && e.Kind == id.kind && e.InGo == id.inGo && e.Target == id.target {
			return true
		}
	}
	return false
}

// effectSlab hands out Effects from chunks: a build makes thousands, and
// allocating each on its own was a large share of its garbage.
type effectSlab struct{ free []Effect }

func (sl *effectSlab) new() *Effect {
	if len(sl.free) == 0 {
		sl.free = make([]Effect, 128)
	}
	e := &sl.free[0]
	sl.free = sl.free[1:]
	return e
}

// targetOf maps a key to the summary's terms: a parameter index, or the
// key itself.
func (s *Summary) targetOf(k VarKey) Target {
	for i, p := range s.Params {
		if p.Valid() && p == k {
			return Target{Param: i}
		}
	}
	return Target{Param: -1, Key: k}
}

// isLocal reports whether k is declared inside the summarised function's
// body: invisible to its callers.
func (s *Summary) isLocal(k VarKey) bool {
	p := k.declOf()
	return p.IsValid() && s.bodyFrom.IsValid() && p > s.bodyFrom && p < s.bodyTo
}

func splitMethod(name string) (typ, method string, ok bool) {
	i := strings.LastIndexByte(name, '.')
	if i < 0 {
		return "", "", false
	}
	t := strings.TrimSuffix(strings.TrimPrefix(name[:i], "(*"), ")")
	return t, name[i+1:], true
}

// labelOf is funcLabel, remembered per function (and for the functions
// enclosing it).
func labelOf(f *Func, labels map[*Func]string) string {
	if l, ok := labels[f]; ok {
		return l
	}
	l := "?"
	switch {
	case f == nil:
	case f.Lit && f.Parent != nil:
		l = "a function literal in " + labelOf(f.Parent, labels)
	default:
		l = funcLabel(f)
	}
	labels[f] = l
	return l
}

func funcLabel(f *Func) string {
	if f == nil {
		return "?"
	}
	if f.Lit {
		if f.Parent != nil {
			return "a function literal in " + funcLabel(f.Parent)
		}
		return "a function literal"
	}
	return "`" + f.Name + "`"
}

// resolveCallee finds the summary of the function a call calls: a function
// or method of this file, a variable bound to a function literal, or (on
// the typed tier) a function of the package via the lookup.
func (b *builder) resolveCallee(cs *callSite, sums map[*Func]*Summary, declFunc map[token.Pos]*Func, methods map[string]*Func, objFunc map[*types.Func]*Func) *Summary {
	fun := ast.Unparen(cs.call.Fun)
	switch f := fun.(type) {
	case *ast.IndexExpr:
		fun = f.X
	case *ast.IndexListExpr:
		fun = f.X
	case *ast.FuncLit:
		return sums[b.funcOf[f]]
	}
	ss := b.ss
	if sel, ok := fun.(*ast.SelectorExpr); ok {
		if s := b.stdSummary(sel); s != nil {
			return s
		}
	}
	if info := b.m.Info; info != nil {
		var id *ast.Ident
		switch f := fun.(type) {
		case *ast.Ident:
			id = f
		case *ast.SelectorExpr:
			id = f.Sel
		}
		if id == nil {
			return nil
		}
		switch obj := info.Uses[id].(type) {
		case *types.Func:
			obj = obj.Origin()
			if f := objFunc[obj]; f != nil {
				return sums[f]
			}
			if ss.lookup != nil {
				return ss.lookup.FuncSummary(obj)
			}
		case *types.Var:
			k := VarKey{obj: obj}
			if lit := ss.litVars[k]; lit != nil && !ss.litVarBad[k] {
				return sums[b.funcOf[lit]]
			}
		}
		return nil
	}
	switch f := fun.(type) {
	case *ast.Ident:
		if f.Obj == nil {
			return nil
		}
		switch f.Obj.Kind {
		case ast.Fun:
			if d, ok := f.Obj.Decl.(*ast.FuncDecl); ok {
				return sums[declFunc[d.Pos()]]
			}
		case ast.Var:
			k := VarKey{obj: f.Obj}
			if lit := ss.litVars[k]; lit != nil && !ss.litVarBad[k] {
				return sums[b.funcOf[lit]]
			}
		}
	case *ast.SelectorExpr:
		if t, _ := b.syntaxTypeName(f.X); t != "" {
			if fn := methods[t+"."+f.Sel.Name]; fn != nil {
				return sums[fn]
			}
		}
	}
	return nil
}

// syntaxTypeOfExpr names a type expression as written: "T" for T or *T
// (ptr tells which), "sync.Mutex" for a sync type; "" otherwise.
func (b *builder) syntaxTypeOfExpr(t ast.Expr) (string, bool) {
	star := false
	if s, ok := t.(*ast.StarExpr); ok {
		t, star = s.X, true
	}
	switch x := t.(type) {
	case *ast.IndexExpr:
		t = x.X
	case *ast.IndexListExpr:
		t = x.X
	}
	switch x := t.(type) {
	case *ast.Ident:
		return x.Name, star
	case *ast.SelectorExpr:
		if st := b.syncTypeOfExpr(x); strings.HasPrefix(st, "sync.") {
			return st, star
		}
	}
	return "", false
}

// syntaxTypeName is the syntax tier's reading of the named type of a
// variable from its declaration (`var t T`, a parameter or receiver `t *T`,
// `t := &T{...}`, `t := T{}`, `t := new(T)`); ptr tells whether the
// variable is a pointer. "" when it cannot tell.
func (b *builder) syntaxTypeName(e ast.Expr) (name string, ptr bool) {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok || id.Obj == nil || id.Obj.Kind != ast.Var {
		return "", false
	}
	typeName := b.syntaxTypeOfExpr
	fromValue := func(v ast.Expr) (string, bool) {
		v = ast.Unparen(v)
		addr := false
		if u, ok := v.(*ast.UnaryExpr); ok && u.Op == token.AND {
			v, addr = u.X, true
		}
		switch x := v.(type) {
		case *ast.CompositeLit:
			n, _ := typeName(x.Type)
			return n, addr
		case *ast.CallExpr:
			if b.isBuiltin(x.Fun, "new") && len(x.Args) == 1 {
				n, _ := typeName(x.Args[0])
				return n, true
			}
			// t := newT(): the single result type of a function of this file.
			if id, ok := ast.Unparen(x.Fun).(*ast.Ident); ok && id.Obj != nil && id.Obj.Kind == ast.Fun {
				if d, ok := id.Obj.Decl.(*ast.FuncDecl); ok && d.Type.Results != nil && len(d.Type.Results.List) == 1 && len(d.Type.Results.List[0].Names) <= 1 {
					return typeName(d.Type.Results.List[0].Type)
				}
			}
		}
		return "", false
	}
	switch d := id.Obj.Decl.(type) {
	case *ast.Field:
		return typeName(d.Type)
	case *ast.ValueSpec:
		if d.Type != nil {
			return typeName(d.Type)
		}
		for i, n := range d.Names {
			if n.Name == id.Name && i < len(d.Values) && len(d.Values) == len(d.Names) {
				return fromValue(d.Values[i])
			}
		}
	case *ast.AssignStmt:
		if len(d.Lhs) == len(d.Rhs) {
			for i, l := range d.Lhs {
				if n, ok := l.(*ast.Ident); ok && n.Name == id.Name {
					return fromValue(d.Rhs[i])
				}
			}
		}
	}
	return "", false
}

// ComposeSummaries adds to each summary the effects of the functions it
// calls, until nothing changes. Effects are identified by (kind, target,
// operation, call), so the iteration ends even through recursion.
//
// Each call composes only the callee effects it has not seen yet: effects
// are only ever added, and an effect composed (or skipped) once gives the
// same answer again, so a later round adds exactly what a full pass would.
func ComposeSummaries(list []*Summary) {
	var slab effectSlab
	composeSummaries(list, &slab)
}

// composeSummaries is ComposeSummaries, taking the new Effects from slab.
func composeSummaries(list []*Summary, slab *effectSlab) {
	for changed, rounds := true, 0; changed && rounds < 32; rounds++ {
		changed = false
		for _, s := range list {
			if len(s.composed) < len(s.calls) {
				s.composed = append(s.composed, make([]int, len(s.calls)-len(s.composed))...)
			}
			for i, cs := range s.calls {
				if composeCall(s, cs, slab, &s.composed[i]) {
					changed = true
				}
			}
		}
	}
}

// composeCall adds the callee's effects at one call to the caller's
// summary; it reports whether anything was added.
// callerKey is the caller's variable an effect of callee lands on at cs:
// the argument passed for a parameter, or a field or package variable the
// callee reaches itself; false for the callee's own locals and receiver
// and for a parameter cs passes nothing trackable to.
func (cs *callSite) callerKey(callee *Summary, e *Effect) (VarKey, bool) {
	if e.Target.Param >= 0 {
		key, found := VarKey{}, false
		for _, a := range cs.args {
			if a.index == e.Target.Param {
				key, found = a.key, true
			}
		}
		return key, found
	}
	if callee.isLocal(e.Target.Key) || (callee.Recv.Valid() && e.Target.Key == callee.Recv) {
		return VarKey{}, false
	}
	return e.Target.Key, true
}

func composeCall(s *Summary, cs *callSite, slab *effectSlab, seen *int) bool {
	callee := cs.resolved
	if callee == nil || callee == s {
		return false
	}
	effects := callee.Effects[*seen:]
	*seen = len(callee.Effects)
	added := false
	inGo := cs.inGo
	for g := cs.fn; g != nil && g != s.Func; g = g.Parent {
		if g.GoBody != nil {
			inGo = true
		}
	}
	for _, e := range effects {
		if e.Kind == EffReturn && e.Target.Param < 0 {
			continue // what the callee returns is the caller's value now
		}
		key, ok := cs.callerKey(callee, e)
		if !ok {
			continue
		}
		if e.Kind == EffReturn {
			// The callee hands the argument back: the caller holds it
			// under another name (x := id(ch); close(x)), which the
			// summaries do not follow.
			e = returnedArg(e)
		}
		target := s.targetOf(key)
		if s.has(effectID{e.Kind, target, e.Pos, cs.call.Pos(), inGo || e.InGo}) {
			continue
		}
		// On some paths of the caller when the call is, or of the callee.
		certainty, onlyHere := e.Certainty, false
		if certainty == Proven && e.Kind != EffEscape && !cs.mustIn(s) {
			certainty, onlyHere = Possible, cs.fn == s.Func
		}
		ne := slab.new()
		*ne = Effect{Kind: e.Kind, Target: target, key: key, Pos: e.Pos, In: e.In,
			At: cs.call.Pos(), Via: cs.callee, ByName: e.reachedByName(),
			InGo: inGo || e.InGo, ViaGo: cs.inGo && cs.fn == s.Func && !e.InGo, ViaField: e.reachedViaField(), Deferred: cs.deferred && cs.fn == s.Func, NoBlock: e.NoBlock, Certainty: certainty, Why: e.Why, onlyHere: onlyHere}
		s.Effects = append(s.Effects, ne)
		if s.seen != nil {
			s.seen[effectID{ne.Kind, ne.Target, ne.Pos, ne.At, ne.InGo}] = true
		}
		added = true
	}
	return added
}

// returnedArg is the escape a caller records for an argument the callee
// returns (EffReturn on a parameter).
func returnedArg(e *Effect) *Effect {
	return &Effect{Kind: EffEscape, Target: e.Target, key: e.key, Pos: e.Pos, In: e.In, Certainty: Proven,
		Why: "returned, and golens does not follow the result"}
}

// SummaryOf returns the summary of a function of the file.
func (f *File) SummaryOf(fn *Func) *Summary {
	f.derived.ensure()
	if f.summaryOf == nil {
		return nil
	}
	return f.summaryOf[fn]
}

// ---- channel facts ----

// ChanUse is something a function of the file does to a channel through a
// call, or a place the channel escapes to.
type ChanUse struct {
	Effect *Effect
	// Holder is the function whose call (Effect.At) or statement it is;
	// nil for an effect reported by another file's function.
	Holder *Func
}

// deriveChanFacts fills each channel's indirect uses from the summaries,
// and its Closed fact.
func (b *builder) deriveChanFacts() {
	m := b.m
	for _, s := range m.summaries {
		if s.Func.Lit {
			continue // its effects are in its enclosing function's summary too
		}
		b.panicFirstCloses(s) // close_panic_first.go
		for _, e := range s.Effects {
			if c := b.chans[e.key]; c != nil {
				c.indirect = addIndirect(c.indirect, s, e)
			}
		}
	}
	if lk := b.ss.lookup; lk != nil {
		for _, c := range m.Chans {
			if v, ok := c.Key.obj.(*types.Var); ok && v.IsField() {
				for _, e := range lk.FieldEffects(v) {
					c.indirect = appendUse(c.indirect, ChanUse{Effect: e})
				}
			}
		}
	}
	for _, c := range m.Chans {
		sort.SliceStable(c.indirect, func(i, j int) bool { return c.indirect[i].Effect.At < c.indirect[j].Effect.At })
		c.closed = b.closedFact(c)
		b.closePaths(c) // close_paths.go
	}
}

// addIndirect adds the effect e of s's summary to a channel's indirect
// uses, when it is one: an operation through a call, or an escape.
func addIndirect(list []ChanUse, s *Summary, e *Effect) []ChanUse {
	switch {
	case e.At.IsValid() && (e.Kind == EffClose || e.Kind == EffSend || e.Kind == EffRecv || e.Kind == EffRange || e.Kind == EffEscape):
		return appendUse(list, ChanUse{Effect: e, Holder: s.Func})
	case !e.At.IsValid() && (e.Kind == EffEscape || e.Kind == EffReturn):
		return appendUse(list, ChanUse{Effect: e, Holder: s.Func})
	}
	return list
}

func appendUse(list []ChanUse, u ChanUse) []ChanUse {
	for _, x := range list {
		if x.Effect.Kind == u.Effect.Kind && x.Effect.Pos == u.Effect.Pos && x.Effect.At == u.Effect.At {
			return list
		}
	}
	return append(list, u)
}

// closedFact decides whether anything closes c.
func (b *builder) closedFact(c *Chan) Fact {
	if f, ok := b.timeChanFact(c); ok { // timechan.go
		return f
	}
	if len(c.Closes()) > 0 {
		return Fact{Certainty: Proven, Holds: true}
	}
	possible := ""
	if by := fieldClosers(b.m, c.indirect); by != "" {
		possible = by
	}
	for _, u := range c.indirect {
		if u.Effect.Kind == EffClose && u.Holder == nil && !u.Effect.At.IsValid() {
			continue // fieldClosers
		}
		if u.Effect.Kind == EffClose {
			if u.Effect.Certainty == Proven {
				return Fact{Certainty: Proven, Holds: true, Why: closeUsesText(b.m, u, c.indirect)} // close_paths.go
			}
			if possible == "" {
				possible = UseText(b.m, u)
			}
		}
	}
	if possible != "" {
		return Fact{Certainty: Possible, Why: possible}
	}
	if f, ok := b.aliasOriginFact(c); ok { // callargs.go
		return f
	}
	// Stored in a field that is closed: p := &pipe{ch: ch}; close(p.ch).
	for _, a := range b.ss.aliases {
		if a.from != c.Key {
			continue
		}
		if to := b.chans[a.to]; to != nil && to != c && len(to.Closes()) > 0 {
			into := "`" + to.Name + "`"
			if to.IsField {
				// T{reply: reply}: say it is the field, not the variable
				// of the same name.
				into = "the field " + into
			}
			return Fact{Certainty: Proven, Holds: true, Why: "stored in " + into + " at line " + itoa(b.m.Line(a.pos)) + ", which is closed at line " + itoa(b.m.Line(to.Closes()[0].Pos))}
		}
	}
	for _, u := range c.indirect {
		if u.Effect.Kind == EffEscape || u.Effect.Kind == EffReturn {
			return Fact{Certainty: Unknown, Why: UseText(b.m, u)}
		}
	}
	if f, ok := b.returnedClosedFact(c); ok { // chan_returned_closed.go
		return f
	}
	switch {
	case len(c.Assigned) > 0:
		// ch = f(), ch = t.C: the channel came from code golens does not
		// follow, which may close it.
		return Fact{Certainty: Unknown, Why: "assigned at line " + itoa(b.m.Line(c.Assigned[0])) + " from a value golens does not follow"}
	case c.IsParam:
		return Fact{Certainty: Unknown, Why: "a parameter: the caller may close it"}
	case c.IsField:
		if f, ok := b.fieldClassClosed(c); ok { // chan_classes_file.go
			return f
		}
		return Fact{Certainty: Unknown, Why: "a struct field that nothing in this file closes; code in another file of the package may close it"}
	case !c.Local:
		return Fact{Certainty: Unknown, Why: "a package-level variable: another file may close it"}
	}
	if f, ok := b.classNeverClosed(c); !ok { // chan_classes_file.go
		return f
	}
	return Fact{Certainty: Proven, Holds: false, Why: "it is not passed, stored or returned anywhere golens cannot follow"}
}

// fieldClosers names the functions of other files or packages that close
// this field of whichever value they run on (SummaryLookup.FieldEffects),
// every one, in source order: "closed by broker.(*Broker).Close (line 58
// of broker/broker.go) or broker.(*Broker).Unsubscribe (line 32 of
// broker/broker.go) when either runs on it". Whether one runs on this
// value, nothing here says. "" when there is none.
func fieldClosers(m *File, uses []ChanUse) string {
	var closes []*Effect
	for _, u := range uses {
		if e := u.Effect; e.Kind == EffClose && u.Holder == nil && !e.At.IsValid() {
			closes = append(closes, e)
		}
	}
	if len(closes) == 0 {
		return ""
	}
	sort.SliceStable(closes, func(i, j int) bool {
		if closes[i].Pos != closes[j].Pos {
			return closes[i].Pos < closes[j].Pos
		}
		return closes[i].In < closes[j].In
	})
	var names []string
	seen := map[string]bool{}
	for _, e := range closes {
		n := e.In + " (" + m.where(e.Pos) + ")"
		if !seen[n] {
			seen[n] = true
			names = append(names, n)
		}
	}
	if len(names) == 1 {
		return "closed by " + names[0] + " when that runs on it"
	}
	return "closed by " + strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1] + " when one of them runs on it"
}

// CallCloseTexts names the closes of c through calls (its indirect close
// uses, Chan.Indirect) besides the closes written on it, as UseText reads
// them: "passed to `produce` in the go statement at line 12, which closes
// it (line 16 of produce.go)", one per distinct text. A range or receive
// that names only the closes written on c would hide these (r20a:
// `close(ch)` after the loop, while `go produce(ch)` closes it and ends
// the loop); a make hover lists them beside its own closes.
func (m *File) CallCloseTexts(c *Chan) []string {
	var via []string
	seen := map[string]bool{}
	own := map[token.Pos]bool{}
	for _, cl := range c.Closes() {
		own[cl.Pos] = true
	}
	for _, u := range c.Indirect() {
		if u.Effect.Kind != EffClose || !u.Effect.At.IsValid() || u.Holder == nil || own[u.Effect.Pos] {
			continue // not through a call, or a close named already (c.Stop() closing c.stop at line 43)
		}
		if t := UseText(m, u); !seen[t] {
			seen[t] = true
			via = append(via, t)
		}
	}
	return via
}

// UseText renders an indirect use of a channel for a reader, e.g. "passed
// to `produce` at line 34, which closes it (line 22)" or "passed to `f` at
// line 9, which golens cannot see into".
func UseText(m *File, u ChanUse) string {
	e := u.Effect
	if !e.At.IsValid() {
		if e.Kind == EffEscape || e.Kind == EffReturn {
			return m.whyHere(e)
		}
		verb := e.Kind.String()
		if e.Certainty != Proven {
			verb = "may " + mayVerbs[e.Kind]
		}
		return e.In + " " + verb + " it (" + m.where(e.Pos) + ")"
	}
	callee := "`" + e.Via + "`"
	if e.Via == "func literal" {
		callee = "the function literal"
	}
	s := "passed to " + callee + " at line " + itoa(m.Line(e.At)) + ", which "
	if (e.ByName || e.ViaField) && e.Kind != EffEscape {
		s = "used by " + callee + ", called at line " + itoa(m.Line(e.At)) + ", which "
	}
	if e.Kind == EffEscape {
		return s + "hands it on (" + m.whyHere(e) + ")"
	}
	verb := e.Kind.String()
	if e.Certainty != Proven {
		verb = "may " + mayVerbs[e.Kind]
	}
	if e.ViaGo {
		// go emit(ch): emit is the goroutine; it starts none.
		s = "passed to " + callee + " in the go statement at line " + itoa(m.Line(e.At)) + ", which "
		if e.ByName || e.ViaField {
			s = "used by " + callee + ", started by the go statement at line " + itoa(m.Line(e.At)) + ", which "
		}
	}
	s += verb + " it"
	if e.InGo && !e.ViaGo {
		s += " in a goroutine"
	}
	in := ""
	if e.In != "`"+e.Via+"`" && !strings.HasSuffix(e.In, "."+e.Via[strings.LastIndexByte(e.Via, '.')+1:]+"`") {
		in = "in " + e.In + ", "
	}
	if !e.Pos.IsValid() {
		return s + " (its documentation says so)"
	}
	return s + " (" + in + m.where(e.Pos) + ")"
}

var mayVerbs = [...]string{
	"close", "send on", "receive from", "range over", "lock", "unlock", "read-lock", "read-unlock",
	"call Add on", "call Done on", "wait on", "wait on", "signal", "cancel", "wait for the cancellation of",
	"pass on", "return",
}

// where renders a position as "line 22", or "line 22 of worker.go" when it
// is in another file of the package.
// whyHere is e.Why as read in m's file: an escape's Why names the line of
// the store in the callee's own file ("stored in … at line 16"), which in
// another file of the package points at the wrong line, so it gains the
// file's name there ("at line 16 of collect.go").
func (m *File) whyHere(e *Effect) string {
	if !e.Pos.IsValid() {
		return e.Why
	}
	at := " at line " + itoa(m.Fset.Position(e.Pos).Line)
	if w := m.where(e.Pos); strings.Contains(w, " of ") && strings.Contains(e.Why, at) && !strings.Contains(e.Why, at+" of ") {
		return strings.Replace(e.Why, at, " at "+w, 1)
	}
	return e.Why
}

func (m *File) where(p token.Pos) string {
	pos := m.Fset.Position(p)
	here := m.Fset.Position(m.AST.Pos())
	if pos.Filename != here.Filename && pos.Filename != "" {
		name := pos.Filename
		if i := strings.LastIndexAny(name, `/\`); i >= 0 {
			// A file of another package (another directory): name its
			// directory too, "worker/run.go".
			if j := strings.LastIndexAny(here.Filename, `/\`); j < 0 || name[:i] != here.Filename[:j] {
				if k := strings.LastIndexAny(name[:i], `/\`); k >= 0 {
					i = k
				}
			}
			name = name[i+1:]
		}
		return "line " + itoa(pos.Line) + " of " + name
	}
	return "line " + itoa(pos.Line)
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	neg := n < 0
	if neg {
		n = -n
	}
	var buf [20]byte
	i := len(buf)
	for n > 0 {
		i--
		buf[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		buf[i] = '-'
	}
	return string(buf[i:])
}

// resolveAliases gives a channel assigned from another channel variable
// (`c.errc = errc`, after `errc := make(chan error, 1)`) the make sites of
// that variable, when those are all it ever holds: it is the same channel,
// made in this file.
func (b *builder) resolveAliases() {
	for _, a := range b.ss.aliases {
		to, from := b.chans[a.to], b.chans[a.from]
		if a.positional || to == nil || from == nil || to == from || len(from.Makes) == 0 || len(from.Assigned) > 0 || from.IsParam {
			continue
		}
		kept := to.Assigned[:0]
		for _, p := range to.Assigned {
			if p != a.pos {
				kept = append(kept, p)
			}
		}
		to.Assigned = kept
		to.Makes = append(to.Makes, from.Makes...)
		if to.Elem == "" {
			to.Elem, to.Dir = from.Elem, from.Dir
		}
	}
}

// ---- package composition (typed tier) ----

// Call is a call of a declared function made by a summarised function (or
// a function literal inside it), for composing summaries across files.
type Call struct {
	// Callee is the function called (typed tier); Name is the callee
	// declaration's name ("f", "(*T).m").
	Callee *types.Func
	Name   string
	At     token.Pos
	Via    string // the callee as written at the call
	// InGo: the call runs in a goroutine the function starts (a go
	// statement, or inside a go function literal); Deferred: a defer
	// statement's call in the function itself.
	InGo, Deferred bool
	// May: the call runs only on some paths of the summarised function,
	// so what the callee does happens only on some paths too.
	May  bool
	Args []CallArg
}

// CallArg is a tracked value passed at a call, in the caller's terms.
type CallArg struct {
	Index  int
	Target Target
}

// Calls lists the calls of declared functions the summarised function
// makes, directly or in its function literals.
func (s *Summary) Calls() []Call {
	var out []Call
	for _, cs := range s.calls {
		callee := cs.resolved
		if callee == nil || (callee.Func != nil && callee.Func.Lit) {
			continue
		}
		c := Call{Callee: callee.Obj, Name: callee.Name, At: cs.call.Pos(), Via: cs.callee, InGo: cs.inGo, Deferred: cs.deferred && cs.fn == s.Func, May: !cs.mustIn(s)}
		for g := cs.fn; g != nil && g != s.Func; g = g.Parent {
			if g.GoBody != nil {
				c.InGo = true
			}
		}
		for _, a := range cs.args {
			c.Args = append(c.Args, CallArg{Index: a.index, Target: s.targetOf(a.key)})
		}
		out = append(out, c)
	}
	return out
}

// LocalEffects lists the effects of the function's own code (and its
// function literals), before composition with the functions it calls.
func (s *Summary) LocalEffects() []*Effect { return s.local }

// IsLocal reports whether a key names a variable declared in the
// function's body (invisible to callers).
func (s *Summary) IsLocal(k VarKey) bool { return s.isLocal(k) }

// Object returns the typed-tier object a key stands for, or nil.
func (k VarKey) Object() types.Object {
	o, _ := k.obj.(types.Object)
	return o
}

// reachedByName reports whether the callee whose effect e is reaches its
// target by name (a package-level or captured variable) rather than as a
// parameter or a field of a value handed to it (Effect.ByName).
func (e *Effect) reachedViaField() bool {
	if e.Target.Param >= 0 || e.Kind == EffEscape {
		return false
	}
	k := e.Target.Key
	if k.field != "" {
		return true
	}
	v, ok := k.obj.(*types.Var)
	return ok && v.IsField()
}

func (e *Effect) reachedByName() bool {
	if e.Target.Param >= 0 {
		return false
	}
	k := e.Target.Key
	if k.field != "" {
		return false
	}
	if v, ok := k.obj.(*types.Var); ok && v.IsField() {
		return false
	}
	return k.obj != nil
}

// KeyFor is the key of a typed-tier variable (a field or a package
// variable), as the typed model keys it.
func KeyFor(obj types.Object) VarKey { return VarKey{obj: obj} }

// NewSummary makes a summary of a function declared elsewhere from its
// composed effects, for a SummaryLookup. An effect whose Target.Param is
// negative must have its Key set with KeyFor. A summary with no effects
// still tells the builder the callee is known (its arguments do not
// escape to unseen code).
func NewSummary(obj *types.Func, name string, effects []*Effect) *Summary {
	for _, e := range effects {
		e.key = e.Target.Key
	}
	return &Summary{Obj: obj, Name: name, Effects: effects}
}

// isConversion reports whether call is a conversion to a named type
// (cancelFunc(cancel)): the type checker says so on the typed tier; on the
// syntax tier, a name declared as a type in this file.
func (b *builder) isConversion(call *ast.CallExpr) bool {
	if len(call.Args) != 1 {
		return false
	}
	fun := ast.Unparen(call.Fun)
	if info := b.m.Info; info != nil {
		tv, ok := info.Types[fun]
		return ok && tv.IsType()
	}
	id, ok := fun.(*ast.Ident)
	return ok && id.Obj != nil && id.Obj.Kind == ast.Typ
}

// neverReadyBodies lists the bodies of the select cases that receive from
// a local channel variable that is never made (Chan.NeverMade: it is nil,
// and a receive from nil is never ready): their statements never run, so
// a send there is no signal anything can wait for (r20h_ctx_deadline: the
// backend's reply is sent only in `case <-stuck:`).
func (m *File) neverReadyBodies() [][2]token.Pos {
	var out [][2]token.Pos
	for _, op := range m.ChanOps {
		if op.Select == nil || op.Kind != Recv || op.Chan == nil || !op.Chan.NeverMade() {
			continue
		}
		if body := caseBody(op.Select); len(body) > 0 {
			out = append(out, [2]token.Pos{body[0].Pos(), body[len(body)-1].End()})
		}
	}
	return out
}

// inSpans reports whether p lies in one of the spans.
func inSpans(spans [][2]token.Pos, p token.Pos) bool {
	for _, s := range spans {
		if s[0] <= p && p < s[1] {
			return true
		}
	}
	return false
}
