package hover_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/golens/golens/hover"
	"github.com/golens/golens/involved"
	"github.com/golens/golens/model"
)

// TestWithFindings: the deadlock section joins golens's own hover at an
// involved position, stands alone where golens has no hover (the call that
// leads into the second Lock), and is absent elsewhere. The findings are
// given as data, as the server passes them (server/testdata/involved runs
// the real checks).
func TestWithFindings(t *testing.T) {
	src := "package p\n\nimport \"sync\"\n\ntype L struct{ mu sync.Mutex }\n\nfunc (l *L) Close() {\n\tl.mu.Lock()\n\tl.exit()\n\tl.mu.Unlock()\n}\n\nfunc (l *L) exit() {\n\tl.mu.Lock()\n\tl.mu.Unlock()\n}\n"
	m := model.Parse("p.go", []byte(src))
	span := func(marker string) (int, int) {
		i := strings.Index(src, marker)
		return i, i + len(marker)
	}
	callS, callE := span("l.exit()")
	heldS, heldE := span("l.mu.Lock()\n\tl.exit")
	heldE = heldS + len("l.mu.Lock()")
	againS := strings.LastIndex(src, "l.mu.Lock()")
	fs := []involved.Finding{{
		Check: "deadlock", DocURL: "https://pkg.go.dev/github.com/golens/golens/checks/deadlock",
		Message: "l.exit() locks l.mu (Lock at line 14) while this goroutine already holds it (locked on line 8): Go mutexes are not reentrant, so this blocks forever",
		Places: []involved.Place{
			{Line: 9, Link: "file:///p.go#L9", Start: callS, End: callE},
			{Line: 8, Role: "l.mu is locked here", Link: "file:///p.go#L8", Start: heldS, End: heldE},
			{Line: 14, Role: "locked again here", Link: "file:///p.go#L14", Start: againS, End: againS + len("l.mu.Lock()")},
		},
	}}
	cases := []struct {
		name   string
		offset int
		want   []string // "!x": must not contain x; nil: no hover at all
	}{
		{"held Lock", heldS + 5, []string{"**l.mu.Lock**", "---", "**⚠ deadlock** — this position: *l.mu is locked here*, in the finding at [line 9](file:///p.go#L9)",
			"not reentrant", "- [line 8](file:///p.go#L8) — l.mu is locked here **(this position)**\n- [line 9](file:///p.go#L9) — the finding\n- [line 14]",
			"`golens explain deadlock`", "[sync.Mutex](https://pkg.go.dev/sync#Mutex)"}},
		{"call, no hover of its own", callS + 3, []string{"**⚠ deadlock** — reported here", "!**l.mu.Lock**"}},
		{"Lock again", againS, []string{"this position: *locked again here*"}},
		{"Unlock", strings.Index(src, "l.mu.Unlock()") + 5, []string{"**l.mu.Unlock**", "!⚠"}},
	}
	for _, c := range cases {
		h := hover.WithFindings(m, c.offset, fs)
		if h == nil {
			t.Errorf("%s: no hover", c.name)
			continue
		}
		for _, w := range c.want {
			if neg, ok := strings.CutPrefix(w, "!"); ok {
				if strings.Contains(h.Markdown, neg) {
					t.Errorf("%s: hover has %q:\n%s", c.name, neg, h.Markdown)
				}
			} else if !strings.Contains(h.Markdown, w) {
				t.Errorf("%s: hover lacks %q:\n%s", c.name, w, h.Markdown)
			}
		}
	}
	if h := hover.WithFindings(m, callS+3, fs); h.Start != callS || h.End != callE {
		t.Errorf("the section alone covers [%d,%d], want the call [%d,%d]", h.Start, h.End, callS, callE)
	}
	// Without findings (a correct program, or none computed yet for this
	// text) the hover is golens's plain one, and the call has none.
	if h := hover.WithFindings(m, heldS+5, nil); h == nil || strings.Contains(h.Markdown, "⚠") {
		t.Errorf("without findings: %v", h)
	}
	if h := hover.WithFindings(m, callS+3, nil); h != nil {
		t.Errorf("without findings the call has a hover: %q", h.Markdown)
	}
}

// BenchmarkWithFindings: a hover on a Lock in a file with 200 findings of
// 4 places each, against the same hover without findings.
func BenchmarkWithFindings(b *testing.B) {
	var src strings.Builder
	src.WriteString("package p\n\nimport \"sync\"\n\ntype L struct{ mu sync.Mutex }\n\n")
	var fs []involved.Finding
	for i := 0; i < 200; i++ {
		off := src.Len() + len("func (l *L) fNNNN() {\n\t")
		fmt.Fprintf(&src, "func (l *L) f%04d() {\n\tl.mu.Lock()\n\tl.g()\n\tl.mu.Unlock()\n}\n\n", i)
		fs = append(fs, involved.Finding{Check: "deadlock", Message: "l.g() locks l.mu again", Places: []involved.Place{
			{Line: 1, Start: off + 13, End: off + 18}, {Line: 2, Role: "l.mu is locked here", Start: off, End: off + 11},
			{Line: 3, Role: "locked again here", File: "other.go", Start: -1, End: -1}, {Line: 4, Role: "x", Start: off + 20, End: off + 30},
		}})
	}
	m := model.Parse("p.go", []byte(src.String()))
	at := fs[100].Places[1].Start + 5
	b.Run("none", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			hover.WithFindings(m, at, nil)
		}
	})
	b.Run("200", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			hover.WithFindings(m, at, fs)
		}
	})
}
