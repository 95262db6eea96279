// Package typed is golens's typed tier: it loads the package of an open file
// with golang.org/x/tools/go/packages (unsaved buffers as an overlay, the
// module's own build flags and environment) and builds a typed concurrency
// model (model.Build with go/types information) for every file of the
// package.
//
// # Staleness
//
// Every File carries Src, the exact bytes its model was built from (the
// overlay content, or the disk content go/packages read). A server must
// use a typed model only while File.Matches(currentDocumentBytes) is true:
// an edit that arrives while a load is in flight then can never produce
// hints for a stale version at wrong positions.
//
// # Caching and reloads
//
// A Loader caches one load per package directory (and test variant). A
// later Load of the same package
//
//   - returns the cached Package when no file of the package changed (same
//     overlay content, same disk state);
//   - re-type-checks only the package itself with go/types when the changed
//     files kept their package clause, build constraints and a subset of the
//     imports already loaded (an ordinary edit): the dependencies' types
//     from the first load are reused, so no `go list` runs;
//   - otherwise runs go/packages again (a new import, a new or removed file,
//     an edited dependency, go.mod changes...).
//
// # Debouncing and cancellation
//
// Load does not debounce: it honours its context (a cancelled context stops
// `go list` and returns ctx.Err()). Scheduler provides the debounce: one
// pending or running job per key, superseded (its context cancelled) when a
// newer one is scheduled for the same key.
//
// # Failures
//
// A load that cannot produce a package at all (no go.mod, a broken go.mod,
// go list errors, no go command) returns a *LoadError; its Repeated field
// tells the caller it already reported the same failure for that directory,
// so that it logs once and stays on the syntax tier. A package that fails
// to type-check is not a failure: go/types keeps going and the models are
// built from the partial information (Package.TypeErrors lists the errors).
package typed

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/tools/go/packages"

	"github.com/golens/golens/model"
)

// Config configures a Loader.
type Config struct {
	// Env is the environment of the go command (nil: this process's).
	Env []string
	// BuildFlags are passed to the go command (e.g. "-tags=integration").
	BuildFlags []string
	// MaxConcurrentLoads bounds how many go/packages loads (each a go list,
	// with its own memory peak) run at once; 0 means DefaultConcurrentLoads.
	MaxConcurrentLoads int
	// ListTimeout stops a load whose go command has not finished (a module
	// proxy that never answers); 0 means DefaultListTimeout.
	ListTimeout time.Duration
}

const (
	// DefaultConcurrentLoads: a workspace of 50 modules once started 50 go
	// lists at once and peaked at 4.5 GB.
	DefaultConcurrentLoads = 2
	// DefaultListTimeout is generous for a cold module cache, and bounds a
	// stalled download.
	DefaultListTimeout = 60 * time.Second
)

// Request asks for the package of one file.
type Request struct {
	// File is the absolute path of the open document.
	File string
	// Overlay maps absolute file paths to the content of unsaved buffers:
	// these bytes are used instead of the files on disk.
	Overlay map[string][]byte
}

// Package is the typed result for the package containing Request.File.
type Package struct {
	ID      string // go/packages ID, e.g. "example.com/m/p" or "example.com/m/p [example.com/m/p.test]"
	PkgPath string
	Name    string
	Dir     string
	Files   []*File
	// TypeErrors are the type-checking errors; the models are built all the
	// same, from what did check.
	TypeErrors []types.Error
	// ListErrors are other errors go list reported for the package that did
	// not prevent loading it (e.g. an import that cannot be found).
	ListErrors []string
	// Incremental is set when this result came from re-checking the package
	// with cached dependency types instead of a full go/packages load.
	Incremental bool
	// Cached is set when the result was returned from the cache unchanged.
	Cached bool

	Fset  *token.FileSet
	Types *types.Package
	Info  *types.Info

	summaries *pkgState // function summaries across the files (summaries.go)
}

// File returns the file with the given absolute path, or nil.
func (p *Package) File(filename string) *File {
	filename = filepath.Clean(filename)
	for _, f := range p.Files {
		if f.Filename == filename {
			return f
		}
	}
	// The go command may have reported the path with symbolic links
	// resolved.
	if real, err := filepath.EvalSymlinks(filename); err == nil && real != filename {
		for _, f := range p.Files {
			if f.Filename == real {
				return f
			}
		}
	}
	return nil
}

// ModelFor returns the typed model of filename if it was built from exactly
// current (the document's bytes now), and nil otherwise — the one call a
// server needs to never use a model of a stale version.
func (p *Package) ModelFor(filename string, current []byte) *model.File {
	f := p.File(filename)
	if f == nil || !f.Matches(current) {
		return nil
	}
	return f.Model()
}

// File is one file of a loaded package.
type File struct {
	Filename string
	// Src is exactly the content the syntax tree and the model were built
	// from. Compare it with the current document before using the model.
	Src []byte
	// Hash is the SHA-256 of Src.
	Hash [sha256.Size]byte
	AST  *ast.File

	fset  *token.FileSet
	info  *types.Info
	pkg   *Package // for the package's function summaries
	once  sync.Once
	model *model.File
}

// Matches reports whether the file was loaded from exactly src: only then
// do the model's positions fit the document.
func (f *File) Matches(src []byte) bool { return bytes.Equal(f.Src, src) }

// Model returns the typed concurrency model of the file, built on first use
// (most files of a package are never asked for).
func (f *File) Model() *model.File {
	f.once.Do(func() {
		var lookup model.SummaryLookup
		var mp *model.Package
		if f.pkg != nil {
			lookup = f.pkg.summaryLookup()
			mp = f.pkg.modelPackage()
		}
		if mp != nil && mp.Info == f.info {
			// Built in the package, as checks/modelpass builds: its
			// channel facts read the package's channel classes, which
			// follow calls into imported packages through their
			// summaries (modelPackage), so hover and checks state one
			// fact about a channel.
			f.model = model.BuildInPackage(mp, f.AST, f.Src, lookup)
		} else {
			f.model = model.BuildWith(f.fset, f.AST, f.Src, f.info, lookup)
		}
	})
	return f.model
}

// ErrorKind classifies a LoadError.
type ErrorKind int

const (
	// ListFailed: go list (or go/packages) failed for another reason.
	ListFailed ErrorKind = iota
	// NoModule: the file is not inside a module (no go.mod up the tree).
	NoModule
	// BadModule: go.mod (or go.work) does not parse or is inconsistent.
	BadModule
	// NoToolchain: the go command is missing or cannot run the required
	// toolchain.
	NoToolchain
	// NoPackage: go list found no package containing the file (e.g. it is
	// excluded by build constraints).
	NoPackage
)

func (k ErrorKind) String() string {
	return [...]string{"go list failed", "no go.mod", "broken go.mod", "no usable go toolchain", "no package"}[k]
}

// LoadError is returned when no typed package could be produced. The
// syntax tier should carry on.
type LoadError struct {
	Kind ErrorKind
	Dir  string
	Err  error
	// Repeated is set when the previous load of the same directory failed
	// with the same message: the caller has already logged it.
	Repeated bool
}

func (e *LoadError) Error() string {
	return fmt.Sprintf("typed tier unavailable for %s (%s): %v", e.Dir, e.Kind, e.Err)
}

func (e *LoadError) Unwrap() error { return e.Err }

// Loader loads and caches typed packages. It is safe for concurrent use.
type Loader struct {
	cfg Config

	mu       sync.Mutex
	cache    map[string]*entry // by cacheKey
	used     map[string]uint64 // by cacheKey: when last loaded or reused
	clock    uint64
	failures map[string]string // dir → last failure message

	slots chan struct{} // a slot per go/packages load allowed to run
}

// maxPackages bounds the cache: the least recently used package is dropped
// beyond it.
const maxPackages = 64

// store caches e under key, evicting the least recently used entry when
// the cache is full. l.mu must be held.
func (l *Loader) store(key string, e *entry) {
	l.clock++
	l.cache[key] = e
	l.used[key] = l.clock
	for len(l.cache) > maxPackages {
		oldest, when := "", ^uint64(0)
		for k, t := range l.used {
			if t < when {
				oldest, when = k, t
			}
		}
		delete(l.cache, oldest)
		delete(l.used, oldest)
	}
}

// NewLoader returns a Loader with the given configuration.
func NewLoader(cfg Config) *Loader {
	if cfg.MaxConcurrentLoads <= 0 {
		cfg.MaxConcurrentLoads = DefaultConcurrentLoads
	}
	if cfg.ListTimeout <= 0 {
		cfg.ListTimeout = DefaultListTimeout
	}
	return &Loader{cfg: cfg, cache: map[string]*entry{}, used: map[string]uint64{}, failures: map[string]string{},
		slots: make(chan struct{}, cfg.MaxConcurrentLoads)}
}

// Invalidate drops every cached package (call it when go.mod, go.work or
// the build settings change).
func (l *Loader) Invalidate() {
	l.mu.Lock()
	l.cache = map[string]*entry{}
	l.used = map[string]uint64{}
	l.mu.Unlock()
}

// entry is one cached load and what is needed to re-check it.
type entry struct {
	pkg       *Package
	tests     bool
	goVersion string
	sizes     types.Sizes
	imports   map[string]*types.Package // import path as written → package
	files     map[string]fileState      // by filename
	listing   []string                  // sorted .go file names of the dir (disk ∪ overlay) at load time
	others    [32]byte                  // hash of the overlays outside the package's directory
	modStamp  string                    // go.mod / go.work stamps
	header    map[string]string         // filename → package clause + build constraints
	hasCgo    bool
	typeCheck int // number of incremental re-checks since the full load
}

type fileState struct {
	hash    [sha256.Size]byte
	overlay bool
	size    int64
	mtime   int64
}

func cacheKey(dir string, tests bool) string {
	if tests {
		return dir + "\x00test"
	}
	return dir
}

// Load returns the typed package containing req.File.
func (l *Loader) Load(ctx context.Context, req Request) (*Package, error) {
	if req.File == "" || !filepath.IsAbs(req.File) {
		return nil, fmt.Errorf("typed: need an absolute file name, got %q", req.File)
	}
	file := filepath.Clean(req.File)
	dir := filepath.Dir(file)
	overlay := make(map[string][]byte, len(req.Overlay))
	for name, src := range req.Overlay {
		overlay[filepath.Clean(name)] = src
	}
	tests := strings.HasSuffix(file, "_test.go")
	key := cacheKey(dir, tests)
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	l.mu.Lock()
	e := l.cache[key]
	if e != nil {
		l.clock++
		l.used[key] = l.clock
	}
	l.mu.Unlock()

	if e != nil {
		if pkg, ok, err := l.reuse(ctx, e, file, dir, overlay); err != nil {
			return nil, err
		} else if ok {
			return pkg, nil
		}
	}
	return l.fullLoad(ctx, key, file, dir, tests, overlay)
}

// ---- full load ----

func (l *Loader) fullLoad(ctx context.Context, key, file, dir string, tests bool, overlay map[string][]byte) (*Package, error) {
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		// An unsaved buffer whose directory does not exist: without this,
		// the go command fails to start there with a misleading
		// "fork/exec go: no such file or directory".
		return nil, l.fail(dir, NoPackage, fmt.Errorf("directory %s does not exist", dir))
	}
	modStamp := moduleStamp(dir)
	pkgs, fset, srcs, err := l.goPackages(ctx, dir, tests, overlay, "file="+file)
	if err != nil {
		return nil, err
	}
	lp := choose(pkgs, file)
	if lp == nil {
		// The go command may report paths with symbolic links resolved.
		if real, err := filepath.EvalSymlinks(file); err == nil && real != file {
			lp = choose(pkgs, real)
		}
	}
	if lp == nil {
		var msgs []string
		for _, p := range pkgs {
			for _, e := range p.Errors {
				msgs = append(msgs, e.Msg)
			}
		}
		if len(msgs) > 0 {
			msg := strings.Join(msgs, "; ")
			return nil, l.fail(dir, classify(msg), errors.New(msg))
		}
		return nil, l.fail(dir, NoPackage, fmt.Errorf("no package contains %s (excluded by build constraints?)", filepath.Base(file)))
	}
	if msg := untyped(lp); msg != "" {
		return nil, l.fail(dir, classify(msg), errors.New(msg))
	}
	if lp.Module == nil && strings.HasPrefix(lp.ID, "command-line-arguments") && !strings.Contains(modStamp, "/go.mod:") && !strings.Contains(modStamp, "/go.work:") {
		// go list type-checks a lone file outside any module as an ad-hoc
		// package, but nothing else of the directory would be found: say
		// plainly that there is no module.
		return nil, l.fail(dir, NoModule, fmt.Errorf("go.mod file not found in %s or any parent directory", dir))
	}
	e := fromLoad(lp, fset, srcs, dir, tests, overlay, modStamp)
	if e == nil {
		return nil, l.fail(dir, ListFailed, errors.New("cannot read the package's cgo files"))
	}
	l.mu.Lock()
	l.store(key, e)
	delete(l.failures, dir)
	l.mu.Unlock()
	return e.pkg, nil
}

// LoadAll loads the packages matching patterns (go list patterns, run in
// dir) with one go/packages load, and makes each a Package exactly as Load
// makes the package of a file (fromLoad: the same type-check, the same
// function summaries across the package's files, the same facts about
// imported packages), without their test variants. One go list for many
// packages costs far less than one each: the truth suite loads its
// thousand programs this way. Nothing is cached. A package that could not
// be type-checked at all is left out, and the error says which.
func (l *Loader) LoadAll(ctx context.Context, dir string, patterns ...string) ([]*Package, error) {
	pkgs, fset, srcs, err := l.goPackages(ctx, dir, false, nil, patterns...)
	if err != nil {
		return nil, err
	}
	var out []*Package
	var errs []error
	for _, lp := range pkgs {
		pdir := lp.Dir
		if pdir == "" && len(lp.GoFiles) > 0 {
			pdir = filepath.Dir(lp.GoFiles[0])
		}
		if msg := untyped(lp); msg != "" {
			errs = append(errs, fmt.Errorf("%s: %s", lp.ID, msg))
			continue
		}
		e := fromLoad(lp, fset, srcs, pdir, false, nil, "")
		if e == nil {
			errs = append(errs, fmt.Errorf("%s: cannot read the package's cgo files", lp.ID))
			continue
		}
		out = append(out, e.pkg)
	}
	return out, errors.Join(errs...)
}

// goPackages runs one go/packages load in dir (waiting for a load slot,
// bounded by ListTimeout), keeping the bytes every file was parsed from.
func (l *Loader) goPackages(ctx context.Context, dir string, tests bool, overlay map[string][]byte, patterns ...string) ([]*packages.Package, *token.FileSet, map[string][]byte, error) {
	// Wait for a slot; a superseded load gives up its place in the queue.
	select {
	case l.slots <- struct{}{}:
		defer func() { <-l.slots }()
	case <-ctx.Done():
		return nil, nil, nil, ctx.Err()
	}
	// go/packages runs the go command in its own process group and kills
	// the group when ctx is done: on a timeout, on a newer edit, and when
	// the server exits (Scheduler.Close).
	parent := ctx
	ctx, cancel := context.WithTimeout(ctx, l.cfg.ListTimeout)
	defer cancel()
	fset := token.NewFileSet()
	var srcMu sync.Mutex
	srcs := map[string][]byte{}
	cfg := &packages.Config{
		Mode: packages.NeedName | packages.NeedFiles | packages.NeedCompiledGoFiles | packages.NeedImports |
			packages.NeedTypes | packages.NeedSyntax | packages.NeedTypesInfo | packages.NeedTypesSizes | packages.NeedModule |
			packages.NeedExportFile, // for imported.go: complete types of any dependency
		Context:    ctx,
		Dir:        dir,
		Env:        l.cfg.Env,
		BuildFlags: l.cfg.BuildFlags,
		Fset:       fset,
		Tests:      tests,
		Overlay:    overlay,
		ParseFile: func(fset *token.FileSet, filename string, src []byte) (*ast.File, error) {
			srcMu.Lock()
			srcs[filepath.Clean(filename)] = src
			srcMu.Unlock()
			// Object resolution stays on: the model's syntax fallbacks use it.
			return parser.ParseFile(fset, filename, src, parser.AllErrors|parser.ParseComments)
		},
	}
	pkgs, err := packages.Load(cfg, patterns...)
	if parent.Err() != nil {
		return nil, nil, nil, parent.Err()
	}
	if ctx.Err() != nil {
		return nil, nil, nil, l.fail(dir, ListFailed, fmt.Errorf("go list did not finish within %v (a module download that never answers?)", l.cfg.ListTimeout))
	}
	if err != nil {
		return nil, nil, nil, l.fail(dir, classify(err.Error()), err)
	}
	// The ParseFile calls are over: srcs is read without the lock from
	// here on.
	return pkgs, fset, srcs, nil
}

// untyped says why go/packages gave lp no type information, or "" if it
// did.
func untyped(lp *packages.Package) string {
	if lp.Types != nil && lp.TypesInfo != nil && len(lp.Syntax) > 0 {
		return ""
	}
	var msgs []string
	for _, e := range lp.Errors {
		msgs = append(msgs, e.Msg)
	}
	if len(msgs) == 0 {
		return "go/packages returned no type information"
	}
	return strings.Join(msgs, "; ")
}

// fromLoad turns a package go/packages type-checked (goPackages) into the
// typed tier's Package, with its function summaries across its files and
// the index of its imported packages whose facts summaries read
// (imported.go), and the cache entry a re-check starts from. Load and
// LoadAll both make their packages here, so the server's packages and the
// truth suite's are made one way. It returns nil if the package uses cgo
// and its own files cannot be read.
func fromLoad(lp *packages.Package, fset *token.FileSet, srcs map[string][]byte, dir string, tests bool, overlay map[string][]byte, modStamp string) *entry {
	pkg := &Package{ID: lp.ID, PkgPath: lp.PkgPath, Name: lp.Name, Dir: dir, Fset: fset, Types: lp.Types, Info: lp.TypesInfo,
		summaries: &pkgState{}}
	pkg.summaries.deps = newDepsState(newDepIndex(lp, overlay), fset, nil)
	for _, e := range lp.TypeErrors {
		pkg.TypeErrors = append(pkg.TypeErrors, e)
	}
	for _, e := range lp.Errors {
		if e.Kind != packages.TypeError {
			pkg.ListErrors = append(pkg.ListErrors, e.Error())
		}
	}
	e := &entry{
		pkg: pkg, tests: tests, sizes: lp.TypesSizes, imports: map[string]*types.Package{},
		files: map[string]fileState{}, header: map[string]string{}, modStamp: modStamp,
		others: othersHash(dir, overlay), listing: listing(dir, overlay),
	}
	if lp.Module != nil && lp.Module.GoVersion != "" {
		e.goVersion = "go" + lp.Module.GoVersion
	}
	for path, ip := range lp.Imports {
		if ip.Types != nil {
			e.imports[path] = ip.Types
		}
		if path == "C" {
			e.hasCgo = true
		}
	}
	for _, f := range lp.Syntax {
		tf := fset.File(f.Pos())
		if tf == nil {
			// go/parser gave up on the file (nesting beyond its limit)
			// and returned an empty one: it has no model.
			continue
		}
		name := filepath.Clean(tf.Name())
		src := srcs[name]
		if src == nil {
			// Not parsed through our hook (should not happen): read it.
			src, _ = os.ReadFile(name)
		}
		pkg.Files = append(pkg.Files, newFile(name, src, f, fset, lp.TypesInfo, pkg))
		e.header[name] = header(f)
		e.files[name] = stateOf(name, src, overlay)
		for _, imp := range f.Imports {
			if imp.Path.Value == `"C"` {
				e.hasCgo = true
			}
		}
	}
	sort.Slice(pkg.Files, func(i, j int) bool { return pkg.Files[i].Filename < pkg.Files[j].Filename })
	if usesCgo(lp) {
		// What go list compiled and type-checked are cgo's generated
		// files, not the user's: check the user's files again, with the
		// dependencies' types from this load and "C" faked, so every file
		// of the package has a model of its own bytes.
		if checkOriginals(e, lp, overlay) == nil {
			return nil
		}
	}
	return e
}

// usesCgo reports whether go list compiled other files than the package's
// own (cgo's generated ones).
func usesCgo(lp *packages.Package) bool {
	compiled := map[string]bool{}
	for _, f := range lp.CompiledGoFiles {
		compiled[filepath.Clean(f)] = true
	}
	for _, f := range lp.GoFiles {
		if !compiled[filepath.Clean(f)] {
			return true
		}
	}
	return false
}

// checkOriginals type-checks the package's own GoFiles (overlay or disk)
// with types.Config.FakeImportC and replaces e's package and file states
// with the result. It returns nil if a file cannot be read.
func checkOriginals(e *entry, lp *packages.Package, overlay map[string][]byte) *Package {
	old := e.pkg
	// Keep the dependencies' files (export data), drop the generated ones.
	generated := map[*token.File]bool{}
	for _, f := range lp.Syntax {
		generated[old.Fset.File(f.Pos())] = true
	}
	var keep []*token.File
	old.Fset.Iterate(func(tf *token.File) bool {
		if !generated[tf] {
			keep = append(keep, tf)
		}
		return true
	})
	fset := token.NewFileSet()
	fset.AddExistingFiles(keep...)
	pkg := &Package{ID: old.ID, PkgPath: old.PkgPath, Name: old.Name, Dir: old.Dir, Fset: fset, ListErrors: old.ListErrors,
		summaries: &pkgState{deps: old.summaries.deps.carry(fset)}}
	var files []*ast.File
	srcs := map[string][]byte{}
	for _, name := range lp.GoFiles {
		name = filepath.Clean(name)
		src, ok := overlay[name]
		if !ok {
			var err error
			if src, err = os.ReadFile(name); err != nil {
				return nil
			}
		}
		f, _ := parser.ParseFile(fset, name, src, parser.AllErrors|parser.ParseComments)
		if f == nil || fset.File(f.Pos()) == nil {
			continue // the parser gave up on it: no model
		}
		files = append(files, f)
		srcs[name] = src
	}
	info := &types.Info{
		Types: map[ast.Expr]types.TypeAndValue{}, Defs: map[*ast.Ident]types.Object{}, Uses: map[*ast.Ident]types.Object{},
		Implicits: map[ast.Node]types.Object{}, Instances: map[*ast.Ident]types.Instance{}, Scopes: map[ast.Node]*types.Scope{},
		Selections: map[*ast.SelectorExpr]*types.Selection{}, FileVersions: map[*ast.File]string{},
	}
	conf := types.Config{
		Importer:    mapImporter(e.imports),
		Sizes:       e.sizes,
		GoVersion:   e.goVersion,
		FakeImportC: true,
		Error: func(err error) {
			if te, ok := err.(types.Error); ok {
				pkg.TypeErrors = append(pkg.TypeErrors, te)
			}
		},
	}
	pkg.Types, _ = conf.Check(old.PkgPath, fset, files, info)
	pkg.Info = info
	e.pkg = pkg
	e.hasCgo = true
	e.files = map[string]fileState{}
	e.header = map[string]string{}
	for _, f := range files {
		name := fset.File(f.Pos()).Name()
		pkg.Files = append(pkg.Files, newFile(name, srcs[name], f, fset, info, pkg))
		e.header[name] = header(f)
		e.files[name] = stateOf(name, srcs[name], overlay)
	}
	sort.Slice(pkg.Files, func(i, j int) bool { return pkg.Files[i].Filename < pkg.Files[j].Filename })
	return pkg
}

func newFile(name string, src []byte, f *ast.File, fset *token.FileSet, info *types.Info, pkg *Package) *File {
	return &File{Filename: name, Src: src, Hash: sha256.Sum256(src), AST: f, fset: fset, info: info, pkg: pkg}
}

// choose picks the package that contains file, preferring the variant with
// the most files (the test variant of a package includes its _test files).
func choose(pkgs []*packages.Package, file string) *packages.Package {
	// A cgo file is in GoFiles only: CompiledGoFiles lists cgo's output.
	var best *packages.Package
	for _, p := range pkgs {
		for _, f := range slices.Concat(p.GoFiles, p.CompiledGoFiles) {
			if filepath.Clean(f) == file {
				if best == nil || len(p.CompiledGoFiles) > len(best.CompiledGoFiles) {
					best = p
				}
				break
			}
		}
	}
	return best
}

func (l *Loader) fail(dir string, kind ErrorKind, err error) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	msg := err.Error()
	repeated := l.failures[dir] == msg
	l.failures[dir] = msg
	return &LoadError{Kind: kind, Dir: dir, Err: err, Repeated: repeated}
}

// classify sorts a go command / go/packages error message.
func classify(msg string) ErrorKind {
	switch {
	case strings.Contains(msg, "go.mod file not found"),
		strings.Contains(msg, "cannot find main module"),
		strings.Contains(msg, "outside main module"),
		strings.Contains(msg, "not in a module"),
		strings.Contains(msg, "GOPATH mode"):
		return NoModule
	case strings.Contains(msg, "executable file not found"),
		strings.Contains(msg, "go command required"),
		strings.Contains(msg, "toolchain"),
		strings.Contains(msg, "requires go >="):
		return NoToolchain
	case strings.Contains(msg, "go.mod:"),
		strings.Contains(msg, "go.work:"),
		strings.Contains(msg, "errors parsing go.mod"),
		strings.Contains(msg, "malformed module path"),
		strings.Contains(msg, "missing go.sum entry"),
		strings.Contains(msg, "updates to go.mod needed"):
		return BadModule
	}
	return ListFailed
}

// ---- reuse: cache hit or incremental re-check ----

// reuse returns the cached package when nothing changed, or re-checks it
// with go/types when only ordinary edits happened. ok is false when a full
// load is needed.
func (l *Loader) reuse(ctx context.Context, e *entry, file, dir string, overlay map[string][]byte) (*Package, bool, error) {
	if moduleStamp(dir) != e.modStamp || othersHash(dir, overlay) != e.others {
		return nil, false, nil
	}
	if !equalStrings(listing(dir, overlay), e.listing) {
		return nil, false, nil
	}
	if e.pkg.File(file) == nil {
		return nil, false, nil
	}
	// Which files changed since the load?
	changed := map[string][]byte{}
	for name, st := range e.files {
		if src, ok := overlay[name]; ok {
			if sha256.Sum256(src) != st.hash {
				changed[name] = src
			}
			continue
		}
		fi, err := os.Stat(name)
		if err != nil {
			return nil, false, nil
		}
		if !st.overlay && fi.Size() == st.size && fi.ModTime().UnixNano() == st.mtime {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			return nil, false, nil
		}
		if sha256.Sum256(src) != st.hash {
			changed[name] = src
		}
	}
	if len(changed) == 0 {
		cached := *e.pkg
		cached.Cached = true
		return &cached, true, nil
	}
	pkg, ok := l.recheck(ctx, e, changed, overlay)
	if ctx.Err() != nil {
		return nil, false, ctx.Err()
	}
	return pkg, ok, nil
}

// recheck parses the changed files and type-checks the package again with
// the dependency types of the full load.
func (l *Loader) recheck(ctx context.Context, old *entry, changed map[string][]byte, overlay map[string][]byte) (*Package, bool) {
	fset := recheckFileSet(old.pkg, changed)
	parsed := map[string]*ast.File{}
	for name, src := range changed {
		f, _ := parser.ParseFile(fset, name, src, parser.AllErrors|parser.ParseComments)
		if f == nil || fset.File(f.Pos()) == nil || header(f) != old.header[name] {
			return nil, false // package clause or build constraints changed
		}
		for _, imp := range f.Imports {
			path, err := strconv.Unquote(imp.Path.Value)
			if path == "C" && old.hasCgo {
				continue // faked, as in the load
			}
			if err != nil || old.imports[path] == nil {
				return nil, false // a new import: go list must resolve it
			}
		}
		parsed[name] = f
	}
	if ctx.Err() != nil {
		return nil, false
	}
	pkg := &Package{ID: old.pkg.ID, PkgPath: old.pkg.PkgPath, Name: old.pkg.Name, Dir: old.pkg.Dir, Fset: fset,
		ListErrors: old.pkg.ListErrors, Incremental: true, summaries: &pkgState{prev: old.pkg.summaries.done(), deps: old.pkg.summaries.deps.carry(fset)}}
	files := make([]*ast.File, 0, len(old.pkg.Files))
	for _, f := range old.pkg.Files {
		if nf := parsed[f.Filename]; nf != nil {
			files = append(files, nf)
		} else {
			files = append(files, f.AST)
		}
	}
	// Sized like the previous check's maps: an edit changes them little,
	// and growing them is a measurable part of the check.
	prev := old.pkg.Info
	info := &types.Info{
		Types:        make(map[ast.Expr]types.TypeAndValue, len(prev.Types)+len(prev.Types)/8),
		Defs:         make(map[*ast.Ident]types.Object, len(prev.Defs)+len(prev.Defs)/8),
		Uses:         make(map[*ast.Ident]types.Object, len(prev.Uses)+len(prev.Uses)/8),
		Implicits:    make(map[ast.Node]types.Object, len(prev.Implicits)),
		Instances:    make(map[*ast.Ident]types.Instance, len(prev.Instances)),
		Scopes:       make(map[ast.Node]*types.Scope, len(prev.Scopes)+len(prev.Scopes)/8),
		Selections:   make(map[*ast.SelectorExpr]*types.Selection, len(prev.Selections)+len(prev.Selections)/8),
		FileVersions: make(map[*ast.File]string, len(prev.FileVersions)),
	}
	conf := types.Config{
		Importer:    mapImporter(old.imports),
		Sizes:       old.sizes,
		GoVersion:   old.goVersion,
		FakeImportC: old.hasCgo,
		Error: func(err error) {
			if te, ok := err.(types.Error); ok {
				pkg.TypeErrors = append(pkg.TypeErrors, te)
			}
		},
	}
	tpkg, _ := conf.Check(old.pkg.PkgPath, fset, files, info)
	pkg.Types, pkg.Info = tpkg, info

	e := *old
	e.pkg = pkg
	e.files = make(map[string]fileState, len(old.files))
	e.typeCheck = old.typeCheck + 1
	for _, f := range old.pkg.Files {
		src, af := f.Src, f.AST
		if nf := parsed[f.Filename]; nf != nil {
			src, af = changed[f.Filename], nf
		}
		pkg.Files = append(pkg.Files, newFile(f.Filename, src, af, fset, info, pkg))
		e.files[f.Filename] = stateOf(f.Filename, src, overlay)
	}
	if ctx.Err() != nil {
		return nil, false
	}
	l.mu.Lock()
	l.store(cacheKey(old.pkg.Dir, old.tests), &e)
	l.mu.Unlock()
	return pkg, true
}

// recheckFileSet returns a new FileSet holding the files of pkg's FileSet
// (the package's files and its dependencies' export data) except the
// changed ones, which the re-check parses into it. Parsing into pkg's own
// FileSet instead would keep every version's line table alive for as long
// as the cache entry: a FileSet only grows.
func recheckFileSet(pkg *Package, changed map[string][]byte) *token.FileSet {
	replaced := map[*token.File]bool{}
	for _, f := range pkg.Files {
		if _, ok := changed[f.Filename]; ok {
			replaced[pkg.Fset.File(f.AST.Pos())] = true
		}
	}
	var keep []*token.File
	pkg.Fset.Iterate(func(tf *token.File) bool {
		if !replaced[tf] {
			keep = append(keep, tf)
		}
		return true
	})
	fset := token.NewFileSet()
	fset.AddExistingFiles(keep...)
	return fset
}

type mapImporter map[string]*types.Package

func (m mapImporter) Import(path string) (*types.Package, error) {
	if p := m[path]; p != nil {
		return p, nil
	}
	return nil, fmt.Errorf("typed: package %q was not loaded", path)
}

// ---- fingerprints ----

// header is what decides which package a file belongs to and whether it is
// built: its package clause and build constraint lines.
func header(f *ast.File) string {
	var b strings.Builder
	b.WriteString(f.Name.Name)
	for _, cg := range f.Comments {
		if cg.Pos() > f.Package {
			break
		}
		for _, c := range cg.List {
			if strings.HasPrefix(c.Text, "//go:build") || strings.HasPrefix(c.Text, "// +build") {
				b.WriteString("\n" + c.Text)
			}
		}
	}
	return b.String()
}

func stateOf(name string, src []byte, overlay map[string][]byte) fileState {
	st := fileState{hash: sha256.Sum256(src)}
	if _, ok := overlay[name]; ok {
		st.overlay = true
		return st
	}
	if fi, err := os.Stat(name); err == nil {
		st.size, st.mtime = fi.Size(), fi.ModTime().UnixNano()
	}
	return st
}

// listing is the sorted set of .go files in dir, on disk or in the overlay.
func listing(dir string, overlay map[string][]byte) []string {
	set := map[string]bool{}
	if ents, err := os.ReadDir(dir); err == nil {
		for _, e := range ents {
			if !e.IsDir() && strings.HasSuffix(e.Name(), ".go") {
				set[e.Name()] = true
			}
		}
	}
	for name := range overlay {
		if filepath.Dir(name) == dir && strings.HasSuffix(name, ".go") {
			set[filepath.Base(name)] = true
		}
	}
	out := make([]string, 0, len(set))
	for n := range set {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// othersHash fingerprints the overlays outside dir: an unsaved edit in a
// dependency needs a full load.
func othersHash(dir string, overlay map[string][]byte) [32]byte {
	var names []string
	for name := range overlay {
		if filepath.Dir(name) != dir {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	h := sha256.New()
	for _, n := range names {
		sum := sha256.Sum256(overlay[n])
		h.Write([]byte(n))
		h.Write(sum[:])
	}
	var out [32]byte
	copy(out[:], h.Sum(nil))
	return out
}

// moduleStamp fingerprints go.mod, go.sum and go.work from dir up to the
// root: a change there needs a full load.
func moduleStamp(dir string) string {
	var b strings.Builder
	for d := dir; ; {
		for _, n := range []string{"go.mod", "go.sum", "go.work", "go.work.sum"} {
			if fi, err := os.Stat(filepath.Join(d, n)); err == nil {
				fmt.Fprintf(&b, "%s/%s:%d:%d;", d, n, fi.Size(), fi.ModTime().UnixNano())
			}
		}
		parent := filepath.Dir(d)
		if parent == d {
			break
		}
		d = parent
	}
	return b.String()
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
