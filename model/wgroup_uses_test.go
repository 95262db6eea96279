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

// TestWaitGroupUses: how a package mentions each WaitGroup — the methods
// selected on it, and any other mention (passed, copied) — and which
// methods alone reach its counter.
func TestWaitGroupUses(t *testing.T) {
	files := map[string]string{
		"a.go": `package p

import "sync"

type s struct{ wg sync.WaitGroup }

var onlyDone sync.WaitGroup
var passed sync.WaitGroup

func a(x *s) {
	onlyDone.Done()
	x.wg.Add(1)
	f := x.wg.Wait
	f()
}
`,
		"b.go": `package p

import "sync"

func b(x *s) {
	onlyDone.Wait()
	x.wg.Done()
	help(&passed)
	passed.Wait()
}

func help(wg *sync.WaitGroup) { wg.Done() }
`,
	}
	fset := token.NewFileSet()
	var fs []*ast.File
	for _, name := range []string{"a.go", "b.go"} {
		f, err := parser.ParseFile(fset, name, files[name], 0)
		if err != nil {
			t.Fatal(err)
		}
		fs = append(fs, f)
	}
	info := &types.Info{Types: map[ast.Expr]types.TypeAndValue{}, Defs: map[*ast.Ident]types.Object{},
		Uses: map[*ast.Ident]types.Object{}, Selections: map[*ast.SelectorExpr]*types.Selection{}}
	pkg, err := (&types.Config{Importer: importer.Default()}).Check("p", fset, fs, info)
	if err != nil {
		t.Fatal(err)
	}
	p := model.NewPackage(fset, fs, info, pkg)
	var got []string
	for obj, u := range p.WaitGroupUses() {
		var sel []string
		for name := range u.Selected {
			sel = append(sel, name)
		}
		sort.Strings(sel)
		line := obj.Name() + ": " + strings.Join(sel, ",")
		if u.Other {
			line += " +other"
		}
		if u.MethodValue {
			line += " +methodvalue"
		}
		if u.OnlyCallsOf("Add", "Done", "Wait", "Go") {
			line += " onlyCalls"
		}
		if u.OnlyThrough("Done", "Wait") {
			line += " onlyDoneWait"
		}
		got = append(got, line)
	}
	sort.Strings(got)
	want := []string{
		"onlyDone: Done,Wait onlyCalls onlyDoneWait",
		"passed: Wait +other",
		"wg: Add,Done,Wait +methodvalue",  // f := x.wg.Wait
		"wg: Done onlyCalls onlyDoneWait", // help's parameter
	}
	if g, w := strings.Join(got, "\n"), strings.Join(want, "\n"); g != w {
		t.Errorf("WaitGroupUses:\n%s\nwant:\n%s", g, w)
	}
}
