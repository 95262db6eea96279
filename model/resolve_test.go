package model

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/golens/golens/internal/densefile"
)

// The syntax tier reads the objects go/parser's resolver would give each
// identifier; Parse makes them with resolveIdents instead. These tests
// parse each source twice, once with go/parser's resolution and once with
// SkipObjectResolution plus resolveIdents, and require every identifier to
// resolve the same way in both: nil or not, the object's kind, name,
// declaration (node type and position) and data, and which identifiers
// share an object. They also compare File.Scope and File.Unresolved.

// brokenSources are files in the middle of an edit: go/parser's partial
// ASTs (BadExpr, BadStmt, missing bodies and operands) must resolve as
// go/parser resolves them, and must not panic.
var brokenSources = map[string]string{
	"unclosed call":        "package p\nfunc f() {\n\tch := make(chan int\n\tgo func() {\n\t\tch <- \n\t}()\n}\n",
	"select without colon": "package p\nfunc f(ch chan int) {\n\tselect {\n\tcase v := <-ch:\n\t\t_ = v\n\tdefault\n\t}\n\tdefer\n}\n",
	"missing body":         "package p\nfunc f(x int) int\nfunc g() { f(1) }\n",
	"selector define":      "package p\nfunc f() { a.b := 1; a, b.c := 2, 3; _ = a }\n",
	"range parens":         "package p\nfunc f(s []int) { for (k), v := range s { _, _ = k, v }; for k.x = range s {} }\n",
	"range non-ident key":  "package p\nfunc f(s []int) { var m map[int]int; for m[0] := range s {} }\n",
	"bad receiver":         "package p\ntype T[K any] struct{}\nfunc (t *T[K, *V]) m() { var _ K }\nfunc (t T[]) n() {}\nfunc (a, b T[int]) o() {}\nfunc () p() {}\n",
	"receiver type param":  "package p\ntype T[P any] struct{}\nfunc (x T[P]) m(p P) P { P := 1; _ = P; return p }\n",
	"generic type specs":   "package p\ntype X int\ntype (\n\tA[T any] struct{ x T }\n\tB struct{ y T }\n\tT int\n\tD struct{ z T }\n\tX string\n\tE struct{ w X }\n\tC[U any, V ~[]U] map[U]V\n)\nvar _ B\nfunc f() { type L[T any] []T; var _ L[int] }\n",
	"labels":               "package p\nfunc f() {\nL:\n\tfor {\n\t\tfunc() {\n\t\tL:\n\t\t\tgoto L\n\t\t}()\n\t\tbreak L\n\t}\n\tgoto M\nM:\n\tgoto _\n_:\n\tcontinue N\nL:\n}\n",
	"switch scopes":        "package p\nfunc f(x any) {\n\tswitch x := 1; x {\n\tcase x:\n\t\tx := 2\n\t\t_ = x\n\t}\n\tswitch y := x.(type) {\n\tcase y:\n\t}\n\tswitch z := 0; y := x.(type) {\n\tcase int:\n\t\t_, _ = y, z\n\t}\n}\n",
	"composite keys":       "package p\ntype S struct{ A, B int }\nvar s = S{A: 1, B: C}\nconst A = 2\nvar t = S{A: 1}\nvar m = map[int]int{A: 1, len(\"x\"): 2}\nfunc f() { B := 3; _ = S{B: B, A: A} }\nconst C = 4\n",
	"redeclarations":       "package p\nvar x, x = 1, 2\nfunc f(a int, a string) (a bool) { a, b := 1, 2; a, b := 3, 4; _ = b; return }\nfunc x() {}\nfunc init() {}\nfunc init() {}\nfunc _() {}\n",
	"truncated decl":       "package p\nimport \"sync\"\nvar mu sync.\nfunc f() { mu.Lock(); defer mu.",
	"bad expressions":      "package p\nfunc f() { x := ; y := x + ; z := [](1; _ = z; if := 2 {} ; for i := range {}; go ; defer f( }\n",
	"stray tokens":         "package p\n}\nfunc ( {\n)\nvar = 1\ntype\nconst (\n\ta = iota\n\tb\n",
	"nested literals":      "package p\nfunc f() { g := func(h func(int) int) func() { return func() { _ = h(0) } }; _ = g; var _ interface{ M(x int) (y int); N() }; _ = struct{ f func(a int) }{} }\n",
	"no package":           "func f() {}\n",
	"empty":                "",
}

func TestResolveSameAsGoParser(t *testing.T) {
	var files, idents int
	check := func(name string, src []byte) {
		t.Helper()
		n, diffs := compareResolution(name, src)
		files++
		idents += n
		for _, d := range diffs {
			t.Error(d)
		}
	}
	check("dense.go", densefile.Source(5000))
	for name, src := range brokenSources {
		check(name+".go", []byte(src))
		// Every prefix at a line boundary: a file as it is typed.
		for i := range len(src) {
			if src[i] == '\n' || src[i] == ' ' {
				check(fmt.Sprintf("%s[:%d].go", name, i), []byte(src[:i]))
			}
		}
	}
	// go/parser resolves scopes nested up to 1,000 deep and returns an
	// empty file past that.
	for _, depth := range []int{997, 998, 999, 1000, 1500} {
		src := "package p\nvar x int\nfunc f() {" + strings.Repeat("{", depth) + "x++" + strings.Repeat("}", depth) + "}\n"
		check(fmt.Sprintf("nested%d.go", depth), []byte(src))
	}
	for _, glob := range []string{
		"../truth/testdata/*.txtar", "testdata/*.txtar", "testdata/*/*.txtar",
		"../hover/testdata/*.txtar", "../hints/testdata/*/*.txtar",
	} {
		paths, _ := filepath.Glob(glob)
		if len(paths) == 0 {
			t.Fatalf("no test data at %s: the corpus is broken", glob)
		}
		for _, path := range paths {
			ar, err := txtar.ParseFile(path)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range ar.Files {
				if strings.HasSuffix(f.Name, ".go") {
					check(path+"/"+f.Name, f.Data)
					// And cut in the middle, as an edit leaves it.
					check(path+"/"+f.Name+"[:half]", f.Data[:len(f.Data)/2])
				}
			}
		}
	}
	goroot := runtime.GOROOT()
	for _, pkg := range []string{"go/parser", "net/http", "runtime", "context", "os/exec", "sync"} {
		paths, _ := filepath.Glob(filepath.Join(goroot, "src", pkg, "*.go"))
		if len(paths) == 0 {
			t.Fatalf("no Go files in GOROOT's %s", pkg)
		}
		for _, path := range paths {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			check(path, src)
		}
	}
	t.Logf("%d files, %d identifiers compared", files, idents)
	if idents < 100000 {
		t.Errorf("compared only %d identifiers; the corpus is broken", idents)
	}
}

// TestResolveGOROOT compares every .go file under $(go env GOROOT)/src
// (testdata included, broken files too): about 7,700 files, 13 seconds on
// a 2-core machine. -short leaves it out.
func TestResolveGOROOT(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: not comparing every file of GOROOT/src")
	}
	var files, idents, differing int
	filepath.WalkDir(filepath.Join(runtime.GOROOT(), "src"), func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return nil
		}
		n, diffs := compareResolution(path, src)
		files++
		idents += n
		differing += len(diffs)
		for _, d := range diffs {
			t.Error(d)
		}
		return nil
	})
	t.Logf("%d files, %d identifiers compared, %d differing", files, idents, differing)
}

// compareResolution parses src both ways and returns the number of
// identifiers compared and the differences.
func compareResolution(name string, src []byte) (int, []string) {
	const mode = parser.AllErrors | parser.ParseComments
	fsetA, fsetB := token.NewFileSet(), token.NewFileSet()
	a, _ := parser.ParseFile(fsetA, name, src, mode)
	b, _ := parser.ParseFile(fsetB, name, src, mode|parser.SkipObjectResolution)
	if a == nil || b == nil {
		if (a == nil) != (b == nil) {
			return 0, []string{name + ": one parse failed, the other did not"}
		}
		return 0, nil
	}
	var diffs []string
	if !resolveIdents(b, len(src)) {
		// go/parser gives up on such files and returns an empty AST.
		if len(a.Decls) != 0 {
			diffs = append(diffs, name+": resolveIdents gave up, go/parser did not")
		}
		return 0, diffs
	}
	at := func(p token.Pos) string { return fsetA.Position(p).String() }
	idsA, idsB := identsOf(a), identsOf(b)
	if len(idsA) != len(idsB) {
		return 0, []string{fmt.Sprintf("%s: %d identifiers vs %d: the parses differ", name, len(idsA), len(idsB))}
	}
	firstA, firstB := map[*ast.Object]int{}, map[*ast.Object]int{}
	for i, x := range idsA {
		y := idsB[i]
		if x.Pos() != y.Pos() || x.Name != y.Name {
			return i, append(diffs, fmt.Sprintf("%s: identifier %d is %s at %s vs %s: the parses differ", name, i, x.Name, at(x.Pos()), y.Name))
		}
		if d := sameObject(x.Obj, y.Obj); d != "" {
			diffs = append(diffs, fmt.Sprintf("%s: %s: %s", at(x.Pos()), x.Name, d))
			continue
		}
		if x.Obj == nil {
			continue
		}
		fa, seenA := firstA[x.Obj]
		fb, seenB := firstB[y.Obj]
		if !seenA {
			firstA[x.Obj], fa = i, i
		}
		if !seenB {
			firstB[y.Obj], fb = i, i
		}
		if fa != fb {
			diffs = append(diffs, fmt.Sprintf("%s: %s: shares its object with the identifier at %s in go/parser's resolution, with the one at %s in golens's",
				at(x.Pos()), x.Name, at(idsA[fa].Pos()), at(idsA[fb].Pos())))
		}
	}
	if len(a.Unresolved) != len(b.Unresolved) {
		diffs = append(diffs, fmt.Sprintf("%s: %d unresolved identifiers vs %d", name, len(a.Unresolved), len(b.Unresolved)))
	} else {
		for i := range a.Unresolved {
			if a.Unresolved[i].Pos() != b.Unresolved[i].Pos() {
				diffs = append(diffs, fmt.Sprintf("%s: unresolved %d differs", name, i))
			}
		}
	}
	if a.Scope == nil || b.Scope == nil || len(a.Scope.Objects) != len(b.Scope.Objects) {
		diffs = append(diffs, name+": the file scopes differ")
	} else {
		for n, oa := range a.Scope.Objects {
			if d := sameObject(oa, b.Scope.Objects[n]); d != "" {
				diffs = append(diffs, fmt.Sprintf("%s: file scope's %s: %s", name, n, d))
			}
		}
	}
	return len(idsA), diffs
}

// identsOf lists file's identifiers in walk order.
func identsOf(file *ast.File) []*ast.Ident {
	var ids []*ast.Ident
	ast.Inspect(file, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			ids = append(ids, id)
		}
		return true
	})
	return ids
}

// sameObject says how b differs from a ("" if it does not): nil or not,
// kind, name, data, and declaration (node type and position; for the
// declaration go/parser makes up for a range clause, its parts).
func sameObject(a, b *ast.Object) string {
	switch {
	case a == nil && b == nil:
		return ""
	case a == nil:
		return fmt.Sprintf("go/parser leaves it unresolved, golens resolves it to %s %s", b.Kind, b.Name)
	case b == nil:
		return fmt.Sprintf("go/parser resolves it to %s %s, golens leaves it unresolved", a.Kind, a.Name)
	case a.Kind != b.Kind || a.Name != b.Name || a.Data != b.Data || a.Type != b.Type:
		return fmt.Sprintf("object %s %s (data %v) vs %s %s (data %v)", a.Kind, a.Name, a.Data, b.Kind, b.Name, b.Data)
	}
	da, _ := a.Decl.(ast.Node)
	db, _ := b.Decl.(ast.Node)
	if (da == nil) != (db == nil) || fmt.Sprintf("%T", a.Decl) != fmt.Sprintf("%T", b.Decl) {
		return fmt.Sprintf("declared by %T vs %T", a.Decl, b.Decl)
	}
	if da == nil {
		return ""
	}
	if da.Pos() != db.Pos() || da.End() != db.End() {
		return "declared at another position"
	}
	if as, ok := da.(*ast.AssignStmt); ok {
		bs := db.(*ast.AssignStmt)
		if as.Tok != bs.Tok || as.TokPos != bs.TokPos || len(as.Lhs) != len(bs.Lhs) || len(as.Rhs) != len(bs.Rhs) {
			return "declared by another assignment"
		}
		for i := range as.Lhs {
			if as.Lhs[i] != bs.Lhs[i] && as.Lhs[i].Pos() != bs.Lhs[i].Pos() {
				return "declared by another assignment"
			}
		}
		for i := range as.Rhs {
			ua, isRangeA := as.Rhs[i].(*ast.UnaryExpr)
			ub, isRangeB := bs.Rhs[i].(*ast.UnaryExpr)
			if isRangeA != isRangeB || isRangeA && (ua.Op != ub.Op || ua.OpPos != ub.OpPos || ua.X.Pos() != ub.X.Pos()) {
				return "declared by another assignment"
			}
			if as.Rhs[i].Pos() != bs.Rhs[i].Pos() {
				return "declared by another assignment"
			}
		}
	}
	return ""
}

// BenchmarkResolve is resolveIdents alone on the dense 5,000-line file
// (go/parser's own resolution is BenchmarkParse minus
// BenchmarkParseNoResolve).
func BenchmarkResolve(b *testing.B) {
	src := densefile.Source(5000)
	f, _ := parser.ParseFile(token.NewFileSet(), "dense.go", src, parser.AllErrors|parser.ParseComments|parser.SkipObjectResolution)
	ids := identsOf(f)
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		b.StopTimer()
		for _, id := range ids {
			id.Obj = nil
		}
		b.StartTimer()
		resolveIdents(f, len(src))
	}
}

// BenchmarkParseNoResolve is go/parser without its object resolution: what
// Parse pays go/parser now, before resolveIdents.
func BenchmarkParseNoResolve(b *testing.B) {
	src := densefile.Source(5000)
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		parser.ParseFile(token.NewFileSet(), "dense.go", src, parser.AllErrors|parser.ParseComments|parser.SkipObjectResolution)
	}
}
