package model_test

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"strconv"
	"strings"
	"testing"

	"github.com/golens/golens/model"
)

// checkedPackage type-checks src as one file of package p.
func checkedPackage(t *testing.T, src string) (*model.Package, *ast.File) {
	t.Helper()
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	info := &types.Info{Defs: map[*ast.Ident]types.Object{}, Uses: map[*ast.Ident]types.Object{},
		Types: map[ast.Expr]types.TypeAndValue{}, Selections: map[*ast.SelectorExpr]*types.Selection{}}
	pkg, err := (&types.Config{Importer: importer.Default()}).Check("p", fset, []*ast.File{file}, info)
	if err != nil {
		t.Fatal(err)
	}
	return model.NewPackage(fset, []*ast.File{file}, info, pkg), file
}

// funcBody is the body of the function declared as name.
func funcBody(t *testing.T, file *ast.File, name string) *ast.BlockStmt {
	t.Helper()
	for _, d := range file.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Name.Name == name {
			return fd.Body
		}
	}
	t.Fatalf("no func %s", name)
	return nil
}

const callTargetsSrc = `package p

import "fmt"

type loop struct {
	onEvent func()
	other   func()
}

func helper() {}
func declared()

func newLoop() *loop {
	l := &loop{onEvent: func() {}}
	l.onEvent = helper
	return l
}

func (l *loop) run(param func()) {
	func() {}()                // lit
	helper()                   // helper
	declared()                 // declared
	l.onEvent()                // field
	cb := l.onEvent
	cb()                       // local
	param()                    // param
	l.other()                  // unset
	fmt.Println()              // fmt
	_ = int(3)                 // conversion
}
`

// CallTargets: what each call of run may run, with its certainty.
func TestCallTargets(t *testing.T) {
	p, file := checkedPackage(t, callTargetsSrc)
	run := funcBody(t, file, "run")
	fset := p.Fset
	lines := strings.Split(callTargetsSrc, "\n")
	got := map[string]string{}
	ast.Inspect(run, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		line := lines[fset.Position(call.Pos()).Line-1]
		i := strings.Index(line, "// ")
		if i < 0 {
			return true
		}
		ct := p.CallTargets(call)
		var names []string
		for _, tg := range ct.Targets {
			names = append(names, tg.Name+"@"+strconv.Itoa(fset.Position(tg.Body.Pos()).Line))
		}
		got[line[i+3:]] = ct.Certainty.String() + " " + strings.Join(names, ",")
		return true
	})
	for _, c := range []struct{ call, want string }{
		{"lit", "proven a function literal@20"},
		{"helper", "proven helper@10"},
		{"declared", "unknown "},
		// Every function the package stores in the field: the literal
		// of newLoop's composite literal, and helper.
		{"field", "possible l.onEvent@14,l.onEvent@10"},
		{"local", "possible cb@14,cb@10"},
		{"param", "unknown "},
		{"unset", "unknown "},
		{"fmt", "unknown "},
		{"conversion", "unknown "},
	} {
		if got[c.call] != c.want {
			t.Errorf("%s: got %q, want %q", c.call, got[c.call], c.want)
		}
	}
}

const sendsReachedSrc = `package p

type node struct {
	in, out, stop chan int
	notify        func()
}

func (n *node) direct() {
	n.out <- 1
}

func (n *node) viaCall() {
	n.direct()
}

func (n *node) selects() {
	select {
	case n.out <- 2: // every other case a receive: listed, with its key
	case <-n.stop:
	}
	select {
	case n.out <- 3: // a default lets it go on: not listed
	default:
	}
	select {
	case n.out <- 4: // another send may be taken: not listed
	case n.in <- 4:
	}
}

func (n *node) started() {
	go n.direct()
	defer n.direct()
	_ = func() { n.in <- 5 }
}

func (n *node) recursive(k int) {
	if k > 0 {
		n.recursive(k - 1)
	}
	n.in <- 6
}

func (n *node) value() {
	n.notify()
}

func (n *node) setup() {
	n.notify = func() { n.in <- 7 }
}

func (n *node) deep0() { n.deep1() }
func (n *node) deep1() { n.deep2() }
func (n *node) deep2() { n.deep3() }
func (n *node) deep3() { n.deep4() }
func (n *node) deep4() { n.deep5() }
func (n *node) deep5() { n.deep6() }
func (n *node) deep6() { n.in <- 8 }
func (n *node) deep7() { n.deep0() }
`

// SendsReached: the sends a function's body can block on, through the
// calls it makes, with the way there and the certainty.
func TestSendsReached(t *testing.T) {
	for _, c := range []struct {
		fn   string
		want string // each send: line, channel, alternatives, via, certainty
	}{
		{"direct", "9 n.out proven"},
		{"viaCall", "9 n.out via direct proven"},
		{"selects", "18 n.out alts=1 proven"},
		{"started", ""},
		// Recursion ends: the depth falls on every call; each send once.
		{"recursive", "41 n.in proven"},
		{"value", "49 n.in via n.notify possible"},
		// Six calls deep is followed, seven is not.
		{"deep0", "58 n.in via deep1,deep2,deep3,deep4,deep5,deep6 proven"},
		{"deep7", ""},
	} {
		// A fresh package for each: the answer must not depend on which
		// question was asked before (the check once memoized the first
		// asker's cut-off recursion).
		p, file := checkedPackage(t, sendsReachedSrc)
		if c.fn == "deep0" {
			p.SendsReached(funcBody(t, file, "deep7")) // asked deeper first
		}
		var got []string
		for _, s := range p.SendsReached(funcBody(t, file, c.fn)) {
			d := strconv.Itoa(p.Fset.Position(s.Pos).Line) + " " + s.Text
			if len(s.Alts) > 0 {
				d += " alts=" + strconv.Itoa(len(s.Alts))
			}
			if len(s.Via) > 0 {
				d += " via " + strings.Join(s.Via, ",")
			}
			if s.Class == nil {
				d += " untracked"
			}
			got = append(got, d+" "+s.Certainty.String())
		}
		if g := strings.Join(got, "; "); g != c.want {
			t.Errorf("%s: got %q, want %q", c.fn, g, c.want)
		}
	}
}
