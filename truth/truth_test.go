package truth_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"go/token"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/tools/txtar"

	"github.com/golens/golens/checks/all"
	"github.com/golens/golens/hints"
	"github.com/golens/golens/hover"
	"github.com/golens/golens/model"
	"github.com/golens/golens/typed"
)

var runs = flag.Int("runs", 1, "run each program this many times and judge a run that differs from the first (finds programs whose output depends on timing)")

var updateFailing = flag.Bool("update-failing", false, "rewrite FAILING.md: drop the rows that now pass, add rows for new failures")

// A tcase is one program of the suite with its expectations.
type tcase struct {
	name   string
	about  string            // the archive's first comment line: what the program shows
	goLine string            // go.mod's go version
	files  map[string][]byte // Go files of package main, by name
	order  []string          // file names in archive order
	wants  []want
	stdout *string // nil: not checked
	code   int
	leaked map[string]int // go statement ("main.go:12", "worker/w.go:7") → goroutines blocked forever at exit
	alive  map[string]int // go statement → goroutines alive (not leaked) at exit
	// built is what is built: the files with markers (marks_test.go);
	// sites are the statements the markers report.
	built map[string][]byte
	sites []markSite
}

// hasPackages reports whether the program has packages besides main
// (files in subdirectories, imported as CASE/dir): it is built as a module
// of its own, named after the case.
func (c *tcase) hasPackages() bool {
	for name := range c.files {
		if strings.Contains(name, "/") {
			return true
		}
	}
	return false
}

// hasTests: a file of the program is a _test.go file. The batched load
// leaves tests out, as the server's load does; the program is loaded by
// itself (packageModels), which asks for each of its files.
func (c *tcase) hasTests() bool {
	for name := range c.files {
		if strings.HasSuffix(name, "_test.go") {
			return true
		}
	}
	return false
}

// A want is one expectation line.
type want struct {
	text   string // the line as written (without the tier prefix)
	tier   string // "", "syntax" or "typed"
	file   string
	line   int
	token  string // hover: the token to hover; "" for line-wide wants
	nth    int
	kind   string // "hover", "hint", "finding", "any"
	negate bool
	subs   []string
}

var wantRE = regexp.MustCompile(`^(?:(\S+\.go):)?(\d+|\[[^\]]+\])\s+(?:(\S+)\s+)?(hover|hint|finding|any)(!?):\s*(.*)$`)

func loadCase(t *testing.T, path string) *tcase {
	t.Helper()
	ar, err := txtar.ParseFile(path)
	if err != nil {
		t.Fatal(err)
	}
	c := &tcase{name: strings.TrimSuffix(filepath.Base(path), ".txtar"), goLine: "1.26", files: map[string][]byte{}}
	c.about, _, _ = strings.Cut(string(ar.Comment), "\n")
	for _, l := range strings.Split(string(ar.Comment), "\n") {
		if v, ok := strings.CutPrefix(l, "go:"); ok {
			c.goLine = strings.TrimSpace(v)
		}
	}
	var pending []int
	var lineSpec []string
	for _, f := range ar.Files {
		switch {
		case strings.HasSuffix(f.Name, ".go"):
			c.files[f.Name] = f.Data
			c.order = append(c.order, f.Name)
		case f.Name == "want":
			for i, l := range strings.Split(string(f.Data), "\n") {
				l = strings.TrimSpace(l)
				if l == "" || strings.HasPrefix(l, "#") {
					continue
				}
				w := want{file: "main.go", nth: 1}
				for _, tier := range []string{"syntax", "typed"} {
					if rest, ok := strings.CutPrefix(l, tier+":"); ok {
						w.tier, l = tier, strings.TrimSpace(rest)
					}
				}
				m := wantRE.FindStringSubmatch(l)
				if m == nil {
					t.Fatalf("%s: want line %d: cannot parse %q", path, i+1, l)
				}
				w.text = l
				if m[1] != "" {
					w.file = m[1]
				}
				pending = append(pending, len(c.wants))
				lineSpec = append(lineSpec, m[2])
				w.token, w.kind, w.negate = m[3], m[4], m[5] == "!"
				if j := strings.LastIndex(w.token, "#"); j > 0 {
					w.nth, _ = strconv.Atoi(w.token[j+1:])
					w.token = w.token[:j]
				}
				if (w.kind == "hover") != (w.token != "") {
					t.Fatalf("%s: %q: a hover want names a token; hint, finding and any wants do not", path, l)
				}
				for _, s := range strings.Split(m[6], "|") {
					if s = strings.TrimSpace(s); s != "" {
						w.subs = append(w.subs, s)
					}
				}
				if len(w.subs) == 0 && !(w.kind == "hover" && w.negate) {
					t.Fatalf("%s: %q: nothing to look for", path, l)
				}
				c.wants = append(c.wants, w)
			}
		case f.Name == "stdout":
			s := string(f.Data)
			c.stdout = &s
		case f.Name == "exit":
			c.leaked, c.alive = map[string]int{}, map[string]int{}
			for _, l := range strings.Split(string(f.Data), "\n") {
				k, v, _ := strings.Cut(strings.TrimSpace(l), " ")
				v = strings.TrimSpace(v)
				if k == "" {
					continue
				}
				if k == "code" {
					n, err := strconv.Atoi(v)
					if err != nil {
						t.Fatalf("%s: exit line %q", path, l)
					}
					c.code = n
					continue
				}
				// leaked/alive LINE (a line of main.go) or FILE:LINE.
				file, num := "main.go", v
				if i := strings.LastIndexByte(v, ':'); i >= 0 {
					file, num = v[:i], v[i+1:]
				}
				n, err := strconv.Atoi(num)
				if err != nil || n < 1 {
					t.Fatalf("%s: exit line %q", path, l)
				}
				switch k {
				case "leaked":
					c.leaked[goLoc(file, n)]++
				case "alive":
					c.alive[goLoc(file, n)]++
				default:
					t.Fatalf("%s: exit line %q", path, l)
				}
			}
		default:
			t.Fatalf("%s: unknown section %q", path, f.Name)
		}
	}
	// Resolve [text] to the first line of the file that contains text.
	for i, idx := range pending {
		w := &c.wants[idx]
		spec := lineSpec[i]
		if n, err := strconv.Atoi(spec); err == nil {
			w.line = n
			continue
		}
		needle := strings.TrimSuffix(strings.TrimPrefix(spec, "["), "]")
		for j, l := range strings.Split(string(c.files[w.file]), "\n") {
			if strings.HasPrefix(needle, " ") && strings.HasPrefix(strings.TrimSpace(l), strings.TrimSpace(needle)) ||
				!strings.HasPrefix(needle, " ") && strings.Contains(l, needle) {
				w.line = j + 1
				break
			}
		}
		if w.line == 0 {
			t.Fatalf("%s: %q: no line of %s contains %q", path, w.text, w.file, needle)
		}
	}
	if c.files["main.go"] == nil || !bytes.Contains(c.files["main.go"], []byte("func main() {")) {
		t.Fatalf("%s: needs main.go with func main() {", path)
	}
	c.built, c.sites = instrument(c)
	return c
}

// harness is added to every program: it runs the case's main (renamed
// truthMain on the same line, so line numbers stay) and then writes every
// goroutine's stack after a leak-detecting GC.
const harness = `package main

import (
	"os"
	"runtime"
	"runtime/pprof"
	"time"
)

func main() {
	truthMain()
	// Let goroutines that were just released finish exiting, so that what
	// is left is what stays.
	last, stable := -1, 0
	for i := 0; i < 200 && stable < 5; i++ {
		n := runtime.NumGoroutine()
		if n == last {
			stable++
		} else {
			last, stable = n, 0
		}
		time.Sleep(time.Millisecond)
	}
	if p := os.Getenv("TRUTH_PROFILE"); p != "" {
		if f, err := os.Create(p); err == nil {
			pprof.Lookup("goroutineleak").WriteTo(f, 2)
			f.Close()
		}
	}
}
`

// result is what running a program showed.
type result struct {
	buildErr string
	stdout   string
	stderr   string
	code     int
	profiled bool           // main returned and the profile was written
	leaked   map[string]int // go statement (goLoc) → goroutines
	alive    map[string]int
	fired    map[int]bool // the sites (tcase.sites) whose markers fired
}

// sameRun reports whether two runs of a program agree on everything a
// case states about a run.
func sameRun(a, b result) bool {
	return a.stdout == b.stdout && a.code == b.code && a.profiled == b.profiled &&
		fmt.Sprint(a.leaked) == fmt.Sprint(b.leaked) && fmt.Sprint(a.alive) == fmt.Sprint(b.alive)
}

// goLoc names a go statement by file and line, as the exit section and
// the profile's "created by" frames do.
func goLoc(file string, line int) string { return file + ":" + strconv.Itoa(line) }

// splitLoc is goLoc's inverse.
func splitLoc(loc string) (file string, line int) {
	i := strings.LastIndexByte(loc, ':')
	line, _ = strconv.Atoi(loc[i+1:])
	return loc[:i], line
}

func goEnv(extra ...string) []string {
	env := append(os.Environ(), "GOEXPERIMENT=goroutineleakprofile", "GOTOOLCHAIN=local", "GOWORK=off", "GOFLAGS=")
	return append(env, extra...)
}

// buildAll builds every program: the cases on the default go line as
// packages of one module in one go build, the others one module each.
func buildAll(t *testing.T, cases []*tcase) (bins map[string]string, errs map[string]string) {
	dir := t.TempDir()
	binDir := filepath.Join(dir, "bin")
	os.MkdirAll(binDir, 0o755)
	bins, errs = map[string]string{}, map[string]string{}
	// Programs built by an earlier run from the same sources are reused.
	cache := binCache()
	all := cases
	cases = nil
	for _, c := range all {
		if cache != "" {
			if p := filepath.Join(cache, c.buildKey()); fileExists(p) {
				now := time.Now()
				os.Chtimes(p, now, now) // in use: see prune
				bins[c.name] = p
				continue
			}
		}
		cases = append(cases, c)
	}
	write := func(pkgDir string, c *tcase) {
		os.MkdirAll(pkgDir, 0o755)
		for name, src := range c.built {
			if name == "main.go" {
				src = bytes.Replace(src, []byte("func main() {"), []byte("func truthMain() {"), 1)
			}
			os.MkdirAll(filepath.Dir(filepath.Join(pkgDir, name)), 0o755)
			os.WriteFile(filepath.Join(pkgDir, name), src, 0o644)
		}
		os.WriteFile(filepath.Join(pkgDir, "zz_truth_harness.go"), []byte(harness), 0o644)
	}
	shared := filepath.Join(dir, "shared")
	os.MkdirAll(shared, 0o755)
	os.WriteFile(filepath.Join(shared, "go.mod"), []byte("module truth\n\ngo 1.26\n"), 0o644)
	var own []*tcase
	nShared := 0
	for _, c := range cases {
		if c.goLine == "1.26" && !c.hasPackages() {
			write(filepath.Join(shared, c.name), c)
			nShared++
		} else {
			own = append(own, c)
		}
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	if nShared > 0 {
		wg.Go(func() {
			cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", binDir+string(filepath.Separator), "./...")
			cmd.Dir, cmd.Env = shared, goEnv()
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Logf("go build (some programs may still have built): %v\n%s", err, out)
			}
			mu.Lock()
			defer mu.Unlock()
			for _, c := range cases {
				if c.goLine == "1.26" && !c.hasPackages() {
					errs[c.name] = string(out)
				}
			}
		})
	}
	// At most GOMAXPROCS builds of their own at once: on a machine whose
	// build cache is cold every one of them compiles the runtime (the leak
	// profile's GOEXPERIMENT makes it a build of its own), and a few hundred
	// at once exhaust memory.
	ownSem := make(chan struct{}, max(2, runtime.GOMAXPROCS(0)))
	for _, c := range own {
		wg.Go(func() {
			ownSem <- struct{}{}
			defer func() { <-ownSem }()
			mdir := filepath.Join(dir, "own", c.name)
			write(mdir, c)
			os.WriteFile(filepath.Join(mdir, "go.mod"), []byte("module "+c.name+"\n\ngo "+c.goLine+"\n"), 0o644)
			cmd := exec.Command("go", "build", "-trimpath", "-ldflags=-s -w", "-o", filepath.Join(binDir, c.name), ".")
			cmd.Dir, cmd.Env = mdir, goEnv()
			out, _ := cmd.CombinedOutput()
			mu.Lock()
			defer mu.Unlock()
			errs[c.name] = string(out)
		})
	}
	wg.Wait()
	for _, c := range cases {
		b := filepath.Join(binDir, c.name)
		if _, err := os.Stat(b); err == nil {
			bins[c.name] = b
			delete(errs, c.name)
			if cache != "" {
				keep(b, filepath.Join(cache, c.buildKey()))
			}
		} else if errs[c.name] == "" {
			errs[c.name] = "no binary built"
		}
	}
	if cache != "" {
		prune(cache)
	}
	return bins, errs
}

// prune removes cached programs no run has used for three days (they are
// about 2 MB each; every edit of a case leaves its old binary behind).
func prune(dir string) {
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > 72*time.Hour {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

// binCache is where built programs are kept between runs, named by a hash
// of everything that goes into them; "" when there is none (or
// TRUTH_NOCACHE=1).
func binCache() string {
	if os.Getenv("TRUTH_NOCACHE") == "1" {
		return ""
	}
	dir, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	dir = filepath.Join(dir, "golens-truth")
	if os.MkdirAll(dir, 0o755) != nil {
		return ""
	}
	return dir
}

// buildKey names a program's binary by its sources, its go line, the
// harness and the Go toolchain.
func (c *tcase) buildKey() string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s\x00", runtime.Version(), runtime.GOOS+"/"+runtime.GOARCH, c.goLine, harness)
	names := slices.Sorted(maps.Keys(c.built))
	for _, n := range names {
		fmt.Fprintf(h, "%s\x00%d\x00", n, len(c.built[n]))
		h.Write(c.built[n])
	}
	return hex.EncodeToString(h.Sum(nil))[:32]
}

func fileExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular()
}

// keep copies a built binary into the cache (atomically: a temporary file
// renamed into place).
func keep(from, to string) {
	b, err := os.ReadFile(from)
	if err != nil {
		return
	}
	tmp := to + ".tmp" + strconv.Itoa(os.Getpid())
	if os.WriteFile(tmp, b, 0o755) != nil || os.Rename(tmp, to) != nil {
		os.Remove(tmp)
	}
}

// createdRE reads a goroutine's go statement from its profile entry: the
// file (as -trimpath writes it: the package's import path, then the file's
// name) and line under "created by".
var createdRE = regexp.MustCompile(`(?m)^created by \S+ in goroutine \d+\n\t(\S+):(\d+) `)

// caseFile is the case's name for a file the profile names: programs are
// built with -trimpath, so a file of the case is "truth/CASE/NAME" (the
// shared module) or "CASE/NAME" (a module of its own); "" for any other
// file (the standard library's, the harness's).
func (c *tcase) caseFile(path string) string {
	for _, prefix := range []string{"truth/" + c.name + "/", c.name + "/"} {
		if rest, ok := strings.CutPrefix(path, prefix); ok && c.files[rest] != nil {
			return rest
		}
	}
	return ""
}

func run(t *testing.T, c *tcase, bin string) result {
	dir := t.TempDir()
	prof := filepath.Join(dir, "profile")
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin)
	cmd.Env = append(os.Environ(), "TRUTH_PROFILE="+prof)
	marks := markFile(t, filepath.Join(dir, "marks"))
	defer marks.Close()
	cmd.ExtraFiles = []*os.File{marks} // fd 3: the markers write there
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	r := result{stdout: stdout.String(), stderr: stderr.String(), leaked: map[string]int{}, alive: map[string]int{}}
	if ee, ok := err.(*exec.ExitError); ok {
		r.code = ee.ExitCode()
	} else if err != nil {
		r.code = -1
		r.stderr += "\n" + err.Error()
	}
	if b, err := os.ReadFile(marks.Name()); err == nil {
		r.fired = readMarks(b)
	}
	if b, err := os.ReadFile(prof); err == nil {
		r.profiled = true
		for _, g := range strings.Split(string(b), "\n\n") {
			m := createdRE.FindStringSubmatch(g)
			if m == nil {
				continue
			}
			file := c.caseFile(m[1])
			if file == "" {
				continue // started by the standard library (time.AfterFunc, ...)
			}
			line, _ := strconv.Atoi(m[2])
			if strings.Contains(strings.SplitN(g, "\n", 2)[0], "(leaked)") {
				r.leaked[goLoc(file, line)]++
			} else {
				r.alive[goLoc(file, line)]++
			}
		}
	}
	return r
}

// An annotation is one thing golens shows on the program.
type annotation struct {
	file   string
	kind   string // "hover", "hint", "check"
	offset int    // hover: start of the construct; hint: label position
	line   int
	text   string // plain text
}

// models builds the model of every file on the given tier. On the typed
// tier it also returns the typed-tier check findings: the analyzers run over
// the type-checked package, as the server's typed tier and golens check run
// them (the syntax tier's findings come from annotations). The typed tier is
// always the server's: a package loaded by package typed (go/packages, the
// function summaries across the package, the facts about imported
// packages), from the batch load (loadTyped) or, for a program of several
// packages, by a load of its own (packageModels).
func models(t *testing.T, c *tcase, dir, tier string, batch map[string]*typed.Package) (map[string]*model.File, []annotation) {
	out := map[string]*model.File{}
	if tier == "syntax" {
		for name, src := range c.files {
			out[name] = model.Parse(filepath.Join(dir, name), src)
		}
		return out, nil
	}
	pkg := batch[c.name]
	if pkg == nil {
		return packageModels(t, c, dir)
	}
	for _, name := range c.order {
		f := pkg.File(filepath.Join(pkg.Dir, name))
		if f == nil {
			t.Fatalf("typed load: no %s in its package", name)
		}
		if !bytes.Equal(f.Src, c.files[name]) {
			t.Fatalf("typed load: %s was loaded from other bytes than the case's", name)
		}
		out[name] = f.Model()
	}
	return out, typedFindings(t, c, pkg.Dir, pkg)
}

// loadTyped loads the typed tier of every program of one package (package
// main only) the way the server loads an open file's package, and returns
// the packages by case name (it runs beside the programs, so it reports
// with t.Error, never t.Fatal). It writes the programs as the packages of one
// module per go line and loads each module with typed's LoadAll: one go
// list for a thousand programs instead of one each (each costs a quarter
// of a second), and every package made by the loader's own step
// (typed.fromLoad), so the models, summaries and imported facts are those
// the editor shows. A program of several packages is loaded by itself
// (packageModels): its imports name its own module. The module stays on
// disk between runs (typedRoot).
func loadTyped(t *testing.T, cases []*tcase) map[string]*typed.Package {
	root := typedRoot(t)
	byLine := map[string][]*tcase{}
	all := true
	for _, c := range cases {
		if c.hasPackages() || c.hasTests() {
			continue
		}
		if !selected(c.name) {
			all = false
			continue
		}
		byLine[c.goLine] = append(byLine[c.goLine], c)
	}
	// The loads are long (a cold build cache compiles every program for
	// its export data): no go list time limit meant for an editor.
	ld := typed.NewLoader(typed.Config{Env: goEnv(), ListTimeout: 30 * time.Minute})
	out := map[string]*typed.Package{}
	for _, goLine := range slices.Sorted(maps.Keys(byLine)) {
		mdir := filepath.Join(root, "go"+goLine)
		if err := syncPrograms(mdir, goLine, byLine[goLine], all); err != nil {
			t.Errorf("typed load of the go %s programs: %v", goLine, err)
			continue
		}
		byPath := map[string]*tcase{}
		patterns := []string{"./..."}
		if !all {
			patterns = nil
		}
		for _, c := range byLine[goLine] {
			byPath["truth/"+c.name] = c
			if !all {
				patterns = append(patterns, "./"+c.name)
			}
		}
		pkgs, err := ld.LoadAll(context.Background(), mdir, patterns...)
		if err != nil {
			t.Errorf("typed load of the go %s programs: %v", goLine, err)
		}
		for _, pkg := range pkgs {
			if c := byPath[pkg.PkgPath]; c != nil {
				out[c.name] = pkg
			}
		}
	}
	return out
}

// typedRoot is where loadTyped writes the programs it loads: a directory
// kept from run to run, one per checkout of golens. The go command keys
// the export data it compiles for a package by the package's directory
// too, so a new directory each run compiled all thousand programs again
// (a minute of CPU); in the same one, a rerun finds them in the build
// cache.
func typedRoot(t *testing.T) string {
	cache := binCache()
	wd, err := os.Getwd()
	if cache == "" || err != nil {
		return t.TempDir()
	}
	sum := sha256.Sum256([]byte(wd))
	return filepath.Join(cache, "typed-"+hex.EncodeToString(sum[:6]))
}

// syncPrograms makes mdir the module holding exactly cases (with every
// case present when all is set: others are removed), rewriting only what
// changed.
func syncPrograms(mdir, goLine string, cases []*tcase, all bool) error {
	if err := os.MkdirAll(mdir, 0o755); err != nil {
		return err
	}
	if err := writeIfChanged(filepath.Join(mdir, "go.mod"), []byte("module truth\n\ngo "+goLine+"\n")); err != nil {
		return err
	}
	want := map[string]*tcase{}
	for _, c := range cases {
		want[c.name] = c
	}
	entries, _ := os.ReadDir(mdir)
	for _, e := range entries {
		if e.IsDir() && (want[e.Name()] == nil && all || want[e.Name()] != nil && !sameFiles(filepath.Join(mdir, e.Name()), want[e.Name()])) {
			os.RemoveAll(filepath.Join(mdir, e.Name()))
		}
	}
	for _, c := range cases {
		for name, src := range c.files {
			p := filepath.Join(mdir, c.name, name)
			os.MkdirAll(filepath.Dir(p), 0o755)
			if err := writeIfChanged(p, src); err != nil {
				return err
			}
		}
	}
	return nil
}

// sameFiles reports whether dir holds exactly the case's files.
func sameFiles(dir string, c *tcase) bool {
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) != len(c.files) {
		return false
	}
	for _, e := range entries {
		if c.files[e.Name()] == nil {
			return false
		}
	}
	return true
}

func writeIfChanged(p string, b []byte) error {
	if old, err := os.ReadFile(p); err == nil && bytes.Equal(old, b) {
		return nil
	}
	return os.WriteFile(p, b, 0o644)
}

// selected reports whether -run may select the case's subtest
// (TestTruth/NAME): a run of a few cases loads only theirs.
func selected(name string) bool {
	f := flag.Lookup("test.run")
	return f == nil || runSelects(f.Value.String(), name)
}

// runSelects reports whether the -run pattern may select TestTruth/name.
func runSelects(pattern, name string) bool {
	if pattern == "" {
		return true
	}
	// As package testing reads the pattern: alternatives at the top-level
	// |, levels at the top-level /, neither inside () or [] (so
	// TestTruth/(a|b)$ is one alternative whose subtest part is (a|b)$).
	// A piece that fails to compile selects every case.
	for _, alt := range splitTopLevel(pattern, '|') {
		levels := splitTopLevel(alt, '/')
		if len(levels) < 2 {
			return true
		}
		re, err := regexp.Compile(levels[1])
		if err != nil || re.MatchString(name) {
			return true
		}
	}
	return false
}

// splitTopLevel splits a regular expression at each sep outside
// parentheses and brackets (and not escaped).
func splitTopLevel(re string, sep byte) []string {
	var parts []string
	depth, inClass, start := 0, false, 0
	for i := 0; i < len(re); i++ {
		switch c := re[i]; {
		case c == '\\':
			i++
		case inClass:
			inClass = c != ']'
		case c == '[':
			inClass = true
		case c == '(':
			depth++
		case c == ')':
			depth--
		case c == sep && depth == 0:
			parts = append(parts, re[start:i])
			start = i + 1
		}
	}
	return append(parts, re[start:])
}

// writeProgram writes the program's files and go.mod to a directory of
// their own and returns it: the tiers read the program from disk as the
// server does (the syntax tier reads go.mod's go line beside the file, the
// analyzers read the source they quote).
func writeProgram(t *testing.T, c *tcase) string {
	dir := filepath.Join(t.TempDir(), c.name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module "+c.name+"\n\ngo "+c.goLine+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, name := range c.order {
		os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755)
		if err := os.WriteFile(filepath.Join(dir, name), c.files[name], 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// packageModels loads a program of several packages as the server's typed
// tier does (package typed: go/packages, with function summaries across the
// package's files and facts about the imported packages) and returns each file's model and the findings of the
// analyzers over each of its packages.
func packageModels(t *testing.T, c *tcase, dir string) (map[string]*model.File, []annotation) {
	ld := typed.NewLoader(typed.Config{Env: goEnv()})
	out := map[string]*model.File{}
	var pkgs []*typed.Package
	for _, name := range c.order {
		// Files of package main come from one load; a file of another
		// package of the program from that package's load.
		pkg, err := ld.Load(context.Background(), typed.Request{File: filepath.Join(dir, name)})
		if err != nil {
			t.Fatalf("typed load of %s: %v", name, err)
		}
		f := pkg.File(filepath.Join(dir, name))
		if f == nil {
			t.Fatalf("typed load: no %s in its package", name)
		}
		out[name] = f.Model()
		// The loader answers a second file of a package it has loaded
		// with a copy of that package: one package is analyzed once,
		// as the server does (one finding is not reported twice).
		if !slices.ContainsFunc(pkgs, func(p *typed.Package) bool { return p.ID == pkg.ID }) {
			pkgs = append(pkgs, pkg)
		}
	}
	var findings []annotation
	for _, pkg := range pkgs {
		findings = append(findings, typedFindings(t, c, dir, pkg)...)
	}
	return out, findings
}

// typedFindings runs every check's analyzer over one type-checked package
// of the program with the server's own call (all.AnalyzeTyped), and
// returns the findings in the program's files.
func typedFindings(t *testing.T, c *tcase, dir string, pkg *typed.Package) []annotation {
	if len(pkg.TypeErrors) > 0 || pkg.Types == nil {
		t.Fatalf("typed checks of %s: type errors %v", pkg.PkgPath, pkg.TypeErrors)
	}
	graph, err := all.AnalyzeTyped(pkg)
	if err != nil {
		t.Fatalf("typed checks of %s: %v", pkg.PkgPath, err)
	}
	var out []annotation
	for _, act := range graph.Roots {
		if act.Err != nil {
			t.Errorf("check %s on %s: %v", act.Analyzer.Name, pkg.PkgPath, act.Err)
			continue
		}
		for _, d := range act.Diagnostics {
			posn := pkg.Fset.Position(d.Pos)
			name, err := filepath.Rel(dir, posn.Filename)
			if err != nil || c.files[filepath.ToSlash(name)] == nil {
				continue
			}
			out = append(out, annotation{file: filepath.ToSlash(name), kind: "check", offset: posn.Offset, line: posn.Line, text: act.Analyzer.Name + ": " + d.Message})
		}
	}
	// In the order the syntax tier's are: by file, then the checks' order.
	slices.SortStableFunc(out, func(a, b annotation) int {
		return slices.Index(c.order, a.file) - slices.Index(c.order, b.file)
	})
	return out
}

// annotations is what golens shows on one file: its hovers, its inlay
// hints, and, when syntaxChecks is set (the syntax tier), the findings of
// the checks' syntax functions. The typed tier's findings come from
// models.
func annotations(m *model.File, file string, syntaxChecks bool) []annotation {
	var out []annotation
	last := -1
	starts := []token.Pos{}
	for _, s := range m.Sites() {
		starts = append(starts, s.Start)
	}
	for _, o := range m.OnceFuncCalls() { // not sites: found when asked
		starts = append(starts, o.Sel.Pos())
	}
	for _, start := range starts {
		h := hover.At(m, m.Offset(start))
		if h == nil || h.Start == last {
			continue
		}
		last = h.Start
		out = append(out, annotation{file: file, kind: "hover", offset: h.Start, line: m.Line(m.Pos(h.Start)), text: hover.PlainText(h.Markdown)})
	}
	for _, h := range hints.Compute(m, 0, len(m.Src), hints.All()) {
		tip, _ := hints.Tooltip(m, h.Data)
		out = append(out, annotation{file: file, kind: "hint", offset: h.Offset, line: m.Line(m.Pos(h.Offset)), text: h.Label + "\n" + hover.PlainText(tip)})
	}
	if !syntaxChecks {
		return out
	}
	for _, ch := range all.Checks() {
		if ch.Syntax == nil {
			continue
		}
		for _, d := range ch.Syntax(m) {
			out = append(out, annotation{file: file, kind: "check", offset: m.Offset(d.Pos), line: m.Line(d.Pos), text: ch.Analyzer.Name + ": " + d.Message})
		}
	}
	return out
}

// locate is the byte offset of the nth token on line.
func locate(src []byte, line int, tok string, nth int) (int, bool) {
	lines := strings.SplitAfter(string(src), "\n")
	if line < 1 || line > len(lines) {
		return 0, false
	}
	off := 0
	for _, l := range lines[:line-1] {
		off += len(l)
	}
	text, col := lines[line-1], -1
	for i := 0; i < nth; i++ {
		j := strings.Index(text[col+1:], tok)
		if j < 0 {
			return 0, false
		}
		col += 1 + j
	}
	return off + col, true
}

// judgeLeaked applies the leak rule to one tier's annotations: the go
// statement of a goroutine the profile shows blocked forever at exit, in any
// file of the program, must not be described as waited for, unless the text
// says the wait can give up, that it never returns (a wait the goroutine
// itself keeps from ending: "waits for it with wg.Wait() at line 19, which
// never returns: ..." promises no end), that some path skips it ("— but
// not on every path: the return at line 38 leaves f without waiting for
// it"), or that the function never gets to it.
func judgeLeaked(leaked map[string]int, anns []annotation, judged func(i int), fail func(w, said string, i int)) {
	for loc := range leaked {
		file, line := splitLoc(loc)
		for i, a := range anns {
			if a.file != file || a.line != line || a.kind != "hover" || !strings.HasPrefix(a.text, "go ") {
				continue
			}
			judged(i)
			if strings.Contains(a.text, "waits for it with") && !strings.Contains(a.text, "can lose") && !strings.Contains(a.text, "and then nothing waits for it") && !strings.Contains(a.text, ", which never returns: ") && !strings.Contains(a.text, " — but not on every path: ") && !strings.Contains(a.text, " never gets there") {
				fail(fmt.Sprintf("%s go hover!: waits for it with", wantLoc(file, line)), excerpt(a.text, "waits for it with", true), i)
			}
		}
	}
}

// wantLoc writes a line of a file as a want line does: LINE for main.go,
// FILE:LINE for another file.
func wantLoc(file string, line int) string {
	if file == "main.go" {
		return strconv.Itoa(line)
	}
	return goLoc(file, line)
}

// A failure is one expectation an annotation did not meet.
type failure struct {
	key  string // case, tier and want: the FAILING.md key
	said string // what golens said (or "no such annotation")
}

type failingRow struct{ caseName, tier, want, said, fact string }

func readFailing(t *testing.T) (rows []failingRow, header string) {
	b, err := os.ReadFile("FAILING.md")
	if err != nil {
		return nil, ""
	}
	var head []string
	inTable := false
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "| case") || strings.HasPrefix(l, "|---") || strings.HasPrefix(l, "| ---") {
			inTable = true
			continue
		}
		if inTable && strings.HasPrefix(l, "|") {
			cells := splitRow(l)
			if len(cells) >= 5 {
				rows = append(rows, failingRow{cells[0], cells[1], cells[2], cells[3], cells[4]})
			}
			continue
		}
		if !inTable {
			head = append(head, l)
		}
	}
	return rows, strings.Join(head, "\n")
}

func splitRow(l string) []string {
	l = strings.TrimSpace(l)
	l = strings.TrimPrefix(strings.TrimSuffix(l, "|"), "|")
	var cells []string
	for _, c := range strings.Split(strings.ReplaceAll(l, `\|`, "\x00"), "|") {
		c = strings.TrimSpace(strings.ReplaceAll(c, "\x00", "|"))
		cells = append(cells, strings.Trim(c, "`"))
	}
	return cells
}

func escape(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	return strings.ReplaceAll(s, "|", `\|`)
}

// hoverOrderRE and hintOrderRE read a defer's run order from its hover
// headline ("runs 2nd when f returns", "runs 1st or later when") and from
// its hint label ("runs 2nd at return", "1st or later, at return").
var (
	hoverOrderRE = regexp.MustCompile(`— runs (\d+(?:st|nd|rd|th)(?: or later)?) when`)
	hintOrderRE  = regexp.MustCompile(`^(?:runs )?(\d+(?:st|nd|rd|th)(?: or later)?),? at (?:return|Goexit)$`)
)

// excerpt is the part of an annotation a failure is about: the sentence
// holding the forbidden text, or the headline and first paragraph.
func excerpt(text, sub string, negate bool) string {
	if negate {
		if i := strings.Index(text, sub); i >= 0 {
			from := strings.LastIndexAny(text[:i], ".:\n") + 1
			to := len(text)
			if j := strings.IndexAny(text[i+len(sub):], ".\n"); j >= 0 {
				to = i + len(sub) + j + 1
			}
			return strings.TrimSpace(text[from:to])
		}
	}
	parts := strings.SplitN(text, "\n\n", 3)
	if len(parts) > 2 {
		parts = parts[:2]
	}
	return strings.Join(parts, ": ")
}

func key(caseName, tier, want string) string { return caseName + "\x00" + tier + "\x00" + want }

func TestTruth(t *testing.T) {
	if testing.Short() {
		t.Skip("the truth suite builds and runs every program (about a minute); skipped with -short")
	}
	start := time.Now()
	paths, _ := filepath.Glob("testdata/*.txtar")
	if len(paths) == 0 {
		t.Fatal("no cases")
	}
	var cases []*tcase
	for _, p := range paths {
		cases = append(cases, loadCase(t, p))
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Fatalf("the truth suite builds its programs with the go command: %v", err)
	}
	// Only the programs -run selects are built: a run of a few cases must
	// not build (and, on a cold cache, compile the runtime for) all of them.
	var toBuild []*tcase
	for _, c := range cases {
		if selected(c.name) {
			toBuild = append(toBuild, c)
		}
	}
	bins, buildErrs := buildAll(t, toBuild)
	built := time.Since(start)
	// The typed tier's load runs while the programs run: they mostly
	// sleep, and their margins are made for a loaded machine.
	var typedPkgs map[string]*typed.Package
	var loaded time.Duration
	typedDone := make(chan struct{})
	go func() {
		defer close(typedDone)
		typedPkgs = loadTyped(t, cases)
		loaded = time.Since(start)
	}()

	// Run the programs, a few at a time.
	results := make(map[string]result, len(cases))
	var mu sync.Mutex
	sem := make(chan struct{}, max(2, runtime.GOMAXPROCS(0)))
	var wg sync.WaitGroup
	for _, c := range cases {
		bin, ok := bins[c.name]
		if !ok {
			continue
		}
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			r := run(t, c, bin)
			// -runs N looks for programs whose output depends on timing:
			// a run that differs from the first is the one judged.
			for i := 1; i < *runs; i++ {
				if again := run(t, c, bin); !sameRun(r, again) {
					r = again
					break
				}
			}
			mu.Lock()
			results[c.name] = r
			mu.Unlock()
		})
	}
	wg.Wait()
	ran := time.Since(start)
	<-typedDone

	failingRows, failingHead := readFailing(t)
	listed := map[string]failingRow{}
	for _, r := range failingRows {
		listed[key(r.caseName, r.tier, r.want)] = r
	}
	var (
		total, judged, wrong, missing int
		rangesEnded, defersRan        int // markers fired (marks_test.go)
		failures                      []failure
		skipped                       = map[string]string{} // listed failures seen, with what golens says now
		casesRun                      = map[string]bool{}   // cases run (-run may select a few)
	)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			casesRun[c.name] = true
			r, ok := results[c.name]
			if !ok {
				t.Fatalf("build failed:\n%s", buildErrs[c.name])
			}
			for k := range r.fired {
				if k < len(c.sites) && c.sites[k].kind == "range" {
					rangesEnded++
				} else {
					defersRan++
				}
			}
			// The facts: decided by running.
			if r.code != c.code {
				t.Errorf("exit status %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, c.code, r.stdout, r.stderr)
			}
			if c.stdout != nil && r.stdout != *c.stdout {
				t.Errorf("program printed:\n%s\nwant:\n%s\nstderr:\n%s", r.stdout, *c.stdout, r.stderr)
			}
			wantLeaked, wantAlive := c.leaked, c.alive
			if wantLeaked == nil {
				wantLeaked, wantAlive = map[string]int{}, map[string]int{}
			}
			if r.profiled {
				if fmt.Sprint(r.leaked) != fmt.Sprint(wantLeaked) || fmt.Sprint(r.alive) != fmt.Sprint(wantAlive) {
					t.Errorf("at exit: leaked (by go statement) %v, alive %v; the case says leaked %v, alive %v", r.leaked, r.alive, wantLeaked, wantAlive)
				}
			} else if len(wantLeaked)+len(wantAlive) > 0 {
				t.Errorf("main did not return, so the goroutines alive at exit are unknown; the case states some")
			}

			dir := writeProgram(t, c)
			for _, tier := range []string{"syntax", "typed"} {
				ms, findings := models(t, c, dir, tier, typedPkgs)
				var anns []annotation
				for _, name := range c.order {
					anns = append(anns, annotations(ms[name], name, tier == "syntax")...)
					for _, f := range findings {
						if f.file == name {
							anns = append(anns, f)
						}
					}
				}
				total += len(anns)
				dumpAnnotations(t, c.name, tier, anns)
				// One finding is shown once: the same message at the
				// same place twice is the same claim counted twice.
				seenFinding := map[annotation]bool{}
				for _, a := range anns {
					if a.kind != "check" {
						continue
					}
					if seenFinding[a] {
						t.Errorf("%s tier: %s:%d: the same finding is reported twice: %s", tier, a.file, a.line, a.text)
					}
					seenFinding[a] = true
				}
				judgedHere := map[int]bool{}
				wrongHere := map[int]bool{}
				// fail records an unmet expectation. A must-not that an
				// annotation breaks makes that annotation wrong (a false
				// claim); a must that nothing meets is a missing fact.
				fail := func(w string, said string, idx int, falseClaim bool) {
					k := key(c.name, tier, w)
					if falseClaim && idx >= 0 {
						wrongHere[idx] = true
					} else {
						missing++
					}
					if row, ok := listed[k]; ok {
						skipped[k] = said
						t.Logf("known failure (FAILING.md), %s: %s\n    golens says: %s\n    true: %s", tier, w, said, row.fact)
						return
					}
					failures = append(failures, failure{key: k, said: said})
					t.Errorf("%s tier: %s\n    golens says: %s", tier, w, said)
				}
				for _, w := range c.wants {
					if w.tier != "" && w.tier != tier {
						continue
					}
					src := c.files[w.file]
					switch w.kind {
					case "hover":
						off, ok := locate(src, w.line, w.token, w.nth)
						if !ok {
							t.Fatalf("%q: token not on line", w.text)
						}
						h := hover.At(ms[w.file], off)
						idx := -1
						if h != nil {
							idx = slices.IndexFunc(anns, func(a annotation) bool {
								return a.file == w.file && a.kind == "hover" && a.offset == h.Start
							})
						}
						if idx >= 0 {
							judgedHere[idx] = true
						}
						if h == nil {
							if !w.negate {
								fail(w.text, "no hover", -1, false)
							}
							continue
						}
						text := hover.PlainText(h.Markdown)
						for _, s := range w.subs {
							if strings.Contains(text, s) == w.negate {
								fail(w.text, excerpt(text, s, w.negate), idx, w.negate)
								break
							}
						}
					default:
						found := false
						for i, a := range anns {
							if a.file != w.file || a.line != w.line || (w.kind == "hint" && a.kind != "hint") || (w.kind == "finding" && a.kind != "check") {
								continue
							}
							hit := slices.IndexFunc(w.subs, func(s string) bool { return strings.Contains(a.text, s) })
							has := hit >= 0
							if w.negate {
								judgedHere[i] = true
								if has {
									fail(w.text, excerpt(a.text, w.subs[hit], true), i, true)
								}
							} else if has && !found {
								judgedHere[i], found = true, true
							}
						}
						if !w.negate && !found {
							fail(w.text, "no "+w.kind+" on the line says it", -1, false)
						}
					}
				}
				// Rule from the run: a goroutine still blocked at exit is
				// not one its starter waits for.
				judgeLeaked(r.leaked, anns, func(i int) { judgedHere[i] = true },
					func(w, said string, i int) { fail(w, said, i, true) })
				// Rule from the run: a defer's run order is the order its
				// function's deferred calls printed (order_rule_test.go).
				judgeOrder(printedOrder(c, ms, r.stdout), anns, func(i int) { judgedHere[i] = true },
					func(w, said string, i int) { fail(w, said, i, true) })
				// Rule from the run: a range main reached and returned
				// after has ended (order_rule_test.go).
				judgeRanges(endedRanges(ms, r), anns, func(i int) { judgedHere[i] = true },
					func(w, said string, i int) { fail(w, said, i, true) })
				// Rules from the run: a range whose marker fired ended; a
				// defer whose marker fired on a return ran
				// (marks_test.go).
				judgeMarks(c.sites, c.deferRuleApplies(), r.fired, anns, func(i int) { judgedHere[i] = true },
					func(w, said string, i int) { fail(w, said, i, true) })
				// One source of each fact: a defer's hover and its inlay
				// hint must give the same run order.
				for i, h := range anns {
					if h.kind != "hover" || !strings.HasPrefix(h.text, "defer ") {
						continue
					}
					hm := hoverOrderRE.FindStringSubmatch(h.text)
					if hm == nil {
						continue
					}
					for j, a := range anns {
						if a.kind != "hint" || a.file != h.file || a.line != h.line {
							continue
						}
						label, _, _ := strings.Cut(a.text, "\n")
						lm := hintOrderRE.FindStringSubmatch(label)
						if lm == nil {
							continue
						}
						judgedHere[i], judgedHere[j] = true, true
						if lm[1] != hm[1] {
							fail(fmt.Sprintf("%d defer hint!: run order other than the hover's (%s)", h.line, hm[1]), label, j, true)
						}
					}
				}
				judged += len(judgedHere)
				wrong += len(wrongHere)
			}
		})
	}
	// A listed failure that no longer fails must leave the list.
	var fixed []string
	for _, row := range failingRows {
		k := key(row.caseName, row.tier, row.want)
		if _, ok := skipped[k]; !ok && casesRun[row.caseName] {
			fixed = append(fixed, fmt.Sprintf("%s (%s): %s", row.caseName, row.tier, row.want))
		}
	}
	if *updateFailing {
		about := map[string]string{}
		for _, c := range cases {
			about[c.name] = c.about
		}
		writeFailing(t, failingHead, failingRows, skipped, casesRun, failures, about)
	} else {
		if len(fixed) > 0 {
			t.Errorf("FAILING.md lists expectations that now pass (go test ./truth -update-failing):\n  %s", strings.Join(fixed, "\n  "))
		}
	}
	t.Logf("truth suite: %d programs, %d annotations shown (both tiers), %d judged, %d wrong (a false claim), %d expected facts missing; %d known failures skipped (FAILING.md), %d new failures; markers: %d ranges ended, %d defers ran on a return; build %.1fs, build+run %.1fs, typed load done at %.1fs, total %.1fs",
		len(cases), total, judged, wrong, missing, len(skipped), len(failures), rangesEnded, defersRan, built.Seconds(), ran.Seconds(), loaded.Seconds(), time.Since(start).Seconds())
}

func writeFailing(t *testing.T, head string, rows []failingRow, still map[string]string, ran map[string]bool, fresh []failure, about map[string]string) {
	var b strings.Builder
	b.WriteString(strings.TrimRight(head, "\n") + "\n\n")
	b.WriteString("| case | tier | want | golens says | true fact |\n|---|---|---|---|---|\n")
	var out []failingRow
	for _, r := range rows {
		if said, ok := still[key(r.caseName, r.tier, r.want)]; ok {
			r.said = said
			out = append(out, r)
		} else if !ran[r.caseName] {
			out = append(out, r) // not run this time (-run): unknown, so kept
		}
	}
	for _, f := range fresh {
		parts := strings.SplitN(f.key, "\x00", 3)
		out = append(out, failingRow{parts[0], parts[1], parts[2], f.said, about[parts[0]]})
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].caseName != out[j].caseName {
			return out[i].caseName < out[j].caseName
		}
		return out[i].tier < out[j].tier
	})
	for _, r := range out {
		said := r.said
		if len(said) > 300 {
			said = said[:300] + "…"
		}
		fmt.Fprintf(&b, "| %s | %s | `%s` | %s | %s |\n", r.caseName, r.tier, escape(r.want), escape(said), escape(r.fact))
	}
	if err := os.WriteFile("FAILING.md", []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
}

// dumpAnnotations writes every annotation of a case on one tier to
// $TRUTH_DUMP/CASE.TIER.txt, for a reviewer judging them by hand.
func dumpAnnotations(t *testing.T, name, tier string, anns []annotation) {
	dir := os.Getenv("TRUTH_DUMP")
	if dir == "" {
		return
	}
	var b strings.Builder
	for _, a := range anns {
		fmt.Fprintf(&b, "%s:%d %s\n\t%s\n", a.file, a.line, a.kind, strings.ReplaceAll(a.text, "\n", "\n\t"))
	}
	// The directory is made here: a reviewer's rm -rf of the last dump
	// must not turn every case into a failure.
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Error(err)
		return
	}
	if err := os.WriteFile(filepath.Join(dir, name+"."+tier+".txt"), []byte(b.String()), 0o644); err != nil {
		t.Error(err)
	}
}

// TestCaseFile: the profile's file names (built with -trimpath) map to the
// case's files, in the shared module and in a module of the case's own;
// others are not the program's.
func TestCaseFile(t *testing.T) {
	c := &tcase{name: "pkgcase", files: map[string][]byte{"main.go": {}, "other.go": {}, "worker/w.go": {}}}
	for path, want := range map[string]string{
		"truth/pkgcase/main.go":  "main.go",
		"pkgcase/other.go":       "other.go",
		"pkgcase/worker/w.go":    "worker/w.go",
		"pkgcase/worker/x.go":    "",
		"time/sleep.go":          "",
		"truth/pkgcase2/main.go": "",
	} {
		if got := c.caseFile(path); got != want {
			t.Errorf("caseFile(%q) = %q, want %q", path, got, want)
		}
	}
}

// A run of a few cases builds and loads only theirs, whichever way the
// -run pattern names them; a pattern golens cannot read selects them all.
func TestRunSelects(t *testing.T) {
	for _, tc := range []struct {
		pattern, name string
		want          bool
	}{
		{"", "r1_a", true},
		{"TestTruth", "r1_a", true},
		{"TestTruth/r1_", "r1_a", true},
		{"TestTruth/r1_", "r2_a", false},
		{"TestTruth/r1_a|TestTruth/r2_b", "r2_b", true},
		{"TestTruth/r1_a|TestTruth/r2_b", "r3_c", false},
		{"TestTruth/(r1_a|r2_b)$", "r2_b", true},
		{"TestTruth/(r1_a|r2_b)$", "r2_bx", false},
		{"TestTruth/(r1_a|r2_b)$", "r3_c", false},
		{"TestTruth/r[12]_(a|b)/x", "r2_b", true},
		{"TestTruth/r[|/]", "r3_c", false},
		{"TestTruth/(", "r3_c", true},
		{"TestOrderRule|TestTruth/r1_a", "r3_c", true},
	} {
		if got := runSelects(tc.pattern, tc.name); got != tc.want {
			t.Errorf("-run %q selects %s: %v, want %v", tc.pattern, tc.name, got, tc.want)
		}
	}
}
