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

// TestDurationBothTiers: a time call's constant duration (TimeCall.Value)
// is the same text on the syntax tier as on the typed tier for the common
// written forms, and empty on the syntax tier where only types can tell
// (a named constant, a shadowed time). Hover and hints both print it, so
// before this they said "1500ms" and "1.5s" for the same Sleep.
func TestDurationBothTiers(t *testing.T) {
	src := `package p

import "time"

const d = 3 * time.Second

func f() {
	time.Sleep(1500 * time.Millisecond)
	time.Sleep(time.Second * 2)
	time.Sleep(time.Minute)
	time.Sleep(2 * time.Second)
	time.Sleep(d)
	<-time.After(10)
}

func g(time interface{ Sleep(int) }) {}
`
	want := []struct{ syntax, typed string }{
		{"1.5s", "1.5s"}, {"2s", "2s"}, {"1m0s", "1m0s"}, {"2s", "2s"}, {"", "3s"}, {"10ns", "10ns"},
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	info := &types.Info{Uses: map[*ast.Ident]types.Object{}, Defs: map[*ast.Ident]types.Object{},
		Types: map[ast.Expr]types.TypeAndValue{}, Selections: map[*ast.SelectorExpr]*types.Selection{}}
	if _, err := (&types.Config{Importer: importer.Default()}).Check("p", fset, []*ast.File{f}, info); err != nil {
		t.Fatal(err)
	}
	syn, typed := model.Parse("p.go", []byte(src)), model.Build(fset, f, []byte(src), info)
	if len(syn.TimeCalls) != len(want) || len(typed.TimeCalls) != len(want) {
		t.Fatalf("%d and %d time calls, want %d", len(syn.TimeCalls), len(typed.TimeCalls), len(want))
	}
	for i, w := range want {
		if got := syn.TimeCalls[i].Value; got != w.syntax {
			t.Errorf("syntax tier, %s: %q, want %q", syn.TimeCalls[i].Arg, got, w.syntax)
		}
		if got := typed.TimeCalls[i].Value; got != w.typed {
			t.Errorf("typed tier, %s: %q, want %q", typed.TimeCalls[i].Arg, got, w.typed)
		}
	}
}
