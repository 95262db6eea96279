package timeoutleak_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/golens/golens/checks/timeoutleak"
	"github.com/golens/golens/model"
)

func TestAnalyzer(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), timeoutleak.Analyzer, "timeoutleak")
}

// TestSyntax runs the tutorial's example through the syntax tier.
func TestSyntax(t *testing.T) {
	src := []byte(`package main

import (
	"fmt"
	"time"
)

func main() {
	ch := make(chan string)
	go func() {
		time.Sleep(2 * time.Second)
		ch <- "Done"
	}()

	select {
	case msg := <-ch:
		fmt.Println(msg)
	case <-time.After(1 * time.Second):
		fmt.Println("Timeout!")
	}
}
`)
	m := model.Parse("main.go", src)
	ds := timeoutleak.Syntax(m)
	if len(ds) != 1 || len(ds[0].SuggestedFixes) != 1 {
		t.Fatalf("got %v, want 1 diagnostic with a fix", ds)
	}
	if got := m.Line(ds[0].Pos); got != 12 {
		t.Errorf("line %d, want 12", got)
	}
}
