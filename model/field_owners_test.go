package model_test

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"testing"

	"github.com/golens/golens/model"
)

const ownersSrc = `package main

type stage struct {
	in   chan int
	next *stage
	kids []*stage
}

type ring struct {
	in   chan int
	next *ring
}

func main() {
	last := &stage{in: make(chan int)}
	first := &stage{in: make(chan int), next: &stage{in: make(chan int), next: last}}
	close(first.in)
	close(first.next.in)
	close(last.in)
	for _, c := range first.kids {
		close(c.in)
	}
	r := &ring{in: make(chan int)}
	r.next = r
	close(r.in)
	close(r.next.in)
}
`

// TestOtherOwner pins which closes the package's allocations tell apart:
// first.in is never first.next.in (no store to next holds first), but
// last.in may be (last is stored in next), and r.in may be r.next.in (r
// is stored in its own next). A range variable over first.kids is read
// from first.kids[] (ValueOrigin).
func TestOtherOwner(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "main.go", ownersSrc, 0)
	if err != nil {
		t.Fatal(err)
	}
	info := &types.Info{Defs: map[*ast.Ident]types.Object{}, Uses: map[*ast.Ident]types.Object{},
		Selections: map[*ast.SelectorExpr]*types.Selection{}, Types: map[ast.Expr]types.TypeAndValue{}}
	pkg, err := (&types.Config{Importer: importer.Default()}).Check("main", fset, []*ast.File{f}, info)
	if err != nil {
		t.Fatal(err)
	}
	p := model.NewPackage(fset, []*ast.File{f}, info, pkg)
	closes := map[string]ast.Expr{}
	var rangeVar types.Object
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr:
			if id, ok := n.Fun.(*ast.Ident); ok && id.Name == "close" {
				closes[types.ExprString(n.Args[0])] = n.Args[0]
			}
		case *ast.RangeStmt:
			rangeVar = info.Defs[n.Value.(*ast.Ident)]
		}
		return true
	})
	for _, c := range []struct {
		x, y  string
		other bool
	}{
		{"first.in", "first.next.in", true},
		{"first.next.in", "first.in", true},
		{"last.in", "first.next.in", false},
		{"r.in", "r.next.in", false},
		{"first.in", "last.in", false}, // two locals: CloseOfOtherValue's own rule
	} {
		if got := p.OtherOwner(closes[c.x], closes[c.y]); got != c.other {
			t.Errorf("OtherOwner(%s, %s) = %v, want %v", c.x, c.y, got, c.other)
		}
	}
	r, ok := p.ValueOrigin(rangeVar)
	if !ok || r.Root == nil || r.Root.Name() != "first" || r.Path != ".kids[]" {
		t.Errorf("ValueOrigin(c) = %v %q, %v; want first .kids[]", r.Root, r.Path, ok)
	}
}
