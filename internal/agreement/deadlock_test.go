package agreement_test

import (
	"fmt"
	"go/token"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/golens/golens/checks"
	"github.com/golens/golens/checks/deadlock"
	"github.com/golens/golens/checks/lockleak"
	"github.com/golens/golens/checks/modelpass"
	"github.com/golens/golens/hover"
	"github.com/golens/golens/involved"
	"github.com/golens/golens/model"
)

// TestDeadlockHover runs deadlock over its own testdata, typed, as `golens
// check` runs it, and hovers every Lock of the same typed models (the
// models deadlock's facts are built from: modelpass, model/lockfacts).
// Both ways:
//
//   - every deadlock finding involves a Lock (or a sync.Once's Do), and
//     the hover at each of its positions in the file (with the findings
//     passed as the server passes them, hover.WithFindings) states it: the
//     check's message, and that position's part in it;
//   - no Lock's hover claims a deadlock that no check reports: where the
//     model's own lock flow makes the hover say "**Deadlock:**" (a relock
//     in the same function), lockleak reports that Lock, or deadlock
//     involves it; and a Lock no finding involves gets no finding section.
func TestDeadlockHover(t *testing.T) {
	dir, err := filepath.Abs(filepath.Join("..", "..", "checks", "deadlock", "testdata"))
	if err != nil {
		t.Fatal(err)
	}
	results := analysistest.Run(t, dir, deadlock.Analyzer, "deadlock")
	findings, stated, quiet := 0, 0, 0
	for _, r := range results {
		res, ok := r.Pass.ResultOf[modelpass.Analyzer].(*modelpass.Result)
		if !ok {
			t.Fatal("no models: deadlock does not require modelpass")
		}
		for _, m := range res.Order {
			name := filepath.Base(m.Fset.Position(m.AST.Pos()).Filename)
			fs := findingsIn(m, r.Diagnostics)
			findings += len(fs)
			// Every position of every finding in this file states it.
			for _, f := range fs {
				lockish := false
				for i, p := range f.Places {
					if p.Start < 0 {
						continue
					}
					if s := m.SiteAt(m.Pos(p.Start)); s != nil && s.Lock() != nil || strings.Contains(p.Role, "lock") || strings.Contains(p.Role, ".Do") {
						lockish = true
					}
					h := hover.WithFindings(m, p.Start, fs)
					if h == nil || !strings.Contains(h.Markdown, f.Message) || i > 0 && !strings.Contains(h.Markdown, p.Role) {
						t.Errorf("%s:%d: deadlock reports %q; the hover there (%s) does not state it:\n%v",
							name, p.Line, f.Message, roleOf(i, p), h)
						continue
					}
					stated++
				}
				if !lockish {
					t.Errorf("%s:%d: deadlock's finding %q involves no Lock or Do", name, f.Places[0].Line, f.Message)
				}
			}
			// No hover claims a deadlock no check reports.
			relocks := map[token.Pos]bool{}
			for _, d := range lockleak.Syntax(m) {
				if strings.Contains(d.Message, "already holds") {
					relocks[d.Pos] = true
				}
			}
			for _, l := range m.Locks {
				if l.Deferred || l.Kind != model.Lock && l.Kind != model.RLock {
					continue
				}
				off := m.Offset(l.Pos)
				involvedHere := len(involved.At(fs, off)) > 0 || len(involved.At(fs, m.Offset(l.Call.Pos()))) > 0
				own := hover.At(m, off)
				if own != nil && strings.Contains(own.Markdown, "**Deadlock:**") && !relocks[l.Call.Pos()] && !involvedHere {
					t.Errorf("%s:%d: the hover of %s.%s claims a deadlock; neither lockleak nor deadlock reports one:\n%s",
						name, m.Line(l.Pos), l.Recv, l.Kind, own.Markdown)
				}
				if !involvedHere {
					if h := hover.WithFindings(m, off, fs); h != nil && strings.Contains(h.Markdown, "**⚠ deadlock**") {
						t.Errorf("%s:%d: no deadlock finding involves %s.%s, yet its hover shows one:\n%s",
							name, m.Line(l.Pos), l.Recv, l.Kind, h.Markdown)
					}
					quiet++
				}
			}
		}
	}
	t.Logf("%d deadlock findings, %d positions whose hover states them, %d Locks no finding involves", findings, stated, quiet)
	if findings < 20 || quiet < 20 {
		t.Errorf("only %d findings and %d uninvolved Locks checked: the test would prove little", findings, quiet)
	}
}

func roleOf(i int, p involved.Place) string {
	if i == 0 {
		return "the finding's own position"
	}
	return fmt.Sprintf("%q", p.Role)
}

// findingsIn converts the diagnostics with a position in m's file into the
// findings hover and hints receive: the check's message, its own position
// and its related positions with their messages as roles (server/involved.go
// does the same for an open document).
func findingsIn(m *model.File, ds []analysis.Diagnostic) []involved.Finding {
	self := m.Fset.Position(m.AST.Pos()).Filename
	place := func(role string, pos, end token.Pos) involved.Place {
		p := m.Fset.Position(pos)
		if p.Filename != self {
			return involved.Place{Role: role, Line: p.Line, File: filepath.Base(p.Filename), Start: -1, End: -1}
		}
		stop := m.Offset(pos)
		if end.IsValid() && end > pos && m.Line(end) == p.Line {
			stop = m.Offset(end)
		}
		return involved.Place{Role: role, Line: p.Line, Start: m.Offset(pos), End: stop}
	}
	var out []involved.Finding
	for _, d := range ds {
		f := involved.Finding{Check: "deadlock", DocURL: checks.DocURL("deadlock"), Message: d.Message}
		f.Places = append(f.Places, place("", d.Pos, d.End))
		here := f.Places[0].Start >= 0
		for _, r := range d.Related {
			p := place(r.Message, r.Pos, r.End)
			here = here || p.Start >= 0
			f.Places = append(f.Places, p)
		}
		if here {
			out = append(out, f)
		}
	}
	return out
}
