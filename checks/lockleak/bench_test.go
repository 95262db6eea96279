package lockleak_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/golens/golens/checks/lockleak"
	"github.com/golens/golens/model"
)

// nestedLoops is a function of depth loops, each inside the one before,
// each locking the mutex, leaving early with it held on one path (a
// return, which lockleak reports) and unlocking it on the others.
func nestedLoops(depth int) []byte {
	var b strings.Builder
	b.WriteString("package p\n\nimport \"sync\"\n\nvar mu sync.Mutex\n\nfunc f(n int) {\n")
	for i := range depth {
		fmt.Fprintf(&b, "for i%d := 0; i%d < n; i%d++ {\n\tmu.Lock()\n\tif n == %d {\n\t\treturn\n\t}\n\tif n == -%d {\n\t\tmu.Unlock()\n\t\tcontinue\n\t}\n\tmu.Unlock()\n", i, i, i, i, i)
	}
	b.WriteString(strings.Repeat("}\n", depth))
	b.WriteString("}\n")
	return []byte(b.String())
}

// BenchmarkNestedLoops parses and runs the syntax-tier check on loops
// nested 8 to 64 deep: ns/loop stays flat when each loop is walked a bounded number of
// times (walking each body twice per walk of its parent was 2^depth).
func BenchmarkNestedLoops(b *testing.B) {
	for _, depth := range []int{8, 16, 32, 64} {
		b.Run(fmt.Sprintf("depth=%d", depth), func(b *testing.B) {
			src := nestedLoops(depth)
			n := 0
			for b.Loop() {
				// A fresh model each time: the model computes a function's
				// lock flow once and keeps it.
				n = len(lockleak.Syntax(model.Parse("a.go", src)))
			}
			if n != depth {
				b.Fatalf("%d findings, want one per loop (%d)", n, depth)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(depth), "ns/loop")
		})
	}
}

// TestNestedLoops: each of loops nested deep has its early return with the
// mutex held reported, once.
func TestNestedLoops(t *testing.T) {
	const depth = 20
	m := model.Parse("a.go", nestedLoops(depth))
	ds := lockleak.Syntax(m)
	if len(ds) != depth {
		for _, d := range ds {
			t.Logf("line %d: %s", m.Line(d.Pos), d.Message)
		}
		t.Fatalf("%d findings, want %d", len(ds), depth)
	}
}
