package model

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"
)

// lockCallee is the summary of the function a call calls, for the lock
// flows: the file's own function's, or, on the typed tier, that of a
// function the package declares in another file, as the model of that
// file composes it (Package.FuncSummary, pkg_locks.go); it is preferred
// to the typed tier's SummaryLookup, so that the checks (which build each
// file's model without one) and the server read the same summary. nil
// when golens has no body for the callee.
func (b *builder) lockCallee(cs *callSite) *Summary {
	if r := cs.resolved; r != nil && (r.Func != nil || r.file != nil) {
		return r
	}
	if p := b.m.pkg; p != nil && b.m.Info != nil {
		if fn := calleeObj(b.m.Info, cs.call); fn != nil && !(fn.Pos() >= b.m.AST.FileStart && fn.Pos() <= b.m.AST.FileEnd) {
			if s := p.FuncSummary(fn); s != nil {
				return s
			}
		}
	}
	return cs.resolved
}

// releaseEvent is a release of a mutex by a call of a function whose
// summary unlocks it, for the lock flow of the calling function.
type releaseEvent struct {
	op       *LockOp
	deferred bool
	at       token.Pos
}

// summaryReleases lists the calls in f (and in the closures f defers)
// of functions that, by their summary, return having unlocked a mutex
// they were given or reach through their receiver: `defer s.unlock()`,
// `release(&mu)`. Each becomes an Unlock event of the caller's mutex.
func (b *builder) summaryReleases(f *Func) []releaseEvent {
	if b.ss == nil || f == nil || !b.summariesFor(f) {
		return nil
	}
	var out []releaseEvent
	for _, cs := range b.ss.calls {
		if cs.inGo {
			continue
		}
		callee := b.lockCallee(cs)
		if callee == nil {
			continue
		}
		deferred, at := cs.deferred, cs.call.Pos()
		switch {
		case cs.fn == f:
			if deferred {
				at = b.deferPosOf(f, cs.call)
			}
		case cs.fn != nil && cs.fn.Lit && cs.fn.Deferred && cs.fn.Parent == f:
			deferred, at = true, b.deferPosOf(f, nil, cs.fn)
		default:
			continue
		}
		done := map[Target]bool{}
		for _, e := range callee.Effects {
			if (e.Kind != EffUnlock && e.Kind != EffRUnlock) || e.InGo || done[e.Target] {
				continue
			}
			done[e.Target] = true
			if callee.LockNet(e.Target) >= 0 {
				continue // it unlocks what it locked itself
			}
			x, name := b.mutexAt(cs, callee, e.Target)
			if x == nil {
				continue
			}
			root := rootIdent(x)
			if root == nil {
				continue
			}
			kind := Unlock
			if e.Kind == EffRUnlock {
				kind = RUnlock
			}
			op := &LockOp{Kind: kind, Pos: cs.call.Pos(), Call: cs.call, Recv: name, Func: f, Deferred: deferred,
				Through: "which unlocks it at " + b.m.where(e.Pos),
				synthID: name + "@" + posKey(b.rootDecl(root)), synthRoot: root}
			out = append(out, releaseEvent{op: op, deferred: deferred, at: at})
		}
	}
	return out
}

// summaryAcquires lists the calls in f (not deferred, not in a goroutine)
// of functions that, by their summary, return holding a mutex they were
// given or reach through their receiver: `s.lockIt()` where
// `func (s *S) lockIt() { s.mu.Lock() }` nets one Lock. Each becomes a Lock
// event of the caller's mutex, so the path holds it from the call on: a
// later Unlock releases that hold, and is not named as the release of an
// earlier Lock.
func (b *builder) summaryAcquires(f *Func) []releaseEvent {
	if b.ss == nil || f == nil || !b.summariesFor(f) {
		return nil
	}
	// As in summaryReleases: the summaries are computed on first read,
	// only when f calls a function whose summary could take a mutex.
	need := false
	for _, cs := range b.ss.calls {
		if !cs.inGo && !cs.deferred && cs.fn == f && !b.unresolved(cs) {
			need = true
			break
		}
	}
	if !need {
		return nil
	}
	b.m.derived.ensure()
	var out []releaseEvent
	for _, cs := range b.ss.calls {
		if cs.inGo || cs.deferred || cs.fn != f {
			continue
		}
		callee := b.lockCallee(cs)
		if callee == nil {
			continue
		}
		done := map[Target]bool{}
		for _, e := range callee.Effects {
			if (e.Kind != EffLock && e.Kind != EffRLock) || e.InGo || done[e.Target] {
				continue
			}
			done[e.Target] = true
			if callee.LockNet(e.Target) <= 0 || callee.rlockNet(e.Target) != 0 && e.Kind == EffLock {
				continue // it releases what it takes, or mixes kinds
			}
			if unlocksTarget(callee, e.Target) || unlocksLocal(callee) {
				// It also releases the mutex: entered holding it, it may
				// hand the hold back (`s.mu.Unlock(); …; s.mu.Lock()`),
				// which the net count cannot tell from a fresh Lock.
				continue
			}
			x, name := b.mutexAt(cs, callee, e.Target)
			if x == nil {
				continue
			}
			root := rootIdent(x)
			if root == nil {
				continue
			}
			kind := Lock
			if e.Kind == EffRLock {
				kind = RLock
			}
			op := &LockOp{Kind: kind, Pos: cs.call.Pos(), Call: cs.call, Recv: name, Func: f,
				Through: "which locks it at " + b.m.where(e.Pos),
				synthID: name + "@" + posKey(b.rootDecl(root)), synthRoot: root}
			// The mutex's key: the argument's for a parameter, the
			// field's for a field of the receiver (keyed by its
			// declaration, as c.mu is in the caller), not the receiver's.
			k, ok := e.Target.Key, e.Target.Param < 0 && e.Target.Key.Valid()
			if e.Target.Param >= 0 {
				k, ok = b.keyOf(x)
			}
			if ok {
				op.Key = k
				if t := b.syncVars[k]; t == "sync.Mutex" || t == "sync.RWMutex" {
					op.Type = t
				}
			}
			out = append(out, releaseEvent{op: op, at: cs.call.Pos()})
		}
	}
	return out
}

// rlockNet is the net count of RLock minus RUnlock calls on t, outside
// goroutines.
func (s *Summary) rlockNet(t Target) int {
	n := 0
	for _, e := range s.Effects {
		if e.Target != t || e.InGo {
			continue
		}
		switch e.Kind {
		case EffRLock:
			n++
		case EffRUnlock:
			n--
		}
	}
	return n
}

// summariesFor computes the summaries (on first read, for the whole
// file) when f, or a closure f defers, calls a function whose summary
// could lock or unlock a mutex, and reports whether it does. A function
// that only locks, unlocks and calls library code needs none: every call
// summaryReleases and summaryAcquires would look at is one the summaries
// leave unresolved.
func (b *builder) summariesFor(f *Func) bool {
	for _, cs := range b.ss.calls {
		if !cs.inGo && (cs.fn == f || cs.fn != nil && cs.fn.Lit && cs.fn.Deferred && cs.fn.Parent == f) && !b.unresolved(cs) {
			b.m.derived.ensure()
			return true
		}
	}
	return false
}

// mutexAt renders, in the caller's terms, the mutex a callee's effect
// target names at a call: the argument for a parameter, or the receiver's
// field for a field the callee reaches through its receiver.
func (b *builder) mutexAt(cs *callSite, callee *Summary, t Target) (ast.Expr, string) {
	if !b.lockedAsNamed(callee, t) {
		return nil, ""
	}
	if t.Param >= 0 {
		if t.Param >= len(cs.call.Args) {
			return nil, ""
		}
		x := stripAddr(cs.call.Args[t.Param])
		return x, b.m.Text(x.Pos(), x.End())
	}
	if cs.recv == nil {
		return nil, ""
	}
	field := ""
	switch o := t.Key.obj.(type) {
	case *types.Var:
		if o.IsField() {
			field = o.Name()
		}
	case nil:
		if strings.HasPrefix(t.Key.field, ".") {
			field = t.Key.field[1:]
		}
	}
	if field == "" {
		return nil, ""
	}
	x := stripAddr(cs.recv)
	return x, b.m.Text(x.Pos(), x.End()) + "." + field
}

// deferPosOf is the position of the defer statement of f whose call is
// call, or whose function literal is lit.
func (b *builder) deferPosOf(f *Func, call *ast.CallExpr, lit ...*Func) token.Pos {
	for _, d := range f.Defers {
		if d.Node == nil {
			continue
		}
		if call != nil && d.Node.Call == call {
			return d.Pos
		}
		if len(lit) > 0 && lit[0] != nil && d.Node.Call.Fun.Pos() == lit[0].Pos {
			return d.Pos
		}
	}
	if call != nil {
		return call.Pos()
	}
	return token.NoPos
}

// lockHelperCallers are the functions whose lock flow must follow the
// calls they make although they lock nothing themselves: those that call,
// by name, a function or method of this file that calls Lock or RLock
// (`t.begin()`, then return before `t.commit()`), and, on the typed tier
// with the package (BuildIn), one declared in another file that does. Naming is a cheap
// filter, not a proof: summaryAcquires and summaryReleases decide from
// the summaries which calls lock or unlock which mutex.
func (b *builder) lockHelperCallers() map[*Func]bool {
	locking := map[string]bool{}
	for _, l := range b.m.Locks {
		if l.Func == nil || l.Func.Lit || l.Deferred || (l.Kind != Lock && l.Kind != RLock) {
			continue
		}
		name := l.Func.Name
		if i := strings.LastIndexByte(name, '.'); i >= 0 {
			name = name[i+1:]
		}
		locking[name] = true
	}
	// On the typed tier, with the package's files: a call of a function
	// declared in another file whose body locks (Package.locksIn).
	pkg := b.m.pkg
	if pkg != nil && b.m.Info == nil {
		pkg = nil
	}
	if len(locking) == 0 && pkg == nil || b.ss == nil {
		return nil
	}
	out := map[*Func]bool{}
	for _, cs := range b.ss.calls {
		if cs.fn == nil || cs.inGo || cs.deferred {
			continue
		}
		if pkg != nil {
			if fn := calleeObj(b.m.Info, cs.call); fn != nil && pkg.locksIn(fn) && !(fn.Pos() >= b.m.AST.FileStart && fn.Pos() <= b.m.AST.FileEnd) {
				out[cs.fn] = true
				continue
			}
		}
		var name string
		switch fun := ast.Unparen(cs.call.Fun).(type) {
		case *ast.Ident:
			name = fun.Name
		case *ast.SelectorExpr:
			name = fun.Sel.Name
		}
		if locking[name] {
			out[cs.fn] = true
		}
	}
	return out
}

// lockedAsNamed reports whether every Lock and Unlock the callee makes on
// target t is written in its own body on the mutex mutexAt renders: the
// parameter itself (mu.Lock() for a *sync.Mutex parameter mu), or a field
// of the receiver (t.mu.Lock()). A field is keyed by its declaration, so
// t.inner.mu, t.other.mu or a package variable's mu would otherwise be
// taken for t.mu; a field locked through a further call, or in another
// file, is not followed.
func (b *builder) lockedAsNamed(callee *Summary, t Target) bool {
	for _, e := range callee.Effects {
		if e.Target != t {
			continue
		}
		switch e.Kind {
		case EffLock, EffRLock, EffUnlock, EffRUnlock:
		default:
			continue
		}
		var call *ast.CallExpr
		for _, l := range b.m.Locks {
			if l.Pos == e.Pos || l.Call.Pos() == e.Pos {
				call = l.Call
				break
			}
		}
		if t.Param >= 0 && call == nil {
			// In another file or package: a parameter target is the
			// mutex handed in (release(&mu)), as the summary records it.
			continue
		}
		if call == nil && !e.At.IsValid() && b.m.pkg != nil {
			// In another file of the package (typed tier): the call
			// written there, checked against the callee's receiver.
			call = b.m.pkg.lockCallAt(e.Pos)
		}
		if e.At.IsValid() || call == nil {
			return false
		}
		sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
		if !ok {
			return false
		}
		x := ast.Unparen(stripAddr(sel.X))
		if st, ok := x.(*ast.StarExpr); ok {
			x = ast.Unparen(st.X)
		}
		if t.Param >= 0 {
			id, ok := x.(*ast.Ident)
			if !ok || t.Param >= len(callee.Params) {
				return false
			}
			if k, ok := b.keyOf(id); !ok || k != callee.Params[t.Param] {
				return false
			}
			continue
		}
		fs, ok := x.(*ast.SelectorExpr)
		if !ok {
			return false
		}
		id, ok := ast.Unparen(fs.X).(*ast.Ident)
		if !ok {
			return false
		}
		if k, ok := b.keyOf(id); !ok || k != callee.Recv && k != recvKey(callee) {
			return false
		}
	}
	return true
}

// lockBalanced reports whether the function, on every path by which it
// returns, locks and unlocks t in pairs: each of its Lock (RLock) and
// Unlock (RUnlock) calls on t, outside goroutines, runs on every path
// (Certainty Proven), as many Locks as Unlocks of each kind, and none is a
// TryLock. A caller that holds t when it calls such a function still holds
// it when the call returns: the callee either blocks in its Lock (the
// relock deadlock checks report) or hands the mutex back before it
// returns (Unlock, then Lock again), so the call cannot release the
// caller's hold (GoKer-style `r.RLock(); r.Add(n)` where Add locks and
// unlocks r: it blocks forever with the read lock held).
func (s *Summary) lockBalanced(t Target) bool {
	var locks, unlocks, rlocks, runlocks int
	for _, e := range s.Effects {
		if e.Target != t || e.InGo {
			continue
		}
		switch e.Kind {
		case EffLock, EffRLock, EffUnlock, EffRUnlock:
		default:
			continue
		}
		if e.Certainty != Proven || e.NoBlock {
			return false
		}
		switch e.Kind {
		case EffLock:
			locks++
		case EffRLock:
			rlocks++
		case EffUnlock:
			unlocks++
		case EffRUnlock:
			runlocks++
		}
	}
	return locks == unlocks && rlocks == runlocks && locks+rlocks > 0
}

// recvKey is the key of the receiver of a method summary, on the typed
// tier: the receiver variable of its signature (a summary a SummaryLookup
// gives has no Recv key of its own).
func recvKey(s *Summary) VarKey {
	if s.Obj == nil {
		return VarKey{}
	}
	if r := s.Obj.Signature().Recv(); r != nil {
		return VarKey{obj: r}
	}
	return VarKey{}
}

// unlocksTarget reports whether s unlocks t anywhere outside the
// goroutines it starts.
// unlocksLocal reports whether s unlocks a mutex through a variable
// declared in its own body (l := &q.mu; defer l.Unlock()): that variable
// may point at the mutex it locks, so the net count cannot say it returns
// holding it. On the syntax tier such an l.Unlock() is a call golens
// cannot see into (its receiver's type is unknown), named Unlock.
func unlocksLocal(s *Summary) bool {
	for _, e := range s.Effects {
		if !e.InGo && (e.Kind == EffUnlock || e.Kind == EffRUnlock) && e.Target.Param < 0 && s.isLocal(e.Target.Key) {
			return true
		}
	}
	for _, o := range s.Opaque {
		if strings.HasSuffix(o.Callee, ".Unlock") || strings.HasSuffix(o.Callee, ".RUnlock") {
			return true
		}
	}
	return s.Func != nil && takesUnlockValue(s.Func.Body)
}

// takesUnlockValue reports whether body takes an Unlock or RUnlock
// method value (unlock := s.mu.Unlock; defer unlock()): calling it
// releases the mutex through a variable the summary does not follow.
// A method value the function returns (return c.mu.RUnlock) is not
// one: the function returns holding the lock, and its caller releases it.
func takesUnlockValue(body *ast.BlockStmt) bool {
	if body == nil {
		return false
	}
	called := map[ast.Expr]bool{}
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr:
			called[ast.Unparen(n.Fun)] = true
		case *ast.ReturnStmt:
			for _, r := range n.Results {
				called[ast.Unparen(r)] = true
			}
		case *ast.SelectorExpr:
			if !called[n] && (n.Sel.Name == "Unlock" || n.Sel.Name == "RUnlock") {
				found = true
			}
		}
		return !found
	})
	return found
}

func unlocksTarget(s *Summary, t Target) bool {
	for _, e := range s.Effects {
		if e.Target == t && !e.InGo && (e.Kind == EffUnlock || e.Kind == EffRUnlock) {
			return true
		}
	}
	return false
}
