package nilchan_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/golens/golens/checks/nilchan"
	"github.com/golens/golens/model"
)

func TestAnalyzer(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), nilchan.Analyzer, "nilchan")
}

func TestSyntax(t *testing.T) {
	src := []byte(`package p

func f() {
	var ch chan int
	ch <- 1
	var ok chan int
	select {
	case <-ok:
	default:
	}
}
`)
	m := model.Parse("p.go", src)
	ds := nilchan.Syntax(m)
	if len(ds) != 1 {
		t.Fatalf("got %d diagnostics, want 1: %v", len(ds), ds)
	}
	if got := m.Line(ds[0].Pos); got != 5 {
		t.Errorf("diagnostic on line %d, want 5", got)
	}
	if len(ds[0].SuggestedFixes) != 1 {
		t.Errorf("want a fix")
	}
}
