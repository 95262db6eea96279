package typed

import (
	"crypto/sha256"
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

	"golang.org/x/tools/go/packages"

	"github.com/golens/golens/model"
)

// Facts about imported packages: the summaries of the functions of another
// package the analysed one calls with a channel, mutex, WaitGroup, Cond,
// context or cancel func, so that a hover can say "passed to worker.Run at
// line 12, which closes it (line 22 of worker/run.go)" instead of "a
// function golens cannot see into".
//
// go list names the source files of every package the analysed one
// imports. A dependency is read only when a call passes it a tracked value:
// its files are parsed and type-checked from source (their imports come from
// the export data the analysed package was checked with), and summarised
// with the same summariser as the package's own files (pkgState.build). The
// result is kept, in a form free of any FileSet, in a process-wide cache
// keyed by the package path and the SHA-256 of its files, so an edit of the
// analysed package, or another package importing the same dependency,
// reuses it.
//
// Limits, said rather than guessed: the standard library is not read (its
// documented facts are in model/stdfacts.go, and its internals would only
// yield "hands it on"); a dependency's own calls into further packages are
// functions golens cannot see into; a dependency that is open with unsaved
// edits is read as the load saw it.

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
}

// newDepIndex records the imported packages of lp that are outside the
// standard library (go list gives them a module).
func newDepIndex(lp *packages.Package, overlay map[string][]byte) *depIndex {
	d := &depIndex{meta: map[string]depMeta{}, overlay: map[string][]byte{}}
	for path, ip := range lp.Imports {
		if ip == nil || ip.Module == nil || len(ip.GoFiles) == 0 || path == lp.PkgPath {
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
	lines map[string][]int // file → line start offsets
	sizes map[string]int
}

// depCache holds the summaries of dependencies, by path and content hash.
var depCache = struct {
	sync.Mutex
	m map[string]*depEntry
}{m: map[string]*depEntry{}}

type depEntry struct {
	once sync.Once
	sums *depSummaries
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
	index *depIndex
	fset  *token.FileSet
	mu    sync.Mutex
	sums  map[string]*depSummaries // by import path; nil entry: unreadable
	files map[string]*token.File   // registered in fset, by file name
	// loads counts the dependencies read (for tests and benchmarks).
	loads int
}

func newDepsState(index *depIndex, fset *token.FileSet, prev *depsState) *depsState {
	s := &depsState{index: index, fset: fset, sums: map[string]*depSummaries{}, files: map[string]*token.File{}}
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
		in := strings.Replace(e.in, "`", "`"+qual, 1)
		why := e.why
		if why != "" {
			// Its lines are the dependency's: say which file.
			why = lineRE.ReplaceAllString(why, "at line $1 of "+shortName(e.file))
		}
		effects = append(effects, &model.Effect{Kind: e.kind, Target: t, Pos: pos, In: in,
			InGo: e.inGo, Deferred: e.deferred, Certainty: e.certainty, Why: why})
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

func (ds *depsState) load(p *Package, path string) *depSummaries {
	meta, ok := ds.index.meta[path]
	if !ok {
		return nil
	}
	if len(meta.files) > maxDepFiles {
		return nil
	}
	srcs := make(map[string][]byte, len(meta.files))
	size := 0
	h := sha256.New()
	h.Write([]byte(path + "\x00" + meta.goVersion + "\x00"))
	files := append([]string(nil), meta.files...)
	sort.Strings(files)
	for _, f := range files {
		f = filepath.Clean(f)
		src, ok := ds.index.overlay[f]
		if !ok {
			var err error
			if src, err = os.ReadFile(f); err != nil {
				return nil
			}
		}
		if size += len(src); size > maxDepBytes {
			return nil // too large to read on a hover's time
		}
		srcs[f] = src
		sum := sha256.Sum256(src)
		h.Write([]byte(f + "\x00"))
		h.Write(sum[:])
	}
	key := string(h.Sum(nil))
	depCache.Lock()
	ent := depCache.m[key]
	if ent == nil {
		if len(depCache.m) >= depCacheMax {
			depCache.m = map[string]*depEntry{}
		}
		ent = &depEntry{}
		depCache.m[key] = ent
	}
	depCache.Unlock()
	ent.once.Do(func() {
		ds.mu.Lock()
		ds.loads++
		ds.mu.Unlock()
		ent.sums = summarizeDep(p, path, meta, files, srcs)
	})
	return ent.sums
}

// summarizeDep parses, type-checks and summarises one dependency.
func summarizeDep(p *Package, path string, meta depMeta, files []string, srcs map[string][]byte) *depSummaries {
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
		Importer:    mapImporter(reachable(p.Types)),
		GoVersion:   meta.goVersion,
		FakeImportC: true,
		// An import the analysed package's export data does not reach
		// leaves its uses untyped: calls through it are then functions
		// golens cannot see into, which is what the summary says.
		Error: func(error) {},
	}
	tpkg, _ := conf.Check(path, fset, asts, info)
	if tpkg == nil {
		return nil
	}
	dep := &Package{PkgPath: path, Name: meta.name, Fset: fset, Types: tpkg, Info: info}
	for _, f := range asts {
		name := fset.File(f.Pos()).Name()
		dep.Files = append(dep.Files, newFile(name, srcs[name], f, fset, info, nil))
	}
	st := &pkgState{}
	st.build(dep)
	out := &depSummaries{funcs: map[string][]depEffect{}, lines: map[string][]int{}, sizes: map[string]int{}}
	fset.Iterate(func(tf *token.File) bool {
		out.lines[tf.Name()] = tf.Lines()
		out.sizes[tf.Name()] = tf.Size()
		return true
	})
	for name, fs := range st.sums.funcs {
		list := []depEffect{}
		for _, e := range fs.composed {
			if e.kind == model.EffReturn {
				continue
			}
			de := depEffect{effect: e}
			if tf := fset.File(e.pos); tf != nil {
				de.file, de.offset = tf.Name(), tf.Offset(e.pos)
			} else {
				continue
			}
			de.pos, de.at = token.NoPos, token.NoPos
			list = append(list, de)
		}
		out.funcs[name] = list
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
