package model

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"
)

// Values built by constructors: api := newMembersAPI(c), where every
// return of newMembersAPI is &membersAPI{client: param}, makes api.client
// the argument c. A lock reached through api.client (api.Leader() →
// m.client.Do() → c.RLock()) is then a lock of c, the same instance the
// caller may hold (GoKer etcd/6708). Only fields nothing in the package
// assigns count (a later api.client = other would break the equality).

// ctorValue is a local variable holding a constructor's result, or a
// composite literal: c := &tree{parent: t} makes c.parent the variable t
// (when nothing in the package assigns the field parent and nothing
// assigns t again).
type ctorValue struct {
	call   *ast.CallExpr
	fields map[string]int // field name → parameter index
	// lit, for a composite literal, maps a field name to the value it
	// is set to there.
	lit map[string]ast.Expr
	at  token.Pos // the call or the literal
}

// ctorValues maps the local variables assigned once from a call of a
// package constructor to what the constructor stores in its result.
func (p *Package) ctorValues() map[types.Object]ctorValue {
	p.ctorsOnce.Do(func() {
		assigned := map[types.Object]bool{}
		// rebound: variables assigned after their definition, or whose
		// address is taken.
		rebound := map[types.Object]bool{}
		for _, file := range p.Files {
			ast.Inspect(file, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.AssignStmt:
					for _, l := range n.Lhs {
						switch l := ast.Unparen(l).(type) {
						case *ast.SelectorExpr:
							if sel := p.Info.Selections[l]; sel != nil && sel.Kind() == types.FieldVal {
								assigned[sel.Obj()] = true
							}
						case *ast.Ident:
							if p.Info.Defs[l] == nil && p.Info.Uses[l] != nil {
								rebound[p.Info.Uses[l]] = true
							}
						}
					}
				case *ast.UnaryExpr:
					if n.Op != token.AND {
						break
					}
					switch x := ast.Unparen(n.X).(type) {
					case *ast.Ident:
						rebound[p.Info.Uses[x]] = true
					case *ast.SelectorExpr:
						// &v.f: f may be written through the pointer.
						if sel := p.Info.Selections[x]; sel != nil && sel.Kind() == types.FieldVal {
							assigned[sel.Obj()] = true
						}
					}
				}
				return true
			})
		}
		out := map[types.Object]ctorValue{}
		for obj, val := range p.SingleAssigns() {
			v, ok := obj.(*types.Var)
			if !ok || v.IsField() || v.Parent() == nil || v.Parent() == v.Pkg().Scope() {
				continue
			}
			if fields := p.literalFields(val, assigned, rebound); len(fields) > 0 {
				out[obj] = ctorValue{lit: fields, at: val.Pos()}
				continue
			}
			call, ok := ast.Unparen(val).(*ast.CallExpr)
			if !ok {
				continue
			}
			fn := CalledFunc(p.Info, call)
			if fn == nil || p.FuncDecl(fn) == nil {
				continue
			}
			if sig := fn.Type().(*types.Signature); sig.Recv() != nil || sig.Variadic() {
				continue
			}
			if fields := p.ctorFields(fn, p.FuncDecl(fn), assigned); len(fields) > 0 {
				out[obj] = ctorValue{call: call, fields: fields, at: call.Pos()}
			}
		}
		p.ctors = out
	})
	return p.ctors
}

// ctorFields reads what every return of fn stores in the fields of its
// result: &T{f: param} or T{f: param}, the same in each.
func (p *Package) ctorFields(fn *types.Func, fd *ast.FuncDecl, assigned map[types.Object]bool) map[string]int {
	sig := fn.Type().(*types.Signature)
	results, ok := SingleResults(fd.Body)
	if !ok {
		return nil
	}
	var out map[string]int
	for _, r := range results {
		r = ast.Unparen(r)
		if u, isAddr := r.(*ast.UnaryExpr); isAddr && u.Op == token.AND {
			r = ast.Unparen(u.X)
		}
		lit, isLit := r.(*ast.CompositeLit)
		if !isLit {
			return nil
		}
		fields := map[string]int{}
		for _, e := range lit.Elts {
			kv, isKV := e.(*ast.KeyValueExpr)
			if !isKV {
				continue
			}
			key, _ := kv.Key.(*ast.Ident)
			id, _ := ast.Unparen(kv.Value).(*ast.Ident)
			if key == nil || id == nil {
				continue
			}
			fv, _ := p.Info.Uses[key].(*types.Var)
			if fv == nil || assigned[fv] {
				continue
			}
			for i := 0; i < sig.Params().Len(); i++ {
				if p.Info.Uses[id] == sig.Params().At(i) {
					fields[key.Name] = i
				}
			}
		}
		if out != nil && !sameFields(out, fields) {
			return nil
		}
		out = fields
	}
	return out
}

func sameFields(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

// SingleResults lists the results of a function body's return statements
// with one result (outside its function literals); ok is false when it
// has none or one with another count.
func SingleResults(body ast.Node) (out []ast.Expr, ok bool) {
	ok = true
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			if len(n.Results) != 1 {
				ok = false
				return false
			}
			out = append(out, n.Results[0])
		}
		return true
	})
	return out, ok && len(out) > 0
}

// throughCtor rewrites a path through a constructor's result field to the
// argument stored there: api.client.mu → c.mu.
func (p *Package) throughCtor(m Ref) Ref {
	cv, ok := p.ctorValues()[m.Root]
	if !ok || !strings.HasPrefix(m.Path, ".") {
		return m
	}
	rest := m.Path[1:]
	name, tail := rest, ""
	if i := strings.IndexByte(rest, '.'); i >= 0 {
		name, tail = rest[:i], rest[i:]
	}
	var val ast.Expr
	if cv.lit != nil {
		val = cv.lit[name]
	} else if idx, ok := cv.fields[name]; ok && idx < len(cv.call.Args) {
		val = cv.call.Args[idx]
	}
	if val == nil {
		return m
	}
	base := p.Ref(val)
	if base.Root == nil {
		return m
	}
	return Ref{Root: base.Root, Path: base.Path + tail, Class: m.Class, Text: base.Text + tail,
		Via: cv.at, ViaText: m.Root.Name() + "." + name + " is " + base.Text}
}

// literalFields reads the fields a composite literal (or its address) sets
// to a variable path: &tree{parent: t} gives parent → t. A field the
// package assigns anywhere, or a path whose variable is assigned again,
// does not count: the field may no longer hold that value.
func (p *Package) literalFields(val ast.Expr, assigned, rebound map[types.Object]bool) map[string]ast.Expr {
	e := ast.Unparen(val)
	if u, isAddr := e.(*ast.UnaryExpr); isAddr && u.Op == token.AND {
		e = ast.Unparen(u.X)
	}
	lit, ok := e.(*ast.CompositeLit)
	if !ok {
		return nil
	}
	var out map[string]ast.Expr
	for _, el := range lit.Elts {
		kv, isKV := el.(*ast.KeyValueExpr)
		if !isKV {
			continue
		}
		key, _ := kv.Key.(*ast.Ident)
		if key == nil {
			continue
		}
		fv, _ := p.Info.Uses[key].(*types.Var)
		if fv == nil || !fv.IsField() || assigned[fv] {
			continue
		}
		r := p.RawRef(kv.Value)
		if r.Root == nil || rebound[r.Root] {
			continue
		}
		if v, isVar := r.Root.(*types.Var); !isVar || v.Parent() == v.Pkg().Scope() {
			continue // a package variable may be assigned from anywhere
		}
		if out == nil {
			out = map[string]ast.Expr{}
		}
		out[key.Name] = kv.Value
	}
	return out
}
