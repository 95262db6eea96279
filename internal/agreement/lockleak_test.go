package agreement_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/golens/golens/checks/lockleak"
	"github.com/golens/golens/hints"
	"github.com/golens/golens/hover"
	"github.com/golens/golens/model"
)

// TestLockLeaks runs lockleak over each file of its testdata and
// checks that the hover and the inlay-hint tooltip of every Lock say what
// lockleak says, because all three read the model's lock flow
// (model.LockFlow): for each leak finding, the Lock's hover and hint state
// that it stays locked at the same site and name the Unlock that path
// skips, and the skipped Unlock's hover names the site; for each double
// lock, the second Lock's hover and hint state the deadlock and the line
// holding it. For every Lock without a finding, neither claims a leak,
// and neither claims a deadlock unless lockleak stays silent on purpose
// (a goroutine a Test function starts to block it deliberately).
func TestLockLeaks(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "..", "checks", "lockleak", "testdata", "src", "lockleak", "*.go"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata: %v", err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			m := model.Parse(filepath.Base(file), src)
			tips := lockTooltips(t, m)
			leakAt, relockAt := map[int]string{}, map[int]string{}
			diags := lockleak.Syntax(m)
			// A call of a helper that locks or unlocks (t.begin(),
			// t.end()) has no hover of its own: the editor shows the
			// finding over it (hover.WithFindings), as the server does.
			fs := findingsIn(m, diags)
			hoverAt := func(off int) *hover.Result {
				if h := hover.At(m, off); h != nil {
					return h
				}
				return hover.WithFindings(m, off, fs)
			}
			for _, d := range diags {
				if strings.Contains(d.Message, "already holds") {
					relockAt[m.Offset(d.Pos)] = fmt.Sprintf("line %d", m.Line(d.Related[0].Pos))
					continue
				}
				// The first related position is the first leak site, the
				// last the Unlock that path skips.
				site := fmt.Sprintf("line %d", m.Line(d.Related[0].Pos))
				skip := fmt.Sprintf("line %d", m.Line(d.Related[len(d.Related)-1].Pos))
				leakAt[m.Offset(d.Pos)] = site + ": the " // "line 22: the Unlock at line 24"
				leakAt[m.Offset(d.Pos)] += skip
				if h := hoverAt(m.Offset(d.Related[len(d.Related)-1].Pos)); h == nil ||
					!strings.Contains(h.Markdown, "skips this") && !strings.Contains(h.Markdown, "this path skips") || !strings.Contains(h.Markdown, site) {
					t.Errorf("line %d: lockleak says %q; the hover of the skipped Unlock (%s) does not name %s:\n%v",
						m.Line(d.Pos), d.Message, skip, site, h)
				}
			}
			if len(leakAt)+len(relockAt) == 0 && !strings.HasSuffix(file, "_test.go") {
				t.Fatalf("lockleak reports nothing in %s: the test would prove nothing", file)
			}
			locks := m.Locks
			for _, f := range m.Funcs {
				locks = append(locks[:len(locks):len(locks)], f.LockCalls()...)
			}
			for _, l := range locks {
				if l.Deferred || (l.Kind != model.Lock && l.Kind != model.RLock) {
					continue
				}
				off := m.Offset(l.Call.Pos())
				h := hover.At(m, m.Offset(l.Pos))
				if l.Through != "" {
					// A helper call that locks: its hover is the finding's.
					h = hover.WithFindings(m, m.Offset(l.Pos), fs)
					if _, leak := leakAt[off]; !leak {
						h = &hover.Result{}
					}
				}
				if h == nil {
					t.Errorf("line %d: no hover on %s.%s", m.Line(l.Pos), l.Recv, l.Kind)
					continue
				}
				tip := tips[m.Offset(l.Call.End())]
				line := m.Line(l.Pos)
				if want, ok := leakAt[off]; ok {
					site, skip, _ := strings.Cut(want, ": the ")
					for what, text := range map[string]string{"hover": h.Markdown, "hint": tip} {
						says := strings.Contains(text, "**It stays locked**") && strings.Contains(text, "at "+skip)
						if l.Through != "" && what == "hover" {
							// The finding's own words: "stays locked if ... returns on line 39: the t.end() on line 41 is skipped".
							says = strings.Contains(text, "stays locked") && strings.Contains(text, "on "+skip)
						}
						if !says || !strings.Contains(text, site) {
							t.Errorf("line %d: lockleak reports a leak at %s skipping the unlock at %s; the %s does not say so:\n%s", line, site, skip, what, text)
						}
					}
				} else {
					for what, text := range map[string]string{"hover": h.Markdown, "hint": tip} {
						if strings.Contains(text, "stays locked") {
							t.Errorf("line %d: lockleak reports no leak, yet the %s claims one:\n%s", line, what, text)
						}
					}
				}
				if held, ok := relockAt[off]; ok {
					for what, text := range map[string]string{"hover": h.Markdown, "hint": tip} {
						if !strings.Contains(text, "**Deadlock:**") || !strings.Contains(text, held) {
							t.Errorf("line %d: lockleak reports a double lock (held since %s); the %s does not say so:\n%s", line, held, what, text)
						}
					}
				} else if !lockDeliberate(m, l) {
					for what, text := range map[string]string{"hover": h.Markdown, "hint": tip} {
						if strings.Contains(text, "**Deadlock:**") {
							t.Errorf("line %d: lockleak reports no double lock, yet the %s claims one:\n%s", line, what, text)
						}
					}
				}
			}
		})
	}
}

// lockDeliberate reports a Lock in a goroutine a Test function of a
// _test.go file starts, where lockleak does not report a double lock:
// tests block goroutines on purpose. The hover still states the fact.
func lockDeliberate(m *model.File, l *model.LockOp) bool {
	f := l.Func
	for f.Parent != nil {
		f = f.Parent
	}
	return strings.HasSuffix(m.Fset.Position(l.Pos).Filename, "_test.go") && strings.HasPrefix(f.Name, "Test") && l.Func.GoBody != nil
}

// lockTooltips maps the offset of each blocking hint (the end of its Lock
// call) to its resolved tooltip.
func lockTooltips(t *testing.T, m *model.File) map[int]string {
	out := map[int]string{}
	for _, h := range hints.Compute(m, 0, len(m.Src), hints.All()) {
		if h.Kind != hints.Blocking {
			continue
		}
		tip := h.Tooltip
		if tip == "" && h.Data != "" {
			var err error
			if tip, err = hints.Tooltip(m, h.Data); err != nil {
				t.Fatalf("tooltip at %d: %v", h.Offset, err)
			}
		}
		out[h.Offset] = tip
	}
	return out
}
