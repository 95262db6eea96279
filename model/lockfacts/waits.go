package lockfacts

import (
	"go/ast"
	"go/token"
	"go/types"

	"github.com/golens/golens/model"
)

// maxWaitChain bounds the calls between the held lock and a wait in a
// callee.
const MaxWaitChain = 5

// CalleeWait is a blocking operation a function performs, directly or
// through the calls in chain.
type CalleeWait struct {
	W     *WaitEvent
	Chain []string
	// Released lists the mutexes the path to the wait unlocks without
	// having locked them (its caller held them: s.mu.Unlock(); <-ch;
	// s.mu.Lock()), in the terms of the function the wait belongs to;
	// anyClass holds their classes when a path could not be mapped.
	Released []Mutex
}

// WaitsOf lists the blocking operations u performs outside selects and
// defers, in u or through the package's functions it calls.
func (st *Facts) WaitsOf(u *Unit) []CalleeWait {
	if s, ok := st.waitSummary[u]; ok {
		return s
	}
	if st.waitBusy[u] {
		return nil
	}
	st.waitBusy[u] = true
	var out []CalleeWait
	for _, w := range u.Waits {
		if !w.InSelect && !w.Deferred {
			out = append(out, CalleeWait{W: w, Released: CallerHeldReleased(u, w.Pos)})
		}
	}
	for _, c := range u.Calls {
		for _, v := range st.CalleeUnits(c) {
			for _, cw := range st.WaitsOf(v) {
				if len(cw.Chain) >= MaxWaitChain-1 {
					continue
				}
				rel := append(CallerHeldReleased(u, c.Call.Pos()), st.ReleasedThrough(c, cw.Released)...)
				out = append(out, CalleeWait{W: cw.W, Chain: append(c.ChainHead(), cw.Chain...), Released: rel})
			}
		}
	}
	if len(out) > 32 {
		out = out[:32]
	}
	delete(st.waitBusy, u)
	st.waitSummary[u] = out
	return out
}

// ReleasedThrough maps the mutexes a callee releases into the caller's
// terms; one it cannot map keeps only its class (root nil), which then
// releases every held mutex of that class.
func (st *Facts) ReleasedThrough(c *CallEvent, rel []Mutex) []Mutex {
	var out []Mutex
	for _, r := range rel {
		if c.Callee != nil && c.FnLit == nil {
			if m, ok := st.MapThrough(c, r); ok {
				out = append(out, m)
				continue
			}
		}
		if c.FnLit != nil {
			out = append(out, r) // a literal's variables are the caller's
			continue
		}
		out = append(out, Mutex{Class: r.Class, Text: r.Text})
	}
	return out
}

// StillHeld drops from h the mutexes rel releases (by instance, or by
// class for one without a root).
func StillHeld(h []Held, rel []Mutex) []Held {
	var out []Held
next:
	for _, x := range h {
		for _, r := range rel {
			if r.SameInstance(x.Mu) || r.Root == nil && r.Class == x.Mu.Class {
				continue next
			}
		}
		out = append(out, x)
	}
	return out
}

// CalleeUnits lists the function bodies a call may run: the static
// callee, or the callbacks stored in the field it calls.
func (st *Facts) CalleeUnits(c *CallEvent) []*Unit {
	if c.FnLit != nil {
		if u := st.byLit[c.FnLit]; u != nil {
			return []*Unit{u}
		}
		return nil
	}
	if c.Callee != nil {
		if u := st.ByFunc[c.Callee]; u != nil {
			return []*Unit{u}
		}
		return nil
	}
	var out []*Unit
	for _, cb := range st.callbacks[c.Field] {
		switch {
		case cb.Lit != nil:
			out = append(out, cb.Lit)
		case cb.Method != nil && st.ByFunc[cb.Method] != nil:
			out = append(out, st.ByFunc[cb.Method])
		}
	}
	return out
}

// FillsRepeatedly reports whether a send on a buffer of one, made with
// the mutex held, can find the buffer full: the holder is a declared
// function (which any number of goroutines may call; a function literal is
// typically a timer or a callback whose runs do not overlap, nats.go's
// heartbeat AfterFunc) and does not itself empty the buffer before the send
// (grpc's fix: select { case <-ch: default: }; ch <- v under the lock).
func (st *Facts) FillsRepeatedly(u *Unit, w *WaitEvent) bool {
	if u.Fn == nil || w.Kind != WaitSend {
		return false
	}
	for _, v := range []*Unit{u, st.unitOf(w)} {
		if v == nil {
			continue
		}
		for _, x := range v.Partner {
			if x.Kind == WaitRecv && x.Class == w.Class && x.Pos < w.Pos && v.Body.Pos() <= x.Pos {
				return false
			}
		}
	}
	return true
}

// unitOf is the unit whose body holds the operation w.
func (st *Facts) unitOf(w *WaitEvent) *Unit {
	for _, u := range st.Units {
		for _, x := range u.Waits {
			if x == w {
				return u
			}
		}
	}
	return nil
}

// UnlockedElsewhere reports whether another function body (a goroutine
// u starts, typically) unlocks mu without having locked it: the mutex is
// handed over, and the goroutine waiting in u does not keep it
// (runtime/pprof's blockMutexN).
func (st *Facts) UnlockedElsewhere(u *Unit, mu Mutex) bool {
	if mu.Root == nil {
		return false
	}
	for _, v := range st.Units {
		if v == u {
			continue
		}
		for _, r := range CallerHeldReleased(v, v.Body.End()) {
			if r.SameInstance(mu) {
				return true
			}
		}
	}
	return false
}

func IsPartner(wait, p WaitKind) bool {
	switch wait {
	case WaitSend:
		return p == WaitRecv
	case WaitRecv:
		return p == WaitSend || p == WaitClose
	case WaitWGWait:
		return p == WaitWGDone
	case WaitCondWait:
		return p == WaitCondSignal
	}
	return false
}

// NeedsBefore reports whether v locks h's mutex (by class, in a mode that
// excludes h) on every path to the partner operation p: a Lock, or a call
// that locks it, in a block that encloses p and before it. A deferred
// partner runs at the end, after every Lock at the top of v's body.
//
// holder is the function that holds the mutex across its wait (nil: not
// known). A Lock v takes and releases before it starts holder with a go
// statement is not counted (LockedBeforeStart): holder does not run yet,
// so it holds nothing v could wait for there.
func (st *Facts) NeedsBefore(v *Unit, p *WaitEvent, h Held, holder *Unit, w *WaitEvent) (token.Pos, bool) {
	if st.RegistersIn(v, p.Class) {
		return token.NoPos, false
	}
	dominates := func(block ast.Node, at token.Pos) bool {
		if p.Deferred {
			// The deferred partner runs after all of v: any Lock in v
			// that it reaches first may need the mutex.
			return true
		}
		return at < p.Pos && block.Pos() <= p.Pos && p.Pos < block.End()
	}
	for _, l := range v.Locks {
		if !l.Unlock && st.SameClass(l.Mu.Class, h.Mu.Class) && Conflicts(l.Kind, h.Kind) && dominates(l.Block, l.Call.Pos()) && !st.LockedBeforeStart(v, holder, l, nil) && !st.OtherValue(holder, w, h.Mu, v, p, l.Mu) {
			return l.Call.Pos(), true
		}
	}
	for _, c := range v.Calls {
		if !dominates(c.Block, c.Call.Pos()) || st.LockedBeforeStart(v, holder, nil, c) {
			continue
		}
		for _, ca := range st.CallAcquires(c) {
			if a := ca.A; st.SameClass(a.Mu.Class, h.Mu.Class) && Conflicts(a.Kind, h.Kind) && !st.otherCallLock(holder, w, h, v, p, ca) {
				return c.Call.Pos(), true
			}
		}
	}
	return token.NoPos, false
}

// MayNeedBefore reports whether v can lock h's mutex before it reaches
// the partner operation p on some path: a Lock, or a call that locks it,
// written before p in v (in any block). On that path the partner waits for
// the mutex, which the waiter holds, and never gets to p.
// holder is as for NeedsBefore.
func (st *Facts) MayNeedBefore(v *Unit, p *WaitEvent, h Held, holder *Unit, w *WaitEvent) (token.Pos, bool) {
	if st.RegistersIn(v, p.Class) {
		return token.NoPos, false
	}
	for _, l := range v.Locks {
		if !l.Unlock && l.Call.Pos() < p.Pos && st.SameClass(l.Mu.Class, h.Mu.Class) && Conflicts(l.Kind, h.Kind) && !l.Mu.Once && !st.LockedBeforeStart(v, holder, l, nil) && !st.OtherValue(holder, w, h.Mu, v, p, l.Mu) {
			return l.Call.Pos(), true
		}
	}
	for _, c := range v.Calls {
		if c.Call.Pos() >= p.Pos || st.LockedBeforeStart(v, holder, nil, c) {
			continue
		}
		for _, ca := range st.CallAcquires(c) {
			if a := ca.A; st.SameClass(a.Mu.Class, h.Mu.Class) && Conflicts(a.Kind, h.Kind) && !st.otherCallLock(holder, w, h, v, p, ca) && !a.Mu.Once {
				return c.Call.Pos(), true
			}
		}
	}
	return token.NoPos, false
}

// LoopNeeds reports whether the partner operation p is in a loop of v
// that can lock h's mutex (by class, in a mode that excludes h) somewhere
// in its body: between two of the loop's operations the partner may be
// waiting for the lock instead of for the channel.
func (st *Facts) LoopNeeds(v *Unit, p *WaitEvent, h Held, holder *Unit, w *WaitEvent) (token.Pos, bool) {
	for _, loop := range v.Loops {
		if p.Pos < loop.Pos() || p.Pos >= loop.End() {
			continue
		}
		in := func(at token.Pos) bool { return loop.Pos() <= at && at < loop.End() }
		for _, l := range v.Locks {
			if !l.Unlock && in(l.Call.Pos()) && st.SameClass(l.Mu.Class, h.Mu.Class) && Conflicts(l.Kind, h.Kind) && !st.OtherValue(holder, w, h.Mu, v, p, l.Mu) {
				return l.Call.Pos(), true
			}
		}
		for _, c := range v.Calls {
			if !in(c.Call.Pos()) {
				continue
			}
			for _, ca := range st.CallAcquires(c) {
				if a := ca.A; st.SameClass(a.Mu.Class, h.Mu.Class) && Conflicts(a.Kind, h.Kind) && !st.otherCallLock(holder, w, h, v, p, ca) {
					return c.Call.Pos(), true
				}
			}
		}
	}
	return token.NoPos, false
}

// otherCallLock is OtherValue for a Lock reached through a call.
func (st *Facts) otherCallLock(holder *Unit, w *WaitEvent, h Held, v *Unit, p *WaitEvent, ca CallAcq) bool {
	return !ca.Relative && st.OtherValue(holder, w, h.Mu, v, p, ca.Mu)
}

// Precedes reports whether the partner p is in the same function as the
// wait and on every path before it (close(ch); <-ch does not block).
func Precedes(v *Unit, p *WaitEvent, w *WaitEvent) bool {
	for _, x := range v.Waits {
		if x == w {
			return p.Pos < w.Pos && p.Block.Pos() <= w.Pos && w.Pos < p.Block.End()
		}
	}
	return false
}

// LockedBeforeStart reports whether the Lock l (or the call c, which
// locks and unlocks in pairs: no lock helper) of v runs and is released
// before v starts holder with a go statement, on every path to that
// statement, and holder can be running nowhere else then: v runs once
// (runsOnce), the go statement is in no loop of v, and nothing else
// in the package starts or calls holder's function. Then, when v takes
// the mutex there, holder does not exist yet and holds nothing: v cannot
// be waiting behind holder's lock at that point, whatever holder does
// later (main locks q.mu, fills q, unlocks, then starts the worker that
// locks q.mu and waits).
func (st *Facts) LockedBeforeStart(v, holder *Unit, l *LockEvent, c *CallEvent) bool {
	if v == nil || holder == nil || !st.runsOnce(v, 3) {
		return false
	}
	g := st.startOf(v, holder)
	if g == nil {
		return false
	}
	// encloses: the statement at pos, in block, runs before g on every
	// path to g.
	encloses := func(block ast.Node, pos token.Pos) bool {
		return block != nil && pos < g.Pos() && block.Pos() <= g.Pos() && g.Pos() < block.End()
	}
	switch {
	case l != nil:
		if !encloses(l.Block, l.Call.Pos()) {
			return false
		}
		for _, u := range v.Locks {
			if u.Unlock && u.Mu.SameInstance(l.Mu) && u.Call.Pos() > l.Call.Pos() && encloses(u.Block, u.Call.Pos()) {
				return true
			}
		}
		return false
	case c != nil:
		if c.Callee == nil || !encloses(c.Block, c.Call.Pos()) {
			return false
		}
		ops, _ := st.lockHelper(c.Callee)
		return len(ops) == 0
	}
	return false
}

// startOf is the one go statement of v that starts holder: the literal
// itself, or a static call of holder's function that is the only use of
// that function in the package; nil when there is none, more than one, or
// it is in a loop of v.
func (st *Facts) startOf(v, holder *Unit) *ast.GoStmt {
	info := st.Pkg.Info
	if info == nil {
		return nil
	}
	var found *ast.GoStmt
	n := 0
	var walk func(node ast.Node, inLoop bool)
	walk = func(node ast.Node, inLoop bool) {
		ast.Inspect(node, func(x ast.Node) bool {
			switch x := x.(type) {
			case *ast.ForStmt, *ast.RangeStmt:
				if x != node {
					walk(x, true)
					return false
				}
			case *ast.GoStmt:
				starts := holder.Lit != nil && ast.Unparen(x.Call.Fun) == holder.Lit ||
					holder.Fn != nil && model.StaticCallee(info, x.Call) == holder.Fn
				if starts {
					n++
					if !inLoop {
						found = x
					}
				}
			case *ast.FuncLit:
				if x != holder.Lit {
					return false
				}
			}
			return true
		})
	}
	walk(v.Body, false)
	if n != 1 || found == nil {
		return nil
	}
	if holder.Fn != nil {
		uses := 0
		for id, obj := range info.Uses {
			if fn, ok := obj.(*types.Func); ok && fn.Origin() == holder.Fn.Origin() && id != nil {
				uses++
			}
		}
		if uses != 1 {
			return nil
		}
	}
	return found
}

// runsOnce reports whether the declared function v runs at most once in
// the program: it is main.main, or an unexported function (any function
// of package main, which nothing imports) whose one use in the package is
// a call, in no loop, of a function that runs once (depth bounds the
// chain).
func (st *Facts) runsOnce(v *Unit, depth int) bool {
	if v == nil || v.Fn == nil || v.Decl == nil || depth < 0 {
		return false
	}
	pkg := v.Fn.Pkg()
	if pkg == nil {
		return false
	}
	if v.Fn.Name() == "main" && pkg.Name() == "main" && v.Decl.Recv == nil {
		return true
	}
	if v.Fn.Exported() && pkg.Name() != "main" || v.Fn.Name() == "init" {
		return false
	}
	info := st.Pkg.Info
	var use *ast.Ident
	n := 0
	for id, obj := range info.Uses {
		if fn, ok := obj.(*types.Func); ok && fn.Origin() == v.Fn.Origin() {
			use = id
			n++
		}
	}
	if n != 1 {
		return false
	}
	// The use must be the callee of a call statement's call, in a
	// declared function of the package, outside loops and literals.
	for _, f := range st.Pkg.Files {
		if use.Pos() < f.FileStart || use.Pos() > f.FileEnd {
			continue
		}
		path, _ := model.EnclosingPath(f, use.Pos(), use.End())
		var call *ast.CallExpr
		for i, node := range path {
			switch node := node.(type) {
			case *ast.CallExpr:
				if call == nil {
					if i == 0 || ast.Unparen(node.Fun) != path[i-1] {
						return false // used as an argument, not called
					}
					if sel, ok := path[i-1].(*ast.SelectorExpr); ok && sel.Sel != use {
						return false
					}
					call = node
				}
			case *ast.ForStmt, *ast.RangeStmt, *ast.FuncLit, *ast.GoStmt, *ast.DeferStmt:
				return false
			case *ast.FuncDecl:
				if call == nil {
					return false
				}
				fn, ok := info.Defs[node.Name].(*types.Func)
				if !ok {
					return false
				}
				return st.runsOnce(st.ByFunc[fn], depth-1)
			}
		}
	}
	return false
}
