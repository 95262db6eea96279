package model_test

import (
	"go/ast"
	"testing"

	"github.com/golens/golens/model"
)

// TestMaxSends: the most sends on c along the paths through each
// function's body, split into paths that run to the end and paths that
// return; -1 where the model does not count (a send in a loop).
func TestMaxSends(t *testing.T) {
	const src = `package p

var c = make(chan int)

func straight() { c <- 1; c <- 2 }

func branch(b bool) {
	if b {
		c <- 1
		return
	}
	c <- 2
	c <- 3
}

func exclusive(b bool) {
	switch {
	case b:
		c <- 1
	default:
	}
}

func looped() {
	for i := 0; i < 3; i++ {
		c <- i
	}
}
`
	want := map[string][2]int{
		"straight":  {2, model.NoPath},
		"branch":    {2, 1},
		"exclusive": {1, model.NoPath},
		"looped":    {-1, -1},
	}
	m := model.Parse("a.go", []byte(src))
	if len(m.Chans) == 0 {
		t.Fatal("no channel in the model")
	}
	c := m.Chans[0]
	for _, d := range m.AST.Decls {
		fd, ok := d.(*ast.FuncDecl)
		if !ok {
			continue
		}
		n, ok := m.MaxSends(c, fd.Body.List)
		got := [2]int{n.Through, n.Returned}
		for i, v := range got {
			if v < 0 {
				got[i] = model.NoPath // no path, however many sends precede it
			}
		}
		if !ok {
			got = [2]int{-1, -1}
		}
		if got != want[fd.Name.Name] {
			t.Errorf("%s: sends (through, returned) = %v, want %v", fd.Name.Name, got, want[fd.Name.Name])
		}
	}
}
