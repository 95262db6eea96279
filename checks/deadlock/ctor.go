package deadlock

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

// findCtorValues maps the local variables assigned once from a call of a
// package constructor to what the constructor stores in its result.
func (st *analysisState) findCtorValues(assigns map[types.Object]ast.Expr) map[types.Object]ctorValue {
	decls := map[*types.Func]*ast.FuncDecl{}
	assigned := map[types.Object]bool{}
	for _, file := range st.pass.Files {
		for _, d := range file.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Body != nil {
				if fn, ok := st.pass.TypesInfo.Defs[fd.Name].(*types.Func); ok {
					decls[fn] = fd
				}
			}
		}
		ast.Inspect(file, func(n ast.Node) bool {
			if as, ok := n.(*ast.AssignStmt); ok {
				for _, l := range as.Lhs {
					if se, ok := ast.Unparen(l).(*ast.SelectorExpr); ok {
						if sel := st.pass.TypesInfo.Selections[se]; sel != nil && sel.Kind() == types.FieldVal {
							assigned[sel.Obj()] = true
						}
					}
				}
			}
			return true
		})
	}
	out := map[types.Object]ctorValue{}
	for obj, val := range assigns {
		v, ok := obj.(*types.Var)
		if !ok || v.IsField() || v.Parent() == nil || v.Parent() == v.Pkg().Scope() {
			continue
		}
		call, ok := ast.Unparen(val).(*ast.CallExpr)
		if !ok {
			continue
		}
		fn := calledFunc(st.pass.TypesInfo, call)
		if fn == nil || decls[fn] == nil {
			continue
		}
		if sig := fn.Type().(*types.Signature); sig.Recv() != nil || sig.Variadic() {
			continue
		}
		if fields := st.ctorFields(fn, decls[fn], assigned); len(fields) > 0 {
			out[obj] = ctorValue{call: call, fields: fields}
		}
	}
	return out
}

// ctorFields reads what every return of fn stores in the fields of its
// result: &T{f: param} or T{f: param}, the same in each.
func (st *analysisState) ctorFields(fn *types.Func, fd *ast.FuncDecl, assigned map[types.Object]bool) map[string]int {
	sig := fn.Type().(*types.Signature)
	results, ok := singleResults(fd.Body) // dispatch.go
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
			fv, _ := st.pass.TypesInfo.Uses[key].(*types.Var)
			if fv == nil || assigned[fv] {
				continue
			}
			for i := 0; i < sig.Params().Len(); i++ {
				if st.pass.TypesInfo.Uses[id] == sig.Params().At(i) {
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

// throughCtor rewrites a path through a constructor's result field to the
// argument stored there: api.client.mu → c.mu.
func (st *analysisState) throughCtor(m mutex) mutex {
	cv, ok := st.ctors[m.root]
	if !ok || !strings.HasPrefix(m.path, ".") {
		return m
	}
	rest := m.path[1:]
	name, tail := rest, ""
	if i := strings.IndexByte(rest, '.'); i >= 0 {
		name, tail = rest[:i], rest[i:]
	}
	idx, ok := cv.fields[name]
	if !ok || idx >= len(cv.call.Args) {
		return m
	}
	base := st.refOf(cv.call.Args[idx])
	if base.root == nil {
		return m
	}
	return mutex{root: base.root, path: base.path + tail, class: m.class, text: base.text + tail, once: m.once}
}
