package chanutil

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/tools/go/ast/astutil"

	"github.com/golens/golens/internal/hugefunc"
)

// TestPathEnclosingIntervalSameAsAstutil compares pathEnclosingInterval
// with astutil.PathEnclosingInterval, path and exact, on random intervals
// and on intervals at and around every node's bounds, over files of the
// standard library, the same files cut short or with bytes deleted (the
// parser's recovery makes odd trees), and generated files with long lists
// of every kind the search handles.
func TestPathEnclosingIntervalSameAsAstutil(t *testing.T) {
	rng := rand.New(rand.NewPCG(10, 7))
	var files []string
	root := filepath.Join(runtime.GOROOT(), "src")
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".go") {
			files = append(files, p)
		}
		return nil
	})
	if len(files) == 0 {
		t.Skip("no GOROOT sources")
	}
	// A sample of std's files, each three ways; GOLENS_ENCLOSING_EVERY=1
	// compares on all of them (minutes).
	every := 100
	if raceEnabled || testing.Short() {
		every = 1000
	}
	if e, err := strconv.Atoi(os.Getenv("GOLENS_ENCLOSING_EVERY")); err == nil && e > 0 {
		every = e
	}
	stats := &compareStats{}
	for i, p := range files {
		if i%every != 0 {
			continue
		}
		src, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		compareOn(t, rng, p, src, stats)
		// Broken variants: cut in the middle, and a few bytes deleted.
		if len(src) > 100 {
			compareOn(t, rng, p+"#cut", src[:rng.IntN(len(src))], stats)
			broken := []byte(string(src))
			for range 3 {
				k := rng.IntN(len(broken))
				broken = append(broken[:k], broken[k+1:]...)
			}
			compareOn(t, rng, p+"#deleted", broken, stats)
		}
	}
	for _, kind := range hugefunc.Kinds {
		src, _ := hugefunc.File(kind, 300)
		compareOn(t, rng, "huge-"+kind, src, stats)
	}
	for name, src := range longLists() {
		compareOn(t, rng, name, src, stats)
		compareOn(t, rng, name+"#cut", src[:len(src)*2/3], stats)
	}
	if stats.searched == 0 {
		t.Error("no lookup went through a searched list")
	}
	t.Logf("%d files, %d intervals compared (%d exact, %d through a searched list)",
		stats.files, stats.intervals, stats.exact, stats.searched)
}

type compareStats struct{ files, intervals, exact, searched int }

// longLists are files with one long list of each kind the search handles,
// with comments, blank lines and odd spacing between the elements.
func longLists() map[string][]byte {
	rep := func(n int, f func(i int) string) string {
		var b strings.Builder
		for i := range n {
			b.WriteString(f(i))
		}
		return b.String()
	}
	return map[string][]byte{
		"decls": []byte("// Package p.\npackage p\n\n" + rep(100, func(i int) string {
			return fmt.Sprintf("// f%d does.\nfunc f%d() {}\n\n  var v%d = %d // trailing\n", i, i, i, i)
		})),
		"genspecs": []byte("package p\n\nvar (\n" + rep(100, func(i int) string {
			return fmt.Sprintf("\t// doc\n\tv%d, w%d = %d, %d\n\n", i, i, i, i)
		}) + ")\n"),
		"complit": []byte("package p\n\nvar x = map[string][]int{\n" + rep(100, func(i int) string {
			return fmt.Sprintf("\t\"k%d\":   {%d, %d}, // c\n", i, i, i+1)
		}) + "}\n"),
		"callargs": []byte("package p\n\nfunc f(...any) {}\n\nfunc g(xs []any) {\n\tf(\n" + rep(100, func(i int) string {
			return fmt.Sprintf("\t\t%d, /* c */ \"s\",\n", i)
		}) + "\t\txs...)\n}\n"),
		"switch": []byte("package p\n\nfunc f(x int, ch chan int) {\n\tswitch x {\n" + rep(50, func(i int) string {
			return fmt.Sprintf("\tcase %d, %d:\n", 2*i, 2*i+1) + rep(40, func(j int) string {
				return fmt.Sprintf("\t\tch <- %d  // send\n", j)
			})
		}) + "\tdefault:\n\t}\n}\n"),
		"select": []byte("package p\n\nfunc f(ch chan int) {\n\tselect {\n\tcase v := <-ch:\n" + rep(100, func(i int) string {
			return fmt.Sprintf("\t\tv += %d\n\n", i)
		}) + "\tdefault:\n" + rep(50, func(i int) string { return ";" }) + "\t}\n}\n"),
		"labels": []byte("package p\n\nfunc f() {\n" + rep(100, func(i int) string {
			return fmt.Sprintf("L%d:\n\t;\n", i)
		}) + "E:\n}\n"),
	}
}

func compareOn(t *testing.T, rng *rand.Rand, name string, src []byte, stats *compareStats) {
	t.Helper()
	fset := token.NewFileSet()
	f, _ := parser.ParseFile(fset, name, src, parser.ParseComments|parser.SkipObjectResolution)
	if f == nil {
		return
	}
	stats.files++
	tf := fset.File(f.FileStart)
	if tf == nil {
		return
	}
	base, size := tf.Base(), tf.Size()
	var intervals [][2]token.Pos
	add := func(a, b int) { intervals = append(intervals, [2]token.Pos{token.Pos(a), token.Pos(b)}) }
	for range 40 {
		a := base - 2 + rng.IntN(size+4)
		switch rng.IntN(3) {
		case 0:
			add(a, a)
		case 1:
			add(a, a+rng.IntN(20))
		default:
			add(a, base-2+rng.IntN(size+4))
		}
	}
	// Around node bounds: a sample of nodes, so that large files stay
	// quick (astutil is the slow side).
	var nodes []ast.Node
	ast.Inspect(f, func(n ast.Node) bool {
		if n != nil {
			nodes = append(nodes, n)
		}
		return true
	})
	for range min(len(nodes), 60) {
		n := nodes[rng.IntN(len(nodes))]
		p, e := int(n.Pos()), int(n.End())
		add(p, e)
		add(p, p)
		add(e, e)
		add(p-1, e+1)
		add(p+1, e-1)
		add(e-1, e)
		add(p, e+1)
	}
	for _, iv := range intervals {
		want, wantExact := astutil.PathEnclosingInterval(f, iv[0], iv[1])
		got, gotExact := pathEnclosingInterval(f, iv[0], iv[1])
		stats.intervals++
		if wantExact {
			stats.exact++
		}
		if searchedOnPath(want) {
			stats.searched++
		}
		if gotExact != wantExact || !samePath(got, want) {
			t.Errorf("%s [%d,%d) (offsets %d,%d): got %s exact=%v, astutil %s exact=%v",
				name, iv[0], iv[1], int(iv[0])-base, int(iv[1])-base, describe(got), gotExact, describe(want), wantExact)
			return
		}
	}
}

// searchedOnPath reports whether a lookup of this path passes through a
// list long enough to be searched.
func searchedOnPath(path []ast.Node) bool {
	for _, n := range path {
		if _, ok := spliced(n); ok {
			return true
		}
	}
	return false
}

func samePath(a, b []ast.Node) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func describe(path []ast.Node) string {
	var parts []string
	for _, n := range path {
		parts = append(parts, fmt.Sprintf("%T@%d", n, n.Pos()))
	}
	return "[" + strings.Join(parts, " ") + "]"
}
