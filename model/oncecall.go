package model

import (
	"go/ast"
	"go/token"
	"unsafe"
)

// OnceCall is a call of sync.Once's Do. Do calls f only on the first Do of
// that Once, in the calling goroutine; every Do returns only after that
// first call of f has returned (https://pkg.go.dev/sync#Once.Do). So a Do
// on the same Once from inside f waits for itself: the goroutine
// deadlocks.
type OnceCall struct {
	Pos  token.Pos // the Do selector
	Call *ast.CallExpr
	Recv string // the Once, as written
	Key  VarKey
	Func *Func
	// NestedAt is a Do on the same Once that the function this Do runs
	// calls on its way (a literal's body, or a function of this file
	// named as the argument): that inner Do deadlocks. NoPos when none.
	NestedAt token.Pos
}

// OnceCall is the fact of a SiteOnce.
func (s *Site) OnceCall() *OnceCall {
	if s.Kind != SiteOnce {
		return nil
	}
	return (*OnceCall)(s.fact)
}

// onceDo records once.Do(f) and looks in f for a Do on the same Once.
func (b *builder) onceDo(v *visitor, call *ast.CallExpr, sel *ast.SelectorExpr) {
	if len(call.Args) != 1 || v.fn == nil {
		return
	}
	k, _ := b.keyOf(sel.X)
	o := &OnceCall{Pos: sel.Sel.Pos(), Call: call, Recv: b.text(sel.X), Key: k, Func: v.fn}
	// A *ast.BlockStmt, not an ast.Node: a function declared without a
	// body (implemented in assembly) has a nil Body, which in an interface
	// would not compare equal to nil.
	var body *ast.BlockStmt
	switch f := ast.Unparen(call.Args[0]).(type) {
	case *ast.FuncLit:
		body = f.Body
	case *ast.Ident:
		if f.Obj != nil {
			if fd, ok := f.Obj.Decl.(*ast.FuncDecl); ok {
				body = fd.Body
			}
		} else if info := b.m.Info; info != nil {
			if obj := info.Uses[f]; obj != nil {
				for _, d := range b.m.AST.Decls {
					if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil && info.Defs[fd.Name] == obj {
						body = fd.Body
					}
				}
			}
		}
	}
	if body != nil && k.Valid() {
		ast.Inspect(body, func(n ast.Node) bool {
			c, ok := n.(*ast.CallExpr)
			if !ok || o.NestedAt.IsValid() {
				return !o.NestedAt.IsValid()
			}
			if s2, ok := ast.Unparen(c.Fun).(*ast.SelectorExpr); ok && s2.Sel.Name == "Do" && len(c.Args) == 1 {
				if k2, ok := b.keyOf(s2.X); ok && k2 == k {
					o.NestedAt = s2.Sel.Pos()
				}
			}
			return true
		})
	}
	b.addSite(SiteOnce, sel.Sel.Pos(), sel.Sel.End(), unsafe.Pointer(o))
}
