package lockfacts

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

// Callback is one function stored in a func-typed field.
type Callback struct {
	Lit    *Unit       // a function literal, or
	Method *types.Func // a method value, with
	Recv   Mutex       // its receiver, in the terms of owner
	Owner  Mutex       // the value the field is stored on (root nil: unnamed)
	At     token.Pos   // the store
	// ClassOnly: the literal's variables are not the store's (it was
	// returned by a call), so none of its locks is the owner's.
	ClassOnly bool
	// ViaCall is set for a callback passed as an argument of the call
	// to the function that stores its parameter.
	ViaCall *CallEvent
}

// findCallbacks collects the stores into func-typed fields.
func (st *Facts) findCallbacks() map[types.Object][]Callback {
	out := map[types.Object][]Callback{}
	assigns := st.Pkg.SingleAssigns()
	for _, file := range st.Pkg.Files {
		for _, d := range file.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			fn, _ := st.Pkg.Info.Defs[fd.Name].(*types.Func)
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
							if cb.ViaCall != nil {
								// Stored through a parameter: owner in
								// the caller's terms.
								cb.Owner = st.ownerAtCall(fn, owner, cb)
							} else {
								cb.Owner = owner
							}
							cb.At = n.Pos()
							out[f] = append(out[f], cb)
						}
					}
				case *ast.KeyValueExpr:
					id, ok := n.Key.(*ast.Ident)
					if !ok {
						return true
					}
					v, ok := st.Pkg.Info.Uses[id].(*types.Var)
					if !ok || !v.IsField() || !isFunc(v.Type()) {
						return true
					}
					for _, cb := range st.storedFuncs(fn, n.Value, assigns) {
						cb.Owner, cb.At = Mutex{Class: v}, n.Pos()
						out[v] = append(out[v], cb)
					}
				}
				return true
			})
		}
	}
	// Functions put into a slice or map field (elemcallbacks.go).
	for _, es := range st.elems().stores {
		for _, cb := range st.storedFuncs(es.fn, es.value, assigns) {
			switch {
			case es.owner == nil:
				cb.Owner = Mutex{Class: es.field}
			case cb.ViaCall != nil:
				cb.Owner = st.ownerAtCall(es.fn, st.refOf(es.owner), cb)
			default:
				cb.Owner = st.refOf(es.owner)
			}
			cb.At = es.at
			out[es.field] = append(out[es.field], cb)
		}
	}
	return out
}

func isFunc(t types.Type) bool {
	_, ok := t.Underlying().(*types.Signature)
	return ok
}

// funcField reads x.f where f is a func-typed field: the field and x.
func (st *Facts) funcField(e ast.Expr) (types.Object, Mutex) {
	se, ok := ast.Unparen(e).(*ast.SelectorExpr)
	if !ok {
		return nil, Mutex{}
	}
	sel := st.Pkg.Info.Selections[se]
	if sel == nil || sel.Kind() != types.FieldVal || !isFunc(sel.Obj().Type()) {
		return nil, Mutex{}
	}
	return sel.Obj(), st.refOf(se.X)
}

// storedFuncs resolves the value stored in a func-typed field to the
// functions it may be. A parameter of fn (the function doing the store)
// resolves through fn's callers in the package; the callback's owner is
// then left zero for ownerAtCall, and its param set.
func (st *Facts) storedFuncs(fn *types.Func, e ast.Expr, assigns map[types.Object]ast.Expr) []Callback {
	if cb, ok := st.FuncValue(e, assigns); ok {
		return []Callback{cb}
	}
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok || fn == nil {
		return nil
	}
	v, ok := st.Pkg.Info.Uses[id].(*types.Var)
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
	var out []Callback
	for _, u := range st.Units {
		for _, c := range u.Calls {
			if c.Callee != fn.Origin() || idx >= len(c.Call.Args) {
				continue
			}
			if cb, ok := st.FuncValue(c.Call.Args[idx], assigns); ok {
				cb.Owner = Mutex{} // resolved by ownerAtCall
				cb.ViaCall = c
				out = append(out, cb)
			}
		}
	}
	return out
}

// FuncValue reads a function literal, a local variable assigned one
// function literal, or a method value.
func (st *Facts) FuncValue(e ast.Expr, assigns map[types.Object]ast.Expr) (Callback, bool) {
	switch e := ast.Unparen(e).(type) {
	case *ast.FuncLit:
		if u := st.byLit[e]; u != nil {
			return Callback{Lit: u}, true
		}
	case *ast.Ident:
		obj := st.Pkg.Info.Uses[e]
		if v, ok := obj.(*types.Var); ok && v.Parent() != nil && v.Parent() != v.Pkg().Scope() {
			if lit, ok := ast.Unparen(assigns[obj]).(*ast.FuncLit); ok && st.byLit[lit] != nil {
				return Callback{Lit: st.byLit[lit]}, true
			}
		}
	case *ast.CallExpr:
		// newDeleter(t): the literal the function returns. Its
		// captured variables are the callee's, not the store's: only
		// its lock classes count (owner unnamed).
		if lits := st.returnedLits(e); len(lits) == 1 {
			return Callback{Lit: lits[0], ClassOnly: true}, true
		}
	case *ast.SelectorExpr:
		sel := st.Pkg.Info.Selections[e]
		if sel == nil || sel.Kind() != types.MethodVal || types.IsInterface(sel.Recv()) {
			return Callback{}, false
		}
		m, _ := sel.Obj().(*types.Func)
		if m == nil || m.Pkg() != st.Pkg.Types {
			return Callback{}, false
		}
		return Callback{Method: m.Origin(), Recv: st.refOf(e.X)}, true
	}
	return Callback{}, false
}

// ownerAtCall maps the owner of a store made in fn (owner.f = param) into
// the terms of the call that passed the callback.
func (st *Facts) ownerAtCall(fn *types.Func, owner Mutex, cb Callback) Mutex {
	c := cb.ViaCall
	if c == nil || owner.Root == nil {
		return Mutex{}
	}
	m, ok := st.MapThrough(c, Mutex{Root: owner.Root, Path: owner.Path, Class: owner.Class, Text: owner.Text})
	if !ok || m.Root == nil {
		return Mutex{}
	}
	return m
}

// relative rewrites a stored function's lock in terms of its owner: the
// path below the owner ("" when it is not the owner's), and the lock.
func (st *Facts) callbackAcquires(cb Callback) []CallAcq {
	var raw []CallAcq
	if cb.Lit != nil {
		for _, a := range st.AcquiresOf(cb.Lit) {
			raw = append(raw, CallAcq{A: a, Mu: a.Mu})
		}
	} else if cb.Method != nil {
		sig := cb.Method.Type().(*types.Signature)
		for _, a := range st.Acquires(cb.Method) {
			mu := Mutex{Class: a.Mu.Class, Text: a.Mu.Text, Once: a.Mu.Once}
			if sig.Recv() != nil && a.Mu.Root == sig.Recv() && cb.Recv.Root != nil {
				mu.Root, mu.Path = cb.Recv.Root, cb.Recv.Path+a.Mu.Path
			}
			a.Chain = append([]string{cb.Method.Name() + "()"}, a.Chain...)
			raw = append(raw, CallAcq{A: a, Mu: mu})
		}
	}
	var out []CallAcq
	for _, r := range raw {
		rel := Mutex{Class: r.Mu.Class, Text: r.Mu.Text, Once: r.Mu.Once}
		relative := false
		if o := cb.Owner; !cb.ClassOnly && o.Root != nil && r.Mu.Root == o.Root && strings.HasPrefix(r.Mu.Path, o.Path+".") {
			rel.Root, rel.Path, relative = o.Root, r.Mu.Path[len(o.Path):], true
		} else if v, ok := r.Mu.Root.(*types.Var); ok && v.Parent() == v.Pkg().Scope() {
			rel = r.Mu // a package-level mutex is the same everywhere
		}
		r.A.StoredAt = cb.At
		if cb.ViaCall != nil {
			r.A.PassedAt = cb.ViaCall.Call.Pos()
		}
		out = append(out, CallAcq{A: r.A, Mu: rel, Relative: relative})
	}
	return out
}

// fieldAcquires lists the mutexes a call of a func-typed field may lock,
// in the caller's terms: the stored functions' locks of their owner become
// locks of the value the field is read from here.
func (st *Facts) fieldAcquires(c *CallEvent) []CallAcq {
	cbs := st.callbacks[c.Field]
	if len(cbs) == 0 {
		return nil
	}
	o := st.refOf(c.Owner)
	var out []CallAcq
	for _, cb := range cbs {
		for _, r := range st.callbackAcquires(cb) {
			mu := r.Mu
			if r.Relative {
				mu = Mutex{Class: r.Mu.Class, Text: r.Mu.Text, Once: r.Mu.Once}
				if o.Root != nil {
					mu.Root, mu.Path, mu.Text = o.Root, o.Path+r.Mu.Path, o.Text+r.Mu.Path
				}
			}
			out = append(out, CallAcq{A: r.A, Mu: mu})
		}
	}
	return out
}
