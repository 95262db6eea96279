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

// TestReturnedClosed: a channel variable set from a function of the file
// that closes the channel it returns is closed by that function — only
// when the close (or the go statement of the literal holding it) is one of
// the function's own statements, and every return returns that channel.
func TestReturnedClosed(t *testing.T) {
	src := `package p

func count(n int) <-chan int {
	out := make(chan int)
	go func() {
		defer close(out)
		for i := 0; i < n; i++ {
			out <- i
		}
	}()
	return out
}

func maybe(n int) <-chan int {
	out := make(chan int)
	if n > 0 {
		go func() {
			defer close(out)
			out <- n
		}()
	}
	return out
}

func closedOnError(n int) chan int {
	out := make(chan int, 1)
	if n < 0 {
		close(out)
	}
	return out
}

func either(n int) chan int {
	a, b := make(chan int), make(chan int)
	close(a)
	if n > 0 {
		return b
	}
	return a
}

func direct() chan int {
	out := make(chan int, 1)
	out <- 1
	close(out)
	return out
}

func use() {
	c1 := count(3)
	c2 := maybe(3)
	c3 := closedOnError(3)
	c4 := either(3)
	c5 := direct()
	for range c1 {
	}
	for range c2 {
	}
	for range c3 {
	}
	for range c4 {
	}
	for range c5 {
	}
}
`
	for _, tier := range []struct {
		name string
		m    *model.File
	}{{"syntax", model.Parse("p.go", []byte(src))}, {"typed", typedModel(t, src)}} {
		want := map[string]string{
			"c1": "set at line 50 to the channel `count` returns, and `count` closes that channel (line 6)",
			"c2": "",
			"c3": "",
			"c4": "",
			"c5": "set at line 54 to the channel `direct` returns, and `direct` closes that channel (line 45)",
		}
		seen := 0
		for _, c := range tier.m.Chans {
			w, ok := want[c.Name]
			if !ok {
				continue
			}
			seen++
			got := c.Closed()
			if w != "" && (!got.ProvenTrue() || got.Why != w) {
				t.Errorf("%s: %s Closed() = %+v, want proven: %q", tier.name, c.Name, got, w)
			}
			if w == "" && (got.Certainty == model.Proven || !strings.Contains(got.Why, "does not follow")) {
				t.Errorf("%s: %s Closed() = %+v, want unknown (assigned from a value golens does not follow)", tier.name, c.Name, got)
			}
		}
		if seen != len(want) {
			t.Errorf("%s: %d of the %d channel variables are channels in the model", tier.name, seen, len(want))
		}
	}
}

// typedModel type-checks src as one package and builds its file's model
// with the types (model.Build).
func typedModel(t *testing.T, src string) *model.File {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	info := &types.Info{Types: map[ast.Expr]types.TypeAndValue{}, Defs: map[*ast.Ident]types.Object{},
		Uses: map[*ast.Ident]types.Object{}, Selections: map[*ast.SelectorExpr]*types.Selection{},
		Implicits: map[ast.Node]types.Object{}, Scopes: map[ast.Node]*types.Scope{}}
	if _, err := (&types.Config{Importer: importer.Default()}).Check("p", fset, []*ast.File{f}, info); err != nil {
		t.Fatal(err)
	}
	return model.Build(fset, f, []byte(src), info)
}
