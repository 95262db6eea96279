package lockfacts

import (
	"go/ast"
	"go/token"
	"go/types"

	"github.com/golens/golens/model"
)

// Functions kept in a slice or map field: listeners, handlers, hooks.
//
//	func (n *N) Listen(f func(int)) { n.mu.Lock(); n.listeners = append(n.listeners, f); n.mu.Unlock() }
//	func (n *N) Fire(v int) {
//		n.mu.Lock()
//		defer n.mu.Unlock()
//		for _, l := range n.listeners {
//			l(v) // a listener that calls n.Count() locks n.mu again
//		}
//	}
//
// The functions put into such a field are read like those stored in a
// func-typed field (callbacks.go): relative to the value whose field holds
// them, so a listener registered on n that locks n.mu locks the mutex of
// whichever notifier fires it. That holds only when golens sees everything
// that goes into the field: it is filled only by appends of its own
// contents (x.fs = append(x.fs, f)), stores of an element (x.fs[k] = f)
// and empty values (make, nil, an empty literal), and otherwise only read
// by index, range, len and delete. A field handed elsewhere (passed,
// copied into another value's field, appended with ...) is left alone.

// elemField is a field whose type is a slice, array or map of functions.
func elemField(info *types.Info, e ast.Expr) (*types.Var, ast.Expr) {
	se, ok := ast.Unparen(e).(*ast.SelectorExpr)
	if !ok {
		return nil, nil
	}
	sel := info.Selections[se]
	if sel == nil || sel.Kind() != types.FieldVal {
		return nil, nil
	}
	f, _ := sel.Obj().(*types.Var)
	if f == nil || !holdsFuncs(f.Type()) {
		return nil, nil
	}
	return f, se.X
}

func holdsFuncs(t types.Type) bool {
	switch t := t.Underlying().(type) {
	case *types.Slice:
		return isFunc(t.Elem())
	case *types.Array:
		return isFunc(t.Elem())
	case *types.Map:
		return isFunc(t.Elem())
	}
	return false
}

// elemStore is one value put into an element field: x.fs = append(x.fs,
// v) or x.fs[k] = v (owner x), or an element of a composite literal
// T{fs: …{v}} (owner unnamed).
type elemStore struct {
	field *types.Var
	owner ast.Expr // nil: unnamed
	value ast.Expr
	at    token.Pos
	fn    *types.Func // the function doing the store
}

// elemFacts are the element fields whose every use golens accounts for,
// what goes into them, and the local variables that hold one of their
// elements.
type elemFacts struct {
	stores []elemStore
	// vars maps a variable defined from an element of a field (for _, l
	// := range n.listeners; h, ok := r.handlers[k]) and never assigned
	// again to the field and the value whose field it is.
	vars map[types.Object]elemVar
	// bad holds the element fields golens cannot see everything go into.
	bad map[*types.Var]bool
	// lits maps a local variable defined with a function literal (f :=
	// func() {…}, var f = func() {…}) to it (read by localFunc, found in
	// the same walk).
	lits map[types.Object]*ast.FuncLit
	// methods maps a local variable defined with a method value (read :=
	// c.get) to it.
	methods map[types.Object]*ast.SelectorExpr
	// rebound holds the variables assigned after their definition, or
	// whose address is taken.
	rebound map[types.Object]bool
}

type elemVar struct {
	field *types.Var
	owner ast.Expr
}

// findElemFacts walks the package once for the element fields.
func (st *Facts) findElemFacts() elemFacts {
	info := st.Pkg.Info
	bad := map[*types.Var]bool{}
	ok := map[*ast.SelectorExpr]bool{} // uses accounted for
	var stores []elemStore
	vars := map[types.Object]elemVar{}
	lits := map[types.Object]*ast.FuncLit{}
	methods := map[types.Object]*ast.SelectorExpr{}
	empty := func(e ast.Expr) bool {
		switch e := ast.Unparen(e).(type) {
		case *ast.Ident:
			return e.Name == "nil" && info.Uses[e] == types.Universe.Lookup("nil")
		case *ast.CallExpr:
			return model.BuiltinName(info, e) == "make"
		case *ast.CompositeLit:
			return len(e.Elts) == 0
		}
		return false
	}
	for _, file := range st.Pkg.Files {
		for _, d := range file.Decls {
			fd, isFn := d.(*ast.FuncDecl)
			var fn *types.Func
			if isFn {
				fn, _ = info.Defs[fd.Name].(*types.Func)
			}
			ast.Inspect(d, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.AssignStmt:
					st.elemAssign(n, fn, ok, bad, &stores, vars, empty)
					if n.Tok == token.DEFINE && len(n.Lhs) == len(n.Rhs) {
						for i, l := range n.Lhs {
							noteLit(info, lits, methods, l, n.Rhs[i])
						}
					}
				case *ast.ValueSpec:
					if len(n.Names) == len(n.Values) {
						for i, id := range n.Names {
							noteLit(info, lits, methods, id, n.Values[i])
						}
					}
				case *ast.RangeStmt:
					if f, owner := elemField(info, n.X); f != nil {
						ok[ast.Unparen(n.X).(*ast.SelectorExpr)] = true
						if id, isID := n.Value.(*ast.Ident); isID && n.Tok == token.DEFINE {
							if v := info.Defs[id]; v != nil {
								vars[v] = elemVar{field: f, owner: owner}
							}
						}
					}
				case *ast.IndexExpr:
					if _, owner := elemField(info, n.X); owner != nil {
						ok[ast.Unparen(n.X).(*ast.SelectorExpr)] = true
					}
				case *ast.CallExpr:
					// Reads: len(x.fs), delete(x.fs, k), the source of
					// copy(dst, x.fs) and of append(dst, x.fs...).
					var read ast.Expr
					switch b := model.BuiltinName(info, n); {
					case (b == "len" || b == "delete") && len(n.Args) > 0:
						read = n.Args[0]
					case b == "copy" && len(n.Args) == 2:
						read = n.Args[1]
					case b == "append" && n.Ellipsis.IsValid() && len(n.Args) == 2:
						read = n.Args[1]
					}
					if se, isSel := ast.Unparen(read).(*ast.SelectorExpr); isSel && read != nil {
						ok[se] = true
					}
				case *ast.KeyValueExpr:
					id, isID := n.Key.(*ast.Ident)
					if !isID {
						return true
					}
					f, isVar := info.Uses[id].(*types.Var)
					if !isVar || !f.IsField() || !holdsFuncs(f.Type()) {
						return true
					}
					if lit, isLit := ast.Unparen(n.Value).(*ast.CompositeLit); isLit {
						for _, e := range lit.Elts {
							if kv, isKV := e.(*ast.KeyValueExpr); isKV {
								e = kv.Value
							}
							stores = append(stores, elemStore{field: f, value: e, at: e.Pos(), fn: fn})
						}
					} else if !empty(n.Value) {
						bad[f] = true
					}
				}
				return true
			})
		}
	}
	// Every other use of an element field (passed, copied, returned,
	// appended elsewhere) lets functions in that golens does not see.
	for _, file := range st.Pkg.Files {
		ast.Inspect(file, func(n ast.Node) bool {
			if se, isSel := n.(*ast.SelectorExpr); isSel && !ok[se] {
				if f, _ := elemField(info, se); f != nil {
					bad[f] = true
				}
			}
			return true
		})
	}
	rebound := st.reboundVars()
	out := elemFacts{vars: map[types.Object]elemVar{}, bad: bad, lits: lits, methods: methods, rebound: rebound}
	for _, s := range stores {
		if !bad[s.field] {
			out.stores = append(out.stores, s)
		}
	}
	for v, ev := range vars {
		if !bad[ev.field] && !rebound[v] {
			out.vars[v] = ev
		}
	}
	return out
}

// elemAssign reads one assignment for the element fields: a store into
// one, a variable defined from one of its elements, or a use that makes
// the field's contents unknown.
func (st *Facts) elemAssign(n *ast.AssignStmt, fn *types.Func, ok map[*ast.SelectorExpr]bool, bad map[*types.Var]bool,
	stores *[]elemStore, vars map[types.Object]elemVar, empty func(ast.Expr) bool) {
	info := st.Pkg.Info
	// h := x.fs[k]; h, ok := x.fs[k]
	if n.Tok == token.DEFINE && len(n.Rhs) == 1 && len(n.Lhs) <= 2 {
		if ix, isIx := ast.Unparen(n.Rhs[0]).(*ast.IndexExpr); isIx {
			if f, owner := elemField(info, ix.X); f != nil {
				if id, isID := n.Lhs[0].(*ast.Ident); isID && info.Defs[id] != nil {
					vars[info.Defs[id]] = elemVar{field: f, owner: owner}
				}
			}
		}
	}
	if len(n.Lhs) != len(n.Rhs) {
		return
	}
	for i, l := range n.Lhs {
		l = ast.Unparen(l)
		// x.fs[k] = v
		if ix, isIx := l.(*ast.IndexExpr); isIx {
			if f, owner := elemField(info, ix.X); f != nil {
				*stores = append(*stores, elemStore{field: f, owner: owner, value: n.Rhs[i], at: n.Pos(), fn: fn})
			}
			continue
		}
		// ls := x.fs: a copy to read (calls of ls's elements are not
		// followed).
		if _, isID := l.(*ast.Ident); isID {
			if f, _ := elemField(info, n.Rhs[i]); f != nil {
				ok[ast.Unparen(n.Rhs[i]).(*ast.SelectorExpr)] = true
			}
			continue
		}
		f, owner := elemField(info, l)
		if f == nil {
			continue
		}
		ok[l.(*ast.SelectorExpr)] = true
		rhs := ast.Unparen(n.Rhs[i])
		if empty(rhs) {
			continue
		}
		// x.fs = append(x.fs, v...) with the same x
		call, isCall := rhs.(*ast.CallExpr)
		if !isCall || model.BuiltinName(info, call) != "append" || call.Ellipsis.IsValid() || len(call.Args) < 2 {
			bad[f] = true
			continue
		}
		f2, owner2 := elemField(info, call.Args[0])
		if f2 != f || st.refOf(owner2).Root == nil || !sameRef(st.refOf(owner), st.refOf(owner2)) {
			bad[f] = true
			continue
		}
		ok[ast.Unparen(call.Args[0]).(*ast.SelectorExpr)] = true
		for _, v := range call.Args[1:] {
			*stores = append(*stores, elemStore{field: f, owner: owner, value: v, at: n.Pos(), fn: fn})
		}
	}
}

func noteLit(info *types.Info, lits map[types.Object]*ast.FuncLit, methods map[types.Object]*ast.SelectorExpr, l, v ast.Expr) {
	id, ok := l.(*ast.Ident)
	if !ok || info.Defs[id] == nil {
		return
	}
	switch v := ast.Unparen(v).(type) {
	case *ast.FuncLit:
		lits[info.Defs[id]] = v
	case *ast.SelectorExpr:
		if sel := info.Selections[v]; sel != nil && sel.Kind() == types.MethodVal {
			methods[info.Defs[id]] = v
		}
	}
}

func sameRef(a, b Mutex) bool { return a.Root != nil && a.Root == b.Root && a.Path == b.Path }

// reboundVars lists the local variables assigned after their definition
// (or whose address is taken): what they hold is not what they were
// defined from.
func (st *Facts) reboundVars() map[types.Object]bool {
	out := map[types.Object]bool{}
	info := st.Pkg.Info
	for _, file := range st.Pkg.Files {
		ast.Inspect(file, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.AssignStmt:
				for _, l := range n.Lhs {
					if id, ok := ast.Unparen(l).(*ast.Ident); ok && info.Defs[id] == nil {
						if v := info.Uses[id]; v != nil {
							out[v] = true
						}
					}
				}
			case *ast.IncDecStmt:
				if id, ok := ast.Unparen(n.X).(*ast.Ident); ok {
					out[info.Uses[id]] = true
				}
			case *ast.UnaryExpr:
				if id, ok := ast.Unparen(n.X).(*ast.Ident); ok && n.Op == token.AND {
					out[info.Uses[id]] = true
				}
			}
			return true
		})
	}
	return out
}

// elemCall reads a call of a function taken from an element field:
// x.fs[k](…), or l(…) for a variable l holding one of x.fs's elements.
// The event names the field and the value x whose field it is.
func (st *Facts) elemCall(c *ast.CallExpr) (types.Object, ast.Expr) {
	switch fun := ast.Unparen(c.Fun).(type) {
	case *ast.IndexExpr:
		if f, owner := elemField(st.Pkg.Info, fun.X); f != nil && st.elems().usable(f) {
			return f, owner
		}
	case *ast.Ident:
		if ev, ok := st.elems().vars[st.Pkg.Info.Uses[fun]]; ok {
			return ev.field, ev.owner
		}
	}
	return nil, nil
}

// usable: every use of f is accounted for.
func (e *elemFacts) usable(f *types.Var) bool { return !e.bad[f] }

// elems computes the element facts once.
func (st *Facts) elems() *elemFacts {
	if st.indirect.elems == nil {
		ef := st.findElemFacts()
		st.indirect.elems = &ef
	}
	return st.indirect.elems
}
