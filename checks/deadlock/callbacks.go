package deadlock

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"
)

// Callbacks in func-typed fields: le.cp(ctx) calls whatever function was
// stored in the field cp. When a function stored there locks a mutex of
// the value it is stored on (the closure captures le and calls
// le.Checkpoint(), which locks le.mu; or the method value le.flush), a
// goroutine that holds le.mu and calls le.cp locks it again (GoKer
// etcd/10492). The stores are found in the package:
//
//	owner.f = func() { … }          a function literal
//	owner.f = fn                    a local variable holding one literal
//	owner.f = owner.method          a method value
//	owner.f = param                 in a function whose callers pass one of the above
//	T{f: func() { … }}              (the owner unnamed: its locks count by field only)
//
// Each stored function's locks are kept relative to the owner, so a call
// on another value's field does not count as the same mutex.

// callback is one function stored in a func-typed field.
type callback struct {
	lit    *unit       // a function literal, or
	method *types.Func // a method value, with
	recv   mutex       // its receiver, in the terms of owner
	owner  mutex       // the value the field is stored on (root nil: unnamed)
	at     token.Pos   // the store
	// classOnly: the literal's variables are not the store's (it was
	// returned by a call), so none of its locks is the owner's.
	classOnly bool
	// viaCall is set for a callback passed as an argument of the call
	// to the function that stores its parameter.
	viaCall *callEvent
}

// findCallbacks collects the stores into func-typed fields.
func (st *analysisState) findCallbacks() map[types.Object][]callback {
	out := map[types.Object][]callback{}
	assigns := st.pkg.SingleAssigns()
	for _, file := range st.pass.Files {
		for _, d := range file.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			fn, _ := st.pass.TypesInfo.Defs[fd.Name].(*types.Func)
			ast.Inspect(fd.Body, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.AssignStmt:
					if len(n.Lhs) != len(n.Rhs) {
						return true
					}
					for i, l := range n.Lhs {
						f, owner := st.funcField(l)
						if f == nil {
							continue
						}
						for _, cb := range st.storedFuncs(fn, n.Rhs[i], assigns) {
							if cb.viaCall != nil {
								// Stored through a parameter: owner in
								// the caller's terms.
								cb.owner = st.ownerAtCall(fn, owner, cb)
							} else {
								cb.owner = owner
							}
							cb.at = n.Pos()
							out[f] = append(out[f], cb)
						}
					}
				case *ast.KeyValueExpr:
					id, ok := n.Key.(*ast.Ident)
					if !ok {
						return true
					}
					v, ok := st.pass.TypesInfo.Uses[id].(*types.Var)
					if !ok || !v.IsField() || !isFunc(v.Type()) {
						return true
					}
					for _, cb := range st.storedFuncs(fn, n.Value, assigns) {
						cb.owner, cb.at = mutex{class: v}, n.Pos()
						out[v] = append(out[v], cb)
					}
				}
				return true
			})
		}
	}
	return out
}

func isFunc(t types.Type) bool {
	_, ok := t.Underlying().(*types.Signature)
	return ok
}

// funcField reads x.f where f is a func-typed field: the field and x.
func (st *analysisState) funcField(e ast.Expr) (types.Object, mutex) {
	se, ok := ast.Unparen(e).(*ast.SelectorExpr)
	if !ok {
		return nil, mutex{}
	}
	sel := st.pass.TypesInfo.Selections[se]
	if sel == nil || sel.Kind() != types.FieldVal || !isFunc(sel.Obj().Type()) {
		return nil, mutex{}
	}
	return sel.Obj(), st.refOf(se.X)
}

// storedFuncs resolves the value stored in a func-typed field to the
// functions it may be. A parameter of fn (the function doing the store)
// resolves through fn's callers in the package; the callback's owner is
// then left zero for ownerAtCall, and its param set.
func (st *analysisState) storedFuncs(fn *types.Func, e ast.Expr, assigns map[types.Object]ast.Expr) []callback {
	if cb, ok := st.funcValue(e, assigns); ok {
		return []callback{cb}
	}
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok || fn == nil {
		return nil
	}
	v, ok := st.pass.TypesInfo.Uses[id].(*types.Var)
	sig, _ := fn.Type().(*types.Signature)
	if !ok || sig == nil || sig.Variadic() {
		return nil
	}
	idx := -1
	for i := 0; i < sig.Params().Len(); i++ {
		if sig.Params().At(i) == v {
			idx = i
		}
	}
	if idx < 0 {
		return nil
	}
	var out []callback
	for _, u := range st.units {
		for _, c := range u.calls {
			if c.callee != fn.Origin() || idx >= len(c.call.Args) {
				continue
			}
			if cb, ok := st.funcValue(c.call.Args[idx], assigns); ok {
				cb.owner = mutex{} // resolved by ownerAtCall
				cb.viaCall = c
				out = append(out, cb)
			}
		}
	}
	return out
}

// funcValue reads a function literal, a local variable assigned one
// function literal, or a method value.
func (st *analysisState) funcValue(e ast.Expr, assigns map[types.Object]ast.Expr) (callback, bool) {
	switch e := ast.Unparen(e).(type) {
	case *ast.FuncLit:
		if u := st.byLit[e]; u != nil {
			return callback{lit: u}, true
		}
	case *ast.Ident:
		obj := st.pass.TypesInfo.Uses[e]
		if v, ok := obj.(*types.Var); ok && v.Parent() != nil && v.Parent() != v.Pkg().Scope() {
			if lit, ok := ast.Unparen(assigns[obj]).(*ast.FuncLit); ok && st.byLit[lit] != nil {
				return callback{lit: st.byLit[lit]}, true
			}
		}
	case *ast.CallExpr:
		// newDeleter(t): the literal the function returns. Its
		// captured variables are the callee's, not the store's: only
		// its lock classes count (owner unnamed).
		if lits := st.returnedLits(e); len(lits) == 1 {
			return callback{lit: lits[0], classOnly: true}, true
		}
	case *ast.SelectorExpr:
		sel := st.pass.TypesInfo.Selections[e]
		if sel == nil || sel.Kind() != types.MethodVal || types.IsInterface(sel.Recv()) {
			return callback{}, false
		}
		m, _ := sel.Obj().(*types.Func)
		if m == nil || m.Pkg() != st.pass.Pkg {
			return callback{}, false
		}
		return callback{method: m.Origin(), recv: st.refOf(e.X)}, true
	}
	return callback{}, false
}

// ownerAtCall maps the owner of a store made in fn (owner.f = param) into
// the terms of the call that passed the callback.
func (st *analysisState) ownerAtCall(fn *types.Func, owner mutex, cb callback) mutex {
	c := cb.viaCall
	if c == nil || owner.root == nil {
		return mutex{}
	}
	m, ok := st.mapThrough(c, mutex{root: owner.root, path: owner.path, class: owner.class, text: owner.text})
	if !ok || m.root == nil {
		return mutex{}
	}
	return m
}

// relative rewrites a stored function's lock in terms of its owner: the
// path below the owner ("" when it is not the owner's), and the lock.
func (st *analysisState) callbackAcquires(cb callback) []callAcq {
	var raw []callAcq
	if cb.lit != nil {
		for _, a := range st.acquiresOf(cb.lit) {
			raw = append(raw, callAcq{a: a, mu: a.mu})
		}
	} else if cb.method != nil {
		sig := cb.method.Type().(*types.Signature)
		for _, a := range st.acquires(cb.method) {
			mu := mutex{class: a.mu.class, text: a.mu.text, once: a.mu.once}
			if sig.Recv() != nil && a.mu.root == sig.Recv() && cb.recv.root != nil {
				mu.root, mu.path = cb.recv.root, cb.recv.path+a.mu.path
			}
			a.chain = append([]string{cb.method.Name() + "()"}, a.chain...)
			raw = append(raw, callAcq{a: a, mu: mu})
		}
	}
	var out []callAcq
	for _, r := range raw {
		rel := mutex{class: r.mu.class, text: r.mu.text, once: r.mu.once}
		relative := false
		if o := cb.owner; !cb.classOnly && o.root != nil && r.mu.root == o.root && strings.HasPrefix(r.mu.path, o.path+".") {
			rel.root, rel.path, relative = o.root, r.mu.path[len(o.path):], true
		} else if v, ok := r.mu.root.(*types.Var); ok && v.Parent() == v.Pkg().Scope() {
			rel = r.mu // a package-level mutex is the same everywhere
		}
		r.a.storedAt = cb.at
		out = append(out, callAcq{a: r.a, mu: rel, relative: relative})
	}
	return out
}

// fieldAcquires lists the mutexes a call of a func-typed field may lock,
// in the caller's terms: the stored functions' locks of their owner become
// locks of the value the field is read from here.
func (st *analysisState) fieldAcquires(c *callEvent) []callAcq {
	cbs := st.callbacks[c.field]
	if len(cbs) == 0 {
		return nil
	}
	o := st.refOf(c.owner)
	var out []callAcq
	for _, cb := range cbs {
		for _, r := range st.callbackAcquires(cb) {
			mu := r.mu
			if r.relative {
				mu = mutex{class: r.mu.class, text: r.mu.text, once: r.mu.once}
				if o.root != nil {
					mu.root, mu.path, mu.text = o.root, o.path+r.mu.path, o.text+r.mu.path
				}
			}
			out = append(out, callAcq{a: r.a, mu: mu})
		}
	}
	return out
}
