package model

import (
	"cmp"
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"sync"
)

// Channel fields by holder, in order.
//
// A summary keys an effect on a struct field by the field alone: every
// notifier's events field is one target, which is what "who closes this
// field" needs. Two checks need two facts more, read here from the same
// summaries:
//   - whose field it is: `n.stop()` closes n.events, while `a.stop(); b.notify()`
//     close one notifier and send on another (Holder);
//   - where the field is given a new channel, or the holder variable a new
//     value, and where code golens does not follow runs: `r.stop();
//     r.reset(); r.send()` sends on a new channel (Store, Rebind, Unseen).
//
// FieldSteps lists them for a function, through the calls of this file
// whose summaries the model composes (certainty, goroutine and defer come
// from the summary's composed effects), and through calls of the
// package's other files, whose steps it composes by the same rule as
// ComposeSummaries: the models the checks read are built file by file,
// without the typed tier's package lookup. Typed tier only (a field is a
// *types.Var); nil on the syntax tier.

// FieldStep is one thing a function does, directly or through a function
// of the package that it calls, to a channel field, or one event that may
// change which channel a field holds.
type FieldStep struct {
	// Effect is the summary's effect for an operation on the field
	// (close, send, receive, range, escape); nil for the other steps.
	Effect *Effect
	// Store: a value is stored in the field, or its address is taken
	// (&x.f): a channel field, or a field that holds a struct with
	// channel fields (s.n = other changes the channel s.n.events names).
	Store bool
	// Rebind: the variable Var, a holder, is written (x = ..., &x).
	Rebind bool
	Var    types.Object
	// Unseen: a call golens does not follow (another file's or
	// package's function, a function value, an interface method) runs
	// here; it may store into any field that code of the package stores
	// into.
	Unseen bool
	// Field is the channel field (Effect steps) or the field stored into.
	Field *types.Var
	// Holder is the expression, in the function's own code, whose field
	// it is: x in close(x.ch), or the receiver or argument of the call
	// through which a callee acts on its own receiver or parameter (n in
	// n.stop()). Nil when it is neither (a local variable of the callee,
	// a package variable, an unknown): it may be any value's field.
	Holder ast.Expr
	// At is where, in the function's code, the step happens: the
	// operation, or the call through which it happens (Call). Pos is the
	// operation itself, in whichever function it is written.
	At, Pos token.Pos
	Call    *ast.CallExpr
	// In is the innermost function, the summarised one or a literal in
	// it, whose code holds At.
	In *Func
	// ExitFirst: the callee through which it happens (Call) may end the
	// goroutine or the program before it — a call the model's MayExit
	// names (panic, os.Exit, log.Fatal, t.Fatal, ...) comes before it in
	// the callee or in a function the callee calls on the way — so the
	// call may not get as far as the operation: `if q.closed {
	// panic("closed") }; q.ch <- v`, which the summary counts as a send
	// on every path (an exit ends the program, it does not return).
	ExitFirst bool
}

// fieldStepsMu serialises FieldSteps across files: a call into another
// file reads (and fills) that file's set while this one's is in use.
var fieldStepsMu sync.Mutex

// fieldStepSet memoises FieldSteps per summary.
type fieldStepSet struct {
	// pkg finds the summary of a function declared in another file of
	// the package, from the files FieldSteps was first given.
	pkg   map[*types.Func]pkgFunc
	files []*File
	// writes are the file's writes of variables (assignList), sorted by
	// position.
	writes []keyedAssignment
	steps  map[*Summary][]FieldStep
	exits  map[*Summary][]token.Pos // MayExit calls in the function's own code
	busy   map[*Summary]bool
	opAt   map[token.Pos][]*ChanOp
	callOf map[*ast.CallExpr]*callSite
}

type pkgFunc struct {
	file *File
	sum  *Summary
}

// FieldSteps lists what s's function does to channel fields, and the
// writes and unseen calls that may put a new channel in them, sorted by
// At (then Pos). pkg lists the models of the package's files (f among
// them; the same list on every call: the steps are kept), to follow calls
// into the other files.
func (f *File) FieldSteps(s *Summary, pkg []*File) []FieldStep {
	if f.Info == nil || s == nil || s.Func == nil {
		return nil
	}
	f.derived.ensure()
	d := f.derived
	if d == nil {
		return nil
	}
	fieldStepsMu.Lock()
	defer fieldStepsMu.Unlock()
	d.b.initFieldSteps(pkg)
	return d.b.fieldSteps(&d.fields, s)
}

// initFieldSteps prepares the file's set on first use.
func (b *builder) initFieldSteps(pkg []*File) {
	f, set := b.m, &b.m.derived.fields
	if set.steps == nil {
		set.steps = map[*Summary][]FieldStep{}
		set.exits = map[*Summary][]token.Pos{}
		set.busy = map[*Summary]bool{}
		set.opAt = map[token.Pos][]*ChanOp{}
		for _, op := range f.ChanOps {
			set.opAt[op.Pos] = append(set.opAt[op.Pos], op)
		}
		set.callOf = map[*ast.CallExpr]*callSite{}
		for _, cs := range b.ss.calls {
			set.callOf[cs.call] = cs
		}
		set.writes = slices.Clone(b.assignList)
		slices.SortStableFunc(set.writes, func(x, y keyedAssignment) int { return cmp.Compare(x.pos, y.pos) })
		set.files = pkg
		// One index of the package's functions, shared by its files.
		for _, other := range pkg {
			if other != nil && other.derived != nil && other.derived.fields.pkg != nil {
				set.pkg = other.derived.fields.pkg
				return
			}
		}
		set.pkg = map[*types.Func]pkgFunc{}
		for _, other := range pkg {
			if other == nil || other.derived == nil {
				continue
			}
			for _, sum := range other.Summaries() {
				if sum.Obj != nil && sum.Func != nil {
					set.pkg[sum.Obj] = pkgFunc{other, sum}
				}
			}
		}
	}
}

func (b *builder) fieldSteps(set *fieldStepSet, s *Summary) []FieldStep {
	if steps, ok := set.steps[s]; ok {
		return steps
	}
	if set.busy[s] {
		// Recursion: what this call does is still being worked out.
		return []FieldStep{{Unseen: true}}
	}
	set.busy[s] = true
	defer delete(set.busy, s)
	info := b.m.Info
	fn := s.Func
	if fn.Body == nil {
		return []FieldStep{{Unseen: true}} // declared without a body (assembly)
	}
	var out []FieldStep
	var crossFile []*callSite // calls of the package's other files
	// The operations of the function's own code (function literals in
	// it included), as the summary records them.
	for _, e := range s.local {
		field, ok := e.key.obj.(*types.Var)
		if !ok || !field.IsField() || !isChanEffect(e.Kind) {
			continue
		}
		if _, isChan := field.Type().Underlying().(*types.Chan); !isChan {
			continue
		}
		st := FieldStep{Effect: e, Field: field, At: e.Pos, Pos: e.Pos, In: b.m.funcAt(e.Pos)}
		for _, op := range set.opAt[e.Pos] {
			if op.Chan != nil && op.Chan.Key == e.key {
				if x, _ := ChanFieldOf(info, op.Operand()); x != nil {
					st.Holder = x
				}
			}
		}
		out = append(out, st)
	}
	// Stores into channel fields, writes of variables, unseen calls.
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for _, l := range n.Lhs {
				if x, field := storedField(info, l); field != nil {
					out = append(out, FieldStep{Store: true, Field: field, Holder: x, At: n.Pos(), Pos: n.Pos(), In: b.m.funcAt(n.Pos())})
				}
			}
		case *ast.RangeStmt:
			for _, l := range []ast.Expr{n.Key, n.Value} {
				if x, field := storedField(info, l); field != nil {
					out = append(out, FieldStep{Store: true, Field: field, Holder: x, At: n.Pos(), Pos: n.Pos(), In: b.m.funcAt(n.Pos())})
				}
			}
		case *ast.UnaryExpr:
			if x, field := storedField(info, n.X); n.Op == token.AND && field != nil {
				out = append(out, FieldStep{Store: true, Field: field, Holder: x, At: n.Pos(), Pos: n.Pos(), In: b.m.funcAt(n.Pos())})
			}
		case *ast.CallExpr:
			if b.m.funcAt(n.Pos()) == fn && b.m.MayExit(n) {
				set.exits[s] = append(set.exits[s], n.Pos())
			}
			if cs := set.callOf[n]; cs != nil && cs.resolved == nil && b.otherFile(set, cs) != nil {
				crossFile = append(crossFile, cs)
			} else if b.unseenCall(set, n) {
				out = append(out, FieldStep{Unseen: true, At: n.Pos(), Pos: n.Pos(), Call: n, In: b.m.funcAt(n.Pos())})
			}
		}
		return true
	})
	from, _ := slices.BinarySearchFunc(set.writes, fn.Body.Pos(), func(ka keyedAssignment, p token.Pos) int { return cmp.Compare(ka.pos, p) })
	for _, ka := range set.writes[from:] {
		if ka.pos >= fn.Body.End() {
			break
		}
		if obj, ok := ka.key.obj.(types.Object); ok {
			out = append(out, FieldStep{Rebind: true, Var: obj, At: ka.pos, Pos: ka.pos, In: b.m.funcAt(ka.pos)})
		}
	}
	// Through the calls of this file's functions: the callee's steps, at
	// the call, with the callee's receiver and parameters replaced by the
	// caller's expressions.
	byCall := map[token.Pos][]*Effect{}
	for _, e := range s.Effects {
		if e.At.IsValid() {
			byCall[e.At] = append(byCall[e.At], e)
		}
	}
	for _, cs := range s.calls {
		callee := cs.resolved
		if callee == nil || callee.Func == nil || callee == s {
			continue
		}
		if _, lit := ast.Unparen(cs.call.Fun).(*ast.FuncLit); lit {
			continue // func(x T) {...}(v): its operations are this function's own
		}
		at := cs.call.Pos()
		rule := b.composeRule(cs, fn)
		out = b.composeFieldSteps(out, cs, callee, b.fieldSteps(set, callee), set.exits[callee], func(in *Effect) *Effect {
			for _, e := range byCall[at] {
				if e.Kind == in.Kind && e.Pos == in.Pos && e.key == in.key {
					return e
				}
			}
			// Not in the summary: the callee reaches it through another
			// file (or the rounds ran out).
			return rule(in)
		})
	}
	// Through the calls of the package's other files, which the file's
	// summary does not compose (composeRule).
	for _, cs := range crossFile {
		pf := b.otherFile(set, cs)
		ob := pf.file.derived.b
		ob.initFieldSteps(set.files)
		steps := ob.fieldSteps(&pf.file.derived.fields, pf.sum)
		exits := pf.file.derived.fields.exits[pf.sum]
		out = b.composeFieldSteps(out, cs, pf.sum, steps, exits, b.composeRule(cs, fn))
	}
	slices.SortStableFunc(out, func(x, y FieldStep) int {
		if c := cmp.Compare(x.At, y.At); c != 0 {
			return c
		}
		return cmp.Compare(x.Pos, y.Pos)
	})
	set.steps[s] = out
	return out
}

// composeRule composes a callee's effect at the call cs in fn as
// composeCall does: it runs on every path only if the call does; in a
// goroutine if the call or a function literal around it starts one;
// deferred if the call is deferred in fn itself.
func (b *builder) composeRule(cs *callSite, fn *Func) func(*Effect) *Effect {
	at := cs.call.Pos()
	must := b.runsEveryPath(cs.fn, at, fn)
	inGo := cs.inGo
	for g := cs.fn; g != nil && g != fn; g = g.Parent {
		if g.GoBody != nil {
			inGo = true
		}
	}
	via := cs.callee
	if via == "" {
		via = b.calleeName(cs.call)
	}
	return func(in *Effect) *Effect {
		e := *in
		e.At, e.Via = at, via
		e.ViaGo = cs.inGo && cs.fn == fn && !e.InGo
		e.ViaField = in.reachedViaField()
		e.InGo = inGo || e.InGo
		e.Deferred = cs.deferred && cs.fn == fn
		if e.Certainty == Proven && e.Kind != EffEscape && !must {
			e.Certainty = Possible
		}
		return &e
	}
}

// composeFieldSteps appends the steps of a callee at the call cs: at the
// call, with the callee's holders in the caller's terms (mapHolder) and
// its effects as the caller's summary has them (effect). The callee's
// writes of its own variables stay inside it; its unseen calls become one
// unseen call here, and its stores one per field and holder, so that a
// chain of calls does not copy every step of everything it reaches.
func (b *builder) composeFieldSteps(out []FieldStep, cs *callSite, callee *Summary, steps []FieldStep, exits []token.Pos, effect func(*Effect) *Effect) []FieldStep {
	at := cs.call.Pos()
	unseen := false
	type store struct {
		field  *types.Var
		holder ast.Expr
	}
	stores := map[store]bool{}
	type effectKey struct {
		kind                      EffectKind
		pos                       token.Pos
		field                     *types.Var
		holder                    ast.Expr
		certainty                 Certainty
		inGo, deferred, exitFirst bool
	}
	effects := map[effectKey]bool{}
	for _, in := range steps {
		if in.Rebind {
			continue
		}
		st := FieldStep{Store: in.Store, Unseen: in.Unseen, Field: in.Field, At: at, Pos: in.Pos, Call: cs.call, In: cs.fn, ExitFirst: in.ExitFirst}
		st.Holder = b.mapHolder(cs, callee, in.Holder)
		switch {
		case in.Unseen:
			if unseen {
				continue
			}
			unseen = true
		case in.Store:
			if stores[store{in.Field, st.Holder}] {
				continue
			}
			stores[store{in.Field, st.Holder}] = true
		}
		for _, p := range exits {
			if p < in.At || in.In != callee.Func {
				st.ExitFirst = true // before it, or not in the callee's own flow
			}
		}
		if in.Effect != nil {
			// The paths inside the callee by which one operation is
			// reached are one step here, as they are one effect in the
			// summary (ComposeSummaries).
			st.Effect = effect(in.Effect)
			e := st.Effect
			k := effectKey{e.Kind, e.Pos, st.Field, st.Holder, e.Certainty, e.InGo, e.Deferred, st.ExitFirst}
			if effects[k] {
				continue
			}
			effects[k] = true
		}
		out = append(out, st)
	}
	return out
}

// isChanEffect reports whether k is something done to a channel.
func isChanEffect(k EffectKind) bool {
	return k == EffClose || k == EffSend || k == EffRecv || k == EffRange || k == EffEscape
}

// otherFile finds the summary of the function a call calls, when it is
// declared in another file of the package.
func (b *builder) otherFile(set *fieldStepSet, cs *callSite) *pkgFunc {
	var id *ast.Ident
	switch f := ast.Unparen(cs.call.Fun).(type) {
	case *ast.Ident:
		id = f
	case *ast.SelectorExpr:
		id = f.Sel
	case *ast.IndexExpr:
		id, _ = ast.Unparen(f.X).(*ast.Ident)
	}
	if id == nil {
		return nil
	}
	fn, ok := b.m.Info.Uses[id].(*types.Func)
	if !ok {
		return nil
	}
	if pf, ok := set.pkg[fn.Origin()]; ok && pf.file != b.m {
		return &pf
	}
	return nil
}

// mapHolder translates a holder in the callee's code to the caller's: the
// callee's receiver to the call's receiver, its parameter to the
// argument. A literal's captured variable is the caller's own.
func (b *builder) mapHolder(cs *callSite, callee *Summary, h ast.Expr) ast.Expr {
	id, ok := ast.Unparen(h).(*ast.Ident)
	if !ok {
		return nil
	}
	k, ok := b.keyOf(id)
	if !ok {
		return nil
	}
	if callee.Recv.Valid() && k == callee.Recv {
		return cs.recv()
	}
	for i, p := range callee.Params {
		if p.Valid() && p == k {
			if i < len(cs.call.Args) && !cs.call.Ellipsis.IsValid() {
				return cs.call.Args[i]
			}
			return nil
		}
	}
	if callee.Func.Lit && !callee.isLocal(k) {
		return h // captured: the same variable in the caller
	}
	return nil
}

// unseenCall reports whether a call runs code the summaries do not follow:
// not a builtin, a conversion, a function literal called where it stands,
// a call of this file's functions, an operation the model records (sync,
// context, a cancel func, a Cond), or a function of a package known to
// keep and signal nothing (fmt, strings, ...) or given only constants.
func (b *builder) unseenCall(set *fieldStepSet, call *ast.CallExpr) bool {
	info := b.m.Info
	fun := ast.Unparen(call.Fun)
	if _, lit := fun.(*ast.FuncLit); lit {
		return false
	}
	if tv, ok := info.Types[fun]; ok && tv.IsType() {
		return false
	}
	var id *ast.Ident
	switch f := fun.(type) {
	case *ast.Ident:
		id = f
	case *ast.SelectorExpr:
		id = f.Sel
	}
	if id != nil {
		if _, builtin := info.Uses[id].(*types.Builtin); builtin {
			return false
		}
	}
	if cs := set.callOf[call]; cs != nil {
		if cs.resolved != nil && cs.resolved.Func != nil {
			return false
		}
		return !b.unresolved(cs)
	}
	// Not recorded: a function of another package that is given no
	// channel, lock or context.
	if sel, ok := fun.(*ast.SelectorExpr); ok {
		if x, ok := sel.X.(*ast.Ident); ok && b.isPackage(x) {
			if b.knownSafeCall(x, sel.Sel.Name) {
				return false
			}
			for _, a := range call.Args {
				if info.Types[a].Value == nil {
					return true
				}
			}
			return false
		}
	}
	return true
}

// storedField splits x.f into x and the field when a store into f can
// change which channel a holder path names: f is a channel, or (a pointer
// to) a struct with a channel field, as n in s.n.events.
func storedField(info *types.Info, e ast.Expr) (ast.Expr, *types.Var) {
	if x, f := ChanFieldOf(info, e); f != nil {
		return x, f
	}
	sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
	if !ok || info == nil {
		return nil, nil
	}
	ts := info.Selections[sel]
	if ts == nil || ts.Kind() != types.FieldVal {
		return nil, nil
	}
	v, _ := ts.Obj().(*types.Var)
	if v == nil {
		return nil, nil
	}
	t := v.Type()
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	st, ok := t.Underlying().(*types.Struct)
	if !ok {
		return nil, nil
	}
	for i := 0; i < st.NumFields(); i++ {
		if _, isChan := st.Field(i).Type().Underlying().(*types.Chan); isChan {
			return sel.X, v.Origin()
		}
	}
	return nil, nil
}

// ChanFieldOf splits x.f, where f is a struct field of channel type, into
// x and the field (its generic origin); nil, nil otherwise.
func ChanFieldOf(info *types.Info, e ast.Expr) (ast.Expr, *types.Var) {
	sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
	if !ok || info == nil {
		return nil, nil
	}
	ts := info.Selections[sel]
	if ts == nil || ts.Kind() != types.FieldVal {
		return nil, nil
	}
	v, _ := ts.Obj().(*types.Var)
	if v == nil {
		return nil, nil
	}
	if _, isChan := v.Type().Underlying().(*types.Chan); !isChan {
		return nil, nil
	}
	return sel.X, v.Origin()
}

// FieldStores lists the fields this file's code stores into after the
// value is made — an assignment to the field, a range that assigns it,
// &x.f (a composite literal makes a new value: not a store) — of the
// fields FieldSteps follows (storedField).
func (f *File) FieldStores() map[*types.Var]bool {
	out := map[*types.Var]bool{}
	if f.Info == nil {
		return out
	}
	ast.Inspect(f.AST, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for _, l := range n.Lhs {
				if _, field := storedField(f.Info, l); field != nil {
					out[field] = true
				}
			}
		case *ast.RangeStmt:
			for _, l := range []ast.Expr{n.Key, n.Value} {
				if _, field := storedField(f.Info, l); field != nil {
					out[field] = true
				}
			}
		case *ast.UnaryExpr:
			if _, field := storedField(f.Info, n.X); n.Op == token.AND && field != nil {
				out[field] = true
			}
		}
		return true
	})
	return out
}

// HolderPath reads a step's holder as a variable and the fields selected
// from it, outermost first: s for s, (s, [n]) for s.n. ok is false for
// anything else (a call, an index, a dereference of an expression).
func HolderPath(info *types.Info, e ast.Expr) (root types.Object, fields []*types.Var, ok bool) {
	switch x := ast.Unparen(e).(type) {
	case *ast.Ident:
		root = info.ObjectOf(x)
		if _, isVar := root.(*types.Var); !isVar {
			return nil, nil, false
		}
		return root, nil, true
	case *ast.SelectorExpr:
		ts := info.Selections[x]
		if ts == nil || ts.Kind() != types.FieldVal {
			return nil, nil, false
		}
		root, fields, ok = HolderPath(info, x.X)
		if !ok {
			return nil, nil, false
		}
		v, _ := ts.Obj().(*types.Var)
		return root, append(fields, v.Origin()), true
	}
	return nil, nil, false
}
