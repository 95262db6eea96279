package model_test

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"sort"
	"strings"
	"testing"

	"github.com/golens/golens/model"
)

// TestChanFieldWrites: every way a file can set a channel field counts,
// and a field that is only operated on does not.
func TestChanFieldWrites(t *testing.T) {
	const src = `package p

type s struct {
	assigned, keyed, addr, ranged, onlyUsed chan int
	n int
}

type pair struct {
	a chan int
	b chan int
}

func set(p *chan int) {}

func f(x *s, in []chan int) {
	x.assigned = make(chan int)
	_ = &s{keyed: nil}
	set(&x.addr)
	for _, x.ranged = range in {
	}
	x.onlyUsed <- 1
	_ = pair{nil, nil}
}
`
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
	var got []string
	for v := range model.Build(fset, f, []byte(src), info).ChanFieldWrites() {
		got = append(got, v.Name())
	}
	sort.Strings(got)
	if g, want := strings.Join(got, " "), "a addr assigned b keyed ranged"; g != want {
		t.Errorf("ChanFieldWrites = %q, want %q", g, want)
	}
	if w := model.Parse("a.go", []byte(src)).ChanFieldWrites(); w != nil {
		t.Errorf("syntax tier: ChanFieldWrites = %v, want nil (no types)", w)
	}
}
