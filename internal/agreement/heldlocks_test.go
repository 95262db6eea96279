package agreement_test

import (
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/golens/golens/model"
	"github.com/golens/golens/model/lockfacts"
)

// One file set and one source importer for every package: the standard
// library is type-checked once.
var (
	typedFset     = token.NewFileSet()
	typedImporter = importer.ForCompiler(typedFset, "source", nil)
)

// typedPackage type-checks one testdata package and builds its models and
// lock facts as checks/modelpass does.
func typedPackage(t *testing.T, dir string) (*token.FileSet, []*model.File, *lockfacts.Facts) {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil || len(names) == 0 {
		t.Fatalf("no Go files in %s: %v", dir, err)
	}
	fset := typedFset
	var files []*ast.File
	srcs := map[*ast.File][]byte{}
	for _, n := range names {
		src, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, n, src, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
		srcs[f] = src
	}
	info := &types.Info{Types: map[ast.Expr]types.TypeAndValue{}, Defs: map[*ast.Ident]types.Object{},
		Uses: map[*ast.Ident]types.Object{}, Selections: map[*ast.SelectorExpr]*types.Selection{},
		Implicits: map[ast.Node]types.Object{}, Scopes: map[ast.Node]*types.Scope{}, Instances: map[*ast.Ident]types.Instance{}}
	conf := types.Config{Importer: typedImporter, Error: func(error) {}}
	pkg, _ := conf.Check(filepath.Base(dir), fset, files, info)
	pkgFacts := model.NewPackage(fset, files, info, pkg)
	byFile := map[*ast.File]*model.File{}
	var models []*model.File
	for _, f := range files {
		m := model.Build(fset, f, srcs[f], info)
		m.TrackHeld()
		m.UsePackage(pkgFacts)
		byFile[f] = m
		models = append(models, m)
	}
	return fset, models, lockfacts.Build(pkgFacts, byFile)
}

// TestHeldLocksAgree checks that deadlock's held sets (model/lockfacts:
// LockEvent.Held, WaitEvent.Held, CallEvent.Held, ParamCall.Held) are the
// model's lock flow's (File.HeldAt, the per-mutex path analysis behind
// LockFlow, which lockleak, the hover and the hints read), at every lock
// call, channel operation and call of deadlock's and lockleak's testdata
// and of the one-package truth programs that use a mutex, both ways:
//
//   - a mutex lockfacts says is held on every path, the flow proves so;
//   - a mutex the flow proves held on every path, lockfacts holds too.
//
// lockfacts keeps no held set of its own: it names the flow's mutexes
// held on every path unless a call golens cannot see into released them
// (HeldFlow.UnlessUnseen; lockfacts/held.go). Each point where its set
// and the flow's proof (HeldFlow.Every) differ is listed in heldDisagree
// with the reason; the test fails on a new disagreement (a mutex lost in
// naming it, or a new point deadlock assumes) and on a listed one that
// went away.
func TestHeldLocksAgree(t *testing.T) {
	got := map[string]bool{}
	points := 0
	dirs := map[string]string{}
	for _, dir := range []string{"deadlock", "lockleak"} {
		dirs[dir] = filepath.Join("..", "..", "checks", dir, "testdata", "src", dir)
	}
	for name, dir := range truthPrograms(t, "Mutex") {
		dirs[name] = dir
	}
	var labels []string
	for l := range dirs {
		labels = append(labels, l)
	}
	sort.Strings(labels)
	for _, dir := range labels {
		fset, models, facts := typedPackage(t, dirs[dir])
		modelOf := func(p token.Pos) *model.File {
			for _, m := range models {
				if m.AST.FileStart <= p && p <= m.AST.FileEnd {
					return m
				}
			}
			return nil
		}
		for _, u := range facts.Units {
			type point struct {
				pos  token.Pos
				what string
				held []lockfacts.Held
			}
			var pts []point
			for _, l := range u.Locks {
				pts = append(pts, point{l.Call.Pos(), "lock call", l.Held})
			}
			for _, w := range append(append([]*lockfacts.WaitEvent(nil), u.Waits...), u.Partner...) {
				pts = append(pts, point{w.Pos, "channel operation", w.Held})
			}
			for _, c := range u.Calls {
				pts = append(pts, point{c.Call.Pos(), "call", c.Held})
			}
			for _, p := range pts {
				m := modelOf(p.pos)
				if m == nil {
					continue
				}
				points++
				flow := m.HeldAt(p.pos)
				where := fmt.Sprintf("%s/%s:%d", dir, filepath.Base(fset.Position(p.pos).Filename), fset.Position(p.pos).Line)
				for _, h := range p.held {
					if h.Mu.Once {
						continue // a sync.Once's Do: no mutex the flow follows
					}
					ok := false
					for _, hf := range flow {
						if hf.Every && holdsLock(hf, h) {
							ok = true
						}
					}
					if !ok {
						how := "does not hold it"
						for _, hf := range flow {
							switch {
							case holdsLock(hf, h) && hf.UnlessUnseen:
								how = "holds it unless a call golens cannot see into released it"
							case holdsLock(hf, h):
								how = "holds it on some paths"
							}
						}
						got[fmt.Sprintf("%s: %s: lockfacts holds %s, the flow %s", where, p.what, h.Mu.Text, how)] = true
					}
				}
				for _, hf := range flow {
					if !hf.UnlessUnseen {
						continue
					}
					ok := false
					for _, h := range p.held {
						if holdsLock(hf, h) {
							ok = true
						}
					}
					if !ok {
						got[fmt.Sprintf("%s: %s: the flow holds %s (every=%v), lockfacts does not hold it", where, p.what, hf.Mutex, hf.Every)] = true
					}
				}
			}
		}
	}
	var keys []string
	for k := range got {
		keys = append(keys, k)
		if _, known := heldDisagree[k]; !known {
			t.Errorf("new disagreement: %s", k)
		}
	}
	for k := range heldDisagree {
		if !got[k] {
			t.Errorf("listed disagreement no longer seen (remove it from heldDisagree): %s", k)
		}
	}
	sort.Strings(keys)
	t.Logf("%d points compared, %d disagreements:\n%s", points, len(keys), strings.Join(keys, "\n"))
}

// Why the two held sets differ.
const (
	// lockfacts holds only mutexes it names by a root variable; qs[i].mu
	// has none (an index), so it holds nothing, and deadlock says nothing
	// about it. Run: at the Unlock, qs[i].mu.TryLock() fails: held, as
	// the flow says.
	noRoot = "lockfacts does not hold a mutex reached through an index (qs[i].mu)"

	// deadlock assumes a call golens cannot see into does not release
	// the caller's lock (it always has; the check's findings on GOROOT,
	// GoKer and the real modules rest on it: nats.go's
	// `sub.consumeOpts.ErrHandler(sub, err)` before `sub.Stop()`); the
	// flow proves nothing past such a call. unseencall.go:35 is that
	// finding's pattern (run: handle is stuck in stop's Lock); the other
	// lock calls listed are Unlocks, where deadlock decides nothing. Run: rv2_other_file_unlock
	// (_plain): release() in release.go does unlock mu (the program locks
	// it again without blocking: the flow is right, and deadlock is
	// silent there). callers.go's r.release() (a callback whose name says
	// release) and siblings.go's td.MaybeScanArgs(…, &d.mu) and
	// (…, &d.other.n) (another package's function given a pointer into
	// the mutex's owner) are calls golens cannot see into, and so is
	// r8a_closures_slice_loopvar_121/_122's sum += f() (f a func value from
	// a slice; it returns the loop variable, and mu is held across it:
	// lockfacts is right there), and so are r10c_cancel_map_close's
	// cancel() (a func value from a map of context.CancelFunc, called
	// with h.mu held) and r10c_search_cancel_previous's s.cancel() (a
	// context.CancelFunc field, called with s.mu held): a cancel func
	// does not touch those mutexes, so lockfacts is right there.
	// r12o_missed_unlock_panic's f(c.n[key]) is a func parameter called
	// with c.mu held; none of the functions passed touches c.mu (run: the
	// Unlock after it releases the lock), so lockfacts is right there.
	// r15t_rlock_upgrade_deadlock's load(key) and
	// r15t_recover_unlock_not_deferred's fn(...) are func parameters
	// called with the mutex held; neither function passed touches it (runs:
	// the upgrade's Lock blocks forever on the goroutine's own read lock,
	// and after fn panics the next Apply blocks on s.mu), so lockfacts is
	// right there.
	// r17d_ttl_cache_rlock_leak's c.now() (a func field, time.Now in the
	// run) and r17e_cache_upgrade's c.load(k) (a func field that loads a
	// value) are called with c.mu held and touch no mutex (runs: the
	// expired path returns with the read lock still held and Sweep's Lock
	// blocks; the upgrade deadlocks on the goroutine's own read lock), so
	// lockfacts is right there.
	// r17k_barrier_cond_121's b.onTrip(gen) is a func field called with
	// b.mu held that touches no mutex (the run trips the barrier and
	// returns), so lockfacts is right there too.
	// r8d_unlock_method_value_field's
	// g.release() is a func field holding g.mu.Unlock: it does release
	// (run: the Lock at line 24 does not block, and deadlock is silent).
	unseenCall = "deadlock holds it past a call golens cannot see into; the flow does not prove it"
)

var heldDisagree = map[string]string{
	"lockleak/d.go:234: lock call: the flow holds qs[i].mu (every=true), lockfacts does not hold it":                                                         noRoot,
	"deadlock/callers.go:42: lock call: lockfacts holds mu, the flow holds it unless a call golens cannot see into released it":                              unseenCall,
	"deadlock/unseencall.go:35: call: lockfacts holds s.Mutex, the flow holds it unless a call golens cannot see into released it":                           unseenCall,
	"deadlock/unseencall.go:37: lock call: lockfacts holds s.Mutex, the flow holds it unless a call golens cannot see into released it":                      unseenCall,
	"lockleak/siblings.go:38: lock call: lockfacts holds d.mu.Mutex, the flow holds it unless a call golens cannot see into released it":                     unseenCall,
	"lockleak/siblings.go:49: lock call: lockfacts holds d.other.Mutex, the flow holds it unless a call golens cannot see into released it":                  unseenCall,
	"truth/rv2_other_file_unlock/main.go:14: lock call: lockfacts holds mu, the flow holds it unless a call golens cannot see into released it":              unseenCall,
	"truth/rv2_other_file_unlock_plain/main.go:14: lock call: lockfacts holds mu, the flow holds it unless a call golens cannot see into released it":        unseenCall,
	"truth/r8a_closures_slice_loopvar_121/main.go:22: lock call: lockfacts holds mu, the flow holds it unless a call golens cannot see into released it":     unseenCall,
	"truth/r22v_lock_early_return/main.go:20: lock call: lockfacts holds c.mu, the flow holds it unless a call golens cannot see into released it":           unseenCall,
	"truth/r8a_closures_slice_loopvar_122/main.go:22: lock call: lockfacts holds mu, the flow holds it unless a call golens cannot see into released it":     unseenCall,
	"truth/r10c_cancel_map_close/main.go:49: lock call: lockfacts holds h.mu, the flow holds it unless a call golens cannot see into released it":            unseenCall,
	"truth/r10c_search_cancel_previous/main.go:25: lock call: lockfacts holds s.mu, the flow holds it unless a call golens cannot see into released it":      unseenCall,
	"truth/r12o_missed_unlock_panic/main.go:17: lock call: lockfacts holds c.mu, the flow holds it unless a call golens cannot see into released it":         unseenCall,
	"truth/r15t_rlock_upgrade_deadlock/main.go:23: lock call: lockfacts holds c.mu, the flow holds it unless a call golens cannot see into released it":      unseenCall,
	"truth/r15t_recover_unlock_not_deferred/main.go:17: lock call: lockfacts holds s.mu, the flow holds it unless a call golens cannot see into released it": unseenCall,
	"truth/r17d_ttl_cache_rlock_leak/main.go:41: lock call: lockfacts holds c.mu, the flow holds it unless a call golens cannot see into released it":        unseenCall,
	"truth/r17e_cache_upgrade/cache.go:35: call: lockfacts holds c.mu, the flow holds it unless a call golens cannot see into released it":                   unseenCall,
	"truth/r17k_barrier_cond_121/main.go:32: channel operation: lockfacts holds b.mu, the flow holds it unless a call golens cannot see into released it":    unseenCall,
	"truth/r8d_unlock_method_value_field/main.go:24: lock call: lockfacts holds g.mu, the flow holds it unless a call golens cannot see into released it":    unseenCall,
	"truth/r18l_cancel_first/main.go:51: lock call: lockfacts holds mu, the flow holds it unless a call golens cannot see into released it":                  unseenCall, // cancel(), a CancelFunc, between Lock and Unlock
	"truth/r18a_ctx_firsterr_multi/collect.go:29: lock call: lockfacts holds c.mu, the flow holds it unless a call golens cannot see into released it":       unseenCall, // c.cancel(), a func field, between Lock and Unlock
}

// holdsLock reports whether the flow's mutex is lockfacts' held one: one
// of the Locks holding it is the held Lock, or (for a Lock through a
// helper, which lockfacts places at the helper's own Lock and the flow at
// the call) it is written the same.
func holdsLock(hf model.HeldFlow, h lockfacts.Held) bool {
	for _, l := range hf.Locks {
		if l.Call.Pos() == h.Pos {
			return true
		}
	}
	return hf.Mutex == h.Mu.Text
}

// truthPrograms writes the one-package truth programs whose source
// mentions the given text ("Mutex", "chan ") into temporary directories,
// by "truth/name" (written to disk: the checks read each file's source).
func truthPrograms(t *testing.T, mentioning string) map[string]string {
	t.Helper()
	names, err := filepath.Glob(filepath.Join("..", "..", "truth", "testdata", "*.txtar"))
	if err != nil || len(names) == 0 {
		t.Fatalf("no truth programs: %v", err)
	}
	out := map[string]string{}
	for _, n := range names {
		ar, err := txtar.ParseFile(n)
		if err != nil {
			t.Fatal(err)
		}
		var goFiles []txtar.File
		single, mentions := true, false
		for _, f := range ar.Files {
			if strings.HasSuffix(f.Name, ".go") {
				goFiles = append(goFiles, f)
				single = single && !strings.Contains(f.Name, "/")
				mentions = mentions || strings.Contains(string(f.Data), mentioning)
			}
		}
		if !single || !mentions {
			continue
		}
		dir := filepath.Join(t.TempDir(), "main")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for _, f := range goFiles {
			if err := os.WriteFile(filepath.Join(dir, f.Name), f.Data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		out["truth/"+strings.TrimSuffix(filepath.Base(n), ".txtar")] = dir
	}
	return out
}

// TestHeldFacts pins what the lock flow (File.HeldAt: every path holds
// the mutex here) says at points where the two held-set engines golens
// had disagreed before deadlock read the flow: what only lockfacts knew,
// moved into the flow, and where lockfacts was wrong and the flow right.
// Each fact was decided by running the program (the pattern of the
// testdata function with TryLock probing, or the truth program, whose
// output the truth suite checks).
func TestHeldFacts(t *testing.T) {
	deadlockDir := filepath.Join("..", "..", "checks", "deadlock", "testdata", "src", "deadlock")
	lockleakDir := filepath.Join("..", "..", "checks", "lockleak", "testdata", "src", "lockleak")
	truth := truthPrograms(t, "Mutex")
	heldfactsDir := filepath.Join("testdata", "heldfacts")
	// What the program prints decides its facts.
	out, err := exec.Command("go", "run", "./"+heldfactsDir).CombinedOutput()
	if err != nil {
		t.Fatalf("go run %s: %v\n%s", heldfactsDir, err, out)
	}
	for _, want := range []string{
		"transfer: a.mu free after b.mu.Unlock: false",
		"rebound: a.mu free after b = a; b.mu.Unlock: true",
		"unlockOnly: a.mu free after b.mu.Unlock: true",
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("go run %s does not print %q:\n%s", heldfactsDir, want, out)
		}
	}
	cases := []struct {
		dir, file string
		line      int
		mutex     string
		held      bool
		why       string
	}{
		// Moved into the flow: a callee whose summary locks and unlocks
		// the mutex in pairs on every path (Summary.lockBalanced) does
		// not release the caller's hold. Run: AddAll (r.RLock(); r.Add(n)
		// in a loop) is stuck in Add's Lock; Load is stuck in bump.
		{deadlockDir, "a.go", 78, "r", true, "r.Add() locks and unlocks r in pairs"},
		{deadlockDir, "exits.go", 26, "s.mu", true, "s.bump() locks and unlocks s.mu in pairs"},
		// ... whatever its name says: c.unlockAndRelock() unlocks, then
		// locks again. Run: c.mu.TryLock() after it fails.
		{deadlockDir, "a.go", 53, "c.mu", true, "c.unlockAndRelock() hands the mutex back"},
		// Moved into the flow: a Cond's L is the mutex it was made with
		// (model.Package.CondLocks, read through File.UsePackage), and
		// Wait hands it back. Run: under c.cond.L.Lock() (c.mu's
		// RLocker) a writer's c.mu.TryLock() fails; Take is stuck in
		// q.log()'s Lock after the Wait loop.
		{deadlockDir, "conds.go", 22, "c.mu", true, "c.cond.L.Lock() read-locks c.mu"},
		{deadlockDir, "conds.go", 66, "q.mu", true, "q.ready.L.Lock() locks q.mu; q.ready.Wait() hands it back"},
		// Moved into the flow: an Unlock of another mutex held by value
		// in another variable (var a, b sync.Mutex; package variables
		// forkLock and forkingLock) cannot release this one. Run: after
		// b.Unlock(), a.TryLock() fails; after forkLock.Unlock(),
		// forkingLock.TryLock() fails.
		{truth["truth/lock_two_mutexes_pairing"], "main.go", 14, "a", true, "b.Unlock() is another mutex's"},
		{lockleakDir, "b.go", 50, "forkingLock", true, "forkLock.Unlock() is another mutex's"},
		// Moved into the flow: two read locks, one RUnlock: the first
		// read hold remains (lockState.r2). Run: a writer's TryLock
		// after one RUnlock of two fails, after both succeeds.
		{truth["truth/lock_rwmutex_readers"], "main.go", 15, "rw", true, "one RUnlock of two read locks"},
		{truth["truth/lock_rwmutex_readers"], "main.go", 16, "rw", false, "both read locks released"},
		// Moved into the flow: b.mu locked while a.mu is held is another
		// mutex (else its Lock would not return), so its Unlock leaves
		// a.mu held; not after b = a, nor when b.mu was not locked here.
		// Run: testdata/heldfacts (checked below), and transfer(c, c) is
		// stuck in b.mu.Lock().
		{lockleakDir, "a.go", 203, "a.mu", true, "b.mu was locked while a.mu was held"},
		{lockleakDir, "e.go", 205, "a.mu", true, "b.mu was locked while a.mu was held"},
		{lockleakDir, "e.go", 214, "a.mu", true, "b.mu was locked while a.mu was held"},
		{heldfactsDir, "main.go", 28, "a.mu", true, "transfer: b.mu was locked while a.mu was held"},
		{heldfactsDir, "main.go", 39, "a.mu", false, "rebound: b = a, then b.mu.Unlock()"},
		{heldfactsDir, "main.go", 47, "a.mu", false, "unlockOnly: b.mu.Unlock() with b.mu not locked here"},
		// lockfacts was wrong, the flow right: released through an alias
		// (b := a), by a function of another file, by a helper that
		// unlocks on one branch. Runs: the programs lock again without
		// blocking (truth stdout); unlockIf with an argument frees it.
		{truth["truth/rv2_lock_aliased_locals"], "main.go", 19, "a.mu", false, "b := a; b.mu.Unlock() released it"},
		{truth["truth/rv2_other_file_unlock"], "main.go", 14, "mu", false, "release() in release.go unlocks it"},
		{truth["truth/paths_unlock_conditional_helper"], "main.go", 26, "s.mu", false, "s.unlockIf(ok) unlocks it when ok"},
		// After n = n.next, n.mu names the next node's mutex. Run: Step
		// and Walk (hand over hand) return.
		{lockleakDir, "e.go", 277, "n.mu", false, "n = n.next: another mutex under the same name"},
	}
	pkgs := map[string][]*model.File{}
	for _, c := range cases {
		if c.dir == "" {
			t.Fatalf("%s:%d: no such truth program", c.file, c.line)
		}
		models, ok := pkgs[c.dir]
		if !ok {
			_, models, _ = typedPackage(t, c.dir)
			pkgs[c.dir] = models
		}
		var m *model.File
		for _, x := range models {
			if filepath.Base(x.Fset.Position(x.AST.Pos()).Filename) == c.file {
				m = x
			}
		}
		if m == nil {
			t.Fatalf("%s: no file %s", c.dir, c.file)
		}
		// The first call on the line: a probe of the flow.
		var at token.Pos
		ast.Inspect(m.AST, func(n ast.Node) bool {
			if call, ok := n.(*ast.CallExpr); ok && !at.IsValid() && m.Fset.Position(call.Pos()).Line == c.line {
				at = call.Pos()
			}
			return !at.IsValid()
		})
		if !at.IsValid() {
			t.Fatalf("%s:%d: no call on the line", c.file, c.line)
		}
		every, seen := false, false
		for _, hf := range m.HeldAt(at) {
			if hf.Mutex == c.mutex {
				seen, every = true, hf.Every
			}
		}
		if every != c.held {
			t.Errorf("%s:%d: the flow says %s is held on every path: %v (listed: %v); want %v: %s", c.file, c.line, c.mutex, every, seen, c.held, c.why)
		}
	}
}
