package model

import (
	"go/ast"
	"go/token"
	"go/types"
	"sort"
	"strings"
)

// LockFlow is what the control flow of its function says about one Lock or
// RLock call: which unlocks release it, on which paths. Pairing is by flow
// and by mutex (the same variable or field through the same root
// variable): an Unlock of another mutex, of the same mutex in another
// function or goroutine, or one that no path from this Lock reaches, is
// never named as its release.
type LockFlow struct {
	// Known is set when the function's flow was followed.
	Known bool
	// Releases are the Unlock (RUnlock) calls of the same function that
	// release this lock on some path: direct calls, deferred calls, and
	// unlocks inside a deferred closure. Source order.
	Releases []*LockOp
	// Released says whether the paths from the lock to the function's
	// returns release it: all, some, or none. Panics and os.Exit are not
	// counted.
	Released Tri
	// Leaks are the returns reached with the lock still held and no release
	// deferred.
	Leaks []*Exit
	// Unsure are calls on a path that reaches a return with the lock held
	// that might release it: they get the mutex or its owner, or the mutex
	// is a package variable; golens does not follow them.
	Unsure []OpaqueCall
	// Elsewhere lists unlocks of the same mutex that are not in this
	// function's own flow: in a goroutine or closure it starts, or in
	// another function.
	Elsewhere []*LockOp
}

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
// kind registered so far (index + 1), and whether a call that might unlock
// it has run since it was locked.
type lockState struct {
	w, r       int16 // the Lock and the RLock holding it
	defW, defR int16
	opaqueW    bool
	opaqueR    bool
}

type lockEvent struct {
	op       *LockOp
	deferred bool // a release registered by a defer (direct or in a closure)
}

// lockIdentity names a mutex inside one function: its receiver expression
// as written, anchored to the declaration of its root variable.
func (b *builder) lockIdentity(l *LockOp) (id string, root *ast.Ident) {
	if l.synthID != "" {
		return l.synthID, l.synthRoot // a release through a call (summary.go)
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
	for _, l := range m.Locks {
		if l.Func == f {
			add(l, l.Deferred, l.Pos)
		}
	}
	if len(byID) == 0 {
		return
	}
	// Unlocks in a deferred closure run when f returns.
	for _, d := range f.Defers {
		if !d.Closure {
			continue
		}
		lit := fb.funcAt(d.Node.Call.Fun.Pos())
		if lit == nil {
			continue
		}
		for _, l := range m.Locks {
			if l.Func == lit && (l.Kind == Unlock || l.Kind == RUnlock) {
				add(l, true, d.Pos)
			}
		}
	}
	// Calls of functions that unlock it (defer s.unlock(), release(&mu)).
	for _, r := range b.summaryReleases(f) {
		add(r.op, r.deferred, r.at)
	}
	// Calls of functions that return holding it (s.lockIt()).
	for _, r := range b.summaryAcquires(f) {
		add(r.op, false, r.at)
	}
	for _, id := range order {
		mu := byID[id]
		if mu.try {
			// TryRLock may succeed while this path holds a read lock,
			// making two holds the state does not count: not modelled.
			continue
		}
		var locks []*LockOp
		for _, ev := range mu.events {
			if !ev.deferred && (ev.op.Kind == Lock || ev.op.Kind == RLock) {
				locks = append(locks, ev.op)
			}
		}
		if len(locks) == 0 {
			continue
		}
		if len(mu.events) > maxFlowEvents {
			continue
		}
		opaque, releasing := fb.opaqueCalls(f, mu.root, locks[0].Key, mu.events)
		for _, call := range releasing {
			// A call whose summary unlocks this mutex that
			// summaryReleases did not render (a package variable the
			// callee unlocks): a release like the direct ones.
			op := &LockOp{Kind: Unlock, Pos: call.Pos(), Call: call, Recv: mu.root.Name, Func: f,
				Through: "which unlocks it", synthID: id, synthRoot: mu.root}
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
		// An unlock of a mutex that may be this one under another name
		// (b.mu when a and b may be the same value, p.Unlock() with p :=
		// &mu): golens cannot tell, so a path through it is unsure, and it
		// is never named as this lock's release.
		for _, o := range m.Locks {
			if o.Func != f || (o.Kind != Unlock && o.Kind != RUnlock) {
				continue
			}
			oid, oroot := b.lockIdentity(o)
			if oid == "" || oid == id {
				continue
			}
			if (o.Key.Valid() && o.Key == locks[0].Key) || b.localPointer(f, o, oroot) {
				at := o.Pos
				if o.Deferred {
					at = o.Call.Pos()
				}
				positions = append(positions, at)
				facts = append(facts, OpaqueCall{Pos: o.Call.Pos(), Callee: strings.TrimSpace(m.Text(o.Call.Fun.Pos(), o.Call.Fun.End()))})
			}
		}
		evs := fl.place(positions, facts)
		opOf := func(i int16) *LockOp { return mu.events[i-1].op }
		pairs := map[*LockOp]map[*LockOp]bool{}
		leaks := map[*LockOp]map[*Exit]bool{}
		unsure := map[*LockOp]bool{}
		opaqueSeen := map[*LockOp][]OpaqueCall{}
		pair := func(l, u *LockOp) {
			if pairs[l] == nil {
				pairs[l] = map[*LockOp]bool{}
			}
			pairs[l][u] = true
		}
		note := func(held int16, x OpaqueCall) {
			l := opOf(held)
			if !containsCall(opaqueSeen[l], x) {
				opaqueSeen[l] = append(opaqueSeen[l], x)
			}
		}
		step := func(s lockState, ev event) lockState {
			switch x := ev.fact.(type) {
			case OpaqueCall:
				if s.w != 0 {
					s.opaqueW = true
					note(s.w, x)
				}
				if s.r != 0 {
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
					s.w, s.opaqueW = i, false
				case x.op.Kind == RLock:
					s.r, s.opaqueR = i, false
				case x.op.Kind == TryLock:
					// It succeeds only when nothing holds the mutex: on a
					// path that holds it, it fails and changes nothing (the
					// model assumes no other goroutine unlocks what this
					// one locked). Otherwise the path may hold it from
					// here: a later Unlock releases the TryLock's hold, not
					// an earlier Lock's, and a return after it is not
					// blamed on any Lock.
					if s.w == 0 && s.r == 0 {
						s.w, s.opaqueW = i, false
					}
				case x.op.Kind == Unlock && s.w != 0:
					pair(opOf(s.w), x.op)
					s.w, s.opaqueW = 0, false
				case x.op.Kind == RUnlock && s.r != 0:
					pair(opOf(s.r), x.op)
					s.r, s.opaqueR = 0, false
				}
			}
			return s
		}
		atExit := func(e *Exit, held, def int16, opaque bool) {
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
		ok := forward(fl, evs, lockState{}, step, func(e *Exit, s lockState) {
			atExit(e, s.w, s.defW, s.opaqueW)
			atExit(e, s.r, s.defR, s.opaqueR)
		})
		if !ok {
			continue
		}
		// An unlock after a successful TryLock releases the TryLock's hold.
		for _, ev := range mu.events {
			if l := ev.op; l.Kind == TryLock && !ev.deferred {
				fb.pairsMu.Lock()
				for u := range pairs[l] {
					u.pairs = append(u.pairs, l)
				}
				fb.pairsMu.Unlock()
			}
		}
		for _, l := range locks {
			lf := &LockFlow{Known: true}
			fb.pairsMu.Lock()
			for u := range pairs[l] {
				lf.Releases = append(lf.Releases, u)
				u.pairs = append(u.pairs, l)
			}
			fb.pairsMu.Unlock()
			sort.Slice(lf.Releases, func(i, j int) bool { return lf.Releases[i].Pos < lf.Releases[j].Pos })
			for e := range leaks[l] {
				lf.Leaks = append(lf.Leaks, e)
			}
			sort.Slice(lf.Leaks, func(i, j int) bool { return lf.Leaks[i].Pos < lf.Leaks[j].Pos })
			if unsure[l] {
				lf.Unsure = opaqueSeen[l]
			}
			bad := len(lf.Leaks) > 0 || unsure[l]
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
			l.flow = lf
		}
	}
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

// opaqueCalls lists the calls in f's own body (not in nested literals) that
// might unlock the mutex rooted at root without golens seeing it: calls
// that mention the root variable (s.flush(), unlockAll(&mu)), calls of
// function-valued variables, and — when the root is a package variable —
// any call of a function of this package.
func (fb *flowBuilder) opaqueCalls(f *Func, root *ast.Ident, key VarKey, known []lockEvent) (opaque []OpaqueCall, releasing []*ast.CallExpr) {
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
	ast.Inspect(f.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.CallExpr:
			if isLockCall[n] || b.isPureCall(n) {
				return true
			}
			mentions := false
			ast.Inspect(n, func(x ast.Node) bool {
				if _, ok := x.(*ast.FuncLit); ok {
					return false
				}
				if id, ok := x.(*ast.Ident); ok && sameRoot(id) {
					mentions = true
				}
				return !mentions
			})
			if !mentions {
				switch fun := ast.Unparen(n.Fun).(type) {
				case *ast.Ident:
					if m.DeclPos(fun).IsValid() {
						mentions = true // a function-valued variable
					} else if pkgLevel && fun.Obj != nil && fun.Obj.Kind == ast.Fun {
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
			if mentions {
				oc := OpaqueCall{Pos: n.Pos(), Callee: strings.TrimSpace(m.Text(n.Fun.Pos(), n.Fun.End()))}
				// A call whose summary releases this mutex is an event
				// of its own (summaryReleases, skipped above as a lock
				// call, or a release of ours); one golens cannot tell
				// about may release it.
				switch fb.callEffect(n, root, rootDecl, key) {
				case callTransparent:
				case callReleases:
					releasing = append(releasing, n)
				default:
					opaque = append(opaque, oc)
				}
			}
		}
		return true
	})
	return opaque, releasing
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

// callEffects of a call on a held mutex, by the callee's summary.
const (
	callOpaque      = iota // golens cannot tell: it may release the mutex
	callTransparent        // the callee does not touch the mutex
	callReleases           // the callee releases it (net unlock)
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
	sum := cs.resolved
	if sum == nil || len(sum.Opaque) > 0 {
		return callOpaque
	}
	// The callee's terms for the mutex: a field of its receiver, or the
	// parameter the caller passes it as.
	targets := []Target{{Param: -1, Key: key}}
	for i, a := range call.Args {
		if id := rootIdent(stripAddr(a)); id != nil && id.Name == root.Name && b.rootDecl(id) == rootDecl {
			targets = append(targets, Target{Param: i})
		}
	}
	touched := false
	for _, e := range sum.Effects {
		for _, t := range targets {
			if e.Target != t {
				continue
			}
			touched = true
			if e.Kind == EffEscape {
				return callOpaque
			}
		}
	}
	for _, t := range targets {
		if sum.LockNet(t) < 0 {
			return callReleases
		}
	}
	if !touched {
		return callTransparent
	}
	return callOpaque
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
	return d.IsValid() && f.Body != nil && d > f.Body.Lbrace && d < f.Body.Rbrace
}
