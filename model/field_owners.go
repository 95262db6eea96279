package model

import (
	"go/ast"
	"go/token"
	"go/types"
)

// Which value's field a channel is, when one operand reaches it through
// another value's field. A pipeline stage closes s.next.in, and main
// closes first.in, where first := &Stage{...}: both are the field in of a
// Stage, but s.next holds only what the package stores in the field next,
// and when that is never first's value (each store is another &Stage{...}
// or a variable made by one), the two Stages differ. Their in channels
// differ too when no two Stages share one: every store to in is a make of
// its own and no Stage is ever copied by value. The package must see
// every store: the fields are unexported (or the package is main) and no
// literal sets them by position.

// fieldOwners holds what OtherOwner reads of the whole package, computed
// in one walk.
type fieldOwners struct {
	// positional: fields some literal sets by position.
	positional map[*types.Var]bool
	// byValue: named struct types some value of which may be copied: a
	// variable, parameter, field or expression of the type itself (not a
	// pointer to it; a composite literal aside), or a method with a value
	// receiver.
	byValue map[*types.TypeName]bool
}

func (p *Package) owners() *fieldOwners {
	p.ownersOnce.Do(func() {
		o := &fieldOwners{positional: map[*types.Var]bool{}, byValue: map[*types.TypeName]bool{}}
		p.fieldOwn = o
		info := p.Info
		if info == nil {
			return
		}
		named := func(t types.Type) *types.TypeName {
			n, ok := types.Unalias(t).(*types.Named)
			if !ok {
				return nil
			}
			if _, ok := n.Underlying().(*types.Struct); !ok {
				return nil
			}
			return n.Origin().Obj()
		}
		for e, tv := range info.Types {
			if tv.IsType() || tv.Type == nil {
				continue
			}
			if _, lit := e.(*ast.CompositeLit); lit {
				continue
			}
			if tn := named(tv.Type); tn != nil {
				o.byValue[tn] = true
			}
		}
		for _, obj := range info.Defs {
			switch obj := obj.(type) {
			case *types.Var:
				if tn := named(obj.Type()); tn != nil {
					o.byValue[tn] = true
				}
			case *types.Func:
				if sig, ok := obj.Type().(*types.Signature); ok && sig.Recv() != nil {
					if tn := named(sig.Recv().Type()); tn != nil {
						o.byValue[tn] = true
					}
				}
			}
		}
		for _, file := range p.Files {
			ast.Inspect(file, func(n ast.Node) bool {
				lit, ok := n.(*ast.CompositeLit)
				if !ok || len(lit.Elts) == 0 {
					return true
				}
				if _, kv := lit.Elts[0].(*ast.KeyValueExpr); kv {
					return true
				}
				t := info.TypeOf(lit)
				if t == nil {
					return true
				}
				if pt, ok := t.Underlying().(*types.Pointer); ok {
					t = pt.Elem()
				}
				st, ok := t.Underlying().(*types.Struct)
				if !ok {
					return true
				}
				for i := range lit.Elts {
					if i < st.NumFields() {
						o.positional[st.Field(i).Origin()] = true
					}
				}
				return true
			})
		}
	})
	return p.fieldOwn
}

// seesEveryStore: every store to the field f is in the package's code.
func (p *Package) seesEveryStore(f *types.Var) bool {
	if f == nil || p.owners().positional[f.Origin()] {
		return false
	}
	return !f.Exported() || p.Types != nil && p.Types.Name() == "main"
}

// freshAlloc reports whether e allocates a value of its own: &T{...} or
// new(T).
func (p *Package) freshAlloc(e ast.Expr) bool {
	switch e := ast.Unparen(e).(type) {
	case *ast.UnaryExpr:
		_, ok := ast.Unparen(e.X).(*ast.CompositeLit)
		return e.Op == token.AND && ok
	case *ast.CallExpr:
		id, ok := ast.Unparen(e.Fun).(*ast.Ident)
		if !ok {
			return false
		}
		b, ok := p.Info.Uses[id].(*types.Builtin)
		return ok && b.Name() == "new"
	}
	return false
}

// allocOf is the allocation a variable assigned exactly once (and never
// addressed) is assigned: &T{...} or new(T); nil otherwise.
func (p *Package) allocOf(v types.Object) ast.Expr {
	if e := p.SingleAssigns()[v]; e != nil && p.freshAlloc(e) {
		return e
	}
	return nil
}

// neverHolds reports whether the pointer field g never holds the value
// allocated at alloc: every store to g is nil, another allocation, or a
// variable assigned once from another allocation.
func (p *Package) neverHolds(g *types.Var, alloc ast.Expr) bool {
	if !p.seesEveryStore(g) {
		return false
	}
	for _, s := range p.FieldSets(g.Origin()) {
		switch s.Kind {
		case FieldReceiver:
			continue // a method of *T cannot change the pointer g holds
		case FieldAssign, FieldLiteral:
		default:
			return false
		}
		v := ast.Unparen(s.Value)
		if v == nil {
			return false
		}
		if id, ok := v.(*ast.Ident); ok {
			obj := p.Info.Uses[id]
			if _, isNil := obj.(*types.Nil); isNil {
				continue
			}
			if e := p.allocOf(obj); e != nil && e != alloc {
				continue
			}
			return false
		}
		if !p.freshAlloc(v) || v == ast.Unparen(alloc) {
			return false
		}
	}
	return true
}

// ownChan reports whether no two values of the struct type tn share the
// channel of their field f: every store to f makes a channel of its own,
// and no value of tn is copied.
func (p *Package) ownChan(tn *types.TypeName, f *types.Var) bool {
	if tn == nil || !p.seesEveryStore(f) || p.owners().byValue[tn] {
		return false
	}
	for _, s := range p.FieldSets(f.Origin()) {
		if s.Kind != FieldAssign && s.Kind != FieldLiteral {
			return false
		}
		call, ok := ast.Unparen(s.Value).(*ast.CallExpr)
		if !ok {
			return false
		}
		id, ok := ast.Unparen(call.Fun).(*ast.Ident)
		if !ok {
			return false
		}
		if b, ok := p.Info.Uses[id].(*types.Builtin); !ok || b.Name() != "make" {
			return false
		}
	}
	return true
}

// OtherOwner reports whether the channel operands x and y, both the
// field f of a struct type T, are fields of two different values, one
// reached through a field of another value: x is a.f, with a assigned
// once from &T{...} or new(T) and never addressed, y is z.g.f, and the
// field g never holds a's value (neverHolds), while no two values of T
// share a channel in f (ownChan). Either order.
func (p *Package) OtherOwner(x, y ast.Expr) bool {
	if p == nil || p.Info == nil {
		return false
	}
	return p.otherOwner(x, y) || p.otherOwner(y, x)
}

func (p *Package) otherOwner(x, y ast.Expr) bool {
	fieldOf := func(e ast.Expr) (*ast.SelectorExpr, *types.Var) {
		sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
		if !ok {
			return nil, nil
		}
		s := p.Info.Selections[sel]
		if s == nil || s.Kind() != types.FieldVal || len(s.Index()) != 1 {
			return nil, nil
		}
		v, _ := s.Obj().(*types.Var)
		return sel, v
	}
	xs, f := fieldOf(x)
	ys, f2 := fieldOf(y)
	if f == nil || f != f2 {
		return false
	}
	id, ok := ast.Unparen(xs.X).(*ast.Ident)
	if !ok {
		return false
	}
	alloc := p.allocOf(p.Info.Uses[id])
	if alloc == nil {
		return false
	}
	_, g := fieldOf(ys.X)
	if g == nil {
		return false
	}
	ptr, ok := g.Type().Underlying().(*types.Pointer)
	if !ok {
		return false
	}
	tn, ok := types.Unalias(ptr.Elem()).(*types.Named)
	if !ok {
		return false
	}
	if xt := p.Info.TypeOf(xs.X); xt == nil || !types.Identical(xt, g.Type()) {
		return false
	}
	return p.neverHolds(g, alloc) && p.ownChan(tn.Origin().Obj(), f)
}

// MakeOtherOwner reports whether the channel operand y is not the channel
// the make in the key kv of the allocation alloc (&T{f: make(...)}) makes:
// y is the field f of another value, a.f with a assigned once from
// another allocation, or z.g.f where the field g never holds alloc's value
// (neverHolds), while no two values of T share a channel in f (ownChan).
func (p *Package) MakeOtherOwner(alloc *ast.UnaryExpr, kv *ast.KeyValueExpr, y ast.Expr) bool {
	if p == nil || p.Info == nil {
		return false
	}
	k, ok := kv.Key.(*ast.Ident)
	if !ok {
		return false
	}
	f, ok := p.Info.Uses[k].(*types.Var)
	if !ok || !f.IsField() {
		return false
	}
	ys, ok := ast.Unparen(y).(*ast.SelectorExpr)
	if !ok {
		return false
	}
	if s := p.Info.Selections[ys]; s == nil || s.Kind() != types.FieldVal || s.Obj() != f || len(s.Index()) != 1 {
		return false
	}
	tn, ok := types.Unalias(p.Info.TypeOf(alloc.X)).(*types.Named)
	if !ok || !p.ownChan(tn.Origin().Obj(), f) {
		return false
	}
	switch x := ast.Unparen(ys.X).(type) {
	case *ast.Ident:
		a := p.allocOf(p.Info.Uses[x])
		return a != nil && ast.Unparen(a) != ast.Expr(alloc)
	case *ast.SelectorExpr:
		s := p.Info.Selections[x]
		if s == nil || s.Kind() != types.FieldVal || len(s.Index()) != 1 {
			return false
		}
		g, ok := s.Obj().(*types.Var)
		return ok && p.neverHolds(g, alloc)
	}
	return false
}
