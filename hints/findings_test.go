package hints_test

import (
	"strings"
	"testing"

	"github.com/golens/golens/hints"
	"github.com/golens/golens/involved"
	"github.com/golens/golens/model"
)

// TestFindingHints: each involved line of this file gets one hint at its
// end (never inside the statement), labelled with the check (and at a
// related position the finding's line), with the explanation as its
// tooltip; a place in another
// file gets none; the family follows the Blocking option.
func TestFindingHints(t *testing.T) {
	src := "package p\n\nimport \"sync\"\n\ntype L struct{ mu sync.Mutex }\n\nfunc (l *L) Close() {\n\tl.mu.Lock()\n\tl.exit() // calls exit\n\tl.mu.Unlock()\n}\n\nfunc (l *L) exit() {\n\tl.mu.Lock()  \n\tl.mu.Unlock()\n}\n"
	m := model.Parse("p.go", []byte(src))
	held := strings.Index(src, "l.mu.Lock()")
	call := strings.Index(src, "l.exit()")
	again := strings.LastIndex(src, "l.mu.Lock()")
	fs := []involved.Finding{{
		Check: "deadlock", Message: "l.exit() locks l.mu (Lock at line 14) while this goroutine already holds it (locked on line 8): Go mutexes are not reentrant, so this blocks forever",
		Places: []involved.Place{
			{Line: 9, Start: call, End: call + 8},
			{Line: 8, Role: "l.mu is locked here", Start: held, End: held + 11},
			{Line: 14, Role: "locked again here", Start: again, End: again + 11},
			{Line: 3, File: "other.go", Role: "locked again here", Start: -1, End: -1},
		},
	}}
	var got []string
	for _, h := range hints.ComputeWith(m, 0, len(m.Src), hints.Options{Blocking: true}, fs) {
		if !strings.Contains(h.Label, "⚠") {
			continue
		}
		line := strings.Count(src[:h.Offset], "\n") + 1
		rest := src[h.Offset:]
		if i := strings.IndexByte(rest, '\n'); strings.TrimSpace(rest[:i]) != "" {
			t.Errorf("hint %q on line %d is not at the end of its line (before %q)", h.Label, line, rest[:i])
		}
		if len(h.Label) > 24 {
			t.Errorf("label %q is %d bytes, more than the project's 24", h.Label, len(h.Label))
		}
		if !strings.Contains(h.Tooltip, "not reentrant") || !strings.Contains(h.Tooltip, "golens explain deadlock") || !strings.Contains(h.Tooltip, "other.go:3") {
			t.Errorf("hint %q: tooltip lacks the explanation:\n%s", h.Label, h.Tooltip)
		}
		got = append(got, strings.TrimPrefix(h.Label, "; "))
	}
	want := []string{"⚠ deadlock, line 9", "⚠ deadlock", "⚠ deadlock, line 9"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("labels = %q, want %q", got, want)
	}
	for _, h := range hints.ComputeWith(m, 0, len(m.Src), hints.Options{Defers: true}, fs) {
		if strings.Contains(h.Label, "⚠") {
			t.Errorf("a finding hint with the blocking family off: %q", h.Label)
		}
	}
}
