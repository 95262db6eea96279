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

// pkgSrc is one package in two files: the facts model.Package proves need
// both (the constructor and the Cond store in one, their uses in the
// other).
var pkgSrc = map[string]string{
	"a.go": `package p

import "sync"

type client struct{ mu sync.Mutex }

type api struct{ client *client }

func newAPI(c *client) *api { return &api{client: c} }

type store struct {
	mu       sync.RWMutex
	cond     *sync.Cond
	rcond    *sync.Cond
	replicas map[int]*replica
	bad      *sync.Cond
}

type replica struct{ store *store }

func newStore() *store {
	s := &store{replicas: make(map[int]*replica)}
	s.cond = sync.NewCond(&s.mu)
	s.rcond = sync.NewCond(s.mu.RLocker())
	s.bad = sync.NewCond(&s.mu)
	return s
}

func (s *store) add(k int) {
	r := &replica{store: s}
	s.replicas[k] = r
}

var shared = make(chan int)
var buffered = make(chan int, 4)
var one = make(chan int, 1)
`,
	"b.go": `package p

import "sync"

var other sync.Mutex

func use(c *client, s *store) {
	api := newAPI(c)
	_ = api.client.mu
	for _, r := range s.replicas {
		_ = r.store.mu
	}
	s.bad.L = &other
	var next chan int
	set := func() { next = shared }
	set()
	_ = next
}
`,
}

func typedPackage(t *testing.T) *model.Package {
	t.Helper()
	fset := token.NewFileSet()
	var files []*ast.File
	for _, name := range []string{"a.go", "b.go"} {
		f, err := parser.ParseFile(fset, name, pkgSrc[name], 0)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	info := &types.Info{Types: map[ast.Expr]types.TypeAndValue{}, Defs: map[*ast.Ident]types.Object{},
		Uses: map[*ast.Ident]types.Object{}, Selections: map[*ast.SelectorExpr]*types.Selection{}}
	pkg, err := (&types.Config{Importer: importer.Default()}).Check("p", fset, files, info)
	if err != nil {
		t.Fatal(err)
	}
	return model.NewPackage(fset, files, info, pkg)
}

// selectorIn finds the first selector expression spelled text in the
// package's files.
func selectorIn(p *model.Package, text string) ast.Expr {
	var found ast.Expr
	for _, f := range p.Files {
		ast.Inspect(f, func(n ast.Node) bool {
			if se, ok := n.(*ast.SelectorExpr); ok && found == nil && model.ExprText(se) == text {
				found = se
			}
			return found == nil
		})
	}
	return found
}

// TestPackageRefs: a path through a constructor's field is the argument
// the constructor stored there (api.client.mu is c.mu), and a path through
// a proven parent pointer is the holder (r.store.mu is s.mu): the facts
// deadlock compares lock instances by (root and path; the text stays as
// written, for messages).
func TestPackageRefs(t *testing.T) {
	p := typedPackage(t)
	for _, tc := range []struct{ expr, root, rawRoot, rawPath string }{
		{"api.client.mu", "c", "api", ".client.mu"},
		{"r.store.mu", "s", "r", ".store.mu"},
	} {
		e := selectorIn(p, tc.expr)
		if e == nil {
			t.Fatalf("no %s in the source", tc.expr)
		}
		got := p.Ref(e)
		if got.Root == nil || got.Root.Name() != tc.root || got.Path != ".mu" || got.Text != tc.expr {
			t.Errorf("Ref(%s) = %v%s (%q), want %s.mu", tc.expr, got.Root, got.Path, got.Text, tc.root)
		}
		raw := p.RawRef(e)
		if raw.Root == nil || raw.Root.Name() != tc.rawRoot || raw.Path != tc.rawPath {
			t.Errorf("RawRef(%s) = %v%s, want it as written", tc.expr, raw.Root, raw.Path)
		}
	}
}

// TestPackageCondLocks: a Cond's L is the mutex it was made with, read for
// sync.NewCond(s.mu.RLocker()); a Cond whose L is assigned elsewhere in
// the package has none.
func TestPackageCondLocks(t *testing.T) {
	p := typedPackage(t)
	got := map[string]model.CondLock{}
	for f, cl := range p.CondLocks() {
		got[f.Name()] = cl
	}
	if cl, ok := got["cond"]; !ok || cl.Name != "mu" || cl.Read {
		t.Errorf("cond: %+v, want mu, Lock", cl)
	}
	if cl, ok := got["rcond"]; !ok || cl.Name != "mu" || !cl.Read {
		t.Errorf("rcond: %+v, want mu, read-locked", cl)
	}
	if cl, ok := got["bad"]; ok {
		t.Errorf("bad's L is assigned in b.go, yet CondLocks gives %+v", cl)
	}
}

// TestPackageChans: buffers by class across the package's makes, and a
// local channel variable that only ever copies another.
func TestPackageChans(t *testing.T) {
	p := typedPackage(t)
	unbuffered, small := p.ChanBuffers()
	names := func(m map[types.Object]bool) string {
		var out []string
		for _, n := range []string{"shared", "buffered", "one"} {
			for o := range m {
				if o.Name() == n {
					out = append(out, n)
				}
			}
		}
		return strings.Join(out, ",")
	}
	if got := names(unbuffered); got != "shared" {
		t.Errorf("unbuffered: %s, want shared", got)
	}
	if got := names(small); got != "shared,one" {
		t.Errorf("buffer of at most one: %s, want shared,one", got)
	}
	aliases := p.ChanAliases()
	ok := false
	for from, to := range aliases {
		if from.Name() == "next" && to.Name() == "shared" {
			ok = true
		}
	}
	if !ok {
		t.Errorf("next only ever copies shared; ChanAliases = %v", aliases)
	}
}
