package lockfacts

import (
	"go/ast"

	"github.com/golens/golens/model"
)

// A sync.Cond's L is the Locker it was made with (model.CondLocks): a
// goroutine holding the mutex through one name that locks it again
// through the other deadlocks like any double lock.

// condLockCall reads owner.cond.L.Lock() (and Unlock) as the lock of the
// mutex the Cond was made with.
func (w *walker) condLockCall(method string, x ast.Expr) (Mutex, LockKind, bool, bool) {
	se, ok := ast.Unparen(x).(*ast.SelectorExpr)
	if !ok || se.Sel.Name != "L" || method != "Lock" && method != "Unlock" {
		return Mutex{}, 0, false, false
	}
	cond := w.st.refOf(se.X)
	cl, ok := w.st.conds[cond.Class]
	if !ok || cond.Root == nil {
		return Mutex{}, 0, false, false
	}
	// cond.path ends with the Cond field; the mutex is its sibling.
	ownerPath := cond.Path[:len(cond.Path)-len(cond.Class.Name())-1]
	condSel, ok := ast.Unparen(se.X).(*ast.SelectorExpr)
	if !ok {
		return Mutex{}, 0, false, false
	}
	ownerText := exprText(condSel.X)
	mu := Mutex{Root: cond.Root, Path: ownerPath + cl.Path, Class: cl.Class,
		Text: ownerText + "." + cl.Name + " (as " + model.ExprText(se) + ")"}
	kind := LockW
	if cl.Read {
		kind = LockR
	}
	return mu, kind, method == "Unlock", true
}
