package model

import (
	"go/ast"
	"go/token"
	"go/types"
)

// What a resolved callee's parameter does with an argument golens tracks.
//
// A callee's summary speaks of its parameters; the arguments map onto them
// by position. Two kinds of parameter break that mapping:
//
//   - a parameter golens does not follow: a channel passed as a type
//     parameter (func fill[C ~chan int](c C)), as any or another interface,
//     as a named channel type on the syntax tier, or inside a variadic
//     slice. The callee's summary records nothing on it, which must not be
//     read as "does nothing": the callee may close it, send on it or keep
//     it. The argument escapes, with a reason;
//   - a sync value received by value (func worker(wg sync.WaitGroup)): the
//     callee works on a copy, so its Done, Unlock or Wait never reach the
//     caller's variable. Its effects must not map onto the argument.
//
// argFate tells which applies to one argument.
type argFate uint8

const (
	argFollowed   argFate = iota // the callee's summary speaks of it
	argUnfollowed                // escapes: the callee's parameter is not followed
	argCopied                    // a sync value copied into the callee
)

// argFate decides the fate of argument a at cs, whose callee is resolved.
// It returns a description of the parameter's type for argUnfollowed.
func (b *builder) argFate(cs *callSite, a argRef) (argFate, string) {
	callee := cs.resolved
	if callee == nil {
		return argFollowed, ""
	}
	isChan := b.chans[a.key] != nil
	syncType := b.syncVars[a.key]
	isSyncValue := syncType == "sync.Mutex" || syncType == "sync.RWMutex" || syncType == "sync.WaitGroup" || syncType == "sync.Cond"
	if !isChan && !isSyncValue {
		return argFollowed, ""
	}
	// The parameter's type: from the declaration (this file) or the
	// signature (typed tier).
	if f := callee.Func; f != nil && f.Type != nil && f.Type.Params != nil {
		typ, variadic, ok := paramTypeExpr(f.Type.Params, a.index)
		if !ok {
			return argFollowed, ""
		}
		if variadic {
			return argUnfollowed, "as part of a variadic argument"
		}
		typ = ast.Unparen(typ)
		if isChan {
			if _, ok := typ.(*ast.ChanType); ok {
				return argFollowed, ""
			}
			if b.m.Info != nil {
				if t := b.m.Info.TypeOf(typ); t != nil {
					if _, ok := t.Underlying().(*types.Chan); ok {
						return argFollowed, "" // a named channel type: followed on the typed tier
					}
				}
			}
			return argUnfollowed, "as a parameter of type " + b.text(typ)
		}
		if _, star := typ.(*ast.StarExpr); !star && b.syncTypeOfExpr(typ) != "" {
			return argCopied, ""
		}
		return argFollowed, ""
	}
	if callee.Obj == nil {
		return argFollowed, ""
	}
	sig, ok := callee.Obj.Type().(*types.Signature)
	if !ok || sig.Params().Len() == 0 {
		return argFollowed, ""
	}
	n := sig.Params().Len()
	if sig.Variadic() && a.index >= n-1 {
		return argUnfollowed, "as part of a variadic argument"
	}
	if a.index >= n {
		return argFollowed, ""
	}
	pt := sig.Params().At(a.index).Type()
	if isChan {
		if _, ok := pt.Underlying().(*types.Chan); ok {
			return argFollowed, ""
		}
		return argUnfollowed, "as a parameter of type " + types.TypeString(pt, b.qualifier())
	}
	if _, ptr := pt.(*types.Pointer); !ptr && namedSyncType(pt) != "" {
		return argCopied, ""
	}
	return argFollowed, ""
}

// paramTypeExpr is the type of the index-th parameter in a parameter list
// (and whether it is the variadic one).
func paramTypeExpr(params *ast.FieldList, index int) (typ ast.Expr, variadic, ok bool) {
	i := 0
	for _, f := range params.List {
		n := max(len(f.Names), 1)
		if index < i+n {
			if e, ok := f.Type.(*ast.Ellipsis); ok {
				return e.Elt, true, true
			}
			return f.Type, false, true
		}
		i += n
	}
	// Past the last parameter: the extra arguments of a variadic one.
	if last := params.List; len(last) > 0 {
		if e, ok := last[len(last)-1].Type.(*ast.Ellipsis); ok {
			return e.Elt, true, true
		}
	}
	return nil, false, false
}

// paramChan is the channel the model keeps for fd's index-th parameter,
// by name; nil when that parameter is unnamed, not a channel the model
// follows, or there is none.
func (b *builder) paramChan(fd *ast.FuncDecl, index int) *Chan {
	if name := paramIdent(fd, index); name != nil {
		if k, ok := b.keyOf(name); ok {
			return b.chans[k]
		}
	}
	return nil
}

// paramIdent is the name of fd's index-th parameter (the receiver not
// counted); nil when it is unnamed or there is none.
func paramIdent(fd *ast.FuncDecl, index int) *ast.Ident {
	if fd.Type.Params == nil {
		return nil
	}
	i := 0
	for _, f := range fd.Type.Params.List {
		if len(f.Names) == 0 {
			i++
			continue
		}
		for _, name := range f.Names {
			if i == index {
				return name
			}
			i++
		}
	}
	return nil
}

// sortArgs splits the arguments at a resolved call: those the callee's
// summary speaks of stay in cs.args; the ones whose parameter golens does
// not follow are returned with why they escape; copied sync values are
// dropped.
func (b *builder) sortArgs(cs *callSite) (escaped []argRef, why []string) {
	kept := cs.args[:0:0]
	for _, a := range cs.args {
		switch fate, typ := b.argFate(cs, a); fate {
		case argFollowed:
			kept = append(kept, a)
		case argUnfollowed:
			escaped = append(escaped, a)
			why = append(why, "passed to `"+cs.callee+"` at line "+itoa(b.m.Line(cs.call.Pos()))+" "+typ+", which golens does not follow")
		}
	}
	cs.args = kept
	return escaped, why
}

// copiesSyncValue reports whether passing arg copies a sync value: arg
// names a sync.Mutex, RWMutex, WaitGroup or Cond variable that is not a
// pointer, and is not written &arg. Whatever the callee's parameter is, it
// gets a copy, so the callee's Done, Unlock or Wait never reach arg.
func (b *builder) copiesSyncValue(arg ast.Expr) bool {
	arg = ast.Unparen(arg)
	k, ok := b.keyOf(arg)
	if !ok {
		return false
	}
	switch b.syncVars[k] {
	case "sync.Mutex", "sync.RWMutex", "sync.WaitGroup", "sync.Cond":
	default:
		return false
	}
	if info := b.m.Info; info != nil {
		t := info.TypeOf(arg)
		if t == nil {
			return false
		}
		_, ptr := t.Underlying().(*types.Pointer)
		return !ptr && namedSyncType(t) != ""
	}
	st, ptr := b.syntaxTypeName(arg)
	return st != "" && !ptr && b.syncVars[k] == st
}

// markParam marks the channel a parameter or receiver declares (on the
// typed tier, of any channel type, named ones included) as a parameter:
// the caller made it.
func (b *builder) markParam(name *ast.Ident) {
	if k, ok := b.keyOf(name); ok {
		if c := b.chans[k]; c != nil {
			c.IsParam = true
		}
	}
}

// valueSpecFlow treats `var view <-chan int = ch` inside a function as the
// assignment it is (view := ch): the channel is stored in view, which
// assignFlow records as an alias.
func (b *builder) valueSpecFlow(v *visitor, n *ast.ValueSpec) {
	if len(n.Values) == 0 {
		return
	}
	lhs := make([]ast.Expr, len(n.Names))
	for i, name := range n.Names {
		lhs[i] = name
	}
	b.assignFlow(v, &ast.AssignStmt{Lhs: lhs, TokPos: n.Pos(), Tok: token.DEFINE, Rhs: n.Values})
}

// aliasOriginFact: c holds the channel of another variable (view := ch,
// var view <-chan int = ch, s.ch = ch): whatever closes that one closes
// c. ok is false when c holds no other variable's channel, or when the
// other one is neither closed nor escapes (then c's own facts decide).
func (b *builder) aliasOriginFact(c *Chan) (Fact, bool) {
	for _, a := range b.ss.aliases {
		if a.to != c.Key || a.from == c.Key {
			continue
		}
		from := b.chans[a.from]
		if from == nil || from == c {
			continue
		}
		if a.positional {
			// T{"eu", slow}: this value of the field holds slow's
			// channel; others may hold other channels.
			if cl := from.Closes(); len(cl) > 0 {
				return Fact{Certainty: Possible, Why: "closed at line " + itoa(b.m.Line(cl[0].Pos)) + " when it holds `" + from.Name + "`'s channel (stored at line " + itoa(b.m.Line(a.pos)) + ")"}, true
			}
			continue
		}
		if len(c.Assigned) > 0 || len(c.NilSets) > 0 || len(c.Makes) != len(from.Makes) {
			return Fact{}, false // it holds other channels too: its own facts decide
		}
		as := "as `" + from.Name + "`, the channel it holds (assigned at line " + itoa(b.m.Line(a.pos)) + ")"
		if cl := from.Closes(); len(cl) > 0 {
			return Fact{Certainty: Proven, Holds: true, Why: "closed at line " + itoa(b.m.Line(cl[0].Pos)) + " " + as}, true
		}
		for _, u := range from.indirect {
			if u.Effect.Kind == EffClose {
				return Fact{Certainty: Possible, Why: UseText(b.m, u) + " " + as}, true
			}
		}
		if from.IsParam || len(from.Assigned) > 0 || len(from.Makes) == 0 {
			return Fact{Certainty: Unknown, Why: "a copy of `" + from.Name + "` (line " + itoa(b.m.Line(a.pos)) + "), a channel golens does not follow"}, true
		}
	}
	return Fact{}, false
}

// fieldOrigin keys a field of an instantiated generic type (Queue[string].ch)
// by the field of the generic declaration (Queue[T].ch), which the methods
// of the type use: all instances share one key.
func fieldOrigin(obj types.Object) types.Object {
	if v, ok := obj.(*types.Var); ok && v.IsField() {
		return v.Origin()
	}
	return obj
}
