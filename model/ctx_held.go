package model

import (
	"go/ast"
	"go/token"
	"go/types"
)

// CtxHeld says that a ctx.Done() receive cannot be made ready by a cancel
// while it waits: ctx is a parameter of the function holding the receive
// (not in a function literal there), and every call of that function
// passes, directly from the body of a function F (not in a go or defer
// statement, nor a function literal), a local v of F declared
// `v, cancel := context.WithCancel(P)` with P a context that is never
// cancelled (context.Background(), TODO(), or a local holding one), where
// v is never assigned again or addressed and cancel is used only in
// `defer cancel()` statements of F itself. Such a context is cancelled
// only when F returns, and F is the goroutine waiting here, inside the
// call: the wait ends by another case or not at all. On the syntax tier
// the calls are those of this file.
type CtxHeld struct {
	// Caller is the first calling function, and Defer its deferred
	// cancel; Callers counts the calling functions.
	Caller  string
	Defer   token.Pos
	Callers int
}

// CtxHeld is the fact for a receive from ctx.Done(); nil when not proven.
func (op *ChanOp) CtxHeld() *CtxHeld {
	op.Func.ensureFlow()
	if op.vals == nil {
		return nil
	}
	return op.vals.ctxHeld
}

// ctxHeldByCaller computes CtxHeld for the receive op from x.Done().
func (fb *flowBuilder) ctxHeldByCaller(x ast.Expr, op *ChanOp) *CtxHeld {
	m := fb.m
	id, isID := ast.Unparen(x).(*ast.Ident)
	if !isID || m.AST == nil {
		return nil
	}
	key := m.identKey(id)
	if key == nil {
		return nil
	}
	files := []*ast.File{m.AST}
	if m.pkg != nil {
		files = m.pkg.Files
	}
	// The function declaring the parameter.
	var fd *ast.FuncDecl
	idx := -1
	for _, file := range files {
		for _, d := range file.Decls {
			f, ok := d.(*ast.FuncDecl)
			if !ok || f.Body == nil || f.Type.Params == nil || id.Pos() < f.Body.Pos() || id.Pos() >= f.Body.End() {
				continue
			}
			if i := paramIndexWhere(f, func(n *ast.Ident) bool { return m.identKey(n) == key }); i >= 0 {
				fd, idx = f, i
			}
		}
	}
	if fd == nil || idx < 0 || op.Pos < fd.Body.Pos() || op.Pos >= fd.Body.End() {
		return nil
	}
	main := m.AST.Name != nil && m.AST.Name.Name == "main"
	if ast.IsExported(fd.Name.Name) && (!main || fd.Recv != nil) {
		return nil // callable from elsewhere, or through an interface
	}
	// The receive is in fd's own body, and fd keeps its parameter.
	bad := false
	ast.Inspect(fd.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			if n.Pos() <= op.Pos && op.Pos < n.End() {
				bad = true // a literal may run after fd returned
			}
		case *ast.AssignStmt:
			for _, l := range n.Lhs {
				if lid, ok := ast.Unparen(l).(*ast.Ident); ok && m.identKey(lid) == key {
					bad = true
				}
			}
		case *ast.UnaryExpr:
			if xid, ok := ast.Unparen(n.X).(*ast.Ident); ok && n.Op == token.AND && m.identKey(xid) == key {
				bad = true
			}
		}
		return !bad
	})
	if bad {
		return nil
	}
	// Uses of fd's name: by object on the typed tier, by name on the
	// syntax tier (where no other declaration may have the name).
	info := m.Info
	var fn *types.Func
	if info != nil {
		fn, _ = info.Defs[fd.Name].(*types.Func)
		if fn == nil {
			return nil
		}
		if fd.Recv != nil {
			for u, obj := range info.Uses {
				if f, ok := obj.(*types.Func); ok && u.Name == fn.Name() {
					if sig, ok := f.Type().(*types.Signature); ok && sig.Recv() != nil && types.IsInterface(sig.Recv().Type()) {
						return nil // an interface method of its name is called
					}
				}
			}
		}
		if m.pkg == nil {
			for u, obj := range info.Uses {
				if obj == fn && (u.Pos() < m.AST.FileStart || u.Pos() >= m.AST.FileEnd) {
					return nil
				}
			}
		}
	} else {
		for _, d := range m.AST.Decls {
			if f, ok := d.(*ast.FuncDecl); ok && f != fd && f.Name.Name == fd.Name.Name {
				return nil
			}
		}
	}
	isFn := func(u *ast.Ident) bool {
		if u == fd.Name {
			return false
		}
		if info != nil {
			return info.Uses[u] == fn
		}
		return u.Name == fd.Name.Name
	}
	var held *CtxHeld
	callers := map[*ast.FuncDecl]bool{}
	for _, file := range files {
		var stack []ast.Node
		var outer *ast.FuncDecl
		ast.Inspect(file, func(n ast.Node) bool {
			if bad {
				return false
			}
			if n == nil {
				stack = stack[:len(stack)-1]
				return true
			}
			if d, ok := n.(*ast.FuncDecl); ok {
				outer = d
			}
			stack = append(stack, n)
			if len(stack) < 2 || stack[1] != ast.Node(outer) {
				outer = nil // a package-level declaration
			}
			u, ok := n.(*ast.Ident)
			if !ok || !isFn(u) {
				return true
			}
			// u must be the callee of a direct call: f(...) or x.f(...).
			i := len(stack) - 2
			if i >= 0 {
				if sel, ok := stack[i].(*ast.SelectorExpr); ok && sel.Sel == u {
					i--
				}
			}
			if i < 0 {
				bad = true
				return false
			}
			call, ok := stack[i].(*ast.CallExpr)
			if !ok || ast.Unparen(call.Fun) != stack[i+1] || (fd.Recv == nil) != (call.Fun == ast.Expr(u)) || call.Ellipsis.IsValid() || idx >= len(call.Args) {
				bad = true
				return false
			}
			// Directly in a function's body: no literal around it, and
			// not the call of a go or defer statement.
			if i > 0 {
				switch stack[i-1].(type) {
				case *ast.GoStmt, *ast.DeferStmt:
					bad = true
					return false
				}
			}
			for _, s := range stack[:i] {
				if _, lit := s.(*ast.FuncLit); lit {
					bad = true
					return false
				}
			}
			if outer == nil || outer.Body == nil {
				bad = true
				return false
			}
			d := fb.cancelledOnReturn(outer, call.Args[idx])
			if !d.IsValid() {
				bad = true
				return false
			}
			if held == nil {
				held = &CtxHeld{Caller: funcDeclName(outer), Defer: d}
			}
			if !callers[outer] {
				callers[outer] = true
				held.Callers++
			}
			return true
		})
	}
	if bad || held == nil {
		return nil
	}
	return held
}

// cancelledOnReturn checks the argument e of a call made directly in F's
// body (see CtxHeld): a local of F declared with
// context.WithCancel(never-cancelled), never written or addressed again,
// whose cancel function F only defers. It returns the first such defer.
func (fb *flowBuilder) cancelledOnReturn(F *ast.FuncDecl, e ast.Expr) token.Pos {
	m := fb.m
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok {
		return token.NoPos
	}
	v := m.identKey(id)
	if v == nil {
		return token.NoPos
	}
	var cancel any
	var decl *ast.AssignStmt
	// The declaration: v, cancel := context.WithCancel(P), in F's body
	// outside any literal.
	var find func(n ast.Node) bool
	find = func(n ast.Node) bool {
		if decl != nil {
			return false
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.AssignStmt:
			if n.Tok != token.DEFINE || len(n.Lhs) != 2 || len(n.Rhs) != 1 {
				return true
			}
			l0, ok0 := n.Lhs[0].(*ast.Ident)
			l1, ok1 := n.Lhs[1].(*ast.Ident)
			if !ok0 || !ok1 || m.identKey(l0) != v || l1.Name == "_" {
				return true
			}
			if m.Info != nil {
				if m.Info.Defs[l0] == nil {
					return true // a redeclaration assigns, it does not declare
				}
			} else if l0.Obj == nil || l0.Obj.Decl != n {
				return true
			}
			call, ok := ast.Unparen(n.Rhs[0]).(*ast.CallExpr)
			if !ok || len(call.Args) != 1 {
				return true
			}
			if name, _ := fb.b.pkgCall(call, "context"); name != "WithCancel" {
				return true
			}
			if !fb.neverCancelled(call.Args[0]) {
				return true
			}
			decl, cancel = n, m.identKey(l1)
		}
		return true
	}
	ast.Inspect(F.Body, find)
	if decl == nil || cancel == nil {
		return token.NoPos
	}
	// v is not written again nor addressed; cancel is used only as
	// `defer cancel()` directly in F (no literal around the defer).
	deferred := token.NoPos
	bad := false
	var walk func(n ast.Node, inLit bool)
	walk = func(n ast.Node, inLit bool) {
		ast.Inspect(n, func(c ast.Node) bool {
			if bad {
				return false
			}
			switch c := c.(type) {
			case *ast.FuncLit:
				if c != n {
					walk(c.Body, true)
					return false
				}
			case *ast.DeferStmt:
				if fid, ok := ast.Unparen(c.Call.Fun).(*ast.Ident); ok && m.identKey(fid) == cancel && len(c.Call.Args) == 0 {
					if inLit {
						bad = true
						return false
					}
					if !deferred.IsValid() {
						deferred = c.Pos()
					}
					return false
				}
			case *ast.AssignStmt:
				if c == decl {
					for _, r := range c.Rhs {
						walk(r, inLit)
					}
					return false
				}
				for _, l := range c.Lhs {
					if lid, ok := ast.Unparen(l).(*ast.Ident); ok && (m.identKey(lid) == v || m.identKey(lid) == cancel) {
						bad = true
					}
				}
			case *ast.UnaryExpr:
				if xid, ok := ast.Unparen(c.X).(*ast.Ident); ok && c.Op == token.AND && m.identKey(xid) == v {
					bad = true
				}
			case *ast.Ident:
				if m.identKey(c) == cancel {
					bad = true // any other use of cancel
				}
			}
			return !bad
		})
	}
	walk(F.Body, false)
	if bad {
		return token.NoPos
	}
	return deferred
}

// neverCancelled reports a context expression whose Done is nil, as the
// tier can tell: context.Background(), TODO() (or WithoutCancel, WithValue
// of one, typed), or a local that holds one wherever read.
func (fb *flowBuilder) neverCancelled(e ast.Expr) bool {
	m := fb.m
	if m.Info != nil {
		files := []*ast.File{m.AST}
		if m.pkg != nil {
			files = m.pkg.Files
		}
		return neverDoneTyped(m.Info, e, 0) || neverDoneVar(m.Info, files, e)
	}
	return neverDoneWritten(e) || fb.neverDoneLocal(e)
}

// toInterface reports whether a value of the named type t, or a pointer
// to it, may be converted to an interface anywhere in files (typed tier):
// then another package can call its exported methods through that
// interface, passing arguments golens does not see. It is conservative:
// any use of such a value it does not recognise counts, and so do a
// struct embedding t and a generic instantiation with t.
func toInterface(info *types.Info, files []*ast.File, t *types.Named) bool {
	isT := func(x types.Type) bool {
		x = types.Unalias(x)
		if p, ok := x.(*types.Pointer); ok {
			x = types.Unalias(p.Elem())
		}
		return types.Identical(x, t)
	}
	hasT := func(x types.Type) bool {
		if tup, ok := x.(*types.Tuple); ok {
			for i := 0; i < tup.Len(); i++ {
				if isT(tup.At(i).Type()) {
					return true
				}
			}
			return false
		}
		return isT(x)
	}
	iface := func(x types.Type) bool { return x == nil || types.IsInterface(x) }
	for _, tv := range info.Types {
		if st, ok := under(tv.Type).(*types.Struct); ok && tv.IsType() {
			for i := 0; i < st.NumFields(); i++ {
				if st.Field(i).Embedded() && isT(st.Field(i).Type()) {
					return true
				}
			}
		}
	}
	for _, inst := range info.Instances {
		for i := 0; i < inst.TypeArgs.Len(); i++ {
			if hasT(inst.TypeArgs.At(i)) {
				return true
			}
		}
	}
	// lhsTypes: the types a value at rhs index i of a statement goes to.
	lhsType := func(lhs []ast.Expr, rhs []ast.Expr, n ast.Expr) (types.Type, bool) {
		if len(lhs) == len(rhs) {
			for i, r := range rhs {
				if r == n {
					if id, ok := lhs[i].(*ast.Ident); ok && id.Name == "_" {
						return nil, true // dropped
					}
					return info.TypeOf(lhs[i]), true
				}
			}
		}
		return nil, false
	}
	bad := false
	for _, file := range files {
		var stack []ast.Node
		ast.Inspect(file, func(n ast.Node) bool {
			if bad {
				return false
			}
			if n == nil {
				stack = stack[:len(stack)-1]
				return true
			}
			stack = append(stack, n)
			if rs, isRange := n.(*ast.RangeStmt); isRange && rs.Tok == token.ASSIGN {
				// for _, x = range ts: each element goes to x.
				for _, kv := range []ast.Expr{rs.Key, rs.Value} {
					if kv != nil && iface(info.TypeOf(kv)) {
						bad = true
						return false
					}
				}
			}
			e, ok := n.(ast.Expr)
			if !ok || len(stack) < 2 {
				return true
			}
			tv, ok := info.Types[e]
			if !ok || tv.IsType() || tv.Type == nil || !hasT(tv.Type) {
				return true
			}
			_, tuple := tv.Type.(*types.Tuple)
			p := stack[len(stack)-2]
			ok = false
			switch p := p.(type) {
			case *ast.SelectorExpr:
				ok = p.X == e && !tuple
			case *ast.ParenExpr, *ast.StarExpr, *ast.ExprStmt, *ast.BinaryExpr:
				ok = true
			case *ast.UnaryExpr:
				ok = p.Op == token.AND
			case *ast.AssignStmt:
				for _, l := range p.Lhs {
					if l == e {
						ok = true
					}
				}
				if !ok && tuple && len(p.Rhs) == 1 {
					ok = true
					for _, l := range p.Lhs {
						if id, isID := l.(*ast.Ident); isID && id.Name == "_" {
							continue
						}
						if lt := info.TypeOf(l); lt == nil || types.IsInterface(lt) {
							ok = false
						}
					}
				} else if !ok {
					lt, found := lhsType(p.Lhs, p.Rhs, e)
					ok = found && (lt == nil && len(p.Lhs) > 0 || lt != nil && !types.IsInterface(lt))
				}
			case *ast.ValueSpec:
				ok = p.Type == nil || !iface(info.TypeOf(p.Type))
			case *ast.CallExpr:
				if p.Fun == e {
					ok = !tuple
					break
				}
				ft := info.Types[p.Fun]
				if ft.IsType() {
					ok = !iface(ft.Type)
					break
				}
				if ft.IsBuiltin() {
					if id, isID := ast.Unparen(p.Fun).(*ast.Ident); isID {
						switch id.Name {
						case "len", "cap", "delete", "copy":
							ok = true
						case "append":
							if sl, isSl := under(info.TypeOf(p)).(*types.Slice); isSl {
								ok = !types.IsInterface(sl.Elem())
							}
						}
					}
					break
				}
				sig, isSig := under(ft.Type).(*types.Signature)
				if !isSig || tuple {
					break
				}
				for i, a := range p.Args {
					if a != e {
						continue
					}
					var pt types.Type
					switch {
					case sig.Variadic() && i >= sig.Params().Len()-1:
						last := sig.Params().At(sig.Params().Len() - 1).Type()
						if p.Ellipsis.IsValid() {
							pt = last
						} else if s, isS := last.(*types.Slice); isS {
							pt = s.Elem()
						}
					case i < sig.Params().Len():
						pt = sig.Params().At(i).Type()
					}
					ok = pt != nil && !types.IsInterface(pt)
				}
			case *ast.ReturnStmt:
				var sig *types.Signature
				for i := len(stack) - 2; i >= 0 && sig == nil; i-- {
					switch f := stack[i].(type) {
					case *ast.FuncLit:
						sig, _ = info.TypeOf(f).(*types.Signature)
						i = -1
					case *ast.FuncDecl:
						if fo, isF := info.Defs[f.Name].(*types.Func); isF {
							sig, _ = fo.Type().(*types.Signature)
						}
						i = -1
					}
				}
				if sig == nil || tuple {
					break
				}
				for i, r := range p.Results {
					if r == e && len(p.Results) == sig.Results().Len() {
						ok = !types.IsInterface(sig.Results().At(i).Type())
					}
				}
			case *ast.SendStmt:
				if ch, isCh := under(info.TypeOf(p.Chan)).(*types.Chan); isCh && p.Value == e {
					ok = !types.IsInterface(ch.Elem())
				}
			case *ast.KeyValueExpr, *ast.CompositeLit:
				var lit *ast.CompositeLit
				key := ast.Expr(nil)
				if kv, isKV := p.(*ast.KeyValueExpr); isKV {
					if len(stack) >= 3 {
						lit, _ = stack[len(stack)-3].(*ast.CompositeLit)
					}
					key = kv.Key
					if kv.Key == e {
						if lit != nil {
							if mp, isMap := under(info.TypeOf(lit)).(*types.Map); isMap {
								ok = !types.IsInterface(mp.Key())
							}
						}
						break
					}
				} else {
					lit = p.(*ast.CompositeLit)
				}
				if lit == nil || tuple {
					break
				}
				var et types.Type
				switch u := under(info.TypeOf(lit)).(type) {
				case *types.Slice:
					et = u.Elem()
				case *types.Array:
					et = u.Elem()
				case *types.Map:
					et = u.Elem()
				case *types.Struct:
					if k, isID := key.(*ast.Ident); isID {
						for i := 0; i < u.NumFields(); i++ {
							if u.Field(i).Name() == k.Name {
								et = u.Field(i).Type()
							}
						}
					} else if key == nil {
						for i, el := range lit.Elts {
							if el == e && i < u.NumFields() {
								et = u.Field(i).Type()
							}
						}
					}
				}
				ok = et != nil && !types.IsInterface(et)
			case *ast.IndexExpr:
				if p.Index == e {
					if mp, isMap := under(info.TypeOf(p.X)).(*types.Map); isMap {
						ok = !types.IsInterface(mp.Key())
					}
				}
			case *ast.RangeStmt:
				ok = p.X != e
			case *ast.GoStmt, *ast.DeferStmt:
				ok = true
			}
			if !ok {
				bad = true
				return false
			}
			return true
		})
	}
	return bad
}

// under is t's underlying type; nil for nil (an expression the type
// checker did not record, in code with errors).
func under(t types.Type) types.Type {
	if t == nil {
		return nil
	}
	return t.Underlying()
}
