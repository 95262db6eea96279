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
	// no call since may have released. Otherwise some path does.
	Every bool
	Locks []*LockOp // the Locks holding it on the paths that hold it
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
	return f.heldAt[pos]
}

type heldProbe struct{ pos token.Pos }

// heldSeen accumulates the states the paths bring to one probe.
type heldSeen struct {
	every bool
	locks map[*LockOp]bool
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
		h = &heldSeen{every: true, locks: map[*LockOp]bool{}}
		probed[pos] = h
	}
	clean := false
	if s.w != 0 {
		h.locks[opOf(s.w)] = true
		clean = opOf(s.w).Kind == Lock && !s.opaqueW && !s.mayEndW && !s.rebW
	}
	if s.r != 0 {
		h.locks[opOf(s.r)] = true
		clean = clean || !s.opaqueR && !s.mayEndR && !s.rebR
	}
	if !clean {
		h.every = false
	}
}

// addHeld records one mutex's probes on f. It runs inside f's own flow
// computation (once).
func (f *Func) addHeld(name string, probed map[token.Pos]*heldSeen) {
	for pos, h := range probed {
		if len(h.locks) == 0 {
			continue
		}
		hf := HeldFlow{Mutex: name, Every: h.every}
		for l := range h.locks {
			hf.Locks = append(hf.Locks, l)
		}
		sort.Slice(hf.Locks, func(i, j int) bool { return hf.Locks[i].Pos < hf.Locks[j].Pos })
		if f.heldAt == nil {
			f.heldAt = map[token.Pos][]HeldFlow{}
		}
		f.heldAt[pos] = append(f.heldAt[pos], hf)
	}
}

func recvTextOf(m *File, l *LockOp) string {
	if sel, ok := ast.Unparen(l.Call.Fun).(*ast.SelectorExpr); ok && l.synthID == "" {
		return m.Text(stripAddr(sel.X).Pos(), stripAddr(sel.X).End())
	}
	return l.Recv
}
