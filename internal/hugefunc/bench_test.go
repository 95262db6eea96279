package hugefunc_test

import (
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"

	"github.com/golens/golens/checks/all"
	"github.com/golens/golens/checks/modelpass"
	"github.com/golens/golens/codeactions"
	"github.com/golens/golens/concmap"
	"github.com/golens/golens/hints"
	"github.com/golens/golens/hover"
	"github.com/golens/golens/internal/hugefunc"
	"github.com/golens/golens/model"
	"github.com/golens/golens/snippets"
)

// sizes are the statement counts each kind is measured at: a pass that is
// linear shows the same ns/stmt at every size, a quadratic one doubles it
// from one size to the next.
var sizes = []int{10_000, 20_000, 40_000}

// kinds limits the kinds measured (GOLENS_HUGE_KINDS=go,defer), since the
// whole matrix takes many minutes.
func kinds() []string {
	if s := os.Getenv("GOLENS_HUGE_KINDS"); s != "" {
		return strings.Split(s, ",")
	}
	return hugefunc.Kinds
}

// typed is one generated file, parsed and type-checked once.
type typed struct {
	fset  *token.FileSet
	file  *ast.File
	src   []byte
	pkg   *types.Package
	info  *types.Info
	stmts int
}

var imp = importer.Default()

func load(b *testing.B, kind string, n int) *typed {
	src, stmts := hugefunc.File(kind, n)
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "huge.go", src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		b.Fatal(err)
	}
	info := &types.Info{
		Types:        map[ast.Expr]types.TypeAndValue{},
		Defs:         map[*ast.Ident]types.Object{},
		Uses:         map[*ast.Ident]types.Object{},
		Implicits:    map[ast.Node]types.Object{},
		Selections:   map[*ast.SelectorExpr]*types.Selection{},
		Scopes:       map[ast.Node]*types.Scope{},
		Instances:    map[*ast.Ident]types.Instance{},
		FileVersions: map[*ast.File]string{},
	}
	pkg, err := (&types.Config{Importer: imp}).Check("huge", fset, []*ast.File{f}, info)
	if err != nil {
		b.Fatal(err)
	}
	return &typed{fset, f, src, pkg, info, stmts}
}

// runAnalyzer runs a (and what it requires) on one typed model, the way the
// analysis driver does, and returns the number of diagnostics.
func runAnalyzer(t *typed, m *model.File, a *analysis.Analyzer) (int, error) {
	results := map[*analysis.Analyzer]any{
		modelpass.Analyzer: &modelpass.Result{Files: map[*ast.File]*model.File{t.file: m}, Order: []*model.File{m}},
	}
	count := 0
	var run func(a *analysis.Analyzer) (any, error)
	run = func(a *analysis.Analyzer) (any, error) {
		if r, ok := results[a]; ok {
			return r, nil
		}
		for _, req := range a.Requires {
			if _, err := run(req); err != nil {
				return nil, err
			}
		}
		pass := &analysis.Pass{
			Analyzer:   a,
			Fset:       t.fset,
			Files:      []*ast.File{t.file},
			Pkg:        t.pkg,
			TypesInfo:  t.info,
			TypesSizes: types.SizesFor("gc", "amd64"),
			ResultOf:   results,
			Report:     func(analysis.Diagnostic) { count++ },
			ReadFile:   func(string) ([]byte, error) { return t.src, nil },
		}
		r, err := a.Run(pass)
		results[a] = r
		return r, err
	}
	_, err := run(a)
	return count, err
}

// BenchmarkChecksHugeFunction runs every check, on the typed model (as
// `golens check` and the typed tier do) and, for the checks that have
// one, on the syntax-tier model (as the server does on each keystroke),
// over a file whose one function holds 10k, 20k and 40k statements of each
// kind. ns/stmt is the figure to compare across sizes.
func BenchmarkChecksHugeFunction(b *testing.B) {
	for _, kind := range kinds() {
		for _, n := range sizes {
			// The file is built inside the sub-benchmark, so that -bench
			// filters out the sizes and kinds it does not run.
			b.Run(fmt.Sprintf("kind=%s/n=%d", kind, n), func(b *testing.B) {
				if kind == "defer" && n > 20_000 {
					// The typed model's DeferArg.ReassignedAt lists, for
					// each defer, every later write of its argument:
					// quadratic in size, gigabytes at this one.
					b.Skip("the model's ReassignedAt lists are quadratic in the defers")
				}
				t := load(b, kind, n)
				syn := model.Parse("huge.go", t.src)
				tm := model.Build(t.fset, t.file, t.src, t.info)
				per := func(b *testing.B) {
					b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(t.stmts), "ns/stmt")
				}
				b.Run("model=syntax", func(b *testing.B) {
					for b.Loop() {
						model.Parse("huge.go", t.src)
					}
					per(b)
				})
				b.Run("model=typed", func(b *testing.B) {
					for b.Loop() {
						model.Build(t.fset, t.file, t.src, t.info)
					}
					per(b)
				})
				for _, c := range all.Checks() {
					if c.Syntax != nil {
						b.Run("syntax="+c.Analyzer.Name, func(b *testing.B) {
							for b.Loop() {
								c.Syntax(syn)
							}
							per(b)
						})
					}
					b.Run("typed="+c.Analyzer.Name, func(b *testing.B) {
						for b.Loop() {
							if _, err := runAnalyzer(t, tm, c.Analyzer); err != nil {
								b.Fatal(err)
							}
						}
						per(b)
					})
				}
			})
		}
	}
}

// BenchmarkFeaturesHugeFunction measures the features the server runs on
// one huge function: inlay hints for the whole file, a hover on the last
// statement, code actions at the last statement, and the concurrency map
// of the function.
func BenchmarkFeaturesHugeFunction(b *testing.B) {
	for _, kind := range kinds() {
		for _, n := range sizes {
			b.Run(fmt.Sprintf("kind=%s/n=%d", kind, n), func(b *testing.B) {
				src, stmts := hugefunc.File(kind, n)
				m := model.Parse("huge.go", src)
				last := len(src) - len("\t}\n}\n") // inside the last statement
				per := func(b *testing.B) {
					b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(stmts), "ns/stmt")
				}
				b.Run("hints", func(b *testing.B) {
					for b.Loop() {
						hints.Compute(m, 0, len(src), hints.All())
					}
					per(b)
				})
				b.Run("hover", func(b *testing.B) {
					for b.Loop() {
						hover.At(m, last)
					}
					per(b)
				})
				b.Run("codeactions", func(b *testing.B) {
					for b.Loop() {
						codeactions.Actions(m, last, last, snippets.Env{})
					}
					per(b)
				})
				b.Run("concmap", func(b *testing.B) {
					_, fn := concmap.FuncNamed([]*model.File{m}, "huge")
					if fn == nil {
						b.Fatal("no function huge")
					}
					for b.Loop() {
						g := concmap.ForFunc([]*model.File{m}, fn, nil)
						concmap.Layout(g)
					}
					per(b)
				})
			})
		}
	}
}
