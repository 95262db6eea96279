package typed_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golens/golens/hints"
	"github.com/golens/golens/model"
	"github.com/golens/golens/typed"
)

// writeModule writes files (relative name → content) under a new temp dir
// and returns the dir.
func writeModule(t testing.TB, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	// Resolve symlinks (macOS /var → /private/var) so paths compare.
	dir, _ = filepath.EvalSymlinks(dir)
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const goMod = "module example.com/m\n\ngo 1.22\n"

// twoFiles: a struct with a channel field and a mutex declared in one file,
// used in the other — syntax alone cannot see their types there.
var twoFiles = map[string]string{
	"go.mod": goMod,
	"types.go": `package m

import "sync"

type Pool struct {
	jobs chan int
	mu   sync.Mutex
	wg   sync.WaitGroup
}

func NewPool() *Pool { return &Pool{jobs: make(chan int, 4)} }
`,
	"use.go": `package m

func (p *Pool) Run() {
	p.mu.Lock()
	p.jobs <- 1
	p.mu.Unlock()
	p.wg.Wait()
}
`,
}

func labels(m *model.File) []string {
	var out []string
	for _, h := range hints.Compute(m, 0, len(m.Src), hints.All()) {
		out = append(out, m.Position(m.Pos(h.Offset)).String()[len(m.Position(m.Pos(h.Offset)).Filename)+1:]+" "+h.Label)
	}
	return out
}

func TestLoadTwoFiles(t *testing.T) {
	dir := writeModule(t, twoFiles)
	l := typed.NewLoader(typed.Config{})
	pkg, err := l.Load(context.Background(), typed.Request{File: filepath.Join(dir, "use.go")})
	if err != nil {
		t.Fatal(err)
	}
	if pkg.PkgPath != "example.com/m" || len(pkg.Files) != 2 || len(pkg.TypeErrors) != 0 {
		t.Fatalf("pkg %s, %d files, errors %v", pkg.PkgPath, len(pkg.Files), pkg.TypeErrors)
	}
	f := pkg.File(filepath.Join(dir, "use.go"))
	if f == nil {
		t.Fatal("use.go not in the package")
	}
	disk, _ := os.ReadFile(filepath.Join(dir, "use.go"))
	if !f.Matches(disk) || f.Model().Tier != model.TypedTier {
		t.Fatalf("model not built from the disk content, or not typed")
	}
	got := strings.Join(labels(f.Model()), "\n")
	// The typed tier sees the field's channel (buffered, made in the
	// other file... by a composite literal, so the capacity stays unknown
	// here), the Mutex and the WaitGroup.
	for _, want := range []string{"4:13 waits until unlocked", "5:13 may wait (cap unknown)", "7:13 waits until count is 0"} {
		if !strings.Contains(got, want) {
			t.Errorf("typed hints lack %q:\n%s", want, got)
		}
	}
	// The syntax tier alone cannot see p.mu / p.wg declared in another file.
	syn := strings.Join(labels(model.Parse("use.go", disk)), "\n")
	if strings.Contains(syn, "waits until count is 0") {
		t.Errorf("syntax tier unexpectedly knows p.wg:\n%s", syn)
	}

	// Same request again: served from the cache.
	again, err := l.Load(context.Background(), typed.Request{File: filepath.Join(dir, "use.go")})
	if err != nil || !again.Cached {
		t.Fatalf("second load: cached=%v err=%v", again != nil && again.Cached, err)
	}
}

func TestOverlay(t *testing.T) {
	dir := writeModule(t, twoFiles)
	use := filepath.Join(dir, "use.go")
	l := typed.NewLoader(typed.Config{})
	ctx := context.Background()
	if _, err := l.Load(ctx, typed.Request{File: use}); err != nil {
		t.Fatal(err)
	}
	// An unsaved edit: one more send, lines shifted.
	edited := []byte(`package m

// Run sends twice.
func (p *Pool) Run() {
	p.jobs <- 0
	p.mu.Lock()
	p.jobs <- 1
	p.mu.Unlock()
}
`)
	pkg, err := l.Load(ctx, typed.Request{File: use, Overlay: map[string][]byte{use: edited}})
	if err != nil {
		t.Fatal(err)
	}
	if !pkg.Incremental {
		t.Errorf("an ordinary edit was not re-checked incrementally")
	}
	f := pkg.File(use)
	if !f.Matches(edited) {
		t.Fatalf("model not built from the overlay")
	}
	disk, _ := os.ReadFile(use)
	if f.Matches(disk) || pkg.ModelFor(use, disk) != nil {
		t.Fatalf("overlay model matches the disk version")
	}
	if pkg.ModelFor(use, edited) != f.Model() {
		t.Fatalf("ModelFor refuses the current version")
	}
	got := strings.Join(labels(f.Model()), "\n")
	for _, want := range []string{"5:13 may wait (cap unknown)", "6:13 waits until unlocked", "7:13 may wait (cap unknown)"} {
		if !strings.Contains(got, want) {
			t.Errorf("overlay hints lack %q:\n%s", want, got)
		}
	}
	// The other file's model is unchanged and typed.
	if other := pkg.File(filepath.Join(dir, "types.go")); other == nil || other.Model().Tier != model.TypedTier {
		t.Errorf("types.go missing or untyped after the re-check")
	}

	// An edit that adds an import not loaded before needs a full load.
	withImport := []byte("package m\n\nimport \"time\"\n\nfunc (p *Pool) Run() { time.Sleep(time.Second) }\n")
	pkg, err = l.Load(ctx, typed.Request{File: use, Overlay: map[string][]byte{use: withImport}})
	if err != nil {
		t.Fatal(err)
	}
	if pkg.Incremental || len(pkg.TypeErrors) != 0 {
		t.Errorf("new import: incremental=%v errors=%v", pkg.Incremental, pkg.TypeErrors)
	}
	if got := strings.Join(labels(pkg.File(use).Model()), "\n"); !strings.Contains(got, "sleeps for 1s") {
		t.Errorf("after the new import: %s", got)
	}

	// A file only in the overlay (not saved yet) joins the package.
	newFile := filepath.Join(dir, "new.go")
	pkg, err = l.Load(ctx, typed.Request{File: newFile, Overlay: map[string][]byte{
		use:     withImport,
		newFile: []byte("package m\n\nfunc (p *Pool) Drain() { for range p.jobs {} }\n"),
	}})
	if err != nil {
		t.Fatal(err)
	}
	if pkg.File(newFile) == nil || len(pkg.Files) != 3 {
		t.Fatalf("unsaved new file not loaded: %d files", len(pkg.Files))
	}
}

func TestTypeErrorStillModels(t *testing.T) {
	dir := writeModule(t, map[string]string{
		"go.mod": goMod,
		"a.go": `package m

import "sync"

func f(wg *sync.WaitGroup, ch chan int) {
	var x int = "not an int"
	undefined()
	ch <- 1
	wg.Wait()
}
`,
	})
	l := typed.NewLoader(typed.Config{})
	pkg, err := l.Load(context.Background(), typed.Request{File: filepath.Join(dir, "a.go")})
	if err != nil {
		t.Fatal(err)
	}
	if len(pkg.TypeErrors) < 2 {
		t.Errorf("want the type errors reported, got %v", pkg.TypeErrors)
	}
	m := pkg.File(filepath.Join(dir, "a.go")).Model()
	got := strings.Join(labels(m), "\n")
	for _, want := range []string{"8:9 may wait (cap unknown)", "9:11 waits until count is 0"} {
		if !strings.Contains(got, want) {
			t.Errorf("hints of a package with type errors lack %q:\n%s", want, got)
		}
	}
}

func TestNoModule(t *testing.T) {
	dir := writeModule(t, map[string]string{"a.go": "package m\n\nfunc f() {}\n"})
	l := typed.NewLoader(typed.Config{})
	_, err := l.Load(context.Background(), typed.Request{File: filepath.Join(dir, "a.go")})
	var le *typed.LoadError
	if !errors.As(err, &le) {
		t.Fatalf("want a LoadError, got %v", err)
	}
	if le.Kind != typed.NoModule || le.Repeated {
		t.Errorf("kind %v repeated %v: %v", le.Kind, le.Repeated, le)
	}
	_, err = l.Load(context.Background(), typed.Request{File: filepath.Join(dir, "a.go")})
	if !errors.As(err, &le) || !le.Repeated {
		t.Errorf("second failure not marked Repeated: %v", err)
	}
}

func TestBrokenGoMod(t *testing.T) {
	dir := writeModule(t, map[string]string{
		"go.mod": "module example.com/m\n\ngo 1.22\n\nrequire (\n\tthis is not valid\n",
		"a.go":   "package m\n",
	})
	l := typed.NewLoader(typed.Config{})
	_, err := l.Load(context.Background(), typed.Request{File: filepath.Join(dir, "a.go")})
	var le *typed.LoadError
	if !errors.As(err, &le) || le.Kind != typed.BadModule {
		t.Fatalf("want a BadModule LoadError, got %v", err)
	}
}

func TestNoToolchain(t *testing.T) {
	dir := writeModule(t, twoFiles)
	t.Setenv("PATH", t.TempDir()) // no go command here
	l := typed.NewLoader(typed.Config{})
	_, err := l.Load(context.Background(), typed.Request{File: filepath.Join(dir, "use.go")})
	var le *typed.LoadError
	if !errors.As(err, &le) || le.Kind != typed.NoToolchain {
		t.Fatalf("want a NoToolchain LoadError, got %v", err)
	}
}

func TestCancelled(t *testing.T) {
	dir := writeModule(t, twoFiles)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	l := typed.NewLoader(typed.Config{})
	if _, err := l.Load(ctx, typed.Request{File: filepath.Join(dir, "use.go")}); !errors.Is(err, context.Canceled) {
		t.Fatalf("want context.Canceled, got %v", err)
	}
}

func TestRelativePath(t *testing.T) {
	if _, err := typed.NewLoader(typed.Config{}).Load(context.Background(), typed.Request{File: "a.go"}); err == nil {
		t.Fatal("relative path accepted")
	}
}

func TestSchedulerSupersedes(t *testing.T) {
	s := typed.NewScheduler(context.Background())
	defer s.Close()
	var ran, cancelled atomic.Int32
	started := make(chan struct{})
	// A long job starts, then a newer one supersedes it.
	s.Schedule("pkg", 0, func(ctx context.Context) {
		close(started)
		select {
		case <-ctx.Done():
			cancelled.Add(1)
		case <-time.After(5 * time.Second):
			ran.Add(1)
		}
	})
	<-started
	done := make(chan struct{})
	// Several quick edits: only the last one runs (debounced).
	for i := 0; i < 5; i++ {
		s.Schedule("pkg", 30*time.Millisecond, func(ctx context.Context) {
			ran.Add(1)
			close(done)
		})
	}
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the last job never ran")
	}
	time.Sleep(50 * time.Millisecond)
	if ran.Load() != 1 || cancelled.Load() != 1 {
		t.Errorf("ran %d (want 1), cancelled %d (want 1)", ran.Load(), cancelled.Load())
	}
	// Another key is independent.
	other := make(chan struct{})
	s.Schedule("other", 0, func(ctx context.Context) { close(other) })
	<-other
	// Cancel drops a pending job.
	s.Schedule("pkg", time.Hour, func(ctx context.Context) { t.Error("cancelled job ran") })
	if !s.Pending("pkg") {
		t.Error("job not pending")
	}
	s.Cancel("pkg")
	deadline := time.Now().Add(2 * time.Second)
	for s.Pending("pkg") && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if s.Pending("pkg") {
		t.Error("cancelled job still pending")
	}
}

func TestTestFiles(t *testing.T) {
	dir := writeModule(t, map[string]string{
		"go.mod":      goMod,
		"a.go":        "package m\n\nfunc Work(ch chan int) { ch <- 1 }\n",
		"a_test.go":   "package m\n\nimport \"testing\"\n\nfunc TestWork(t *testing.T) {\n\tch := make(chan int, 1)\n\tWork(ch)\n\t<-ch\n}\n",
		"ext_test.go": "package m_test\n\nimport (\n\t\"testing\"\n\n\t\"example.com/m\"\n)\n\nfunc TestExt(t *testing.T) { m.Work(make(chan int, 1)) }\n",
	})
	l := typed.NewLoader(typed.Config{})
	pkg, err := l.Load(context.Background(), typed.Request{File: filepath.Join(dir, "a_test.go")})
	if err != nil {
		t.Fatal(err)
	}
	if pkg.File(filepath.Join(dir, "a.go")) == nil || pkg.File(filepath.Join(dir, "a_test.go")) == nil || len(pkg.TypeErrors) > 0 {
		t.Fatalf("test variant: %d files, errors %v", len(pkg.Files), pkg.TypeErrors)
	}
	ext, err := l.Load(context.Background(), typed.Request{File: filepath.Join(dir, "ext_test.go")})
	if err != nil {
		t.Fatal(err)
	}
	if ext.Name != "m_test" || ext.File(filepath.Join(dir, "ext_test.go")) == nil {
		t.Fatalf("external test package: %s", ext.Name)
	}
}

// TestInFlightEdit: the server schedules a load for version 1, an edit
// (version 2) arrives while it runs and schedules another. Whatever the
// first job returns, its result must be recognisably stale: only a File
// whose Src equals the current document may be used.
func TestInFlightEdit(t *testing.T) {
	dir := writeModule(t, twoFiles)
	use := filepath.Join(dir, "use.go")
	v1 := []byte("package m\n\nfunc (p *Pool) Run() { p.jobs <- 1 }\n")
	v2 := []byte("package m\n\n// moved\n\nfunc (p *Pool) Run() {\n\tp.jobs <- 1\n}\n")
	l := typed.NewLoader(typed.Config{})
	s := typed.NewScheduler(context.Background())
	defer s.Close()

	var current atomic.Pointer[[]byte]
	current.Store(&v1)
	type result struct {
		pkg *typed.Package
		err error
		src []byte
	}
	results := make(chan result, 2)
	load := func(src []byte) func(ctx context.Context) {
		return func(ctx context.Context) {
			pkg, err := l.Load(ctx, typed.Request{File: use, Overlay: map[string][]byte{use: src}})
			results <- result{pkg, err, src}
		}
	}
	s.Schedule(use, 0, load(v1))
	time.Sleep(5 * time.Millisecond) // let it start
	current.Store(&v2)
	s.Schedule(use, 0, load(v2))

	used := 0
	for i := 0; i < 2; i++ {
		var r result
		select {
		case r = <-results:
		case <-time.After(30 * time.Second):
			t.Fatal("loads did not finish")
		}
		if r.err != nil {
			if !errors.Is(r.err, context.Canceled) {
				t.Fatalf("load of %q: %v", r.src, r.err)
			}
			continue
		}
		f := r.pkg.File(use)
		if !f.Matches(r.src) {
			t.Fatalf("model not built from the requested version")
		}
		if f.Matches(*current.Load()) {
			used++
			if string(f.Src) != string(v2) {
				t.Fatalf("a stale version passed the check")
			}
		}
	}
	if used != 1 {
		t.Fatalf("the current version's load was used %d times", used)
	}
}

func TestToolchainTooOld(t *testing.T) {
	dir := writeModule(t, map[string]string{
		"go.mod": "module example.com/m\n\ngo 1.99\n",
		"a.go":   "package m\n",
	})
	// GOTOOLCHAIN=local: never try to download the newer toolchain.
	l := typed.NewLoader(typed.Config{Env: append(os.Environ(), "GOTOOLCHAIN=local")})
	_, err := l.Load(context.Background(), typed.Request{File: filepath.Join(dir, "a.go")})
	var le *typed.LoadError
	if !errors.As(err, &le) || le.Kind != typed.NoToolchain {
		t.Fatalf("want a NoToolchain LoadError, got %v", err)
	}
}

func TestSymlinkedDir(t *testing.T) {
	real := writeModule(t, twoFiles)
	link := filepath.Join(t.TempDir(), "link")
	if err := os.Symlink(real, link); err != nil {
		t.Skip("no symlinks here:", err)
	}
	file := filepath.Join(link, "use.go")
	pkg, err := typed.NewLoader(typed.Config{}).Load(context.Background(), typed.Request{File: file})
	if err != nil {
		t.Fatal(err)
	}
	if pkg.File(file) == nil {
		t.Fatalf("file not found through the symlink; files: %v", pkg.Files[0].Filename)
	}
}

// TestSyntaxErrorOverlay: a buffer in the middle of typing (does not parse)
// still yields a typed package; the model covers what parsed.
func TestSyntaxErrorOverlay(t *testing.T) {
	dir := writeModule(t, twoFiles)
	use := filepath.Join(dir, "use.go")
	l := typed.NewLoader(typed.Config{})
	ctx := context.Background()
	broken := []byte("package m\n\nfunc (p *Pool) Run() {\n\tp.mu.Lock()\n\tp.jobs <- \n}\n")
	for _, first := range []bool{true, false} {
		if !first {
			// Second round: the broken buffer arrives as an edit of a
			// loaded package (the incremental path).
			l.Invalidate()
			if _, err := l.Load(ctx, typed.Request{File: use}); err != nil {
				t.Fatal(err)
			}
		}
		pkg, err := l.Load(ctx, typed.Request{File: use, Overlay: map[string][]byte{use: broken}})
		if err != nil {
			t.Fatal(err)
		}
		m := pkg.ModelFor(use, broken)
		if m == nil {
			t.Fatal("no model for the broken buffer")
		}
		if got := strings.Join(labels(m), "\n"); !strings.Contains(got, "4:13 waits until unlocked") {
			t.Errorf("first=%v: hints of the broken buffer: %s", first, got)
		}
	}
}

// TestLoadAllAsLoad: LoadAll makes each package with Load's own step, so a
// package loaded among others has the models, summaries and facts Load
// gives it alone (the truth suite relies on it to judge what the editor
// shows).
func TestLoadAllAsLoad(t *testing.T) {
	files := map[string]string{"go.mod": goMod}
	for name, src := range twoFiles {
		if name != "go.mod" {
			files["pool/"+name] = strings.Replace(src, "package m", "package pool", 1)
		}
	}
	files["other/o.go"] = "package other\n\nfunc F(ch chan int) { close(ch) }\n"
	dir := writeModule(t, files)
	l := typed.NewLoader(typed.Config{})
	all, err := l.LoadAll(context.Background(), dir, "./...")
	if err != nil || len(all) != 2 {
		t.Fatalf("LoadAll: %d packages, err %v", len(all), err)
	}
	var batch *typed.Package
	for _, p := range all {
		if p.PkgPath == "example.com/m/pool" {
			batch = p
		}
	}
	one, err := l.Load(context.Background(), typed.Request{File: filepath.Join(dir, "pool", "use.go")})
	if err != nil || batch == nil {
		t.Fatalf("Load: %v; pool in LoadAll: %v", err, batch != nil)
	}
	use := filepath.Join(dir, "pool", "use.go")
	got, want := strings.Join(labels(batch.File(use).Model()), "\n"), strings.Join(labels(one.File(use).Model()), "\n")
	if got != want || !strings.Contains(got, "waits until count is 0") {
		t.Errorf("LoadAll's hints:\n%s\nLoad's:\n%s", got, want)
	}
	bf, _ := batch.SummaryStats()
	of, _ := one.SummaryStats()
	if bf == 0 || bf != of {
		t.Errorf("function summaries: LoadAll %d, Load %d", bf, of)
	}
}
