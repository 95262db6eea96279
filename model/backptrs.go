package model

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"
)

// Parent pointers. A Store keeps its replicas in s.replicas, and each
// Replica points back at its store in r.store. When every replica put into
// x.replicas was built as &Replica{store: x} (the same x), and nothing
// assigns r.store afterwards, then in `for _, r := range s.replicas` the
// value r.store is s, and r.store.mu is s.mu: a read lock of s.mu held
// while a callee read-locks r.store.mu is a recursive read lock (GoKer
// cockroach/3710). The container's every use is checked: it is filled
// only by such insertions, read by range, index, len and delete, and not
// handed anywhere else.

// rangeElem is a range value variable whose back field is the holder.
type rangeElem struct {
	holder ast.Expr
	back   *types.Var
}

// backPointers computes the container fields (map or slice of *T) whose
// elements point back at their holder, by the field of T that does, and
// the range value variables over them.
func (p *Package) backPointers() (map[types.Object]*types.Var, map[types.Object]rangeElem) {
	p.backOnce.Do(func() {
		p.backPtrs = p.findBackPtrs(p.SingleAssigns())
		p.rangeElems = p.findRangeElems()
	})
	return p.backPtrs, p.rangeElems
}

func (p *Package) findBackPtrs(assigns map[types.Object]ast.Expr) map[types.Object]*types.Var {
	info := p.Info
	// Fields of pointer-to-struct type assigned outside composite
	// literals are not fixed at construction.
	assigned := map[types.Object]bool{}
	candidates := map[types.Object]*types.Var{} // container → back field
	bad := map[types.Object]bool{}
	elemStruct := func(f *types.Var) *types.Struct {
		var elem types.Type
		switch t := f.Type().Underlying().(type) {
		case *types.Map:
			elem = t.Elem()
		case *types.Slice:
			elem = t.Elem()
		default:
			return nil
		}
		p, ok := elem.Underlying().(*types.Pointer)
		if !ok {
			return nil
		}
		s, _ := p.Elem().Underlying().(*types.Struct)
		return s
	}
	// containerOf reads x.C for a container field C: the field and x.
	containerOf := func(e ast.Expr) (*types.Var, ast.Expr) {
		se, ok := ast.Unparen(e).(*ast.SelectorExpr)
		if !ok {
			return nil, nil
		}
		sel := info.Selections[se]
		if sel == nil || sel.Kind() != types.FieldVal {
			return nil, nil
		}
		f, _ := sel.Obj().(*types.Var)
		if f == nil || elemStruct(f) == nil {
			return nil, nil
		}
		return f, se.X
	}
	// backOf reads v, a local assigned once from &T{...}, and returns the
	// fields of T set to the variable holder.
	backOf := func(v ast.Expr, holder types.Object) []*types.Var {
		id, ok := ast.Unparen(v).(*ast.Ident)
		if !ok {
			return nil
		}
		val := assigns[info.Uses[id]]
		u, ok := ast.Unparen(val).(*ast.UnaryExpr)
		if !ok || u.Op != token.AND {
			return nil
		}
		lit, ok := ast.Unparen(u.X).(*ast.CompositeLit)
		if !ok {
			return nil
		}
		s, ok := info.TypeOf(lit).Underlying().(*types.Struct)
		if !ok {
			return nil
		}
		var out []*types.Var
		for i, e := range lit.Elts {
			var f *types.Var
			val := e
			if kv, isKV := e.(*ast.KeyValueExpr); isKV {
				key, _ := kv.Key.(*ast.Ident)
				if key == nil {
					continue
				}
				f, _ = info.Uses[key].(*types.Var)
				val = kv.Value
			} else if i < s.NumFields() {
				f = s.Field(i)
			}
			if vid, ok := ast.Unparen(val).(*ast.Ident); ok && f != nil && info.Uses[vid] == holder && holder != nil {
				out = append(out, f)
			}
		}
		return out
	}
	// insert records that x.C gets the element v.
	insert := func(c *types.Var, x ast.Expr, v ast.Expr) {
		hid, ok := ast.Unparen(x).(*ast.Ident)
		if !ok {
			bad[c] = true
			return
		}
		backs := backOf(v, info.Uses[hid])
		if len(backs) != 1 {
			bad[c] = true
			return
		}
		if prev, seen := candidates[c]; seen && prev != backs[0] {
			bad[c] = true
			return
		}
		candidates[c] = backs[0]
	}
	// okUse marks the uses of container fields that are accounted for.
	okUse := map[*ast.SelectorExpr]bool{}
	for _, file := range p.Files {
		ast.Inspect(file, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.AssignStmt:
				for i, l := range n.Lhs {
					l = ast.Unparen(l)
					if se, ok := l.(*ast.SelectorExpr); ok {
						if sel := info.Selections[se]; sel != nil && sel.Kind() == types.FieldVal {
							assigned[sel.Obj()] = true
						}
					}
					if len(n.Lhs) != len(n.Rhs) {
						continue
					}
					// x.C[k] = v
					if ix, ok := l.(*ast.IndexExpr); ok {
						if c, x := containerOf(ix.X); c != nil {
							okUse[ast.Unparen(ix.X).(*ast.SelectorExpr)] = true
							insert(c, x, n.Rhs[i])
						}
						continue
					}
					// x.C = append(x.C, v...) or x.C = make(...)
					if c, x := containerOf(l); c != nil {
						okUse[ast.Unparen(l).(*ast.SelectorExpr)] = true
						delete(assigned, c)
						rhs := ast.Unparen(n.Rhs[i])
						call, isCall := rhs.(*ast.CallExpr)
						if !isCall {
							bad[c] = true
							continue
						}
						switch BuiltinName(info, call) {
						case "make":
						case "append":
							if len(call.Args) < 2 || call.Ellipsis.IsValid() {
								bad[c] = true
								continue
							}
							if c2, _ := containerOf(call.Args[0]); c2 != c {
								bad[c] = true
								continue
							}
							okUse[ast.Unparen(call.Args[0]).(*ast.SelectorExpr)] = true
							for _, v := range call.Args[1:] {
								insert(c, x, v)
							}
						default:
							bad[c] = true
						}
					}
				}
			case *ast.RangeStmt:
				if se, ok := ast.Unparen(n.X).(*ast.SelectorExpr); ok {
					okUse[se] = true
				}
			case *ast.IndexExpr:
				if se, ok := ast.Unparen(n.X).(*ast.SelectorExpr); ok {
					okUse[se] = true
				}
			case *ast.CallExpr:
				if b := BuiltinName(info, n); (b == "len" || b == "delete") && len(n.Args) > 0 {
					if se, ok := ast.Unparen(n.Args[0]).(*ast.SelectorExpr); ok {
						okUse[se] = true
					}
				}
			case *ast.KeyValueExpr:
				// T{C: make(...)}: an empty container.
				if id, ok := n.Key.(*ast.Ident); ok {
					if f, ok := info.Uses[id].(*types.Var); ok && f.IsField() && elemStruct(f) != nil {
						if call, ok := ast.Unparen(n.Value).(*ast.CallExpr); !ok || BuiltinName(info, call) != "make" {
							bad[f] = true
						}
					}
				}
			}
			return true
		})
	}
	// Every other use of a container (passed, copied, returned) is not
	// accounted for.
	for _, file := range p.Files {
		ast.Inspect(file, func(n ast.Node) bool {
			if se, ok := n.(*ast.SelectorExpr); ok && !okUse[se] {
				if sel := info.Selections[se]; sel != nil && sel.Kind() == types.FieldVal {
					if _, isCand := candidates[sel.Obj()]; isCand {
						bad[sel.Obj()] = true
					}
				}
			}
			return true
		})
	}
	out := map[types.Object]*types.Var{}
	for c, back := range candidates {
		if !bad[c] && !assigned[back] {
			out[c] = back
		}
	}
	return out
}

// findRangeElems maps each range value variable over a container with a
// proven parent pointer to the range expression's holder: in
// for _, r := range s.replicas, r ↦ (s, the back field).
func (p *Package) findRangeElems() map[types.Object]rangeElem {
	out := map[types.Object]rangeElem{}
	if len(p.backPtrs) == 0 {
		return out
	}
	for _, file := range p.Files {
		ast.Inspect(file, func(n ast.Node) bool {
			rs, ok := n.(*ast.RangeStmt)
			if !ok || rs.Value == nil || rs.Tok != token.DEFINE {
				return true
			}
			se, ok := ast.Unparen(rs.X).(*ast.SelectorExpr)
			if !ok {
				return true
			}
			sel := p.Info.Selections[se]
			if sel == nil {
				return true
			}
			back, ok := p.backPtrs[sel.Obj()]
			if !ok {
				return true
			}
			id, ok := rs.Value.(*ast.Ident)
			if !ok {
				return true
			}
			if v := p.Info.Defs[id]; v != nil && !p.reassigned(v) {
				out[v] = rangeElem{holder: se.X, back: back}
			}
			return true
		})
	}
	return out
}

// reassigned reports whether v is assigned anywhere in the package (its
// range definition aside) or has its address taken.
func (p *Package) reassigned(v types.Object) bool {
	found := false
	for _, file := range p.Files {
		ast.Inspect(file, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.AssignStmt:
				for _, l := range n.Lhs {
					if id, ok := ast.Unparen(l).(*ast.Ident); ok && p.Info.Uses[id] == v {
						found = true
					}
				}
			case *ast.UnaryExpr:
				if id, ok := ast.Unparen(n.X).(*ast.Ident); ok && n.Op == token.AND && p.Info.Uses[id] == v {
					found = true
				}
			}
			return !found
		})
	}
	return found
}

// throughBackPtr rewrites r.store.mu to s.mu for a range element r over
// s.replicas whose store field points back at s.
func (p *Package) throughBackPtr(m Ref) Ref {
	_, elems := p.backPointers()
	re, ok := elems[m.Root]
	if !ok || !strings.HasPrefix(m.Path, "."+re.back.Name()) {
		return m
	}
	tail := m.Path[len(re.back.Name())+1:]
	if tail != "" && tail[0] != '.' {
		return m
	}
	base := p.Ref(re.holder)
	if base.Root == nil {
		return m
	}
	return Ref{Root: base.Root, Path: base.Path + tail, Class: m.Class, Text: base.Text + tail,
		Via: re.holder.Pos(), ViaText: m.Root.Name() + "." + re.back.Name() + " is " + base.Text}
}
