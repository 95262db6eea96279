package model_test

import (
	"go/ast"
	"testing"

	"github.com/golens/golens/model"
)

// TestLoopTrips: the passes of each loop of f, as the model proves them
// on the syntax tier (-1: not proven).
func TestLoopTrips(t *testing.T) {
	const src = `package p

func f(n int, xs []int) {
	for i := 0; i < 8; i++ {
	}
	for i := 2; i <= 4; i++ {
	}
	for i := 5; i > 0; i-- {
	}
	for range 3 {
	}
	for i := 0; i < n; i++ {
	}
	for i := 0; i < 8; i++ {
		i++
	}
	for i := 0; i < 8; i++ {
		if i == 3 {
			break
		}
	}
	for i := 0; i < 8; i++ {
		if i == 3 {
			return
		}
	}
	for range xs {
	}
	for {
		break
	}
	for _, s := range []string{"a", "b"} {
		_ = s
	}
	for range [...]int{1, 2, 3} {
	}
	for range [4]int{1} {
	}
	for range []int{2: 1} {
	}
}
`
	want := []int{8, 3, 5, 3, -1, -1, -1, 8, -1, -1, 2, 3, 4, -1}
	m := model.Parse("a.go", []byte(src))
	var got []int
	ast.Inspect(m.AST, func(n ast.Node) bool {
		switch s := n.(type) {
		case *ast.ForStmt, *ast.RangeStmt:
			k, ok := m.LoopTrips(s.(ast.Stmt))
			if !ok {
				k = -1
			}
			got = append(got, k)
		}
		return true
	})
	if len(got) != len(want) {
		t.Fatalf("got %d loops, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("loop %d: LoopTrips = %d, want %d", i+1, got[i], want[i])
		}
	}
}

// TestLoopPasses: the exact passes of each loop (-1: not proven): a return
// makes LoopTrips an upper bound only; a closure that reads the counter
// does not change it, one that writes it does; a range over a literal
// counts its elements.
func TestLoopPasses(t *testing.T) {
	const src = `package p

func f(ch chan int) {
	for i := 0; i < 4; i++ {
		go func() { ch <- i }()
	}
	for i := 0; i < 4; i++ {
		go func() { i++ }()
	}
	for i := 0; i < 8; i++ {
		if i == 3 {
			return
		}
	}
	for _, s := range []string{"a", "b", "c"} {
		_ = s
	}
	for _, s := range []string{0: "a", 1: "b"} {
		_ = s
	}
	for _, s := range []string{"a", "b"} {
		if s == "a" {
			continue
		}
	}
}
`
	want := []int{4, -1, -1, 3, -1, -1}
	m := model.Parse("a.go", []byte(src))
	var got []int
	ast.Inspect(m.AST, func(n ast.Node) bool {
		switch s := n.(type) {
		case *ast.ForStmt, *ast.RangeStmt:
			k, ok := m.LoopPasses(s.(ast.Stmt))
			if !ok {
				k = -1
			}
			got = append(got, k)
		}
		return true
	})
	if len(got) != len(want) {
		t.Fatalf("got %d loops, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("loop %d: LoopPasses = %d, want %d", i+1, got[i], want[i])
		}
	}
}
