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

const chanFieldsSrc = `package p

type s struct {
	one     chan int // every store: make(chan int, 1)
	unbuf   chan int // make(chan int) in a literal and an assignment
	mixed   chan int // made with 1 and with 2
	other   chan int // also stored from a parameter
	addr    chan int // its address is taken
	multi   chan int // stored by a two-value assignment
	Public  chan int // exported: code outside may store anything
}

func newS(c chan int) *s {
	x := &s{one: make(chan int, 1), unbuf: make(chan int), mixed: make(chan int, 1)}
	x.unbuf = make(chan int)
	x.mixed = make(chan int, 2)
	x.other = make(chan int)
	x.other = c
	x.addr = make(chan int)
	p := &x.addr
	_ = p
	x.multi, x.one = pair()
	x.Public = make(chan int)
	return x
}

func pair() (chan int, chan int) { return nil, nil }

func (x *s) use() {
	x.one <- 1          // a send: not a read
	close(x.unbuf)      // a close: not a read
	_ = x.one == nil    // a comparison: not a read
	<-x.one             // read
	for range x.unbuf { // read
	}
	keep(x.one) // read: out of sight
}

func keep(chan int) {}
`

// TestPackageChanFields: a channel field's buffer is known only when every
// store into it is a make of one constant capacity (selfdeadlock reads
// it), and its reads are every selection but a send on it, a store into
// it, a close and a comparison.
func TestPackageChanFields(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "a.go", chanFieldsSrc, 0)
	if err != nil {
		t.Fatal(err)
	}
	info := &types.Info{Types: map[ast.Expr]types.TypeAndValue{}, Defs: map[*ast.Ident]types.Object{},
		Uses: map[*ast.Ident]types.Object{}, Selections: map[*ast.SelectorExpr]*types.Selection{}}
	pkg, err := (&types.Config{Importer: importer.Default()}).Check("p", fset, []*ast.File{f}, info)
	if err != nil {
		t.Fatal(err)
	}
	p := model.NewPackage(fset, []*ast.File{f}, info, pkg)
	st := pkg.Scope().Lookup("s").Type().Underlying().(*types.Struct)
	field := map[string]*types.Var{}
	for i := range st.NumFields() {
		field[st.Field(i).Name()] = st.Field(i)
	}
	for _, tc := range []struct {
		name  string
		cap   int
		known bool
	}{
		{"one", 0, false}, // also stored by x.multi, x.one = pair()
		{"unbuf", 0, true},
		{"mixed", 0, false},
		{"other", 0, false},
		{"addr", 0, false},
		{"multi", 0, false},
		{"Public", 0, false},
	} {
		c, known := p.FieldCapacity(field[tc.name])
		if known != tc.known || known && c != tc.cap {
			t.Errorf("FieldCapacity(%s) = %d, %v; want %d, %v", tc.name, c, known, tc.cap, tc.known)
		}
	}
	lines := func(name string) []int {
		var out []int
		for _, pos := range p.ChanFieldReads()[field[name]] {
			out = append(out, fset.Position(pos).Line)
		}
		return out
	}
	if got := lines("one"); len(got) != 2 || got[0] != 33 || got[1] != 36 {
		t.Errorf("reads of one at lines %v, want [33 36]", got)
	}
	if got := lines("unbuf"); len(got) != 1 || got[0] != 34 {
		t.Errorf("reads of unbuf at lines %v, want [34]", got)
	}
}

// TestPackageChanFieldCapacity: a field made with the same constant
// capacity everywhere has that capacity.
func TestPackageChanFieldCapacity(t *testing.T) {
	src := `package p

const n = 2

type q struct{ jobs chan int }

func newQ() *q { return &q{jobs: make(chan int, n)} }

func (x *q) reset() { x.jobs = make(chan int, 2) }
`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "q.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	info := &types.Info{Types: map[ast.Expr]types.TypeAndValue{}, Defs: map[*ast.Ident]types.Object{},
		Uses: map[*ast.Ident]types.Object{}, Selections: map[*ast.SelectorExpr]*types.Selection{}}
	pkg, err := (&types.Config{}).Check("p", fset, []*ast.File{f}, info)
	if err != nil {
		t.Fatal(err)
	}
	p := model.NewPackage(fset, []*ast.File{f}, info, pkg)
	jobs := pkg.Scope().Lookup("q").Type().Underlying().(*types.Struct).Field(0)
	if c, known := p.FieldCapacity(jobs); !known || c != 2 {
		t.Errorf("FieldCapacity(jobs) = %d, %v; want 2, true", c, known)
	}
}
