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

// TestChanRefs: every mention of a channel variable, parameter and field
// is listed with what it does there, on both tiers, and each operation
// mention carries the model's own operation.
func TestChanRefs(t *testing.T) {
	const src = `package p

type s struct{ f chan int }

func use(chan int) {}

func g(x *s, p chan int) {
	ch := make(chan int, 1)
	ch <- 1
	<-ch
	_ = len(ch) + cap(ch)
	for range ch {
	}
	close((ch))
	use(ch)
	_ = &ch
	ch = nil
	x.f <- <-p
	_ = s{f: ch}
	if ch != nil {
	}
	go func() { ch <- 2 }()
	var other chan int
	for _, other = range []chan int{ch} {
	}
	_ = other
L:
	for {
		break L
	}
}
`
	want := map[string]string{
		"ch":    "def send receive len len range close other addr def other other(==) send other",
		"p":     "def receive",
		"other": "def def other",
	}
	fset := token.NewFileSet()
	syntax := model.Parse("a.go", []byte(src))
	f, err := parser.ParseFile(fset, "a.go", src, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	info := &types.Info{Uses: map[*ast.Ident]types.Object{}, Defs: map[*ast.Ident]types.Object{},
		Types: map[ast.Expr]types.TypeAndValue{}, Selections: map[*ast.SelectorExpr]*types.Selection{}}
	if _, err := (&types.Config{Importer: importer.Default()}).Check("p", fset, []*ast.File{f}, info); err != nil {
		t.Fatal(err)
	}
	typed := model.Build(fset, f, []byte(src), info)
	for _, tc := range []struct {
		tier string
		m    *model.File
		f    string // the field's mentions: the literal key is a field only when typed
	}{
		{"syntax", syntax, "def send"},
		{"typed", typed, "def send def"},
	} {
		want["f"] = tc.f
		got := map[string]string{}
		for _, c := range tc.m.Chans {
			var kinds []string
			for _, r := range c.Refs() {
				kind := r.Kind.String()
				if r.Compared {
					kind += "(==)" // a comparison: OnlyReads, as len and cap
				}
				kinds = append(kinds, kind)
				isOp := r.Kind == model.RefSend || r.Kind == model.RefRecv || r.Kind == model.RefRange || r.Kind == model.RefClose
				if isOp != (r.Op != nil) || r.Op != nil && (r.Op.Chan != c || r.Kind.String() != r.Op.Kind.String()) {
					t.Errorf("%s: %s at line %d: op %v", tc.tier, c.Name, tc.m.Line(r.Ident.Pos()), r.Op)
				}
				if r.Ident.Name != strings.TrimPrefix(c.Name, "x.") {
					t.Errorf("%s: %s: mention %s", tc.tier, c.Name, r.Ident.Name)
				}
			}
			got[c.Name] = strings.Join(kinds, " ")
		}
		for name, w := range want {
			if got[name] != w {
				t.Errorf("%s: Refs of %s = %q, want %q", tc.tier, name, got[name], w)
			}
		}
	}
}
