package model

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"sort"
	"strconv"
	"strings"

	"golang.org/x/tools/go/cfg"
)

// LockFlow is what the control flow of its function says about one Lock or
// RLock call: which unlocks release it, on which paths, where a path
// leaves it held, and whether this call is reached while the goroutine
// already holds the mutex. Pairing is by flow and by mutex (the same
// variable or field through the same root variable): an Unlock of another
// mutex, of the same mutex in another function or goroutine, or one that
// no path from this Lock reaches, is never named as its release. It is
// computed once per function, on first read, and every feature reads it:
// the hover and the hints of a Lock say what lockleak reports.
type LockFlow struct {
	// Known is set when the function's flow was followed. When it is not,
	// Certainty is Unknown and Why says why (too many operations or paths
	// to follow); no other field is set, and readers say nothing about
	// this lock's paths.
	Known     bool
	Certainty Certainty
	Why       string
	// Releases are the Unlock (RUnlock) calls of the same function that
	// release this lock on some path: direct calls, deferred calls, and
	// unlocks inside a deferred closure. Source order.
	Releases []*LockOp
	// Released says whether the paths from the lock to the function's
	// returns release it: all, some, or none. Panics and os.Exit are not
	// counted.
	Released Tri
	// Leaks are the places where a path leaves the lock held: a return
	// reached with it held and no release deferred (directly, or after a
	// break out of the loop it was taken in), and a continue or the end of
	// a loop body after which the next iteration locks it again. Sorted by
	// At.
	Leaks []LockLeak
	// Unsure are calls on a path that reaches a return, or another lock
	// of the same mutex, with the lock held that might release it: they
	// get the mutex or its owner, or the mutex is a package variable;
	// golens does not follow them.
	Unsure []OpaqueCall
	// Elsewhere lists unlocks of the same mutex that are not in this
	// function's own flow: in a goroutine or closure it starts, or in
	// another function.
	Elsewhere []*LockOp
	// Started lists the go statements of this function whose goroutine
	// unlocks the mutex (locks_started.go): past each, a path may or may
	// not hold it.
	Started []GoRelease
	// Relock is set when this Lock (RLock) is reached while the goroutine
	// already holds the mutex: without another goroutine's Unlock it
	// blocks forever.
	Relock *LockRelock
	// WrongKind lists the releases of the other kind that a path holding
	// this lock reaches with none of their own kind held: an Unlock after
	// this RLock, an RUnlock after this Lock. Each stops the program with
	// a fatal error ("sync: Unlock of unlocked RWMutex") instead of
	// releasing this lock (locks_wrongkind.go).
	WrongKind []*LockOp
	// Twice lists, as {explicit Unlock, deferred Unlock} pairs, the paths
	// that release this lock with an explicit Unlock while a deferred
	// Unlock of it is registered: at return the deferred one unlocks the
	// mutex again, a fatal error ("sync: unlock of unlocked mutex") unless
	// another goroutine locked it in between (locks_wrongkind.go).
	Twice [][2]*LockOp
	// Rebound is where, on some path holding this lock, the variable the
	// mutex is reached through is assigned again (n = n.next): past it
	// the name reaches another mutex, and golens does not follow this
	// lock. NoPos when no path does.
	Rebound token.Pos
	// Ops are the calls on the same mutex in this function's own body
	// (not through calls, not in function literals), in source order.
	Ops []*LockOp
}

// LeakVia says how a path leaves a lock held.
type LeakVia uint8

const (
	// ViaReturn: the path reaches a return, or the closing brace, holding
	// the lock, with no release deferred.
	ViaReturn LeakVia = iota
	// ViaBreak: a break leaves the loop the lock was taken in, holding it,
	// and the path goes on to a return still holding it.
	ViaBreak
	// ViaContinue: a continue starts the next iteration holding the lock
	// taken in this one, and the next iteration locks it again.
	ViaContinue
	// ViaBodyEnd: the end of the loop body is reached holding the lock
	// taken in it, and the next iteration locks it again.
	ViaBodyEnd
)

func (v LeakVia) String() string { return [...]string{"return", "break", "continue", "body-end"}[v] }

// LockLeak is one place where a path leaves a lock held.
type LockLeak struct {
	Via LeakVia
	// At is the return keyword or the function's closing brace
	// (ViaReturn), the break or continue keyword, or the closing brace of
	// the loop body (ViaBodyEnd).
	At token.Pos
	// Exit is the return reached with the lock held (ViaReturn, ViaBreak).
	Exit *Exit
	// Relock is the Lock the next iteration blocks in (ViaContinue,
	// ViaBodyEnd).
	Relock *LockOp
	// Skips is the release of this lock that the function's normal path
	// runs after At, as a statement of a block enclosing the Lock, and
	// that this path skips: the mark of an early exit. nil when there is
	// none: the lock is then held on purpose as far as golens can tell
	// (handed to the caller, or released by the caller's defer).
	Skips *LockOp
	// Deferred, on a continue or at the end of a loop body that a path
	// crosses holding the lock with a deferred release of it registered
	// (defer mu.Unlock() in the loop), is that release: it runs when the
	// function returns, not at the end of the pass, so the next pass
	// locks the mutex while this goroutine still holds it. nil otherwise.
	Deferred *LockOp
	// Certainty is Proven when every path reaching At holds the lock and
	// nothing golens cannot follow may release it; Possible otherwise,
	// with Why.
	Certainty Certainty
	Why       string
}

// Leaked reports an early exit proven to leave the lock held: the leak
// lockleak reports, and the one the hover and hints state.
//
// A hold that a deferred release registered in the loop keeps into the
// next pass (Deferred) is deferloop's finding, not one of these: the
// hover says it as such (LockFlow.DeferredIntoNextPass).
func (l LockLeak) Leaked() bool { return l.Certainty == Proven && l.Skips != nil && l.Deferred == nil }

// DeferredIntoNextPass reports a lock held into the next pass of its loop
// although a deferred release of it is registered: that release runs only
// at return (LockLeak.Deferred). Proven or not, the hover does not name the
// deferred call as the lock's release.
func (lf *LockFlow) DeferredIntoNextPass() *LockLeak {
	var best *LockLeak
	for i := range lf.Leaks {
		lk := &lf.Leaks[i]
		if lk.Deferred == nil || lk.Relock == nil {
			continue
		}
		if best == nil || lk.Certainty > best.Certainty {
			best = lk
		}
	}
	return best
}

// LockRelock says that a Lock is reached while the same goroutine holds the
// mutex.
type LockRelock struct {
	// Held is the Lock (RLock) holding it; when several paths hold it
	// through different calls, the last in source order.
	Held *LockOp
	// Certainty is Proven when every path to this call holds the mutex,
	// nothing golens cannot follow may release it on the way, and the two
	// calls deadlock by themselves (Lock after Lock or RLock, RLock after
	// Lock). A second RLock while a read lock is held is Possible: it
	// blocks only if a writer waits in between.
	Certainty Certainty
	Why       string
}

// ReleaseOf is the unlock that matches a lock kind (Unlock for Lock,
// RUnlock for RLock).
func ReleaseOf(k LockKind) (LockKind, bool) { return releaseOf(k) }

// releaseOf is the unlock that matches a lock kind.
func releaseOf(k LockKind) (LockKind, bool) {
	switch k {
	case Lock:
		return Unlock, true
	case RLock:
		return RUnlock, true
	}
	return 0, false
}

// lockState is one path's view of one mutex: the Lock and the RLock op
// holding it (index + 1; 0 when not held), the deferred release of each
// kind registered so far (index + 1), whether a call that might unlock it
// has run since it was locked, and the last loop edge (loopSite, index +
// 1) the path crossed holding it, when it was taken inside that loop.
type lockState struct {
	w, r       int16 // the Lock and the RLock holding it
	defW, defR int16
	opaqueW    bool
	opaqueR    bool
	viaW, viaR int16
	// mayEnd: since the lock was taken the path ran a call that may end
	// the function (File.MayExit: a logger's Fatal, a test helper's
	// FailNow) without golens seeing that it does.
	mayEndW, mayEndR bool
	// rebW, rebR: the root variable of the mutex was assigned again while
	// the lock was held (n = n.next): the name now reaches another mutex,
	// so a later call through it neither releases nor relocks this one
	// as far as golens can tell.
	rebW, rebR bool
	// r2 is the RLock of an earlier read hold the path still has when
	// r's RLock took a second one (index + 1; 0 when none): an RUnlock
	// releases one hold, and the path then holds the mutex by r2.
	// r2Unsure: a call that may release it, a call that may end the
	// function or a rebinding came between r2 and r.
	r2       int16
	r2Unsure bool
	// alias has a bit set for each other name of the function that may
	// reach this mutex (b.mu beside a.mu) and that the path locked while
	// holding this one: a different mutex, until its Unlock or until
	// its root variable is assigned again.
	alias uint8
	// seenW, seenR: since the lock was taken the path ran something
	// golens sees may release it: a callee whose summary unlocks it on
	// some paths, an Unlock under another name that may reach it. Not
	// set by calls golens cannot see into (opaqueW alone): what HeldAt's
	// UnlessUnseen reads.
	seenW, seenR bool
	// onlyW, onlyR: while opaque, the one call that made it so, when
	// there is one (severalOpaque when there are more). A probe at that
	// very call, reached again around a loop, still sees the mutex held
	// on the path's first pass through the call (locks_heldat.go).
	onlyW, onlyR token.Pos
	// relW is the Unlock (index + 1) that released the write lock relL
	// while a deferred Unlock was registered: at return that deferred
	// Unlock finds the mutex already unlocked (locks_wrongkind.go). 0
	// when none, or since the path locked it again.
	relW, relL int16
	// unW is the explicit Unlock (index + 1) that last released the write
	// lock unL on this path, with nothing golens cannot follow since: an
	// Unlock reached now finds the mutex unlocked (UnlockedBefore). 0 when
	// none, or since the path locked it again.
	unW, unL int16
	// rebAt: the root variable was assigned at rebAt (while the mutex
	// was held, or with golens not knowing what the new name holds), and
	// the path has not locked through the name since: an Unlock here
	// releases a lock golens does not name (locks_transfer.go). NoPos
	// otherwise.
	rebAt token.Pos
}

// severalOpaque marks a path that ran more than one call that may have
// released the mutex since its Lock.
const severalOpaque token.Pos = -1

// opaqueBy is the one call behind an opaque state after the call at p:
// p when the state was clean or p made it opaque before, else several.
func opaqueBy(was bool, only, p token.Pos) token.Pos {
	if !was || only == p {
		return p
	}
	return severalOpaque
}

// seenRelease is a call whose summary locks or unlocks the mutex, not in
// pairs on every path (s.unlockIf(ok)): it may release it.
type seenRelease struct{ call OpaqueCall }

// aliasLock is a Lock (RLock) under another name that may reach the
// mutex, or (rebound) an assignment to that name's root variable.
type aliasLock struct {
	bit     uint8
	rebound bool
}

// aliasUnlock is an Unlock (RUnlock) under another name that may reach
// the mutex: an opaque call unless the path locked that name while
// holding this mutex.
type aliasUnlock struct {
	bit  uint8
	call OpaqueCall
}

// rebind is an assignment to the root variable of the mutex.
type rebind struct{ pos token.Pos }

// mayEndCall is a call on the path that may end the function
// (File.MayExit) though the control-flow graph goes on after it.
type mayEndCall struct{}

type lockEvent struct {
	op       *LockOp
	deferred bool // a release registered by a defer (direct or in a closure)
}

// lockIdentity names a mutex inside one function: its receiver expression
// as written, anchored to the declaration of its root variable.
// as written, anchored to the declaration of its root variable.
func (b *builder) lockIdentity(l *LockOp) (id string, root *ast.Ident) {
	if l.synth != nil && l.synth.id != "" {
		return l.synth.id, l.synth.root // a release through a call (summary.go)
	}
	sel, ok := ast.Unparen(l.Call.Fun).(*ast.SelectorExpr)
	if !ok {
		return "", nil
	}
	x := stripAddr(sel.X)
	root = rootIdent(x)
	if root == nil {
		return "", nil
	}
	return b.m.Text(x.Pos(), x.End()) + "@" + posKey(b.rootDecl(root)), root
}

func stripAddr(e ast.Expr) ast.Expr {
	for {
		switch x := ast.Unparen(e).(type) {
		case *ast.UnaryExpr:
			if x.Op != token.AND {
				return x
			}
			e = x.X
		case *ast.StarExpr:
			e = x.X
		default:
			return x
		}
	}
}

// RootIdent returns the variable at the root of x, x.f, x[i], *x, or nil.
// Checks use it to name the variable an operand belongs to, as the model
// does.
func RootIdent(e ast.Expr) *ast.Ident { return rootIdent(e) }

func rootIdent(e ast.Expr) *ast.Ident {
	for {
		switch x := ast.Unparen(e).(type) {
		case *ast.Ident:
			return x
		case *ast.SelectorExpr:
			e = x.X
		case *ast.StarExpr:
			e = x.X
		case *ast.IndexExpr:
			e = x.X
		default:
			return nil
		}
	}
}

// rootDecl is the declaration of a root variable; NoPos for one declared
// in another file (then the name identifies it).
func (b *builder) rootDecl(id *ast.Ident) token.Pos {
	return b.m.DeclPos(id)
}

func posKey(p token.Pos) string {
	var buf [20]byte
	i := len(buf)
	n := int(p)
	for {
		i--
		buf[i] = byte('0' + n%10)
		n /= 10
		if n == 0 {
			break
		}
	}
	return string(buf[i:])
}

// maxLockEvents bounds the operations on one mutex in one function that
// the lock flow follows; past it the flow is recorded as Unknown.
const maxLockEvents = 1024

// heldBy is a lock holding a mutex on a path (event index + 1) and the
// last loop edge the path crossed holding it (site index + 1, or 0).
type heldBy struct{ op, via int16 }

// lockArrivals is how the paths reach one Lock or RLock call.
type lockArrivals struct {
	free   bool            // not holding the mutex (or only TryLock-held)
	opaque bool            // holding it, after a call that may have released it
	w, r   map[heldBy]bool // holding the write (read) lock
	// wDef, rDef: holding it from an earlier pass of a loop, with a
	// deferred release registered, after a call that may have released
	// it (not in w, r: those are the holds nothing may have released).
	wDef, rDef map[heldBy]bool
}

// heldArrivals is how the paths reach an exit or cross a loop edge, for
// one side (write or read) of a mutex: the locks that hold it on the paths
// that hold it with nothing deferred or unfollowed, and whether any path
// does not.
type heldArrivals struct {
	held  map[heldBy]bool
	other bool
	// deferred: a path crosses (a loop edge) holding the lock with a
	// deferred release of it registered.
	deferred bool
}

func (h *heldArrivals) add(held, clean bool, hb heldBy) {
	if !held || !clean {
		h.other = true
		return
	}
	if h.held == nil {
		h.held = map[heldBy]bool{}
	}
	h.held[hb] = true
}

type exitSide struct {
	e    *Exit
	read bool
}

type siteSide struct {
	site int16
	read bool
}

// lockPairs computes LockOp.Flow for the locks of fl's function and
// LockOp.Pairs for its unlocks.
func (fb *flowBuilder) lockPairs(fl *funcFlow) {
	b, m, f := fb.b, fb.m, fl.fn
	// The mutexes this function locks, and every op on them.
	type mutex struct {
		root   *ast.Ident
		ops    []*LockOp // index+1 is the state's op number
		events []lockEvent
		pos    []token.Pos
		try    bool
	}
	byID := map[string]*mutex{}
	var order []string
	add := func(l *LockOp, deferred bool, at token.Pos) {
		id, root := b.lockIdentity(l)
		if id == "" {
			return
		}
		mu := byID[id]
		if mu == nil {
			mu = &mutex{root: root}
			byID[id] = mu
			order = append(order, id)
		}
		mu.events = append(mu.events, lockEvent{op: l, deferred: deferred})
		mu.pos = append(mu.pos, at)
		mu.try = mu.try || l.Kind == TryRLock
	}
	var own []*LockOp // the lock calls of f's own body
	for _, l := range m.Locks {
		if l.Func == f {
			add(l, l.Deferred, l.Pos)
			own = append(own, l)
		}
	}
	// Lock and Unlock on a Cond's L: the mutex it was made with
	// (locks_cond.go).
	condOps := fb.condLockOps(f)
	for _, l := range condOps {
		add(l, l.Deferred, l.Pos)
	}
	if len(byID) == 0 && !fb.helperCallers[f] {
		return
	}
	// Unlocks in a deferred closure run when f returns. An Unlock the
	// closure pairs with its own Lock of the same mutex before it
	// (defer func() { mu.Lock(); n++; mu.Unlock() }()) releases the
	// closure's lock, not one of f's.
	// A deferred closure unlocking through a loop variable that is one
	// variable for the whole loop (go before 1.22) unlocks whatever the
	// variable holds at return, not the mutex its own pass locked: the
	// mutex's flow is not followed (sharedLoopVarUnlock).
	sharedWhy := map[string]string{}
	for _, d := range f.Defers {
		if !d.Closure {
			continue
		}
		lit := fb.funcAt(d.Node.Call.Fun.Pos())
		if lit == nil {
			continue
		}
		for _, l := range m.Locks {
			if l.Func == lit && (l.Kind == Unlock || l.Kind == RUnlock) && !b.lockedBeforeIn(lit, l) {
				if why := fb.sharedLoopVarUnlock(f, d, l); why != "" {
					if id, _ := b.lockIdentity(l); id != "" && sharedWhy[id] == "" {
						sharedWhy[id] = why
					}
					continue
				}
				add(l, true, d.Pos)
			}
		}
	}
	// Calls of functions that unlock it (defer s.unlock(), release(&mu)).
	for _, r := range b.summaryReleases(f) {
		add(r.op, r.deferred, r.at)
	}
	// Calls of a variable holding its Unlock method value (unlock :=
	// s.mu.Unlock; defer unlock()): locks_methodvalue.go.
	if len(byID) > 0 {
		for _, r := range b.methodValueReleases(f) {
			add(r.op, r.deferred, r.at)
		}
	}
	// Calls of functions that return holding it (s.lockIt()).
	var acquires []*LockOp
	for _, r := range b.summaryAcquires(f) {
		add(r.op, false, r.at)
		acquires = append(acquires, r.op)
	}
	defer func() {
		for _, l := range acquires {
			if l.flow != nil {
				fp := f.pathFacts()
				fp.lockCalls = append(fp.lockCalls, l)
			}
		}
	}()
	lockCalls := map[*ast.CallExpr]bool{}
	for _, l := range own {
		lockCalls[l.Call] = true
	}
	for _, l := range condOps {
		lockCalls[l.Call] = true
	}
	// The loop edges matter only when a lock is taken inside a loop.
	var siteOf map[blockEdge]int16
	var sites []loopSite
	if fl.locksInLoop(own) {
		siteOf, sites = fl.loopEdges()
	}
	// The probes of HeldAt (locks_heldat.go), the same for every mutex.
	var probes []token.Pos
	if len(order) > 0 {
		probes = fb.heldProbes(f, own)
	}
	// Hand over hand (cur = nxt): where a name takes over the hold of
	// another (locks_transfer.go).
	var xfers map[string][]lockTransfer
	var xferSeens map[xferKey]*xferSeen
	if len(byID) > 1 {
		roots := make(map[string]*ast.Ident, len(byID))
		for id, mu := range byID {
			roots[id] = mu.root
		}
		if xfers = fb.lockTransfers(f, roots); len(xfers) > 0 {
			transferOrder(order, xfers)
			xferSeens = map[xferKey]*xferSeen{}
		}
	}
	for _, id := range order {
		mu := byID[id]
		var locks []*LockOp
		for _, ev := range mu.events {
			if !ev.deferred && (ev.op.Kind == Lock || ev.op.Kind == RLock) {
				locks = append(locks, ev.op)
			}
		}
		if len(locks) == 0 {
			continue
		}
		unknown := func(why string) {
			for _, l := range locks {
				l.flow = &LockFlow{Certainty: Unknown, Why: why}
			}
		}
		if why := sharedWhy[id]; why != "" {
			unknown(why)
			continue
		}
		if mu.try {
			// TryRLock may succeed while this path holds a read lock,
			// making two holds the state does not count: not modelled.
			unknown("a TryRLock on it takes a hold golens does not count")
			continue
		}
		if len(mu.events) > maxLockEvents {
			unknown(strconv.Itoa(len(mu.events)) + " operations on it in " + f.Name + ": golens follows at most " + strconv.Itoa(maxLockEvents))
			continue
		}
		recvText := ""
		if sel, ok := ast.Unparen(locks[0].Call.Fun).(*ast.SelectorExpr); ok && locks[0].synthID() == "" {
			recvText = m.Text(stripAddr(sel.X).Pos(), stripAddr(sel.X).End())
		}
		// The go statements whose goroutine releases it: from each on,
		// a path may or may not hold it (locks_started.go).
		goRels := fb.goReleases(f, id, mu.root, locks[0].Key)
		var started map[*ast.GoStmt]bool
		if len(goRels) > 0 {
			started = map[*ast.GoStmt]bool{}
			ast.Inspect(f.Body, func(n ast.Node) bool {
				if g, ok := n.(*ast.GoStmt); ok {
					for _, r := range goRels {
						if r.Go == g.Pos() {
							started[g] = true
						}
					}
				}
				_, lit := n.(*ast.FuncLit)
				return !lit
			})
		}
		opaque, releasing, mayRelease := fb.opaqueCalls(f, mu.root, locks[0].Key, mu.events, lockCalls, fb.lockMemoryPath(locks[0]), fb.valueRoot(locks[0]), started)
		for _, call := range releasing {
			// A call whose summary unlocks this mutex that
			// summaryReleases did not render (a package variable the
			// callee unlocks): a release like the direct ones.
			op := &LockOp{Kind: Unlock, Pos: call.Pos(), Call: call, Recv: mu.root.Name, Func: f,
				Through: "which unlocks it", synth: &lockSynth{id: id, root: mu.root}}
			mu.events = append(mu.events, lockEvent{op: op})
			mu.pos = append(mu.pos, call.Pos())
		}
		index := map[*LockOp]int16{}
		positions := make([]token.Pos, 0, len(mu.events))
		facts := make([]any, 0, len(mu.events))
		for i, ev := range mu.events {
			index[ev.op] = int16(i + 1)
			positions = append(positions, mu.pos[i])
			facts = append(facts, ev)
		}
		for _, oc := range opaque {
			positions = append(positions, oc.Pos)
			facts = append(facts, oc)
		}
		for _, oc := range mayRelease {
			positions = append(positions, oc.Pos)
			facts = append(facts, seenRelease{oc})
		}
		for _, r := range goRels {
			positions = append(positions, r.Go)
			facts = append(facts, goRelease{r})
		}
		// An unlock of a mutex that may be this one under another name
		// (b.mu when a and b may be the same value, p.Unlock() with p :=
		// &mu), or of one golens cannot name (getMu().Unlock()): golens
		// cannot tell, so a path through it is unsure, and it is never
		// named as this lock's release.
		// Such a name locked while this mutex is held is another mutex
		// (if it were this one, its Lock would never return; two read
		// holds of one mutex are two holds): its unlocks after that
		// release this one no more (aliasLock, aliasUnlock).
		// The other way round, a lock taken through such a pointer (mu :=
		// &q.mu; mu.Lock()) may be released by an unlock under any other
		// name (defer q.mu.Unlock()).
		lockedViaPointer := locks[0].synthID() == "" && b.localPointer(f, locks[0], mu.root)
		aliasBit := map[string]uint8{}
		aliasRoot := map[string]*ast.Ident{}
		for _, o := range own {
			if o.Kind != Unlock && o.Kind != RUnlock {
				continue
			}
			oid, oroot := b.lockIdentity(o)
			if oid == id {
				continue
			}
			if oid == "" || lockedViaPointer || (o.Key.Valid() && o.Key == locks[0].Key && !b.distinctLocals(f, oroot, mu.root)) || b.localPointer(f, o, oroot) {
				at := o.Pos
				if o.Deferred {
					at = o.Call.Pos()
				}
				positions = append(positions, at)
				oc := OpaqueCall{Pos: o.Call.Pos(), Callee: strings.TrimSpace(m.Text(o.Call.Fun.Pos(), o.Call.Fun.End()))}
				bit, named := aliasBit[oid]
				if !named && oid != "" && oroot != nil && len(aliasBit) < 8 {
					bit, named = uint8(1)<<len(aliasBit), true
					aliasBit[oid], aliasRoot[oid] = bit, oroot
				}
				if named {
					facts = append(facts, aliasUnlock{bit: bit, call: oc})
				} else {
					facts = append(facts, oc)
				}
			}
		}
		if len(aliasBit) > 0 {
			for _, o := range own {
				if o.Kind != Lock && o.Kind != RLock || o.Deferred {
					continue
				}
				if oid, _ := b.lockIdentity(o); aliasBit[oid] != 0 {
					positions = append(positions, o.Pos)
					facts = append(facts, aliasLock{bit: aliasBit[oid]})
				}
			}
			for oid, r := range aliasRoot {
				for _, p := range fb.rebinds(f, r) {
					positions = append(positions, p)
					facts = append(facts, aliasLock{bit: aliasBit[oid], rebound: true})
				}
			}
		}
		for _, p := range fb.rebinds(f, mu.root) {
			positions = append(positions, p)
			facts = append(facts, rebind{p})
		}
		for _, p := range fb.mayEndCalls(fl) {
			positions = append(positions, p)
			facts = append(facts, mayEndCall{})
		}
		// A transfer's source: what the paths hold at the assignment,
		// before it runs (cur, nxt = nxt, nxt.next).
		for _, ts := range xfers {
			for _, t := range ts {
				if t.src == id {
					positions = append([]token.Pos{t.pos}, positions...)
					facts = append([]any{xferProbe{t.pos}}, facts...)
				}
			}
		}
		// The transfers to this name, by assignment; the Locks of their
		// sources are indexed past this mutex's own events.
		var xferAt map[token.Pos]string
		nOwn := len(mu.events)
		for _, t := range xfers[id] {
			if xferAt == nil {
				xferAt = map[token.Pos]string{}
			}
			xferAt[t.pos] = t.src
		}
		// Probes (locks_heldat.go) go first: at a Lock's own position the
		// probe sees what the path holds before it.
		var probed map[token.Pos]*heldSeen
		if len(probes) > 0 {
			positions = append(append([]token.Pos(nil), probes...), positions...)
			facts = append(make([]any, len(probes), len(probes)+len(facts)), facts...)
			for i, p := range probes {
				facts[i] = heldProbe{p}
			}
			probed = map[token.Pos]*heldSeen{}
		}
		evs := fl.place(positions, facts)
		opOf := func(i int16) *LockOp { return mu.events[i-1].op }
		pairs := map[*LockOp]map[*LockOp]bool{}
		leaks := map[*LockOp]map[*Exit]bool{}
		unsure := map[*LockOp]bool{}
		opaqueSeen := map[*LockOp][]OpaqueCall{}
		rebound := map[*LockOp]token.Pos{}
		arrivals := map[int16]*lockArrivals{}
		atExit := map[exitSide]*heldArrivals{}
		atSite := map[siteSide]*heldArrivals{}
		pair := func(l, u *LockOp) {
			if pairs[l] == nil {
				pairs[l] = map[*LockOp]bool{}
			}
			pairs[l][u] = true
		}
		agains := map[*LockOp]map[*LockOp]bool{} // a second Unlock → the Unlocks before it (UnlockedBefore)
		type twiceKey struct{ deferred, first *LockOp }
		twices := map[*LockOp]map[twiceKey]bool{}
		twice := func(l, deferred, first *LockOp) {
			if twices[l] == nil {
				twices[l] = map[twiceKey]bool{}
			}
			twices[l][twiceKey{deferred, first}] = true
		}
		unnamedAt := map[*LockOp][]token.Pos{}
		unnamed := func(u *LockOp, at token.Pos) {
			if at.IsValid() && !slices.Contains(unnamedAt[u], at) {
				unnamedAt[u] = append(unnamedAt[u], at)
			}
		}
		wrongs := map[*LockOp]map[*LockOp]bool{}
		wrong := func(l, u *LockOp) {
			if wrongs[l] == nil {
				wrongs[l] = map[*LockOp]bool{}
			}
			wrongs[l][u] = true
		}
		note := func(held int16, x OpaqueCall) {
			l := opOf(held)
			if !containsCall(opaqueSeen[l], x) {
				opaqueSeen[l] = append(opaqueSeen[l], x)
			}
		}
		arrive := func(i int16, s lockState, kind LockKind) {
			a := arrivals[i]
			if a == nil {
				a = &lockArrivals{w: map[heldBy]bool{}, r: map[heldBy]bool{}}
				arrivals[i] = a
			}
			conflict := false
			if s.w != 0 {
				conflict = true
				if s.opaqueW {
					// A call since the held Lock may have released it:
					// that Lock's release is unsure, not absent.
					unsure[opOf(s.w)] = true
				}
				if s.opaqueW || s.mayEndW || s.rebW {
					a.opaque = true
					if s.viaW != 0 && s.defW != 0 && !s.rebW {
						if a.wDef == nil {
							a.wDef = map[heldBy]bool{}
						}
						a.wDef[heldBy{s.w, s.viaW}] = true
					}
				} else {
					a.w[heldBy{s.w, s.viaW}] = true
				}
			}
			if s.r != 0 {
				conflict = true
				if s.opaqueR {
					unsure[opOf(s.r)] = true
				}
				if s.opaqueR || s.mayEndR || s.rebR {
					a.opaque = true
					if s.viaR != 0 && s.defR != 0 && !s.rebR {
						if a.rDef == nil {
							a.rDef = map[heldBy]bool{}
						}
						a.rDef[heldBy{s.r, s.viaR}] = true
					}
				} else {
					a.r[heldBy{s.r, s.viaR}] = true
				}
			}
			if !conflict {
				a.free = true
			}
		}
		foreign := func(l *LockOp) int16 {
			for i := nOwn; i < len(mu.events); i++ {
				if mu.events[i].op == l {
					return int16(i + 1)
				}
			}
			mu.events = append(mu.events, lockEvent{op: l})
			return int16(len(mu.events))
		}
		step := func(s lockState, ev event) lockState {
			switch x := ev.fact.(type) {
			case heldProbe:
				seeHeld(probed, x.pos, s, opOf)
			case xferProbe:
				k := xferKey{id, x.pos}
				if xferSeens[k] == nil {
					xferSeens[k] = &xferSeen{}
				}
				xferSeens[k].see(s, opOf)
			case mayEndCall:
				s.mayEndW, s.mayEndR = s.w != 0, s.r != 0
			case rebind:
				if s.w != 0 {
					s.rebW = true
					rebound[opOf(s.w)] = x.pos
				}
				if s.r != 0 {
					s.rebR = true
					rebound[opOf(s.r)] = x.pos
				}
				s.rebAt = x.pos
				if s.w == 0 && s.r == 0 {
					// The name reaches another mutex now: the one the
					// assigned name holds, when golens knows which Lock
					// holds it (cur = nxt after nxt.mu.Lock()).
					if src, ok := xferAt[x.pos]; ok {
						if l, sure := xferSeens[xferKey{src, x.pos}].single(); l != nil {
							s.w, s.viaW, s.mayEndW, s.rebW, s.rebAt = foreign(l), 0, false, false, token.NoPos
							s.opaqueW, s.seenW, s.onlyW = !sure, !sure, 0
							if !sure {
								s.onlyW = severalOpaque
							}
						}
					}
				}
			case aliasLock:
				switch {
				case x.rebound:
					s.alias &^= x.bit // the name reaches another mutex now
				case s.w != 0 && !s.opaqueW && !s.rebW || s.r != 0 && !s.opaqueR && !s.rebR:
					// Held for sure: had the name reached it, this Lock
					// would not have returned.
					s.alias |= x.bit
				}
			case aliasUnlock:
				s.unW, s.unL = 0, 0
				if s.alias&x.bit != 0 {
					s.alias &^= x.bit // it releases its own Lock
					break
				}
				if s.w != 0 {
					s.opaqueW, s.seenW, s.onlyW = true, true, severalOpaque
					note(s.w, x.call)
				}
				if s.r != 0 {
					s.opaqueR, s.seenR, s.onlyR = true, true, severalOpaque
					note(s.r, x.call)
				}
			case goRelease:
				// Another goroutine may unlock it from here on: not a
				// release of this path, not a hold golens can vouch for.
				s.unW, s.unL = 0, 0
				if s.w != 0 {
					s.opaqueW, s.seenW, s.onlyW = true, true, severalOpaque
				}
				if s.r != 0 {
					s.opaqueR, s.seenR, s.onlyR = true, true, severalOpaque
				}
			case seenRelease:
				s.unW, s.unL = 0, 0
				if s.w != 0 {
					s.opaqueW, s.seenW, s.onlyW = true, true, severalOpaque
					note(s.w, x.call)
				}
				if s.r != 0 {
					s.opaqueR, s.seenR, s.onlyR = true, true, severalOpaque
					note(s.r, x.call)
				}
			case OpaqueCall:
				s.unW, s.unL = 0, 0 // it may lock the mutex again
				if s.w != 0 {
					s.onlyW = opaqueBy(s.opaqueW, s.onlyW, x.Pos)
					s.opaqueW = true
					note(s.w, x)
				}
				if s.r != 0 {
					s.onlyR = opaqueBy(s.opaqueR, s.onlyR, x.Pos)
					s.opaqueR = true
					note(s.r, x)
				}
			case lockEvent:
				i := index[x.op]
				switch {
				case x.deferred && x.op.Kind == Unlock:
					s.defW = i
				case x.deferred && x.op.Kind == RUnlock:
					s.defR = i
				case x.deferred:
					// defer mu.Lock(): not a release
				case x.op.Kind == Lock:
					arrive(i, s, Lock)
					s.w, s.opaqueW, s.viaW, s.mayEndW, s.rebW, s.seenW, s.onlyW = i, false, 0, false, false, false, 0
					s.relW, s.relL = 0, 0
					s.unW, s.unL = 0, 0
					s.rebAt = token.NoPos
				case x.op.Kind == RLock:
					arrive(i, s, RLock)
					if s.r != 0 && s.r2 == 0 {
						// A second read hold: the first stays after one
						// RUnlock (rw.TryLock() then still fails).
						s.r2, s.r2Unsure = s.r, s.opaqueR || s.mayEndR || s.rebR
					}
					s.r, s.opaqueR, s.viaR, s.mayEndR, s.rebR, s.seenR, s.onlyR = i, false, 0, false, false, false, 0
					s.rebAt = token.NoPos
				case x.op.Kind == TryLock:
					// It succeeds only when nothing holds the mutex: on a
					// path that holds it, it fails and changes nothing (the
					// model assumes no other goroutine unlocks what this
					// one locked). Otherwise the path may hold it from
					// here: a later Unlock releases the TryLock's hold, not
					// an earlier Lock's, and a return after it is not
					// blamed on any Lock.
					if s.w == 0 && s.r == 0 {
						s.w, s.opaqueW, s.viaW, s.mayEndW, s.rebW, s.seenW, s.onlyW = i, false, 0, false, false, false, 0
					}
				case x.op.Kind == Unlock && s.w != 0 && s.rebW:
					// It releases the mutex the name reaches now, which
					// may or may not be the one held.
					s.opaqueW, s.onlyW = true, severalOpaque
					unnamed(x.op, s.rebAt)
				case x.op.Kind == RUnlock && s.r != 0 && s.rebR:
					s.opaqueR, s.onlyR = true, severalOpaque
					unnamed(x.op, s.rebAt)
				case (x.op.Kind == Unlock || x.op.Kind == RUnlock) && s.w == 0 && s.r == 0 && s.rebAt.IsValid():
					// The name was assigned and nothing locked through it
					// since: it releases whatever holds that mutex.
					unnamed(x.op, s.rebAt)
				case x.op.Kind == Unlock && s.w == 0 && s.r == 0 && s.unW != 0:
					// Released already on this path (s.flush() unlocking
					// before the Unlock of its caller, r20k_double_unlock):
					// this Unlock finds the mutex unlocked.
					if agains[x.op] == nil {
						agains[x.op] = map[*LockOp]bool{}
					}
					agains[x.op][opOf(s.unW)] = true
				case x.op.Kind == Unlock && s.w != 0:
					pair(opOf(s.w), x.op)
					if s.defW != 0 && !s.opaqueW && !s.mayEndW {
						s.relW, s.relL = i, s.w
					}
					s.unW, s.unL = 0, 0
					if !s.opaqueW && !s.mayEndW && !s.rebW {
						s.unW, s.unL = i, s.w
					}
					s.w, s.opaqueW, s.viaW, s.mayEndW, s.seenW, s.onlyW = 0, false, 0, false, false, 0
				case x.op.Kind == Unlock && s.r != 0 && !s.opaqueR && !s.rebR:
					// No write lock held, a read lock held: this Unlock
					// stops the program (locks_wrongkind.go).
					wrong(opOf(s.r), x.op)
				case x.op.Kind == RUnlock && s.r == 0 && s.w != 0 && !s.opaqueW && !s.rebW:
					wrong(opOf(s.w), x.op)
				case x.op.Kind == RUnlock && s.r != 0:
					pair(opOf(s.r), x.op)
					if s.r2 != 0 {
						s.r, s.opaqueR, s.viaR = s.r2, s.opaqueR || s.r2Unsure, 0
						s.seenR = s.seenR || s.r2Unsure
						if s.opaqueR {
							s.onlyR = severalOpaque
						}
						s.r2, s.r2Unsure = 0, false
						break
					}
					s.r, s.opaqueR, s.viaR, s.mayEndR, s.seenR, s.onlyR = 0, false, 0, false, false, 0
				}
			}
			return s
		}
		inLoop := func(held int16, site *loopSite) bool {
			return held != 0 && opOf(held).Kind != TryLock && site.encloses(opOf(held).Call.Pos())
		}
		edge := func(from, to *cfg.Block, s lockState) lockState {
			k := siteOf[blockEdge{from, to}]
			if k == 0 {
				return s
			}
			site := &sites[k-1]
			for _, read := range [2]bool{false, true} {
				held, def, opq, via := &s.w, s.defW, s.opaqueW || s.mayEndW, &s.viaW
				if read {
					held, def, opq, via = &s.r, s.defR, s.opaqueR || s.mayEndR, &s.viaR
				}
				h := atSite[siteSide{k, read}]
				if h == nil {
					h = &heldArrivals{}
					atSite[siteSide{k, read}] = h
				}
				in := inLoop(*held, site)
				// A deferred release runs at return: it releases nothing
				// on a continue or at the end of the body, where the next
				// pass goes on holding the lock; after a break, the path
				// may reach a return that runs it.
				h.add(in, !opq && (def == 0 || site.via != ViaBreak), heldBy{*held, k})
				if in {
					*via = k
					h.deferred = h.deferred || def != 0
				}
			}
			return s
		}
		exitHeld := func(e *Exit, held, def, via int16, opaque, read bool) {
			if held == 0 || e.Kind == ExitProcess {
				return
			}
			l := opOf(held)
			switch {
			case def != 0:
				pair(l, opOf(def))
			case e.Kind != ExitReturn && e.Kind != ExitEnd:
				// A panic or Goexit leaves it held too, but that is not a
				// return the lock's hover should blame.
			case opaque:
				unsure[l] = true
			default:
				if leaks[l] == nil {
					leaks[l] = map[*Exit]bool{}
				}
				leaks[l][e] = true
			}
		}
		ok := forwardEdges(fl, evs, lockState{}, step, edge, func(e *Exit, s lockState) {
			if e.RunsDefers() {
				// A deferred release of the other kind runs at return
				// with none of its own kind held (locks_wrongkind.go).
				if s.defW != 0 && s.w == 0 && s.defR == 0 && s.r != 0 && !s.opaqueR && !s.rebR {
					wrong(opOf(s.r), opOf(s.defW))
				}
				if s.defR != 0 && s.r == 0 && s.defW == 0 && s.w != 0 && !s.opaqueW && !s.rebW {
					wrong(opOf(s.w), opOf(s.defR))
				}
				if s.defW != 0 && s.w == 0 && s.relW != 0 {
					// Released already on this path: the deferred Unlock
					// unlocks it a second time.
					twice(opOf(s.relL), opOf(s.defW), opOf(s.relW))
				}
			}
			exitHeld(e, s.w, s.defW, s.viaW, s.opaqueW, false)
			exitHeld(e, s.r, s.defR, s.viaR, s.opaqueR, true)
			if e.Kind == ExitReturn || e.Kind == ExitEnd {
				for _, read := range [2]bool{false, true} {
					held, def, opq, via := s.w, s.defW, s.opaqueW || s.mayEndW, s.viaW
					if read {
						held, def, opq, via = s.r, s.defR, s.opaqueR || s.mayEndR, s.viaR
					}
					h := atExit[exitSide{e, read}]
					if h == nil {
						h = &heldArrivals{}
						atExit[exitSide{e, read}] = h
					}
					h.add(held != 0 && opOf(held).Kind != TryLock, !opq && def == 0, heldBy{held, via})
				}
			}
		})
		if !ok {
			unknown("too many paths through " + f.Name + " for golens to follow")
			continue
		}
		f.addHeld(recvTextOf(m, locks[0]), probed)
		// An unlock after a successful TryLock releases the TryLock's hold.
		for _, ev := range mu.events {
			if l := ev.op; l.Kind == TryLock && !ev.deferred {
				fb.pairsMu.Lock()
				for u := range pairs[l] {
					ul := u.listsOf()
					ul.pairs = append(ul.pairs, l)
				}
				fb.pairsMu.Unlock()
			}
		}
		// An unlock past a transfer releases the hold taken under the
		// other name (locks_transfer.go); one past an assignment golens
		// cannot follow releases a lock it does not name.
		if len(mu.events) > nOwn || len(unnamedAt) > 0 {
			fb.pairsMu.Lock()
			for _, ev := range mu.events[nOwn:] {
				for u := range pairs[ev.op] {
					if ul := u.listsOf(); !slices.Contains(ul.pairs, ev.op) {
						ul.pairs = append(ul.pairs, ev.op)
					}
				}
			}
			for u, at := range unnamedAt {
				ul := u.listsOf()
				for _, p := range at {
					if !slices.Contains(ul.unnamed, p) {
						ul.unnamed = append(ul.unnamed, p)
					}
				}
				slices.Sort(ul.unnamed)
			}
			fb.pairsMu.Unlock()
		}
		var ops []*LockOp
		for _, l := range own {
			if oid, _ := b.lockIdentity(l); oid == id {
				ops = append(ops, l)
			}
		}
		mf := &mutexFacts{fb: fb, f: f, id: id, recv: recvText, ops: ops, events: mu.events, sites: sites, started: goRels}
		if len(agains) > 0 {
			fb.pairsMu.Lock()
			for u, firsts := range agains {
				ul := u.listsOf()
				for first := range firsts {
					if !slices.Contains(ul.againAfter, first) {
						ul.againAfter = append(ul.againAfter, first)
					}
				}
				sort.Slice(ul.againAfter, func(i, j int) bool { return ul.againAfter[i].Pos < ul.againAfter[j].Pos })
			}
			fb.pairsMu.Unlock()
		}
		for _, l := range locks {
			lf := &LockFlow{Known: true, Certainty: Proven, Ops: ops}
			for _, r := range goRels {
				if r.Go > l.Pos {
					lf.Started = append(lf.Started, r)
				}
			}
			fb.pairsMu.Lock()
			for u := range pairs[l] {
				lf.Releases = append(lf.Releases, u)
				ul := u.listsOf()
				ul.pairs = append(ul.pairs, l)
			}
			for u := range wrongs[l] {
				lf.WrongKind = append(lf.WrongKind, u)
				ul := u.listsOf()
				ul.wrongOf = append(ul.wrongOf, l)
			}
			for k := range twices[l] {
				lf.Twice = append(lf.Twice, [2]*LockOp{k.first, k.deferred})
				dl := k.deferred.listsOf()
				dl.twiceAfter = append(dl.twiceAfter, k.first)
			}
			fb.pairsMu.Unlock()
			sort.Slice(lf.WrongKind, func(i, j int) bool { return lf.WrongKind[i].Pos < lf.WrongKind[j].Pos })
			sort.Slice(lf.Twice, func(i, j int) bool { return lf.Twice[i][0].Pos < lf.Twice[j][0].Pos })
			sort.Slice(lf.Releases, func(i, j int) bool { return lf.Releases[i].Pos < lf.Releases[j].Pos })
			if unsure[l] {
				lf.Unsure = opaqueSeen[l]
			}
			lf.Rebound = rebound[l]
			// A leak past an Unlock taken under the lock's own condition
			// is on a path no run takes (locks_guarded.go).
			guardEnd, guardAsked := token.NoPos, false
			guarded := func(at token.Pos) bool {
				if !guardAsked {
					guardEnd, guardAsked = fb.guardedRelease(f, l, pairs[l]), true
				}
				return guardEnd.IsValid() && at > guardEnd
			}
			for e := range leaks[l] {
				if guarded(e.Pos) {
					delete(leaks[l], e)
				}
			}
			bad := len(leaks[l]) > 0 || unsure[l] || lf.Rebound.IsValid()
			released := len(lf.Releases) > 0
			switch {
			case released && !bad:
				lf.Released = All
			case released:
				lf.Released = Some
			default:
				lf.Released = No
			}
			// Unlocks of this mutex in the function literals f starts or
			// builds (goroutines, closures that are not deferred): they are
			// not on f's paths.
			rel, _ := releaseOf(l.Kind)
			for _, o := range m.Locks {
				if o.Kind != rel || o.Func == f || o.Func == nil || !o.Func.Lit || !nestedIn(o.Func, f) {
					continue
				}
				if oid, _ := b.lockIdentity(o); oid != id {
					continue
				}
				inDeferredClosure := false
				for _, ev := range mu.events {
					if ev.op == o {
						inDeferredClosure = true
					}
				}
				if !inDeferredClosure {
					lf.Elsewhere = append(lf.Elsewhere, o)
				}
			}
			i := index[l]
			read := l.Kind == RLock
			// Where the paths leave it held: at a return, after a break.
			for e := range leaks[l] {
				h := atExit[exitSide{e, read}]
				clean := false
				for hb := range h.held {
					clean = clean || hb.op == i
				}
				if !clean {
					// Every path reaching it holding the lock ran a call
					// that may end the function first.
					lf.Leaks = addLeak(lf.Leaks, LockLeak{Via: ViaReturn, At: e.Pos, Exit: e, Certainty: Possible,
						Why: "a call before it whose name says it exits (Fatal, FailNow, ...) may end " + f.Name + " first"})
				}
				for hb := range h.held {
					if hb.op != i {
						continue
					}
					lk := LockLeak{Via: ViaReturn, At: e.Pos, Exit: e}
					var site *loopSite
					if hb.via != 0 && sites[hb.via-1].via == ViaBreak {
						site = &sites[hb.via-1]
						lk.Via, lk.At = ViaBreak, site.at
					}
					mf.judgeExit(&lk, l, lf, h, site, atSite[siteSide{hb.via, read}], pairs[l])
					lf.Leaks = addLeak(lf.Leaks, lk)
				}
			}
			// Where the next iteration locks it again, and whether this
			// call is reached holding it.
			for _, j := range sortedKeys(arrivals) {
				a := arrivals[j]
				for _, side := range [4]map[heldBy]bool{a.w, a.r, a.wDef, a.rDef} {
					for hb := range side {
						if hb.op != i || hb.via == 0 {
							continue
						}
						site := &sites[hb.via-1]
						if site.via != ViaContinue && site.via != ViaBodyEnd {
							continue
						}
						if guarded(site.at) {
							continue
						}
						lk := LockLeak{Via: site.via, At: site.at, Relock: opOf(j)}
						mf.judgeLoop(&lk, l, lf, a, site, atSite[siteSide{hb.via, read}], pairs[l])
						lf.Leaks = addLeak(lf.Leaks, lk)
					}
				}
			}
			sort.Slice(lf.Leaks, func(i, j int) bool { return lf.Leaks[i].At < lf.Leaks[j].At })
			if a := arrivals[i]; a != nil {
				lf.Relock = mf.relock(l, a, lf, opOf)
			}
			l.flow = lf
		}
	}
}

func sortedKeys[V any](m map[int16]V) []int16 {
	out := make([]int16, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// addLeak adds lk unless a leak with the same Via and At is there; a
// proven one replaces a possible one.
func addLeak(list []LockLeak, lk LockLeak) []LockLeak {
	for i, x := range list {
		if x.Via == lk.Via && x.At == lk.At {
			if lk.Certainty > x.Certainty {
				list[i] = lk
			}
			return list
		}
	}
	return append(list, lk)
}

// mutexFacts judges the certainty of the facts about one mutex of f.
type mutexFacts struct {
	fb     *flowBuilder
	f      *Func
	id     string
	recv   string // the mutex as written ("c.mu"), "" for one named through a call
	ops    []*LockOp
	events []lockEvent
	sites  []loopSite
	// addrTaken caches addressTaken (0 not asked, 1 no, 2 yes).
	addrTaken int8
	addrAt    token.Pos
	// started are the go statements of f whose goroutine releases it.
	started []GoRelease
	owners  map[*ast.CallExpr]ast.Node // see listOf
}

func (mf *mutexFacts) line(p token.Pos) string { return strconv.Itoa(mf.fb.m.Line(p)) }

// doubt lowers lk to Possible with why, once.
func doubt(c *Certainty, why *string, reason string) {
	if *c == Proven {
		*c, *why = Possible, reason
	}
}

// judgeExit decides a leak at a return: proven when every path reaching
// the return holds the lock with nothing deferred or unfollowed, and, for
// a break, every path crossing it holds the lock taken in the loop and its
// address is not handed on. Skips is the release the normal path runs
// after the return (or the break).
func (mf *mutexFacts) judgeExit(lk *LockLeak, l *LockOp, lf *LockFlow, h *heldArrivals, site *loopSite, crossing *heldArrivals, releases map[*LockOp]bool) {
	lk.Certainty = Proven
	lk.Skips = mf.skipped(l, lk.At, 0, releases)
	if site == nil && h.other {
		doubt(&lk.Certainty, &lk.Why, "other paths reach line "+mf.line(lk.Exit.Pos)+" without holding it")
	}
	if site != nil {
		// After a break the paths that leave the loop other ways join
		// it: what decides is the break itself, and that nothing after
		// the loop releases the lock.
		if crossing == nil || crossing.other {
			doubt(&lk.Certainty, &lk.Why, "other paths reach the break at line "+mf.line(site.at)+" without holding it")
		}
		for _, o := range mf.ops {
			if (o.Kind == Unlock || o.Kind == RUnlock) && o.Pos > site.loop.End() {
				doubt(&lk.Certainty, &lk.Why, "the "+o.Kind.String()+" at line "+mf.line(o.Pos)+" after the loop may release it")
				break
			}
		}
		if p := mf.addressTaken(); p.IsValid() {
			doubt(&lk.Certainty, &lk.Why, "its address is taken at line "+mf.line(p)+": it may be handed on")
		}
	}
	if len(lf.Elsewhere) > 0 {
		doubt(&lk.Certainty, &lk.Why, "the "+lf.Elsewhere[0].Kind.String()+" at line "+mf.line(lf.Elsewhere[0].Pos)+" in a function literal may release it")
	}
}

// judgeLoop decides a leak on a continue or at the end of a loop body:
// proven when every path crossing it holds the lock taken in the loop,
// every path reaching the next Lock does (nothing golens cannot follow in
// between), the mutex is the same one on each iteration, its address is
// not handed on, and no release after the loop suggests the loop runs
// only once.
func (mf *mutexFacts) judgeLoop(lk *LockLeak, l *LockOp, lf *LockFlow, a *lockArrivals, site *loopSite, crossing *heldArrivals, releases map[*LockOp]bool) {
	lk.Certainty = Proven
	if lk.Via == ViaBodyEnd {
		lk.Skips = mf.skipped(l, l.Pos, site.body.Rbrace, releases)
	} else {
		lk.Skips = mf.skipped(l, lk.At, 0, releases)
	}
	if crossing != nil && crossing.deferred {
		// A deferred release (a defer statement of f, or an unlock in a
		// closure f defers) is registered on a path crossing here: it
		// runs at return, so the next pass still locks the mutex held.
		for u := range releases {
			if (u.Deferred || u.Func != mf.f) && (lk.Deferred == nil || u.Pos < lk.Deferred.Pos) {
				lk.Deferred = u
			}
		}
		if lk.Deferred == nil {
			doubt(&lk.Certainty, &lk.Why, "a deferred release of it is registered on the way to line "+mf.line(site.at))
		}
	}
	if crossing == nil || crossing.other {
		doubt(&lk.Certainty, &lk.Why, "other paths reach line "+mf.line(site.at)+" without holding it")
	}
	if a.opaque {
		doubt(&lk.Certainty, &lk.Why, "a call golens does not follow may release it before the next iteration locks it")
	}
	if mf.variesPerIteration(site.loop, l) {
		doubt(&lk.Certainty, &lk.Why, "`"+mf.recvOr(l)+"` may name a different mutex on each iteration")
	}
	if p := mf.addressTaken(); p.IsValid() {
		doubt(&lk.Certainty, &lk.Why, "its address is taken at line "+mf.line(p)+": it may be handed on")
	}
	for _, o := range mf.ops {
		if (o.Kind == Unlock || o.Kind == RUnlock) && o.Pos > site.loop.End() {
			doubt(&lk.Certainty, &lk.Why, "the "+o.Kind.String()+" at line "+mf.line(o.Pos)+" after the loop releases it if the loop runs once")
			break
		}
	}
	if len(lf.Elsewhere) > 0 {
		doubt(&lk.Certainty, &lk.Why, "the "+lf.Elsewhere[0].Kind.String()+" at line "+mf.line(lf.Elsewhere[0].Pos)+" in a function literal may release it")
	}
}

// relock decides whether Lock l is reached while the goroutine holds the
// mutex: not counting the paths that hold it from an earlier iteration of
// a loop (a leak on a continue or at the body's end).
func (mf *mutexFacts) relock(l *LockOp, a *lockArrivals, lf *LockFlow, opOf func(int16) *LockOp) *LockRelock {
	var held *LockOp
	deadlock, loopCarried := false, false
	consider := func(side map[heldBy]bool, write bool) {
		for hb := range side {
			if hb.via != 0 && mf.sites[hb.via-1].via != ViaBreak {
				loopCarried = true
				continue
			}
			o := opOf(hb.op)
			if held == nil || o.Pos > held.Pos {
				held = o
			}
			if write || l.Kind == Lock {
				deadlock = true
			}
		}
	}
	consider(a.w, true)
	consider(a.r, false)
	if held == nil {
		return nil
	}
	r := &LockRelock{Held: held, Certainty: Proven}
	for _, g := range mf.started {
		if g.Go < l.Pos {
			doubt(&r.Certainty, &r.Why, "the goroutine started at line "+mf.line(g.Go)+" unlocks it, and may do so before this call")
		}
	}
	if a.free || loopCarried {
		doubt(&r.Certainty, &r.Why, "other paths reach it without holding "+mf.recvOr(l))
	}
	if a.opaque {
		doubt(&r.Certainty, &r.Why, "on other paths a call golens does not follow may release it first")
	}
	if !deadlock {
		doubt(&r.Certainty, &r.Why, "a second read lock blocks only if a writer calls Lock in between")
	}
	if len(lf.Elsewhere) > 0 {
		doubt(&r.Certainty, &r.Why, "the "+lf.Elsewhere[0].Kind.String()+" at line "+mf.line(lf.Elsewhere[0].Pos)+" in a function literal may release it")
	}
	if o := mf.encloserRelease(); o != nil {
		doubt(&r.Certainty, &r.Why, "the "+o.Kind.String()+" at line "+mf.line(o.Pos)+" in "+o.Func.Name+", which starts this function literal, may release it")
	}
	return r
}

func (mf *mutexFacts) recvOr(l *LockOp) string {
	if mf.recv != "" {
		return mf.recv
	}
	return l.Recv
}

// skipped is the release of l the function's normal path runs after p: a
// non-deferred release on some path from l, in a statement list that
// encloses l. With end set (the end of a loop body), it is the first
// release of l between p and end: the one the other paths of the
// iteration run.
func (mf *mutexFacts) skipped(l *LockOp, p, end token.Pos, releases map[*LockOp]bool) *LockOp {
	var best *LockOp
	for u := range releases {
		if u.Deferred || u.Func != mf.f || u.Pos <= p || (end.IsValid() && u.Pos >= end) {
			continue
		}
		if best != nil && u.Pos > best.Pos {
			continue
		}
		if !end.IsValid() {
			if list := mf.listOf(u); list == nil || !(l.Pos > list.Pos() && l.Pos < list.End()) {
				continue
			}
		}
		best = u
	}
	return best
}

// listOf is the block or case clause whose statement list holds the
// statement of u (nil when u's call is not a statement of its own). The
// owners of every call statement of f are found in one walk, on first use.
func (mf *mutexFacts) listOf(u *LockOp) ast.Node {
	if mf.owners == nil {
		mf.owners = map[*ast.CallExpr]ast.Node{}
		add := func(owner ast.Node, list []ast.Stmt) {
			for _, st := range list {
				if es, ok := st.(*ast.ExprStmt); ok {
					if c, ok := ast.Unparen(es.X).(*ast.CallExpr); ok {
						mf.owners[c] = owner
					}
				}
			}
		}
		ast.Inspect(mf.f.Body, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				return false
			case *ast.BlockStmt:
				add(n, n.List)
			case *ast.CaseClause:
				add(n, n.Body)
			case *ast.CommClause:
				add(n, n.Body)
			}
			return true
		})
	}
	return mf.owners[u.Call]
}

// addressTaken is where f takes the mutex's address (&c.mu: the lock may
// be handed on, "lock = &c.mu: the caller unlocks it"), or NoPos.
func (mf *mutexFacts) addressTaken() token.Pos {
	if mf.addrTaken == 0 {
		mf.addrTaken = 1
		if mf.recv != "" && mf.f.Body != nil {
			m := mf.fb.m
			ast.Inspect(mf.f.Body, func(n ast.Node) bool {
				if u, ok := n.(*ast.UnaryExpr); ok && u.Op == token.AND && m.Text(u.X.Pos(), u.X.End()) == mf.recv {
					mf.addrTaken, mf.addrAt = 2, u.Pos()
				}
				return mf.addrTaken == 1
			})
		}
	}
	return mf.addrAt
}

// encloserRelease is, for a function literal, a release of the same mutex
// in a function enclosing it, outside the literal: a goroutine that locks
// twice may wait for its starter's Unlock (runtime/pprof's
// blockMutexDeep), not forever.
func (mf *mutexFacts) encloserRelease() *LockOp {
	if !mf.f.Lit {
		return nil
	}
	b := mf.fb.b
	for _, o := range mf.fb.m.Locks {
		if o.Kind != Unlock && o.Kind != RUnlock || o.Func == nil || o.Func == mf.f {
			continue
		}
		for p := mf.f.Parent; p != nil; p = p.Parent {
			if o.Func == p {
				if oid, _ := b.lockIdentity(o); oid == mf.id {
					return o
				}
			}
		}
	}
	return nil
}

// variesPerIteration reports whether the expression that reaches the
// locked mutex may name a different mutex on each iteration of loop: it
// indexes, calls, or uses a variable that the loop assigns (its range
// variables, s = s.next, a := in the body).
func (mf *mutexFacts) variesPerIteration(loop ast.Stmt, lock *LockOp) bool {
	sel, ok := ast.Unparen(lock.Call.Fun).(*ast.SelectorExpr)
	if !ok || lock.synthID() != "" {
		return true
	}
	names := map[string]bool{}
	varies := false
	ast.Inspect(sel.X, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.IndexExpr, *ast.IndexListExpr, *ast.CallExpr, *ast.TypeAssertExpr:
			varies = true
		case *ast.Ident:
			names[n.Name] = true
		case *ast.SelectorExpr:
			ast.Inspect(n.X, func(m ast.Node) bool {
				if id, ok := m.(*ast.Ident); ok {
					names[id.Name] = true
				}
				return true
			})
			return false
		}
		return !varies
	})
	if varies {
		return true
	}
	assigned := func(e ast.Expr) {
		if id, ok := ast.Unparen(e).(*ast.Ident); ok && names[id.Name] {
			varies = true
		}
	}
	ast.Inspect(loop, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for _, l := range n.Lhs {
				assigned(l)
			}
		case *ast.RangeStmt:
			if n.Key != nil {
				assigned(n.Key)
			}
			if n.Value != nil {
				assigned(n.Value)
			}
		case *ast.IncDecStmt:
			assigned(n.X)
		case *ast.ValueSpec:
			for _, id := range n.Names {
				assigned(id)
			}
		}
		return !varies
	})
	return varies
}

// mutexPath is the selector path from the root variable to the mutex of a
// lock call ("mu" for c.mu.Lock(), "a.mu" for c.a.mu.Lock()); ok is false
// when the expression is not a plain chain of selectors.
func mutexPath(l *LockOp) (path []string) {
	if l.synthID() != "" {
		return nil
	}
	sel, ok := ast.Unparen(l.Call.Fun).(*ast.SelectorExpr)
	if !ok {
		return nil
	}
	p, ok := selectorPath(stripAddr(sel.X))
	if !ok {
		return nil
	}
	if p == nil {
		p = []string{}
	}
	return p
}

// lockMemoryPath is mutexPath extended, on the typed tier, by the embedded
// fields through which the Lock method is promoted: for d.mu.Lock() with
// `mu struct{ sync.Mutex; n int }` the lock's state lives in d.mu.Mutex, so
// &d.mu.n names other memory and a call handed only that pointer cannot
// release the mutex (pebble's td.MaybeScanArgs(t, …, &d.mu.compact.flushing)).
func (fb *flowBuilder) lockMemoryPath(l *LockOp) []string {
	if l.synth != nil && l.synth.memPath != nil {
		return l.synth.memPath // a Lock through a Cond's L (locks_cond.go)
	}
	p := mutexPath(l)
	info := fb.m.Info
	if p == nil || info == nil {
		return p
	}
	sel, ok := ast.Unparen(l.Call.Fun).(*ast.SelectorExpr)
	if !ok {
		return p
	}
	s := info.Selections[sel]
	if s == nil || len(s.Index()) < 2 {
		return p
	}
	t := s.Recv()
	if ptr, ok := t.Underlying().(*types.Pointer); ok {
		t = ptr.Elem()
	}
	for _, i := range s.Index()[:len(s.Index())-1] {
		st, ok := t.Underlying().(*types.Struct)
		if !ok || i >= st.NumFields() {
			return p
		}
		fld := st.Field(i)
		if _, ptr := fld.Type().Underlying().(*types.Pointer); ptr {
			// An embedded *sync.Mutex: a sibling field may hold the
			// same pointer, so only the path so far is known.
			return p
		}
		p = append(p[:len(p):len(p)], fld.Name())
		t = fld.Type()
	}
	return p
}

// selectorPath is the chain of field names after the root of x.a.b, and
// whether x is such a chain down to an identifier.
func selectorPath(e ast.Expr) ([]string, bool) {
	var out []string
	for {
		switch x := ast.Unparen(e).(type) {
		case *ast.Ident:
			for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
				out[i], out[j] = out[j], out[i]
			}
			return out, true
		case *ast.SelectorExpr:
			out = append(out, x.Sel.Name)
			e = x.X
		case *ast.StarExpr:
			e = x.X
		default:
			return nil, false
		}
	}
}

// diverges reports whether two field paths from the same root name
// different memory: neither is a prefix of the other.
func diverges(a, b []string) bool {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i] != b[i] {
			return true
		}
	}
	return false
}

func nestedIn(lit, f *Func) bool {
	for p := lit.Parent; p != nil; p = p.Parent {
		if p == f {
			return true
		}
	}
	return false
}

func containsCall(list []OpaqueCall, c OpaqueCall) bool {
	for _, x := range list {
		if x.Pos == c.Pos {
			return true
		}
	}
	return false
}

// funcAt finds the function literal starting at p.
func (fb *flowBuilder) funcAt(p token.Pos) *Func {
	for _, f := range fb.m.Funcs {
		if f.Lit && f.Pos == p {
			return f
		}
	}
	return nil
}

// lockedBeforeIn reports whether the function literal lit itself locks
// the mutex that the release u (Unlock, RUnlock, in lit's own body)
// releases, with the matching kind, at a call written before u: lit
// then releases its own lock with u, which is not a release of a lock
// of the function that defers lit.
func (b *builder) lockedBeforeIn(lit *Func, u *LockOp) bool {
	id, _ := b.lockIdentity(u)
	if id == "" {
		return false
	}
	for _, l := range b.m.Locks {
		if l.Func != lit || l.Deferred || l.Pos >= u.Pos {
			continue
		}
		if rel, ok := releaseOf(l.Kind); !ok || rel != u.Kind {
			continue
		}
		if lid, _ := b.lockIdentity(l); lid == id {
			return true
		}
	}
	return false
}

// opaqueCalls lists the calls in f's own body (not in nested literals) that
// might unlock the mutex rooted at root without golens seeing it: calls
// that mention the root variable (s.flush(), unlockAll(&mu)), calls of
// function-valued variables, and — when the root is a package variable —
// any call of a function of this package.
func (fb *flowBuilder) opaqueCalls(f *Func, root *ast.Ident, key VarKey, known []lockEvent, lockCalls map[*ast.CallExpr]bool, path []string, valueRoot types.Object, started map[*ast.GoStmt]bool) (opaque []OpaqueCall, releasing []*ast.CallExpr, mayRelease []OpaqueCall) {
	b, m := fb.b, fb.m
	rootDecl := b.rootDecl(root)
	pkgLevel := !rootDecl.IsValid() || !(rootDecl > f.Pos && rootDecl < f.End)
	if rootDecl.IsValid() && f.Type != nil && rootDecl >= f.Pos && rootDecl < f.Body.Lbrace {
		pkgLevel = false // a parameter or the receiver
	}
	if rootDecl.IsValid() && f.Lit {
		// A variable of an enclosing function: the enclosing functions
		// are not package level either.
		for p := f.Parent; p != nil; p = p.Parent {
			if rootDecl > p.Pos && rootDecl < p.End {
				pkgLevel = false
			}
		}
	}
	isLockCall := map[*ast.CallExpr]bool{}
	for _, ev := range known {
		isLockCall[ev.op.Call] = true
	}
	sameRoot := func(id *ast.Ident) bool {
		if id.Name != root.Name {
			return false
		}
		d := b.rootDecl(id)
		return d == rootDecl
	}
	var inspect func(n ast.Node) bool
	inspect = func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.GoStmt:
			// The goroutine's call runs in another goroutine: one that
			// releases the mutex is a GoRelease (locks_started.go), not
			// a release on this path; its arguments are evaluated here.
			if started[n] {
				for _, a := range n.Call.Args {
					ast.Inspect(a, inspect)
				}
				if sel, ok := ast.Unparen(n.Call.Fun).(*ast.SelectorExpr); ok {
					ast.Inspect(sel.X, inspect)
				}
				return false
			}
		case *ast.CallExpr:
			if isLockCall[n] || b.isPureCall(n) {
				return true
			}
			// A call of another mutex's method through the same root
			// (g.other.Lock() while g.mu is held) names other memory.
			otherField := func(e ast.Expr) bool {
				p, ok := selectorPath(e)
				if !ok || path == nil || !diverges(p, path) {
					return false
				}
				id := rootIdent(e)
				return id != nil && sameRoot(id)
			}
			if sel, ok := ast.Unparen(n.Fun).(*ast.SelectorExpr); ok && lockCalls[n] && otherField(stripAddr(sel.X)) {
				return true
			}
			// A lock call on a mutex held in another variable, both by
			// value (var forkLock, forkingLock sync.Mutex): other memory.
			if sel, ok := ast.Unparen(n.Fun).(*ast.SelectorExpr); ok && lockCalls[n] && valueRoot != nil {
				if other := fb.valueRootOf(stripAddr(sel.X)); other != nil && other != valueRoot {
					return true
				}
			}
			mentions := false
			ast.Inspect(n, func(x ast.Node) bool {
				switch x := x.(type) {
				case *ast.FuncLit:
					return false
				case *ast.SelectorExpr:
					// A field of the root that is not on the way to the
					// mutex (os.Stat(c.dir) while c.mu is held) cannot
					// reach it; a method called on the root can.
					if sel, ok := ast.Unparen(n.Fun).(*ast.SelectorExpr); ok && sel == x {
						break
					}
					if otherField(x) {
						return false
					}
				case *ast.Ident:
					if sameRoot(x) {
						mentions = true
					}
				}
				return !mentions
			})
			// A callee whose name says it unlocks or releases may do so
			// in a way its summary does not show (another build, an
			// interface): golens does not claim what happens after it.
			namedRelease := !lockCalls[n] && namesRelease(n)
			if !mentions {
				switch fun := ast.Unparen(n.Fun).(type) {
				case *ast.Ident:
					if m.DeclPos(fun).IsValid() {
						mentions = true // a function-valued variable
					} else if pkgLevel && fun.Obj != nil && fun.Obj.Kind == ast.Fun {
						mentions = true
					} else if pkgLevel && m.Info == nil && fun.Obj == nil && types.Universe.Lookup(fun.Name) == nil {
						// The syntax tier sees one file: a function of the
						// package declared in another file may use the
						// package variable.
						mentions = true
					} else if pkgLevel && m.Info != nil {
						if fn, ok := m.Info.Uses[fun].(*types.Func); ok && fn.Pkg() != nil {
							rootObj := m.Info.ObjectOf(root)
							mentions = rootObj == nil || rootObj.Pkg() == fn.Pkg()
						}
					}
				case *ast.SelectorExpr:
					if pkgLevel {
						if x, ok := fun.X.(*ast.Ident); !ok || !b.isPackage(x) {
							mentions = true // a method: it may reach the package variable
						}
					}
				}
			}
			if mentions || namedRelease {
				oc := OpaqueCall{Pos: n.Pos(), Callee: strings.TrimSpace(m.Text(n.Fun.Pos(), n.Fun.End())), Unseen: fb.calleeUnseen(n)}
				// A call whose summary releases this mutex is an event
				// of its own (summaryReleases, skipped above as a lock
				// call, or a release of ours); one golens cannot tell
				// about may release it.
				eff := callOpaque
				if mentions {
					eff = fb.callEffect(n, root, rootDecl, key)
				}
				switch {
				case eff == callReleases:
					releasing = append(releasing, n)
				case eff == callBalanced:
					// Its summary locks and unlocks the mutex in pairs
					// on every path, whatever its name says
					// (c.unlockAndRelock()): the hold survives it.
				case eff == callTransparent && !namedRelease:
				case eff == callMayRelease:
					mayRelease = append(mayRelease, oc)
				default:
					opaque = append(opaque, oc)
				}
			}
		}
		return true
	}
	ast.Inspect(f.Body, inspect)
	return opaque, releasing, mayRelease
}

// valueRoot is, on the typed tier, the variable whose own memory holds
// the mutex of the lock call l (mu, s.mu, s.a.mu with no pointer or
// interface on the way: a variable and its fields by value), or nil.
func (fb *flowBuilder) valueRoot(l *LockOp) types.Object {
	if l.synthID() != "" {
		return nil
	}
	sel, ok := ast.Unparen(l.Call.Fun).(*ast.SelectorExpr)
	if !ok {
		return nil
	}
	return fb.valueRootOf(stripAddr(sel.X))
}

// valueRootOf is valueRoot for the receiver expression of a lock call.
func (fb *flowBuilder) valueRootOf(e ast.Expr) types.Object {
	info := fb.m.Info
	if info == nil {
		return nil
	}
	byValue := func(t types.Type) bool {
		switch types.Unalias(t).Underlying().(type) {
		case *types.Pointer, *types.Interface:
			return false
		}
		return true
	}
	for {
		switch x := ast.Unparen(e).(type) {
		case *ast.Ident:
			v, ok := info.ObjectOf(x).(*types.Var)
			if !ok || v.IsField() || !byValue(v.Type()) {
				return nil
			}
			return v
		case *ast.SelectorExpr:
			s := info.Selections[x]
			if s == nil || s.Kind() != types.FieldVal || len(s.Index()) != 1 || !byValue(s.Recv()) || !byValue(s.Type()) {
				return nil
			}
			e = x.X
		default:
			return nil
		}
	}
}

// sharedLoopVarUnlock explains why the unlock u, in the closure that the
// defer d of f defers, may not release the mutex its loop pass locked: its
// receiver is reached through a variable of a loop around d that is one
// variable for all the loop's passes (a range or for-clause variable when
// the file's Go version is before go1.22 or not known; see
// https://go.dev/ref/spec#For_statements), so every deferred call reads the
// value the variable holds when f returns. "" when that cannot happen.
func (fb *flowBuilder) sharedLoopVarUnlock(f *Func, d *Defer, u *LockOp) string {
	if perIter, known := fb.m.AtLeast("go1.22"); perIter && known {
		return ""
	}
	_, root := fb.b.lockIdentity(u)
	if root == nil {
		return ""
	}
	decl := fb.b.rootDecl(root)
	if !decl.IsValid() {
		return ""
	}
	var loop ast.Stmt
	ast.Inspect(f.Body, func(n ast.Node) bool {
		if loop != nil || n == nil || n.Pos() > d.Pos || n.End() <= d.Pos {
			return loop == nil && n != nil && n.Pos() <= d.Pos && d.Pos < n.End()
		}
		if _, lit := n.(*ast.FuncLit); lit {
			return false
		}
		declares := func(e ast.Node) bool {
			id, ok := e.(*ast.Ident)
			return ok && id.Pos() == decl
		}
		switch st := n.(type) {
		case *ast.RangeStmt:
			if st.Tok == token.DEFINE && (st.Key != nil && declares(st.Key) || st.Value != nil && declares(st.Value)) && d.Pos >= st.Body.Pos() {
				loop = st
			}
		case *ast.ForStmt:
			if as, ok := st.Init.(*ast.AssignStmt); ok && as.Tok == token.DEFINE && d.Pos >= st.Body.Pos() {
				for _, l := range as.Lhs {
					if declares(l) {
						loop = st
					}
				}
			}
		}
		return loop == nil
	})
	if loop == nil {
		return ""
	}
	ver := "before go 1.22"
	if v := fb.m.GoVersion(); v != "" {
		ver = "under " + strings.Replace(v, "go", "go ", 1)
	} else {
		ver = "unless go.mod says go 1.22 or later"
	}
	return "the closure deferred at line " + strconv.Itoa(fb.m.Line(d.Pos)) + " unlocks it through " + root.Name +
		", which it reads when " + f.Name + " returns: " + ver + " the loop at line " + strconv.Itoa(fb.m.Line(loop.Pos())) +
		" has one " + root.Name + " for all its passes, so every such call unlocks the mutex of the last pass"
}

// rebinds are the assignments to root (the same variable, not one that
// shadows it) in f's own body: n = n.next, n, ok = m[k].
func (fb *flowBuilder) rebinds(f *Func, root *ast.Ident) []token.Pos {
	b := fb.b
	decl := b.rootDecl(root)
	var out []token.Pos
	ast.Inspect(f.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.AssignStmt:
			for _, l := range n.Lhs {
				if id, ok := ast.Unparen(l).(*ast.Ident); ok && id.Name == root.Name && id != root && b.rootDecl(id) == decl {
					out = append(out, n.Pos())
					break
				}
			}
		}
		return true
	})
	return out
}

// mayEndCalls are the positions of the calls in fl's function (outside
// function literals) that may end it (File.MayExit) though its graph goes
// on after them: a lock fact on a path through one is not proven.
func (fb *flowBuilder) mayEndCalls(fl *funcFlow) []token.Pos {
	if fl.mayEnd == nil {
		fl.mayEnd = []token.Pos{}
		// The graph's nodes are the function's statements (not those of
		// its literals): no walk of the syntax tree is needed.
		for _, blk := range fl.g.Blocks {
			if !blk.Live {
				continue
			}
			for _, n := range blk.Nodes {
				es, ok := n.(*ast.ExprStmt)
				if !ok {
					continue
				}
				if call, ok := ast.Unparen(es.X).(*ast.CallExpr); ok && fb.m.MayExit(call) {
					if _, exits := fb.exitCall(call); !exits {
						fl.mayEnd = append(fl.mayEnd, call.Pos())
					}
				}
			}
		}
	}
	return fl.mayEnd
}

// namesRelease reports a call of a function or method whose name says it
// unlocks or releases something (unlockAll, q.release()).
func namesRelease(call *ast.CallExpr) bool {
	name := ""
	switch fun := ast.Unparen(call.Fun).(type) {
	case *ast.Ident:
		name = fun.Name
	case *ast.SelectorExpr:
		name = fun.Sel.Name
	}
	name = strings.ToLower(name)
	return strings.Contains(name, "unlock") || strings.Contains(name, "release")
}

// isPureCall reports calls that cannot unlock anything the caller holds:
// builtins other than panic, and conversions are not distinguished on the
// syntax tier, so only builtins are listed.
func (b *builder) isPureCall(call *ast.CallExpr) bool {
	for _, name := range [...]string{"len", "cap", "append", "make", "new", "copy", "delete", "min", "max", "clear", "print", "println", "complex", "real", "imag"} {
		if b.isBuiltin(call.Fun, name) {
			return true
		}
	}
	return false
}

// calleeUnseen reports a call whose callee has no summary: golens has
// not seen its body (another file on the syntax tier, another package,
// a function value).
func (fb *flowBuilder) calleeUnseen(call *ast.CallExpr) bool {
	b := fb.b
	if b.ss == nil {
		return true
	}
	b.m.derived.ensure()
	cs := b.callAtPos(call.Pos())
	return cs == nil || cs.call != call || b.lockCallee(cs) == nil
}

// callEffects of a call on a held mutex, by the callee's summary.
const (
	callOpaque      = iota // golens cannot tell: it may release the mutex
	callTransparent        // the callee does not touch the mutex
	callReleases           // the callee releases it (net unlock)
	callBalanced           // the callee locks and unlocks it in pairs on every path (Summary.lockBalanced)
	callMayRelease         // the callee's summary locks or unlocks it, not in pairs on every path (s.unlockIf(ok))
)

// callEffect reads the summary of the function a call calls (model
// summaries: the functions of the file, on the typed tier those of the
// package) to tell whether it releases the mutex with key key rooted at
// root, which the caller holds: through the receiver (s.unlock()) or an
// argument (release(&mu)). Known-safe library calls (fmt.Println) touch
// no mutex of the caller.
func (fb *flowBuilder) callEffect(call *ast.CallExpr, root *ast.Ident, rootDecl token.Pos, key VarKey) int {
	b := fb.b
	if b.ss == nil {
		return callOpaque
	}
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
		if x, ok := sel.X.(*ast.Ident); ok && b.isPackage(x) && b.knownSafeCall(x, sel.Sel.Name) {
			return callTransparent // not recorded as a call site: see recordCall
		}
	}
	// The summaries are computed on first read.
	b.m.derived.ensure()
	cs := b.callAtPos(call.Pos()) // the index is built once, on first use
	if cs == nil || cs.call != call {
		return callOpaque
	}
	sum := b.lockCallee(cs)
	if sum == nil || fb.opaqueInside(sum) {
		return callOpaque
	}
	// The callee's terms for the mutex: a field of its receiver, or the
	// parameter the caller passes it as.
	// The mutex by its key: a package variable, or the receiver's field
	// when the call's receiver is the mutex's root (s.unlock() for s.mu;
	// not b.unlock() for a.mu, which may or may not be the same).
	var targets []Target
	otherRecv := false
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
		if id := rootIdent(stripAddr(sel.X)); id != nil && !b.isPackage(id) && (id.Name != root.Name || b.rootDecl(id) != rootDecl) {
			otherRecv = true
		}
	}
	if !otherRecv {
		targets = append(targets, Target{Param: -1, Key: key})
	}
	for i, a := range call.Args {
		if id := rootIdent(stripAddr(a)); id != nil && id.Name == root.Name && b.rootDecl(id) == rootDecl {
			targets = append(targets, Target{Param: i})
		}
	}
	touched := false
	touchedT := make([]bool, len(targets))
	for _, e := range sum.Effects {
		for i, t := range targets {
			if e.Target != t {
				continue
			}
			touched, touchedT[i] = true, true
			if e.Kind == EffEscape {
				return callOpaque
			}
		}
	}
	balanced := true
	for i, t := range targets {
		if sum.LockNet(t) < 0 {
			return callReleases
		}
		balanced = balanced && (!touchedT[i] || sum.lockBalanced(t))
	}
	switch {
	case !touched:
		return callTransparent
	case balanced:
		// It locks and unlocks the mutex in pairs on every path: the
		// caller still holds it after the call.
		return callBalanced
	}
	// golens sees it lock or unlock the mutex, on some paths.
	return callMayRelease
}

// opaqueInside reports whether the summarised function calls a function
// golens cannot see into (Summary.Opaque), not counting the builtins that
// cannot unlock anything (append(r.names, n): recorded as opaque because
// no tracked value is passed).
func (fb *flowBuilder) opaqueInside(sum *Summary) bool {
	b := fb.b
	if sum.file != nil && sum.file != fb.m && sum.file.derived != nil {
		b = sum.file.derived.b // a helper declared in another file
	}
	for _, o := range sum.Opaque {
		cs := b.callAtPos(o.Pos)
		if cs == nil || cs.call.Pos() != o.Pos || !b.isPureCall(cs.call) {
			return true
		}
	}
	return false
}

// localPointer reports whether an unlock's receiver is a plain variable
// declared in f (p.Unlock()): it may point at any mutex.
func (b *builder) localPointer(f *Func, o *LockOp, root *ast.Ident) bool {
	sel, ok := ast.Unparen(o.Call.Fun).(*ast.SelectorExpr)
	if !ok || root == nil {
		return false
	}
	if _, bare := stripAddr(sel.X).(*ast.Ident); !bare {
		return false
	}
	d := b.rootDecl(root)
	if !d.IsValid() || f.Body == nil || d <= f.Pos || d >= f.Body.Rbrace {
		return false
	}
	if d < f.Body.Lbrace {
		// A parameter: a pointer (or a sync.Locker) may point at any
		// mutex; a mutex passed by value is a copy of its own.
		if info := b.m.Info; info != nil {
			if obj := info.ObjectOf(root); obj != nil {
				switch types.Unalias(obj.Type()).Underlying().(type) {
				case *types.Pointer, *types.Interface:
					return true
				}
				return false
			}
		}
		if root.Obj != nil {
			if field, ok := root.Obj.Decl.(*ast.Field); ok {
				switch field.Type.(type) {
				case *ast.StarExpr, *ast.SelectorExpr, *ast.Ident:
					_, star := field.Type.(*ast.StarExpr)
					return star || !isSyncMutexType(field.Type)
				}
			}
		}
		return true
	}
	// A variable of the body: one declared as a mutex value (var a, b
	// sync.Mutex) is a mutex of its own, not a pointer to another.
	if info := b.m.Info; info != nil {
		if obj := info.ObjectOf(root); obj != nil {
			switch types.Unalias(obj.Type()).Underlying().(type) {
			case *types.Pointer, *types.Interface:
				return true
			}
			return false
		}
	}
	if root.Obj != nil {
		if vs, ok := root.Obj.Decl.(*ast.ValueSpec); ok && vs.Type != nil && len(vs.Values) == 0 && isSyncMutexType(vs.Type) {
			return false
		}
	}
	return true
}

// isSyncMutexType reports the type expressions sync.Mutex and
// sync.RWMutex (a value, not a pointer).
func isSyncMutexType(e ast.Expr) bool {
	sel, ok := e.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	x, ok := sel.X.(*ast.Ident)
	return ok && x.Name == "sync" && (sel.Sel.Name == "Mutex" || sel.Sel.Name == "RWMutex")
}

// distinctLocals reports two roots that are different variables of f's
// body, each declared with its own new value (a composite literal, &T{…},
// or new(T)) and never assigned again: a.mu and b.mu are then different
// mutexes. A value (T{…}) is a variable of its own anyway; a pointer made
// by its own allocation points at memory no other local's allocation
// does.
func (b *builder) distinctLocals(f *Func, x, y *ast.Ident) bool {
	if x == nil || y == nil || f.Body == nil {
		return false
	}
	dx, dy := b.rootDecl(x), b.rootDecl(y)
	if !dx.IsValid() || !dy.IsValid() || dx == dy {
		return false
	}
	for _, d := range [2]token.Pos{dx, dy} {
		if d <= f.Body.Lbrace || d >= f.Body.Rbrace {
			return false
		}
	}
	fresh := map[token.Pos]bool{}
	reassigned := false
	ast.Inspect(f.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for i, l := range n.Lhs {
				id, ok := ast.Unparen(l).(*ast.Ident)
				if !ok || id.Name != x.Name && id.Name != y.Name {
					continue
				}
				if id.Pos() == dx || id.Pos() == dy {
					if n.Tok == token.DEFINE && len(n.Lhs) == len(n.Rhs) && b.newValue(n.Rhs[i]) {
						fresh[id.Pos()] = true
					}
					continue
				}
				if d := b.rootDecl(id); d == dx || d == dy {
					reassigned = true
				}
			}
		case *ast.ValueSpec:
			for i, id := range n.Names {
				if (id.Pos() == dx || id.Pos() == dy) && len(n.Values) == len(n.Names) && b.newValue(n.Values[i]) {
					fresh[id.Pos()] = true
				}
			}
		case *ast.RangeStmt:
			for _, e := range [2]ast.Expr{n.Key, n.Value} {
				if id, ok := e.(*ast.Ident); ok && n.Tok == token.ASSIGN {
					if d := b.rootDecl(id); d == dx || d == dy {
						reassigned = true
					}
				}
			}
		case *ast.UnaryExpr:
			// &a lets other code assign a.
			if id, ok := ast.Unparen(n.X).(*ast.Ident); ok && n.Op == token.AND {
				if d := b.rootDecl(id); d == dx || d == dy {
					reassigned = true
				}
			}
		}
		return !reassigned
	})
	return !reassigned && fresh[dx] && fresh[dy]
}

// newValue reports an expression that makes a new variable: T{…},
// &T{…}, new(T).
func (b *builder) newValue(e ast.Expr) bool {
	switch v := ast.Unparen(e).(type) {
	case *ast.CompositeLit:
		return true
	case *ast.UnaryExpr:
		_, lit := ast.Unparen(v.X).(*ast.CompositeLit)
		return v.Op == token.AND && lit
	case *ast.CallExpr:
		return b.isBuiltin(v.Fun, "new") && len(v.Args) == 1
	}
	return false
}
