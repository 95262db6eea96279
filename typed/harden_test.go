package typed_test

import (
	"context"
	"errors"
	"fmt"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/golens/golens/typed"
)

// fsetFiles counts the files a FileSet holds.
func fsetFiles(fset *token.FileSet) (n int) {
	fset.Iterate(func(*token.File) bool { n++; return true })
	return n
}

// TestRecheckDoesNotGrowFileSet: an incremental re-check must not add a
// file to a FileSet that lives as long as the cache entry: 1,000 edits
// would keep 1,000 line tables alive (issue 10, item 4). The positions of
// the unchanged file and of the dependencies still resolve.
func TestRecheckDoesNotGrowFileSet(t *testing.T) {
	dir := writeModule(t, twoFiles)
	use := filepath.Join(dir, "use.go")
	l := typed.NewLoader(typed.Config{})
	first, err := l.Load(context.Background(), typed.Request{File: use})
	if err != nil {
		t.Fatal(err)
	}
	base := fsetFiles(first.Fset)
	var pkg *typed.Package
	for i := 0; i < 50; i++ {
		src := fmt.Sprintf("package m\n\n// edit %d\nfunc (p *Pool) Run() {\n\tp.mu.Lock()\n\tp.jobs <- %d\n\tp.mu.Unlock()\n\tp.wg.Wait()\n}\n", i, i)
		pkg, err = l.Load(context.Background(), typed.Request{File: use, Overlay: map[string][]byte{use: []byte(src)}})
		if err != nil {
			t.Fatal(err)
		}
		if !pkg.Incremental {
			t.Fatalf("edit %d: not an incremental re-check", i)
		}
	}
	if n := fsetFiles(pkg.Fset); n > base {
		t.Errorf("after 50 re-checks the FileSet holds %d files, was %d", n, base)
	}
	if len(pkg.TypeErrors) != 0 {
		t.Errorf("type errors after re-checks: %v", pkg.TypeErrors)
	}
	// Positions of both files, and of a dependency's object, still resolve.
	for _, f := range pkg.Files {
		if p := pkg.Fset.Position(f.AST.Package); p.Filename != f.Filename {
			t.Errorf("position of %s resolves to %q", f.Filename, p.Filename)
		}
	}
	mu := pkg.Types.Scope().Lookup("Pool").Type().Underlying()
	_ = mu
	syncPkg := pkg.Types.Imports()
	for _, imp := range syncPkg {
		obj := imp.Scope().Lookup("Mutex")
		if obj == nil {
			continue
		}
		if p := pkg.Fset.Position(obj.Pos()); !p.IsValid() {
			t.Errorf("sync.Mutex has no position in the re-checked FileSet")
		}
	}
}

// TestCgoFile: a file that imports "C" gets the typed tier like the others
// of its package (issue 10, item 10). go list reports it in GoFiles; what
// it compiles (CompiledGoFiles) are cgo's generated files.
func TestCgoFile(t *testing.T) {
	if _, err := exec.LookPath("gcc"); err != nil {
		t.Skip("no C compiler: cgo is disabled")
	}
	src := `package m

// #include <stdlib.h>
import "C"

import "sync"

func Run(mu *sync.Mutex, ch chan int) {
	mu.Lock()
	ch <- int(C.abs(-1))
	mu.Unlock()
}
`
	dir := writeModule(t, map[string]string{"go.mod": goMod, "cgo.go": src, "plain.go": "package m\n\nfunc Plain() {}\n"})
	cgoFile := filepath.Join(dir, "cgo.go")
	l := typed.NewLoader(typed.Config{Env: append(os.Environ(), "CGO_ENABLED=1")})
	pkg, err := l.Load(context.Background(), typed.Request{File: cgoFile})
	if err != nil {
		t.Fatalf("load of a cgo file: %v", err)
	}
	m := pkg.ModelFor(cgoFile, []byte(src))
	if m == nil {
		t.Fatal("no typed model for the cgo file")
	}
	if m.Info == nil {
		t.Error("the cgo file's model has no type information")
	}
	if len(pkg.TypeErrors) != 0 {
		t.Errorf("type errors: %v", pkg.TypeErrors)
	}
	// An edit re-checks it and still matches the user's bytes.
	edited := strings.Replace(src, "ch <- int", "ch <- 1 + int", 1)
	pkg, err = l.Load(context.Background(), typed.Request{File: cgoFile, Overlay: map[string][]byte{cgoFile: []byte(edited)}})
	if err != nil || pkg.ModelFor(cgoFile, []byte(edited)) == nil {
		t.Fatalf("after an edit: %v, model %v", err, pkg != nil && pkg.ModelFor(cgoFile, []byte(edited)) != nil)
	}
}

// deeplyNested is a valid file with a go statement inside n nested blocks.
func deeplyNested(n int) string {
	var b strings.Builder
	b.WriteString("package m\n\nfunc f() {}\n\nfunc deep() {\n")
	b.WriteString(strings.Repeat("{", n))
	b.WriteString("\ngo f()\n")
	b.WriteString(strings.Repeat("}", n))
	b.WriteString("\n}\n")
	return b.String()
}

// TestDeepNesting: when go/parser gives up on a file (nesting beyond its
// limit), the load must not panic: the package loads, that file has no
// model, and the others do (issue 10, item 8).
func TestDeepNesting(t *testing.T) {
	src := deeplyNested(10000)
	dir := writeModule(t, map[string]string{"go.mod": goMod, "deep.go": src, "plain.go": "package m\n\nfunc g(ch chan int) { ch <- 1 }\n"})
	deep, plain := filepath.Join(dir, "deep.go"), filepath.Join(dir, "plain.go")
	l := typed.NewLoader(typed.Config{})
	for _, file := range []string{plain, deep} {
		pkg, err := l.Load(context.Background(), typed.Request{File: file, Overlay: map[string][]byte{deep: []byte(src)}})
		if err != nil {
			var le *typed.LoadError
			if !errors.As(err, &le) {
				t.Fatalf("load %s: %v", filepath.Base(file), err)
			}
			continue // a clear failure is fine; a panic is not
		}
		if pkg.ModelFor(deep, []byte(src)) != nil {
			t.Errorf("a model for a file the parser gave up on")
		}
		if m := pkg.ModelFor(plain, []byte("package m\n\nfunc g(ch chan int) { ch <- 1 }\n")); file == plain && m == nil {
			t.Errorf("no model for the file that parsed")
		}
	}
}
