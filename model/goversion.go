package model

import (
	"bufio"
	"bytes"
	"go/ast"
	"go/version"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// Some semantics depend on the Go version a file is compiled at, which
// comes from the go line of its module's go.mod: per-iteration loop
// variables need go 1.22 (https://go.dev/ref/spec#For_statements), and the
// synchronous, collectable timers of package time need the main module at
// go 1.23 (https://pkg.go.dev/time#NewTimer). Texts say which applies
// only when the version is known.

// GoVersion is the Go version the file is compiled at, as "go1.22", or ""
// when it is not known. The typed tier reads go/types' per-file version
// (the module's go line, or a //go:build constraint); the syntax tier reads
// the go line of the nearest go.mod above the file on disk.
func (f *File) GoVersion() string {
	if f == nil || f.AST == nil {
		return ""
	}
	if f.Info != nil && f.Info.FileVersions != nil {
		if v := f.Info.FileVersions[f.AST]; version.IsValid(v) {
			return v
		}
	}
	if f.Fset == nil {
		return ""
	}
	tf := f.Fset.File(f.AST.Pos())
	if tf == nil || !filepath.IsAbs(tf.Name()) {
		return ""
	}
	return goModVersion(filepath.Dir(tf.Name()))
}

// AtLeast reports whether the file's Go version is known and at least v
// ("go1.22"); known is false when golens cannot tell.
func (f *File) AtLeast(v string) (atLeast, known bool) {
	have := f.GoVersion()
	if have == "" {
		return false, false
	}
	return version.Compare(have, v) >= 0, true
}

// goModCache remembers the go line found for a directory, re-checked when
// the go.mod file's modification time or size changes.
var goModCache sync.Map // dir → goModEntry

type goModEntry struct {
	path    string // the go.mod found ("" if none)
	modTime time.Time
	size    int64
	version string
	// asyncTimer and godebugDefault are its godebug asynctimerchan= and
	// default= settings (TimerGodebug).
	asyncTimer, godebugDefault string
}

// goModVersion finds the nearest go.mod at or above dir and returns its go
// line as "go1.N[.P]", or "" when there is none or it has no valid go line.
func goModVersion(dir string) string {
	if e, ok := goModCache.Load(dir); ok {
		ent := e.(goModEntry)
		if ent.path == "" {
			return ""
		}
		if st, err := os.Stat(ent.path); err == nil && st.ModTime().Equal(ent.modTime) && st.Size() == ent.size {
			return ent.version
		}
	}
	ent := goModEntry{}
	for d := dir; ; {
		p := filepath.Join(d, "go.mod")
		if st, err := os.Stat(p); err == nil && st.Mode().IsRegular() {
			ent.path, ent.modTime, ent.size = p, st.ModTime(), st.Size()
			if b, err := os.ReadFile(p); err == nil {
				ent.version = goLine(b)
				ent.asyncTimer, ent.godebugDefault = goModGodebug(b)
			}
			break
		}
		parent := filepath.Dir(d)
		if parent == d {
			break
		}
		d = parent
	}
	goModCache.Store(dir, ent)
	return ent.version
}

// goLine extracts the go directive of a go.mod file.
func goLine(modFile []byte) string {
	sc := bufio.NewScanner(bytes.NewReader(modFile))
	for sc.Scan() {
		line := sc.Text()
		if i := strings.Index(line, "//"); i >= 0 {
			line = line[:i]
		}
		fields := strings.Fields(line)
		if len(fields) == 2 && fields[0] == "go" {
			if v := "go" + fields[1]; version.IsValid(v) {
				return v
			}
			return ""
		}
	}
	return ""
}

// TimerGodebug is the asynctimerchan setting the program is built with, as
// far as golens can see: a `//go:debug asynctimerchan=N` line in a file of
// the package (the main package's directives win), else a `godebug
// asynctimerchan=N` (or `godebug default=goX`) line of the nearest go.mod.
// value is "0", "1" or "2" (or, from default=, the go version "go1.21"
// whose defaults apply); where says where it is set, as a text would
// ("//go:debug asynctimerchan=1 in main.go"). Both "" when nothing sets
// it: the go line decides. A GODEBUG variable in the environment of the
// running program overrides both, and golens cannot see it
// (https://go.dev/doc/godebug, https://pkg.go.dev/time#NewTimer).
func (f *File) TimerGodebug() (value, where string) {
	if f == nil || f.AST == nil {
		return "", ""
	}
	files := []*ast.File{f.AST}
	if f.pkg != nil {
		files = f.pkg.Files
	}
	for _, file := range files {
		if file.Name == nil || file.Name.Name != f.AST.Name.Name {
			continue
		}
		for _, cg := range file.Comments {
			if cg.Pos() > file.Package {
				break // //go:debug lines come before the package clause
			}
			for _, c := range cg.List {
				rest, ok := strings.CutPrefix(c.Text, "//go:debug ")
				if !ok {
					continue
				}
				k, v, ok := strings.Cut(strings.TrimSpace(rest), "=")
				if ok && strings.TrimSpace(k) == "asynctimerchan" {
					name := "this file"
					if f.Fset != nil {
						name = filepath.Base(f.Fset.Position(file.Pos()).Filename)
					}
					return strings.TrimSpace(v), "`//go:debug asynctimerchan=" + strings.TrimSpace(v) + "` in " + name
				}
			}
		}
	}
	if f.Fset == nil {
		return "", ""
	}
	tf := f.Fset.File(f.AST.Pos())
	if tf == nil || !filepath.IsAbs(tf.Name()) {
		return "", ""
	}
	goModVersion(filepath.Dir(tf.Name()))
	e, ok := goModCache.Load(filepath.Dir(tf.Name()))
	if !ok {
		return "", ""
	}
	ent := e.(goModEntry)
	switch {
	case ent.asyncTimer != "":
		return ent.asyncTimer, "`godebug asynctimerchan=" + ent.asyncTimer + "` in go.mod"
	case ent.godebugDefault != "":
		return ent.godebugDefault, "`godebug default=" + ent.godebugDefault + "` in go.mod"
	}
	return "", ""
}

// goModGodebug reads a go.mod's godebug lines (`godebug k=v` or a
// `godebug ( ... )` block): the asynctimerchan setting and the default=
// version.
func goModGodebug(modFile []byte) (asyncTimer, dflt string) {
	sc := bufio.NewScanner(bytes.NewReader(modFile))
	inBlock := false
	for sc.Scan() {
		line := sc.Text()
		if i := strings.Index(line, "//"); i >= 0 {
			line = line[:i]
		}
		line = strings.TrimSpace(line)
		var kv string
		switch {
		case inBlock && line == ")":
			inBlock = false
			continue
		case inBlock:
			kv = line
		case line == "godebug (" || strings.HasPrefix(line, "godebug(") && strings.TrimSpace(strings.TrimPrefix(line, "godebug(")) == "":
			inBlock = true
			continue
		case strings.HasPrefix(line, "godebug "):
			kv = strings.TrimSpace(strings.TrimPrefix(line, "godebug "))
		default:
			continue
		}
		k, v, ok := strings.Cut(kv, "=")
		if !ok {
			continue
		}
		switch k, v = strings.TrimSpace(k), strings.TrimSpace(v); k {
		case "asynctimerchan":
			asyncTimer = v
		case "default":
			if version.IsValid(v) {
				dflt = v
			}
		}
	}
	return asyncTimer, dflt
}
