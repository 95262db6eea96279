package deferargs_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/golens/golens/checks/deferargs"
	"github.com/golens/golens/model"
)

// BenchmarkManyDefers: one function with 4,000 defers, each followed by a
// reassignment of its argument (issue 10: it took 2.4 s, quadratic in the
// defers).
func BenchmarkManyDefers(b *testing.B) {
	var src strings.Builder
	src.WriteString("package p\n\nimport \"fmt\"\n\nfunc f() {\n\tx := 1\n")
	for range 4000 {
		fmt.Fprintf(&src, "\tdefer fmt.Println(x)\n\tx = g(x)\n")
	}
	src.WriteString("}\n\nfunc g(int) int { return 0 }\n")
	m := model.Parse("p.go", []byte(src.String()))
	for b.Loop() {
		deferargs.Syntax(m)
	}
}
