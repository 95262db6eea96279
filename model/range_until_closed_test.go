package model_test

import (
	"go/ast"
	"strings"
	"testing"

	"github.com/golens/golens/model"
)

// TestRangeUntilClosed: which worker bodies stay in their range over jobs
// until jobs is closed. Each verdict on a labelled branch was decided by
// running the program (a labelled continue of the range and a labelled
// break of an inner loop deadlock with the Wait before the close).
func TestRangeUntilClosed(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		want       bool
	}{
		{"plain", `for j := range jobs { use(j) }`, true},
		{"labelled, continue of itself, break of an inner loop", `
outer:
	for j := range jobs {
		if j < 0 {
			continue outer
		}
	inner:
		for k := range 3 {
			if k == j {
				break inner
			}
		}
	}`, true},
		{"break of a switch inside", `for j := range jobs { switch j { case 0: break } }`, true},
		{"labelled break of itself", `
outer:
	for j := range jobs {
		if j < 0 {
			break outer
		}
	}`, false},
		{"return in the body", `for j := range jobs { if j < 0 { return } }`, false},
		{"return before the range", `if len(jobs) == 0 { return }
	for j := range jobs { use(j) }`, false},
		{"panic in the body", `for j := range jobs { if j < 0 { panic(j) } }`, false},
		{"a call named like an exit", `for j := range jobs { if j < 0 { logger.Fatal(j) } }`, false},
		{"a return in a literal does not leave", `for j := range jobs { f := func() int { return j }; use(f()) }`, true},
		{"not a top-level statement", `if ok { for j := range jobs { use(j) } }`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := "package p\n\nfunc worker(jobs chan int, ok bool) {\n\t" + tc.body + "\n}\n"
			m := model.Parse("p.go", []byte(src))
			var body *ast.BlockStmt
			var rs *ast.RangeStmt
			ast.Inspect(m.AST, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.FuncDecl:
					body = n.Body
				case *ast.RangeStmt:
					if x, ok := n.X.(*ast.Ident); ok && x.Name == "jobs" && rs == nil {
						rs = n
					}
				}
				return true
			})
			if got := m.RangeUntilClosed(body, rs); got != tc.want {
				t.Errorf("RangeUntilClosed = %v, want %v\n%s", got, tc.want, src)
			}
		})
	}
}

// TestCallsBefore: the calls that run before a point on every path to it,
// outer lists first; not those in other branches, after it, or in
// literals.
func TestCallsBefore(t *testing.T) {
	src := `package p

func f(ok bool) {
	a()
	go func() { lit() }()
	if ok {
		other()
		return
	}
	for {
		b()
		select {
		case <-ch:
			c()
			target()
			after()
		}
	}
	later()
}
`
	m := model.Parse("p.go", []byte(src))
	var body *ast.BlockStmt
	var at ast.Node
	ast.Inspect(m.AST, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncDecl:
			body = n.Body
		case *ast.CallExpr:
			if id, ok := n.Fun.(*ast.Ident); ok && id.Name == "target" {
				at = n
			}
		}
		return true
	})
	var names []string
	for _, c := range model.CallsBefore(body, at.Pos()) {
		names = append(names, c.Fun.(*ast.Ident).Name)
	}
	if got, want := strings.Join(names, " "), "a b c"; got != want {
		t.Errorf("CallsBefore = %q, want %q", got, want)
	}
}
