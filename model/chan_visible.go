package model

import (
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
)

// Which of the package's names code outside it can reach. The channel
// classes (chan_classes.go) lose sight of a channel held in such a name:
// other packages may send on it, receive from it or close it.
//
// A declaration in a _test.go file exists only while the package's tests
// are compiled: no other package can import it. The one exception is the
// package's external test package (package p_test in the same directory),
// which imports p with its test files and so can use their exported names
// (the export_test.go convention). Such a name counts as visible when an
// external test file of the directory mentions it.
//
// An exported field of an unexported struct type is out of other packages'
// reach as long as the type itself is: no exported function, method,
// variable or type of the package mentions it (a *T result, a field or an
// embedded T of an exported struct, an exported interface's method). Code
// elsewhere that gets such a value through an interface cannot name the
// type to reach the field.

// visibility holds what Visible and ReachableField read, each computed
// once per package.
type visibility struct {
	privateOnce sync.Once
	private     map[*types.Var]bool // exported fields of types that stay in the package

	xtestMu sync.Mutex
	xtest   map[string]map[string]bool // directory → words of its external test files (nil: unreadable)
}

// Visible reports whether code outside the package can name obj: it is
// exported and not declared only for the package's own tests.
func (p *Package) Visible(obj types.Object) bool {
	if !obj.Exported() {
		return false
	}
	return !p.testOnly(obj)
}

// testOnly: obj is declared in a _test.go file and no external test file
// of its directory mentions its name.
func (p *Package) testOnly(obj types.Object) bool {
	if !obj.Pos().IsValid() || p.Fset == nil {
		return false
	}
	file := p.Fset.Position(obj.Pos()).Filename
	if !strings.HasSuffix(file, "_test.go") {
		return false
	}
	words, ok := p.externalTestWords(filepath.Dir(file))
	return ok && !words[obj.Name()]
}

// mainFuncHidden reports whether fn is a function (not a method) of
// package main that no external test file of its directory mentions. The
// go command refuses to import package main ("is a program, not an
// importable package"), so only its external test package can call such a
// function by name.
func (p *Package) mainFuncHidden(fn *types.Func) bool {
	if p.Types == nil || p.Types.Name() != "main" || fn.Signature().Recv() != nil || p.Fset == nil || !fn.Pos().IsValid() {
		return false
	}
	words, ok := p.externalTestWords(filepath.Dir(p.Fset.Position(fn.Pos()).Filename))
	return ok && !words[fn.Name()]
}

// calledElsewhere names fn as a function code outside the package may
// call, for the channel classes' reasons. An exported method of package
// main is reached from other packages only through an interface (or
// reflect) holding its receiver, or by its external test package, and
// golens does not follow where the receiver goes: unless an external test
// file mentions it, the text says that rather than that other packages
// call it.
func calledElsewhere(p *Package, fn *types.Func) string {
	if p.Types != nil && p.Types.Name() == "main" && fn.Signature().Recv() != nil && fn.Pos().IsValid() && p.Fset != nil {
		// Its external test package, which imports it, can call it
		// by name when it mentions it.
		if words, ok := p.externalTestWords(filepath.Dir(p.Fset.Position(fn.Pos()).Filename)); ok && words[fn.Name()] {
			return "`" + fn.Name() + "`, which other packages can call"
		}
		return "`" + fn.Name() + "`, an exported method, and golens does not follow whether code in other packages calls it through an interface"
	}
	return "`" + fn.Name() + "`, which other packages can call"
}

var wordRE = regexp.MustCompile(`[A-Za-z_][A-Za-z0-9_]*`)

// externalTestWords lists the identifiers written in the directory's
// external test files (package <pkg>_test); false when the directory
// cannot be read. Read from disk once per package and directory: the
// external test package is not among the package's files.
func (p *Package) externalTestWords(dir string) (map[string]bool, bool) {
	p.vis.xtestMu.Lock()
	defer p.vis.xtestMu.Unlock()
	if m, ok := p.vis.xtest[dir]; ok {
		return m, m != nil
	}
	if p.vis.xtest == nil {
		p.vis.xtest = map[string]map[string]bool{}
	}
	words := p.readExternalTestWords(dir)
	p.vis.xtest[dir] = words
	return words, words != nil
}

func (p *Package) readExternalTestWords(dir string) map[string]bool {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	words := map[string]bool{}
	fset := token.NewFileSet()
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		path := filepath.Join(dir, e.Name())
		f, err := parser.ParseFile(fset, path, nil, parser.PackageClauseOnly)
		if err != nil {
			return nil
		}
		if f.Name.Name != p.Types.Name()+"_test" {
			continue
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return nil
		}
		for _, w := range wordRE.FindAll(src, -1) {
			words[string(w)] = true
		}
	}
	return words
}

// Trackable reports whether code outside the package cannot reach the
// variable: a local, a parameter, an unexported package variable, or a
// field other packages cannot name (unexported, or exported on a type
// that stays in the package; never an embedded one).
func (p *Package) Trackable(obj types.Object) bool {
	v, ok := obj.(*types.Var)
	if !ok || v.Pkg() != p.Types {
		return false
	}
	if v.IsField() {
		p.vis.privateOnce.Do(func() { p.vis.private = privateFields(p.Types) })
		return !v.Embedded() && (!p.Visible(v) || p.vis.private[v] || p.mainNameHidden(v))
	}
	if v.Parent() == p.Types.Scope() {
		return !p.Visible(v) || p.mainNameHidden(v)
	}
	return true
}

// mainNameHidden reports whether v, a field or package variable of
// package main, is out of other packages' reach: the go command refuses to
// import package main, so only its external test package can name v, and
// no external test file of its directory mentions it. A field is read
// only by its name (an interface reaches methods, not fields), so no
// other way in is left (truth/r17a_unsub_no_close: Subscription.C).
func (p *Package) mainNameHidden(v *types.Var) bool {
	if p.Types == nil || p.Types.Name() != "main" || p.Fset == nil || !v.Pos().IsValid() {
		return false
	}
	words, ok := p.externalTestWords(filepath.Dir(p.Fset.Position(v.Pos()).Filename))
	return ok && !words[v.Name()]
}

// privateFields lists the exported fields of unexported struct types that
// do not leave the package.
func privateFields(pkg *types.Package) map[*types.Var]bool {
	out := map[*types.Var]bool{}
	leaving := leavingTypes(pkg)
	scope := pkg.Scope()
	for _, name := range scope.Names() {
		tn, ok := scope.Lookup(name).(*types.TypeName)
		if !ok || tn.Exported() || tn.IsAlias() {
			continue
		}
		named, ok := tn.Type().(*types.Named)
		if !ok || named.TypeParams().Len() > 0 {
			continue
		}
		st, ok := named.Underlying().(*types.Struct)
		if !ok || leaving[named] {
			continue
		}
		for i := 0; i < st.NumFields(); i++ {
			if f := st.Field(i); f.Exported() && !f.Embedded() {
				out[f] = true
			}
		}
	}
	return out
}

// leavingTypes returns the package's named types that its exported API
// mentions: the underlying types and exported methods of exported types,
// the types of exported functions, variables and constants, and the
// parameters and results of every exported method of any of its types
// (those can be called through interfaces elsewhere). It walks each type
// once, with one visited set for the whole package: asking per unexported
// type walked the whole API again each time (go-redis's Cmdable interface
// of several hundred methods made that minutes of CPU).
func leavingTypes(pkg *types.Package) map[*types.Named]bool {
	w := typeWalker{pkg: pkg, seen: map[types.Type]bool{}, reached: map[*types.Named]bool{}}
	scope := pkg.Scope()
	for _, name := range scope.Names() {
		o := scope.Lookup(name)
		tn, isType := o.(*types.TypeName)
		if o.Exported() {
			if isType {
				w.walk(o.Type().Underlying())
			} else {
				w.walk(o.Type())
			}
		}
		if !isType {
			continue
		}
		// Exported methods of any type of the package, exported or not:
		// their signatures (parameters and results) leave with them.
		if n, ok := tn.Type().(*types.Named); ok {
			for i := 0; i < n.NumMethods(); i++ {
				if m := n.Method(i); m.Exported() {
					sig := m.Type().(*types.Signature)
					w.walk(sig.Params())
					w.walk(sig.Results())
				}
			}
		}
	}
	return w.reached
}

// typeWalker records the package's named types reachable from a type
// (through pointers, containers, signatures, struct fields and interface
// methods); another package's named type cannot hold ours by name, so the
// walk stops there.
type typeWalker struct {
	pkg     *types.Package
	seen    map[types.Type]bool
	reached map[*types.Named]bool
}

func (w *typeWalker) walk(typ types.Type) {
	if typ == nil || w.seen[typ] {
		return
	}
	w.seen[typ] = true
	switch x := typ.(type) {
	case *types.Named:
		w.reached[x] = true
		if o := x.Origin(); o != x {
			w.reached[o] = true
		}
		if x.Obj().Pkg() != w.pkg {
			return
		}
		w.walk(x.Underlying())
	case *types.Alias:
		w.walk(types.Unalias(x))
	case *types.Pointer:
		w.walk(x.Elem())
	case *types.Slice:
		w.walk(x.Elem())
	case *types.Array:
		w.walk(x.Elem())
	case *types.Map:
		w.walk(x.Key())
		w.walk(x.Elem())
	case *types.Chan:
		w.walk(x.Elem())
	case *types.Tuple:
		for i := 0; i < x.Len(); i++ {
			w.walk(x.At(i).Type())
		}
	case *types.Signature:
		w.walk(x.Params())
		w.walk(x.Results())
	case *types.Struct:
		for i := 0; i < x.NumFields(); i++ {
			w.walk(x.Field(i).Type())
		}
	case *types.Interface:
		for i := 0; i < x.NumMethods(); i++ {
			w.walk(x.Method(i).Type())
		}
	}
}
