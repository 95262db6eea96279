package model

import (
	"go/ast"
	"go/token"
	"go/types"
	"strconv"
)

// Where a Cond's Wait stands and what is locked before a Signal: the facts
// the condwait check decides on (a Wait that does not re-check its
// condition, a Signal that can be lost), computed here once, from the
// function's control flow and the lock facts, so no feature walks the
// syntax for them again.

// WaitRecheck says whether the condition a Wait waits for is checked again
// after it returns.
type WaitRecheck struct {
	// Func is the innermost function whose body holds the Wait.
	Func *Func
	// Loop is the innermost for or range statement of Func around the
	// Wait (nil when none): for a for statement with a condition, the
	// predicate loop whose condition is checked again after each Wait.
	Loop ast.Stmt
	// Guard is the innermost if statement around the Wait inside Loop
	// (inside Func when there is no Loop); nil when none.
	Guard *ast.IfStmt
	// Again says whether control, once the Wait returns, can come back to
	// it in the same call of Func (the flow's ReachAfter): through a loop
	// or a goto to a label above it. ReachUnknown when the flow is not
	// followed.
	Again Reach
	// Forwards: Func is a method named Wait, a wrapper type's Wait that
	// leaves the loop to its callers (pebble's flusherCond.Wait).
	Forwards bool
	// inGoto: a goto below the Wait jumps back to a label above it.
	inGoto bool
	// UsedAfter, for a Wait under an if (Guard) inside a loop: the first
	// statement after the Wait, in the same pass, that reads what the
	// if's condition reads (q.items for `if len(q.items) == 0`), with no
	// check of it in between; NoPos otherwise. State names that state.
	// The loop checks the condition again only on its next pass: the
	// statement runs first, on state another goroutine may have changed
	// since the wake-up (usedAfterGuard).
	UsedAfter token.Pos
	State     string
	// Settled, for a Wait under an if in no loop, proves the if's
	// condition false whenever the Wait returns (cond_oneway.go): a
	// one-way flag set before every Signal and Broadcast on the Cond.
	// Typed tier only; nil otherwise.
	Settled *SettledWait
}

// Rechecked reports whether the Wait is in a loop: written in a for or
// range statement, or the flow brings control back to it (a goto to a
// label above it; where the flow is not followed, such a goto written
// below it). A Wait in a loop whose pass always breaks after it (sync's
// own TestCondSignalStealing checks the state once after Wait, on
// purpose) counts as in a loop: the check stays silent there.
//
// A Wait under an if inside a loop is not, when the pass uses the state
// the if checked before the loop comes round (UsedAfter): for
// { if len(q) == 0 { c.Wait() }; item := q[0]; ... } reads q right after
// the wake-up.
func (r WaitRecheck) Rechecked() bool {
	if r.UsedAfter.IsValid() {
		return false
	}
	if r.Loop != nil || r.Again.Possible() {
		return true
	}
	return r.Again == ReachUnknown && r.inGoto
}

// WaitRecheck reads where the Wait w stands.
func (m *File) WaitRecheck(w *CondWait) WaitRecheck {
	var r WaitRecheck
	if w == nil || w.Call == nil {
		return r
	}
	path, _ := EnclosingPath(m.AST, w.Call.Pos(), w.Call.End())
walk:
	for _, n := range path {
		switch n := n.(type) {
		case *ast.ForStmt, *ast.RangeStmt:
			r.Loop = n.(ast.Stmt)
			break walk
		case *ast.IfStmt:
			if r.Guard == nil {
				r.Guard = n
			}
		case *ast.FuncLit, *ast.FuncDecl:
			break walk
		}
	}
	for _, n := range path {
		if fd, ok := n.(*ast.FuncDecl); ok {
			r.Forwards = fd.Recv != nil && fd.Name.Name == "Wait"
			break
		}
		if _, ok := n.(*ast.FuncLit); ok {
			break
		}
	}
	r.Func = m.funcAt(w.Call.Pos())
	if r.Func != nil && r.Func.Body != nil {
		r.inGoto = InGotoLoop(r.Func.Body, w.Call.Pos(), w.Call.End())
	}
	r.Again = m.ReachAfter(w.Call, w.Pos)
	if r.Loop != nil && r.Guard != nil && r.Guard.Else == nil && r.Guard.Init == nil {
		r.UsedAfter, r.State = usedAfterGuard(path, r.Guard, w.Call)
	}
	if r.Loop == nil && r.Guard != nil && !r.Rechecked() && !r.Forwards {
		r.Settled = m.settledWait(w, r.Guard, r.Func)
	}
	return r
}

// usedAfterGuard finds, for a Wait that is a statement of guard's body,
// the first statement after it — the rest of the body, then the
// statements after guard in the list holding it — that reads one of the
// expressions guard's condition reads (a variable, or a selector such
// as q.items; not the function names it calls). It stops with NoPos at a
// statement whose header checks that state again (an if, for, switch), at
// a branch (continue, break, goto: the pass ends or jumps) and at the end
// of that list (what runs after it is not followed here). path is the
// Wait call's enclosing path.
func usedAfterGuard(path []ast.Node, guard *ast.IfStmt, wait *ast.CallExpr) (token.Pos, string) {
	state := map[string]bool{}
	ast.Inspect(guard.Cond, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr:
			// The function called is no state; its arguments are.
			for _, a := range n.Args {
				ast.Inspect(a, func(x ast.Node) bool {
					if e, ok := x.(ast.Expr); ok && stateExpr(e) {
						state[types.ExprString(e)] = true
						return false
					}
					return true
				})
			}
			return false
		case ast.Expr:
			if stateExpr(n) {
				state[types.ExprString(n)] = true
				return false
			}
		}
		return true
	})
	if len(state) == 0 {
		return token.NoPos, ""
	}
	reads := func(n ast.Node) string {
		found := ""
		if n == nil {
			return ""
		}
		ast.Inspect(n, func(x ast.Node) bool {
			if found != "" {
				return false
			}
			if e, ok := x.(ast.Expr); ok && stateExpr(e) && state[types.ExprString(e)] {
				found = types.ExprString(e)
			}
			return found == ""
		})
		return found
	}
	// The statements that run after the Wait in this pass, in order.
	var after []ast.Stmt
	waitAt := -1
	for i, st := range guard.Body.List {
		if es, ok := st.(*ast.ExprStmt); ok && ast.Unparen(es.X) == wait {
			waitAt = i
		}
	}
	if waitAt < 0 {
		return token.NoPos, "" // the Wait is nested deeper: not followed
	}
	after = append(after, guard.Body.List[waitAt+1:]...)
	for i, n := range path {
		if n != guard || i+1 >= len(path) {
			continue
		}
		if block, ok := path[i+1].(*ast.BlockStmt); ok {
			for j, st := range block.List {
				if st == guard {
					after = append(after, block.List[j+1:]...)
				}
			}
		}
		break
	}
	for _, st := range after {
		switch st := st.(type) {
		case *ast.BranchStmt:
			return token.NoPos, ""
		case *ast.IfStmt:
			if reads(st.Init) != "" || reads(st.Cond) != "" {
				return token.NoPos, "" // checked again
			}
		case *ast.ForStmt:
			if reads(st.Init) != "" || reads(st.Cond) != "" {
				return token.NoPos, ""
			}
		case *ast.SwitchStmt:
			if reads(st.Init) != "" || reads(st.Tag) != "" {
				return token.NoPos, ""
			}
			if st.Tag == nil {
				return token.NoPos, "" // case conditions may check it
			}
		case *ast.TypeSwitchStmt, *ast.SelectStmt, *ast.LabeledStmt:
			return token.NoPos, ""
		}
		if x := reads(st); x != "" {
			return st.Pos(), x
		}
	}
	return token.NoPos, ""
}

// stateExpr reports whether e names state a condition can read: a
// variable or a field selector (q.items, s.q.n), not a package-qualified
// name, a constant such as nil or true, or a builtin.
func stateExpr(e ast.Expr) bool {
	switch e := e.(type) {
	case *ast.Ident:
		switch e.Name {
		case "nil", "true", "false", "iota", "_":
			return false
		}
		return e.Obj != nil && e.Obj.Kind == ast.Var || e.Obj == nil && e.Name != "len" && e.Name != "cap"
	case *ast.SelectorExpr:
		_, ok := e.X.(*ast.Ident)
		if sel, isSel := e.X.(*ast.SelectorExpr); isSel {
			return stateExpr(sel)
		}
		return ok
	}
	return false
}

// LocksBefore reports whether the function whose body holds pos takes
// some lock before pos: a Lock or RLock call written in it (function
// literals included; a Cond's c.L.Lock() too), a call of a helper whose summary returns holding a
// mutex (LockCalls), or a call through which its summary locks or
// read-locks something (the summaries, composed through the package's
// calls). Which mutex a Cond's L is cannot always be named, so any lock
// counts.
func (m *File) LocksBefore(pos token.Pos) bool {
	f := m.funcAt(pos)
	if f == nil || f.Body == nil {
		return false
	}
	for _, l := range m.Locks {
		if (l.Kind == Lock || l.Kind == RLock) && l.Pos >= f.Body.Pos() && l.Pos < pos {
			return true
		}
	}
	for _, p := range m.condLLocks(f.Body) {
		if p < pos {
			return true
		}
	}
	for _, l := range f.LockCalls() {
		if l.Call.Pos() < pos {
			return true
		}
	}
	if s := m.SummaryOf(f); s != nil {
		for _, e := range s.Effects {
			if (e.Kind == EffLock || e.Kind == EffRLock) && e.At.IsValid() && e.At >= f.Body.Pos() && e.At < pos {
				return true
			}
		}
	}
	return false
}

// condLLocks lists the positions of the calls c.L.Lock() and c.L.RLock()
// in n, c being a sync.Cond (by type on the typed tier; on the syntax
// tier, a variable or field declared as one or assigned sync.NewCond in
// this file): the Cond's Locker, which the model's lock calls (File.Locks)
// do not list, since which mutex it is may be unknown.
func (m *File) condLLocks(n ast.Node) []token.Pos {
	if n == nil {
		return nil
	}
	isCond := func(x ast.Expr) bool {
		if m.Info != nil {
			return isCondType(m.Info.TypeOf(x))
		}
		return false
	}
	if m.Info == nil {
		vars, fields := m.syntaxCondsOnce()
		if len(vars) == 0 && len(fields) == 0 {
			return nil
		}
		isCond = func(x ast.Expr) bool {
			switch x := ast.Unparen(x).(type) {
			case *ast.Ident:
				return x.Obj != nil && vars[x.Obj]
			case *ast.SelectorExpr:
				return fields[x.Sel.Name]
			}
			return false
		}
	}
	var out []token.Pos
	ast.Inspect(n, func(x ast.Node) bool {
		call, ok := x.(*ast.CallExpr)
		if !ok {
			return true
		}
		sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
		if !ok || sel.Sel.Name != "Lock" && sel.Sel.Name != "RLock" {
			return true
		}
		l, ok := ast.Unparen(sel.X).(*ast.SelectorExpr)
		if ok && l.Sel.Name == "L" && isCond(l.X) {
			out = append(out, call.Pos())
		}
		return true
	})
	return out
}

// syntaxCondsOnce is syntaxConds for the file's own sync import name.
func (m *File) syntaxCondsOnce() (map[*ast.Object]bool, map[string]bool) {
	syncName := ""
	for _, imp := range m.AST.Imports {
		if p, err := strconv.Unquote(imp.Path.Value); err == nil && p == "sync" {
			syncName = "sync"
			if imp.Name != nil {
				syncName = imp.Name.Name
			}
		}
	}
	if syncName == "" || syncName == "_" || syncName == "." {
		return nil, nil
	}
	return syntaxConds(m, syncName)
}

// FirstLock is the position of the first lock call in n before pos — a
// Lock or RLock of the model's lock calls, or a Cond's c.L.Lock() — or
// NoPos: where a waiter starts holding the lock.
func (m *File) FirstLock(n ast.Node, pos token.Pos) token.Pos {
	at := token.NoPos
	if n == nil {
		return at
	}
	for _, l := range m.Locks {
		if (l.Kind == Lock || l.Kind == RLock) && l.Pos >= n.Pos() && l.Pos < pos && (!at.IsValid() || l.Call.Pos() < at) {
			at = l.Call.Pos()
		}
	}
	for _, p := range m.condLLocks(n) {
		if p < pos && (!at.IsValid() || p < at) {
			at = p
		}
	}
	return at
}
