package model

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
)

// A Wait under an if that needs no loop. Wait "cannot return unless
// awoken by Broadcast or Signal" (https://pkg.go.dev/sync#Cond.Wait); the
// condition must be checked again after it returns because the state may
// have changed since the wake-up. It cannot have, when the if's condition
// is !flag (or a conjunction of such) and
//
//   - every Signal or Broadcast on the Cond in the package is a statement
//     that follows, in its block, an assignment flag = true of one of
//     those flags, made while holding a lock (File.LocksBefore; any lock
//     counts, as for the lost wakeup), on the same instance: for a field,
//     the flag's selector and the Cond's have the same base variable,
//     which nothing assigns in between; for a variable, the flag and the
//     Cond are declared in the same scope;
//   - nothing in the package sets a flag back: every write of it is
//     `= true`, its declaration, or a composite literal's (a new value);
//     its address is never taken; no value of the struct that holds a
//     flag field is assigned as a whole; the flag is unexported (or in
//     package main), so no other package writes it;
//   - the Cond is unexported (or in package main) and mentioned only to
//     Wait, Signal, Broadcast, use its L, or store a new Cond in it
//     (condUse), so no other code signals it and no two holders share one.
//
// Then whenever the Wait returns, some flag was set before the wake-up
// and nothing cleared it: the condition is false, and the if is enough.

// SettledWait is the proof, for a Wait under an if, that the if's
// condition is false whenever the Wait returns.
type SettledWait struct {
	// Flags are the flags the condition negates, as written ("q.open").
	Flags []string
	// Sets are the assignments flag = true that precede the Signal and
	// Broadcast calls on the Cond, one per call, in the package's order.
	Sets []token.Pos
}

// condFlagIndex is what the package's code does with its bool variables
// and fields and its Conds: one walk, on first use.
type condFlagIndex struct {
	// badFlag: a bool variable or field written other than `= true`, by
	// its declaration or a composite literal, or whose address is taken.
	badFlag map[types.Object]bool
	// whole: the types of the values assigned as a whole (x = v, *p = v,
	// range with =).
	whole map[types.Type]bool
	// badCond: a Cond mentioned other than by condUse's uses.
	badCond map[types.Object]bool
	// signals: each Cond's Signal and Broadcast calls.
	signals map[types.Object][]condSignalSite
}

// condSignalSite is a Signal or Broadcast call; stmt and block are set
// when the call is a statement of a block (not deferred, not a method
// value).
type condSignalSite struct {
	call  *ast.CallExpr
	stmt  ast.Stmt
	block *ast.BlockStmt
}

func (p *Package) condFlags() *condFlagIndex {
	p.condFlagOnce.Do(func() { p.condFlag = p.buildCondFlags() })
	return p.condFlag
}

func (p *Package) buildCondFlags() *condFlagIndex {
	x := &condFlagIndex{whole: map[types.Type]bool{}, badFlag: map[types.Object]bool{}, badCond: map[types.Object]bool{}, signals: map[types.Object][]condSignalSite{}}
	info := p.Info
	isBool := func(o types.Object) bool {
		b, ok := types.Unalias(o.Type()).Underlying().(*types.Basic)
		return ok && b.Kind() == types.Bool
	}
	for _, f := range p.Files {
		var stack []ast.Node
		ast.Inspect(f, func(n ast.Node) bool {
			if n == nil {
				stack = stack[:len(stack)-1]
				return true
			}
			stack = append(stack, n)
			switch n := n.(type) {
			case *ast.AssignStmt:
				if n.Tok == token.ASSIGN {
					for _, l := range n.Lhs {
						if t := info.TypeOf(l); t != nil {
							x.whole[t] = true
						}
					}
				}
			case *ast.RangeStmt:
				if n.Tok == token.ASSIGN {
					for _, l := range []ast.Expr{n.Key, n.Value} {
						if l == nil {
							continue
						}
						if t := info.TypeOf(l); t != nil {
							x.whole[t] = true
						}
						if o := flagObj(info, l); o != nil {
							x.badFlag[o] = true
						}
					}
				}
			}
			var o types.Object
			switch e := n.(type) {
			case *ast.Ident:
				if len(stack) >= 2 {
					if se, ok := stack[len(stack)-2].(*ast.SelectorExpr); ok && se.Sel == e {
						return true // the field: judged at its selector
					}
				}
				o = info.Uses[e]
				if d, ok := info.Defs[e].(*types.Var); ok && isCondType(d.Type()) && !condDeclFresh(info, stack) {
					x.badCond[d.Origin()] = true
				}
			case *ast.SelectorExpr:
				if s := info.Selections[e]; s != nil && s.Kind() == types.FieldVal {
					o = s.Obj()
				}
			}
			v, ok := o.(*types.Var)
			if !ok {
				return true
			}
			o = v.Origin()
			switch {
			case isCondType(o.Type()):
				use, ok := condUse(info, stack)
				switch {
				case !ok:
					x.badCond[o] = true
				case use == "Signal" || use == "Broadcast":
					x.signals[o] = append(x.signals[o], signalSiteOf(stack))
				}
			case isBool(o):
				if flagWriteBad(info, stack) {
					x.badFlag[o] = true
				}
			}
			return true
		})
	}
	return x
}

// condDeclFresh reports whether the declaration of a Cond variable at
// the top of stack gives it no Cond of other code: a struct field, a var
// with no value, or one whose value is a new Cond (not a parameter, a
// result, or a copy of another).
func condDeclFresh(info *types.Info, stack []ast.Node) bool {
	id := stack[len(stack)-1].(*ast.Ident)
	if len(stack) < 2 {
		return false
	}
	switch p := stack[len(stack)-2].(type) {
	case *ast.Field:
		if len(stack) >= 4 {
			_, inStruct := stack[len(stack)-4].(*ast.StructType)
			return inStruct
		}
	case *ast.ValueSpec:
		if len(p.Values) == 0 {
			return true
		}
		for i, n := range p.Names {
			if n == id && len(p.Values) == len(p.Names) {
				return newCond(info, p.Values[i])
			}
		}
	case *ast.AssignStmt:
		for i, l := range p.Lhs {
			if l == ast.Expr(id) && len(p.Lhs) == len(p.Rhs) {
				return newCond(info, p.Rhs[i])
			}
		}
	}
	return false
}

// signalSiteOf reads the Signal or Broadcast call whose Cond mention is
// the top of stack: a statement of a block, or not (stmt nil).
func signalSiteOf(stack []ast.Node) condSignalSite {
	i := len(stack) - 2
	for i >= 0 {
		if _, ok := stack[i].(*ast.ParenExpr); !ok {
			break
		}
		i--
	}
	// stack[i] is the selector c.Signal; then the call, its statement,
	// the block.
	if i < 3 {
		return condSignalSite{}
	}
	sel, _ := stack[i].(*ast.SelectorExpr)
	call, _ := stack[i-1].(*ast.CallExpr)
	if sel == nil || call == nil || call.Fun != ast.Expr(sel) {
		return condSignalSite{}
	}
	es, _ := stack[i-2].(*ast.ExprStmt)
	block, _ := stack[i-3].(*ast.BlockStmt)
	if es == nil || block == nil {
		return condSignalSite{call: call}
	}
	return condSignalSite{call: call, stmt: es, block: block}
}

// flagWriteBad reports whether the mention of a bool variable or field
// at the top of stack may set it to false: a target of an assignment
// other than `= true`, or the operand of &.
func flagWriteBad(info *types.Info, stack []ast.Node) bool {
	e := ast.Node(stack[len(stack)-1])
	i := len(stack) - 2
	for i >= 0 {
		if _, ok := stack[i].(*ast.ParenExpr); !ok {
			break
		}
		e = stack[i]
		i--
	}
	if i < 0 {
		return false
	}
	switch p := stack[i].(type) {
	case *ast.UnaryExpr:
		return p.Op == token.AND
	case *ast.AssignStmt:
		for j, l := range p.Lhs {
			if l != e {
				continue
			}
			if p.Tok != token.ASSIGN || len(p.Lhs) != len(p.Rhs) {
				return true
			}
			return !isTrue(info, p.Rhs[j])
		}
	case *ast.IncDecStmt:
		return true
	}
	return false
}

// isTrue: e is the constant true.
func isTrue(info *types.Info, e ast.Expr) bool {
	tv, ok := info.Types[e]
	return ok && tv.Value != nil && tv.Value.Kind() == constant.Bool && constant.BoolVal(tv.Value)
}

// flagObj is the bool variable or field e names.
func flagObj(info *types.Info, e ast.Expr) types.Object {
	var o types.Object
	switch e := ast.Unparen(e).(type) {
	case *ast.Ident:
		o = info.Uses[e]
	case *ast.SelectorExpr:
		if s := info.Selections[e]; s != nil && s.Kind() == types.FieldVal {
			o = s.Obj()
		}
	}
	if v, ok := o.(*types.Var); ok {
		return v.Origin()
	}
	return nil
}

// settledWait proves, for the Wait w under guard (in no loop of its
// function), that guard's condition is false whenever it returns; nil
// when it does not.
func (m *File) settledWait(w *CondWait, guard *ast.IfStmt, fn *Func) *SettledWait {
	p := m.pkg
	if p == nil || m.Info == nil || p.Info == nil || guard == nil || fn == nil || fn.Body == nil {
		return nil
	}
	if w.Call.Pos() < guard.Body.Pos() || w.Call.End() > guard.Body.End() {
		return nil // in the else
	}
	info := m.Info
	local := func(o types.Object) bool {
		v, ok := o.(*types.Var)
		if !ok || o.Pkg() != p.Types {
			return false
		}
		if !v.IsField() && v.Parent() != p.Types.Scope() {
			return true // a local variable
		}
		return !o.Exported() || o.Pkg().Name() == "main"
	}
	// The Cond.
	recv := ast.Unparen(w.Call.Fun.(*ast.SelectorExpr).X)
	cond := flagObj(info, recv)
	if cond == nil || !isCondType(cond.Type()) || !local(cond) || cond.(*types.Var).Embedded() {
		return nil
	}
	condField := cond.(*types.Var).IsField()
	var base *ast.Ident // a field Cond's base variable: q in q.cond
	if condField {
		sel := recv.(*ast.SelectorExpr)
		if s := info.Selections[sel]; s == nil || len(s.Index()) != 1 {
			return nil
		}
		if base, _ = ast.Unparen(sel.X).(*ast.Ident); base == nil || info.Uses[base] == nil {
			return nil
		}
		// The waiter's base stays the one it checked the flags on.
		if assignsVar(info, fn.Body, info.Uses[base]) {
			return nil
		}
	}
	x := p.condFlags()
	if x.badCond[cond] {
		return nil
	}
	// The flags: the condition is !f1 && !f2 && ...
	flags := map[types.Object]bool{}
	var names []string
	var owners []types.Type
	var terms func(e ast.Expr) bool
	terms = func(e ast.Expr) bool {
		e = ast.Unparen(e)
		if b, ok := e.(*ast.BinaryExpr); ok && b.Op == token.LAND {
			return terms(b.X) && terms(b.Y)
		}
		u, ok := e.(*ast.UnaryExpr)
		if !ok || u.Op != token.NOT {
			return false
		}
		f := flagObj(info, u.X)
		if f == nil || !local(f) || x.badFlag[f] {
			return false
		}
		switch fe := ast.Unparen(u.X).(type) {
		case *ast.Ident:
			if condField || f.Parent() == nil || f.Parent() != cond.Parent() {
				return false
			}
		case *ast.SelectorExpr:
			s := info.Selections[fe]
			if !condField || s == nil || len(s.Index()) != 1 {
				return false
			}
			if b, ok := ast.Unparen(fe.X).(*ast.Ident); !ok || info.Uses[b] != info.Uses[base] {
				return false
			}
			owners = append(owners, s.Recv())
		default:
			return false
		}
		flags[f] = true
		names = append(names, types.ExprString(u.X))
		return true
	}
	if !terms(guard.Cond) {
		return nil
	}
	// No value holding a flag field is overwritten as a whole.
	for _, o := range owners {
		if pt, ok := types.Unalias(o).(*types.Pointer); ok {
			o = pt.Elem()
		}
		for t := range x.whole {
			if holdsByValue(t, o, 0) {
				return nil
			}
		}
	}
	// Every Signal and Broadcast follows a set of a flag, under a lock.
	sites := x.signals[cond]
	if len(sites) == 0 {
		return nil // nothing wakes it: the unsignaled rule's
	}
	sw := &SettledWait{Flags: names}
	for _, s := range sites {
		if s.block == nil {
			return nil
		}
		set, at := m.flagSetBefore(s, flags, condField)
		if set == nil {
			return nil
		}
		fm := m
		if set.Pos() < m.AST.FileStart || set.Pos() > m.AST.FileEnd {
			fm = p.fileModelAt(set.Pos())
		}
		if fm == nil || !fm.lockedBefore(s.block, at) {
			return nil
		}
		sw.Sets = append(sw.Sets, set.Pos())
	}
	return sw
}

// lockedBefore reports whether the statement at index at of block runs
// holding a lock taken in the same block: an earlier statement of it
// calls Lock (a lock call of the model, or a Cond's c.L.Lock()), and no
// statement in between unlocks anything (a deferred Unlock runs at
// return). Which mutex c.L is cannot always be told, so any lock counts.
func (m *File) lockedBefore(block *ast.BlockStmt, at int) bool {
	if block == nil || at <= 0 || at > len(block.List) {
		return false
	}
	lo, hi := block.List[0].Pos(), block.List[at-1].End()
	var ops []*LockOp
	for _, l := range m.Locks {
		if l.Pos >= lo && l.Pos < hi {
			ops = append(ops, l)
		}
	}
	condLocks := m.condLLocks(block)
	for i := at - 1; i >= 0; i-- {
		st := block.List[i]
		for _, l := range ops {
			if l.Pos >= st.Pos() && l.Pos < st.End() && !l.Deferred && (l.Kind == Unlock || l.Kind == RUnlock) {
				return false
			}
		}
		if m.condLUnlocks(st) {
			return false
		}
		es, ok := st.(*ast.ExprStmt)
		if !ok {
			continue
		}
		for _, l := range ops {
			if l.Kind == Lock && l.Call == ast.Unparen(es.X) {
				return true
			}
		}
		for _, p := range condLocks {
			if p == es.X.Pos() {
				return true
			}
		}
	}
	return false
}

// condLUnlocks reports whether n calls Unlock or RUnlock on a Cond's L
// (not deferred).
func (m *File) condLUnlocks(n ast.Node) bool {
	found := false
	ast.Inspect(n, func(x ast.Node) bool {
		switch x := x.(type) {
		case *ast.DeferStmt, *ast.FuncLit:
			return false
		case *ast.CallExpr:
			sel, ok := ast.Unparen(x.Fun).(*ast.SelectorExpr)
			if ok && (sel.Sel.Name == "Unlock" || sel.Sel.Name == "RUnlock") {
				if l, ok := ast.Unparen(sel.X).(*ast.SelectorExpr); ok && l.Sel.Name == "L" && m.Info != nil && isCondType(m.Info.TypeOf(l.X)) {
					found = true
				}
			}
		}
		return !found
	})
	return found
}

// flagSetBefore finds, in the signal's block before it, an assignment
// flag = true of one of flags on the same instance as the signal's Cond,
// and its index in the block.
func (m *File) flagSetBefore(s condSignalSite, flags map[types.Object]bool, field bool) (*ast.AssignStmt, int) {
	info := m.pkg.Info
	var base types.Object
	if field {
		sel, ok := ast.Unparen(s.call.Fun.(*ast.SelectorExpr).X).(*ast.SelectorExpr)
		if !ok {
			return nil, 0
		}
		id, ok := ast.Unparen(sel.X).(*ast.Ident)
		if !ok || info.Uses[id] == nil {
			return nil, 0
		}
		if sl := info.Selections[sel]; sl == nil || len(sl.Index()) != 1 {
			return nil, 0
		}
		base = info.Uses[id]
	}
	at := -1
	for i, st := range s.block.List {
		if st == s.stmt {
			at = i
		}
	}
	var found *ast.AssignStmt
	foundAt := 0
	for i := at - 1; i >= 0 && found == nil; i-- {
		as, ok := s.block.List[i].(*ast.AssignStmt)
		if !ok || as.Tok != token.ASSIGN || len(as.Lhs) != len(as.Rhs) {
			continue
		}
		for j, l := range as.Lhs {
			f := flagObj(info, l)
			if f == nil || !flags[f] || !isTrue(info, as.Rhs[j]) {
				continue
			}
			if field {
				sel, ok := ast.Unparen(l).(*ast.SelectorExpr)
				if !ok {
					continue
				}
				id, ok := ast.Unparen(sel.X).(*ast.Ident)
				if !ok || info.Uses[id] != base {
					continue
				}
				// The base is not assigned from the set to the signal.
				for _, st := range s.block.List[i:at] {
					if assignsVar(info, st, base) {
						return nil, 0
					}
				}
			}
			found, foundAt = as, i
		}
	}
	return found, foundAt
}

// assignsVar reports whether n assigns the variable v (also as a range
// clause's target) or takes its address.
func assignsVar(info *types.Info, n ast.Node, v types.Object) bool {
	is := func(e ast.Expr) bool {
		id, ok := ast.Unparen(e).(*ast.Ident)
		return ok && info.Uses[id] == v
	}
	bad := false
	ast.Inspect(n, func(x ast.Node) bool {
		switch x := x.(type) {
		case *ast.AssignStmt:
			for _, l := range x.Lhs {
				bad = bad || is(l)
			}
		case *ast.RangeStmt:
			bad = bad || x.Tok == token.ASSIGN && (x.Key != nil && is(x.Key) || x.Value != nil && is(x.Value))
		case *ast.UnaryExpr:
			bad = bad || x.Op == token.AND && is(x.X)
		}
		return !bad
	})
	return bad
}

// holdsByValue reports whether a value of type t holds a value of type
// owner: is one, or has one as a field or array element (not through a
// pointer).
func holdsByValue(t, owner types.Type, depth int) bool {
	if depth > 8 {
		return true
	}
	if types.Identical(t, owner) {
		return true
	}
	switch u := types.Unalias(t).Underlying().(type) {
	case *types.Struct:
		for i := range u.NumFields() {
			if holdsByValue(u.Field(i).Type(), owner, depth+1) {
				return true
			}
		}
	case *types.Array:
		return holdsByValue(u.Elem(), owner, depth+1)
	}
	return false
}
