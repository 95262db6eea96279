package model_test

import (
	"go/ast"
	"strings"
	"testing"

	"github.com/golens/golens/model"
)

// TestStmtsBefore pins the statements that have completed before an
// operation: those before it in each enclosing block and case body,
// innermost first, and none of a function literal's caller.
func TestStmtsBefore(t *testing.T) {
	src := `package p

func f(ch chan int, k int) {
	a := 1
	if a > 0 {
		b := 2
		_ = b
	}
	switch k {
	case 1:
		c := 3
		_ = c
		<-ch // here
	}
	go func() {
		d := 4
		_ = d
		ch <- 1 // lit
	}()
}
`
	m := model.Parse("p.go", []byte(src))
	at := func(marker string) int {
		i := strings.Index(src, marker)
		return strings.LastIndex(src[:i], "\t") + 1
	}
	text := func(stmts []ast.Stmt) []string {
		var out []string
		for _, s := range stmts {
			out = append(out, m.Text(s.Pos(), s.End()))
		}
		return out
	}
	got := text(m.StmtsBefore(m.Pos(at("<-ch // here"))))
	want := []string{"c := 3", "_ = c", "a := 1", "if a > 0 {\n\t\tb := 2\n\t\t_ = b\n\t}"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("StmtsBefore(<-ch) = %q, want %q", got, want)
	}
	got = text(m.StmtsBefore(m.Pos(at("ch <- 1 // lit"))))
	want = []string{"d := 4", "_ = d"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("StmtsBefore(ch <- 1 in a literal) = %q, want %q", got, want)
	}
}
