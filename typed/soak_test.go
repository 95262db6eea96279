package typed_test

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/golens/golens/typed"
)

// BenchmarkSoakRecheck runs 10,000 incremental typed re-checks of one
// package, as a day of typing does, samples the live heap (after a GC)
// every 500, and reports the slope of a least-squares line through the
// samples of the second half, in bytes per re-check: it must be flat (the
// re-check's FileSet once grew by about 20 KB per re-check).
//
//	go test ./typed -run '^$' -bench SoakRecheck -benchtime 1x
func BenchmarkSoakRecheck(b *testing.B) {
	const rechecks, every = 10000, 500
	dir := writeModule(b, twoFiles)
	use := filepath.Join(dir, "use.go")
	for b.Loop() {
		l := typed.NewLoader(typed.Config{})
		var samples []float64
		var pkg *typed.Package
		for i := 0; i < rechecks; i++ {
			src := fmt.Sprintf("package m\n\n// edit %d\nfunc (p *Pool) Run() {\n\tp.mu.Lock()\n\tp.jobs <- %d\n\tp.mu.Unlock()\n\tp.wg.Wait()\n}\n", i, i)
			var err error
			pkg, err = l.Load(context.Background(), typed.Request{File: use, Overlay: map[string][]byte{use: []byte(src)}})
			if err != nil {
				b.Fatal(err)
			}
			if i > 0 && !pkg.Incremental {
				b.Fatalf("re-check %d was a full load", i)
			}
			pkg.File(use).Model() // the server builds the typed model of the edited file
			if (i+1)%every == 0 {
				runtime.GC()
				var ms runtime.MemStats
				runtime.ReadMemStats(&ms)
				samples = append(samples, float64(ms.HeapAlloc))
			}
		}
		runtime.KeepAlive(pkg)
		half := samples[len(samples)/2:]
		b.ReportMetric(slope(half)/every, "B/recheck-slope")
		b.ReportMetric(slope(samples)/every, "B/recheck-slope-all")
		b.ReportMetric(samples[0]/(1<<20), "MB-live-first")
		b.ReportMetric(samples[len(samples)-1]/(1<<20), "MB-live-last")
	}
}

// slope is the least-squares slope of ys against their indices.
func slope(ys []float64) float64 {
	n := float64(len(ys))
	var sx, sy, sxx, sxy float64
	for i, y := range ys {
		x := float64(i)
		sx += x
		sy += y
		sxx += x * x
		sxy += x * y
	}
	return (n*sxy - sx*sy) / (n*sxx - sx*sx)
}
