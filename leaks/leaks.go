// Package leaks finds goroutines that a package's own tests leak, by
// running them with Go 1.26's goroutine leak detector.
//
// Built with GOEXPERIMENT=goroutineleakprofile, the runtime's
// "goroutineleak" profile (runtime/pprof) runs a garbage collection that
// marks every goroutine blocked on a channel or sync primitive that no
// runnable goroutine can reach: such a goroutine is blocked forever. Run
// adds one test-only file to each package through go test's -overlay (the
// user's files are never changed); the file writes that profile, with full
// stacks, when the test binary exits, and also stops a binary early when a
// test's own goroutine is proved blocked forever (the test can then never
// finish). ParseProfile reads the profile; Extract turns it into leaks,
// deduplicated by (blocking site, creation site) and attributed to the
// test that started them.
package leaks

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"
)

// Leak is one leaked goroutine, or several with the same blocking and
// creation sites.
type Leak struct {
	// Package is the import path of the package whose tests leaked it.
	Package string `json:"package"`
	// Reason is what the goroutine waits on: "chan send", "chan receive",
	// "select", "sync.Mutex.Lock", "sync.WaitGroup.Wait", …
	Reason string `json:"reason"`
	// Blocked is where it waits: the innermost frame outside the runtime
	// and the sync packages.
	Blocked Frame `json:"blocked"`
	// Created is the go statement that started it; nil when unknown.
	Created *Frame `json:"created,omitempty"`
	// TestGoroutine: the leaked goroutine is a test's own goroutine, so
	// that test can never finish.
	TestGoroutine bool `json:"testGoroutine,omitempty"`
	// Tests are the tests it leaked in, when golens could tell.
	Tests []string `json:"tests,omitempty"`
	// Count is how many leaked goroutines share these sites.
	Count int `json:"count"`
	// Stack is the first such goroutine's stack as the runtime printed it,
	// with its ancestors' creation stacks.
	Stack string `json:"stack"`
}

// Key is what leaks are deduplicated by.
func (l Leak) Key() string {
	k := l.Blocked.String()
	if l.Created != nil {
		k += " " + l.Created.String()
	}
	return k
}

// Extract returns the leaked goroutines of a parsed profile, skipping
// goroutines that wait only inside the testing package (the test runner's
// own goroutines, left waiting when a test hangs). pkg labels the leaks.
func Extract(pkg string, gs []Goroutine) []Leak {
	var out []Leak
	for _, g := range gs {
		if !g.Leaked {
			continue
		}
		blocked, ok := blockingFrame(g.Stack)
		if !ok {
			continue
		}
		l := Leak{Package: pkg, Reason: g.Reason, Blocked: blocked, Created: g.CreatedBy, Count: 1, Stack: g.Text}
		if g.CreatedBy != nil && g.CreatedBy.Func == "testing.(*T).Run" {
			l.TestGoroutine = true
		}
		if t := testOf(g); t != "" {
			l.Tests = []string{t}
		}
		out = append(out, l)
	}
	return out
}

// Merge deduplicates leaks by Key, summing counts and joining tests, and
// sorts them by blocking site.
func Merge(ls []Leak) []Leak {
	byKey := map[string]*Leak{}
	var keys []string
	for _, l := range ls {
		if prev, ok := byKey[l.Key()]; ok {
			prev.Count += l.Count
			prev.Tests = union(prev.Tests, l.Tests)
			continue
		}
		c := l
		c.Tests = union(nil, l.Tests)
		byKey[l.Key()] = &c
		keys = append(keys, l.Key())
	}
	out := make([]Leak, 0, len(keys))
	for _, k := range keys {
		out = append(out, *byKey[k])
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].Blocked, out[j].Blocked
		if a.File != b.File {
			return a.File < b.File
		}
		return a.Line < b.Line
	})
	return out
}

func union(a, b []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range append(append([]string(nil), a...), b...) {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	sort.Strings(out)
	return out
}

// blockingFrame is the innermost frame that is not the machinery of the
// blocking operation (runtime, internal/…, sync), and not the testing
// package: a goroutine waiting only in testing is the test runner's.
func blockingFrame(stack []Frame) (Frame, bool) {
	for _, f := range stack {
		switch pkg := funcPackage(f.Func); {
		case pkg == "runtime", pkg == "sync", pkg == "sync/atomic", pkg == "iter", strings.HasPrefix(pkg, "internal/"):
			continue
		case pkg == "testing":
			return Frame{}, false
		}
		return f, true
	}
	return Frame{}, false
}

// testOf names the test a goroutine leaked in: the function testing.tRunner
// called, in the goroutine's own stack or in its ancestors' (with
// GODEBUG=tracebackancestors). Subtests (TestX.func1) count as TestX.
func testOf(g Goroutine) string {
	stacks := [][]Frame{g.Stack}
	for _, a := range g.Ancestors {
		stacks = append(stacks, a.Stack)
	}
	for _, s := range stacks {
		for i := 1; i < len(s); i++ {
			if s[i].Func == "testing.tRunner" {
				if name := testName(s[i-1].Func); name != "" {
					return name
				}
			}
		}
	}
	return ""
}

// testName turns "example.com/p.TestX.func1.2" into "TestX".
func testName(fn string) string {
	_, name, ok := strings.Cut(fn[strings.LastIndex(fn, "/")+1:], ".")
	if !ok {
		return ""
	}
	name, _, _ = strings.Cut(name, ".")
	for _, prefix := range []string{"Test", "Benchmark", "Fuzz", "Example"} {
		if strings.HasPrefix(name, prefix) {
			return name
		}
	}
	return ""
}

// funcPackage is the import path of a function name as the runtime prints
// it: "net/http.(*Server).Serve" → "net/http".
func funcPackage(fn string) string {
	slash := strings.LastIndex(fn, "/")
	dot := strings.Index(fn[slash+1:], ".")
	if dot < 0 {
		return fn
	}
	return fn[:slash+1+dot]
}

// Rel returns path relative to dir when it lies inside dir.
func Rel(dir, path string) string {
	if dir == "" {
		return path
	}
	if r, err := filepath.Rel(dir, path); err == nil && !strings.HasPrefix(r, "..") {
		return r
	}
	return path
}

// Format is the one-line report of a leak, with paths relative to dir:
//
//	a_test.go:24: goroutine blocked on chan send forever (leaked in TestX); created at a_test.go:22
func Format(l Leak, dir string) string {
	return fmt.Sprintf("%s:%d: %s", Rel(dir, l.Blocked.File), l.Blocked.Line, Describe(l, dir))
}

// Describe is Format without the leading file:line, for an editor that
// shows the diagnostic at the blocking line already.
func Describe(l Leak, dir string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "goroutine blocked on %s forever", l.Reason)
	if l.Count > 1 {
		fmt.Fprintf(&b, " (%d goroutines)", l.Count)
	}
	switch {
	case l.TestGoroutine && len(l.Tests) > 0:
		fmt.Fprintf(&b, ": it is %s's own goroutine, so %s never finishes", l.Tests[0], l.Tests[0])
		return b.String()
	case len(l.Tests) > 0:
		fmt.Fprintf(&b, " (leaked in %s)", strings.Join(l.Tests, ", "))
	}
	if l.Created != nil {
		fmt.Fprintf(&b, "; created at %s:%d", Rel(dir, l.Created.File), l.Created.Line)
	}
	return b.String()
}
