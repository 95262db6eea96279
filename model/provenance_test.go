package model_test

import (
	"go/ast"
	"go/token"
	"sort"
	"strings"
	"testing"

	"github.com/golens/golens/model"
)

// TestProvenance: the local variables a value is computed from, followed
// back through assignments, with both ends of a multi-value assignment.
func TestProvenance(t *testing.T) {
	const src = `package p

import "io"

var global int

func f(arg int) {
	r, w := io.Pipe()
	buf := make([]byte, arg)
	n := len(buf)
	var s struct{ x int }
	s.x = n
	other := 1
	use(w, s.x, other, global, func() { _ = buf })
	_ = r
}

func use(...any) {}
`
	m := model.Parse("p.go", []byte(src))
	var f *model.Func
	for _, fn := range m.Funcs {
		if fn.Name == "f" {
			f = fn
		}
	}
	if f == nil {
		t.Fatal("no func f")
	}
	// The call use(...) is the last but one statement.
	call := f.Body.List[len(f.Body.List)-2].(*ast.ExprStmt).X.(*ast.CallExpr)
	names := map[token.Pos]string{}
	ast.Inspect(f.Body, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && m.DeclPos(id) == id.Pos() {
			names[id.Pos()] = id.Name
		}
		return true
	})
	prov := m.Provenance(f)
	for _, c := range []struct {
		arg  int
		want string
	}{
		{0, "r w"},   // w and, through io.Pipe(), r
		{1, "s"},     // s.x is s (its field assignment does not define s)
		{2, "other"}, // a constant: no further roots
		{3, ""},      // a package-level variable is not a local
		{4, ""},      // function literals are not entered
	} {
		out := map[token.Pos]bool{}
		prov.Roots(call.Args[c.arg], out)
		var got []string
		for p := range out {
			got = append(got, names[p])
		}
		sort.Strings(got)
		if g := strings.Join(got, " "); g != c.want {
			t.Errorf("roots of argument %d = %q, want %q", c.arg, g, c.want)
		}
	}
}
