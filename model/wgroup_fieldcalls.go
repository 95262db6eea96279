package model

import (
	"go/ast"
	"go/token"
	"go/types"
)

// WaitGroupFieldCall matches r.w.M(), a call of the sync.WaitGroup method
// named method on the WaitGroup field w of the variable r (typed tier):
// it returns the field and r's object. The waitbeforedrain check pairs a
// Wait with the Add and Done calls on the same field of the same variable
// through it.
func WaitGroupFieldCall(info *types.Info, call *ast.CallExpr, method string) (field *types.Var, root types.Object, ok bool) {
	fun, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok || fun.Sel.Name != method {
		return nil, nil, false
	}
	fn, ok := info.Uses[fun.Sel].(*types.Func)
	if !ok || fn.Pkg() == nil || fn.Pkg().Path() != "sync" {
		return nil, nil, false
	}
	recv := fn.Type().(*types.Signature).Recv()
	if recv == nil {
		return nil, nil, false
	}
	rt := recv.Type()
	if p, ok := rt.(*types.Pointer); ok {
		rt = p.Elem()
	}
	if n, ok := rt.(*types.Named); !ok || n.Obj().Name() != "WaitGroup" {
		return nil, nil, false
	}
	wsel, ok := ast.Unparen(fun.X).(*ast.SelectorExpr)
	if !ok {
		return nil, nil, false
	}
	s := info.Selections[wsel]
	if s == nil || s.Kind() != types.FieldVal {
		return nil, nil, false
	}
	id, ok := ast.Unparen(wsel.X).(*ast.Ident)
	if !ok {
		return nil, nil, false
	}
	root = info.Uses[id]
	if root == nil {
		return nil, nil, false
	}
	field, _ = s.Obj().(*types.Var)
	return field, root, field != nil
}

// FieldDoneOnlyAfter reports whether body (outside the function literals
// in it) calls Done on the WaitGroup field w of root, and every such call
// is deferred or written after p: until then, Wait counts the goroutine
// running body as not done.
func FieldDoneOnlyAfter(info *types.Info, body *ast.BlockStmt, w *types.Var, root types.Object, p token.Pos) bool {
	done, early := false, false
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.DeferStmt:
			if f, r, ok := WaitGroupFieldCall(info, n.Call, "Done"); ok && f == w && r == root {
				done = true
			}
			return false
		case *ast.CallExpr:
			if f, r, ok := WaitGroupFieldCall(info, n, "Done"); ok && f == w && r == root {
				if n.Pos() < p {
					early = true
				}
				done = true
			}
		}
		return true
	})
	return done && !early
}

// FieldAddBefore reports whether body calls Add on the WaitGroup field w
// of root somewhere before p (the go statement the Add counts).
func FieldAddBefore(info *types.Info, body *ast.BlockStmt, w *types.Var, root types.Object, p token.Pos) bool {
	added := false
	ast.Inspect(body, func(n ast.Node) bool {
		if c, ok := n.(*ast.CallExpr); ok && c.Pos() < p {
			if f, r, ok := WaitGroupFieldCall(info, c, "Add"); ok && f == w && r == root {
				added = true
			}
		}
		return !added
	})
	return added
}

// RecvFieldWait reports whether the method fd waits on a WaitGroup field
// of its receiver as one of its own top-level statements, with no return
// before it (`func (b *batch) run() { ...; b.wg.Wait(); ... }`): a call of
// fd that returns has waited. It returns the field and the Wait call.
func RecvFieldWait(info *types.Info, fd *ast.FuncDecl) (*types.Var, *ast.CallExpr, bool) {
	if fd == nil || fd.Body == nil || fd.Recv == nil || len(fd.Recv.List) != 1 || len(fd.Recv.List[0].Names) != 1 {
		return nil, nil, false
	}
	recv := info.Defs[fd.Recv.List[0].Names[0]]
	for _, s := range fd.Body.List {
		if HoldsReturn(s) {
			return nil, nil, false // a return before the Wait may skip it
		}
		es, ok := s.(*ast.ExprStmt)
		if !ok {
			continue
		}
		if wc, ok := ast.Unparen(es.X).(*ast.CallExpr); ok {
			if w, r, ok := WaitGroupFieldCall(info, wc, "Wait"); ok && r == recv {
				return w, wc, true
			}
		}
	}
	return nil, nil, false
}
