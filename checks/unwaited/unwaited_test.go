package unwaited_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/golens/golens/checks/unwaited"
	"github.com/golens/golens/model"
)

func TestAnalyzer(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), unwaited.Analyzer,
		"sleepmain", "returnmain", "loopmain", "tests")
	analysistest.Run(t, analysistest.TestData(), unwaited.Analyzer,
		"servermain", "signalmain", "wgmain", "selectmain", "donemain", "errgroupmain", "forevermain",
		"lockmain", "sharedlockmain", "leakmain", "relockmain", "lockloopmain")
}

// TestGoVersion checks that a module on Go 1.25 or later gets wg.Go.
func TestGoVersion(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData()+"/gomod", unwaited.Analyzer, "./...")
}

func TestSyntax(t *testing.T) {
	src := []byte(`package main

import (
	"fmt"
	"time"
)

func main() {
	go func() {
		fmt.Println("hi")
	}()
	time.Sleep(time.Second)
}
`)
	ds := unwaited.Syntax(model.Parse("main.go", src))
	if len(ds) != 1 || len(ds[0].SuggestedFixes) != 1 {
		t.Fatalf("got %v, want 1 diagnostic with a fix", ds)
	}
}

// TestSyntaxHelperWaitGroup: without types, a WaitGroup returned by a
// helper is recognised by its method names, and the test stays silent.
func TestSyntaxHelperWaitGroup(t *testing.T) {
	src := []byte(`package p

import "testing"

func newWG(t *testing.T) *sync.WaitGroup { return nil }

func TestX(t *testing.T) {
	wg := newWG(t)
	wg.Add(1)
	go func() {
		defer wg.Done()
	}()
}
`)
	if ds := unwaited.Syntax(model.Parse("p_test.go", src)); len(ds) != 0 {
		t.Fatalf("got %v, want no diagnostics", ds)
	}
}
