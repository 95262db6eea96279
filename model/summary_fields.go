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
// whose summaries the model composes; certainty, goroutine and defer come
// from the summary's composed effects. Typed tier only (a field is a
// *types.Var); nil on the syntax tier.

// FieldStep is one thing a function does, directly or through a function
// of this file that it calls, to a channel field, or one event that may
// change which channel a field holds.
type FieldStep struct {
	// Effect is the summary's effect for an operation on the field
	// (close, send, receive, range, escape); nil for the other steps.
	Effect *Effect
	// Store: a channel (made, nil or another) is stored in the field,
	// or its address is taken (&x.f).
	Store bool
	// Rebind: the variable Var, a holder, is written (x = ..., &x).
	Rebind bool
	Var    types.Object
	// Unseen: a call golens does not follow (another file's or
	// package's function, a function value, an interface method) runs
	// here; it may store into any field that code of the package stores
	// into.
	Unseen bool
	// Field is the channel field (Effect and Store steps).
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
}

// fieldStepSet memoises FieldSteps per summary.
type fieldStepSet struct {
	mu     sync.Mutex
	steps  map[*Summary][]FieldStep
	busy   map[*Summary]bool
	opAt   map[token.Pos][]*ChanOp
	callOf map[*ast.CallExpr]*callSite
}

// FieldSteps lists what s's function does to channel fields, and the
// writes and unseen calls that may put a new channel in them, sorted by
// At (then Pos).
func (f *File) FieldSteps(s *Summary) []FieldStep {
	if f.Info == nil || s == nil || s.Func == nil {
		return nil
	}
	f.derived.ensure()
	d := f.derived
	if d == nil {
		return nil
	}
	set := &d.fields
	set.mu.Lock()
	defer set.mu.Unlock()
	if set.steps == nil {
		set.steps = map[*Summary][]FieldStep{}
		set.busy = map[*Summary]bool{}
		set.opAt = map[token.Pos][]*ChanOp{}
		for _, op := range f.ChanOps {
			set.opAt[op.Pos] = append(set.opAt[op.Pos], op)
		}
		set.callOf = map[*ast.CallExpr]*callSite{}
		for _, cs := range d.b.ss.calls {
			set.callOf[cs.call] = cs
		}
	}
	return d.b.fieldSteps(set, s)
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
	// The operations of the function's own code (function literals in
	// it included), as the summary records them.
	for _, e := range s.local {
		field, ok := e.key.obj.(*types.Var)
		if !ok || !field.IsField() {
			continue
		}
		st := FieldStep{Effect: e, Field: field, At: e.Pos, Pos: e.Pos, In: b.m.funcAt(e.Pos)}
		for _, op := range set.opAt[e.Pos] {
			if op.Chan != nil && op.Chan.Key == e.key {
				if x, _ := ChanFieldOf(info, operand(op)); x != nil {
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
				if x, field := ChanFieldOf(info, l); field != nil {
					out = append(out, FieldStep{Store: true, Field: field, Holder: x, At: n.Pos(), Pos: n.Pos(), In: b.m.funcAt(n.Pos())})
				}
			}
		case *ast.RangeStmt:
			for _, l := range []ast.Expr{n.Key, n.Value} {
				if x, field := ChanFieldOf(info, l); field != nil {
					out = append(out, FieldStep{Store: true, Field: field, Holder: x, At: n.Pos(), Pos: n.Pos(), In: b.m.funcAt(n.Pos())})
				}
			}
		case *ast.UnaryExpr:
			if x, field := ChanFieldOf(info, n.X); n.Op == token.AND && field != nil {
				out = append(out, FieldStep{Store: true, Field: field, Holder: x, At: n.Pos(), Pos: n.Pos(), In: b.m.funcAt(n.Pos())})
			}
		case *ast.CallExpr:
			if b.unseenCall(set, n) {
				out = append(out, FieldStep{Unseen: true, At: n.Pos(), Pos: n.Pos(), Call: n, In: b.m.funcAt(n.Pos())})
			}
		}
		return true
	})
	for _, ka := range b.assignList {
		if ka.pos < fn.Body.Pos() || ka.pos >= fn.Body.End() {
			continue
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
		for _, in := range b.fieldSteps(set, callee) {
			st := FieldStep{Store: in.Store, Unseen: in.Unseen, Field: in.Field, At: at, Pos: in.Pos, Call: cs.call, In: cs.fn}
			if in.Rebind {
				continue // the callee's own variables
			}
			st.Holder = b.mapHolder(cs, callee, in.Holder)
			if in.Effect != nil {
				for _, e := range byCall[at] {
					if e.Kind == in.Effect.Kind && e.Pos == in.Effect.Pos && e.key == in.Effect.key {
						st.Effect = e
						break
					}
				}
				if st.Effect == nil {
					// Not composed (the rounds ran out): keep it as a
					// possible operation, which only makes checks quieter.
					e := *in.Effect
					e.At, e.Certainty = at, Possible
					st.Effect = &e
				}
			}
			out = append(out, st)
		}
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
		return cs.recv
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

// ChanFieldStores lists the channel fields this file's code stores into
// after the value is made: an assignment to the field, a range that
// assigns it, &x.f. (A composite literal makes a new value: not a store.)
func (f *File) ChanFieldStores() map[*types.Var]bool {
	out := map[*types.Var]bool{}
	if f.Info == nil {
		return out
	}
	ast.Inspect(f.AST, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for _, l := range n.Lhs {
				if _, field := ChanFieldOf(f.Info, l); field != nil {
					out[field] = true
				}
			}
		case *ast.RangeStmt:
			for _, l := range []ast.Expr{n.Key, n.Value} {
				if _, field := ChanFieldOf(f.Info, l); field != nil {
					out[field] = true
				}
			}
		case *ast.UnaryExpr:
			if _, field := ChanFieldOf(f.Info, n.X); n.Op == token.AND && field != nil {
				out[field] = true
			}
		}
		return true
	})
	return out
}
