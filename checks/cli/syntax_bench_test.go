package cli_test

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/golens/golens/checks/all"
	"github.com/golens/golens/model"
)

// bigFile is a large, concurrency-heavy file of the standard library.
func bigFile(tb testing.TB) (string, []byte) {
	name := filepath.Join(runtime.GOROOT(), "src", "net", "http", "transport.go")
	src, err := os.ReadFile(name)
	if err != nil {
		tb.Skip(err)
	}
	return name, src
}

func BenchmarkParse(b *testing.B) {
	name, src := bigFile(b)
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		parser.ParseFile(token.NewFileSet(), name, src, parser.AllErrors|parser.ParseComments)
	}
}

// BenchmarkSyntaxChecks runs every syntax-tier check on a model that is
// already built (the server builds it once per version for hover and hints).
func BenchmarkSyntaxChecks(b *testing.B) {
	name, src := bigFile(b)
	m := model.Parse(name, src)
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		for _, c := range all.Checks() {
			if c.Syntax != nil {
				c.Syntax(m)
			}
		}
	}
}

// TestSyntaxChecksSpeed holds the syntax tier to its budget: all syntax
// checks of one file in at most twice the file's parse time.
func TestSyntaxChecksSpeed(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("timing test")
	}
	name, src := bigFile(t)
	best := func(f func()) time.Duration {
		d := time.Duration(1 << 62)
		for i := 0; i < 15; i++ {
			start := time.Now()
			f()
			if e := time.Since(start); e < d {
				d = e
			}
		}
		return d
	}
	parse := best(func() { parser.ParseFile(token.NewFileSet(), name, src, parser.AllErrors|parser.ParseComments) })
	m := model.Parse(name, src)
	checks := best(func() {
		for _, c := range all.Checks() {
			if c.Syntax != nil {
				c.Syntax(m)
			}
		}
	})
	t.Logf("%s: parse %v, syntax checks %v (%.2fx)", filepath.Base(name), parse, checks, float64(checks)/float64(parse))
	if checks > 2*parse {
		t.Errorf("syntax checks take %v, more than twice the parse time %v", checks, parse)
	}
}
