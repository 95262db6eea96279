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

// FuncRefs sees every file of the package: a helper called directly in one
// file and deferred in another is deferred; one called by a deferred
// literal is marked so; one named as a value may be deferred anywhere.
func TestPackageFuncRefs(t *testing.T) {
	srcs := []string{`package p

func direct()     {}
func deferredB()  {}
func fromLit()    {}
func asValue()    {}

func a() {
	direct()
	deferredB()
	defer func() { fromLit() }()
	f := asValue
	f()
}
`, `package p

func b() {
	direct()
	defer deferredB()
}
`}
	fset := token.NewFileSet()
	var files []*ast.File
	for i, src := range srcs {
		f, err := parser.ParseFile(fset, string(rune('a'+i))+".go", src, 0)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	info := &types.Info{Defs: map[*ast.Ident]types.Object{}, Uses: map[*ast.Ident]types.Object{}}
	pkg, err := (&types.Config{Importer: importer.Default()}).Check("p", fset, files, info)
	if err != nil {
		t.Fatal(err)
	}
	refs := model.NewPackage(fset, files, info, pkg).FuncRefs()
	get := func(name string) model.FuncRefs {
		fn := pkg.Scope().Lookup(name).(*types.Func)
		if refs[fn] == nil {
			t.Fatalf("no refs for %s", name)
		}
		return *refs[fn]
	}
	if r := get("direct"); len(r.Calls) != 2 || r.Deferred || r.Value || r.FromDeferred {
		t.Errorf("direct: %+v, want two plain calls", r)
	}
	if r := get("deferredB"); !r.Deferred || len(r.Calls) != 1 {
		t.Errorf("deferredB: %+v, want deferred in b.go and one plain call", r)
	}
	if r := get("fromLit"); !r.FromDeferred || len(r.Calls) != 1 {
		t.Errorf("fromLit: %+v, want called from a deferred literal", r)
	}
	if r := get("asValue"); !r.Value {
		t.Errorf("asValue: %+v, want used as a value", r)
	}

	// RefersIn: a's body names direct, fromLit (inside a literal) and
	// asValue; b's body names neither fromLit nor asValue.
	p := model.NewPackage(fset, files, info, pkg)
	body := func(file *ast.File, name string) *ast.BlockStmt {
		for _, d := range file.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Name.Name == name {
				return fd.Body
			}
		}
		t.Fatalf("no func %s", name)
		return nil
	}
	fn := func(name string) *types.Func { return pkg.Scope().Lookup(name).(*types.Func) }
	for _, c := range []struct {
		in   *ast.BlockStmt
		name string
		want bool
	}{
		{body(files[0], "a"), "direct", true},
		{body(files[0], "a"), "fromLit", true},
		{body(files[0], "a"), "asValue", true},
		{body(files[1], "b"), "direct", true},
		{body(files[1], "b"), "fromLit", false},
		{body(files[1], "b"), "asValue", false},
		{body(files[0], "direct"), "direct", false},
	} {
		if got := p.RefersIn(fn(c.name), c.in); got != c.want {
			t.Errorf("RefersIn(%s, body at %v) = %v, want %v", c.name, fset.Position(c.in.Pos()), got, c.want)
		}
	}
}
