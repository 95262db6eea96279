package lockleak_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/golens/golens/checks/lockleak"
	"github.com/golens/golens/hover"
	"github.com/golens/golens/model"
)

// manyPairs is a function that locks and unlocks mu n times, then locks it
// once more and returns early with it held.
func manyPairs(n int) []byte {
	var b strings.Builder
	b.WriteString("package p\n\nimport \"sync\"\n\nvar mu sync.Mutex\n\nfunc f(x int) int {\n")
	for range n {
		b.WriteString("\tmu.Lock()\n\tmu.Unlock()\n")
	}
	b.WriteString("\tmu.Lock()\n\tif x > 0 {\n\t\treturn x\n\t}\n\tmu.Unlock()\n\treturn 0\n}\n")
	return []byte(b.String())
}

// TestFlowLimit: past the number of operations on one mutex the lock flow
// follows, the model records the flow as Unknown, with why, instead of
// dropping it silently; lockleak and the hover then say nothing about its
// paths. Below the limit the same leak is found.
func TestFlowLimit(t *testing.T) {
	for _, tc := range []struct {
		pairs int
		known bool
	}{
		{pairs: 100, known: true},
		{pairs: 600, known: false}, // 1,203 operations: past the limit
	} {
		t.Run(fmt.Sprint(tc.pairs), func(t *testing.T) {
			m := model.Parse("a.go", manyPairs(tc.pairs))
			last := m.Locks[len(m.Locks)-2] // the Lock before the early return
			if last.Kind != model.Lock {
				t.Fatalf("op %s, want the last Lock", last.Kind)
			}
			lf := last.Flow()
			if lf == nil {
				t.Fatal("no lock flow recorded")
			}
			ds := lockleak.Syntax(m)
			h := hover.At(m, m.Offset(last.Pos))
			if h == nil {
				t.Fatal("no hover on the Lock")
			}
			if tc.known {
				if !lf.Known || lf.Certainty != model.Proven || len(ds) != 1 || !strings.Contains(h.Markdown, "**It stays locked**") {
					t.Errorf("known=%v certainty=%v findings=%d hover:\n%s", lf.Known, lf.Certainty, len(ds), h.Markdown)
				}
				return
			}
			if lf.Known || lf.Certainty != model.Unknown || !strings.Contains(lf.Why, "golens follows at most") {
				t.Errorf("past the limit: known=%v certainty=%v why=%q, want Unknown with why", lf.Known, lf.Certainty, lf.Why)
			}
			if len(ds) != 0 {
				t.Errorf("past the limit lockleak reports %d findings, want none", len(ds))
			}
			if strings.Contains(h.Markdown, "stays locked") || strings.Contains(h.Markdown, "Released") {
				t.Errorf("past the limit the hover still claims a path fact:\n%s", h.Markdown)
			}
			if !strings.Contains(h.Markdown, "golens does not follow the paths") {
				t.Errorf("past the limit the hover does not say why it is silent:\n%s", h.Markdown)
			}
		})
	}
}
