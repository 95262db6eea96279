package main

import (
	"flag"
	"fmt"
	"go/parser"
	"go/token"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/golens/golens/checks/all"
	"github.com/golens/golens/checks/modelpass"
	"github.com/golens/golens/concmap"
	"github.com/golens/golens/model"
)

const mapUsage = `usage: golens map [-func NAME] [-format svg|dot|mermaid|text] [-o FILE] FILE.go|PACKAGE

Draws the concurrency map of a function (-func) or of a whole package: the
goroutines, the channels (where made, capacity), mutexes and WaitGroups, and
every send, receive, range, close, lock/unlock and Add/Done/Wait between them,
each with its line. Findings of golens's checks are shown in red.

A FILE.go is read with the files beside it of the same package, from syntax
alone (no go command needed). A PACKAGE (an import path, ./dir or .) is loaded
with type information by the go command.

The text form (the default) is for CI logs and screen readers; svg is laid out
by golens itself (no Graphviz needed).
`

func mapCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("golens map", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, mapUsage); fs.PrintDefaults() }
	fn := fs.String("func", "", "map only this function (\"main\", \"worker\", \"(*Server).Run\"); default: the whole package")
	format := fs.String("format", "text", "output format: "+strings.Join(concmap.Formats, ", "))
	outPath := fs.String("o", "", "write to this file instead of standard output")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return 2
	}
	valid := false
	for _, f := range concmap.Formats {
		valid = valid || f == *format
	}
	if !valid {
		fmt.Fprintf(stderr, "golens map: unknown format %q (want %s)\n", *format, strings.Join(concmap.Formats, ", "))
		return 2
	}
	target := fs.Arg(0)
	var (
		files    []*model.File
		findings []concmap.Finding
		pkgName  string
		err      error
	)
	if strings.HasSuffix(target, ".go") {
		files, findings, pkgName, err = syntaxPackage(target)
	} else {
		files, findings, pkgName, err = typedPackage(target)
	}
	if err != nil {
		fmt.Fprintln(stderr, "golens map:", err)
		return 1
	}
	var g *concmap.Graph
	if *fn != "" {
		_, f := concmap.FuncNamed(files, *fn)
		if f == nil {
			fmt.Fprintf(stderr, "golens map: no function %q in %s\n", *fn, target)
			return 1
		}
		g = concmap.ForFunc(files, f, findings)
	} else {
		g = concmap.ForPackage(files, pkgName, findings)
	}
	w := stdout
	if *outPath != "" {
		f, err := os.Create(*outPath)
		if err != nil {
			fmt.Fprintln(stderr, "golens map:", err)
			return 1
		}
		defer f.Close()
		w = f
	}
	if err := concmap.Render(w, g, *format); err != nil {
		fmt.Fprintln(stderr, "golens map:", err)
		return 1
	}
	return 0
}

// syntaxPackage models file and the other files of its package in its
// directory from syntax alone, with the findings of the checks that work
// from syntax.
func syntaxPackage(file string) ([]*model.File, []concmap.Finding, string, error) {
	src, err := os.ReadFile(file)
	if err != nil {
		return nil, nil, "", err
	}
	main := model.Parse(file, src)
	pkg := main.AST.Name.Name
	files := []*model.File{main}
	dir := filepath.Dir(file)
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		name := filepath.Join(dir, e.Name())
		if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") || filepath.Clean(name) == filepath.Clean(file) {
			continue
		}
		// Only files of the same package (cheap: the package clause).
		head, err := parser.ParseFile(token.NewFileSet(), name, nil, parser.PackageClauseOnly)
		if err != nil || head.Name.Name != pkg {
			continue
		}
		b, err := os.ReadFile(name)
		if err != nil {
			continue
		}
		files = append(files, model.Parse(name, b))
	}
	var findings []concmap.Finding
	for _, m := range files {
		for _, c := range all.Checks() {
			if c.Syntax == nil {
				continue
			}
			for _, d := range c.Syntax(m) {
				findings = append(findings, toFinding(m.Fset, c.Analyzer.Name, d))
			}
		}
	}
	return files, findings, pkg, nil
}

// typedPackage loads one package with types and runs every check on it.
func typedPackage(pattern string) ([]*model.File, []concmap.Finding, string, error) {
	cfg := &packages.Config{Mode: packages.NeedName | packages.NeedFiles | packages.NeedCompiledGoFiles |
		packages.NeedImports | packages.NeedTypes | packages.NeedTypesInfo |
		packages.NeedSyntax | packages.NeedTypesSizes | packages.NeedModule}
	pkgs, err := packages.Load(cfg, pattern)
	if err != nil {
		return nil, nil, "", err
	}
	if len(pkgs) != 1 {
		return nil, nil, "", fmt.Errorf("%s matches %d packages; map one package at a time", pattern, len(pkgs))
	}
	p := pkgs[0]
	for _, e := range p.Errors {
		return nil, nil, "", fmt.Errorf("%s", e)
	}
	analyzers := []*analysis.Analyzer{modelpass.Analyzer}
	for _, c := range all.Checks() {
		analyzers = append(analyzers, c.Analyzer)
	}
	graph, err := checker.Analyze(analyzers, pkgs, nil)
	if err != nil {
		return nil, nil, "", err
	}
	var files []*model.File
	var findings []concmap.Finding
	for _, act := range graph.Roots {
		if act.Analyzer == modelpass.Analyzer {
			if r, ok := act.Result.(*modelpass.Result); ok {
				files = r.Order
			}
			continue
		}
		for _, d := range act.Diagnostics {
			findings = append(findings, toFinding(p.Fset, act.Analyzer.Name, d))
		}
	}
	sort.SliceStable(findings, func(i, j int) bool { return findings[i].Loc.Line < findings[j].Loc.Line })
	return files, findings, p.Name, nil
}

func toFinding(fset *token.FileSet, check string, d analysis.Diagnostic) concmap.Finding {
	loc := func(p token.Pos) concmap.Loc {
		pos := fset.Position(p)
		return concmap.Loc{File: pos.Filename, Line: pos.Line, Col: pos.Column}
	}
	f := concmap.Finding{Check: check, Message: d.Message, Loc: loc(d.Pos)}
	for _, r := range d.Related {
		f.Related = append(f.Related, loc(r.Pos))
	}
	return f
}
