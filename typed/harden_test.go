package typed_test

import (
	"context"
	"fmt"
	"go/token"
	"path/filepath"
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
