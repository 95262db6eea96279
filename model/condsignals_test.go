package model_test

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"strings"
	"testing"

	"github.com/golens/golens/model"
)

// TestCondSignals: the model records Signal and Broadcast of a sync.Cond,
// and not the methods of the same name on other types, on both tiers.
func TestCondSignals(t *testing.T) {
	const src = `package p

import "sync"

type bell struct{}

func (bell) Signal()    {}
func (bell) Broadcast() {}

type queue struct {
	mu   sync.Mutex
	cond *sync.Cond
}

func f(q *queue, b bell) {
	c := sync.NewCond(&q.mu)
	c.Signal()
	q.cond.Broadcast()
	b.Signal()
	b.Broadcast()
	c.Wait()
}
`
	want := "c.Signal q.cond.Broadcast"
	got := func(m *model.File) string {
		var out []string
		for _, s := range m.CondSignals() {
			name := "Signal"
			if s.Broadcast {
				name = "Broadcast"
			}
			out = append(out, s.Recv+"."+name)
		}
		return strings.Join(out, " ")
	}
	if g := got(model.Parse("a.go", []byte(src))); g != want {
		t.Errorf("syntax tier: CondSignals = %q, want %q", g, want)
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "a.go", src, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	info := &types.Info{Uses: map[*ast.Ident]types.Object{}, Defs: map[*ast.Ident]types.Object{},
		Types: map[ast.Expr]types.TypeAndValue{}, Selections: map[*ast.SelectorExpr]*types.Selection{}}
	if _, err := (&types.Config{Importer: importer.Default()}).Check("p", fset, []*ast.File{f}, info); err != nil {
		t.Fatal(err)
	}
	m := model.Build(fset, f, []byte(src), info)
	if g := got(m); g != want {
		t.Errorf("typed tier: CondSignals = %q, want %q", g, want)
	}
	if n := len(m.CondWaits()); n != 1 {
		t.Errorf("typed tier: %d Cond waits, want 1", n)
	}
}
