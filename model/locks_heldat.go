package model

import (
	"go/ast"
	"go/token"
	"sort"
)

// HeldFlow is what the lock flow of a function (LockFlow's per-mutex
// path analysis) says about one mutex at one point of the function's own
// body: whether every path to the point holds it, and by which Lock
// (RLock) calls. deadlock's held sets (model/lockfacts) are read from it:
// the mutexes whose Every is set, named in lockfacts' terms
// (internal/agreement checks that nothing is lost in naming them).
type HeldFlow struct {
	Mutex string // as written at its first Lock: "s.mu"
	// Every: every path to the point holds it, by a Lock (not a TryLock)
	// no call since may have released (at a call, apart from that same
	// call's run on an earlier pass of a loop: its first pass holds it).
	// Otherwise some path does.
	Every bool
	// UnlessUnseen: every path to the point holds it, by a Lock that
	// nothing golens sees may have released since; only calls golens
	// cannot see into may have (a function of another file or package, a
	// callback, a callee that passes the mutex on, or one whose name says
	// it releases something): "held, unless release() at line 14, which
	// golens cannot see into, unlocks it". Every implies it. deadlock
	// reads it (model/lockfacts): the check has always assumed that such
	// calls do not release the caller's lock.
	UnlessUnseen bool
	Locks        []*LockOp // the Locks holding it on the paths that hold it
}

// TrackHeld makes the lock flows of f, computed on first read after it,
// record what HeldAt answers. Call it right after building the model,
// before anything reads it: probing every call of every function that
// locks costs the lock flows about as much again (BenchmarkFlowsAll), so
// only the readers of held sets ask for it: checks/modelpass, whose
// models deadlock's lock facts (model/lockfacts) read, and the agreement
// tests.
func (f *File) TrackHeld() { f.trackHeld = true }

// HeldAt lists the mutexes the paths of the function enclosing pos hold
// at pos, where pos is the position of a call, a channel operation (its
// ChanOp.Pos) or a lock call of that function's own body: the probes the
// lock flow records. Mutexes no path holds are not listed. It answers only
// after TrackHeld.
func (f *File) HeldAt(pos token.Pos) []HeldFlow {
	var in *Func
	for _, fn := range f.Funcs {
		if fn.Body != nil && fn.Pos <= pos && pos < fn.End && (in == nil || fn.Pos >= in.Pos) {
			in = fn
		}
	}
	return in.HeldAt(pos)
}

// HeldAt is File.HeldAt for a position of f's own body: what the paths
// of f hold there. Only mutexes some path holds are listed; nil for a
// function whose flow golens does not follow (it locks nothing and calls
// no helper that does).
func (f *Func) HeldAt(pos token.Pos) []HeldFlow {
	if f == nil {
		return nil
	}
	f.ensureFlow()
	if f.paths == nil {
		return nil
	}
	return f.paths.heldAt[pos]
}

type heldProbe struct{ pos token.Pos }

// heldSeen accumulates the states the paths bring to one probe.
type heldSeen struct {
	every, unlessUnseen bool
	locks               map[*LockOp]bool
}

// heldProbes are the positions of f's own body the lock flow records
// what it holds at: every call (the Lock calls among them), every channel
// operation of f.
func (fb *flowBuilder) heldProbes(f *Func, own []*LockOp) []token.Pos {
	if !fb.m.trackHeld {
		return nil
	}
	var out []token.Pos
	ast.Inspect(f.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.CallExpr:
			out = append(out, n.Pos())
		}
		return true
	})
	for _, op := range fb.m.ChanOps {
		if op.Func == f {
			out = append(out, op.Pos)
		}
	}
	return out
}

func seeHeld(probed map[token.Pos]*heldSeen, pos token.Pos, s lockState, opOf func(int16) *LockOp) {
	h := probed[pos]
	if h == nil {
		h = &heldSeen{every: true, unlessUnseen: true, locks: map[*LockOp]bool{}}
		probed[pos] = h
	}
	// A path that comes back to the call at pos around a loop, with only
	// that call's own earlier run in doubt, passed it first holding the
	// mutex: what the call does then (lock it again, wait) it does with
	// the mutex held, and if that blocks there is no second pass.
	clean, unlessUnseen := false, false
	if s.w != 0 {
		h.locks[opOf(s.w)] = true
		clean = opOf(s.w).Kind == Lock && (!s.opaqueW || s.onlyW == pos) && !s.mayEndW && !s.rebW
		unlessUnseen = opOf(s.w).Kind == Lock && !s.seenW && !s.rebW
	}
	if s.r != 0 {
		h.locks[opOf(s.r)] = true
		clean = clean || (!s.opaqueR || s.onlyR == pos) && !s.mayEndR && !s.rebR
		unlessUnseen = unlessUnseen || !s.seenR && !s.rebR
	}
	if !clean {
		h.every = false
	}
	if !unlessUnseen {
		h.unlessUnseen = false
	}
}

// addHeld records one mutex's probes on f. It runs inside f's own flow
// computation (once).
func (f *Func) addHeld(name string, probed map[token.Pos]*heldSeen) {
	for pos, h := range probed {
		if len(h.locks) == 0 {
			continue
		}
		hf := HeldFlow{Mutex: name, Every: h.every, UnlessUnseen: h.unlessUnseen}
		for l := range h.locks {
			hf.Locks = append(hf.Locks, l)
		}
		sort.Slice(hf.Locks, func(i, j int) bool { return hf.Locks[i].Pos < hf.Locks[j].Pos })
		fp := f.pathFacts()
		if fp.heldAt == nil {
			fp.heldAt = map[token.Pos][]HeldFlow{}
		}
		fp.heldAt[pos] = append(fp.heldAt[pos], hf)
	}
}

func recvTextOf(m *File, l *LockOp) string {
	if sel, ok := ast.Unparen(l.Call.Fun).(*ast.SelectorExpr); ok && l.synthID() == "" {
		return m.Text(stripAddr(sel.X).Pos(), stripAddr(sel.X).End())
	}
	return l.Recv
}
