package model_test

import (
	"bytes"
	"go/parser"
	"go/token"
	"testing"

	"github.com/golens/golens/hover"
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

// editHoverSites are constructs in the middle of the dense file (in
// worker50), each hovered once after an edit: what the user waits for when
// they type, then hover. The go statement's hover reads the goroutine's
// wait facts, the range's the channel's close facts (function summaries),
// the defer's and the Lock's the path facts of their function.
var editHoverSites = []struct{ name, after, at string }{
	{"go", "func worker50(", "go func() {"},
	{"range", "func worker50(", "range results"},
	{"defer", "func worker50(", "defer fmt.Println"},
	{"lock", "func worker50(", "mu.Lock"},
}

// BenchmarkEditHover is an edit as the server sees it: parse the new text,
// build its model, and answer one hover in the middle of the file. Compare
// with BenchmarkParse.
func BenchmarkEditHover(b *testing.B) {
	for _, site := range editHoverSites {
		from := bytes.Index(dense, []byte(site.after))
		off := from + bytes.Index(dense[from:], []byte(site.at))
		if site.at == "mu.Lock" {
			off += len("mu.")
		}
		b.Run(site.name, func(b *testing.B) {
			if hover.At(model.Parse("dense.go", dense), off) == nil {
				b.Fatalf("no hover at %q", site.at)
			}
			b.SetBytes(int64(len(dense)))
			for b.Loop() {
				hover.At(model.Parse("dense.go", dense), off)
			}
		})
	}
}
