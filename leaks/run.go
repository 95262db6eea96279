package leaks

import (
	"bufio"
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"go/parser"
	"go/token"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"sync"
	"text/template"
	"time"
)

//go:embed hook/hook.go.tmpl
var hookSource string

var hookTemplate = template.Must(template.New("hook").Parse(hookSource))

// HookFile is the name of the test-only file the overlay adds to each
// package. A package that already has a file of this name is reported, not
// overwritten.
const HookFile = "zz_golens_leaks_test.go"

// DefaultTimeout bounds a whole run unless Options.Timeout says otherwise.
const DefaultTimeout = 2 * time.Minute

// Options configure Run.
type Options struct {
	Dir      string   // where the go command runs ("" = current directory)
	Packages []string // package patterns (default ".")
	Run      string   // -run regexp ("" = all tests)
	Count    int      // -count (0 or 1 = once)
	PerTest  bool     // one go test per test, in parallel up to the cores
	Timeout  time.Duration
	// Env is the environment of the go command (nil = os.Environ()).
	Env []string
	// Progress, when set, receives short status lines ("building", "ran
	// TestX") as the run goes.
	Progress func(msg string)
	// Output, when set, receives go test's own output (test logs, build
	// errors) as it arrives.
	Output io.Writer
}

// Problem is something that kept golens from checking part of the request:
// a package that did not build, a run that timed out, a profile that was not
// written. Problems make the exit status 3.
type Problem struct {
	Package string `json:"package,omitempty"`
	Message string `json:"message"`
}

// Result is what Run found.
type Result struct {
	Leaks    []Leak    `json:"leaks"`
	Problems []Problem `json:"problems,omitempty"`
	// Packages are the import paths whose tests ran.
	Packages []string `json:"packages"`
	// FailedTests are "pkg TestX" of tests that failed (their output went to
	// Options.Output). A failing test is the user's business, not a problem.
	FailedTests []string `json:"failedTests,omitempty"`
}

// pkgInfo is what go list says about a package.
type pkgInfo struct {
	ImportPath   string
	Name         string
	Dir          string
	TestGoFiles  []string
	XTestGoFiles []string
	Error        *struct{ Err string }
}

// Run runs the tests of the packages with the leak detector and returns the
// leaks. The error is for failures of golens itself (no go command, a
// cancelled context); what goes wrong in a package is a Problem.
func Run(ctx context.Context, opts Options) (*Result, error) {
	if len(opts.Packages) == 0 {
		opts.Packages = []string{"."}
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.Run != "" {
		if _, err := regexp.Compile(opts.Run); err != nil {
			return nil, fmt.Errorf("bad -run regexp: %v", err)
		}
	}
	if opts.Progress == nil {
		opts.Progress = func(string) {}
	}
	if opts.Output != nil {
		// -pertest runs go test commands in parallel.
		opts.Output = &lockedWriter{w: opts.Output}
	}
	ctx, cancel := context.WithTimeout(ctx, opts.Timeout)
	defer cancel()

	work, err := os.MkdirTemp("", "golens-leaks-")
	if err != nil {
		return nil, err
	}
	if os.Getenv("GOLENS_LEAKS_KEEP") == "" {
		defer os.RemoveAll(work)
	} else {
		fmt.Fprintln(os.Stderr, "golens leaks: keeping", work)
	}

	opts.Progress("listing packages")
	pkgs, err := listPackages(ctx, opts)
	if err != nil {
		return nil, timeoutErr(ctx, opts, err)
	}
	res := &Result{Leaks: []Leak{}}
	overlay := map[string]string{}
	var testable []pkgInfo
	for i, p := range pkgs {
		if p.Error != nil {
			res.Problems = append(res.Problems, Problem{Package: p.ImportPath, Message: strings.TrimSpace(p.Error.Err)})
			continue
		}
		if len(p.TestGoFiles)+len(p.XTestGoFiles) == 0 {
			continue
		}
		if _, err := os.Stat(filepath.Join(p.Dir, HookFile)); err == nil {
			res.Problems = append(res.Problems, Problem{Package: p.ImportPath, Message: "the package has a file named " + HookFile + ", which golens would have to replace; not run"})
			continue
		}
		src, err := hookFor(p, filepath.Join(work, fmt.Sprintf("p%d-", i)))
		if err != nil {
			res.Problems = append(res.Problems, Problem{Package: p.ImportPath, Message: err.Error()})
			continue
		}
		hookPath := filepath.Join(work, fmt.Sprintf("hook%d.go", i))
		if err := os.WriteFile(hookPath, src, 0o600); err != nil {
			return nil, err
		}
		overlay[filepath.Join(p.Dir, HookFile)] = hookPath
		testable = append(testable, p)
		res.Packages = append(res.Packages, p.ImportPath)
	}
	if len(testable) == 0 {
		return res, nil
	}
	overlayPath := filepath.Join(work, "overlay.json")
	ov, _ := json.Marshal(map[string]any{"Replace": overlay})
	if err := os.WriteFile(overlayPath, ov, 0o600); err != nil {
		return nil, err
	}
	base := []string{"test", "-json", "-overlay", overlayPath, "-ldflags=-checklinkname=0",
		// go test's own timeout stays out of the way: golens's deadline
		// kills the process group first, and the hook stops hung tests.
		"-timeout", (opts.Timeout + time.Minute).String()}
	if opts.Count > 1 {
		base = append(base, "-count", fmt.Sprint(opts.Count))
	} else {
		base = append(base, "-count=1") // a cached result writes no profile
	}

	var runs [][]string // argument lists of the go test runs
	if opts.PerTest {
		opts.Progress("listing tests")
		tests, probs, err := listTests(ctx, opts, overlayPath, testable)
		if err != nil {
			return nil, timeoutErr(ctx, opts, err)
		}
		res.Problems = append(res.Problems, probs...)
		for _, t := range tests {
			runs = append(runs, append(append([]string(nil), base...), "-run", "^"+regexp.QuoteMeta(t.name)+"$", t.pkg.ImportPath))
		}
	} else {
		args := append([]string(nil), base...)
		if opts.Run != "" {
			args = append(args, "-run", opts.Run)
		}
		for _, p := range testable {
			args = append(args, p.ImportPath)
		}
		runs = [][]string{args}
	}

	var (
		mu  sync.Mutex
		wg  sync.WaitGroup
		sem = make(chan struct{}, max(1, runtime.NumCPU()))
	)
	for i, args := range runs {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			if len(runs) > 1 {
				opts.Progress(fmt.Sprintf("running %s (%d of %d)", args[len(args)-2][1:len(args[len(args)-2])-1], i+1, len(runs)))
			} else {
				opts.Progress("building and running tests")
			}
			out := goTest(ctx, opts, args)
			mu.Lock()
			defer mu.Unlock()
			res.Problems = append(res.Problems, out.problems...)
			res.FailedTests = append(res.FailedTests, out.failed...)
		}()
	}
	wg.Wait()
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		// The leaks proved before the kill were written by the hook's
		// watcher: report them with the timeout.
		res.Problems = append(res.Problems, Problem{Message: fmt.Sprintf(
			"timed out after %v; the tests' process group was killed (leaks proved before that are listed)", opts.Timeout)})
	case ctx.Err() != nil:
		return nil, ctx.Err()
	}

	var all []Leak
	for i, p := range pkgs {
		if _, ok := overlay[filepath.Join(p.Dir, HookFile)]; !ok {
			continue
		}
		files, _ := filepath.Glob(filepath.Join(work, fmt.Sprintf("p%d-*.txt", i)))
		if len(files) == 0 {
			if !builtFailed(res.Problems, p.ImportPath) && ctx.Err() == nil {
				res.Problems = append(res.Problems, Problem{Package: p.ImportPath,
					Message: "no leak profile was written: the test binary ended without running golens's exit hook (a crash, a panic, or a signal)"})
			}
			continue
		}
		sort.Strings(files)
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				continue
			}
			if bytes.HasPrefix(data, []byte("golens: ")) {
				res.Problems = append(res.Problems, Problem{Package: p.ImportPath, Message: strings.TrimSpace(strings.TrimPrefix(string(data), "golens: "))})
				continue
			}
			gs, _ := ParseProfile(bytes.NewReader(data))
			all = append(all, Extract(p.ImportPath, gs)...)
		}
	}
	res.Leaks = Merge(all)
	sort.Strings(res.FailedTests)
	return res, nil
}

func builtFailed(ps []Problem, pkg string) bool {
	for _, p := range ps {
		if p.Package == pkg {
			return true
		}
	}
	return false
}

func timeoutErr(ctx context.Context, opts Options, err error) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("timed out after %v; the tests' process group was killed", opts.Timeout)
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return err
}

// hookFor renders the overlay file of a package: a TestMain wrapper when
// the package has no TestMain, an exit hook when it has one. The file
// belongs to the external test package (name_test), which may import what
// the hook needs even when the package itself is one of those imports
// (sync, time, os).
func hookFor(p pkgInfo, outPrefix string) ([]byte, error) {
	hasMain := false
	fset := token.NewFileSet()
	for _, name := range append(append([]string(nil), p.TestGoFiles...), p.XTestGoFiles...) {
		f, err := parser.ParseFile(fset, filepath.Join(p.Dir, name), nil, parser.SkipObjectResolution)
		if err != nil {
			continue // go test reports it
		}
		if definesTestMain(f) {
			hasMain = true
		}
	}
	var b bytes.Buffer
	err := hookTemplate.Execute(&b, struct {
		Package      string
		WrapTestMain bool
		OutPrefix    string
	}{p.Name + "_test", !hasMain, outPrefix})
	return b.Bytes(), err
}

func listPackages(ctx context.Context, opts Options) ([]pkgInfo, error) {
	args := append([]string{"list", "-e", "-json=ImportPath,Name,Dir,TestGoFiles,XTestGoFiles,Error"}, opts.Packages...)
	cmd := goCommand(ctx, opts, args)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil && len(out) == 0 {
		return nil, fmt.Errorf("go list: %v: %s", err, strings.TrimSpace(stderr.String()))
	}
	var pkgs []pkgInfo
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p pkgInfo
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			return nil, fmt.Errorf("go list: %v", err)
		}
		pkgs = append(pkgs, p)
	}
	return pkgs, nil
}

type testRef struct {
	pkg  pkgInfo
	name string
}

// listTests lists the tests of the packages matching opts.Run.
func listTests(ctx context.Context, opts Options, overlayPath string, pkgs []pkgInfo) ([]testRef, []Problem, error) {
	pattern := opts.Run
	if pattern == "" {
		pattern = "."
	}
	byPath := map[string]pkgInfo{}
	args := []string{"test", "-json", "-overlay", overlayPath, "-ldflags=-checklinkname=0", "-list", pattern}
	for _, p := range pkgs {
		byPath[p.ImportPath] = p
		args = append(args, p.ImportPath)
	}
	var tests []testRef
	var probs []Problem
	err := streamTest(ctx, opts, args, func(ev testEvent) {
		p, ok := byPath[ev.Package]
		name := strings.TrimSpace(ev.Output)
		if ok && ev.Action == "output" && ev.Test == "" && strings.HasPrefix(name, "Test") && !strings.ContainsAny(name, " \t") {
			tests = append(tests, testRef{p, name})
		}
	}, &probs, nil)
	return tests, probs, err
}

// testEvent is one line of go test -json (cmd/test2json).
type testEvent struct {
	Action      string
	Package     string
	Test        string
	Output      string
	ImportPath  string // build-output, build-fail
	FailedBuild string
}

type runOutcome struct {
	problems []Problem
	failed   []string
}

func goTest(ctx context.Context, opts Options, args []string) runOutcome {
	var out runOutcome
	err := streamTest(ctx, opts, args, func(ev testEvent) {
		if ev.Action == "fail" && ev.Test != "" {
			out.failed = append(out.failed, ev.Package+" "+ev.Test)
		}
	}, &out.problems, opts.Output)
	if err != nil && ctx.Err() == nil {
		out.problems = append(out.problems, Problem{Message: err.Error()})
	}
	return out
}

// streamTest runs a go test -json command, calling on for each event,
// collecting build failures into probs and copying output to w.
func streamTest(ctx context.Context, opts Options, args []string, on func(testEvent), probs *[]Problem, w io.Writer) error {
	cmd := goCommand(ctx, opts, args)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	buildOutput := map[string]*strings.Builder{}
	sc := bufio.NewScanner(stdout)
	sc.Buffer(make([]byte, 64*1024), 16<<20)
	for sc.Scan() {
		var ev testEvent
		if json.Unmarshal(sc.Bytes(), &ev) != nil {
			continue
		}
		switch ev.Action {
		case "build-output":
			b := buildOutput[ev.ImportPath]
			if b == nil {
				b = &strings.Builder{}
				buildOutput[ev.ImportPath] = b
			}
			b.WriteString(ev.Output)
		case "output":
			if w != nil {
				io.WriteString(w, ev.Output)
			}
		case "fail":
			if ev.Test == "" && ev.FailedBuild != "" {
				msg := "build failed"
				if b := buildOutput[ev.FailedBuild]; b != nil {
					msg += ":\n" + strings.TrimSpace(b.String())
				}
				*probs = append(*probs, Problem{Package: ev.Package, Message: msg})
			}
		}
		on(ev)
	}
	err = cmd.Wait()
	if ctx.Err() != nil {
		return ctx.Err()
	}
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		// go test exits 1 when a test or a build failed: the events said
		// which. Anything on stderr without an event is a setup problem.
		if s := strings.TrimSpace(stderr.String()); s != "" && len(*probs) == 0 && w == nil {
			*probs = append(*probs, Problem{Message: s})
		} else if s != "" && w != nil {
			io.WriteString(w, stderr.String())
		}
		return nil
	}
	return err
}

// goCommand is a go command in its own process group, which is killed as a
// whole when ctx ends (timeout or cancel), test binaries included.
func goCommand(ctx context.Context, opts Options, args []string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = opts.Dir
	env := opts.Env
	if env == nil {
		env = os.Environ()
	}
	cmd.Env = withExperiment(env)
	inOwnProcessGroup(cmd) // procgroup_*.go
	cmd.WaitDelay = 5 * time.Second
	return cmd
}

// withExperiment adds the leak profile experiment to GOEXPERIMENT and
// creation stacks of ancestors (for attributing a leak to its test) to
// GODEBUG, keeping what the user set.
func withExperiment(env []string) []string {
	out := make([]string, 0, len(env)+2)
	exp, dbg := "goroutineleakprofile", "tracebackancestors=20"
	for _, kv := range env {
		switch {
		case strings.HasPrefix(kv, "GOEXPERIMENT="):
			if v := strings.TrimPrefix(kv, "GOEXPERIMENT="); v != "" {
				exp = v + "," + exp
			}
		case strings.HasPrefix(kv, "GODEBUG="):
			if v := strings.TrimPrefix(kv, "GODEBUG="); v != "" {
				dbg = v + "," + dbg
			}
		default:
			out = append(out, kv)
		}
	}
	return append(out, "GOEXPERIMENT="+exp, "GODEBUG="+dbg)
}

// lockedWriter serialises writes from parallel go test runs.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
