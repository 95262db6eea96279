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

// ctorValue is a local variable holding a constructor's result.
type ctorValue struct {
	call   *ast.CallExpr
	fields map[string]int // field name → parameter index
}

// ctorValues maps the local variables assigned once from a call of a
// package constructor to what the constructor stores in its result.
func (p *Package) ctorValues() map[types.Object]ctorValue {
	p.ctorsOnce.Do(func() {
		assigned := map[types.Object]bool{}
		for _, file := range p.Files {
			ast.Inspect(file, func(n ast.Node) bool {
				if as, ok := n.(*ast.AssignStmt); ok {
					for _, l := range as.Lhs {
						if se, ok := ast.Unparen(l).(*ast.SelectorExpr); ok {
							if sel := p.Info.Selections[se]; sel != nil && sel.Kind() == types.FieldVal {
								assigned[sel.Obj()] = true
							}
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
				out[obj] = ctorValue{call: call, fields: fields}
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
	idx, ok := cv.fields[name]
	if !ok || idx >= len(cv.call.Args) {
		return m
	}
	base := p.Ref(cv.call.Args[idx])
	if base.Root == nil {
		return m
	}
	return Ref{Root: base.Root, Path: base.Path + tail, Class: m.Class, Text: base.Text + tail}
}
