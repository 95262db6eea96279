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

// condPackage type-checks src as one package and returns its model.Package
// (with its file's model, for the facts that read FuncAt) and a lookup of
// the innermost node of type T that starts on the line marked `// name`.
func condPackage(t *testing.T, src string) (*model.Package, func(name string) []ast.Node) {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	info := &types.Info{Types: map[ast.Expr]types.TypeAndValue{}, Defs: map[*ast.Ident]types.Object{},
		Uses: map[*ast.Ident]types.Object{}, Selections: map[*ast.SelectorExpr]*types.Selection{},
		Implicits: map[ast.Node]types.Object{}, Scopes: map[ast.Node]*types.Scope{}}
	pkg, err := (&types.Config{Importer: importer.Default()}).Check("p", fset, []*ast.File{f}, info)
	if err != nil {
		t.Fatal(err)
	}
	p := model.NewPackage(fset, []*ast.File{f}, info, pkg)
	m := model.BuildInPackage(p, f, []byte(src), nil)
	p.SetFileModels(func(*ast.File) *model.File { return m })
	// The nodes that start on a marked line, outermost first.
	at := func(name string) []ast.Node {
		line := 0
		for i, l := range strings.Split(src, "\n") {
			if strings.HasSuffix(l, "// "+name) {
				line = i + 1
			}
		}
		if line == 0 {
			t.Fatalf("no line marked %q", name)
		}
		var out []ast.Node
		ast.Inspect(f, func(n ast.Node) bool {
			if n != nil && fset.Position(n.Pos()).Line == line {
				out = append(out, n)
			}
			return true
		})
		return out
	}
	return p, at
}

// first returns the first node of type T in nodes.
func first[T ast.Node](t *testing.T, nodes []ast.Node) T {
	t.Helper()
	for _, n := range nodes {
		if x, ok := n.(T); ok {
			return x
		}
	}
	var zero T
	t.Fatalf("no %T on the marked line", zero)
	return zero
}

// TestErrorPath: an if is an error path when its condition reads a value
// of type error or its body sends on a channel of errors (not in a literal
// of the body); a sentinel test is not.
func TestErrorPath(t *testing.T) {
	p, at := condPackage(t, `package p

import "errors"

var errStop = errors.New("stop")

func work() error { return nil }

func f(v int, errc chan error, out chan int) {
	err := work()
	if err != nil { // plain
		return
	}
	if errors.Is(work(), errStop) { // call
		return
	}
	if v < 0 { // sends
		errc <- nil
		return
	}
	if v == 0 { // sentinel
		out <- v
		return
	}
	if v == 1 { // literal
		go func() { errc <- nil }()
		return
	}
}
`)
	for _, c := range []struct {
		marker string
		holds  bool
		why    string
	}{
		{"plain", true, "`err` is an error"},
		{"call", true, "`work()` is an error"},
		{"sends", true, "it sends on `errc`, a channel of errors"},
		{"sentinel", false, ""},
		{"literal", false, ""},
	} {
		ifs := first[*ast.IfStmt](t, at(c.marker))
		got := p.ErrorPath(ifs)
		if got.Certainty != model.Proven || got.Holds != c.holds || c.holds && got.Why != c.why {
			t.Errorf("ErrorPath(%s) = %+v, want holds %v (%q)", c.marker, got, c.holds, c.why)
		}
		if again := p.ErrorPath(ifs); again != got {
			t.Errorf("ErrorPath(%s) read twice: %+v, then %+v", c.marker, got, again)
		}
	}
}
