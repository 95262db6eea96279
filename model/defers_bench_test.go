package model_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/golens/golens/model"
)

// manyDefers is a function with n defer statements: in a row
// ("straight"), or each followed by an early return ("branchy", so that
// every defer's position depends on the path).
func manyDefers(n int, branchy bool) []byte {
	var b strings.Builder
	b.WriteString("package p\n\nfunc f(xs []bool) {\n")
	for i := range n {
		fmt.Fprintf(&b, "\tdefer println(%d)\n", i)
		if branchy {
			fmt.Fprintf(&b, "\tif xs[%d] {\n\t\treturn\n\t}\n", i)
		}
	}
	b.WriteString("}\n")
	return []byte(b.String())
}

// BenchmarkDeferOrder is the model build plus every defer's run order
// (Defer.Order) for one function of 100, 500 and 2,000 defers.
func BenchmarkDeferOrder(b *testing.B) {
	for _, shape := range []string{"straight", "branchy"} {
		for _, n := range []int{100, 500, 2000} {
			src := manyDefers(n, shape == "branchy")
			b.Run(fmt.Sprintf("%s/%d", shape, n), func(b *testing.B) {
				for b.Loop() {
					m := model.Parse("p.go", src)
					for _, d := range m.Funcs[0].Defers {
						d.Order()
					}
				}
			})
		}
	}
}

// BenchmarkDeferBuild is the build alone for the same functions, the
// baseline BenchmarkDeferOrder adds the order to.
func BenchmarkDeferBuild(b *testing.B) {
	for _, shape := range []string{"straight", "branchy"} {
		for _, n := range []int{100, 500, 2000} {
			src := manyDefers(n, shape == "branchy")
			b.Run(fmt.Sprintf("%s/%d", shape, n), func(b *testing.B) {
				for b.Loop() {
					model.Parse("p.go", src)
				}
			})
		}
	}
}
