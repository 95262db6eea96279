package hints_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/golens/golens/hints"
	"github.com/golens/golens/model"
)

// denseFile generates a Go file of about lines lines, every function dense
// with goroutines, channels, selects, defers, locks and waits.
func denseFile(lines int) []byte {
	var b strings.Builder
	b.WriteString(`package dense

import (
	"context"
	"fmt"
	"sync"
	"time"
)

type server struct {
	mu    sync.Mutex
	rw    sync.RWMutex
	cond  *sync.Cond
	jobs  chan int
	count int
}

`)
	for i := 0; strings.Count(b.String(), "\n") < lines; i++ {
		fmt.Fprintf(&b, `func (s *server) work%[1]d(ctx context.Context, in <-chan int, out chan<- int) error {
	var wg sync.WaitGroup
	done := make(chan struct{})
	results := make(chan int, 8)
	x := %[1]d
	defer fmt.Println("work%[1]d", x)
	defer close(done)
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func(id int) {
			defer wg.Done()
			select {
			case v := <-in:
				results <- v * id
			case <-ctx.Done():
				return
			case <-time.After(time.Second):
			}
		}(i)
	}
	go func() {
		wg.Wait()
		close(results)
	}()
	for r := range results {
		out <- r + x
	}
	s.rw.RLock()
	n := s.count
	s.rw.RUnlock()
	select {
	case s.jobs <- n:
	default:
	}
	v := <-s.jobs
	time.Sleep(10 * time.Millisecond)
	if v > 0 {
		defer func() {
			fmt.Println(x, n)
		}()
	}
	<-done
	return nil
}

`, i)
	}
	return []byte(b.String())
}

func benchHints(b *testing.B, m *model.File) {
	n := len(hints.Compute(m, 0, len(m.Src), hints.All()))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		hints.Compute(m, 0, len(m.Src), hints.All())
	}
	b.ReportMetric(float64(n), "hints/op")
}

// BenchmarkWholeFile: whole-file hints on a dense 5,000-line file, model
// already built (the server caches it per version).
func BenchmarkWholeFile(b *testing.B) {
	src := denseFile(5000)
	b.Run("syntax", func(b *testing.B) { benchHints(b, model.Parse("dense.go", src)) })
	b.Run("typed", func(b *testing.B) { benchHints(b, typedModel(b, "dense.go", src)) })
}

// BenchmarkViewport: the usual request, one screen (60 lines) of the same
// file.
func BenchmarkViewport(b *testing.B) {
	src := denseFile(5000)
	m := model.Parse("dense.go", src)
	start := lineOffset(src, 2500, false)
	end := lineOffset(src, 2560, true)
	b.ReportAllocs()
	for b.Loop() {
		hints.Compute(m, start, end, hints.All())
	}
}

// TestWholeFileP50 hints the whole dense file and logs the p50 (budget 5 ms;
// BenchmarkWholeFile reports the real figure). Speed is measured, not
// asserted: a loaded shared machine must not fail the run.
func TestWholeFileP50(t *testing.T) {
	if testing.Short() {
		t.Skip("timing test")
	}
	src := denseFile(5000)
	m := model.Parse("dense.go", src)
	if got := strings.Count(string(src), "\n"); got < 5000 {
		t.Fatalf("generated %d lines", got)
	}
	var ds []time.Duration
	for range 41 {
		t0 := time.Now()
		hs := hints.Compute(m, 0, len(src), hints.All())
		ds = append(ds, time.Since(t0))
		if len(hs) < 2000 {
			t.Fatalf("only %d hints on the dense file", len(hs))
		}
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	p50 := ds[len(ds)/2]
	t.Logf("whole-file hints, 5,000 lines: p50 %v (min %v, max %v)", p50, ds[0], ds[len(ds)-1])
}
