package waitbeforedrain_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/golens/golens/checks/waitbeforedrain"
	"github.com/golens/golens/model"
)

func TestAnalyzer(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), waitbeforedrain.Analyzer, "waitbeforedrain")
}

func TestSyntax(t *testing.T) {
	src := []byte(`package p

import "sync"

func f(xs []int) {
	var wg sync.WaitGroup
	ch := make(chan int)
	for _, x := range xs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ch <- x
		}()
	}
	wg.Wait()
	close(ch)
	for v := range ch {
		println(v)
	}
}
`)
	ds := waitbeforedrain.Syntax(model.Parse("p.go", src))
	if len(ds) != 1 || len(ds[0].SuggestedFixes) != 1 {
		t.Fatalf("got %v, want 1 diagnostic with a fix", ds)
	}
}

// A local worker shadows the declared one: the goroutine runs the local,
// which is done at once, so the Wait returns (a run prints "returned").
// The syntax tier resolves the call as the model does and stays silent.
func TestSyntaxShadowedWorker(t *testing.T) {
	src := []byte(`package main

import (
	"fmt"
	"sync"
)

func worker(jobs chan int, wg *sync.WaitGroup) {
	defer wg.Done()
	for j := range jobs {
		fmt.Println(j)
	}
}

func main() {
	worker := func(jobs chan int, wg *sync.WaitGroup) { wg.Done() }
	jobs := make(chan int)
	var wg sync.WaitGroup
	wg.Add(1)
	go worker(jobs, &wg)
	wg.Wait()
	close(jobs)
	fmt.Println("returned")
}
`)
	if ds := waitbeforedrain.Syntax(model.Parse("main.go", src)); len(ds) != 0 {
		t.Fatalf("got %v, want no diagnostic", ds)
	}
}
