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

// condSrc has the early returns of started functions, each marked.
const condSrc = `package p

import "os"

type T int

func load() (int, error) { return 0, nil }

func own(n int, flag bool) {
	v, err := load()
	if err != nil { // reads-own
		return
	}
	if os.Getenv("X") == "" { // calls
		return
	}
	if T(n) == 0 && len(os.Args) > 0 { // conversion-builtin
		return
	}
	if flag { // param
		return
	}
	if func() bool { return v > 0 }() { // literal-call
		return
	}
	_ = v
}

func exec(cmd string, n int) {
	if cmd == "" {
		return
	}
	_ = n
}

func Run(cmd string, n int) {
	go exec(cmd, n) // run
}

func Checked(cmd string, n int) {
	if cmd == "" {
		return
	}
	go exec(cmd, n) // checked
}

func Assigned(cmd string, n int) {
	n = 2
	go exec(cmd, n) // assigned
}

func Local(n int) {
	cmd := "x"
	go exec(cmd, (n)) // local
}

func Later(cmd string, n int) {
	go exec(cmd, n) // later
	switch n {
	case 1:
	}
	if cmd == "" {
		return
	}
}

func Tail(cmds ...string) {
	go tail(cmds[0]) // variadic
}

func tail(xs ...string) {}
`

// TestDecidedInside: a condition is the function's own when it calls a
// function (a conversion and a builtin do not count, nor a call inside a
// literal's body) or reads a variable the function declares.
func TestDecidedInside(t *testing.T) {
	p, at := condPackage(t, condSrc)
	var body *ast.BlockStmt
	for _, d := range p.Files[0].Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Name.Name == "own" {
			body = fd.Body
		}
	}
	for _, c := range []struct {
		marker string
		holds  bool
		why    string
	}{
		{"reads-own", true, "it reads `err`, declared in the function"},
		{"calls", true, "it calls `os.Getenv`"},
		{"conversion-builtin", false, ""},
		{"param", false, ""},
		{"literal-call", true, "it calls a function literal"},
	} {
		ifs := first[*ast.IfStmt](t, at(c.marker))
		got := p.DecidedInside(ifs.Cond, body)
		if got.Certainty != model.Proven || got.Holds != c.holds || c.holds && got.Why != c.why {
			t.Errorf("DecidedInside(%s) = %+v, want holds %v (%q)", c.marker, got, c.holds, c.why)
		}
	}
}

// TestUncheckedParams: a parameter the go statement passes straight from
// the starter's own parameter, which the starter tests and assigns nowhere
// before the go statement (TestedBefore), carries the caller's value
// unchecked; a tested, assigned or local one does not; a test after the go
// statement does not count; a variadic call gives no facts.
func TestUncheckedParams(t *testing.T) {
	p, at := condPackage(t, condSrc)
	var exec, tail ast.Node
	for _, d := range p.Files[0].Decls {
		if fd, ok := d.(*ast.FuncDecl); ok {
			switch fd.Name.Name {
			case "exec":
				exec = fd
			case "tail":
				tail = fd
			}
		}
	}
	for _, c := range []struct {
		marker string
		fn     ast.Node
		want   string // param=holds, sorted by name
	}{
		{"run", exec, "cmd=true n=true"},
		{"checked", exec, "cmd=false n=true"},
		{"assigned", exec, "cmd=true n=false"},
		{"local", exec, "n=true"},
		{"later", exec, "cmd=true n=true"},
		{"variadic", tail, ""},
	} {
		g := first[*ast.GoStmt](t, at(c.marker))
		facts := p.UncheckedParams(g, c.fn)
		var got []string
		for _, name := range []string{"cmd", "n", "xs"} {
			for obj, f := range facts {
				if obj.Name() == name {
					if f.Certainty != model.Proven || f.Why == "" {
						t.Errorf("UncheckedParams(%s)[%s] = %+v: not proven, or no why", c.marker, name, f)
					}
					got = append(got, name+"="+map[bool]string{true: "true", false: "false"}[f.Holds])
				}
			}
		}
		if strings.Join(got, " ") != c.want {
			t.Errorf("UncheckedParams(%s) = %q, want %q", c.marker, strings.Join(got, " "), c.want)
		}
	}
}

// TestTestedBefore: each kind of test or change of a variable before a
// point counts (an if, a switch tag, a case, a loop condition, an
// assignment, an increment or decrement, also in a literal); a use that tests nothing, or one after
// the point, does not.
func TestTestedBefore(t *testing.T) {
	p, at := condPackage(t, `package p

func use(int) {}

func f(a, b, c, d, e, g, h, k, m, q int) {
	if a > 0 {
	}
	switch b {
	}
	switch {
	case c == 1:
	}
	for d < 3 {
	}
	e++
	m--
	q += 2
	g = 1
	func() { h = 2 }()
	use(k)
	use(0) // point
	if k > 0 {
	}
}
`)
	fd := p.Files[0].Decls[1].(*ast.FuncDecl)
	point := first[*ast.CallExpr](t, at("point")).Pos()
	for _, c := range []struct {
		name string
		why  string // "" when not tested
	}{
		{"a", "`a` is mentioned by an if condition before"},
		{"b", "`b` is mentioned by a switch before"},
		{"c", "`c` is mentioned by a case of a switch before"},
		{"d", "`d` is mentioned by a loop condition before"},
		{"e", "`e` is mentioned by an increment or decrement before"},
		{"m", "`m` is mentioned by an increment or decrement before"},
		{"q", "`q` is mentioned by an assignment before"}, // q += 2
		{"g", "`g` is mentioned by an assignment before"},
		{"h", "`h` is mentioned by an assignment before"},
		{"k", ""},
	} {
		var v types.Object
		for _, f := range fd.Type.Params.List {
			for _, n := range f.Names {
				if n.Name == c.name {
					v = p.Info.Defs[n]
				}
			}
		}
		got := model.TestedBefore(p.Info, fd.Body, v, point)
		if got.Certainty != model.Proven || got.Holds != (c.why != "") || c.why != "" && got.Why != c.why {
			t.Errorf("TestedBefore(%s) = %+v, want %q", c.name, got, c.why)
		}
	}
}

// TestCondFactsConcurrent: the package's condition facts are read by
// several checks at once; each reader gets the same answer (go test -race
// guards the memo).
func TestCondFactsConcurrent(t *testing.T) {
	p, at := condPackage(t, condSrc)
	ifs := first[*ast.IfStmt](t, at("reads-own"))
	g := first[*ast.GoStmt](t, at("run"))
	var exec ast.Node
	var body *ast.BlockStmt
	for _, d := range p.Files[0].Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Name.Name == "exec" {
			exec = fd
		} else if ok && fd.Name.Name == "own" {
			body = fd.Body
		}
	}
	done := make(chan [3]bool)
	for range 8 {
		go func() {
			done <- [3]bool{p.ErrorPath(ifs).ProvenTrue(), p.DecidedInside(ifs.Cond, body).ProvenTrue(), len(p.UncheckedParams(g, exec)) == 2}
		}()
	}
	for range 8 {
		if got := <-done; got != [3]bool{true, true, true} {
			t.Errorf("a concurrent reader got %v, want every fact", got)
		}
	}
}
