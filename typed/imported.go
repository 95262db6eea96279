package typed

import (
	"crypto/sha256"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"

	"golang.org/x/tools/go/gcexportdata"
	"golang.org/x/tools/go/packages"

	"github.com/golens/golens/model"
)

// Facts about imported packages: the summaries of the functions of another
// package the analysed one calls with a channel, mutex, WaitGroup, Cond,
// context or cancel func (or whose exported channel field it uses), so that
// a hover can say "passed to worker.Run at line 12, which closes it (line
// 22 of worker/run.go)" instead of "a function golens cannot see into".
//
// go list names the source files of every package of the import graph. A
// dependency is read only when a call passes it a tracked value: its files
// are parsed, type-checked from source against the export data of its own
// imports, and summarised with the same summariser as the package's own
// files (pkgState.build), its calls into further dependencies resolved the
// same way. The result is kept, free of any FileSet, in a process-wide
// cache keyed by the package path and the SHA-256 of its files, with the
// keys of the dependencies it rests on, so an edit of the analysed package,
// or another package importing the same dependency, reuses it, and an edit
// of any package it rests on recomputes it.
//
// Limits, said rather than guessed: the standard library is not read (its
// documented facts are in model/stdfacts.go, and its internals would only
// yield "hands it on"); a dependency larger than maxDepFiles/maxDepBytes is
// not read; a dependency open with unsaved edits is read as the load saw
// it; calls through interfaces and func values stay calls golens cannot
// see into.

// depMeta is what go list said about one imported package.
type depMeta struct {
	name      string
	files     []string
	goVersion string
}

// depIndex is the imported packages of one load whose source golens may
// read, shared by the re-checks of that load.
type depIndex struct {
	meta    map[string]depMeta // by import path
	overlay map[string][]byte
	// export are the export data files of every package of the graph
	// (the standard library's too), by import path: a dependency is
	// type-checked against complete types of its imports.
	export map[string]string
}

// newDepIndex records the imported packages of lp that are outside the
// standard library (go list gives them a module).
func newDepIndex(lp *packages.Package, overlay map[string][]byte) *depIndex {
	d := &depIndex{meta: map[string]depMeta{}, overlay: map[string][]byte{}, export: map[string]string{}}
	// Every package the analysed one imports, directly or not: a
	// dependency's calls into another one are read the same way.
	seen := map[*packages.Package]bool{lp: true}
	var visit func(ps map[string]*packages.Package)
	visit = func(ps map[string]*packages.Package) {
		for path, ip := range ps {
			if ip == nil || seen[ip] {
				continue
			}
			seen[ip] = true
			if ip.ExportFile != "" {
				d.export[ip.PkgPath] = ip.ExportFile
			}
			visit(ip.Imports)
			if ip.Module == nil {
				continue // the standard library: not read
			}
			if len(ip.GoFiles) == 0 || path == lp.PkgPath {
				continue
			}
			m := depMeta{name: ip.Name, files: ip.GoFiles}
			if ip.Module.GoVersion != "" {
				m.goVersion = "go" + ip.Module.GoVersion
			}
			d.meta[path] = m
			for _, f := range ip.GoFiles {
				if src, ok := overlay[filepath.Clean(f)]; ok {
					d.overlay[filepath.Clean(f)] = src
				}
			}
		}
	}
	visit(lp.Imports)
	return d
}

// depEffect is an effect of a dependency's function, its position kept as
// file and offset.
type depEffect struct {
	effect
	file   string
	offset int
}

// depSummaries are the summaries of one version of a dependency.
type depSummaries struct {
	funcs map[string][]depEffect
	// fields are what the dependency's functions do to each struct field
	// ("T.f"), directly or through their calls.
	fields map[string][]depEffect
	lines  map[string][]int // file → line start offsets
	sizes  map[string]int
}

// depCache holds the summaries of dependencies, by path and content hash.
var depCache = struct {
	sync.Mutex
	m map[string]*depEntry
}{m: map[string]*depEntry{}}

type depEntry struct {
	once sync.Once
	sums *depSummaries
	// uses are the dependencies (path → key) whose summaries these were
	// composed with, directly or not.
	uses map[string]string
}

// depCacheMax bounds the cache: past it, it starts again empty.
const depCacheMax = 512

// maxDepFiles and maxDepBytes bound a dependency golens reads: about
// 100,000 lines, which the benchmark puts near a second to summarise.
// Beyond them its functions stay ones golens cannot see into.
const (
	maxDepFiles = 1000
	maxDepBytes = 4 << 20
)

// depsState is a package's view of its dependencies' summaries: their files
// registered in the package's FileSet, so that positions render.
type depsState struct {
	index   *depIndex
	fset    *token.FileSet
	mu      sync.Mutex
	sums    map[string]*depSummaries // by import path; nil entry: unreadable
	files   map[string]*token.File   // registered in fset, by file name
	sources map[string]*source       // read, by import path
	used    map[string]string        // dependencies read: path → key
	// loads counts the dependencies read (for tests and benchmarks).
	loads int
}

func newDepsState(index *depIndex, fset *token.FileSet, prev *depsState) *depsState {
	s := &depsState{index: index, fset: fset, sums: map[string]*depSummaries{}, files: map[string]*token.File{},
		sources: map[string]*source{}, used: map[string]string{}}
	if prev != nil {
		prev.mu.Lock()
		defer prev.mu.Unlock()
		maps := prev.sums
		for k, v := range maps {
			s.sums[k] = v
		}
		// A re-check's FileSet holds the files registered before it was
		// made; one registered later must be registered again.
		for name, tf := range prev.files {
			if fset.File(token.Pos(tf.Base())) == tf {
				s.files[name] = tf
			}
		}
	}
	return s
}

// tracks reports whether a call of fn can be given a value summaries
// follow: a parameter of channel, sync, context or cancel-func type.
func tracks(fn *types.Func) bool {
	sig := fn.Signature()
	for i := 0; i < sig.Params().Len(); i++ {
		if trackedType(sig.Params().At(i).Type()) {
			return true
		}
	}
	return false
}

func trackedType(t types.Type) bool {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	switch u := types.Unalias(t).(type) {
	case *types.Chan:
		return true
	case *types.Named:
		if pkg := u.Obj().Pkg(); pkg != nil && (pkg.Path() == "sync" || pkg.Path() == "context") {
			return true
		}
		_, isChan := u.Underlying().(*types.Chan)
		return isChan
	case *types.Signature:
		return u.Params().Len() == 0 && u.Results().Len() == 0
	}
	return false
}

// importedSummary returns the summary of fn, a function of an imported
// package, or nil when golens cannot read it.
func (st *pkgState) importedSummary(p *Package, fn *types.Func) *model.Summary {
	ds := st.deps
	if ds == nil || fn.Pkg() == nil || !tracks(fn) {
		return nil
	}
	path := fn.Pkg().Path()
	sums := ds.summaries(p, path)
	if sums == nil {
		return nil
	}
	name := declName(fn.Origin())
	list, ok := sums.funcs[name]
	if !ok {
		return nil
	}
	qual := fn.Pkg().Name() + "."
	var effects []*model.Effect
	for _, e := range list {
		t, ok := keyIn(fn.Pkg(), e.target)
		if !ok {
			continue
		}
		pos := ds.pos(sums, e.file, e.offset)
		if !pos.IsValid() {
			continue
		}
		effects = append(effects, &model.Effect{Kind: e.kind, Target: t, Pos: pos, In: e.in,
			InGo: e.inGo, Deferred: e.deferred, Certainty: e.certainty, Why: e.why})
	}
	return model.NewSummary(fn, qual+name, effects)
}

var lineRE = regexp.MustCompile(`at line (\d+)`)

// shortName is a dependency's file as "dir/name.go".
func shortName(file string) string {
	return filepath.ToSlash(filepath.Join(filepath.Base(filepath.Dir(file)), filepath.Base(file)))
}

// keyIn converts a stable target to a key of pkg's objects (the imported
// package as the analysed package sees it).
func keyIn(pkg *types.Package, t target) (model.Target, bool) {
	if t.param >= 0 {
		return model.Target{Param: t.param}, true
	}
	if v, ok := strings.CutPrefix(t.name, "var "); ok {
		if obj, ok := pkg.Scope().Lookup(v).(*types.Var); ok {
			return model.Target{Param: -1, Key: model.KeyFor(obj)}, true
		}
		return model.Target{}, false
	}
	typ, field, ok := strings.Cut(t.name, ".")
	if !ok {
		return model.Target{}, false
	}
	tn, ok := pkg.Scope().Lookup(typ).(*types.TypeName)
	if !ok {
		return model.Target{}, false
	}
	s, ok := types.Unalias(tn.Type()).Underlying().(*types.Struct)
	if !ok {
		return model.Target{}, false
	}
	for i := 0; i < s.NumFields(); i++ {
		if f := s.Field(i); f.Name() == field {
			return model.Target{Param: -1, Key: model.KeyFor(f)}, true
		}
	}
	return model.Target{}, false
}

// pos registers the dependency's file in the package's FileSet on first use
// and returns the position of offset in it.
func (ds *depsState) pos(sums *depSummaries, file string, offset int) token.Pos {
	ds.mu.Lock()
	defer ds.mu.Unlock()
	tf := ds.files[file]
	if tf == nil {
		lines, ok := sums.lines[file]
		if !ok {
			return token.NoPos
		}
		tf = ds.fset.AddFile(file, -1, sums.sizes[file])
		tf.SetLines(lines)
		ds.files[file] = tf
	}
	if offset < 0 || offset > tf.Size() {
		return token.NoPos
	}
	return tf.Pos(offset)
}

// summaries returns the summaries of the dependency with the given path,
// reading it on first use; nil when it is not one golens reads.
func (ds *depsState) summaries(p *Package, path string) *depSummaries {
	ds.mu.Lock()
	s, done := ds.sums[path]
	ds.mu.Unlock()
	if done {
		return s
	}
	s = ds.load(p, path)
	ds.mu.Lock()
	ds.sums[path] = s
	ds.mu.Unlock()
	return s
}

// source is one version of a dependency's files and its content key.
type source struct {
	meta  depMeta
	files []string
	srcs  map[string][]byte
	key   string
}

// read reads a dependency's files and computes its key, once per
// depsState; nil when golens does not read it.
func (ds *depsState) read(path string) *source {
	ds.mu.Lock()
	src, done := ds.sources[path]
	ds.mu.Unlock()
	if done {
		return src
	}
	src = ds.index.read(path)
	ds.mu.Lock()
	ds.sources[path] = src
	ds.mu.Unlock()
	return src
}

func (d *depIndex) read(path string) *source {
	meta, ok := d.meta[path]
	if !ok || len(meta.files) > maxDepFiles {
		return nil
	}
	src := &source{meta: meta, srcs: make(map[string][]byte, len(meta.files))}
	size := 0
	h := sha256.New()
	h.Write([]byte(path + "\x00" + meta.goVersion + "\x00"))
	src.files = append([]string(nil), meta.files...)
	sort.Strings(src.files)
	for i, f := range src.files {
		f = filepath.Clean(f)
		src.files[i] = f
		b, ok := d.overlay[f]
		if !ok {
			var err error
			if b, err = os.ReadFile(f); err != nil {
				return nil
			}
		}
		if size += len(b); size > maxDepBytes {
			return nil // too large to read on a hover's time
		}
		src.srcs[f] = b
		sum := sha256.Sum256(b)
		h.Write([]byte(f + "\x00"))
		h.Write(sum[:])
	}
	src.key = string(h.Sum(nil))
	return src
}

// load returns the summaries of a dependency: from the cache when neither
// its files nor those of the dependencies it reached changed, else
// computed.
func (ds *depsState) load(p *Package, path string) *depSummaries {
	src := ds.read(path)
	if src == nil {
		return nil
	}
	depCache.Lock()
	ent := depCache.m[src.key]
	depCache.Unlock()
	if ent != nil && !ds.valid(ent) {
		ent = nil
	}
	if ent == nil {
		depCache.Lock()
		if len(depCache.m) >= depCacheMax {
			depCache.m = map[string]*depEntry{}
		}
		// Another goroutine may have stored a valid one meanwhile: a
		// second computation is wasted work, not a wrong result.
		ent = &depEntry{}
		depCache.m[src.key] = ent
		depCache.Unlock()
	}
	ent.once.Do(func() {
		ds.mu.Lock()
		ds.loads++
		ds.mu.Unlock()
		ent.sums, ent.uses = summarizeDep(p, path, src, ds.index)
	})
	// What this package's summaries now rest on.
	ds.mu.Lock()
	ds.used[path] = src.key
	for k, v := range ent.uses {
		ds.used[k] = v
	}
	ds.mu.Unlock()
	return ent.sums
}

// valid reports whether the dependencies a cached entry's summaries were
// composed with are unchanged.
func (ds *depsState) valid(ent *depEntry) bool {
	ent.once.Do(func() {}) // wait for a computation under way
	for path, key := range ent.uses {
		if src := ds.read(path); src == nil || src.key != key {
			return false
		}
	}
	return true
}

// summarizeDep parses, type-checks and summarises one dependency, with the
// summaries of the dependencies it calls into; uses lists those (path →
// key), for the cache's validity.
func summarizeDep(p *Package, path string, src *source, index *depIndex) (*depSummaries, map[string]string) {
	meta, files, srcs := src.meta, src.files, src.srcs
	fset := token.NewFileSet()
	var asts []*ast.File
	for _, name := range files {
		f, _ := parser.ParseFile(fset, name, srcs[name], parser.AllErrors|parser.SkipObjectResolution)
		if f == nil || fset.File(f.Pos()) == nil {
			continue
		}
		asts = append(asts, f)
	}
	info := &types.Info{
		Types: map[ast.Expr]types.TypeAndValue{}, Defs: map[*ast.Ident]types.Object{}, Uses: map[*ast.Ident]types.Object{},
		Implicits: map[ast.Node]types.Object{}, Instances: map[*ast.Ident]types.Instance{}, Scopes: map[ast.Node]*types.Scope{},
		Selections: map[*ast.SelectorExpr]*types.Selection{}, FileVersions: map[*ast.File]string{},
	}
	conf := types.Config{
		Importer:    &exportImporter{index: index, fset: token.NewFileSet(), pkgs: map[string]*types.Package{}, fallback: reachable(p.Types)},
		GoVersion:   meta.goVersion,
		FakeImportC: true,
		// An import the analysed package's export data does not reach
		// leaves its uses untyped: calls through it are then functions
		// golens cannot see into, which is what the summary says.
		Error: func(error) {},
	}
	tpkg, _ := conf.Check(path, fset, asts, info)
	if tpkg == nil {
		return nil, nil
	}
	dep := &Package{PkgPath: path, Name: meta.name, Fset: fset, Types: tpkg, Info: info}
	for _, f := range asts {
		name := fset.File(f.Pos()).Name()
		dep.Files = append(dep.Files, newFile(name, srcs[name], f, fset, info, nil))
	}
	// Its own calls into other dependencies are read the same way, their
	// files registered in this FileSet so positions convert below.
	sub := newDepsState(index, fset, nil)
	st := &pkgState{deps: sub}
	st.build(dep)
	out := &depSummaries{funcs: map[string][]depEffect{}, fields: map[string][]depEffect{}, lines: map[string][]int{}, sizes: map[string]int{}}
	fset.Iterate(func(tf *token.File) bool {
		out.lines[tf.Name()] = tf.Lines()
		out.sizes[tf.Name()] = tf.Size()
		return true
	})
	// convert keeps an effect's position as file and offset, and names
	// its function and lines as a reader of another package needs them:
	// "`worker.Run`", "at line 9 of worker/run.go" (effects from a further
	// dependency are named already).
	convert := func(e effect) (depEffect, bool) {
		tf := fset.File(e.pos)
		if tf == nil {
			return depEffect{}, false
		}
		de := depEffect{effect: e, file: tf.Name(), offset: tf.Offset(e.pos)}
		if _, own := srcs[de.file]; own {
			de.in = strings.Replace(e.in, "`", "`"+meta.name+".", 1)
			if de.why != "" {
				de.why = lineRE.ReplaceAllString(de.why, "at line $1 of "+shortName(de.file))
			}
		}
		de.pos, de.at = token.NoPos, token.NoPos
		return de, true
	}
	for name, fs := range st.sums.funcs {
		list := []depEffect{}
		for _, e := range fs.composed {
			if e.kind == model.EffReturn {
				continue
			}
			if de, ok := convert(e); ok {
				list = append(list, de)
			}
		}
		out.funcs[name] = list
	}
	for name, list := range st.sums.fieldEffects {
		for _, e := range list {
			if e.kind == model.EffEscape || e.kind == model.EffReturn {
				continue
			}
			if de, ok := convert(e); ok {
				out.fields[name] = append(out.fields[name], de)
			}
		}
	}
	sub.mu.Lock()
	defer sub.mu.Unlock()
	return out, sub.used
}

// importedFieldEffects lists what the functions of an imported package do
// to one of its struct fields (w.Out of a worker.Worker): read when the
// analysed file uses a channel field of an imported type.
func (st *pkgState) importedFieldEffects(p *Package, field *types.Var) []*model.Effect {
	ds := st.deps
	pkg := field.Pkg()
	if ds == nil || pkg == nil || !field.Exported() {
		return nil
	}
	name := ""
	for _, n := range pkg.Scope().Names() {
		tn, ok := pkg.Scope().Lookup(n).(*types.TypeName)
		if !ok {
			continue
		}
		if s, ok := types.Unalias(tn.Type()).Underlying().(*types.Struct); ok {
			for i := 0; i < s.NumFields(); i++ {
				if s.Field(i) == field {
					name = n + "." + field.Name()
				}
			}
		}
	}
	if name == "" {
		return nil
	}
	sums := ds.summaries(p, pkg.Path())
	if sums == nil {
		return nil
	}
	var out []*model.Effect
	for _, e := range sums.fields[name] {
		pos := ds.pos(sums, e.file, e.offset)
		if !pos.IsValid() {
			continue
		}
		out = append(out, &model.Effect{Kind: e.kind, Target: model.Target{Param: -1, Key: model.KeyFor(field)}, Pos: pos,
			In: e.in, InGo: e.inGo, Deferred: e.deferred, Certainty: e.certainty})
	}
	return out
}

// reachable maps the import paths of every package pkg's imports reach to
// their types (from export data).
func reachable(pkg *types.Package) map[string]*types.Package {
	out := map[string]*types.Package{"unsafe": types.Unsafe}
	var walk func(*types.Package)
	walk = func(p *types.Package) {
		for _, ip := range p.Imports() {
			if out[ip.Path()] == nil {
				out[ip.Path()] = ip
				walk(ip)
			}
		}
	}
	if pkg != nil {
		walk(pkg)
	}
	return out
}

// carry gives a package re-checked into fset the dependencies of the one
// it was re-checked from.
func (ds *depsState) carry(fset *token.FileSet) *depsState {
	if ds == nil {
		return nil
	}
	return newDepsState(ds.index, fset, ds)
}

// exportImporter imports a dependency's imports from their export data
// files (complete types, consistent within one check); a package go list
// gave no export file for comes from the analysed package's view.
type exportImporter struct {
	index    *depIndex
	fset     *token.FileSet
	pkgs     map[string]*types.Package
	fallback map[string]*types.Package
}

func (im *exportImporter) Import(path string) (*types.Package, error) {
	if path == "unsafe" {
		return types.Unsafe, nil
	}
	if p := im.pkgs[path]; p != nil && p.Complete() {
		return p, nil
	}
	if file := im.index.export[path]; file != "" {
		if f, err := os.Open(file); err == nil {
			defer f.Close()
			if r, err := gcexportdata.NewReader(f); err == nil {
				if p, err := gcexportdata.Read(r, im.fset, im.pkgs, path); err == nil {
					return p, nil
				}
			}
		}
	}
	if p := im.fallback[path]; p != nil {
		return p, nil
	}
	return nil, fmt.Errorf("no export data for %q", path)
}
