package truth_test

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// The marks: the harness builds each program with a marker call after
// every range statement and beside every defer statement, on the same line
// (line numbers stay), and the run reports which markers fired on fd 3.
// Two rules read them, with no author:
//
//   - A range whose marker fired ended: the statement after the loop ran.
//     No annotation on its line may say the loop never ends or blocks
//     forever, and no go hover or hint may say "the range at line N ...
//     never ends". If the loop also has no break of its own (an unlabeled
//     break outside nested loops, switches and selects, or a break of its
//     label), it ended because its range was used up: for a channel, that
//     the channel was closed, so no annotation on its line may say nothing
//     closes it or that it is never closed.
//   - A defer whose marker fired while its function returned (not while a
//     panic or runtime.Goexit unwound it) had its call run: its hover and
//     hint must not say it is skipped or never runs.
//
// The markers change what the program does by nothing it can observe:
// `; truthMarkN(k)` after a range's closing brace is a call of a function
// the harness adds to the file; `; defer truthMarkN(k)` after a defer
// statement registers one more deferred call, which runs just before the
// user's call (last deferred, first run) and does nothing but, the first
// time it runs on a return, write to fd 3 — a file the program does not
// know of (it has no fd 3 otherwise: the harness passes it as
// exec.Cmd.ExtraFiles). A marker that fires before the user's deferred
// call means that call comes next: nothing runs in between. The marker
// reads its own stack (runtime.Callers) to tell a return from a panic.
// The added import names and functions start with truth and end with the
// file's number, so they clash with nothing the program declares.

// A markSite is one marked statement.
type markSite struct {
	file     string
	line     int
	kind     string // "range" or "defer"
	ownBreak bool   // range: a break in its body leaves it
	shared   bool   // another statement of the same kind starts on its line
}

// instrument returns the program's files with markers and the sites they
// mark, numbered as the markers report them.
func instrument(c *tcase) (map[string][]byte, []markSite) {
	out := map[string][]byte{}
	var sites []markSite
	for fi, name := range c.order {
		src := c.files[name]
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, name, src, parser.SkipObjectResolution)
		if err != nil || f.Name == nil {
			out[name] = src
			continue
		}
		type ins struct {
			off  int
			text string
		}
		var edits []ins
		first := len(sites)
		perLine := map[string]int{}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.RangeStmt:
				s := markSite{file: name, line: fset.Position(n.Pos()).Line, kind: "range", ownBreak: breaksOut(n)}
				edits = append(edits, ins{fset.Position(n.End()).Offset, fmt.Sprintf("; truthMark%d(%d)", fi, len(sites))})
				sites = append(sites, s)
				perLine[fmt.Sprint(s.kind, s.line)]++
			case *ast.DeferStmt:
				s := markSite{file: name, line: fset.Position(n.Pos()).Line, kind: "defer"}
				edits = append(edits, ins{fset.Position(n.End()).Offset, fmt.Sprintf("; defer truthMark%d(%d)", fi, len(sites))})
				sites = append(sites, s)
				perLine[fmt.Sprint(s.kind, s.line)]++
			}
			return true
		})
		if len(edits) == 0 {
			out[name] = src
			continue
		}
		for i := first; i < len(sites); i++ {
			sites[i].shared = perLine[fmt.Sprint(sites[i].kind, sites[i].line)] > 1
		}
		edits = append(edits, ins{fset.Position(f.Name.End()).Offset,
			fmt.Sprintf(`; import (truthatomic%[1]d "sync/atomic"; truthruntime%[1]d "runtime"; truthsyscall%[1]d "syscall")`, fi)})
		slices.SortStableFunc(edits, func(a, b ins) int { return b.off - a.off })
		b := slices.Clone(src)
		for _, e := range edits {
			b = slices.Concat(b[:e.off], []byte(e.text), b[e.off:])
		}
		if !bytes.HasSuffix(b, []byte("\n")) {
			b = append(b, '\n')
		}
		fmt.Fprintf(&bytesWriter{&b}, `
var truthFired%[1]d [%[2]d]uint32

// truthMark%[1]d reports site k the first time it runs other than in a
// panic or runtime.Goexit (golens truth harness).
func truthMark%[1]d(k int) {
	if truthatomic%[1]d.LoadUint32(&truthFired%[1]d[k-%[3]d]) != 0 {
		return
	}
	var pcs [64]uintptr
	frames := truthruntime%[1]d.CallersFrames(pcs[:truthruntime%[1]d.Callers(2, pcs[:])])
	for {
		fr, more := frames.Next()
		if fr.Function == "runtime.gopanic" || fr.Function == "runtime.Goexit" {
			return
		}
		if !more {
			break
		}
	}
	if truthatomic%[1]d.CompareAndSwapUint32(&truthFired%[1]d[k-%[3]d], 0, 1) {
		truthsyscall%[1]d.Write(3, []byte("%[4]s"[(k-%[3]d)*8:(k-%[3]d)*8+8]))
	}
}
`, fi, len(sites)-first, first, siteIDs(first, len(sites)))
		out[name] = b
	}
	return out, sites
}

// siteIDs is the markers' messages for sites from to to-1: each 8 bytes,
// the site's number and a newline.
func siteIDs(from, to int) string {
	var b strings.Builder
	for k := from; k < to; k++ {
		fmt.Fprintf(&b, "%07d\\n", k)
	}
	return b.String()
}

type bytesWriter struct{ b *[]byte }

func (w *bytesWriter) Write(p []byte) (int, error) { *w.b = append(*w.b, p...); return len(p), nil }

// breaksOut reports whether a break in the range's body leaves it: an
// unlabeled break outside nested for, range, switch and select statements
// and function literals, or a break of the range's label.
func breaksOut(r *ast.RangeStmt) bool {
	found := false
	var walk func(n ast.Node, depth int)
	walk = func(n ast.Node, depth int) {
		ast.Inspect(n, func(m ast.Node) bool {
			if found || m == nil {
				return false
			}
			switch m := m.(type) {
			case *ast.FuncLit:
				return false
			case *ast.ForStmt, *ast.RangeStmt, *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
				if m != n {
					walk(m, depth+1)
					return false
				}
			case *ast.BranchStmt:
				if m.Tok == token.BREAK && (m.Label == nil && depth == 0 || m.Label != nil) {
					// A labeled break may name this range or an outer
					// statement: either way it leaves this range.
					found = true
				}
			}
			return true
		})
	}
	walk(r.Body, 0)
	return found
}

// deferRuleApplies reports whether the defer rule can judge the program:
// no file of it mentions recover. After a deferred call recovers a panic,
// the rest of its function's deferred calls run as on a return, which the
// markers cannot tell from one; without recover in the program a panic
// ends it, and every deferred call it runs is called from runtime.gopanic.
func (c *tcase) deferRuleApplies() bool {
	for _, src := range c.files {
		if bytes.Contains(src, []byte("recover")) {
			return false
		}
	}
	return true
}

// readMarks reads the sites whose markers fired from what the run wrote.
func readMarks(b []byte) map[int]bool {
	fired := map[int]bool{}
	for _, l := range strings.Split(string(b), "\n") {
		if k, err := strconv.Atoi(l); err == nil {
			fired[k] = true
		}
	}
	return fired
}

// markFile is where a run's markers write: fd 3 of the program.
func markFile(t *testing.T, path string) *os.File {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

var (
	// neverEndsRE: an annotation saying a loop never ends or blocks
	// forever; hedged forms ("unless another file closes it, the loop
	// never ends") are not claims.
	neverEndsRE = regexp.MustCompile(`never ends|the loop blocks forever|the loop waits forever`)
	// notClosedRE: an annotation saying the ranged channel is not closed.
	notClosedRE = regexp.MustCompile(`(?i)nothing closes|never closed|is never closed`)
	// rangeAtRE: a go hover's or hint's claim about a range elsewhere:
	// "but the range at line 14 before it never ends", "main waits for it
	// with range ch at line 14, which ends only when ch is closed, and
	// nothing closes ch: the loop never ends".
	rangeAtRE = regexp.MustCompile(`the range at line (\d+) before it never ends|with range \S+ at line (\d+), which ends only when [^,.]+ is closed, and nothing closes [^:.]+: the loop never ends`)
)

// hedged reports whether the sentence holding text[i] makes its claim only
// under a condition ("unless another file closes it, the loop never ends",
// "after Stop the loop waits forever unless something in its body leaves
// it").
func hedged(text string, i int) bool {
	from := strings.LastIndexAny(text[:i], ".\n") + 1
	to := len(text)
	if j := strings.IndexAny(text[i:], ".\n"); j >= 0 {
		to = i + j
	}
	s := " " + strings.ToLower(text[from:to]) + " "
	return strings.Contains(s, " unless ") || strings.Contains(s, " if ") || strings.Contains(s, " when ") || strings.Contains(s, " where ")
}

// judgeMarks applies the range and defer rules to one tier's annotations.
func judgeMarks(sites []markSite, defers bool, fired map[int]bool, anns []annotation, judged func(i int), fail func(w, said string, i int)) {
	ended := map[string]bool{} // file:line of a range that ended
	for k, s := range sites {
		if !fired[k] || s.shared || s.kind == "defer" && !defers {
			continue
		}
		if s.kind == "range" {
			ended[goLoc(s.file, s.line)] = true
		}
		for i, a := range anns {
			if a.file != s.file || a.line != s.line {
				continue
			}
			head, _, _ := strings.Cut(a.text, "\n")
			switch s.kind {
			case "range":
				if a.kind == "hover" && !strings.HasPrefix(a.text, "range") {
					continue // a hover on another construct of the line
				}
				judged(i)
				if loc := neverEndsRE.FindStringIndex(a.text); loc != nil && !hedged(a.text, loc[0]) {
					fail(fmt.Sprintf("%s %s!: %s (the loop ended: the statement after it ran)", wantLoc(s.file, s.line), a.kind, a.text[loc[0]:loc[1]]), excerpt(a.text, a.text[loc[0]:loc[1]], true), i)
					continue
				}
				if s.ownBreak {
					continue
				}
				if loc := notClosedRE.FindStringIndex(a.text); loc != nil && !hedged(a.text, loc[0]) {
					fail(fmt.Sprintf("%s %s!: %s (the loop ran to its end with no break: its channel was closed)", wantLoc(s.file, s.line), a.kind, a.text[loc[0]:loc[1]]), excerpt(a.text, a.text[loc[0]:loc[1]], true), i)
				}
			case "defer":
				if a.kind == "check" || a.kind == "hover" && !strings.HasPrefix(a.text, "defer ") {
					continue
				}
				judged(i)
				// The hover's headline or the hint's label: "— skipped:",
				// "— no path from it reaches a return", "skipped by
				// os.Exit", "never runs".
				var claim string
				switch {
				case a.kind == "hover" && strings.Contains(head, "— skipped"):
					claim = "skipped"
				case a.kind == "hover" && strings.Contains(head, "— no path from it reaches a return"):
					claim = "no path from it reaches a return"
				case strings.Contains(head, "never runs"):
					claim = "never runs"
				case a.kind == "hint" && strings.HasPrefix(head, "skipped by"):
					claim = "skipped by"
				}
				if claim != "" {
					fail(fmt.Sprintf("%s defer %s!: %s (its call ran when the function returned)", wantLoc(s.file, s.line), a.kind, claim), head, i)
				}
			}
		}
	}
	for i, a := range anns {
		if a.kind == "check" {
			continue
		}
		for _, m := range rangeAtRE.FindAllStringSubmatchIndex(a.text, -1) {
			g := 2
			if m[g] < 0 {
				g = 4
			}
			line, _ := strconv.Atoi(a.text[m[g]:m[g+1]])
			if !ended[goLoc(a.file, line)] {
				continue
			}
			judged(i)
			fail(fmt.Sprintf("%s %s!: the range at line %d never ends (it ended)", wantLoc(a.file, a.line), a.kind, line), excerpt(a.text, "never ends", true), i)
		}
	}
}

// TestInstrument: the marked program keeps every line where it was and
// builds; breaksOut tells a loop's own breaks from nested ones.
func TestInstrument(t *testing.T) {
	src := `package main // a comment

import "fmt"

func main() {
	ch := make(chan int, 1)
	ch <- 1
	close(ch)
	defer fmt.Println("bye")
	for v := range ch { fmt.Println(v) }
L:
	for range ch {
		switch {
		default:
			break
		}
		for range 3 {
			break L
		}
	}
	for range ch {
		select {
		default:
			break
		}
	}
}
`
	c := &tcase{name: "t", order: []string{"main.go"}, files: map[string][]byte{"main.go": []byte(src)}}
	files, sites := instrument(c)
	got := string(files["main.go"])
	// Without the markers, the marked program's lines are the program's.
	unmarked := regexp.MustCompile(`; (defer )?truthMark0\(\d+\)|; import \(truth[^)]*\)`).ReplaceAllString(got, "")
	if !strings.HasPrefix(unmarked, src) {
		t.Errorf("lines moved:\n%s", got)
	}
	want := []markSite{
		{file: "main.go", line: 9, kind: "defer"},
		{file: "main.go", line: 10, kind: "range"},
		{file: "main.go", line: 12, kind: "range", ownBreak: true},
		{file: "main.go", line: 17, kind: "range", ownBreak: true},
		{file: "main.go", line: 21, kind: "range"},
	}
	if fmt.Sprint(sites) != fmt.Sprint(want) {
		t.Errorf("sites %v, want %v", sites, want)
	}
	if _, err := parser.ParseFile(token.NewFileSet(), "main.go", got, 0); err != nil {
		t.Errorf("marked program does not parse: %v\n%s", err, got)
	}
}

// TestMarkRules: a fired range fails "never ends" and, with no break of its
// own, "Nothing closes"; hedged claims pass; a fired defer fails "skipped".
func TestMarkRules(t *testing.T) {
	sites := []markSite{
		{file: "main.go", line: 9, kind: "range"},
		{file: "main.go", line: 12, kind: "range", ownBreak: true},
		{file: "main.go", line: 20, kind: "defer"},
		{file: "w/w.go", line: 5, kind: "range"},
	}
	fired := map[int]bool{0: true, 1: true, 2: true}
	anns := []annotation{
		{file: "main.go", line: 9, kind: "hover", text: "range over ch\n\nNothing closes ch (golens follows every use of it), and nothing in the loop body leaves the loop: the loop never ends."}, // 0 wrong
		{file: "main.go", line: 9, kind: "hint", text: "receives until close\nEach iteration ... Nothing closes ch (golens follows every use of it)."},                                             // 1 wrong
		{file: "main.go", line: 12, kind: "hint", text: "receives until close\nNothing closes ch (golens follows every use of it)."},                                                               // 2 fine: break
		{file: "main.go", line: 12, kind: "hover", text: "range over ch\n\nNothing in this file closes ch: unless another file closes it, the loop never ends."},                                   // 3 fine: hedged
		{file: "main.go", line: 20, kind: "hover", text: "defer 1 of 1 in main — skipped: os.Exit(3) ends the program without running deferred calls"},                                             // 4 wrong
		{file: "main.go", line: 20, kind: "hint", text: "skipped by os.Exit\ntip"},                                                                                                                 // 5 wrong
		{file: "main.go", line: 30, kind: "hover", text: "go — starts f\n\nmain waits for it with wg.Wait() at line 33 — but the range at line 9 before it never ends, so main never gets there."}, // 6 wrong
		{file: "w/w.go", line: 5, kind: "hover", text: "range over in\n\nthe loop never ends."},                                                                                                    // 7 fine: not fired
		{file: "main.go", line: 12, kind: "hint", text: "each tick, never closed\nafter Stop the loop waits forever unless something in its body leaves it."},                                      // 8 fine: hedged, and a break leaves the loop
	}
	anns = append(anns, annotation{file: "main.go", line: 31, kind: "hover", text: "go — starts produce(ch)\n\nmain waits for it with range ch at line 9, which ends only when ch is closed, and nothing closes ch: the loop never ends."})                                                                                     // 9 wrong
	anns = append(anns, annotation{file: "main.go", line: 32, kind: "hover", text: "go — starts produce(ch)\n\nmain waits for it with range ch at line 12, which ends only when ch is closed. produce closes ch only on some of its paths (line 20), and nothing else closes ch: when produce does not, the loop never ends."}) // 10 fine: conditional
	failed := map[int]bool{}
	judgeMarks(sites, true, fired, anns, func(int) {}, func(_, _ string, i int) { failed[i] = true })
	want := map[int]bool{0: true, 1: true, 4: true, 5: true, 6: true, 9: true}
	if fmt.Sprint(failed) != fmt.Sprint(want) {
		t.Errorf("failed %v, want %v", failed, want)
	}
}
