package deadlock_test

import (
	"io"
	"syscall"
	"testing"
	"time"

	"github.com/golens/golens/checks/cli"
)

// BenchmarkCheckNetHTTP: `golens check -deadlock net/http` with no result
// cache: go list, type-checking net/http and its tests, the models of every
// file, the package's lock facts (model/lockfacts) and the check. It also
// reports golens's own CPU time per run (cpu-ms/op, user+system, go list
// not counted), which a busy machine disturbs less than the wall time.
func BenchmarkCheckNetHTTP(b *testing.B) {
	b.Setenv("GOLENS_CACHE", "off")
	start := cpuTime()
	for b.Loop() {
		if code := cli.Main([]string{"-deadlock", "net/http"}, io.Discard, io.Discard); code > cli.ExitFindings {
			b.Fatalf("exit %d", code)
		}
	}
	b.ReportMetric(float64((cpuTime()-start).Milliseconds())/float64(b.N), "cpu-ms/op")
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
