package nopartner

import (
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"

	"golang.org/x/tools/go/analysis"
)

// A declaration in a _test.go file exists only while the package's tests
// are compiled: no other package can import it. The one exception is the
// package's external test package (package p_test in the same directory),
// which imports p with its test files and so can use their exported names
// (the export_test.go convention). Such a name counts as public when an
// external test file of the directory mentions it.

// public: code outside the package can name obj.
func public(pass *analysis.Pass, obj types.Object) bool {
	if !obj.Exported() {
		return false
	}
	return !testOnly(pass, obj)
}

func (st *state) public(obj types.Object) bool { return public(st.pass, obj) }

// testOnly: obj is declared in a _test.go file and no external test file
// of its directory mentions its name.
func testOnly(pass *analysis.Pass, obj types.Object) bool {
	if !obj.Pos().IsValid() {
		return false
	}
	file := pass.Fset.Position(obj.Pos()).Filename
	if !strings.HasSuffix(file, "_test.go") {
		return false
	}
	words, ok := externalTestWords(pass, filepath.Dir(file), pass.Pkg.Name())
	return ok && !words[obj.Name()]
}

// xtestCache holds, for each running pass, the words of each directory's
// external test files (nil: unreadable); run forgets its pass when done,
// so an edited file is read again on the next run.
var xtestCache sync.Map // *analysis.Pass → *sync.Map (directory → map[string]bool)

func forgetPass(pass *analysis.Pass) { xtestCache.Delete(pass) }

var wordRE = regexp.MustCompile(`[A-Za-z_][A-Za-z0-9_]*`)

// externalTestWords lists the identifiers written in the directory's
// external test files (package <pkg>_test); false when the directory
// cannot be read.
func externalTestWords(pass *analysis.Pass, dir, pkg string) (map[string]bool, bool) {
	c, _ := xtestCache.LoadOrStore(pass, &sync.Map{})
	cache := c.(*sync.Map)
	key := dir
	if v, ok := cache.Load(key); ok {
		m := v.(map[string]bool)
		return m, m != nil
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		cache.Store(key, map[string]bool(nil))
		return nil, false
	}
	words := map[string]bool{}
	fset := token.NewFileSet()
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		path := filepath.Join(dir, e.Name())
		f, err := parser.ParseFile(fset, path, nil, parser.PackageClauseOnly)
		if err != nil {
			cache.Store(key, map[string]bool(nil))
			return nil, false
		}
		if f.Name.Name != pkg+"_test" {
			continue
		}
		src, err := os.ReadFile(path)
		if err != nil {
			cache.Store(key, map[string]bool(nil))
			return nil, false
		}
		for _, w := range wordRE.FindAll(src, -1) {
			words[string(w)] = true
		}
	}
	cache.Store(key, words)
	return words, true
}
