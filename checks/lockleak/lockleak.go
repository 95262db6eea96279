package lockleak

import (
	"bytes"
	"cmp"
	"fmt"
	"go/ast"
	"go/token"
	"slices"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/golens/golens/checks"
	"github.com/golens/golens/checks/internal/chanutil"
	"github.com/golens/golens/checks/modelpass"
	"github.com/golens/golens/model"
)

const name = "lockleak"

// Analyzer reports locks held on early returns and locks taken twice.
var Analyzer = &analysis.Analyzer{
	Name: name,
	Doc: "report a lock held on an early return, or locked again while held\n\n" +
		"A return between Lock and a later Unlock leaves the mutex locked; a goroutine " +
		"that locks a mutex it already holds (directly or through a method of the same type " +
		"that locks the same field) blocks forever. The fix defers the Unlock right after Lock.",
	URL:      checks.DocURL(name),
	Requires: []*analysis.Analyzer{modelpass.Analyzer},
	Run:      run,
}

func run(pass *analysis.Pass) (any, error) {
	sum := summaries(pass.ResultOf[modelpass.Analyzer].(*modelpass.Result).Order)
	return modelpass.Report(pass, func(m *model.File) []analysis.Diagnostic { return check(m, sum) })
}

// Syntax runs the check on a syntax-tier model; calls into methods are
// followed within the file only.
func Syntax(m *model.File) []analysis.Diagnostic {
	return check(m, summaries([]*model.File{m}))
}

// ---- method summaries ----

// methodLock is a Lock that a method takes unconditionally, as the first
// thing it does with the mutex: `r.mu.Lock()` among the top-level
// statements of its body, recorded relative to the receiver ("mu").
type methodLock struct {
	path string
	kind model.LockKind
	pos  token.Pos
}

// locksInFunc returns a function giving the lock operations of m within a
// declaration's body: a binary search when m.Locks is in source order (the
// model's walk order), so summarising every declaration stays linear.
func locksInFunc(m *model.File) func(fd *ast.FuncDecl) []*model.LockOp {
	if !sort.SliceIsSorted(m.Locks, func(i, j int) bool { return m.Locks[i].Pos < m.Locks[j].Pos }) {
		return func(*ast.FuncDecl) []*model.LockOp { return m.Locks }
	}
	return func(fd *ast.FuncDecl) []*model.LockOp {
		i := sort.Search(len(m.Locks), func(i int) bool { return m.Locks[i].Pos >= fd.Body.Pos() })
		j := sort.Search(len(m.Locks), func(i int) bool { return m.Locks[i].Pos > fd.Body.End() })
		return m.Locks[i:j]
	}
}

// summaries maps "T.m" (the receiver's base type and the method name) to
// the mutexes the method locks on entry.
func summaries(files []*model.File) map[string][]methodLock {
	out := map[string][]methodLock{}
	for _, m := range files {
		locksIn := locksInFunc(m)
		for _, decl := range m.AST.Decls {
			fd, ok := decl.(*ast.FuncDecl)
			if !ok || fd.Body == nil {
				continue
			}
			// Functions and methods that unlock (anywhere in their body,
			// not deferred) release a mutex their caller holds.
			unlockKey, prefix := "."+fd.Name.Name, ""
			if fd.Recv != nil && len(fd.Recv.List) == 1 && len(fd.Recv.List[0].Names) == 1 {
				unlockKey = recvTypeName(fd.Recv.List[0].Type) + "." + fd.Name.Name
				prefix = fd.Recv.List[0].Names[0].Name + "."
			}
			for _, l := range locksIn(fd) {
				if l.Pos < fd.Body.Pos() || l.Pos > fd.Body.End() || l.Deferred || (l.Kind != model.Unlock && l.Kind != model.RUnlock) {
					continue
				}
				if rel, ok := strings.CutPrefix(l.Recv, prefix); ok && (prefix != "" || !strings.Contains(rel, ".")) {
					out[unlockKey] = append(out[unlockKey], methodLock{path: rel, kind: l.Kind, pos: l.Pos})
				}
			}
			if fd.Recv == nil || len(fd.Recv.List) != 1 || len(fd.Recv.List[0].Names) != 1 {
				continue
			}
			recv := fd.Recv.List[0].Names[0].Name
			key := recvTypeName(fd.Recv.List[0].Type) + "." + fd.Name.Name
			// The first operation on each mutex must be a Lock statement of
			// the body itself: a method that unlocks first (an upgrade from
			// RLock) or locks conditionally is not summarised.
			top := map[*ast.CallExpr]bool{}
			for _, s := range fd.Body.List {
				if es, ok := s.(*ast.ExprStmt); ok {
					if c, ok := es.X.(*ast.CallExpr); ok {
						top[c] = true
					}
				}
			}
			first := map[string]bool{}
			for _, l := range locksIn(fd) {
				if l.Pos < fd.Body.Pos() || l.Pos > fd.Body.End() {
					continue
				}
				rel, ok := strings.CutPrefix(l.Recv, recv+".")
				if !ok || first[rel] {
					continue
				}
				first[rel] = true
				if (l.Kind == model.Lock || l.Kind == model.RLock) && top[l.Call] {
					out[key] = append(out[key], methodLock{path: rel, kind: l.Kind, pos: l.Pos})
				}
			}
		}
	}
	return out
}

func recvTypeName(t ast.Expr) string {
	if s, ok := t.(*ast.StarExpr); ok {
		t = s.X
	}
	switch x := t.(type) {
	case *ast.IndexExpr:
		t = x.X
	case *ast.IndexListExpr:
		t = x.X
	}
	if id, ok := t.(*ast.Ident); ok {
		return id.Name
	}
	return ""
}

// ---- per function ----

// identity names one mutex: by declaration and by the expression that
// reaches it, so a.mu and b.mu of the same type stay apart.
type identity struct {
	key  model.VarKey
	recv string
}

func check(m *model.File, sum map[string][]methodLock) []analysis.Diagnostic {
	byFunc := map[*model.Func]map[identity][]*model.LockOp{}
	for _, l := range m.Locks {
		if l.Func == nil || !l.Key.Valid() {
			continue
		}
		id := identity{l.Key, l.Recv}
		if byFunc[l.Func] == nil {
			byFunc[l.Func] = map[identity][]*model.LockOp{}
		}
		byFunc[l.Func][id] = append(byFunc[l.Func][id], l)
	}
	var out []analysis.Diagnostic
	locksWithin := newLockIndex(m)
	for _, f := range m.Funcs {
		if f.Body == nil {
			continue
		}
		ids := byFunc[f]
		// Stable order: by first operation.
		var keys []identity
		for id := range ids {
			keys = append(keys, id)
		}
		sort.Slice(keys, func(i, j int) bool { return ids[keys[i]][0].Pos < ids[keys[j]][0].Pos })
		// The lock operations within f (a binary search in the sorted
		// list, where scanning every one per mutex was quadratic).
		var nearby []*model.LockOp
		if len(keys) > 0 {
			nearby = locksWithin(f.Pos, f.End)
		}
		for _, id := range keys {
			out = append(out, checkMutex(m, f, id, ids[id], sum, nearby, locksWithin)...)
		}
	}
	return out
}

// state is what the interpreter knows about one mutex at a point.
type state struct {
	live     bool // the point is reachable
	may      bool // locked on some path
	must     bool // locked on every path
	deferred bool // an Unlock is deferred
	unknown  bool // something we cannot follow may have unlocked it
	lockPos  token.Pos
}

func join(a, b state) state {
	if !a.live {
		return b
	}
	if !b.live {
		return a
	}
	r := state{live: true, may: a.may || b.may, must: a.must && b.must,
		deferred: a.deferred || b.deferred, unknown: a.unknown || b.unknown, lockPos: a.lockPos}
	if r.lockPos == token.NoPos || b.lockPos > r.lockPos {
		r.lockPos = b.lockPos
	}
	return r
}

type interp struct {
	m   *model.File
	f   *model.Func
	id  identity
	ops map[*ast.CallExpr]*model.LockOp
	// otherMutex holds the Lock and Unlock calls of other, known mutexes:
	// they say nothing about this one.
	otherMutex map[*ast.CallExpr]bool
	// branchLeaks records the break and continue statements (by position)
	// that leave the loop with the mutex locked.
	branchLeaks map[token.Pos]token.Token
	// bodyEnds records the ends of loop bodies reached with the mutex
	// locked by a Lock in that body (by the body's closing brace), with
	// the Unlock in the body that those paths skip.
	bodyEnds map[token.Pos]token.Pos
	unlocks  []*model.LockOp // non-deferred Unlock/RUnlock calls in f
	sum      map[string][]methodLock
	recvTyp  string // f's receiver base type, for calls r.m()
	recv     string // f's receiver name
	abort    bool   // goto, or a construct the interpreter cannot follow

	// Indexes over the operations, so that each return, branch and leak
	// is answered without a scan of the function (a function of many
	// Lock/Unlock pairs was quadratic).
	byPos         map[token.Pos]*model.LockOp
	slots         map[*ast.CallExpr]slot // the statement list holding each operation
	lastUnlockIn  map[ast.Node]token.Pos // list owner -> last non-deferred unlock directly in its list
	lastUnlock    token.Pos              // last Unlock or RUnlock, deferred or not
	unlocksByPos  []*model.LockOp        // unlocks, sorted by position
	lockCount     int                    // Lock and RLock operations
	deferredCount int                    // deferred operations
	locksWithin   lockIndex
	addrTaken     *bool                    // &mu in the function, once asked
	ownersOf      map[token.Pos][]ast.Node // Lock pos -> the lists on its path
	loops         map[loopEntry]loopWalk   // memoised loop walks, see loop
	walks         []*loopWalk              // the loops being walked, outermost first

	leaks   map[token.Pos][]token.Pos // Lock pos -> returns that leave it held
	doubles []analysis.Diagnostic
	seen    map[token.Pos]bool

	// loop and switch contexts for break and continue
	targets []*target
}

// slot is a statement's place in its statement list.
type slot struct {
	list  []ast.Stmt
	index int
}

// lockIndex returns the lock operations of the file strictly between two
// positions.
type lockIndex func(from, to token.Pos) []*model.LockOp

// newLockIndex searches m.Locks when it is in source order (the model's
// walk order) and scans it otherwise.
func newLockIndex(m *model.File) lockIndex {
	if !sort.SliceIsSorted(m.Locks, func(i, j int) bool { return m.Locks[i].Pos < m.Locks[j].Pos }) {
		return func(from, to token.Pos) []*model.LockOp {
			var out []*model.LockOp
			for _, l := range m.Locks {
				if l.Pos > from && l.Pos < to {
					out = append(out, l)
				}
			}
			return out
		}
	}
	return func(from, to token.Pos) []*model.LockOp {
		i := sort.Search(len(m.Locks), func(i int) bool { return m.Locks[i].Pos > from })
		j := sort.Search(len(m.Locks), func(i int) bool { return m.Locks[i].Pos >= to })
		if j < i {
			return nil
		}
		return m.Locks[i:j]
	}
}

type target struct {
	node      ast.Node
	label     string
	loop      bool
	breaks    state
	continues state
}

func checkMutex(m *model.File, f *model.Func, id identity, ops []*model.LockOp, sum map[string][]methodLock, nearby []*model.LockOp, locksWithin lockIndex) []analysis.Diagnostic {
	in := &interp{m: m, f: f, id: id, ops: map[*ast.CallExpr]*model.LockOp{}, sum: sum,
		leaks: map[token.Pos][]token.Pos{}, seen: map[token.Pos]bool{},
		byPos: map[token.Pos]*model.LockOp{}, slots: map[*ast.CallExpr]slot{}, lastUnlockIn: map[ast.Node]token.Pos{},
		locksWithin: locksWithin}
	hasLock := false
	for _, l := range ops {
		switch l.Kind {
		case model.TryLock, model.TryRLock:
			return nil
		case model.Lock, model.RLock:
			hasLock = true
			in.lockCount++
		case model.Unlock, model.RUnlock:
			if !l.Deferred {
				in.unlocks = append(in.unlocks, l)
			}
			in.lastUnlock = max(in.lastUnlock, l.Pos)
		}
		if l.Deferred {
			in.deferredCount++
		}
		in.ops[l.Call] = l
		in.byPos[l.Pos] = l
	}
	if !hasLock {
		return nil
	}
	in.unlocksByPos = slices.SortedFunc(slices.Values(in.unlocks), func(a, b *model.LockOp) int { return cmp.Compare(a.Pos, b.Pos) })
	in.otherMutex, in.branchLeaks, in.bodyEnds = map[*ast.CallExpr]bool{}, map[token.Pos]token.Token{}, map[token.Pos]token.Pos{}
	for _, l := range nearby { // every operation of f is among them
		if l.Func == f && l.Key.Valid() && (l.Key != id.key || l.Recv != id.recv) && l.Recv != id.recv {
			in.otherMutex[l.Call] = true
		}
	}
	// Every operation must be a statement of its own (or deferred);
	// anything else (a lock in a condition, a method value) is not followed.
	// The same walk records the statement list that holds each one, for
	// the questions asked later per return and per leak.
	placed := 0
	addSlots := func(owner ast.Node, list []ast.Stmt) {
		for i, st := range list {
			if es, ok := st.(*ast.ExprStmt); ok {
				if c, ok := es.X.(*ast.CallExpr); ok && in.ops[c] != nil {
					if _, dup := in.slots[c]; !dup {
						in.slots[c] = slot{list: list, index: i}
					}
					if l := in.ops[c]; (l.Kind == model.Unlock || l.Kind == model.RUnlock) && !l.Deferred {
						in.lastUnlockIn[owner] = max(in.lastUnlockIn[owner], l.Pos)
					}
				}
			}
		}
	}
	ast.Inspect(f.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ExprStmt:
			if c, ok := n.X.(*ast.CallExpr); ok && in.ops[c] != nil {
				placed++
			}
		case *ast.DeferStmt:
			if in.ops[n.Call] != nil {
				placed++
			}
		case *ast.BlockStmt:
			addSlots(n, n.List)
		case *ast.CaseClause:
			addSlots(n, n.Body)
		case *ast.CommClause:
			addSlots(n, n.Body)
		}
		return true
	})
	if placed != len(ops) {
		return nil
	}
	// An Unlock inside a function literal may run at any time, except in a
	// literal that is deferred directly in f (handled as a deferred unlock).
	for _, l := range nearby {
		if (l.Kind == model.Unlock || l.Kind == model.RUnlock) && l.Func != f && l.Func != nil && l.Key == id.key && l.Recv == id.recv &&
			l.Pos > f.Pos && l.Pos < f.End && !(l.Func.Deferred && l.Func.Parent == f) {
			return nil
		}
	}
	if fd := declOf(m, f); fd != nil && fd.Recv != nil && len(fd.Recv.List) == 1 && len(fd.Recv.List[0].Names) == 1 {
		in.recvTyp = recvTypeName(fd.Recv.List[0].Type)
		in.recv = fd.Recv.List[0].Names[0].Name
	}
	in.block(f.Body.List, state{live: true})
	if in.abort {
		return nil
	}
	if isTestFunc(m, f) || unlockedByEncloser(m, f, id, locksWithin) {
		// Test functions lock twice on purpose, to make a goroutine
		// block; the helpers and types of a _test.go file do not. A
		// goroutine whose starter unlocks the mutex waits for that
		// Unlock, not forever (runtime/pprof's blockMutexDeep).
		in.doubles = nil
	}
	var out []analysis.Diagnostic
	var lockPoss []token.Pos
	for p := range in.leaks {
		lockPoss = append(lockPoss, p)
	}
	sort.Slice(lockPoss, func(i, j int) bool { return lockPoss[i] < lockPoss[j] })
	for _, lp := range lockPoss {
		out = append(out, in.leakDiag(lp, in.leaks[lp]))
	}
	return append(out, in.doubles...)
}

// unlockedByEncloser reports whether f is a function literal and a
// function enclosing it unlocks the mutex outside f.
func unlockedByEncloser(m *model.File, f *model.Func, id identity, locksWithin lockIndex) bool {
	if !f.Lit {
		return false
	}
	top := f
	for top.Parent != nil {
		top = top.Parent
	}
	for _, l := range locksWithin(top.Pos, top.End) {
		if l.Kind != model.Unlock && l.Kind != model.RUnlock || l.Key != id.key || l.Recv != id.recv || l.Func == f || l.Func == nil {
			continue
		}
		for p := f.Parent; p != nil; p = p.Parent {
			if l.Func == p {
				return true
			}
		}
	}
	return false
}

// isTestFunc reports whether f is a Test, Benchmark, Example or Fuzz
// function of a _test.go file, or a function literal inside one.
func isTestFunc(m *model.File, f *model.Func) bool {
	if !strings.HasSuffix(m.Fset.Position(f.Pos).Filename, "_test.go") {
		return false
	}
	for f.Parent != nil {
		f = f.Parent
	}
	for _, p := range []string{"Test", "Benchmark", "Example", "Fuzz"} {
		if strings.HasPrefix(f.Name, p) {
			return true
		}
	}
	return false
}

func declOf(m *model.File, f *model.Func) *ast.FuncDecl {
	if f.Lit {
		return nil
	}
	// Declarations are in source order.
	decls := m.AST.Decls
	i := sort.Search(len(decls), func(i int) bool { return decls[i].Pos() >= f.Pos })
	if i < len(decls) {
		if fd, ok := decls[i].(*ast.FuncDecl); ok && fd.Pos() == f.Pos {
			return fd
		}
	}
	return nil
}

func (in *interp) block(list []ast.Stmt, s state) state {
	for _, st := range list {
		if in.abort {
			return state{}
		}
		s = in.stmt(st, s)
	}
	return s
}

func (in *interp) stmt(st ast.Stmt, s state) state {
	if !s.live {
		return s
	}
	switch st := st.(type) {
	case *ast.ExprStmt:
		if c, ok := st.X.(*ast.CallExpr); ok {
			if l := in.ops[c]; l != nil {
				return in.lockOp(l, s)
			}
			if terminal(c) {
				return state{}
			}
		}
		return in.calls(st, s)
	case *ast.DeferStmt:
		if l := in.ops[st.Call]; l != nil && (l.Kind == model.Unlock || l.Kind == model.RUnlock) {
			s.deferred = true
			return s
		}
		if lit, ok := ast.Unparen(st.Call.Fun).(*ast.FuncLit); ok {
			for _, l := range in.locksWithin(lit.Pos(), lit.End()) {
				if l.Key == in.id.key && l.Recv == in.id.recv && (l.Kind == model.Unlock || l.Kind == model.RUnlock) &&
					l.Pos > lit.Pos() && l.Pos < lit.End() {
					s.deferred = true
				}
			}
		}
		return s
	case *ast.ReturnStmt:
		s = in.calls(st, s)
		if s.must && !s.deferred && !s.unknown && in.pairedUnlockAfter(s.lockPos, st.Pos()) {
			in.leaks[s.lockPos] = append(in.leaks[s.lockPos], st.Pos())
		}
		return state{}
	case *ast.BlockStmt:
		return in.block(st.List, s)
	case *ast.LabeledStmt:
		return in.labeled(st.Label.Name, st.Stmt, s)
	case *ast.IfStmt:
		if st.Init != nil {
			s = in.stmt(st.Init, s)
		}
		s = in.calls(st.Cond, s)
		then := in.block(st.Body.List, s)
		els := s
		if st.Else != nil {
			els = in.stmt(st.Else, s)
		}
		return join(then, els)
	case *ast.ForStmt, *ast.RangeStmt, *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
		return in.labeled("", st, s)
	case *ast.BranchStmt:
		switch st.Tok {
		case token.GOTO, token.FALLTHROUGH:
			in.abort = true
			return state{}
		}
		i := in.targetOf(st)
		if i < 0 {
			in.abort = true
			return state{}
		}
		in.branchLeak(st, in.targets[i], s)
		in.branchTo(i, st.Tok == token.CONTINUE, s)
		return state{}
	case *ast.GoStmt:
		return s
	default:
		return in.calls(st, s)
	}
}

func (in *interp) labeled(label string, st ast.Stmt, s state) state {
	switch st := st.(type) {
	case *ast.ForStmt:
		if st.Init != nil {
			s = in.stmt(st.Init, s)
		}
		return in.loop(label, st, st.Body, st.Cond == nil, s)
	case *ast.RangeStmt:
		return in.loop(label, st, st.Body, false, s)
	case *ast.SwitchStmt:
		if st.Init != nil {
			s = in.stmt(st.Init, s)
		}
		return in.clauses(label, st, st.Body, s)
	case *ast.TypeSwitchStmt:
		if st.Init != nil {
			s = in.stmt(st.Init, s)
		}
		return in.clauses(label, st, st.Body, s)
	case *ast.SelectStmt:
		return in.clauses(label, st, st.Body, s)
	}
	return in.stmt(st, s)
}

// loop runs the body twice: once from the entry state and once from the
// join of the entry and the states that come back around. Walking a loop
// from the same entry state twice gives the same result, so the result is
// memoised per loop and entry state: without it, a loop nested d deep was
// walked 2^d times.
func (in *interp) loop(label string, n ast.Node, body *ast.BlockStmt, infinite bool, s state) state {
	key := loopEntry{n, s}
	if r, ok := in.loops[key]; ok {
		// Replay the breaks and continues that left the loop for
		// statements around it; returns and double locks were recorded
		// by the first walk.
		for _, b := range r.branches {
			in.branchTo(b.target, b.cont, b.s)
		}
		return r.out
	}
	w := &loopWalk{base: len(in.targets)}
	in.walks = append(in.walks, w)
	out := in.walkLoop(label, n, body, infinite, s)
	in.walks = in.walks[:len(in.walks)-1]
	if !in.abort {
		if in.loops == nil {
			in.loops = map[loopEntry]loopWalk{}
		}
		w.out = out
		in.loops[key] = *w
	}
	return out
}

// loopEntry is a loop statement and the state it is entered in.
type loopEntry struct {
	node  ast.Node
	entry state
}

// loopWalk is what one walk of a loop produced: the state after it, and
// the breaks and continues to statements around it (by their index in
// in.targets, which is the same at every walk of the loop: it follows
// the syntax).
type loopWalk struct {
	base     int // len(in.targets) outside the loop
	out      state
	branches []branch
}

type branch struct {
	target int
	cont   bool
	s      state
}

func (in *interp) walkLoop(label string, n ast.Node, body *ast.BlockStmt, infinite bool, s state) state {
	t := &target{node: n, label: label, loop: true}
	in.targets = append(in.targets, t)
	end := in.block(body.List, s)
	again := join(join(s, end), t.continues)
	t.continues, t.breaks = state{}, state{}
	end = in.block(body.List, again)
	in.targets = in.targets[:len(in.targets)-1]
	in.bodyEndLeak(n, body, s, end)
	out := t.breaks
	if !infinite {
		out = join(out, join(join(again, end), t.continues))
	}
	return out
}

func (in *interp) clauses(label string, n ast.Node, body *ast.BlockStmt, s state) state {
	t := &target{node: n, label: label}
	in.targets = append(in.targets, t)
	var out state
	hasDefault := false
	_, isSelect := n.(*ast.SelectStmt)
	for _, c := range body.List {
		switch c := c.(type) {
		case *ast.CaseClause:
			if c.List == nil {
				hasDefault = true
			}
			out = join(out, in.block(c.Body, s))
		case *ast.CommClause:
			cs := s
			if c.Comm != nil {
				cs = in.stmt(c.Comm, cs)
			}
			out = join(out, in.block(c.Body, cs))
		}
	}
	in.targets = in.targets[:len(in.targets)-1]
	if !hasDefault && !isSelect {
		out = join(out, s)
	}
	return join(out, t.breaks)
}

// targetOf is the index in in.targets of the statement a break or
// continue leaves, or -1.
func (in *interp) targetOf(b *ast.BranchStmt) int {
	for i := len(in.targets) - 1; i >= 0; i-- {
		t := in.targets[i]
		if b.Label != nil {
			if t.label == b.Label.Name {
				return i
			}
			continue
		}
		if b.Tok == token.CONTINUE && !t.loop {
			continue
		}
		return i
	}
	return -1
}

// branchTo joins s into what leaves through in.targets[i] (its continues
// or its breaks), and records it in every loop being walked that
// in.targets[i] encloses, so that a memoised walk of that loop replays it.
func (in *interp) branchTo(i int, cont bool, s state) {
	t := in.targets[i]
	if cont {
		t.continues = join(t.continues, s)
	} else {
		t.breaks = join(t.breaks, s)
	}
	for _, w := range in.walks {
		if i < w.base {
			w.branches = append(w.branches, branch{target: i, cont: cont, s: s})
		}
	}
}

func (in *interp) lockOp(l *model.LockOp, s state) state {
	switch l.Kind {
	case model.Lock, model.RLock:
		if s.must && !s.unknown && !in.seen[l.Pos] && (l.Kind == model.Lock || in.heldKind(s) == model.Lock) {
			in.seen[l.Pos] = true
			in.doubles = append(in.doubles, analysis.Diagnostic{
				Pos: l.Call.Pos(), End: l.Call.End(), Category: name,
				Message: fmt.Sprintf("%s.%s() while this goroutine already holds %s (locked on line %d): Go mutexes are not reentrant, so this blocks forever",
					l.Recv, l.Kind, l.Recv, in.m.Line(s.lockPos)),
				Related: []analysis.RelatedInformation{{Pos: s.lockPos, Message: l.Recv + " is locked here"}},
			})
		}
		return state{live: true, may: true, must: true, deferred: s.deferred, lockPos: l.Pos}
	case model.Unlock, model.RUnlock:
		return state{live: true, deferred: s.deferred}
	}
	return s
}

// branchLeak records a break or continue that leaves a loop with the
// mutex locked by a Lock inside that loop, when the loop's normal path
// unlocks it later in the body and nothing after the loop does: a
// continue locks it again on the next iteration, a break keeps it.
func (in *interp) branchLeak(b *ast.BranchStmt, t *target, s state) {
	if !t.loop || !s.must || s.deferred || s.unknown || s.lockPos < t.node.Pos() || s.lockPos > t.node.End() {
		return
	}
	if !in.pairedUnlockAfter(s.lockPos, b.Pos()) || in.addressTaken() {
		return
	}
	// An Unlock after the loop, deferred or not, releases it: the loop
	// breaks out with the lock held on purpose.
	if in.lastUnlock > t.node.End() {
		return
	}
	in.leaks[s.lockPos] = append(in.leaks[s.lockPos], b.Pos())
	in.branchLeaks[b.Pos()] = b.Tok
}

// bodyEndLeak records the end of a loop body reached with the mutex
// locked by a Lock in that body: the next iteration locks it again (an
// implicit continue). entry is the state the loop is entered in, end the
// state at the end of its body. It stays silent when the mutex may be
// held on entry (the leak, if any, is the function's), when the lock may
// be released some way the walk does not follow or handed over, when the
// body locks a different mutex on each iteration, and when no Unlock
// after the Lock in the body shows that the iteration means to release it.
func (in *interp) bodyEndLeak(loop ast.Node, body *ast.BlockStmt, entry, end state) {
	if !end.live || !end.must || end.deferred || end.unknown || entry.may ||
		end.lockPos < body.Pos() || end.lockPos > body.End() {
		return
	}
	lock := in.byPos[end.lockPos]
	if lock == nil || in.addressTaken() {
		return
	}
	// An Unlock after the loop, deferred or not, may be what releases it
	// (the loop may run once).
	if in.lastUnlock > loop.End() {
		return
	}
	// The Unlock the iteration's other paths run: after the Lock, in the
	// body; and no Unlock before the Lock in the loop (it would release
	// the lock at the top of the next iteration).
	var skipped token.Pos
	for _, u := range in.unlocksByPos {
		if u.Pos > loop.Pos() && u.Pos < end.lockPos {
			return
		}
		if u.Pos > end.lockPos && u.Pos < body.End() && skipped == token.NoPos {
			skipped = u.Pos
		}
	}
	if skipped == token.NoPos {
		return
	}
	// A call anywhere in the loop that may unlock it or receives it (the
	// for statement's condition and post statement included, which the
	// walk does not visit).
	if in.calls(loop, state{live: true}).unknown {
		return
	}
	if in.variesPerIteration(loop, lock) {
		return
	}
	in.leaks[end.lockPos] = append(in.leaks[end.lockPos], body.Rbrace)
	in.bodyEnds[body.Rbrace] = skipped
}

// variesPerIteration reports whether the expression that reaches the
// locked mutex may name a different mutex on each iteration of loop: it
// indexes, calls, or uses a variable that the loop assigns (its range
// variables, s = s.next, a := in the body).
func (in *interp) variesPerIteration(loop ast.Node, lock *model.LockOp) bool {
	sel, ok := ast.Unparen(lock.Call.Fun).(*ast.SelectorExpr)
	if !ok {
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

// addressTaken reports &mu in the function: the lock may be handed on
// ("lock = &c.rlock: the caller unlocks it").
func (in *interp) addressTaken() bool {
	if in.addrTaken != nil {
		return *in.addrTaken
	}
	found := false
	defer func() { in.addrTaken = &found }()
	ast.Inspect(in.f.Body, func(n ast.Node) bool {
		if u, ok := n.(*ast.UnaryExpr); ok && u.Op == token.AND && in.m.Text(u.X.Pos(), u.X.End()) == in.id.recv {
			found = true
		}
		return !found
	})
	return found
}

// heldKind is the kind of the Lock at s.lockPos.
func (in *interp) heldKind(s state) model.LockKind {
	if l := in.byPos[s.lockPos]; l != nil {
		return l.Kind
	}
	return model.Lock
}

// calls looks at the calls a statement makes (outside function literals):
// a call that may unlock makes the state unknown; a call of a method of the
// same receiver that locks the held mutex is a double lock.
func (in *interp) calls(n ast.Node, s state) state {
	if n == nil || !s.live {
		return s
	}
	ast.Inspect(n, func(c ast.Node) bool {
		switch c := c.(type) {
		case *ast.FuncLit:
			return false
		case *ast.CallExpr:
			if in.ops[c] != nil || in.otherMutex[c] {
				return true
			}
			callee := ""
			var recvX ast.Expr
			switch fun := ast.Unparen(c.Fun).(type) {
			case *ast.Ident:
				callee = fun.Name
			case *ast.SelectorExpr:
				callee, recvX = fun.Sel.Name, fun.X
			}
			lc := strings.ToLower(callee)
			if strings.Contains(lc, "unlock") || strings.Contains(lc, "release") {
				s.unknown = true
			}
			if in.releasedBy(callee, recvX) {
				s.unknown = true
			}
			for _, a := range c.Args {
				a = ast.Unparen(a)
				if u, ok := a.(*ast.UnaryExpr); ok && u.Op == token.AND {
					a = u.X
				}
				if t := in.m.Text(a.Pos(), a.End()); t != "" && (t == in.id.recv || strings.HasPrefix(in.id.recv, t+".")) {
					if t == in.id.recv {
						s.unknown = true
					}
				}
			}
		}
		return true
	})
	return s
}

// pairedUnlockAfter reports whether an Unlock after the return p pairs with
// the Lock at lockPos: it is a statement of a block that encloses the Lock,
// so the function's normal path from that Lock releases the mutex and the
// return is early. A Lock in a branch that returns on purpose with the
// mutex held (handing it to the caller) has no such Unlock.
// releasedBy reports a call of a function of the package, or a method of
// f's receiver, that unlocks the mutex: after it the state is unknown.
func (in *interp) releasedBy(callee string, recvX ast.Expr) bool {
	var entries []methodLock
	want := in.id.recv
	if recvX == nil {
		entries = in.sum["."+callee]
	} else if x, ok := ast.Unparen(recvX).(*ast.Ident); ok && in.recv != "" && x.Name == in.recv {
		entries = in.sum[in.recvTyp+"."+callee]
		want = strings.TrimPrefix(want, in.recv+".")
	}
	for _, ml := range entries {
		if (ml.kind == model.Unlock || ml.kind == model.RUnlock) && ml.path == want {
			return true
		}
	}
	return false
}

func (in *interp) pairedUnlockAfter(lockPos, p token.Pos) bool {
	lock := in.byPos[lockPos]
	if lock == nil {
		return false
	}
	owners, ok := in.ownersOf[lockPos]
	if !ok {
		// The statement lists on the Lock's path, up to its function.
		path, _ := chanutil.PathEnclosingInterval(in.m, lock.Call.Pos(), lock.Call.End())
	walk:
		for _, n := range path {
			switch n.(type) {
			case *ast.BlockStmt, *ast.CaseClause, *ast.CommClause:
				owners = append(owners, n)
			case *ast.FuncLit, *ast.FuncDecl:
				break walk
			}
		}
		if in.ownersOf == nil {
			in.ownersOf = map[token.Pos][]ast.Node{}
		}
		in.ownersOf[lockPos] = owners
	}
	// An unlock after p, as a statement of one of those lists.
	for _, o := range owners {
		if in.lastUnlockIn[o] > p {
			return true
		}
	}
	return false
}

// terminal reports calls that do not return.
func terminal(c *ast.CallExpr) bool {
	switch fun := ast.Unparen(c.Fun).(type) {
	case *ast.Ident:
		return fun.Name == "panic"
	case *ast.SelectorExpr:
		if x, ok := fun.X.(*ast.Ident); ok {
			n := fun.Sel.Name
			return x.Name == "os" && n == "Exit" || x.Name == "log" && (strings.HasPrefix(n, "Fatal") || strings.HasPrefix(n, "Panic")) ||
				strings.HasPrefix(n, "Fatal") || n == "FailNow" || n == "SkipNow" || strings.HasPrefix(n, "Skip")
		}
	}
	return false
}

// ---- the leak diagnostic and its fix ----

func (in *interp) leakDiag(lockPos token.Pos, returns []token.Pos) analysis.Diagnostic {
	lock := in.byPos[lockPos]
	unlock := "Unlock"
	if lock.Kind == model.RLock {
		unlock = "RUnlock"
	}
	// De-duplicate (the loop body is walked twice) and sort the returns.
	seen := map[token.Pos]bool{}
	var rets []token.Pos
	for _, r := range returns {
		if !seen[r] {
			seen[r] = true
			rets = append(rets, r)
		}
	}
	sort.Slice(rets, func(i, j int) bool { return rets[i] < rets[j] })
	returns = rets
	var later *model.LockOp
	if u, ok := in.bodyEnds[returns[0]]; ok {
		later = in.byPos[u]
	} else if i := sort.Search(len(in.unlocksByPos), func(i int) bool { return in.unlocksByPos[i].Pos > returns[0] }); i < len(in.unlocksByPos) {
		later = in.unlocksByPos[i]
	}
	if later == nil {
		later = in.unlocks[len(in.unlocks)-1]
	}
	d := analysis.Diagnostic{
		Pos: lock.Call.Pos(), End: lock.Call.End(), Category: name,
		Message: fmt.Sprintf("%s stays locked if %s returns on line %d: the %s on line %d is skipped on that path",
			lock.Recv, funcName(in.f), in.m.Line(returns[0]), unlock, in.m.Line(later.Pos)),
	}
	switch in.branchLeaks[returns[0]] {
	case token.BREAK:
		d.Message = fmt.Sprintf("%s stays locked when the loop breaks on line %d: the %s on line %d is skipped and nothing after the loop unlocks it",
			lock.Recv, in.m.Line(returns[0]), unlock, in.m.Line(later.Pos))
	case token.CONTINUE:
		d.Message = fmt.Sprintf("%s stays locked when the loop continues on line %d: the %s on line %d is skipped, so the next iteration's %s blocks forever",
			lock.Recv, in.m.Line(returns[0]), unlock, in.m.Line(later.Pos), lock.Kind)
	}
	if _, ok := in.bodyEnds[returns[0]]; ok {
		d.Message = fmt.Sprintf("%s stays locked at the end of the loop body on line %d: the %s on line %d is skipped on that path, so the next iteration's %s blocks forever",
			lock.Recv, in.m.Line(returns[0]), unlock, in.m.Line(later.Pos), lock.Kind)
		if lock.Kind == model.RLock {
			d.Message = fmt.Sprintf("%s stays read-locked at the end of the loop body on line %d: the %s on line %d is skipped on that path, so every Lock of %s blocks forever, and so does the next iteration's RLock once a writer waits",
				lock.Recv, in.m.Line(returns[0]), unlock, in.m.Line(later.Pos), lock.Recv)
		}
	}
	for _, r := range returns {
		what := "returns"
		if tok, ok := in.branchLeaks[r]; ok {
			what = tok.String() + "s"
		} else if _, ok := in.bodyEnds[r]; ok {
			what = "the loop body ends"
		}
		d.Related = append(d.Related, analysis.RelatedInformation{Pos: r, Message: what + " with " + lock.Recv + " locked"})
	}
	d.Related = append(d.Related, analysis.RelatedInformation{Pos: later.Pos, Message: "the " + unlock + " this path skips"})
	if fix, ok := in.deferFix(lock, unlock); ok {
		d.SuggestedFixes = []analysis.SuggestedFix{fix}
	}
	return d
}

func funcName(f *model.Func) string {
	if f.Lit {
		return "the function literal"
	}
	return f.Name
}

// deferFix adds `defer mu.Unlock()` after the Lock and removes the explicit
// Unlocks, when that keeps the function's behaviour: the Lock is the only
// one, at the top level of the body, and every Unlock is followed by a
// return of values that need no calls, or ends the body.
func (in *interp) deferFix(lock *model.LockOp, unlock string) (analysis.SuggestedFix, bool) {
	m := in.m
	if m.Src == nil {
		return analysis.SuggestedFix{}, false
	}
	// The only Lock (this one), nothing deferred, at the top level.
	if in.lockCount != 1 || in.deferredCount != 0 {
		return analysis.SuggestedFix{}, false
	}
	var lockStmt ast.Stmt
	if sl, ok := in.slots[lock.Call]; ok && len(sl.list) > 0 && len(in.f.Body.List) > 0 && &sl.list[0] == &in.f.Body.List[0] {
		lockStmt = sl.list[sl.index]
	}
	if lockStmt == nil {
		return analysis.SuggestedFix{}, false
	}
	edits := []analysis.TextEdit{}
	for _, u := range in.unlocks {
		if (unlock == "Unlock") != (u.Kind == model.Unlock) {
			return analysis.SuggestedFix{}, false
		}
		sl, ok := in.slots[u.Call]
		list, i := sl.list, sl.index
		if !ok {
			return analysis.SuggestedFix{}, false
		}
		if i+1 < len(list) {
			ret, ok := list[i+1].(*ast.ReturnStmt)
			if !ok || hasCall(ret) {
				return analysis.SuggestedFix{}, false
			}
		} else if !(len(list) == len(in.f.Body.List) && &list[0] == &in.f.Body.List[0]) {
			return analysis.SuggestedFix{}, false // falls out of an inner block
		}
		from, to, ok := wholeLines(m, list[i])
		if !ok {
			return analysis.SuggestedFix{}, false
		}
		edits = append(edits, analysis.TextEdit{Pos: from, End: to})
	}
	tf := m.Fset.File(lockStmt.Pos())
	lineStart := tf.LineStart(m.Line(lockStmt.Pos()))
	indent := m.Text(lineStart, lockStmt.Pos())
	if strings.TrimSpace(indent) != "" {
		return analysis.SuggestedFix{}, false
	}
	// Insert at the end of the Lock's line, after any trailing comment.
	_, next, ok := wholeLines(m, lockStmt)
	if !ok {
		return analysis.SuggestedFix{}, false
	}
	eol := next - 1
	edits = append(edits, analysis.TextEdit{Pos: eol, End: eol,
		NewText: []byte("\n" + indent + "defer " + lock.Recv + "." + unlock + "()")})
	return analysis.SuggestedFix{
		Message:   fmt.Sprintf("Defer %s.%s() right after %s and drop the explicit ones", lock.Recv, unlock, lock.Kind),
		TextEdits: edits,
	}, true
}

func hasCall(n ast.Node) bool {
	found := false
	ast.Inspect(n, func(c ast.Node) bool {
		if _, ok := c.(*ast.CallExpr); ok {
			found = true
		}
		return !found
	})
	return found
}

// wholeLines returns the range of the lines a statement occupies alone
// (from the start of its line to the start of the next), for deletion.
func wholeLines(m *model.File, s ast.Stmt) (token.Pos, token.Pos, bool) {
	tf := m.Fset.File(s.Pos())
	start := tf.LineStart(m.Line(s.Pos()))
	if strings.TrimSpace(m.Text(start, s.Pos())) != "" {
		return 0, 0, false
	}
	endOff := m.Offset(s.End())
	nl := bytes.IndexByte(m.Src[endOff:], '\n')
	if nl < 0 {
		return 0, 0, false
	}
	rest := strings.TrimSpace(string(m.Src[endOff : endOff+nl]))
	if rest != "" && !strings.HasPrefix(rest, "//") {
		return 0, 0, false
	}
	return start, m.Pos(endOff + nl + 1), true
}
