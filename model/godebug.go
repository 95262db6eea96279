package model

import (
	"errors"
	"go/ast"
	"go/build"
	"go/version"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The //go:debug lines a program is built with are those of its main
// package's files (before the package clause, in the files the build
// includes); cmd/go ignores them in any other package, and a test binary
// takes them from the files of the package under test, _test files
// included (https://go.dev/doc/godebug). They apply to the whole program:
// a timer made in a package the main package imports follows the main
// package's //go:debug asynctimerchan line. So a file of package main (or
// a _test file) reads its own package's lines, and a file of another
// package reads those of the main packages of its module — the programs
// the module builds — when they all agree (mainDebug).

// debugSettings are the godebug settings golens reads: asynctimerchan= and
// default=, each with where it is set, as a text says it.
type debugSettings struct {
	timer, timerWhere string
	dflt, dfltWhere   string
}

// add reads one //go:debug directive (cmd/go's load.ParseGoDebug: the key
// and value are what lies either side of the first =, after the first
// space).
func (s *debugSettings) add(text, file string) {
	if !strings.HasPrefix(text, "//go:debug") {
		return
	}
	i := strings.IndexAny(text, " \t")
	if i < 0 {
		return
	}
	k, v, ok := strings.Cut(strings.TrimSpace(text[i:]), "=")
	if !ok {
		return
	}
	switch k {
	case "asynctimerchan":
		s.timer, s.timerWhere = v, "`//go:debug asynctimerchan="+v+"` in "+file
	case "default":
		if v2 := "go" + strings.TrimPrefix(v, "go"); version.IsValid(v2) {
			s.dflt, s.dfltWhere = v2, "`//go:debug default="+v+"` in "+file
		}
	}
}

// fileDirectives adds the //go:debug lines of file's header.
func (s *debugSettings) fileDirectives(file *ast.File, name string) {
	for _, cg := range file.Comments {
		if cg.Pos() > file.Package {
			break // directives come before the package clause
		}
		for _, c := range cg.List {
			s.add(c.Text, name)
		}
	}
}

// programDirectives is what the //go:debug lines of the program the file
// is built into set; ok is false when golens cannot tell.
func (f *File) programDirectives() (s debugSettings, ok bool) {
	name := ""
	if f.Fset != nil {
		if tf := f.Fset.File(f.AST.Pos()); tf != nil {
			name = filepath.Base(tf.Name())
		}
	}
	isTest := strings.HasSuffix(name, "_test.go")
	isMain := f.AST.Name != nil && f.AST.Name.Name == "main"
	dir := f.diskDir()
	if !isTest && !isMain {
		if dir == "" {
			return s, false
		}
		return mainDebug(dir)
	}
	// The program is this package's (or its test binary): its other
	// files as they are on disk, this one as it is now.
	if dir != "" {
		if d := scanDir(dir, nil); d != nil {
			lists := [][]build.Directive{d.directives}
			if isTest {
				lists = append(lists, d.test, d.xtest)
			}
			for _, list := range lists {
				for _, dv := range list {
					if base := filepath.Base(dv.Pos.Filename); base != name {
						s.add(dv.Text, base)
					}
				}
			}
		}
	} else if f.pkg != nil {
		for _, file := range f.pkg.Files {
			if file == f.AST || file.Name == nil || file.Name.Name != f.AST.Name.Name {
				continue
			}
			base := "another file of the package"
			if tf := f.Fset.File(file.Pos()); tf != nil {
				base = filepath.Base(tf.Name())
			}
			s.fileDirectives(file, base)
		}
	}
	if name == "" {
		name = "this file"
	}
	s.fileDirectives(f.AST, name)
	return s, true
}

// dirPackage is what golens reads of a directory's package: its name and
// the //go:debug (and other //go:) directives of the files the build
// includes (go/build: build constraints and file names decide).
type dirPackage struct {
	stamp                   string // the .go files' names, sizes and modification times
	name                    string // "" when the files name several packages, or none
	directives, test, xtest []build.Directive
}

var dirCache sync.Map // dir → *dirPackage

// scanDir reads dir's package, or returns the cached reading when no .go
// file of dir changed since. entries, when not nil, is dir's listing.
// nil when dir cannot be read.
func scanDir(dir string, entries []os.DirEntry) *dirPackage {
	if entries == nil {
		var err error
		if entries, err = os.ReadDir(dir); err != nil {
			return nil
		}
	}
	var stamp strings.Builder
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".go") {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue
		}
		stamp.WriteString(e.Name())
		stamp.WriteByte(0)
		stamp.WriteString(strconv.FormatInt(info.Size(), 36))
		stamp.WriteByte(0)
		stamp.WriteString(strconv.FormatInt(info.ModTime().UnixNano(), 36))
		stamp.WriteByte(0)
	}
	if c, ok := dirCache.Load(dir); ok && c.(*dirPackage).stamp == stamp.String() {
		return c.(*dirPackage)
	}
	d := &dirPackage{stamp: stamp.String()}
	if d.stamp != "" {
		p, err := build.Default.ImportDir(dir, 0)
		var multi *build.MultiplePackageError
		var noGo *build.NoGoError
		switch {
		case err == nil:
			d.name = p.Name
		case errors.As(err, &multi), errors.As(err, &noGo):
		default:
			return nil
		}
		if p != nil {
			d.directives, d.test, d.xtest = p.Directives, p.TestDirectives, p.XTestDirectives
		}
	}
	dirCache.Store(dir, d)
	return d
}

// moduleMains is the reading of a module's main packages (mainDebug).
type moduleMains struct {
	checked time.Time
	s       debugSettings
	ok      bool
}

var mainsCache sync.Map // module root → moduleMains

// mainsTTL is how long a module's reading is used before its directories
// are listed again (a listing of a large module costs milliseconds; a
// hover asks once per model).
const mainsTTL = 2 * time.Second

// maxModuleDirs bounds the directories mainDebug lists: past it, golens
// does not say what the module's main packages set.
const maxModuleDirs = 2000

// mainDebug is what the //go:debug lines of the main packages of the
// module holding dir set, when they all set the same (each where names
// the file, relative to the module's root); ok is false when they differ,
// when the module is too large to list, or there is no go.mod. A module
// with no main package sets nothing: the program that imports it is built
// by another module, whose settings golens does not see (texts say "when
// this module builds the program").
func mainDebug(dir string) (debugSettings, bool) {
	goModVersion(dir)
	e, ok := goModCache.Load(dir)
	if !ok || e.(goModEntry).path == "" {
		return debugSettings{}, false
	}
	root := filepath.Dir(e.(goModEntry).path)
	if c, ok := mainsCache.Load(root); ok && time.Since(c.(moduleMains).checked) < mainsTTL {
		return c.(moduleMains).s, c.(moduleMains).ok
	}
	res := moduleMains{checked: time.Now()}
	res.s, res.ok = readMains(root)
	mainsCache.Store(root, res)
	return res.s, res.ok
}

// readMains lists the module at root (as cmd/go's ./... does: not
// testdata, vendor, directories whose name starts with . or _, nor nested
// modules) and reads the directives of its main packages.
func readMains(root string) (debugSettings, bool) {
	var mains []debugSettings
	dirs := 0
	var walk func(dir string) bool
	walk = func(dir string) bool {
		if dirs++; dirs > maxModuleDirs {
			return false
		}
		entries, err := os.ReadDir(dir)
		if err != nil {
			return dir != root
		}
		if dir != root && slices.ContainsFunc(entries, func(e os.DirEntry) bool { return e.Name() == "go.mod" && !e.IsDir() }) {
			return true // another module
		}
		if slices.ContainsFunc(entries, func(e os.DirEntry) bool {
			return !e.IsDir() && strings.HasSuffix(e.Name(), ".go") && !strings.HasSuffix(e.Name(), "_test.go")
		}) {
			d := scanDir(dir, entries)
			if d == nil {
				return false
			}
			if d.name == "main" {
				var s debugSettings
				for _, dv := range d.directives {
					rel, err := filepath.Rel(root, dv.Pos.Filename)
					if err != nil {
						rel = filepath.Base(dv.Pos.Filename)
					}
					s.add(dv.Text, filepath.ToSlash(rel))
				}
				mains = append(mains, s)
			}
		}
		for _, e := range entries {
			n := e.Name()
			if !e.IsDir() || n == "testdata" || n == "vendor" || strings.HasPrefix(n, ".") || strings.HasPrefix(n, "_") {
				continue
			}
			if !walk(filepath.Join(dir, n)) {
				return false
			}
		}
		return true
	}
	if !walk(root) {
		return debugSettings{}, false
	}
	if len(mains) == 0 {
		return debugSettings{}, true
	}
	s := mains[0]
	for _, o := range mains[1:] {
		if o.timer != s.timer || o.dflt != s.dflt {
			return debugSettings{}, false
		}
	}
	if len(mains) > 1 {
		if s.timerWhere != "" {
			s.timerWhere += " and the module's other main packages"
		}
		if s.dfltWhere != "" {
			s.dfltWhere += " and the module's other main packages"
		}
	}
	return s, true
}
