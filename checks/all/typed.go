package all

import (
	"go/types"
	"runtime"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/golens/golens/typed"
)

// AnalyzeTyped runs every check's analyzer over one package the typed tier
// loaded, with go/analysis/checker: the server's typed findings and the
// truth suite's come from this one call, so the suite judges what the
// editor shows. The package must have no type errors (analyzers assume
// well-typed code); the caller decides what to do when it has some.
func AnalyzeTyped(pkg *typed.Package) (*checker.Graph, error) {
	var analyzers []*analysis.Analyzer
	for _, c := range Checks() {
		analyzers = append(analyzers, c.Analyzer)
	}
	lp := &packages.Package{
		ID: pkg.ID, Name: pkg.Name, PkgPath: pkg.PkgPath,
		Fset: pkg.Fset, Types: pkg.Types, TypesInfo: pkg.Info,
		TypesSizes: types.SizesFor("gc", runtime.GOARCH),
		Imports:    map[string]*packages.Package{},
	}
	for _, f := range pkg.Files {
		lp.Syntax = append(lp.Syntax, f.AST)
		lp.GoFiles = append(lp.GoFiles, f.Filename)
		lp.CompiledGoFiles = append(lp.CompiledGoFiles, f.Filename)
	}
	return checker.Analyze(analyzers, []*packages.Package{lp}, &checker.Options{Sequential: true})
}
