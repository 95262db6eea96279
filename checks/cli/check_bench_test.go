package cli_test

import (
	"io"
	"testing"

	"github.com/golens/golens/checks/cli"
)

// benchPackage is a mid-size, concurrency-heavy package of the standard
// library (about 7,000 lines with its tests).
const benchPackage = "database/sql"

// BenchmarkCheckCold: `golens check database/sql` with no result cache:
// go list, type-checking the package and its tests, every check.
func BenchmarkCheckCold(b *testing.B) {
	b.Setenv("GOLENS_CACHE", "off")
	for b.Loop() {
		if code := cli.Main([]string{benchPackage}, io.Discard, io.Discard); code > cli.ExitFindings {
			b.Fatalf("exit %d", code)
		}
	}
}

// BenchmarkCheckWarm: the same check again on the unchanged tree, answered
// from the result cache through the manifest (no go list).
func BenchmarkCheckWarm(b *testing.B) {
	b.Setenv("GOLENS_CACHE", b.TempDir())
	cli.Main([]string{benchPackage}, io.Discard, io.Discard)
	for b.Loop() {
		if code := cli.Main([]string{benchPackage}, io.Discard, io.Discard); code > cli.ExitFindings {
			b.Fatalf("exit %d", code)
		}
	}
}

// BenchmarkCheckWarmNoManifest: warm, but with the manifest gone before
// each run, so the keys come from a go list of the package graph.
func BenchmarkCheckWarmNoManifest(b *testing.B) {
	dir := b.TempDir()
	b.Setenv("GOLENS_CACHE", dir)
	cli.Main([]string{benchPackage}, io.Discard, io.Discard)
	for b.Loop() {
		cli.RemoveManifests(dir)
		if code := cli.Main([]string{benchPackage}, io.Discard, io.Discard); code > cli.ExitFindings {
			b.Fatalf("exit %d", code)
		}
	}
}
