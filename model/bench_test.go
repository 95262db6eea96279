package model_test

import (
	"go/parser"
	"go/token"
	"testing"

	"github.com/golens/golens/internal/densefile"
	"github.com/golens/golens/model"
)

var dense = densefile.Source(5000)

// BenchmarkParse is the floor: go/parser alone on the dense 5,000-line file.
func BenchmarkParse(b *testing.B) {
	b.SetBytes(int64(len(dense)))
	for b.Loop() {
		fset := token.NewFileSet()
		parser.ParseFile(fset, "dense.go", dense, parser.AllErrors|parser.ParseComments)
	}
}

// BenchmarkModel is parse plus the model build: what an edit costs before
// the next hover can answer.
func BenchmarkModel(b *testing.B) {
	b.SetBytes(int64(len(dense)))
	for b.Loop() {
		model.Parse("dense.go", dense)
	}
}

// BenchmarkBuild is the model build alone, on an already parsed file.
func BenchmarkBuild(b *testing.B) {
	fset := token.NewFileSet()
	f, _ := parser.ParseFile(fset, "dense.go", dense, parser.AllErrors|parser.ParseComments)
	b.SetBytes(int64(len(dense)))
	for b.Loop() {
		model.Build(fset, f, dense, nil)
	}
}

// BenchmarkFlowsAll is the cost of every function's path facts on the
// dense file (control-flow graphs, defer order, lock pairs, values at a
// point): what a whole-file hint request adds to BenchmarkModel. A hover
// pays for one function only; the model build itself computes none.
func BenchmarkFlowsAll(b *testing.B) {
	b.SetBytes(int64(len(dense)))
	for b.Loop() {
		b.StopTimer()
		m := model.Parse("dense.go", dense)
		b.StartTimer()
		for _, f := range m.Funcs {
			f.Exits()
		}
		for _, d := range m.Defers {
			d.Order()
		}
		for _, l := range m.Locks {
			l.Flow()
			l.Pairs()
		}
		for _, op := range m.ChanOps {
			op.At()
		}
	}
}
