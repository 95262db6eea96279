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
