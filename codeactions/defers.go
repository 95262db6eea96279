package codeactions

import (
	"go/ast"

	"github.com/golens/golens/model"
)

// deferActions switches a defer between its two evaluation times. `defer
// f(x)` evaluates f and x at the defer statement; `defer func() { f(x) }()`
// evaluates them when the surrounding function returns. Either may be what
// the author meant, so golens offers both directions, each only on a
// single-line call whose text can move without reformatting.
func (f *fileCtx) deferActions() []Action {
	d := f.enclosingDefer()
	if d == nil || f.tf.Line(d.Pos()) != f.tf.Line(d.End()-1) && !isWrappedCall(d) {
		return nil
	}
	for _, cg := range f.m.AST.Comments {
		if cg.Pos() >= d.Pos() && cg.End() <= d.End() {
			return nil
		}
	}
	replace := func(text string) []Edit {
		return []Edit{{Start: f.off(d.Pos()), End: f.off(d.End()), NewText: text}}
	}
	if inner := unwrappableCall(f.m, d); inner != nil {
		if f.tf.Line(inner.Pos()) != f.tf.Line(inner.End()-1) {
			return nil
		}
		return []Action{{
			Title: "Evaluate the deferred call's arguments now, at the defer statement (defer " + f.text(inner.Fun) + "(...))",
			Kind:  KindRewrite, Edits: replace("defer " + f.text(inner)),
		}}
	}
	if _, isLit := d.Call.Fun.(*ast.FuncLit); isLit || !evaluatesSomethingNow(d.Call) || f.m.CallsRecover(d.Call) {
		return nil
	}
	return []Action{{
		Title: "Evaluate the deferred call's arguments when it runs (defer func() { ... }())",
		Kind:  KindRewrite, Edits: replace("defer func() { " + f.text(d.Call) + " }()"),
	}}
}

// enclosingDefer returns the defer statement the selection is in, unless a
// function literal other than the deferred one lies between them (the
// cursor is then in unrelated code that merely sits in an argument).
func (f *fileCtx) enclosingDefer() *ast.DeferStmt {
	var lits []*ast.FuncLit
	for _, n := range f.path {
		switch n := n.(type) {
		case *ast.FuncLit:
			lits = append(lits, n)
		case *ast.DeferStmt:
			if len(lits) > 1 || len(lits) == 1 && n.Call.Fun != lits[0] {
				return nil
			}
			return n
		}
	}
	return nil
}

// isWrappedCall reports whether d is `defer func() { ... }()`.
func isWrappedCall(d *ast.DeferStmt) bool {
	_, ok := d.Call.Fun.(*ast.FuncLit)
	return ok
}

// unwrappableCall returns the call inside `defer func() { call }()` when
// unwrapping it only moves its evaluation earlier: the literal takes and
// returns nothing, holds exactly that call statement, and the call does not
// involve recover (which stops a panic only when called by the deferred
// function itself).
func unwrappableCall(m *model.File, d *ast.DeferStmt) *ast.CallExpr {
	lit, ok := d.Call.Fun.(*ast.FuncLit)
	if !ok || len(d.Call.Args) > 0 || lit.Type.Params.NumFields() > 0 || lit.Type.Results.NumFields() > 0 || len(lit.Body.List) != 1 {
		return nil
	}
	es, ok := lit.Body.List[0].(*ast.ExprStmt)
	if !ok {
		return nil
	}
	call, ok := es.X.(*ast.CallExpr)
	if !ok || m.CallsRecover(call) {
		return nil
	}
	return call
}

// evaluatesSomethingNow reports whether a deferred call has an argument
// that is not a literal, whose value is fixed at the defer statement. (The
// receiver of `defer mu.Unlock()` is evaluated now too, but wrapping such a
// call changes nothing anyone means, so it is not offered.)
func evaluatesSomethingNow(call *ast.CallExpr) bool {
	for _, a := range call.Args {
		if _, ok := a.(*ast.BasicLit); !ok {
			return true
		}
	}
	return false
}

// unlockActions adds `defer mu.Unlock()` (or RUnlock) right after a Lock
// (RLock) call statement, when the model's lock flow of that Lock finds no
// release of it (directly or through a helper), no call that may release
// it, and no unlock of the mutex in a function literal the function starts
// or builds: an added deferred Unlock next to an existing release would
// unlock twice, which is a fatal error. Every fact is the model's: the
// flow decides "released", Pairs decides "an Unlock that releases a lock
// its own function did not take".
func (f *fileCtx) unlockActions() []Action {
	stmt, parent := f.enclosingStmt()
	es, ok := stmt.(*ast.ExprStmt)
	if !ok || !statementListParent(parent) {
		return nil
	}
	call, ok := es.X.(*ast.CallExpr)
	if !ok {
		return nil
	}
	var lock *model.LockOp
	for _, l := range f.m.Locks {
		if l.Call == call && !l.Deferred && (l.Kind == model.Lock || l.Kind == model.RLock) {
			lock = l
		}
	}
	if lock == nil || lock.Func == nil {
		return nil
	}
	// The model's lock flow pairs this Lock with its releases, through
	// the helpers of the file too (`s.release()`, which unlocks it), and
	// knows the calls it cannot follow that may release it and the
	// unlocks in the goroutines and closures its function starts: the
	// lock hover reads the same LockFlow. Any of them means an added
	// deferred Unlock may unlock twice. An Unlock of the same mutex that
	// releases some other Lock (the deferred Unlock of another path, or
	// of another method) is no reason to stay silent.
	lf := lock.Flow()
	if lf == nil || !lf.Known || len(lf.Releases) > 0 || len(lf.Unsure) > 0 || len(lf.Elsewhere) > 0 {
		return nil
	}
	release, _ := model.ReleaseOf(lock.Kind)
	// An Unlock that pairs with no Lock of its own function releases a
	// lock its caller (or another goroutine) took. In this function (`mu.Unlock(); slow();
	// mu.Lock()`), the caller holds the mutex on entry and unlocks it
	// after: a deferred Unlock would unlock twice. In another function it
	// may be a deliberate hand-over (acquire / release), so the action is
	// then offered but not preferred; so it is when another function's
	// Unlock releases a lock taken through a helper call (`s.lock();
	// defer s.mu.Unlock()`), which may be a call of this very function.
	//
	// The functions around a function literal count as its own here: a
	// goroutine that locks for its parent to unlock (`go func() {
	// mu.Lock() }()` ... `mu.Unlock()`), and a deferred closure that
	// locks again what its function unlocked for its caller, hand the
	// lock over by design.
	// So do sibling literals of one function (`lock := func() {
	// mu.Lock() }` and `unlock := func() { mu.Unlock() }`).
	top := func(fn *model.Func) *model.Func {
		for fn.Parent != nil {
			fn = fn.Parent
		}
		return fn
	}
	around := func(fn *model.Func) bool { return top(fn) == top(lock.Func) }
	// A function whose first operation on the mutex is a release is
	// entered holding it (`fs.mu.Unlock(); load(); fs.mu.Lock()` in a
	// loop, where the Unlock also pairs with the loop's Lock): the caller
	// unlocks after it returns.
	if ops := lf.Ops; len(ops) > 0 && (ops[0].Kind == model.Unlock || ops[0].Kind == model.RUnlock) {
		return nil
	}
	handedOver := false
	for _, u := range f.m.Locks {
		if u.Kind != release || u.Func == nil || !lock.Key.Valid() || u.Key != lock.Key {
			continue
		}
		pairs := u.Pairs()
		if len(pairs) == 0 && around(u.Func) {
			return nil
		}
		if u.Func == lock.Func {
			continue
		}
		handedOver = handedOver || len(pairs) == 0
		for _, p := range pairs {
			handedOver = handedOver || p.Through != ""
		}
	}
	indent, ok := f.ownLine(es)
	if !ok {
		return nil
	}
	at := f.off(es.End())
	for at < len(f.src) && f.src[at] != '\n' {
		at++ // after a trailing comment, which stays with the Lock
	}
	text := "defer " + lock.Recv + "." + release.String() + "()"
	return []Action{{
		Title: "Add " + text, Kind: KindRewrite, IsPreferred: !handedOver,
		Edits: []Edit{{Start: at, End: at, NewText: "\n" + indent + text}},
	}}
}
