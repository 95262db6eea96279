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

const runCountsSrc = `package main

type s struct{}

func (s) started()  {}
func twice()        {}
func inLoop()       {}
func once()         {}
func asValue()      {}
func goTwice()      {}
func valueTwice()   {}
func Exported()     {}

func main() {
	go s{}.started()
	twice()
	twice()
	for range 3 {
		inLoop()
		go func() {}()
	}
	once()
	f := asValue
	f()
	go goTwice()
	go goTwice()
	g, h := valueTwice, valueTwice
	_, _ = g, h
	Exported()
	go func() {}()
}
`

// TestRunCounts pins how often the package runs each function: by one go
// statement, once outside loops, or any number of times.
func TestRunCounts(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "main.go", runCountsSrc, 0)
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
	exported := func(o types.Object) bool { return o.Exported() }
	decl := map[string]*ast.FuncDecl{}
	var lits []*ast.FuncLit
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncDecl:
			decl[n.Name.Name] = n
		case *ast.FuncLit:
			lits = append(lits, n)
		}
		return true
	})
	for _, tc := range []struct {
		name         string
		once, onlyGo bool
	}{
		{"main", true, false},
		{"started", true, true},
		{"twice", false, false},
		{"inLoop", false, false},
		{"once", true, false},
		{"asValue", false, false},
		{"goTwice", false, false},
		{"valueTwice", false, false},
		{"Exported", false, false},
	} {
		fd := decl[tc.name]
		if got := p.RunsOnce(fd, exported); got != tc.once {
			t.Errorf("RunsOnce(%s) = %v, want %v", tc.name, got, tc.once)
		}
		_, onlyGo := p.OnlyGoStart(fd, exported)
		if onlyGo != tc.onlyGo {
			t.Errorf("OnlyGoStart(%s) = %v, want %v", tc.name, onlyGo, tc.onlyGo)
		}
	}
	// The literal started in the loop runs once per pass; the one after it once.
	if len(lits) != 2 {
		t.Fatalf("want 2 literals, got %d", len(lits))
	}
	if p.RunsOnce(lits[0], exported) || !p.RunsOnce(lits[1], exported) {
		t.Errorf("RunsOnce(literal in loop, literal after) = %v, %v; want false, true",
			p.RunsOnce(lits[0], exported), p.RunsOnce(lits[1], exported))
	}
	if g, ok := p.GoStartOf(lits[0]); !ok || !g.InLoop {
		t.Errorf("GoStartOf(literal in loop) = %+v, %v; want a go statement in a loop", g, ok)
	}
}
