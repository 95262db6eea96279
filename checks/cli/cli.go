// Package cli implements `golens check`, which runs golens's concurrency
// checks over Go packages the way go vet does, and the `go vet -vettool`
// protocol for the same checks.
//
// The golens binary calls it as
//
//	if cli.IsVetInvocation(os.Args[1:]) {
//		cli.VetMain() // never returns
//	}
//	...
//	case "check":
//		os.Exit(cli.Main(os.Args[2:], os.Stdout, os.Stderr))
package cli

import (
	"bytes"
	"flag"
	"fmt"
	"go/format"
	"go/token"
	"io"
	"os"
	"path/filepath"
	"runtime/pprof"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/golens/golens/checks/all"
)

// Exit codes of Main.
const (
	ExitClean     = 0 // no findings
	ExitFindings  = 1 // at least one finding (after -fix: one that was not fixed)
	ExitUsage     = 2 // bad flags or arguments
	ExitLoadError = 3 // the packages could not be loaded or type-checked
)

const usage = `usage: golens check [flags] [packages]

Runs golens's concurrency checks over the packages (default ".") and their
tests, like go vet. Findings are printed to stderr as file:line:col: message.

Flags:
  -fix        apply the suggested fixes to the source files (gofmt-formatted)
  -json       print findings as JSON (go vet's format) on stdout
  -c N        with text output, also print N lines of context around each finding
  -test       also check test files (default true)
  -tags list  comma-separated build tags
  -cpuprofile file
              write a CPU profile of golens itself (go tool pprof)
  -NAME       enable only the named checks (e.g. -lockleak); -NAME=false disables one

Checks:
%s
Exit status:
  0  no findings
  1  findings (with -fix: findings that had no fix or whose fix was not applied)
  2  usage error
  3  the packages could not be loaded or type-checked (findings in the others are still printed)
`

// Analyzers returns the analyzers of every golens check, in documentation
// order.
func Analyzers() []*analysis.Analyzer {
	var out []*analysis.Analyzer
	for _, c := range all.Checks() {
		out = append(out, c.Analyzer)
	}
	return out
}

// Main runs `golens check` with args (the arguments after "check") and
// returns the process exit code.
func Main(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("golens check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fix := fs.Bool("fix", false, "apply suggested fixes")
	jsonOut := fs.Bool("json", false, "print findings as JSON")
	context := fs.Int("c", -1, "lines of context to print around each finding")
	tests := fs.Bool("test", true, "also check test files")
	tags := fs.String("tags", "", "comma-separated build tags")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the check to `file`")
	analyzers := Analyzers()
	enabled := map[string]*triState{}
	var list strings.Builder
	for _, a := range analyzers {
		t := new(triState)
		enabled[a.Name] = t
		fs.Var(t, a.Name, "enable "+a.Name+": "+firstLine(a.Doc))
		fmt.Fprintf(&list, "  %-17s %s\n", a.Name, firstLine(a.Doc))
	}
	fs.Usage = func() { fmt.Fprintf(stderr, usage, list.String()) }
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return ExitClean
		}
		return ExitUsage
	}
	if *cpuProfile != "" {
		stop, err := startCPUProfile(*cpuProfile)
		if err != nil {
			fmt.Fprintf(stderr, "golens check: %v\n", err)
			return ExitUsage
		}
		defer stop()
	}
	analyzers = selectAnalyzers(analyzers, enabled)
	if len(analyzers) == 0 {
		fmt.Fprintln(stderr, "golens check: no checks enabled")
		return ExitUsage
	}
	patterns := fs.Args()
	if len(patterns) == 0 {
		patterns = []string{"."}
	}

	var buildFlags []string
	if *tags != "" {
		buildFlags = []string{"-tags=" + *tags}
	}
	var names []string
	for _, a := range analyzers {
		names = append(names, a.Name)
	}
	var cached *cachedRun
	salt := fmt.Sprintf("%v %v %v", names, *tests, buildFlags)
	mkey := manifestKey(patterns, salt)
	if !*fix {
		if roots, hits, ok := readManifest(cacheDir(), mkey); ok {
			// Nothing the package graph depends on changed: no go list.
			cached = &cachedRun{roots: roots, hits: hits}
		} else {
			cached = lookup(cacheDir(), patterns, *tests, buildFlags, salt)
		}
	}
	var findings []*finding
	toLoad := patterns
	loadFailed := false
	if cached != nil {
		for _, id := range cached.roots {
			for _, r := range cached.hits[id] {
				findings = append(findings, &finding{analyzer: r.Analyzer, posn: r.Posn, pkgID: id, rec: r})
			}
		}
		toLoad = cached.misses
	}
	if cached == nil || len(toLoad) > 0 {
		cfg := &packages.Config{
			Mode: packages.NeedName | packages.NeedFiles | packages.NeedCompiledGoFiles |
				packages.NeedImports | packages.NeedTypes | packages.NeedTypesInfo |
				packages.NeedSyntax | packages.NeedTypesSizes | packages.NeedModule,
			Tests:      *tests,
			BuildFlags: buildFlags,
		}
		pkgs, err := packages.Load(cfg, toLoad...)
		if err != nil {
			fmt.Fprintf(stderr, "golens check: %v\n", err)
			return ExitLoadError
		}
		var ok []*packages.Package
		covered := coveredByTest(pkgs)
		for _, p := range pkgs {
			if covered[p.ID] {
				continue
			}
			if cached != nil && !cached.missID[p.ID] {
				continue // its findings came from the cache
			}
			if len(p.Errors) > 0 {
				loadFailed = true
				for _, e := range p.Errors {
					fmt.Fprintln(stderr, e)
				}
				continue
			}
			ok = append(ok, p)
		}
		if len(pkgs) == 0 {
			fmt.Fprintf(stderr, "golens check: no packages match %s\n", strings.Join(patterns, " "))
			return ExitLoadError
		}

		graph, err := checker.Analyze(analyzers, ok, nil)
		if err != nil {
			fmt.Fprintf(stderr, "golens check: %v\n", err)
			return ExitLoadError
		}
		fresh := collect(graph)
		if cached != nil {
			byPkg := map[string][]record{}
			failed := map[string]bool{}
			for _, f := range fresh {
				if f.err != nil {
					failed[f.pkgID] = true
					continue
				}
				byPkg[f.pkgID] = append(byPkg[f.pkgID], f.rec)
			}
			for _, p := range ok {
				if !failed[p.ID] && !failed[""] {
					cached.store(p.ID, byPkg[p.ID])
				}
			}
		}
		findings = append(findings, fresh...)
		if cached != nil && !loadFailed {
			cached.writeManifest(mkey)
		}
	} else if cached != nil && cached.manifest != nil {
		cached.writeManifest(mkey) // every root was a hit: next time skip go list
	}
	findings = dedupe(findings)
	for _, f := range findings {
		if f.err != nil {
			fmt.Fprintf(stderr, "golens check: %s: %v\n", f.analyzer, f.err)
			loadFailed = true
		}
	}

	unfixed := 0
	for _, f := range findings {
		if f.err == nil {
			unfixed++
		}
	}
	if *fix {
		fixed, err := applyFixes(findings)
		if err != nil {
			fmt.Fprintf(stderr, "golens check: -fix: %v\n", err)
		}
		unfixed -= fixed
	}
	if *jsonOut {
		if err := printJSON(stdout, findings); err != nil {
			fmt.Fprintf(stderr, "golens check: %v\n", err)
		}
	} else if !*fix {
		printText(stderr, findings, *context)
	} else {
		for _, f := range findings {
			if f.err == nil && !f.fixed {
				fmt.Fprintf(stderr, "%s: %s (no fix applied)\n", shortPosn(f.posn), f.rec.Message)
			}
		}
	}
	switch {
	case loadFailed:
		return ExitLoadError
	case unfixed > 0:
		return ExitFindings
	}
	return ExitClean
}

// coveredByTest returns the IDs of the packages whose test variant
// ("p [p.test]": the package's files and its internal tests) is loaded
// too. As go vet does, only the variant is checked: it holds all of the
// package's code, so checking the package alone again would type-check
// and analyse every file twice.
func coveredByTest(pkgs []*packages.Package) map[string]bool {
	ids := map[string]bool{}
	for _, p := range pkgs {
		ids[p.ID] = true
	}
	out := map[string]bool{}
	for _, p := range pkgs {
		if ids[testVariantID(p)] {
			out[p.ID] = true
		}
	}
	return out
}

// testVariantID is the ID go list gives a package's internal test variant.
func testVariantID(p *packages.Package) string { return p.ID + " [" + p.PkgPath + ".test]" }

// displayID names a finding's package as the user knows it: a package's
// internal test variant under the package's own path.
func displayID(id string) string {
	if path, rest, ok := strings.Cut(id, " ["); ok && rest == path+".test]" {
		return path
	}
	return id
}

// startCPUProfile profiles this process into name until stop is called.
func startCPUProfile(name string) (stop func(), err error) {
	f, err := os.Create(name)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// triState is a bool flag that remembers whether it was set.
type triState struct{ set, value bool }

func (t *triState) String() string {
	if t == nil || !t.set {
		return ""
	}
	return fmt.Sprint(t.value)
}
func (t *triState) IsBoolFlag() bool { return true }
func (t *triState) Set(s string) error {
	switch s {
	case "true", "1", "t", "T", "TRUE", "True":
		t.value = true
	case "false", "0", "f", "F", "FALSE", "False":
		t.value = false
	default:
		return fmt.Errorf("invalid boolean %q", s)
	}
	t.set = true
	return nil
}

// selectAnalyzers applies vet's rule: if any check is enabled explicitly,
// run only those; otherwise run all but the ones disabled explicitly.
func selectAnalyzers(as []*analysis.Analyzer, enabled map[string]*triState) []*analysis.Analyzer {
	anyTrue := false
	for _, t := range enabled {
		if t.set && t.value {
			anyTrue = true
		}
	}
	var out []*analysis.Analyzer
	for _, a := range as {
		t := enabled[a.Name]
		if anyTrue && !(t.set && t.value) || t.set && !t.value {
			continue
		}
		out = append(out, a)
	}
	return out
}

// finding is one diagnostic of a root action: freshly computed (diag and
// fset set, for -fix) or read from the cache (rec only).
type finding struct {
	analyzer string
	posn     token.Position
	pkgID    string
	rec      record
	diag     analysis.Diagnostic
	fset     *token.FileSet
	err      error
	fixed    bool
	touches  map[string]bool // the files of the applied fix's edits
}

// collect gathers the diagnostics of the root actions, one finding per
// package that reports it; dedupe merges a package and its test variant.
func collect(g *checker.Graph) []*finding {
	var out []*finding
	for act := range g.All() {
		var id string
		if act.Package != nil {
			id = act.Package.ID
		}
		if !act.IsRoot {
			if act.Err != nil {
				out = append(out, &finding{analyzer: act.Analyzer.Name, err: act.Err})
			}
			continue
		}
		if act.Err != nil {
			out = append(out, &finding{analyzer: act.Analyzer.Name, pkgID: id, err: act.Err})
			continue
		}
		fset := act.Package.Fset
		for _, d := range act.Diagnostics {
			posn := fset.Position(d.Pos)
			r := record{Analyzer: act.Analyzer.Name, Posn: posn, Message: d.Message, Category: d.Category}
			for _, rel := range d.Related {
				r.Related = append(r.Related, relatedRec{Posn: fset.Position(rel.Pos), Message: rel.Message})
			}
			for _, fx := range d.SuggestedFixes {
				fr := fixRec{Message: fx.Message}
				for _, e := range fx.TextEdits {
					end := e.End
					if !end.IsValid() {
						end = e.Pos
					}
					p, q := fset.Position(e.Pos), fset.Position(end)
					fr.Edits = append(fr.Edits, editRec{Filename: p.Filename, Start: p.Offset, End: q.Offset, New: string(e.NewText)})
				}
				r.Fixes = append(r.Fixes, fr)
			}
			out = append(out, &finding{analyzer: act.Analyzer.Name, posn: posn, pkgID: id, rec: r, diag: d, fset: fset})
		}
	}
	return out
}

// dedupe keeps each finding once: a package and its test variant share
// files and report the same findings. The one kept is the package's own
// (the shorter ID: "p" before "p [p.test]").
func dedupe(in []*finding) []*finding {
	type key struct {
		posn     token.Position
		analyzer string
		msg      string
	}
	sort.SliceStable(in, func(i, j int) bool { return len(in[i].pkgID) < len(in[j].pkgID) })
	seen := map[key]bool{}
	var out []*finding
	for _, f := range in {
		if f.err != nil {
			out = append(out, f)
			continue
		}
		k := key{f.posn, f.analyzer, f.rec.Message}
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, f)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].posn, out[j].posn
		if a.Filename != b.Filename {
			return a.Filename < b.Filename
		}
		return a.Offset < b.Offset
	})
	return out
}

// edit is a text edit in byte offsets of one file.
type edit struct {
	start, end int
	text       string
}

// applyFixes applies the first suggested fix of each finding, skipping a
// fix whose edits overlap those of a fix already accepted, then gofmts each
// changed file. It returns how many findings were fixed.
func applyFixes(findings []*finding) (int, error) {
	type fileEdits struct {
		edits []edit
	}
	files := map[string]*fileEdits{}
	var order []string
	accepted := []*finding{}
	for _, f := range findings {
		if f.err != nil || len(f.diag.SuggestedFixes) == 0 {
			continue
		}
		fix := f.diag.SuggestedFixes[0]
		byFile := map[string][]edit{}
		valid := true
		for _, e := range fix.TextEdits {
			tf := f.fset.File(e.Pos)
			end := e.End
			if !end.IsValid() {
				end = e.Pos
			}
			if tf == nil || tf != f.fset.File(end) {
				valid = false
				break
			}
			byFile[tf.Name()] = append(byFile[tf.Name()], edit{tf.Offset(e.Pos), tf.Offset(end), string(e.NewText)})
		}
		if !valid {
			continue
		}
		// Reject the whole fix if any edit conflicts with an accepted one.
		conflict := false
		for name, es := range byFile {
			fe := files[name]
			if fe == nil {
				continue
			}
			for _, e := range es {
				for _, o := range fe.edits {
					if e == o {
						continue // the same edit (from a test variant)
					}
					if overlaps(e, o) {
						conflict = true
					}
				}
			}
		}
		if conflict {
			continue
		}
		for name, es := range byFile {
			fe := files[name]
			if fe == nil {
				fe = &fileEdits{}
				files[name] = fe
				order = append(order, name)
			}
		edits:
			for _, e := range es {
				for _, o := range fe.edits {
					if e == o {
						continue edits
					}
				}
				fe.edits = append(fe.edits, e)
			}
		}
		f.fixed = true
		f.touches = map[string]bool{}
		for name := range byFile {
			f.touches[name] = true
		}
		accepted = append(accepted, f)
	}
	sort.Strings(order)
	var firstErr error
	// unfix marks the findings whose fix touches name as not fixed: the
	// file could not be rewritten, so they are still there.
	unfix := func(name string) {
		for _, f := range accepted {
			if f.touches[name] {
				f.fixed = false
			}
		}
	}
	for _, name := range order {
		src, err := os.ReadFile(name)
		if err != nil {
			firstErr = err
			unfix(name)
			continue
		}
		out, err := apply(src, files[name].edits)
		if err != nil {
			firstErr = fmt.Errorf("%s: %v", name, err)
			unfix(name)
			continue
		}
		if formatted, err := format.Source(out); err == nil {
			out = formatted
		} else {
			firstErr = fmt.Errorf("%s: the fixed file does not parse, left unchanged: %v", name, err)
			unfix(name)
			continue
		}
		info, err := os.Stat(name)
		if err != nil {
			firstErr = err
			unfix(name)
			continue
		}
		if err := writeFile(name, out, info.Mode().Perm()); err != nil {
			firstErr = err
			unfix(name)
		}
	}
	n := 0
	for _, f := range accepted {
		if f.fixed {
			n++
		}
	}
	return n, firstErr
}

// writeFile writes a fixed file (a variable so tests can make it fail).
var writeFile = os.WriteFile

// overlaps reports whether two edits touch the same bytes; two insertions
// at the same offset also conflict, since their order would be arbitrary.
func overlaps(a, b edit) bool {
	if a.start == a.end && b.start == b.end {
		return a.start == b.start
	}
	return a.start < b.end && b.start < a.end ||
		a.start == a.end && a.start > b.start && a.start < b.end ||
		b.start == b.end && b.start > a.start && b.start < a.end
}

// apply applies non-overlapping edits to src.
func apply(src []byte, edits []edit) ([]byte, error) {
	sort.SliceStable(edits, func(i, j int) bool {
		if edits[i].start != edits[j].start {
			return edits[i].start < edits[j].start
		}
		return edits[i].end < edits[j].end
	})
	var buf bytes.Buffer
	last := 0
	for _, e := range edits {
		if e.start < last || e.end > len(src) || e.start > e.end {
			return nil, fmt.Errorf("overlapping or out-of-range edit at offset %d", e.start)
		}
		buf.Write(src[last:e.start])
		buf.WriteString(e.text)
		last = e.end
	}
	buf.Write(src[last:])
	return buf.Bytes(), nil
}

// printText prints findings as go vet does: file:line:col: message, with
// paths relative to the working directory when shorter, related
// information indented below, and contextLines lines of source around.
func printText(w io.Writer, findings []*finding, contextLines int) {
	for _, f := range findings {
		if f.err != nil {
			continue
		}
		fmt.Fprintf(w, "%s: %s\n", shortPosn(f.posn), f.rec.Message)
		if contextLines >= 0 {
			printContext(w, f.posn, contextLines)
		}
		for _, r := range f.rec.Related {
			fmt.Fprintf(w, "\t%s: %s\n", shortPosn(r.Posn), r.Message)
		}
	}
}

func printContext(w io.Writer, posn token.Position, n int) {
	src, err := os.ReadFile(posn.Filename)
	if err != nil {
		return
	}
	lines := strings.Split(string(src), "\n")
	for l := max(posn.Line-n, 1); l <= min(posn.Line+n, len(lines)); l++ {
		fmt.Fprintf(w, "%d\t%s\n", l, lines[l-1])
	}
}

// shortPosn renders a position with its file relative to the working
// directory ("./x/y.go:3:1") when the file is below it.
func shortPosn(p token.Position) string {
	if wd, err := os.Getwd(); err == nil {
		if rel, err := filepath.Rel(wd, p.Filename); err == nil && !strings.HasPrefix(rel, "..") && !filepath.IsAbs(rel) {
			p.Filename = "." + string(filepath.Separator) + rel
		}
	}
	return p.String()
}
