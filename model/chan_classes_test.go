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

// classPackage type-checks one file of package p and returns its facts.
func classPackage(t *testing.T, src string) *model.Package {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "c.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	info := &types.Info{Types: map[ast.Expr]types.TypeAndValue{}, Defs: map[*ast.Ident]types.Object{},
		Uses: map[*ast.Ident]types.Object{}, Selections: map[*ast.SelectorExpr]*types.Selection{}}
	pkg, err := (&types.Config{Importer: importer.Default()}).Check("p", fset, []*ast.File{f}, info)
	if err != nil {
		t.Fatal(err)
	}
	return model.NewPackage(fset, []*ast.File{f}, info, pkg)
}

// classOfLocal is the class of the local variable name declared in
// function fn.
func classOfLocal(t *testing.T, p *model.Package, fn, name string) *model.ChanClass {
	t.Helper()
	obj := p.Types.Scope().Lookup(fn)
	if obj == nil {
		t.Fatalf("no func %s", fn)
	}
	var found types.Object
	for id, o := range p.Info.Defs {
		if o != nil && id.Name == name && obj.Pos() <= id.Pos() && id.Pos() < p.FuncDecl(obj.(*types.Func)).End() {
			if found == nil || id.Pos() < found.Pos() {
				found = o
			}
		}
	}
	if found == nil {
		t.Fatalf("no %s in %s", name, fn)
	}
	c := p.ChanClasses().Of(found)
	if c == nil {
		t.Fatalf("%s.%s has no class", fn, name)
	}
	return c
}

// TestChanClasses pins the package's channel classes: what joins two
// variables, what counts as a send or close, and where golens loses sight
// of the channels (Unseen: Sent and Closed are then unknown, never a proven
// "none"). Programs of the shapes that decide a verdict were run: a
// receive from a channel read only by len and cap deadlocks.
func TestChanClasses(t *testing.T) {
	p := classPackage(t, `package p

import "fmt"

func capRead() {
	ch := make(chan int)
	fmt.Println(cap(ch), len(ch), ch == nil)
	<-ch
}

func printed() {
	pr := make(chan int)
	fmt.Println(pr)
	<-pr
}

func handed() {
	hc := make(chan int, 3)
	consume(hc)
	hc <- 1
}

func consume(in chan int) {
	for range in {
	}
	close(in)
}

func Exported(ex chan int) { <-ex }

func sender() {
	sc := make(chan int)
	go func() { sc <- 1 }()
	<-sc
}

type srv struct{ done chan struct{} }

func newSrv() *srv { return &srv{done: make(chan struct{})} }

func (s *srv) wait() { <-s.done }

func (s *srv) stop() { close(s.done) }

func fill[C ~chan int](c C) { c <- 1; close(c) }

func generic() {
	gc := make(chan int, 1)
	fill(gc)
	<-gc
}

func literal() {
	lc := make(chan int)
	go func(c chan int) { c <- 1 }(lc)
	<-lc
}
`)
	for _, tc := range []struct {
		fn, name      string
		sent, closed  model.Certainty
		sentHolds     bool
		closedHolds   bool
		unseen        bool
		lenCap, makes int
		buffered      bool
		varsAtLeast   int
	}{
		// len, cap and == nil read the channel without losing it.
		{fn: "capRead", name: "ch", sent: model.Proven, closed: model.Proven, lenCap: 2, makes: 1, varsAtLeast: 1},
		// Handed to another package's function: unknown.
		{fn: "printed", name: "pr", sent: model.Unknown, closed: model.Unknown, unseen: true, makes: 1},
		// Passed to a function of the package: one class with its
		// parameter, which ranges and closes.
		{fn: "handed", name: "hc", sent: model.Proven, sentHolds: true, closed: model.Proven, closedHolds: true, makes: 1, buffered: true, varsAtLeast: 2},
		{fn: "sender", name: "sc", sent: model.Proven, sentHolds: true, closed: model.Proven, makes: 1},
		// A literal called where it is written: its parameter joins
		// the class.
		{fn: "literal", name: "lc", sent: model.Proven, sentHolds: true, closed: model.Proven, makes: 1, varsAtLeast: 2},
		// A parameter whose type is a type parameter is not followed.
		{fn: "generic", name: "gc", sent: model.Unknown, closed: model.Unknown, unseen: true, makes: 1, buffered: true},
	} {
		c := classOfLocal(t, p, tc.fn, tc.name)
		s, cl := c.Sent(), c.Closed()
		if s.Certainty != tc.sent || s.Holds != tc.sentHolds {
			t.Errorf("%s: Sent = %+v, want %v holds=%v", tc.name, s, tc.sent, tc.sentHolds)
		}
		if cl.Certainty != tc.closed || cl.Holds != tc.closedHolds {
			t.Errorf("%s: Closed = %+v, want %v holds=%v", tc.name, cl, tc.closed, tc.closedHolds)
		}
		if c.Unseen != tc.unseen || len(c.LenCapReads) != tc.lenCap || len(c.Makes) != tc.makes || c.Buffered != tc.buffered {
			t.Errorf("%s: Unseen=%v (%s) LenCapReads=%d Makes=%d Buffered=%v", tc.name, c.Unseen, c.UnseenWhy, len(c.LenCapReads), len(c.Makes), c.Buffered)
		}
		if len(c.Vars) < tc.varsAtLeast {
			t.Errorf("%s: %d variables in the class, want at least %d", tc.name, len(c.Vars), tc.varsAtLeast)
		}
		if tc.unseen && (s.Why == "" || !c.UnseenAt.IsValid()) {
			t.Errorf("%s: unseen without saying where: %+v at %v", tc.name, s, c.UnseenAt)
		}
	}

	// An exported function's parameter: other packages pass their own
	// channels, so the class is unseen from its declaration.
	ex := p.ChanClasses().Of(p.Types.Scope().Lookup("Exported").(*types.Func).Type().(*types.Signature).Params().At(0))
	if ex == nil || !ex.Unseen || !ex.Sent().IsUnknown() {
		t.Errorf("Exported's parameter: %+v", ex)
	}

	// An unexported field, made in a composite literal, received in one
	// method and closed in another.
	srv := p.Types.Scope().Lookup("srv").Type().Underlying().(*types.Struct).Field(0)
	done := p.ChanClasses().Of(srv)
	if done == nil || done.Unseen || len(done.Makes) != 1 || !done.Closed().ProvenTrue() || !done.Sent().ProvenFalse() || len(done.Recvs) != 1 {
		t.Errorf("srv.done: %+v", done)
	}
}

// TestFileClosedReadsClass: on the typed tier with the package's facts,
// a file model's proven "nothing closes `x`" (the hover's and the hints'
// negative) holds only where the package's channel class proves it too;
// otherwise the model takes the class's reason. Without the package's
// facts the file model answers alone.
func TestFileClosedReadsClass(t *testing.T) {
	src := `package p

import "fmt"

func viaClosure() {
	gc := make(chan int)
	show := func(c chan int) { fmt.Println(len(c)) }
	show(gc)
	<-gc
}

func capRead() {
	ch := make(chan int)
	fmt.Println(cap(ch))
	<-ch
}
`
	for _, tc := range []struct {
		name     string
		withPkg  bool
		want     model.Certainty
		wantWhy  string
		neverSnt bool
	}{
		{name: "gc", withPkg: false, want: model.Proven},
		{name: "gc", withPkg: true, want: model.Unknown, wantWhy: "passed to `show`, which golens does not follow"},
		{name: "ch", withPkg: false, want: model.Proven},
		{name: "ch", withPkg: true, want: model.Proven},
	} {
		p := classPackage(t, src)
		m := model.Build(p.Fset, p.Files[0], []byte(src), p.Info)
		if tc.withPkg {
			m = model.BuildInPackage(p, p.Files[0], []byte(src), nil)
		}
		var c *model.Chan
		for _, x := range m.Chans {
			if x.Name == tc.name {
				c = x
			}
		}
		if c == nil {
			t.Fatalf("no channel %s", tc.name)
		}
		f := c.Closed()
		if f.Certainty != tc.want || f.Holds || tc.wantWhy != "" && f.Why != tc.wantWhy {
			t.Errorf("%s (package facts %v): Closed = %+v, want %v %q", tc.name, tc.withPkg, f, tc.want, tc.wantWhy)
		}
	}
}

// TestFieldClosedReadsClass: a field channel nothing in the file closes is
// proven never closed on the typed tier built in its package when no code
// of the package closes a channel of its class and none leaves sight; an
// exported field of an exported type takes the class's reason; a field
// the file hands on keeps the file's reason; and without the package's
// facts (one file) the file's "another file may close it" is all the
// model says.
func TestFieldClosedReadsClass(t *testing.T) {
	src := `package p

type actor struct {
	reqs  chan int
	other chan int
}

type Pub struct {
	Jobs chan int
}

func start() *actor {
	a := &actor{reqs: make(chan int), other: make(chan int)}
	go func() {
		for range a.reqs {
		}
		for range a.other {
		}
	}()
	return a
}

func NewPub() *Pub {
	p := &Pub{Jobs: make(chan int)}
	go func() {
		for range p.Jobs {
		}
	}()
	return p
}

func closeAny(c chan int) { close(c) }

func (a *actor) stop() { ch := a.other; closeAny(ch) }
`
	for _, tc := range []struct {
		name    string
		withPkg bool
		want    model.Certainty
		why     string
	}{
		{name: "reqs", withPkg: false, want: model.Unknown, why: "another file of the package may close it"},
		{name: "reqs", withPkg: true, want: model.Proven, why: "no code of the package closes"},
		{name: "Jobs", withPkg: true, want: model.Unknown, why: "nothing in this file closes, and it is"},
		{name: "other", withPkg: true, want: model.Unknown, why: "assigned to `ch` at line 34"},
	} {
		p := classPackage(t, src)
		m := model.Build(p.Fset, p.Files[0], []byte(src), p.Info)
		if tc.withPkg {
			m = model.BuildInPackage(p, p.Files[0], []byte(src), nil)
		}
		var c *model.Chan
		for _, x := range m.Chans {
			if x.Name == tc.name && x.IsField {
				c = x
			}
		}
		if c == nil {
			t.Fatalf("no channel %s", tc.name)
		}
		f := c.Closed()
		if f.Certainty != tc.want || f.Holds || !strings.Contains(f.Why, tc.why) {
			t.Errorf("%s (package facts %v): Closed = %+v, want %v %q", tc.name, tc.withPkg, f, tc.want, tc.why)
		}
	}
}

// TestInflowOnlyClass: a channel parameter of an exported function loses
// sight only of the channels other packages pass in (UnseenOnlyIn): a
// local that holds only its own make and is passed there stays followed,
// and the file proves nothing closes it; one the package hands out
// (stored in an exported variable) does not.
func TestInflowOnlyClass(t *testing.T) {
	src := `package p

func Fill(out chan<- int) { out <- 1 }

var Shared chan int

func use() {
	mine := make(chan int, 1)
	Fill(mine)
	<-mine
	given := make(chan int, 1)
	Shared = given
	<-given
}
`
	p := classPackage(t, src)
	m := model.BuildInPackage(p, p.Files[0], []byte(src), nil)
	for _, tc := range []struct {
		name      string
		inOnly    bool
		neverSure bool
	}{
		{"mine", true, true},
		{"given", false, false},
	} {
		var c *model.Chan
		for _, x := range m.Chans {
			if x.Name == tc.name {
				c = x
			}
		}
		if c == nil {
			t.Fatalf("no channel %s", tc.name)
		}
		var cls *model.ChanClass
		for id, o := range p.Info.Defs {
			if id.Name == tc.name && o != nil {
				cls = p.ChanClasses().Of(o)
			}
		}
		if cls == nil || !cls.Unseen || cls.UnseenOnlyIn() != tc.inOnly {
			t.Errorf("%s: class %+v, want unseen, only in %v", tc.name, cls, tc.inOnly)
		}
		if got := c.Closed().ProvenFalse(); got != tc.neverSure {
			t.Errorf("%s: Closed = %+v, want proven false %v", tc.name, c.Closed(), tc.neverSure)
		}
	}
}

// TestChanClassPassedResult: a call's result passed straight to a
// function joins that function's parameter (its receives are the class's);
// passed where golens does not follow it, the class is unseen.
func TestChanClassPassedResult(t *testing.T) {
	src := `package p

import "fmt"

func produce() <-chan int {
	ch := make(chan int)
	go func() { ch <- 1 }()
	return ch
}

func consume(in <-chan int) { <-in }

func a() { consume(produce()) }

func other() <-chan int {
	oc := make(chan int)
	go func() { oc <- 1 }()
	return oc
}

func b() { fmt.Println(other()) }
`
	p := classPackage(t, src)
	if c := classOfLocal(t, p, "produce", "ch"); len(c.Recvs) != 1 || c.Unseen {
		t.Errorf("produce's ch: %d receives, unseen %v; want consume's receive, seen", len(c.Recvs), c.Unseen)
	}
	if c := classOfLocal(t, p, "other", "oc"); !c.Unseen {
		t.Errorf("other's oc passed to fmt.Println: want unseen")
	}
}
