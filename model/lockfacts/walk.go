package lockfacts

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"github.com/golens/golens/model"
)

// walker follows one function body statement by statement and records
// its lock calls, calls, channel operations and WaitGroup calls. What
// each of them holds is the model's lock flow's answer (model.Func.HeldAt:
// the mutexes every path to the point holds, by a Lock no call since may
// have released), read at the event's position and named here so that
// mutexes of different functions compare (held.go). The walk keeps no
// held set of its own.
type walker struct {
	st   *Facts
	u    *Unit
	lits []*ast.FuncLit
	// fn is the model's function of u's body (nil when the file has no
	// model): where its lock flow is read.
	fn *model.Func
	// unlocked holds the instances unlocked so far, by root and path (a
	// mutex without a root is no instance): one lookup per lock, where a
	// list compared with every earlier Unlock made a function of n
	// lock/unlock pairs quadratic.
	unlocked map[instance]bool
	// tried holds the instances TryLocked so far.
	tried map[instance]bool
}

// instance is a mutex's identity within one function (see sameInstance).
type instance struct {
	Root types.Object
	Path string
}

func (w *walker) block(blk ast.Node, list []ast.Stmt) {
	for _, s := range list {
		w.stmt(blk, s)
	}
}

// mayEnd reports whether control may never fall through to the statement
// after list (model.File.MayEndBlock: calls named like exits count too).
func (w *walker) mayEnd(list []ast.Stmt) bool {
	return w.u.File != nil && w.u.File.MayEndBlock(list)
}

func (w *walker) stmt(blk ast.Node, s ast.Stmt) {
	switch s := s.(type) {
	case *ast.ExprStmt:
		if c, ok := ast.Unparen(s.X).(*ast.CallExpr); ok {
			if mu, kind, unlock, ok := w.lockCall(c); ok {
				ev := &LockEvent{Mu: mu, Kind: kind, Unlock: unlock, Call: c, Stmt: s, Block: blk, Held: w.heldAt(c.Pos()),
					Top: blk == w.u.Body}
				if mu.Root != nil && w.unlocked[instance{mu.Root, mu.Path}] {
					ev.UnlockedBefore = true
				}
				w.u.Locks = append(w.u.Locks, ev)
				// An Unlock after a TryLock of the same mutex may
				// release the function's own lock.
				if unlock && mu.Root != nil && !w.tried[instance{mu.Root, mu.Path}] {
					if w.unlocked == nil {
						w.unlocked = map[instance]bool{}
					}
					w.unlocked[instance{mu.Root, mu.Path}] = true
				}
				return
			}
		}
		w.exprs(blk, s, s, false)
	case *ast.DeferStmt:
		if _, _, _, ok := w.lockCall(s.Call); ok {
			return
		}
		// A deferred Done or close releases its waiter when the function
		// returns.
		w.exprs(blk, s, s.Call, true)
	case *ast.GoStmt:
		// The call runs in another goroutine; its arguments here.
		for _, a := range s.Call.Args {
			w.exprs(blk, s, a, false)
		}
		if lit, ok := ast.Unparen(s.Call.Fun).(*ast.FuncLit); ok {
			w.lits = append(w.lits, lit)
		}
	case *ast.BlockStmt:
		w.block(s, s.List)
	case *ast.LabeledStmt:
		w.stmt(blk, s.Stmt)
	case *ast.IfStmt:
		if s.Init != nil {
			w.stmt(blk, s.Init)
		}
		w.exprs(blk, s, s.Cond, false)
		w.block(s.Body, s.Body.List)
		// An early exit on a flag only takes lock-order edges away
		// (flagExits): a branch that may end counts.
		if s.Else == nil && w.mayEnd(s.Body.List) && w.readsAtomic(s.Cond) {
			w.u.FlagExits = append(w.u.FlagExits, s.Pos())
		}
		if s.Else != nil {
			w.stmt(blk, s.Else)
		}
	case *ast.ForStmt:
		w.u.Loops = append(w.u.Loops, s)
		if s.Init != nil {
			w.stmt(blk, s.Init)
		}
		if s.Cond != nil {
			w.exprs(blk, s, s.Cond, false)
		}
		w.block(s.Body, s.Body.List)
	case *ast.RangeStmt:
		w.u.Loops = append(w.u.Loops, s)
		w.exprs(blk, s, s.X, false)
		if op := w.st.chanOps[s]; op != nil && op.Kind == model.Range {
			// Reported at the for statement, its header the wait.
			w.chanOp(blk, s, WaitRecv, s.X, op.Pos, s.Pos(), s.Body.Pos(), false, false)
		}
		w.block(s.Body, s.Body.List)
	case *ast.SwitchStmt:
		if s.Init != nil {
			w.stmt(blk, s.Init)
		}
		if s.Tag != nil {
			w.exprs(blk, s, s.Tag, false)
		}
		w.clauses(s.Body)
	case *ast.TypeSwitchStmt:
		if s.Init != nil {
			w.stmt(blk, s.Init)
		}
		w.clauses(s.Body)
	case *ast.SelectStmt:
		for _, c := range s.Body.List {
			cc := c.(*ast.CommClause)
			if cc.Comm != nil {
				w.commOp(cc, cc.Comm)
			}
			w.block(cc, cc.Body)
		}
	case *ast.SendStmt:
		w.exprs(blk, s, s.Value, false)
		if op := w.st.chanOps[s]; op != nil {
			w.chanOp(blk, s, WaitSend, s.Chan, op.Pos, op.Pos, op.End, false, false)
		}
	default:
		w.exprs(blk, s, s, false)
	}
}

func (w *walker) clauses(body *ast.BlockStmt) {
	for _, c := range body.List {
		cc := c.(*ast.CaseClause)
		w.block(cc, cc.Body)
	}
}

// commOp records the channel operation of a select case: the model's
// (File.ChanOps), found by the send statement or the receive expression
// the communication is made of.
func (w *walker) commOp(cc *ast.CommClause, s ast.Stmt) {
	var node ast.Node
	var ch ast.Expr
	switch s := s.(type) {
	case *ast.SendStmt:
		node, ch = s, s.Chan
	case *ast.ExprStmt:
		node = ast.Unparen(s.X)
	case *ast.AssignStmt:
		if len(s.Rhs) == 1 {
			node = ast.Unparen(s.Rhs[0])
		}
	}
	op := w.st.chanOps[node]
	if op == nil || op.Select == nil || op.Select.Select == nil {
		return
	}
	kind := WaitSend
	if op.Kind == model.Recv {
		kind = WaitRecv
		ch = node.(*ast.UnaryExpr).X
	}
	// The select may wait on another case instead of this one: with a
	// default it never blocks, and with another case that one may
	// proceed.
	inSelect := !op.MayBlock() || len(op.Select.Select.Cases) > 1
	w.chanOp(cc, cc, kind, ch, op.Pos, op.Pos, op.End, inSelect, false)
}

// exprs records the calls and channel operations inside n, outside
// function literals (collected as units of their own).
func (w *walker) exprs(blk ast.Node, stmt ast.Stmt, n ast.Node, deferred bool) {
	if n == nil {
		return
	}
	ast.Inspect(n, func(x ast.Node) bool {
		switch x := x.(type) {
		case *ast.FuncLit:
			w.lits = append(w.lits, x)
			return false
		case *ast.UnaryExpr:
			if op := w.st.chanOps[x]; op != nil && op.Kind == model.Recv {
				w.chanOp(blk, stmt, WaitRecv, x.X, op.Pos, op.Pos, op.End, false, deferred)
			}
		case *ast.CallExpr:
			if op := w.st.chanOps[x]; op != nil && op.Kind == model.Close {
				w.chanOp(blk, stmt, WaitClose, x.Args[0], x.Pos(), x.Pos(), x.End(), false, deferred)
				return true
			}
			if mu, ok := w.tryLock(x); ok {
				if mu.Root != nil {
					w.u.TryLocks = append(w.u.TryLocks, &LockEvent{Mu: mu, Call: x, Stmt: stmt, Block: blk, Held: w.heldAt(x.Pos())})
					if w.tried == nil {
						w.tried = map[instance]bool{}
					}
					w.tried[instance{mu.Root, mu.Path}] = true
				}
				return true
			}
			if k, wg, isGo, ok := w.wgCall(x); ok {
				if !isGo {
					w.addWait(&WaitEvent{Kind: k, Class: wg.Class, Text: wg.Text, Root: wg.Root, Path: wg.Path, Pos: x.Pos(), End: x.End(), Held: w.heldAt(x.Pos()),
						Deferred: deferred, Stmt: stmt, Block: blk})
				} else if lit, isLit := ast.Unparen(x.Args[0]).(*ast.FuncLit); isLit && !deferred {
					// The Done runs in f's goroutine as f returns: a
					// partner of f's body, after everything f locks.
					w.st.goDone[lit] = &WaitEvent{Kind: k, Class: wg.Class, Text: wg.Text, Root: wg.Root, Path: wg.Path, Pos: lit.Body.Rbrace, End: lit.Body.Rbrace + 1,
						Deferred: true, Stmt: stmt, Block: lit.Body}
				}
				return true
			}
			if w.condOp(blk, stmt, x, w.heldAt(x.Pos()), deferred) {
				return true
			}
			if deferred {
				return true
			}
			h := w.heldAt(x.Pos())
			if w.onceDo(blk, stmt, x, h) {
				return true
			}
			if w.recordParamCall(x, h) {
				return true
			}
			if fn := w.staticCallee(x); fn != nil {
				w.u.Calls = append(w.u.Calls, &CallEvent{Call: x, Callee: fn, Held: h, Stmt: stmt, Block: blk})
			} else if m := w.dispatched(x); m != nil {
				// An interface method with one implementation in the
				// package (dispatch.go).
				w.u.Calls = append(w.u.Calls, &CallEvent{Call: x, Callee: m, Held: h, Stmt: stmt, Block: blk, Dispatched: true})
			} else if ev := w.st.indirectCall(x); ev != nil {
				// A function value golens can name (indirect.go).
				ev.Held, ev.Stmt, ev.Block = h, stmt, blk
				w.u.Calls = append(w.u.Calls, ev)
			}
			w.formatted(x, h, stmt, blk)
		}
		return true
	})
}

func (w *walker) chanOp(blk ast.Node, stmt ast.Stmt, k WaitKind, ch ast.Expr, probe, pos, end token.Pos, inSelect, deferred bool) {
	h := w.heldAt(probe)
	r := w.st.refOf(ch)
	var root types.Object
	if f, ok := r.Class.(*types.Var); ok && f != nil && f.IsField() && r.Root != nil && strings.HasSuffix(r.Path, "."+f.Name()) {
		root = r.Root // the field of the value r.Root's path reaches
	}
	if to := w.st.aliases[r.Root]; to != nil && r.Path == "" {
		// next = shared is all that is ever stored in next.
		r.Class = to
	}
	if f := w.st.ElemClass(ch); r.Class == nil && f != nil {
		r.Class, r.Text = f, exprText(ch) // s.pending[id] <- v: elemchans.go
	}
	var ret *ast.CallExpr
	if r.Class == nil {
		// A channel a call returns: resolved once every body is
		// walked (resolveReturnedChans).
		c, ok := ast.Unparen(ch).(*ast.CallExpr)
		if !ok {
			return
		}
		ret = c
	}
	w.addWait(&WaitEvent{Kind: k, Class: r.Class, Text: r.Text, Root: root, Path: r.Path, Pos: pos, End: end, Held: h, InSelect: inSelect,
		Deferred: deferred, Stmt: stmt, Block: blk, RetCall: ret})
}

func (w *walker) addWait(e *WaitEvent) {
	switch e.Kind {
	case WaitSend, WaitRecv:
		w.u.Waits = append(w.u.Waits, e)
		w.u.Partner = append(w.u.Partner, e)
	case WaitWGWait:
		w.u.Waits = append(w.u.Waits, e)
	default:
		w.u.Partner = append(w.u.Partner, e)
	}
}

// readsAtomic reports whether e loads a value through sync/atomic
// (flag.Load(), atomic.LoadInt32(&x)).
func (w *walker) readsAtomic(e ast.Expr) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		c, ok := n.(*ast.CallExpr)
		if !ok || found {
			return !found
		}
		var id *ast.Ident
		switch f := ast.Unparen(c.Fun).(type) {
		case *ast.Ident:
			id = f
		case *ast.SelectorExpr:
			id = f.Sel
		}
		if id == nil {
			return true
		}
		if fn, ok := w.st.Pkg.Info.Uses[id].(*types.Func); ok && fn.Pkg() != nil && fn.Pkg().Path() == "sync/atomic" && strings.HasPrefix(fn.Name(), "Load") {
			found = true
		}
		return !found
	})
	return found
}

// staticCallee is the package's own function or method a call reaches,
// when it is known statically.
func (w *walker) staticCallee(c *ast.CallExpr) *types.Func {
	var id *ast.Ident
	switch f := ast.Unparen(c.Fun).(type) {
	case *ast.Ident:
		id = f
	case *ast.SelectorExpr:
		if sel := w.st.Pkg.Info.Selections[f]; sel != nil && sel.Kind() != types.MethodVal {
			return nil
		}
		if sel := w.st.Pkg.Info.Selections[f]; sel != nil && types.IsInterface(sel.Recv()) {
			return nil
		}
		id = f.Sel
	default:
		return nil
	}
	fn, _ := w.st.Pkg.Info.Uses[id].(*types.Func)
	if fn == nil || fn.Pkg() != w.st.Pkg.Types {
		return nil
	}
	return fn.Origin()
}

// syncMethod returns the sync type and method name a call calls, through
// embedded fields too, and the expression of the sync value.
func (w *walker) syncMethod(c *ast.CallExpr) (typ, method string, recv ast.Expr, sel *types.Selection, ok bool) {
	se, isSel := ast.Unparen(c.Fun).(*ast.SelectorExpr)
	if !isSel {
		return
	}
	sel = w.st.Pkg.Info.Selections[se]
	if sel == nil || sel.Kind() != types.MethodVal {
		return
	}
	fn, _ := sel.Obj().(*types.Func)
	if fn == nil || fn.Pkg() == nil || fn.Pkg().Path() != "sync" {
		return
	}
	rt := fn.Type().(*types.Signature).Recv().Type()
	if p, isPtr := rt.(*types.Pointer); isPtr {
		rt = p.Elem()
	}
	named, _ := rt.(*types.Named)
	if named == nil {
		return
	}
	return named.Obj().Name(), fn.Name(), se.X, sel, true
}

// lockCall reads a Lock, RLock, Unlock or RUnlock call: the model's lock
// operation for the call (model.File.Locks) says which it is, and the
// mutex is named here so that calls in different functions compare; a
// Cond's L (a sync.Locker) locks the mutex the Cond was made with.
func (w *walker) lockCall(c *ast.CallExpr) (Mutex, LockKind, bool, bool) {
	typ, method, x, sel, ok := w.syncMethod(c)
	if ok && typ == "Locker" {
		return w.condLockCall(method, x)
	}
	op := w.st.lockOps[c]
	if !ok || op == nil {
		return Mutex{}, 0, false, false
	}
	var kind LockKind
	unlock := false
	switch op.Kind {
	case model.Lock:
	case model.RLock:
		kind = LockR
	case model.Unlock:
		unlock = true
	case model.RUnlock:
		kind, unlock = LockR, true
	default:
		return Mutex{}, 0, false, false
	}
	mu, ok := w.lockedMutex(x, sel)
	return mu, kind, unlock, ok
}

// tryLock reads a TryLock or TryRLock call (model.File.Locks): it never
// blocks, but when it succeeds the function holds the mutex itself, so an
// Unlock after it is not one of a mutex the caller held.
func (w *walker) tryLock(c *ast.CallExpr) (Mutex, bool) {
	op := w.st.lockOps[c]
	if op == nil || op.Kind != model.TryLock && op.Kind != model.TryRLock {
		return Mutex{}, false
	}
	_, _, x, sel, ok := w.syncMethod(c)
	if !ok {
		return Mutex{}, false
	}
	return w.lockedMutex(x, sel)
}

// lockedMutex names the mutex a sync method called on x through the
// selection sel locks.
func (w *walker) lockedMutex(x ast.Expr, sel *types.Selection) (Mutex, bool) {
	mu := w.st.refOf(x)
	// The field that holds the struct embedding the mutex (c.in, c.out in
	// c.in.Lock()) tells two such mutexes apart; without one (s.Lock() on
	// a receiver) the embedded field names the class.
	var holder types.Object
	if se, ok := ast.Unparen(x).(*ast.SelectorExpr); ok {
		if s := w.st.Pkg.Info.Selections[se]; s != nil && s.Kind() == types.FieldVal {
			holder = s.Obj()
		}
	}
	// A method promoted from an embedded mutex: s.Lock() locks s.Mutex.
	if idx := sel.Index(); len(idx) > 1 {
		t := sel.Recv()
		for _, i := range idx[:len(idx)-1] {
			s, ok := model.DerefStruct(t)
			if !ok {
				return Mutex{}, false
			}
			f := s.Field(i)
			mu.Class = f
			if mu.Root != nil {
				mu.Path += "." + f.Name()
			}
			mu.Text += "." + f.Name()
			t = f.Type()
		}
	}
	if holder != nil && len(sel.Index()) > 1 {
		mu.Class = holder
	}
	if mu.Class == nil {
		return Mutex{}, false
	}
	return mu, true
}

// wgCall reads a WaitGroup's Wait, Done or Go call: the model's
// WaitGroup operation for the call (model.File.WaitGroups) says which, and
// the WaitGroup is named like a mutex (through embedded fields too). For
// Go, isGo is set and the kind is Done: wg.Go(f) calls Done when f returns.
func (w *walker) wgCall(c *ast.CallExpr) (k WaitKind, wg Mutex, isGo, ok bool) {
	op := w.st.wgOps[c]
	if op == nil {
		return 0, Mutex{}, false, false
	}
	_, _, x, sel, isSync := w.syncMethod(c)
	if !isSync {
		return 0, Mutex{}, false, false
	}
	switch op.Kind {
	case model.WGWait:
		k = WaitWGWait
	case model.WGDone:
		k = WaitWGDone
	case model.WGGo:
		k, isGo = WaitWGDone, true
	default:
		return 0, Mutex{}, false, false
	}
	wg, ok = w.lockedMutex(x, sel)
	return k, wg, isGo, ok
}

// formatted records the String and Error methods that fmt and log call on
// their operands: fmt.Printf("%v", x) runs x.String() in this goroutine.
func (w *walker) formatted(c *ast.CallExpr, h []Held, stmt ast.Stmt, blk ast.Node) {
	se, ok := ast.Unparen(c.Fun).(*ast.SelectorExpr)
	if !ok {
		return
	}
	fn, _ := w.st.Pkg.Info.Uses[se.Sel].(*types.Func)
	if fn == nil || fn.Pkg() == nil || fn.Pkg().Path() != "fmt" && fn.Pkg().Path() != "log" {
		return
	}
	for _, a := range c.Args {
		t := w.st.Pkg.Info.TypeOf(a)
		if t == nil {
			continue
		}
		for _, m := range []string{"String", "Error"} {
			obj, _, _ := types.LookupFieldOrMethod(t, true, w.st.Pkg.Types, m)
			if mf, ok := obj.(*types.Func); ok && mf.Pkg() == w.st.Pkg.Types {
				if _, isPtr := types.Unalias(t).(*types.Pointer); !isPtr && !types.IsInterface(t) {
					if _, ptrRecv := mf.Type().(*types.Signature).Recv().Type().(*types.Pointer); ptrRecv {
						continue // not in the value's method set: fmt does not call it
					}
				}
				w.u.Calls = append(w.u.Calls, &CallEvent{Call: c, Callee: mf.Origin(), Recv: a, Held: h, Stmt: stmt, Block: blk})
				break
			}
		}
	}
}

// dispatched is the method an interface method call runs when the package
// has one implementation of the interface.
func (w *walker) dispatched(c *ast.CallExpr) *types.Func {
	se, ok := ast.Unparen(c.Fun).(*ast.SelectorExpr)
	if !ok {
		return nil
	}
	sel := w.st.Pkg.Info.Selections[se]
	if sel == nil || sel.Kind() != types.MethodVal || !types.IsInterface(sel.Recv()) {
		return nil
	}
	m := w.st.Pkg.OnlyImplementation(sel.Recv(), sel.Obj().Name())
	if m == nil || m.Pkg() != w.st.Pkg.Types {
		return nil
	}
	return m.Origin()
}
