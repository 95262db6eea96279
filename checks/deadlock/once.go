package deadlock

import (
	"go/ast"
	"go/types"
)

// sync.Once.Do(f) does not return until f has returned, for the caller
// that runs f and for every other caller (go doc sync.Once.Do: "if f
// causes Do to be called, it will deadlock"). The walk reads once.Do(f)
// as a Lock of the Once held while f runs: a Do of the same Once reached
// from f is then a double lock. Only that is reported; a Once takes no
// part in lock orders or waits.

// onceDo records o.Do(f): the "lock" of o, and the call of f with o
// held. It reports whether c is such a call.
func (w *walker) onceDo(blk ast.Node, stmt ast.Stmt, c *ast.CallExpr, h []held) bool {
	typ, method, x, sel, ok := w.syncMethod(c)
	if !ok || typ != "Once" || method != "Do" || len(sel.Index()) > 1 || len(c.Args) != 1 {
		return false
	}
	mu := w.st.refOf(x)
	if mu.root == nil || mu.class == nil {
		return true
	}
	mu.once = true
	w.u.locks = append(w.u.locks, &lockEvent{mu: mu, kind: lockW, call: c, stmt: stmt, block: blk, held: h, top: blk == w.u.body})
	in := append(append([]held(nil), h...), held{mu: mu, kind: lockW, pos: c.Pos()})
	switch f := ast.Unparen(c.Args[0]).(type) {
	case *ast.FuncLit:
		w.u.calls = append(w.u.calls, &callEvent{call: c, fnLit: f, held: in, stmt: stmt, block: blk})
	case *ast.Ident:
		if fn, ok := w.st.pass.TypesInfo.Uses[f].(*types.Func); ok && fn.Pkg() == w.st.pass.Pkg {
			w.u.calls = append(w.u.calls, &callEvent{call: c, callee: fn.Origin(), held: in, stmt: stmt, block: blk})
		}
	case *ast.SelectorExpr:
		if s := w.st.pass.TypesInfo.Selections[f]; s != nil && s.Kind() == types.MethodVal && !types.IsInterface(s.Recv()) {
			if fn, ok := s.Obj().(*types.Func); ok && fn.Pkg() == w.st.pass.Pkg {
				w.u.calls = append(w.u.calls, &callEvent{call: c, callee: fn.Origin(), recv: f.X, held: in, stmt: stmt, block: blk})
			}
		}
	}
	return true // the argument is still walked (a literal becomes a unit)
}
