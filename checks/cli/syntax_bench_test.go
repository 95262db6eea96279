package cli_test

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"runtime"
	"testing"

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
