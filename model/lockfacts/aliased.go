package lockfacts

import (
	"go/ast"
	"go/token"
	"go/types"
)

// Two names for one mutex, made one by a caller. A function that holds a
// mutex reached from one of its parameters (or its receiver) and then locks
// one reached from another is a double lock exactly when a caller passes
// the same value for both:
//
//	func (s *memStore) Refresh(c *cacher) {
//		s.mu.Lock()
//		defer s.mu.Unlock()
//		c.store.Get("a") // locks c.store.mu
//	}
//	s := &memStore{}; c := &cacher{store: s}; s.Refresh(c) // c.store is s
//
// Inside Refresh the two are different names, and golens says nothing
// there on its own; at the call s.Refresh(c) both map to s.mu (the
// composite literal proves c.store is s, model.Ref.Via). Each such call
// of the package is a proof for the finding. An interface call read as
// its only implementation (dispatch.go) counts only when the call proves
// the value behind the interface is of that implementation's type.

// AliasedRelock is a Lock of a mutex under one parameter's name while the
// mutex under another parameter's name is held, and a call of the function
// that passes one value for both.
type AliasedRelock struct {
	Unit *Unit
	Held Held
	// Call is the call in Unit that locks (nil: Lock is Unit's own).
	Call *CallEvent
	Lock *LockEvent
	A    Acq   // the acquisition, in Unit's terms
	Mu   Mutex // its mutex, in Unit's terms
	// Site is the call of Unit that makes them one; At is the mutex in
	// the caller's terms (the same for Held and Mu).
	Site *CallEvent
	At   Mutex
	// DispatchedTo is the type the call proves the interface value to
	// have, when Call is an interface call read as its only
	// implementation.
	DispatchedTo types.Type
	// Method is the method that runs, when Call is an interface call.
	Method *types.Func
}

// AliasedRelocks lists them, one per pair of held mutex and lock.
func (st *Facts) AliasedRelocks() []AliasedRelock {
	var out []AliasedRelock
	for _, u := range st.Units {
		if u.Fn == nil {
			continue
		}
		params := paramVars(u.Fn)
		if len(params) < 2 {
			continue
		}
		var cands []AliasedRelock
		consider := func(h Held, c *CallEvent, l *LockEvent, a Acq, mu Mutex) {
			if h.Mu.Root == nil || mu.Root == nil || h.Mu.Root == mu.Root || !params[h.Mu.Root] || !params[mu.Root] {
				return
			}
			if h.Mu.Class != mu.Class || h.Mu.Once || mu.Once || h.Kind == LockR && a.Kind == LockR {
				return
			}
			if comparesRoots(st.Pkg.Info, u.Body, h.Mu.Root, mu.Root) {
				return // if a == b { … }: the function knows they may be one
			}
			cands = append(cands, AliasedRelock{Unit: u, Held: h, Call: c, Lock: l, A: a, Mu: mu})
		}
		for _, l := range u.Locks {
			if l.Unlock {
				continue
			}
			for _, h := range l.Held {
				consider(h, nil, l, Acq{Mu: l.Mu, Kind: l.Kind, Pos: l.Call.Pos()}, l.Mu)
			}
		}
		for _, c := range u.Calls {
			if len(c.Held) == 0 {
				continue
			}
			for _, ca := range st.CallAcquires(c) {
				if ca.A.Dispatched || ca.A.Gated {
					continue // an interface call further down: nothing here proves its type
				}
				for _, h := range c.Held {
					if !st.Releases(c, ca.A, h.Mu) {
						consider(h, c, nil, ca.A, ca.Mu)
					}
				}
			}
		}
		var ifaceCalls []*CallEvent
		for _, c := range u.Calls {
			if c.Iface != nil && len(c.Held) > 0 {
				ifaceCalls = append(ifaceCalls, c)
			}
		}
		if len(cands) == 0 && len(ifaceCalls) == 0 {
			continue
		}
		for _, site := range st.callIndex()[u.Fn] {
			if site.Callee != u.Fn || site.Recv != nil || site.FnLit != nil || site.Dispatched {
				continue
			}
			for _, cand := range cands {
				hm, ok1 := st.MapThrough(site, cand.Held.Mu)
				am, ok2 := st.MapThrough(site, cand.Mu)
				if !ok1 || !ok2 || hm.Root == nil || !hm.SameInstance(am) {
					continue
				}
				if cand.Call != nil && cand.Call.Dispatched {
					t, ok := st.provenType(site, cand.Call)
					if !ok {
						continue
					}
					cand.DispatchedTo, cand.Method = t, cand.Call.Callee
				}
				cand.Site, cand.At = site, am
				if !am.Via.IsValid() {
					cand.At.Via, cand.At.ViaText = hm.Via, hm.ViaText
				}
				out = append(out, cand)
			}
			for _, c := range ifaceCalls {
				out = append(out, st.ifaceRelocks(u, params, site, c)...)
			}
		}
	}
	return out
}

// ifaceRelocks reads an interface call of u made with mutexes held, at a
// call site of u that proves the concrete value behind the interface:
// that type's method runs, and its locks of its receiver are locks of the
// interface value's.
func (st *Facts) ifaceRelocks(u *Unit, params map[types.Object]bool, site, c *CallEvent) []AliasedRelock {
	se, ok := ast.Unparen(c.Call.Fun).(*ast.SelectorExpr)
	if !ok {
		return nil
	}
	recv := st.refOf(se.X)
	if recv.Root == nil || !params[recv.Root] {
		return nil
	}
	m, ok := st.MapThrough(site, recv)
	if !ok || m.Root == nil || m.Path != "" || types.IsInterface(m.Root.Type()) {
		return nil
	}
	t := m.Root.Type()
	obj, _, _ := types.LookupFieldOrMethod(t, true, st.Pkg.Types, c.Iface.Name())
	fn, isFn := obj.(*types.Func)
	if !isFn || st.ByFunc[fn.Origin()] == nil {
		return nil
	}
	fn = fn.Origin()
	mrecv := fn.Type().(*types.Signature).Recv()
	var out []AliasedRelock
	for _, a := range st.Acquires(fn) {
		if mrecv == nil || a.Mu.Root != mrecv || a.Dispatched || a.Gated {
			continue
		}
		mu := Mutex{Root: recv.Root, Path: recv.Path + a.Mu.Path, Class: a.Mu.Class, Text: recv.Text + a.Mu.Path}
		for _, h := range c.Held {
			if h.Mu.Root == nil || !params[h.Mu.Root] || h.Mu.Class != mu.Class || h.Mu.Once || h.Kind == LockR && a.Kind == LockR {
				continue
			}
			if h.Mu.Root != mu.Root && comparesRoots(st.Pkg.Info, u.Body, h.Mu.Root, mu.Root) {
				continue
			}
			hm, ok1 := st.MapThrough(site, h.Mu)
			am, ok2 := st.MapThrough(site, mu)
			if !ok1 || !ok2 || hm.Root == nil || !hm.SameInstance(am) {
				continue
			}
			r := AliasedRelock{Unit: u, Held: h, Call: c, A: a, Mu: mu, Site: site, At: am, DispatchedTo: t, Method: fn}
			if !am.Via.IsValid() {
				r.At.Via, r.At.ViaText = hm.Via, hm.ViaText
			}
			out = append(out, r)
			break
		}
	}
	return out
}

// provenType is the type of the value behind the interface receiver of
// the call c (in the function the call site site calls), when the site
// proves it, and that type's method is the one c was read as.
func (st *Facts) provenType(site, c *CallEvent) (types.Type, bool) {
	se, ok := ast.Unparen(c.Call.Fun).(*ast.SelectorExpr)
	if !ok {
		return nil, false
	}
	recv := st.refOf(se.X)
	if recv.Root == nil {
		return nil, false
	}
	m, ok := st.MapThrough(site, recv)
	if !ok || m.Root == nil || m.Path != "" {
		return nil, false
	}
	t := m.Root.Type()
	if types.IsInterface(t) {
		return nil, false
	}
	obj, _, _ := types.LookupFieldOrMethod(t, true, st.Pkg.Types, c.Callee.Name())
	if fn, isFn := obj.(*types.Func); !isFn || fn.Origin() != c.Callee {
		return nil, false
	}
	return t, true
}

// paramVars is the set of fn's receiver and parameters.
func paramVars(fn *types.Func) map[types.Object]bool {
	sig, _ := fn.Type().(*types.Signature)
	if sig == nil || sig.Variadic() {
		return nil
	}
	out := map[types.Object]bool{}
	if sig.Recv() != nil {
		out[sig.Recv()] = true
	}
	for i := 0; i < sig.Params().Len(); i++ {
		out[sig.Params().At(i)] = true
	}
	return out
}

// comparesRoots reports whether body compares a value reached from a with
// one reached from b (a == b, c.store != Store(s)).
func comparesRoots(info *types.Info, body ast.Node, a, b types.Object) bool {
	root := func(e ast.Expr) types.Object {
		for {
			switch x := ast.Unparen(e).(type) {
			case *ast.CallExpr:
				// A conversion: Store(s), uintptr(unsafe.Pointer(p)).
				if tv, ok := info.Types[x.Fun]; ok && tv.IsType() && len(x.Args) == 1 {
					e = x.Args[0]
					continue
				}
				return nil
			case *ast.SelectorExpr:
				e = x.X
			case *ast.StarExpr:
				e = x.X
			case *ast.UnaryExpr:
				e = x.X
			case *ast.Ident:
				return info.Uses[x]
			default:
				return nil
			}
		}
	}
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		be, ok := n.(*ast.BinaryExpr)
		if !ok || found || be.Op != token.EQL && be.Op != token.NEQ {
			return !found
		}
		x, y := root(be.X), root(be.Y)
		if x == a && y == b || x == b && y == a {
			found = true
		}
		return !found
	})
	return found
}
