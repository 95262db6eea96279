package lockfacts

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
func (w *walker) onceDo(blk ast.Node, stmt ast.Stmt, c *ast.CallExpr, h []Held) bool {
	typ, method, x, sel, ok := w.syncMethod(c)
	if !ok || typ != "Once" || method != "Do" || len(sel.Index()) > 1 || len(c.Args) != 1 {
		return false
	}
	mu := w.st.refOf(x)
	if mu.Root == nil || mu.Class == nil {
		return true
	}
	mu.Once = true
	w.u.Locks = append(w.u.Locks, &LockEvent{Mu: mu, Kind: LockW, Call: c, Stmt: stmt, Block: blk, Held: h, Top: blk == w.u.Body})
	in := append(append([]Held(nil), h...), Held{Mu: mu, Kind: LockW, Pos: c.Pos()})
	switch f := ast.Unparen(c.Args[0]).(type) {
	case *ast.FuncLit:
		w.u.Calls = append(w.u.Calls, &CallEvent{Call: c, FnLit: f, Held: in, Stmt: stmt, Block: blk})
	case *ast.Ident:
		if fn, ok := w.st.Pkg.Info.Uses[f].(*types.Func); ok && fn.Pkg() == w.st.Pkg.Types {
			w.u.Calls = append(w.u.Calls, &CallEvent{Call: c, Callee: fn.Origin(), Held: in, Stmt: stmt, Block: blk})
		}
	case *ast.SelectorExpr:
		if s := w.st.Pkg.Info.Selections[f]; s != nil && s.Kind() == types.MethodVal && !types.IsInterface(s.Recv()) {
			if fn, ok := s.Obj().(*types.Func); ok && fn.Pkg() == w.st.Pkg.Types {
				w.u.Calls = append(w.u.Calls, &CallEvent{Call: c, Callee: fn.Origin(), Recv: f.X, Held: in, Stmt: stmt, Block: blk})
			}
		}
	}
	return true // the argument is still walked (a literal becomes a unit)
}
