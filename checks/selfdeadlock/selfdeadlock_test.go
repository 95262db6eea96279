package selfdeadlock_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/golens/golens/checks/selfdeadlock"
	"github.com/golens/golens/model"
)

func TestAnalyzer(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), selfdeadlock.Analyzer, "selfdeadlock")
}

func TestSyntax(t *testing.T) {
	src := []byte(`package p

func f() {
	ch := make(chan int)
	ch <- 1
	go func() { <-ch }()
}

func g() {
	ch := make(chan int)
	go func() { <-ch }()
	ch <- 1
}
`)
	ds := selfdeadlock.Syntax(model.Parse("p.go", src))
	if len(ds) != 1 || len(ds[0].SuggestedFixes) != 1 {
		t.Fatalf("got %v, want 1 diagnostic with a fix", ds)
	}
}
