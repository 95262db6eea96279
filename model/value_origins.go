package model

import (
	"go/ast"
	"go/token"
	"go/types"
)

// Where a local variable's value is read from. `for _, c := range
// n.children` makes c an element of n.children, and `nx := s.next` makes
// nx the value of s.next: a value reached through a field of n or of s.
// Said in n's terms, c.mu is n.children[].mu, which is n.mu only when n is
// its own child, a cycle nothing proves; the deadlock facts read it so
// (lockfacts/othervalue.go) and do not take a Lock of c.mu for the n.mu
// another goroutine holds.

// ValueOrigin returns, for a local variable whose every value is read
// through a field of another variable, the path it is read from: the value
// variable of a range (:=) over a slice, array or map x.f (Path ".f[]"),
// or a variable defined once from x.f, x.f[i] or (*x).f.g (indexes
// written "[]") and never assigned again nor addressed. ok is false for
// any other variable (one copied from a plain variable, b := a, too).
// Computed on first read, in one walk of the package.
func (p *Package) ValueOrigin(v types.Object) (Ref, bool) {
	if v == nil {
		return Ref{}, false
	}
	p.originsOnce.Do(p.collectValueOrigins)
	r, ok := p.origins[v]
	return r, ok
}

func (p *Package) collectValueOrigins() {
	info := p.Info
	p.origins = map[types.Object]Ref{}
	if info == nil {
		return
	}
	writes := map[types.Object]int{} // assignments after the definition, &v
	cands := map[types.Object]Ref{}
	obj := func(id *ast.Ident) types.Object {
		if o := info.Defs[id]; o != nil {
			return o
		}
		return info.Uses[id]
	}
	local := func(o types.Object) bool {
		v, ok := o.(*types.Var)
		return ok && !v.IsField() && v.Pkg() != nil && v.Parent() != nil && v.Parent() != v.Pkg().Scope()
	}
	for _, file := range p.Files {
		ast.Inspect(file, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.RangeStmt:
				for _, e := range []ast.Expr{n.Key, n.Value} {
					if id, ok := e.(*ast.Ident); ok && n.Tok != token.DEFINE {
						writes[obj(id)]++
					}
				}
				id, ok := n.Value.(*ast.Ident)
				if !ok || n.Tok != token.DEFINE {
					break
				}
				t := info.TypeOf(n.X)
				if t == nil {
					break
				}
				switch t.Underlying().(type) {
				case *types.Slice, *types.Array, *types.Map:
				default:
					return true
				}
				if r, ok := p.fieldPath(n.X); ok {
					if o := info.Defs[id]; local(o) {
						r.Path += "[]"
						cands[o] = r
					}
				}
			case *ast.AssignStmt:
				for i, l := range n.Lhs {
					id, ok := ast.Unparen(l).(*ast.Ident)
					if !ok {
						continue
					}
					o := obj(id)
					if n.Tok != token.DEFINE || info.Defs[id] == nil {
						writes[o]++
						continue
					}
					if len(n.Lhs) != len(n.Rhs) || !local(o) {
						continue
					}
					if r, ok := p.fieldPath(n.Rhs[i]); ok {
						cands[o] = r
					}
				}
			case *ast.ValueSpec:
				for i, id := range n.Names {
					if o := info.Defs[id]; local(o) && len(n.Values) == len(n.Names) {
						if r, ok := p.fieldPath(n.Values[i]); ok {
							cands[o] = r
						}
					}
				}
			case *ast.IncDecStmt:
				if id, ok := ast.Unparen(n.X).(*ast.Ident); ok {
					writes[obj(id)]++
				}
			case *ast.UnaryExpr:
				if id, ok := ast.Unparen(n.X).(*ast.Ident); ok && n.Op == token.AND {
					writes[obj(id)]++
				}
			}
			return true
		})
	}
	for o, r := range cands {
		if writes[o] == 0 {
			p.origins[o] = r
		}
	}
}

// fieldPath names the path e reads, as Ref does, with each index written
// "[]": x.f, x.f[i].g, (*x).f. ok only when the path reads a field.
func (p *Package) fieldPath(e ast.Expr) (Ref, bool) {
	var walk func(e ast.Expr) (Ref, bool)
	walk = func(e ast.Expr) (Ref, bool) {
		switch e := ast.Unparen(e).(type) {
		case *ast.Ident:
			if v, ok := p.Info.Uses[e].(*types.Var); ok && !v.IsField() {
				return Ref{Root: v, Text: e.Name}, true
			}
		case *ast.StarExpr:
			return walk(e.X)
		case *ast.IndexExpr:
			t := p.Info.TypeOf(e.X)
			if t == nil {
				return Ref{}, false
			}
			switch t.Underlying().(type) {
			case *types.Slice, *types.Array, *types.Map, *types.Pointer:
				r, ok := walk(e.X)
				r.Path += "[]"
				return r, ok
			}
		case *ast.SelectorExpr:
			sel := p.Info.Selections[e]
			if sel == nil || sel.Kind() != types.FieldVal {
				return Ref{}, false
			}
			r, ok := walk(e.X)
			r.Path += EmbeddedPath(sel) + "." + e.Sel.Name
			return r, ok
		}
		return Ref{}, false
	}
	r, ok := walk(e)
	if !ok || r.Root == nil {
		return Ref{}, false
	}
	for i := 0; i < len(r.Path); i++ {
		if r.Path[i] == '.' {
			r.Text = ExprText(e)
			return r, true
		}
	}
	return Ref{}, false
}
