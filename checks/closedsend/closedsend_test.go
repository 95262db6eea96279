package closedsend_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/golens/golens/checks/closedsend"
	"github.com/golens/golens/model"
)

func TestAnalyzer(t *testing.T) {
	analysistest.Run(t, analysistest.TestData(), closedsend.Analyzer, "closedsend")
}

func TestSyntax(t *testing.T) {
	src := []byte(`package p

func f(ch chan int) {
	close(ch)
	ch <- 1
}

func g(ch chan int, ok bool) {
	if ok {
		close(ch)
	}
	ch <- 1
}
`)
	ds := closedsend.Syntax(model.Parse("p.go", src))
	if len(ds) != 1 {
		t.Fatalf("got %d diagnostics, want 1: %v", len(ds), ds)
	}
}
