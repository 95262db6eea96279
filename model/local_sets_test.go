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

// LocalValues: each value paired one to one with a local variable, in
// file order; not a package variable's, not one of several a call
// returns.
func TestPackageLocalValues(t *testing.T) {
	const src = `package p

var global = func() {}

func two() (func(), error) { return nil, nil }

func f(param func()) {
	run := func() {}
	run = param
	var other = g
	h, err := two()
	_, _, _ = run, other, h
	_ = err
	global = nil
}

func g() {}
`
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	info := &types.Info{Defs: map[*ast.Ident]types.Object{}, Uses: map[*ast.Ident]types.Object{}}
	pkg, err := (&types.Config{Importer: importer.Default()}).Check("p", fset, []*ast.File{file}, info)
	if err != nil {
		t.Fatal(err)
	}
	p := model.NewPackage(fset, []*ast.File{file}, info, pkg)
	vars := map[string]*types.Var{}
	for id, obj := range info.Defs {
		if v, ok := obj.(*types.Var); ok {
			vars[id.Name] = v
		}
	}
	for _, c := range []struct{ name, want string }{
		{"run", "(func() literal)|param"},
		{"other", "g"},
		{"h", ""},
		{"param", ""},
		{"global", ""},
	} {
		var got []string
		for _, e := range p.LocalValues(vars[c.name]) {
			got = append(got, types.ExprString(e))
		}
		if strings.Join(got, "|") != c.want {
			t.Errorf("LocalValues(%s) = %q, want %q", c.name, got, c.want)
		}
	}
}
