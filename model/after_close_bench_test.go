package model_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/golens/golens/model"
)

// BenchmarkAfterClose asks, for every close of one function with 600
// closes in branches (each followed by later sends and closes), what can
// run after it: closedsend does this for every close of a file.
func BenchmarkAfterClose(b *testing.B) {
	var src strings.Builder
	src.WriteString("package p\n\nfunc f(ch chan int, n int) {\n")
	for i := range 600 {
		fmt.Fprintf(&src, "\tif n == %d {\n\t\tch <- %d\n\t\tclose(ch)\n\t}\n", i, i)
	}
	src.WriteString("}\n")
	for b.Loop() {
		m := model.Parse("p.go", []byte(src.String()))
		n := 0
		for _, op := range m.ChanOps {
			if op.Kind == model.Close {
				n += len(m.AfterClose(op))
			}
		}
		if n == 0 {
			b.Fatal("no operations after the closes")
		}
	}
}

// BenchmarkAfterCloseFirst is the same file's model and a single close's
// answer (what a hover asks): the parse and the flow, for comparison.
func BenchmarkAfterCloseFirst(b *testing.B) {
	var src strings.Builder
	src.WriteString("package p\n\nfunc f(ch chan int, n int) {\n")
	for i := range 600 {
		fmt.Fprintf(&src, "\tif n == %d {\n\t\tch <- %d\n\t\tclose(ch)\n\t}\n", i, i)
	}
	src.WriteString("}\n")
	for b.Loop() {
		m := model.Parse("p.go", []byte(src.String()))
		for _, op := range m.ChanOps {
			if op.Kind == model.Close {
				_ = m.AfterClose(op)
				break
			}
		}
	}
}
