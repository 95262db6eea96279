// Package agreement_test checks that the features which show the same fact
// about a program — a check's finding, the hover, the inlay hint — say the
// same thing, because they read the same model field (issue 9: one source
// of each fact). It runs over the checks' own analysistest files.
package agreement_test

import (
	"go/ast"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/golens/golens/checks/deferargs"
	"github.com/golens/golens/checks/deferloop"
	"github.com/golens/golens/checks/unclosedrange"
	"github.com/golens/golens/checks/unwaited"
	"github.com/golens/golens/hints"
	"github.com/golens/golens/hover"
	"github.com/golens/golens/model"
)

// models parses the .go files of one check's testdata package (syntax
// tier: the tier every feature answers on).
func models(t *testing.T, dir string) []*model.File {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "..", "checks", dir, "testdata", "src", dir, "*.go"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata for %s: %v", dir, err)
	}
	var out []*model.File
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, model.Parse(filepath.Base(f), src))
	}
	return out
}

func hoverAt(m *model.File, off int) string {
	if h := hover.At(m, off); h != nil {
		return h.Markdown
	}
	return ""
}

// hintsIn returns the labels and tooltips of the hints placed in [from, to].
func hintsIn(t *testing.T, m *model.File, from, to int) (labels, tips []string) {
	for _, h := range hints.Compute(m, from, to+1, hints.All()) {
		if h.Offset < from || h.Offset > to {
			continue
		}
		labels = append(labels, h.Label)
		tip := h.Tooltip
		if tip == "" && h.Data != "" {
			var err error
			if tip, err = hints.Tooltip(m, h.Data); err != nil {
				t.Fatalf("tooltip %q: %v", h.Data, err)
			}
		}
		tips = append(tips, tip)
	}
	return labels, tips
}

func findingsAt(ds []analysis.Diagnostic) map[int]analysis.Diagnostic {
	out := map[int]analysis.Diagnostic{}
	for _, d := range ds {
		out[int(d.Pos)] = d
	}
	return out
}

// TestDeferRunsMany: deferloop reports a defer exactly when the model's
// defer order says one call of the function can run it more than once
// (Order().Many), and then the defer hover says each pass defers one more
// call and the order hint reads "per iteration, at return". A defer the
// model proves runs at most once is never reported, and its hover says so
// (naming the flag of a run-once guard, DeferOrder.Once).
func TestDeferRunsMany(t *testing.T) {
	checked := 0
	for _, m := range models(t, "deferloop") {
		found := findingsAt(deferloop.Syntax(m))
		for _, d := range m.Defers {
			if !d.InLoop {
				continue
			}
			o := d.Order()
			if !o.Known {
				continue
			}
			where := m.Fset.Position(d.Pos).String()
			h := hoverAt(m, m.Offset(d.Pos))
			labels, _ := hintsIn(t, m, m.Offset(d.Pos), m.Offset(d.End))
			_, reported := found[int(d.Node.Pos())]
			switch {
			case o.Many:
				if o.Registered != model.No && !strings.Contains(h, "each pass of the loop defers one more call") {
					t.Errorf("%s: the model runs the defer more than once, the hover does not say so:\n%s", where, h)
				}
				if o.Registered != model.No && !(contains(labels, "per iteration, at return") || contains(labels, "per iteration, at Goexit")) {
					t.Errorf("%s: the model runs the defer more than once, the hints say %q", where, labels)
				}
			default:
				if reported {
					t.Errorf("%s: deferloop reports a defer the model runs at most once per call", where)
				}
				if o.Once != "" {
					// A proven run-once guard (DeferOrder.Once): the
					// hover names the flag.
					if !strings.Contains(h, "guarded by `"+o.Once+"`") || !strings.Contains(h, "defers one call at most") {
						t.Errorf("%s: the model proves a run-once guard, the hover does not say so:\n%s", where, h)
					}
				} else if !strings.Contains(h, "no path runs it more than once") {
					t.Errorf("%s: the model runs the defer at most once, the hover does not say so:\n%s", where, h)
				}
				if contains(labels, "per iteration, at return") || contains(labels, "per iteration, at Goexit") {
					t.Errorf("%s: the model runs the defer at most once, the hint says per iteration", where)
				}
			}
			checked++
		}
		for pos := range found {
			d := deferAt(m, pos)
			if d == nil || !d.Order().Many && d.Order().Known {
				t.Errorf("%s: deferloop finding on a defer the model does not run more than once", m.Fset.Position(tokenPos(pos)))
			}
		}
	}
	if checked < 10 {
		t.Errorf("only %d defers in loops checked", checked)
	}
}

// TestRangeLeaves: the range hover's "or until the `break` at line N leaves
// it" and unclosedrange's "never ends" read one fact (model.File.LoopExit):
// no range carries both.
func TestRangeLeaves(t *testing.T) {
	ranges, reported := 0, 0
	for _, m := range models(t, "unclosedrange") {
		found := findingsAt(unclosedrange.Syntax(m))
		for _, op := range m.ChanOps {
			if op.Kind != model.Range {
				continue
			}
			h := hoverAt(m, m.Offset(op.Pos))
			if h == "" {
				continue
			}
			ranges++
			_, leaves := m.LoopExit(rangeStmt(op))
			saysLeaves := leavesNote.MatchString(h)
			if saysLeaves != leaves {
				t.Errorf("%s: LoopExit found=%v, hover says leaves=%v:\n%s", m.Fset.Position(op.Pos), leaves, saysLeaves, h)
			}
			for pos, d := range found {
				if tokenPos(pos) >= op.Node.Pos() && tokenPos(pos) < op.Node.End() && tokenPos(pos) <= op.Pos {
					reported++
					if saysLeaves {
						t.Errorf("%s: unclosedrange says %q, the hover says the body leaves the loop:\n%s", m.Fset.Position(op.Pos), d.Message, h)
					}
				}
			}
		}
	}
	if ranges < 10 || reported < 5 {
		t.Errorf("only %d ranges and %d findings checked", ranges, reported)
	}
}

// leavesNote is the hover's "or until the `break` at line 12 leaves the loop"
// (or "the `l.Fatal` call at line 12, if it does not return, leaves the loop").
var leavesNote = regexp.MustCompile("` (call )?at line [0-9]+(, if it does not return,)? leaves the loop")

var writeLines = regexp.MustCompile(`is assigned again at (?:lines? )?([0-9, and]+)`)

// TestDeferWrites: deferargs's finding names a write of the argument that
// the defer hover and the argument hint name too; and no feature names a
// write that cannot run after the defer (model.File.WritesAfter).
func TestDeferWrites(t *testing.T) {
	checked := 0
	for _, m := range models(t, "deferargs") {
		found := deferargs.Syntax(m)
		for _, f := range found {
			d := deferAt(m, int(f.Pos))
			if d == nil || len(f.Related) == 0 {
				t.Fatalf("%s: finding not on a defer argument", m.Fset.Position(f.Pos))
			}
			line := strconv.Itoa(m.Line(f.Related[0].Pos))
			h := hoverAt(m, m.Offset(d.Pos))
			if !contains(numbersIn(h), line) {
				t.Errorf("%s: deferargs names the write on line %s, the hover does not:\n%s", m.Fset.Position(f.Pos), line, h)
			}
			_, tips := hintsIn(t, m, m.Offset(d.Pos), m.Offset(d.End))
			if !strings.Contains(strings.Join(tips, "\n"), line) {
				t.Errorf("%s: deferargs names the write on line %s, the hint tooltips do not: %q", m.Fset.Position(f.Pos), line, tips)
			}
			checked++
		}
		for _, d := range m.Defers {
			h := hoverAt(m, m.Offset(d.Pos))
			named := numbersIn(h)
			for _, a := range d.Args {
				later := map[string]bool{}
				for _, p := range m.WritesAfter(d, a.ReassignedAt) {
					later[strconv.Itoa(m.Line(p))] = true
				}
				for _, p := range a.ReassignedAt {
					l := strconv.Itoa(m.Line(p))
					if !later[l] && contains(named, l) {
						t.Errorf("%s: the hover names the write on line %s, which cannot run after the defer", m.Fset.Position(d.Pos), l)
					}
				}
			}
		}
	}
	if checked < 5 {
		t.Errorf("only %d deferargs findings checked", checked)
	}
}

// numbersIn returns the line numbers of the hover's "is assigned again at"
// notes.
func numbersIn(h string) []string {
	var out []string
	for _, m := range writeLines.FindAllStringSubmatch(h, -1) {
		out = append(out, regexp.MustCompile(`[0-9]+`).FindAllString(m[1], -1)...)
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func tokenPos(p int) token.Pos { return token.Pos(p) }

// deferAt returns the defer statement holding p.
func deferAt(m *model.File, p int) *model.Defer {
	for _, d := range m.Defers {
		if tokenPos(p) >= d.Pos && tokenPos(p) < d.End {
			return d
		}
	}
	return nil
}

func rangeStmt(op *model.ChanOp) ast.Stmt {
	rs, _ := op.Node.(*ast.RangeStmt)
	return rs
}

// TestCondWaits: every Wait the condwait check reports (its `// want`
// lines) is a Cond wait of the model (File.CondWaits), and the Cond-wait
// hint marks it: the check and the hint read one list.
func TestCondWaits(t *testing.T) {
	checked := 0
	for _, m := range models(t, "condwait") {
		waits := map[int]bool{}
		for _, w := range m.CondWaits() {
			waits[m.Line(w.Pos)] = true
			labels, _ := hintsIn(t, m, m.Offset(w.Call.Pos()), m.Offset(w.Call.End()))
			if !contains(labels, "waits for Signal") && !contains(labels, "waits for Broadcast") {
				t.Errorf("%s: a Cond wait of the model without the Cond-wait hint (hints: %q)", m.Fset.Position(w.Pos), labels)
			}
		}
		for i, line := range strings.Split(string(m.Src), "\n") {
			if strings.Contains(line, "// want") && strings.Contains(line, ".Wait()") {
				checked++
				if !waits[i+1] {
					t.Errorf("%s:%d: condwait reports a Wait the model does not record", m.Fset.Position(m.AST.Pos()).Filename, i+1)
				}
			}
		}
	}
	if checked < 3 {
		t.Errorf("only %d condwait findings checked", checked)
	}
}

// TestUnwaited: a goroutine the unwaited check reports is one the model
// finds nothing waiting for (Goroutine.WaitedBy), and its go hover does not
// say that the function waits for it; a goroutine the hover says is waited
// for without a catch is never reported.
func TestUnwaited(t *testing.T) {
	dirs, err := filepath.Glob(filepath.Join("..", "..", "checks", "unwaited", "testdata", "src", "*main"))
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no unwaited testdata: %v", err)
	}
	dirs = append(dirs, filepath.Join("..", "..", "checks", "unwaited", "testdata", "src", "tests"))
	reported, waited := 0, 0
	for _, dir := range dirs {
		files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		for _, f := range files {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			m := model.Parse(filepath.Base(f), src)
			found := map[int]bool{}
			for _, d := range unwaited.Syntax(m) {
				found[m.Line(d.Pos)] = true
			}
			for _, g := range m.Goroutines {
				h := hoverAt(m, m.Offset(g.Pos))
				claimsWait := strings.Contains(h, " waits for it with `") && !strings.Contains(h, "and then nothing waits for it")
				if claimsWait {
					waited++
				}
				if !found[m.Line(g.Pos)] {
					continue
				}
				reported++
				if g.WaitedBy() != "" || claimsWait {
					t.Errorf("%s: unwaited reports a goroutine the model says is waited for (%q):\n%s", m.Fset.Position(g.Pos), g.WaitedBy(), h)
				}
			}
		}
	}
	t.Logf("%d reported goroutines, %d the hover says are waited for", reported, waited)
	if reported < 3 || waited < 1 {
		t.Errorf("only %d reported and %d waited goroutines checked", reported, waited)
	}
}
