package model

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"
)

// RecoverReach says whether a recover call can stop a panic. Per the spec
// (https://go.dev/ref/spec#Handling_panics) recover returns nil unless it is
// called directly by a deferred function, while the goroutine panics, and
// the function that deferred that call was running when the panic began.
type RecoverReach int

const (
	// RecoverUnknown: the function holding recover is a literal that is
	// passed or stored; golens cannot see whether it is deferred.
	RecoverUnknown RecoverReach = iota
	// RecoverStops: directly in a deferred function literal: it stops a
	// panic unwinding the function that deferred it.
	RecoverStops
	// RecoverNested: directly in a function literal deferred by a function
	// that is itself running as a deferred call. That deferring function
	// started after the panic began, so recover returns nil for it; it can
	// stop only a panic that starts inside that deferred function.
	RecoverNested
	// RecoverWhenDeferred: directly in a named function (or a literal bound
	// to a variable): it stops a panic when that function is itself the
	// deferred call (DeferredBy lists such defers in this file) and returns
	// nil when called any other way.
	RecoverWhenDeferred
	// RecoverNever: never called directly by a deferred function here: a
	// goroutine body, a literal called at once, main or init, or recover
	// deferred itself (the runtime calls it, not a deferred function).
	RecoverNever
)

func (r RecoverReach) String() string {
	return [...]string{"unknown", "stops", "nested", "when-deferred", "never"}[r]
}

// resolveRecovers fills BuiltinCall.Reach and DeferredBy for recover calls,
// and Registered and Recovers for panic calls.
func (b *builder) resolveRecovers() {
	m := b.m
	var recovers []*BuiltinCall
	for _, bc := range m.Builtins {
		if bc.Name == "recover" {
			recovers = append(recovers, bc)
		}
	}
	for _, r := range recovers {
		b.recoverReach(r)
	}
}

// panics fills, for each panic statement of f, which defers can have run
// there and which of them recover. It runs within f's flow computation.
func (fb *flowBuilder) panics(f *Func) {
	for _, p := range fb.m.Builtins {
		if p.Name != "panic" || p.Func != f || f.flow == nil {
			continue
		}
		var exit *Exit
		for _, e := range f.exitList() {
			if e.Kind == ExitPanic && e.Pos == p.Call.Pos() {
				exit = e
			}
		}
		if exit == nil {
			continue // a panic inside an expression: no exit of its own
		}
		p.panicExit = exit
		for _, d := range f.Defers {
			if d.order == nil {
				continue
			}
			for _, de := range d.order.Exits {
				if de.Exit != exit || de.Registered == No {
					continue
				}
				p.registered = append(p.registered, d)
				for _, r := range fb.m.Builtins {
					if r.Name == "recover" && (r.Reach == RecoverStops || r.Reach == RecoverWhenDeferred) {
						for _, by := range r.DeferredBy {
							if by == d {
								p.recovers = append(p.recovers, r)
							}
						}
					}
				}
			}
		}
	}
}

func (b *builder) recoverReach(r *BuiltinCall) {
	f := r.Func
	if f == nil {
		return
	}
	for _, d := range f.Defers {
		if d.Node.Call == r.Call {
			r.Reach = RecoverNever // defer recover(): called by the runtime
			return
		}
	}
	if !f.Lit {
		// A named function: it recovers when it is the deferred call.
		r.DeferredBy = b.defersOfDecl(f)
		r.Reach = RecoverWhenDeferred
		if len(r.DeferredBy) == 0 && f.Name == "init" {
			r.Reach = RecoverNever
		}
		if len(r.DeferredBy) == 0 && f.Name == "main" && b.m.AST.Name.Name == "main" {
			r.Reach = RecoverNever
		}
		return
	}
	if f.Deferred {
		d := f.deferredBy
		if d == nil {
			return
		}
		r.DeferredBy = []*Defer{d}
		r.Reach = RecoverStops
		if outer := d.Func; outer != nil && outer.Deferred {
			r.Reach = RecoverNested
		} else if outer != nil && !outer.Lit {
			// A named function that defers the literal and is itself
			// deferred (`defer g.protect()`): run that way it starts after
			// the panic began, as a deferred literal would.
			if by := b.defersOfDecl(outer); len(by) > 0 {
				r.Reach, r.NestedBy = RecoverNested, by
			} else {
				r.CalledInDeferred = b.callsInDeferredLits(outer)
			}
		}
		return
	}
	if f.GoBody != nil {
		r.Reach = RecoverNever
		return
	}
	// A literal that is neither deferred nor started: called at once, or
	// bound to a variable that a defer calls, or passed somewhere.
	path, _ := EnclosingPath(b.m.AST, f.Pos, f.Pos)
	for i, n := range path {
		lit, ok := n.(*ast.FuncLit)
		if !ok || lit.Pos() != f.Pos {
			continue
		}
		if i+1 >= len(path) {
			return
		}
		switch parent := path[i+1].(type) {
		case *ast.ParenExpr:
			if i+2 < len(path) {
				if call, ok := path[i+2].(*ast.CallExpr); ok && ast.Unparen(call.Fun) == lit {
					r.Reach = RecoverNever
				}
			}
		case *ast.CallExpr:
			if parent.Fun == lit {
				r.Reach = RecoverNever // func() { ... }(): called at once
			}
		case *ast.AssignStmt:
			if len(parent.Lhs) == len(parent.Rhs) {
				for j, rhs := range parent.Rhs {
					if rhs == lit {
						b.boundLiteral(r, parent.Lhs[j])
					}
				}
			}
		case *ast.ValueSpec:
			for j, v := range parent.Values {
				if v == lit && j < len(parent.Names) {
					b.boundLiteral(r, parent.Names[j])
				}
			}
		}
		return
	}
}

// boundLiteral handles `f := func() { ... recover() ... }`: the literal
// recovers when the variable is the deferred call (`defer f()`), as long
// as the variable is not assigned anything else.
func (b *builder) boundLiteral(r *BuiltinCall, lhs ast.Expr) {
	key, ok := b.keyOf(lhs)
	if !ok {
		return
	}
	for _, ka := range b.assignList {
		if ka.key == key && ka.pos != lhs.Pos() && !(ka.stored() != nil && ka.stored().Pos() == r.Func.Pos) {
			return // assigned again: which function a call runs is not known
		}
	}
	// `defer f()`, or `defer s.onPanic()` for a literal stored in a field
	// (on the syntax tier a selector is read as that field only when no
	// method of the file has its name).
	for _, d := range b.m.Defers {
		switch fun := ast.Unparen(d.Node.Call.Fun).(type) {
		case *ast.Ident:
		case *ast.SelectorExpr:
			if b.m.Info == nil && b.methodNamed(fun.Sel.Name) {
				continue
			}
		default:
			continue
		}
		if k, ok := b.keyOf(d.Node.Call.Fun); ok && k == key {
			r.DeferredBy = append(r.DeferredBy, d)
		}
	}
	r.BoundTo = b.text(lhs)
	r.Reach = RecoverWhenDeferred
}

// methodNamed reports whether the file declares a method called name.
func (b *builder) methodNamed(name string) bool {
	for _, d := range b.m.AST.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv != nil && fd.Name.Name == name {
			return true
		}
	}
	return false
}

// defersOfDecl lists the defer statements of the file whose deferred call
// is the named function f: `defer helper()`, `defer s.cleanup()`. On the
// syntax tier a method is matched by name.
func (b *builder) defersOfDecl(f *Func) []*Defer {
	var decl *ast.FuncDecl
	for _, d := range b.m.AST.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Pos() == f.Pos {
			decl = fd
		}
	}
	if decl == nil {
		return nil
	}
	var out []*Defer
	for _, d := range b.m.Defers {
		var id *ast.Ident
		viaVar := false
		switch fun := ast.Unparen(d.Node.Call.Fun).(type) {
		case *ast.Ident:
			id = fun
			if fun.Name != decl.Name.Name {
				// h := s.handle; defer h(): the variable holds the
				// method value (or function) when it is assigned once
				// and never again; the deferred call is then that
				// function, and its recover stops the panic (a run
				// shows it: truth/testdata/r10l_recover_method_value_var).
				if bound := b.boundFunc(fun); bound != nil {
					id, viaVar = bound, true
				}
			}
		case *ast.SelectorExpr:
			id = fun.Sel
		case *ast.IndexExpr: // a generic function instantiated
			if x, ok := fun.X.(*ast.Ident); ok {
				id = x
			}
		}
		if id == nil || id.Name != decl.Name.Name {
			continue
		}
		if info := b.m.Info; info != nil {
			if fn, ok := info.Uses[id].(*types.Func); ok && fn.Pos() == decl.Name.Pos() {
				out = append(out, d)
			}
			continue
		}
		if id.Obj != nil && id.Obj.Decl == decl {
			out = append(out, d) // a package-level function of this file
		} else if id.Obj == nil && decl.Recv != nil {
			if _, ok := ast.Unparen(d.Node.Call.Fun).(*ast.SelectorExpr); ok || viaVar {
				out = append(out, d) // a method with this name
			}
		}
	}
	return out
}

// boundFunc is the function name a local func variable v holds, when the
// file assigns v exactly once (h := s.handle, h := helper) and never takes
// its address: the Sel of the method value, or the function's identifier.
// nil otherwise.
func (b *builder) boundFunc(v *ast.Ident) *ast.Ident {
	rhs := b.assignedOnce(v, token.NoPos)
	if rhs == nil {
		return nil
	}
	switch x := ast.Unparen(rhs).(type) {
	case *ast.Ident:
		return x
	case *ast.SelectorExpr:
		return x.Sel
	}
	return nil
}

// assignedOnce is the value of the one assignment the file makes to the
// variable v, when there is exactly one and nothing takes v's address; at,
// when valid, must be that assignment's position (its declaration). nil
// otherwise.
func (b *builder) assignedOnce(v *ast.Ident, at token.Pos) ast.Expr {
	key, ok := b.keyOf(v)
	if !ok {
		return nil
	}
	var rhs ast.Expr
	n := 0
	for i := range b.assignList {
		ka := &b.assignList[i]
		if ka.key != key {
			continue
		}
		if ka.addr || at.IsValid() && ka.pos != at {
			return nil
		}
		n++
		rhs = ka.stored()
	}
	if n != 1 {
		return nil
	}
	return rhs
}

// callsInDeferredLits lists the calls of the named function f (by its
// name, or a method by its selector) made directly in the body of a
// deferred function literal of this file, outside its nested literals.
// The calls made in deferred literals are listed once per file, by name.
func (b *builder) callsInDeferredLits(f *Func) []token.Pos {
	if f == nil || f.Name == "" {
		return nil
	}
	if b.deferredLitCalls == nil {
		b.deferredLitCalls = map[string][]token.Pos{}
		for _, fn := range b.m.Funcs {
			if !fn.Lit || !fn.Deferred || fn.Body == nil {
				continue
			}
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.FuncLit:
					return false
				case *ast.CallExpr:
					switch fun := ast.Unparen(n.Fun).(type) {
					case *ast.Ident:
						b.deferredLitCalls[fun.Name] = append(b.deferredLitCalls[fun.Name], n.Pos())
					case *ast.SelectorExpr:
						b.deferredLitCalls[fun.Sel.Name] = append(b.deferredLitCalls[fun.Sel.Name], n.Pos())
					}
				}
				return true
			})
		}
	}
	want := f.Name // "guard", or "(*T).guard" for a method
	if i := strings.LastIndex(want, "."); i >= 0 && strings.HasPrefix(want, "(") {
		want = want[i+1:]
	}
	var out []token.Pos
	for _, p := range b.deferredLitCalls[want] {
		if p < f.Pos || p >= f.End {
			out = append(out, p)
		}
	}
	return out
}
