package model_test

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/golens/golens/model"
)

// TestMainPackageCallers: package main cannot be imported (go build says
// `import "m" is a program, not an importable package`), so another
// package can call its exported function only when it is main's own
// external test package (package main_test, which may import it); it can
// call an exported method only through an interface (or reflect) holding
// the receiver, which golens does not follow. Each verdict was run: a
// package importing package main does not build, and a main_test file
// importing it does.
func TestMainPackageCallers(t *testing.T) {
	src := `package main

func Produce(out chan<- int) { out <- 1 }

type Job struct{}

func (j *Job) Run(done chan<- int) { done <- 1 }

func main() {
	ch := make(chan int)
	go Produce(ch)
	<-ch
	done := make(chan int)
	go (&Job{}).Run(done)
	<-done
}
`
	for _, tc := range []struct {
		name, xtest    string
		chWhy, doneWhy string // "" when the class is not lost
	}{
		{"no external test", "",
			"", "a parameter of `Run`, an exported method, and golens does not follow whether code in other packages calls it through an interface"},
		{"external test calls both", "package main_test\n\nfunc TestX() { Produce; Run }\n",
			"a parameter of `Produce`, which other packages can call", "a parameter of `Run`, which other packages can call"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "main.go")
			os.WriteFile(path, []byte(src), 0o644)
			if tc.xtest != "" {
				os.WriteFile(filepath.Join(dir, "main_x_test.go"), []byte(tc.xtest), 0o644)
			}
			fset := token.NewFileSet()
			f, err := parser.ParseFile(fset, path, src, 0)
			if err != nil {
				t.Fatal(err)
			}
			info := &types.Info{Types: map[ast.Expr]types.TypeAndValue{}, Defs: map[*ast.Ident]types.Object{},
				Uses: map[*ast.Ident]types.Object{}, Selections: map[*ast.SelectorExpr]*types.Selection{}}
			pkg, err := (&types.Config{Importer: importer.Default()}).Check("main", fset, []*ast.File{f}, info)
			if err != nil {
				t.Fatal(err)
			}
			p := model.NewPackage(fset, []*ast.File{f}, info, pkg)
			for name, want := range map[string]string{"ch": tc.chWhy, "done": tc.doneWhy} {
				c := classOfLocal(t, p, "main", name)
				if got := c.UnseenWhy; !c.Unseen && want != "" || c.Unseen && !strings.Contains(got, want) || want == "" && c.Unseen {
					t.Errorf("%s: unseen %v (%q), want %q", name, c.Unseen, got, want)
				}
			}
		})
	}
}
