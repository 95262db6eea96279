package model

import (
	"go/ast"
	"go/token"
	"strings"
)

// A wait the model proves waits for a goroutine ("main waits for it with
// wg.Wait() at line 36") says nothing of whether the goroutine finishes,
// or whether main gets to the wait at all. Two shipped bugs make both
// fail, and golens proves each half of them:
//   - a function that returns early with a mutex locked (lockleak's
//     finding): the next Lock of that mutex, in this goroutine, never
//     returns (r20f_lock_early_return, r21d_lock_early_return);
//   - a semaphore slot taken before each go statement and given back by
//     the goroutine, which an early return skips: once every slot is
//     lost, the next take blocks main before the wait
//     (r20d_sem_early_return, r21c_sem_no_release).
// Whether the early return runs is the program's input, which golens does
// not know. So the wait is not withdrawn: its text says what can block
// for good first, and where.

// MayStick is what can keep a waited goroutine from finishing, or its
// starter from reaching the wait: one of Lock or Release is set.
type MayStick struct {
	// Lock is a Lock (RLock) this goroutine runs, in its body or in the
	// function Call calls (Call nil when in the body), and Leak the early
	// exit of LeakLock (Lock itself, or a Lock of the same mutex) that
	// returns with the mutex held: after it, Lock never returns.
	Lock     *LockOp
	Call     *ast.CallExpr
	LeakLock *LockOp
	Leak     LockLeak
	// NextPass, instead of a leak: Lock is in a loop and defers this
	// release, which runs only at return, so the next pass locks the
	// mutex while this goroutine still holds it.
	NextPass *LockOp
	// CondWait is a Wait of the goroutine's body that checks no condition
	// and that nothing before it announces: a Signal or Broadcast sent
	// before it waits is lost, and it then waits for good.
	CondWait *CondWait
	// Release is the goroutine's receive that gives the semaphore slot
	// back, Skip the return before it that skips it, and Acquire the send
	// that takes a slot before each go statement, in the loop that starts
	// the goroutines; Cap is the number of slots.
	Release, Acquire *ChanOp
	Skip             token.Pos
	Cap              int64
}

// GoMayStick is the MayStick of g, when its starting function waits for
// it (GoWait proven); nil otherwise.
func (m *File) GoMayStick(g *Goroutine) *MayStick {
	fn, _ := m.goFunc(g)
	if fn == nil || fn.Body == nil {
		return nil
	}
	if w := g.Wait(); w.By == "" || !w.Waited.ProvenTrue() {
		return nil
	}
	if s := m.stickLock(g, fn); s != nil {
		return s
	}
	if w := m.stickCond(fn); w != nil {
		return &MayStick{CondWait: w}
	}
	return m.stickSem(g, fn)
}

// stickCond is a Cond Wait that is a statement of fn's top-level list,
// with no condition around it (WaitRecheck), after nothing but defers,
// Lock calls and, before those, plain receives: nothing the goroutine does first can tell a signaller that
// it is about to wait (the condwait check's lost wake-up, without its
// announcement cases).
func (m *File) stickCond(fn *Func) *CondWait {
	if len(m.CondWaits()) == 0 {
		return nil
	}
	return m.stickCondIn(fn, true)
}

// stickCondIn is stickCond in fn, and, when deeper is set, in a function
// of the file that a statement of fn's list calls in its place (`g.Wait()`,
// `got <- cfg.AwaitReload()`): a method named Wait that forwards to the
// Cond's (WaitRecheck.Forwards) checks no condition either when its
// caller calls it once.
func (m *File) stickCondIn(fn *Func, deeper bool) *CondWait {
	waits := m.CondWaits()
	locked := false
	for _, st := range fn.Body.List {
		for _, w := range waits {
			if es, ok := st.(*ast.ExprStmt); ok && ast.Unparen(es.X) == ast.Expr(w.Call) {
				r := m.WaitRecheck(w)
				if r.Func != fn || r.Guard != nil || r.Rechecked() || r.Forwards && deeper || r.Settled != nil {
					return nil
				}
				return w
			}
		}
		if call := stmtCall(st); call != nil && deeper && !locked {
			if fd := m.fileCallee(call); fd == nil {
				// fmt.Println("got", q.Pop()): the arguments run first;
				// a call of the file among them, after plain values only,
				// runs in the statement's place (r22k_lost_wakeup).
				for _, a := range call.Args {
					if inner, ok := ast.Unparen(a).(*ast.CallExpr); ok {
						call = inner
						break
					}
					if hasCall(a) {
						break
					}
				}
			}
			if fd := m.fileCallee(call); fd != nil && fd.Body != nil {
				if callee := m.FuncAt(fd.Body.Lbrace + 1); callee != nil && callee != fn {
					return m.stickCondIn(callee, false)
				}
			}
		}
		switch st := st.(type) {
		case *ast.DeferStmt:
			continue
		case *ast.ExprStmt:
			if call, ok := ast.Unparen(st.X).(*ast.CallExpr); ok {
				if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && (sel.Sel.Name == "Lock" || sel.Sel.Name == "RLock") && len(call.Args) == 0 {
					locked = true
					continue
				}
			}
			// A receive before any Lock (`<-ready`) tells no signaller
			// that the goroutine is about to wait: one made holding the
			// lock could, since Wait releases it only once waiting.
			if u, ok := ast.Unparen(st.X).(*ast.UnaryExpr); ok && u.Op == token.ARROW && !locked {
				continue
			}
		}
		return nil
	}
	return nil
}

// stickLock finds a Lock that fn runs (directly, or in a function of the
// file it calls) that can find its mutex left held by this goroutine
// itself: an earlier call of fn reaches a proven leak of the same mutex
// (an early return that skips the Unlock), so on that path the later Lock
// never returns (r22d_cache_early_return: c.Get("a") then c.Get("b")).
// A leak in the goroutine's only call, or one that only code running
// after the go statement may make, is not claimed: nothing shows it comes
// first (r22g_mutex_early_return, r21h_early_return_lock). Leaks that do come first: a call in a loop of
// fn that nothing leaves early reaches its leak on one pass and its Lock
// on the next (r19j_lock_early_return); a goroutine fn's starter started
// before g, or another run of g when g is started in a loop, may leak
// before g locks (r21d_lock_early_return, r20f_lock_early_return), and so
// may the starter's own calls before the go statement. Or a
// Lock in a loop that defers its Unlock (NextPass): the next pass finds
// the mutex still held.
func (m *File) stickLock(g *Goroutine, fn *Func) *MayStick {
	type leak struct {
		held *LockOp
		lk   LockLeak
	}
	var seen []leak // leaks reached by fn's calls so far, in order
	var found *MayStick
	// try checks l, a Lock fn reaches (through call, nil when in fn's
	// body), against the leaks seen before it and its own next pass.
	try := func(l *LockOp, call *ast.CallExpr) {
		if found != nil || l.Deferred || l.Kind != Lock && l.Kind != RLock {
			return
		}
		if lf := l.Flow(); lf != nil && lf.Known {
			// Locked again on the loop's next pass while the Unlock it
			// deferred waits for the return (deferloop's case:
			// r21a_defer_loop_lock, r21h_defer_in_loop).
			if lk := lf.DeferredIntoNextPass(); lk != nil && lk.Deferred != nil {
				found = &MayStick{Lock: l, Call: call, LeakLock: l, Leak: *lk, NextPass: lk.Deferred}
				return
			}
		}
		for _, sl := range seen {
			if l.Kind == RLock && sl.held.Kind == RLock {
				continue // a read lock held keeps out only writers
			}
			if sl.held == l || m.sameMutexKey(sl.held, l) {
				found = &MayStick{Lock: l, Call: call, LeakLock: sl.held, Leak: sl.lk}
				return
			}
		}
	}
	// leaksIn adds the proven early-return leaks of callee's Locks.
	leaksIn := func(callee *Func) {
		for _, held := range m.Locks {
			if held.Func != callee || held.Deferred || held.Kind != Lock && held.Kind != RLock {
				continue
			}
			lf := held.Flow()
			if lf == nil || !lf.Known {
				continue
			}
			for _, lk := range lf.Leaks {
				if lk.Leaked() && lk.Via == ViaReturn {
					seen = append(seen, leak{held, lk})
					break
				}
			}
		}
	}
	// reach adds the leaks of f's body and of the functions it calls
	// before pos.
	reach := func(f *Func, pos token.Pos) {
		leaksIn(f)
		ast.Inspect(f.Body, func(n ast.Node) bool {
			if call, ok := n.(*ast.CallExpr); ok && call.End() < pos {
				if fd := m.fileCallee(call); fd != nil && fd.Body != nil {
					if callee := m.FuncAt(fd.Body.Lbrace + 1); callee != nil && callee != f {
						leaksIn(callee)
					}
				}
			}
			_, lit := n.(*ast.FuncLit)
			return !lit
		})
	}
	for _, g2 := range m.Goroutines {
		if g2.Func != g.Func || g2.Pos > g.Pos || g2 == g && !g.InLoop {
			continue
		}
		if f2, _ := m.goFunc(g2); f2 != nil && f2.Body != nil {
			reach(f2, f2.Body.End())
		}
	}
	if g.Func != nil && g.Func.Body != nil {
		// The starter's own calls before the go statement
		// (r21p_unlock_early_return: s.Put("a", -1) leaks, then the
		// goroutine's s.Put("b", 2) locks).
		ast.Inspect(g.Func.Body, func(n ast.Node) bool {
			if call, ok := n.(*ast.CallExpr); ok && call.End() < g.Pos {
				if fd := m.fileCallee(call); fd != nil && fd.Body != nil {
					if callee := m.FuncAt(fd.Body.Lbrace + 1); callee != nil {
						leaksIn(callee)
					}
				}
			}
			_, lit := n.(*ast.FuncLit)
			return !lit
		})
	}
	direct := map[*ast.CallExpr]*LockOp{}
	for _, l := range m.Locks {
		if l.Func == fn && l.Call != nil {
			direct[l.Call] = l
		}
	}
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		if found != nil {
			return false
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			return false // may not run
		case *ast.DeferStmt:
			return false // runs after the goroutine's own work
		case *ast.CallExpr:
			if l := direct[n]; l != nil {
				try(l, nil)
				return true
			}
			fd := m.fileCallee(n)
			if fd == nil || fd.Body == nil {
				return true
			}
			callee := m.FuncAt(fd.Body.Lbrace + 1)
			if callee == nil || callee == fn {
				return true
			}
			if loop := m.InnermostLoop(n.Pos()); loop != nil && loop.Pos() > fn.Body.Pos() && !m.loopLeavesEarly(loop) {
				// Its leak on one pass comes before its Lock on the next.
				leaksIn(callee)
			}
			for _, l := range m.Locks {
				if l.Func == callee {
					try(l, n)
				}
			}
			leaksIn(callee)
		}
		return true
	})
	return found
}

// sameMutexKey reports whether a and b name one mutex variable: the same
// variable, or on the typed tier the same field; on the syntax tier a
// field is known by its name only, so only when one struct type of the
// file has a field of that name.
func (m *File) sameMutexKey(a, b *LockOp) bool {
	if !a.Key.Valid() || a.Key != b.Key {
		return false
	}
	if a.Key.obj != nil || m.Tier == TypedTier {
		return true
	}
	name, ok := strings.CutPrefix(a.Key.field, ".")
	return ok && fieldsNamed(m.AST, name) == 1
}

// fieldsNamed counts the fields named name of the struct types under
// root: a field is known by its name only on the syntax tier
// (sameMutexKey, and goMaySend's isFieldName for fields of func type).
func fieldsNamed(root ast.Node, name string) int {
	n := 0
	ast.Inspect(root, func(x ast.Node) bool {
		if st, ok := x.(*ast.StructType); ok {
			for _, fl := range st.Fields.List {
				for _, id := range fl.Names {
					if id.Name == name {
						n++
					}
				}
			}
		}
		return true
	})
	return n
}

// stickSem finds a semaphore that g's loop takes a slot of before g's go
// statement and that g gives back after a return that can skip it:
//   - the take is a send statement of the loop body that holds the
//     go statement, before it, on a local channel made once with a known
//     buffer;
//   - the channel's only receive is a plain statement of fn's own list,
//     and a return of fn's body comes before that statement.
func (m *File) stickSem(g *Goroutine, fn *Func) *MayStick {
	if !g.InLoop || g.Func == nil {
		return nil
	}
	before := m.StmtsBefore(g.Pos)
	for _, acq := range m.ChanOps {
		if acq.Kind != Send || acq.Select != nil || acq.Func != g.Func || acq.Pos > g.Pos || !acq.InLoop || !localOnce(acq.Chan) {
			continue
		}
		if _, ok := acq.Node.(*ast.SendStmt); !ok {
			continue
		}
		if n, known := acq.Chan.Capacity(); !known || n < 1 || !m.sameLoopBody(before, acq.Pos, g) {
			continue
		} else if rel, skip := m.skippedRelease(m.boundIn(g, acq.Chan), fn); rel != nil {
			return &MayStick{Release: rel, Acquire: acq, Skip: skip, Cap: n}
		}
	}
	return nil
}

// sameLoopBody reports whether the statement at p is a statement of the
// innermost loop body holding g's go statement, before it (before is
// StmtsBefore of the go statement, innermost list first).
func (m *File) sameLoopBody(before []ast.Stmt, p token.Pos, g *Goroutine) bool {
	var body *ast.BlockStmt
	ast.Inspect(g.Func.Body, func(n ast.Node) bool {
		if n == nil || g.Pos < n.Pos() || g.Pos >= n.End() {
			return false
		}
		switch n := n.(type) {
		case *ast.FuncLit:
			return false // g is in g.Func's own body
		case *ast.ForStmt:
			body = n.Body
		case *ast.RangeStmt:
			body = n.Body
		}
		return true
	})
	if body == nil {
		return false
	}
	for _, st := range body.List {
		if st.Pos() <= p && p < st.End() {
			for _, b := range before {
				if b == st {
					return true
				}
			}
		}
	}
	return false
}

// boundIn is c as the function g runs names it: c itself for a function
// literal, the parameter c is passed for to a named function (`go run(id,
// sem, &wg)`: r21l_sem_release_skipped); nil when it is passed for none,
// or for several.
func (m *File) boundIn(g *Goroutine, c *Chan) *Chan {
	_, fd := m.goFunc(g)
	if fd == nil {
		return c
	}
	var p *Chan
	for param, arg := range m.chanArgs(g, fd) {
		if arg == c {
			if p != nil {
				return nil
			}
			p = param
		}
	}
	if p != nil {
		// The caller's channel is received from nowhere else.
		for _, o := range c.Ops {
			if o.Kind == Recv || o.Kind == Range {
				return nil
			}
		}
	}
	return p
}

// skippedRelease is the only receive of c, when it is a plain statement
// of fn's top-level list after a return of fn's body (not in a function
// literal), with that return; nil when there is none.
func (m *File) skippedRelease(c *Chan, fn *Func) (*ChanOp, token.Pos) {
	if c == nil {
		return nil, token.NoPos
	}
	var rel *ChanOp
	for _, o := range c.Ops {
		if o.Kind == Recv || o.Kind == Range {
			if rel != nil || o.Kind == Range || o.Func != fn || o.Select != nil {
				return nil, token.NoPos
			}
			rel = o
		}
	}
	if rel == nil {
		return nil, token.NoPos
	}
	for _, u := range c.Indirect() {
		if u.Effect.Pos != rel.Pos {
			return nil, token.NoPos // used where golens does not look here
		}
	}
	top := false
	for _, st := range fn.Body.List {
		top = top || plainStmtAt(st, rel.Pos)
	}
	if !top {
		return nil, token.NoPos
	}
	skip := token.NoPos
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			if n.Pos() < rel.Pos && !skip.IsValid() {
				skip = n.Pos()
			}
		}
		return !skip.IsValid()
	})
	if !skip.IsValid() {
		return nil, token.NoPos
	}
	return rel, skip
}

// stmtCall is the call a statement makes as a whole: `f()`, `v := f()`,
// `ch <- f()`; nil otherwise.
func stmtCall(st ast.Stmt) *ast.CallExpr {
	var x ast.Expr
	switch st := st.(type) {
	case *ast.ExprStmt:
		x = st.X
	case *ast.AssignStmt:
		if len(st.Rhs) == 1 {
			x = st.Rhs[0]
		}
	case *ast.SendStmt:
		x = st.Value
	}
	call, _ := ast.Unparen(x).(*ast.CallExpr)
	return call
}

// SiblingWait is a WaitGroup Wait in another goroutine that g's starting
// function starts, on a WaitGroup g's own body calls Done on (`go func()
// { wg.Wait(); close(out) }()` beside the workers: r21m_pool). The wait
// search did not prove that it waits for g, but it may: "only code
// outside the function can wait for it" would be false. nil when there
// is none.
func (m *File) SiblingWait(g *Goroutine) *WaitGroupOp {
	for _, d := range m.WaitGroups {
		if d.Kind != WGDone || d.InGo != g {
			continue
		}
		for _, w := range m.WaitGroups {
			if w.Kind == WGWait && w.Key == d.Key && w.InGo != nil && w.InGo != g && w.InGo.Func == g.Func {
				return w
			}
		}
	}
	return nil
}

// MayStickText is a MayStick as the go hover and the goroutine hint's
// tooltip word it (both read this one rendering of the fact): a Cond
// Wait (Cond set), a Lock a leak can leave waiting (Lock set), or a
// semaphore slot an early return keeps (Release set). Lines are 1-based.
type MayStickText struct {
	Cond, Call, Lock, LeakFunc, Mutex  string
	CondLine, CallLine, LockLine       int
	LeakLine, NextPassLine             int
	Release, Acquire, Chan             string
	ReleaseLine, SkipLine, AcquireLine int
	Cap                                int64
}

// MayStickTextOf renders st for the texts; funcName names a function for a reader
// as the feature does.
func (m *File) MayStickTextOf(st *MayStick, funcName func(*Func) string) *MayStickText {
	t := &MayStickText{}
	if w := st.CondWait; w != nil {
		t.Cond, t.CondLine = m.Text(w.Call.Pos(), w.Call.End()), m.Line(w.Call.Pos())
		return t
	}
	if l := st.Lock; l != nil {
		t.Lock, t.LockLine = m.Text(l.Call.Pos(), l.Call.End()), m.Line(l.Call.Pos())
		if st.Call != nil {
			t.Call, t.CallLine = m.Text(st.Call.Pos(), st.Call.End()), m.Line(st.Call.Pos())
		}
		t.LeakFunc, t.Mutex, t.LeakLine = funcName(st.LeakLock.Func), st.LeakLock.Recv, m.Line(st.Leak.At)
		if st.NextPass != nil {
			t.NextPassLine = m.Line(st.NextPass.Pos)
		}
		return t
	}
	t.Release, t.ReleaseLine, t.SkipLine = "<-"+st.Release.ChanExpr, m.Line(st.Release.Pos), m.Line(st.Skip)
	t.Acquire, t.AcquireLine, t.Chan, t.Cap = m.Text(st.Acquire.Node.Pos(), st.Acquire.Node.End()), m.Line(st.Acquire.Pos), st.Acquire.ChanExpr, st.Cap
	return t
}

// loopLeavesEarly reports whether a return, break or goto can leave loop
// before its last pass.
func (m *File) loopLeavesEarly(loop ast.Stmt) bool {
	for _, e := range m.LoopExits(loop) {
		switch e.What {
		case "return", "break", "goto":
			return true
		}
	}
	return false
}

// hasCall reports whether e holds a call or a receive, which may block or
// tell a signaller something.
func hasCall(e ast.Expr) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr:
			found = true
		case *ast.UnaryExpr:
			found = found || n.Op == token.ARROW
		case *ast.FuncLit:
			return false
		}
		return !found
	})
	return found
}
