package lockleak

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/token"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/golens/golens/checks"
	"github.com/golens/golens/checks/modelpass"
	"github.com/golens/golens/model"
)

const name = "lockleak"

// Analyzer reports locks held on early returns and locks taken twice.
var Analyzer = &analysis.Analyzer{
	Name: name,
	Doc: "report a lock held on an early return, or locked again while held\n\n" +
		"A return between Lock and a later Unlock leaves the mutex locked; a goroutine " +
		"that locks a mutex it already holds blocks forever. The fix defers the Unlock right after Lock.",
	URL:      checks.DocURL(name),
	Requires: []*analysis.Analyzer{modelpass.Analyzer},
	Run:      run,
}

func run(pass *analysis.Pass) (any, error) {
	return modelpass.Report(pass, check)
}

// Syntax runs the check on a syntax-tier model; calls into functions are
// followed within the file only.
func Syntax(m *model.File) []analysis.Diagnostic {
	return check(m)
}

// check reports what the model's lock flow (model.LockFlow) proves: the
// early exits that leave a lock held (model.LockLeak.Leaked) and the
// Locks reached while the goroutine already holds the mutex
// (model.LockRelock, Proven). It pairs nothing and classifies no exit of
// its own, so the hover and the hints of a Lock, which read the same
// facts, say what it reports.
func check(m *model.File) []analysis.Diagnostic {
	var out []analysis.Diagnostic
	locks := m.Locks
	for _, f := range m.Funcs {
		locks = append(locks[:len(locks):len(locks)], f.LockCalls()...)
	}
	for _, l := range locks {
		if l.Deferred || (l.Kind != model.Lock && l.Kind != model.RLock) || l.Func == nil {
			continue
		}
		lf := l.Flow()
		if lf == nil || !lf.Known {
			continue
		}
		var leaks []model.LockLeak
		for _, lk := range lf.Leaks {
			if lk.Leaked() {
				leaks = append(leaks, lk)
			}
		}
		if len(leaks) > 0 {
			out = append(out, leakDiag(m, l, lf, leaks))
		}
		// Tests lock twice on purpose in a goroutine they start, to make
		// it block; a double lock in the test's own body (or a subtest's)
		// blocks the test itself, and the helpers and types of a _test.go
		// file are ordinary code.
		if r := lf.Relock; r != nil && r.Certainty == model.Proven && !(isTestFunc(m, l.Func) && l.Func.GoBody != nil) {
			out = append(out, analysis.Diagnostic{
				Pos: l.Call.Pos(), End: l.Call.End(), Category: name,
				Message: fmt.Sprintf("%s.%s() while this goroutine already holds %s (locked on line %d): Go mutexes are not reentrant, so this blocks forever",
					l.Recv, l.Kind, l.Recv, m.Line(r.Held.Pos)),
				Related: []analysis.RelatedInformation{{Pos: r.Held.Pos, Message: l.Recv + " is locked here"}},
			})
		}
	}
	return out
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

// ---- the leak diagnostic and its fix ----

// leakDiag reports the leaks of lock, the first in source order in the
// message and every one as related information.
func leakDiag(m *model.File, lock *model.LockOp, lf *model.LockFlow, leaks []model.LockLeak) analysis.Diagnostic {
	rel, _ := model.ReleaseOf(lock.Kind)
	unlock := rel.String()
	first := leaks[0]
	skipped := first.Skips
	d := analysis.Diagnostic{Pos: lock.Call.Pos(), End: lock.Call.End(), Category: name}
	switch first.Via {
	case model.ViaBreak:
		d.Message = fmt.Sprintf("%s stays locked when the loop breaks on line %d: the %s on line %d is skipped and nothing after the loop unlocks it",
			lock.Recv, m.Line(first.At), unlock, m.Line(skipped.Pos))
	case model.ViaContinue:
		d.Message = fmt.Sprintf("%s stays locked when the loop continues on line %d: the %s on line %d is skipped, so the next iteration's %s blocks forever",
			lock.Recv, m.Line(first.At), unlock, m.Line(skipped.Pos), lock.Kind)
		if lock.Kind == model.RLock {
			// A second RLock waits only behind a writer (go doc sync.RWMutex).
			d.Message = fmt.Sprintf("%s stays read-locked when the loop continues on line %d: the %s on line %d is skipped, so every Lock of %s blocks forever, and so does the next iteration's RLock once a writer waits",
				lock.Recv, m.Line(first.At), unlock, m.Line(skipped.Pos), lock.Recv)
		}
	case model.ViaBodyEnd:
		d.Message = fmt.Sprintf("%s stays locked at the end of the loop body on line %d: the %s on line %d is skipped on that path, so the next iteration's %s blocks forever",
			lock.Recv, m.Line(first.At), unlock, m.Line(skipped.Pos), lock.Kind)
		if lock.Kind == model.RLock {
			d.Message = fmt.Sprintf("%s stays read-locked at the end of the loop body on line %d: the %s on line %d is skipped on that path, so every Lock of %s blocks forever, and so does the next iteration's RLock once a writer waits",
				lock.Recv, m.Line(first.At), unlock, m.Line(skipped.Pos), lock.Recv)
		}
	default:
		d.Message = fmt.Sprintf("%s stays locked if %s returns on line %d: the %s on line %d is skipped on that path",
			lock.Recv, funcName(lock.Func), m.Line(first.At), releaseName(m, skipped, unlock), m.Line(skipped.Pos))
	}
	if lock.Through != "" {
		// A call that locks: name it, and where it locks.
		d.Message = fmt.Sprintf("%s locks %s (%s); ", m.Text(lock.Call.Pos(), lock.Call.End()), lock.Recv,
			strings.TrimPrefix(lock.Through, "which locks it ")) + d.Message
	}
	for _, lk := range leaks {
		what := "returns"
		switch lk.Via {
		case model.ViaBreak:
			what = "breaks"
		case model.ViaContinue:
			what = "continues"
		case model.ViaBodyEnd:
			what = "the loop body ends"
		}
		d.Related = append(d.Related, analysis.RelatedInformation{Pos: lk.At, Message: what + " with " + lock.Recv + " locked"})
	}
	d.Related = append(d.Related, analysis.RelatedInformation{Pos: skipped.Pos, Message: "the " + releaseName(m, skipped, unlock) + " this path skips"})
	if fix, ok := deferFix(m, lock, lf, unlock); ok {
		d.SuggestedFixes = []analysis.SuggestedFix{fix}
	}
	return d
}

// releaseName is the release a path skips: the Unlock, or the call
// whose summary unlocks (`t.commit()`).
func releaseName(m *model.File, u *model.LockOp, unlock string) string {
	if u.Through != "" {
		return m.Text(u.Call.Pos(), u.Call.End())
	}
	return unlock
}

func funcName(f *model.Func) string {
	if f.Lit {
		return "the function literal"
	}
	return f.Name
}

// slot is a statement's place in its statement list.
type slot struct {
	list  []ast.Stmt
	index int
}

// slots finds the statement list and index of each lock call of f that
// is a statement of its own.
func slots(f *model.Func, ops []*model.LockOp) map[*ast.CallExpr]slot {
	want := map[*ast.CallExpr]bool{}
	for _, o := range ops {
		want[o.Call] = true
	}
	out := map[*ast.CallExpr]slot{}
	add := func(list []ast.Stmt) {
		for i, st := range list {
			if es, ok := st.(*ast.ExprStmt); ok {
				if c, ok := es.X.(*ast.CallExpr); ok && want[c] {
					if _, dup := out[c]; !dup {
						out[c] = slot{list: list, index: i}
					}
				}
			}
		}
	}
	ast.Inspect(f.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncLit:
			return false
		case *ast.BlockStmt:
			add(n.List)
		case *ast.CaseClause:
			add(n.Body)
		case *ast.CommClause:
			add(n.Body)
		}
		return true
	})
	return out
}

// deferFix adds `defer mu.Unlock()` after the Lock and removes the explicit
// Unlocks, when that keeps the function's behaviour: the Lock is the only
// one, at the top level of the body, nothing on the mutex is deferred, and
// every Unlock is followed by a return of values that need no calls, or
// ends the body.
func deferFix(m *model.File, lock *model.LockOp, lf *model.LockFlow, unlock string) (analysis.SuggestedFix, bool) {
	f := lock.Func
	if m.Src == nil || f.Body == nil {
		return analysis.SuggestedFix{}, false
	}
	for _, r := range lf.Releases {
		if r.Through != "" {
			// Released by a helper (t.commit() unlocks and resets
			// state): a deferred Unlock beside it would unlock twice.
			return analysis.SuggestedFix{}, false
		}
	}
	var unlocks []*model.LockOp
	for _, o := range lf.Ops {
		switch {
		case o.Through != "":
			// A call that locks or unlocks may do more (t.commit()
			// also resets state): not removed or replaced.
			return analysis.SuggestedFix{}, false
		case o.Deferred:
			return analysis.SuggestedFix{}, false
		case o.Kind == model.Unlock || o.Kind == model.RUnlock:
			unlocks = append(unlocks, o)
		case o != lock:
			return analysis.SuggestedFix{}, false // another Lock, or a TryLock
		}
	}
	sl := slots(f, lf.Ops)
	var lockStmt ast.Stmt
	if s, ok := sl[lock.Call]; ok && len(s.list) > 0 && len(f.Body.List) > 0 && &s.list[0] == &f.Body.List[0] {
		lockStmt = s.list[s.index]
	}
	if lockStmt == nil {
		return analysis.SuggestedFix{}, false
	}
	edits := []analysis.TextEdit{}
	for _, u := range unlocks {
		if (unlock == "Unlock") != (u.Kind == model.Unlock) {
			return analysis.SuggestedFix{}, false
		}
		s, ok := sl[u.Call]
		if !ok {
			return analysis.SuggestedFix{}, false
		}
		list, i := s.list, s.index
		if i+1 < len(list) {
			ret, ok := list[i+1].(*ast.ReturnStmt)
			if !ok || hasCall(ret) {
				return analysis.SuggestedFix{}, false
			}
		} else if !(len(list) == len(f.Body.List) && &list[0] == &f.Body.List[0]) {
			return analysis.SuggestedFix{}, false // falls out of an inner block
		}
		from, to, ok := wholeLines(m, list[i])
		if !ok {
			return analysis.SuggestedFix{}, false
		}
		edits = append(edits, analysis.TextEdit{Pos: from, End: to})
	}
	sort.Slice(edits, func(i, j int) bool { return edits[i].Pos < edits[j].Pos })
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
