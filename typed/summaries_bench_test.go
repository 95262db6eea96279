package typed_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/golens/golens/typed"
)

// BenchmarkResummarize measures re-summarising a generated 50-file package
// after an edit of one file: the package is re-checked (not timed), then
// its summaries are brought up to date (timed): the edited file is
// summarised again and its functions and their callers recomposed. The
// "all" variant times a first computation over every file, for
// comparison.
func BenchmarkResummarize(b *testing.B) {
	dir := genPackage(b, 50)
	file := filepath.Join(dir, "f00.go")
	ctx := context.Background()
	l := typed.NewLoader(typed.Config{})
	pkg, err := l.Load(ctx, typed.Request{File: file})
	if err != nil {
		b.Fatal(err)
	}
	pkg.SummaryStats()
	b.Run("edit", func(b *testing.B) {
		n, recomposed, funcs := 0, 0, 0
		for b.Loop() {
			b.StopTimer()
			n++
			src := []byte(genFile(0, 50, fmt.Sprintf("\nfunc edited%d(ch chan int) { ch <- %d }\n", n, n)))
			pkg, err := l.Load(ctx, typed.Request{File: file, Overlay: map[string][]byte{file: src}})
			if err != nil || !pkg.Incremental {
				b.Fatal("no incremental re-check", err)
			}
			b.StartTimer()
			funcs, recomposed = pkg.SummaryStats()
		}
		b.ReportMetric(float64(recomposed), "recomposed/op")
		b.ReportMetric(float64(funcs), "funcs")
	})
	b.Run("all", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			pkg, err := typed.NewLoader(typed.Config{}).Load(ctx, typed.Request{File: file})
			if err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			pkg.SummaryStats()
		}
	})
}
