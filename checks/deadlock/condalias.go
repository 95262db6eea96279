package deadlock

import (
	"go/ast"

	"github.com/golens/golens/model"
)

// A sync.Cond's L is the Locker it was made with (model.CondLocks): a
// goroutine holding the mutex through one name that locks it again
// through the other deadlocks like any double lock.

// condLockCall reads owner.cond.L.Lock() (and Unlock) as the lock of the
// mutex the Cond was made with.
func (w *walker) condLockCall(method string, x ast.Expr) (mutex, lockKind, bool, bool) {
	se, ok := ast.Unparen(x).(*ast.SelectorExpr)
	if !ok || se.Sel.Name != "L" || method != "Lock" && method != "Unlock" {
		return mutex{}, 0, false, false
	}
	cond := w.st.refOf(se.X)
	cl, ok := w.st.conds[cond.class]
	if !ok || cond.root == nil {
		return mutex{}, 0, false, false
	}
	// cond.path ends with the Cond field; the mutex is its sibling.
	ownerPath := cond.path[:len(cond.path)-len(cond.class.Name())-1]
	condSel, ok := ast.Unparen(se.X).(*ast.SelectorExpr)
	if !ok {
		return mutex{}, 0, false, false
	}
	ownerText := exprText(condSel.X)
	mu := mutex{root: cond.root, path: ownerPath + cl.Path, class: cl.Class,
		text: ownerText + "." + cl.Name + " (as " + model.ExprText(se) + ")"}
	kind := lockW
	if cl.Read {
		kind = lockR
	}
	return mu, kind, method == "Unlock", true
}
