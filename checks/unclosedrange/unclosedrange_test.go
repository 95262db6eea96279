package unclosedrange_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/golens/golens/checks/unclosedrange"
	"github.com/golens/golens/model"
)

func TestAnalyzer(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), unclosedrange.Analyzer, "unclosedrange", "workermain")
}

func TestSyntax(t *testing.T) {
	src := []byte(`package p

func f(xs []int) {
	ch := make(chan int)
	go func() {
		for _, x := range xs {
			ch <- x
		}
	}()
	for v := range ch {
		println(v)
	}
}

func g(ch chan int) {
	for v := range ch {
		println(v)
	}
}
`)
	ds := unclosedrange.Syntax(model.Parse("p.go", src))
	if len(ds) != 1 || len(ds[0].SuggestedFixes) != 1 {
		t.Fatalf("got %v, want 1 diagnostic with a fix", ds)
	}
}
