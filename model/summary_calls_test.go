package model_test

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/golens/golens/model"
)

// TestEffectsThroughCalls: a helper declared in another file of the
// package counts, through its own file's summary, for the calls written
// before the position asked about; a helper of the same file counts
// through the composed summary; Possible when the call is on some paths.
func TestEffectsThroughCalls(t *testing.T) {
	const a = `package p

import "sync"

type tracker struct{ wg sync.WaitGroup }

func (t *tracker) work(ok bool) {
	begin(&t.wg)
	if ok {
		t.fail()
		return
	}
	finish(&t.wg)
	local(&t.wg)
	t.wg.Done()
}

func local(wg *sync.WaitGroup) { wg.Add(1) }
`
	const b = `package p

import "sync"

func (t *tracker) fail() { t.wg.Done() }

func finish(wg *sync.WaitGroup) { defer wg.Done() }

func begin(wg *sync.WaitGroup) { wg.Add(1) }
`
	fset := token.NewFileSet()
	info := &types.Info{Uses: map[*ast.Ident]types.Object{}, Defs: map[*ast.Ident]types.Object{},
		Types: map[ast.Expr]types.TypeAndValue{}, Selections: map[*ast.SelectorExpr]*types.Selection{},
		Scopes: map[ast.Node]*types.Scope{}, Implicits: map[ast.Node]types.Object{}}
	var files []*ast.File
	for _, src := range []string{a, b} {
		f, err := parser.ParseFile(fset, "p.go", src, 0)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	if _, err := (&types.Config{Importer: importer.Default()}).Check("p", fset, files, info); err != nil {
		t.Fatal(err)
	}
	var pkg []*model.File
	for i, f := range files {
		src := a
		if i == 1 {
			src = b
		}
		pkg = append(pkg, model.Build(fset, f, []byte(src), info))
	}
	ma := pkg[0]
	var work *model.Func
	for _, fn := range ma.Funcs {
		if fn.Name == "(*tracker).work" {
			work = fn
		}
	}
	if work == nil {
		t.Fatal("no (*tracker).work")
	}
	wgField := info.Defs[files[0].Decls[1].(*ast.GenDecl).Specs[0].(*ast.TypeSpec).Type.(*ast.StructType).Fields.List[0].Names[0]]
	describe := func(es []*model.Effect) string {
		var got []string
		for _, e := range es {
			if ma.SummaryOf(work).TargetObject(e.Target) != wgField {
				continue
			}
			got = append(got, e.Kind.String()+" via "+e.Via+" line "+strconv.Itoa(ma.Line(e.At))+" "+e.Certainty.String())
		}
		sort.Strings(got)
		return strings.Join(got, "; ")
	}
	tests := []struct {
		before int // line; 0: every call
		want   string
	}{
		{0, "calls Add on via begin line 8 proven; calls Add on via local line 14 possible; calls Done on via finish line 13 possible; calls Done on via t.fail line 10 possible"},
		{13, "calls Add on via begin line 8 proven; calls Done on via t.fail line 10 possible"},
		{8, ""},
	}
	for _, tt := range tests {
		before := token.NoPos
		if tt.before > 0 {
			before = fset.File(files[0].Pos()).LineStart(tt.before)
		}
		if got := describe(ma.EffectsThroughCalls(work, before, pkg)); got != tt.want {
			t.Errorf("before line %d:\n got %s\nwant %s", tt.before, got, tt.want)
		}
	}
	// Without the package's other files only the file's own callee counts.
	if got, want := describe(ma.EffectsThroughCalls(work, token.NoPos, nil)), "calls Add on via local line 14 possible"; got != want {
		t.Errorf("file alone:\n got %s\nwant %s", got, want)
	}
}
