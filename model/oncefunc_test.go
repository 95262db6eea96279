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

// TestOnceFuncAt: on both tiers, each call marked in a comment is found at
// its selector with what the syntax proves about how often it makes a
// function; a method or a local variable named like the sync functions is
// not one.
func TestOnceFuncAt(t *testing.T) {
	const src = `package p

import gosync "sync"

var get = gosync.OnceValue(func() int { return 1 }) // OnceValue var=get

var a, b = 1, gosync.OnceFunc(func() {}) // OnceFunc var=b

type w struct{}

func (w) OnceFunc(f func()) func() { return f }

func f() {
	gosync.OnceFunc(func() {})() // OnceFunc now fn=f
	g := gosync.OnceValues(func() (int, error) { return 0, nil }) // OnceValues fn=f
	_ = g
	for range 3 {
		h := (gosync.OnceFunc)(func() {}) // OnceFunc fn=f loop
		h()
	}
	var x w
	x.OnceFunc(func() {})() // none
	{
		gosync := x
		gosync.OnceFunc(func() {})() // none
	}
}
`
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, "p.go", src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	info := &types.Info{Uses: map[*ast.Ident]types.Object{}, Defs: map[*ast.Ident]types.Object{},
		Types: map[ast.Expr]types.TypeAndValue{}, Selections: map[*ast.SelectorExpr]*types.Selection{}}
	if _, err := (&types.Config{Importer: importer.Default()}).Check("p", fset, []*ast.File{file}, info); err != nil {
		t.Fatal(err)
	}
	for _, tier := range []struct {
		name string
		m    *model.File
	}{{"syntax", model.Parse("p.go", []byte(src))}, {"typed", model.Build(fset, file, []byte(src), info)}} {
		m := tier.m
		for i, line := range strings.Split(src, "\n") {
			_, want, ok := strings.Cut(line, "// ")
			if !ok || !strings.Contains(line, ".Once") {
				continue
			}
			col := strings.Index(line, ".Once") + 1
			off := 0
			for _, l := range strings.Split(src, "\n")[:i] {
				off += len(l) + 1
			}
			for _, at := range []int{off + col, off + col + len("OnceFunc")} { // on the name, and just after it
				o := m.OnceFuncAt(m.Pos(at))
				got := "none"
				if o != nil {
					got = o.Name
					if o.PackageVar != "" {
						got += " var=" + o.PackageVar
					}
					if o.CalledAtOnce {
						got += " now"
					}
					if o.Func != nil {
						got += " fn=" + o.Func.Name
					}
					if o.Loop != nil {
						got += " loop"
					}
				}
				if got != want {
					t.Errorf("%s tier, line %d (offset %d): got %q, want %q", tier.name, i+1, at-off, got, want)
				}
			}
		}
	}
}
