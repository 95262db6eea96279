package model_test

import (
	"go/ast"
	"strconv"
	"strings"
	"testing"

	"github.com/golens/golens/model"
)

// TestLoopsAround: the loops that repeat each marked send, innermost
// first, as the lines their statements start on; a loop outside a
// function literal does not count for a send inside it.
func TestLoopsAround(t *testing.T) {
	const src = `package p

func f(c chan int, xs []int) {
	c <- 0 // none
	for i := 0; i < 3; i++ { // line 5
		c <- 1 // 5
		for range xs { // line 7
			c <- 2 // 7 5
		}
		go func() {
			c <- 3 // none (a literal)
			for { // line 12
				c <- 4 // 12
			}
		}()
	}
}
`
	want := map[string]string{"0": "", "1": "5", "2": "7 5", "3": "", "4": "12"}
	m := model.Parse("a.go", []byte(src))
	seen := 0
	ast.Inspect(m.AST, func(n ast.Node) bool {
		s, ok := n.(*ast.SendStmt)
		if !ok {
			return true
		}
		seen++
		v := s.Value.(*ast.BasicLit).Value
		loops, fn := m.LoopsAround(s.Pos())
		var lines []string
		for _, l := range loops {
			lines = append(lines, strconv.Itoa(m.Line(l.Pos())))
		}
		if got := strings.Join(lines, " "); got != want[v] {
			t.Errorf("send %s: loops at lines %q, want %q", v, got, want[v])
		}
		if fn == nil || s.Pos() < fn.Body.Pos() || s.Pos() >= fn.Body.End() {
			t.Errorf("send %s: function %v does not hold it", v, fn)
		}
		if inner := m.InnermostLoop(s.Pos()); (inner == nil) != (len(loops) == 0) || inner != nil && inner != loops[0] {
			t.Errorf("send %s: InnermostLoop disagrees with LoopsAround", v)
		}
		return true
	})
	if seen != len(want) {
		t.Fatalf("saw %d sends, want %d", seen, len(want))
	}
}
