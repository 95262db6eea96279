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

// Some semantics depend on a Go version, and not all on the same one.
// Loop variables follow each file's language version: the go line of its
// module's go.mod, unless a //go:build line in the file names a Go version,
// which then sets the file's version (at least go1.21, so a build line can
// downgrade a file to shared loop variables: https://go.dev/ref/spec#For_statements,
// go/types Info.FileVersions). Timer channels follow the program, not the
// file: the go line of the main module's go.mod and the godebug settings
// of its go.mod and of its main package's //go:debug lines
// (https://pkg.go.dev/time#NewTimer, https://go.dev/doc/godebug); a
// file's //go:build line does not change them (Timers, TimerGodebug).
// Texts say which applies only when the version is known, and name where
// it comes from.

// GoVersion is the Go language version the file is compiled at, as
// "go1.22", or "" when it is not known. The typed tier reads go/types'
// per-file version; the syntax tier reads the file's //go:build line as
// go/types does (its Go version, at least go1.21) and otherwise the go line
// of the nearest go.mod above the file on disk. GoVersionRule says which.
func (f *File) GoVersion() string {
	v, _ := f.langVersion()
	return v
}

// GoVersionRule says where the file's Go version comes from, as a text
// would: "go.mod says go 1.22", or "this file's `//go:build go1.22` line
// sets its Go version to go 1.22" when a build line sets it. "" when the
// version is not known.
func (f *File) GoVersionRule() string {
	v, build := f.langVersion()
	if v == "" {
		return ""
	}
	if build == "" {
		return "go.mod says go " + trimGo(v)
	}
	line := "`" + build + "` line"
	if len(build) > 40 {
		line = "`//go:build` line"
	}
	return "this file's " + line + " sets its Go version to go " + trimGo(v)
}

// langVersion is the file's language version and, when a //go:build line
// of the file sets it, that line's text ("" otherwise).
func (f *File) langVersion() (v, build string) {
	if f == nil || f.AST == nil {
		return "", ""
	}
	// go/parser records the Go version a //go:build line implies
	// (constraint.GoVersion); go/types then sets the file's version to
	// it, raised to go1.21 (the first release that reads it).
	if fv := f.AST.GoVersion; version.IsValid(fv) {
		build = buildLine(f.AST)
	}
	if f.Info != nil && f.Info.FileVersions != nil {
		if v := f.Info.FileVersions[f.AST]; version.IsValid(v) {
			return v, build
		}
	}
	if build != "" {
		v := version.Lang(f.AST.GoVersion)
		if version.Compare(v, "go1.21") < 0 {
			v = "go1.21"
		}
		return v, build
	}
	return f.diskGoModVersion(), ""
}

// buildLine is the text of file's //go:build line, "" if none.
func buildLine(file *ast.File) string {
	for _, cg := range file.Comments {
		if cg.Pos() > file.Package {
			break
		}
		for _, c := range cg.List {
			if strings.HasPrefix(c.Text, "//go:build") {
				return strings.TrimSpace(c.Text)
			}
		}
	}
	return ""
}

// diskGoModVersion is the go line of the nearest go.mod above the file on
// disk, "" when there is none or the file is not on disk.
func (f *File) diskGoModVersion() string {
	dir := f.diskDir()
	if dir == "" {
		return ""
	}
	return goModVersion(dir)
}

// diskDir is the directory of the file when its name is an absolute path,
// else "".
func (f *File) diskDir() string {
	if f == nil || f.AST == nil || f.Fset == nil {
		return ""
	}
	tf := f.Fset.File(f.AST.Pos())
	if tf == nil || !filepath.IsAbs(tf.Name()) {
		return ""
	}
	return filepath.Dir(tf.Name())
}

// ModuleGoVersion is the go line of the file's module's go.mod, as
// "go1.23", or "" when it is not known: the version the program's timers
// follow when this module is the main module. Unlike GoVersion, a
// //go:build line of the file does not change it.
func (f *File) ModuleGoVersion() string {
	if f == nil || f.AST == nil {
		return ""
	}
	if v := f.diskGoModVersion(); v != "" {
		return v
	}
	if f.pkg != nil && f.pkg.Types != nil {
		if v := f.pkg.Types.GoVersion(); version.IsValid(v) {
			return v
		}
	}
	// Without a build line the file's version is the module's.
	if f.Info != nil && f.Info.FileVersions != nil && !version.IsValid(f.AST.GoVersion) {
		if v := f.Info.FileVersions[f.AST]; version.IsValid(v) {
			return v
		}
	}
	return ""
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
// far as golens can see: value is "0", "1" or "2", or, from a default=
// setting, the go version whose defaults apply ("go1.21"); where says
// where it is set, as a text would ("`//go:debug asynctimerchan=1` in
// main.go"). The settings are the program's: `//go:debug` lines of the
// main package's files (for a file of another package, the main packages
// of its module: mainDebug), which win over the `godebug` lines of the
// main module's go.mod; a key set explicitly wins over a default=
// (cmd/go's defaultGODEBUG). Both "" when nothing sets it: the main
// module's go line decides. unknown is set when golens cannot tell what
// the program sets (the module's main packages disagree, or it cannot look).
// A GODEBUG variable in the environment of the running program overrides
// all of them, and golens cannot see it (https://go.dev/doc/godebug,
// https://pkg.go.dev/time#NewTimer).
func (f *File) TimerGodebug() (value, where string, unknown bool) {
	if f == nil || f.AST == nil {
		return "", "", true
	}
	pkg, ok := f.programDirectives()
	if !ok {
		return "", "", true
	}
	var mod debugSettings
	if dir := f.diskDir(); dir != "" {
		goModVersion(dir)
		if e, ok := goModCache.Load(dir); ok {
			ent := e.(goModEntry)
			if ent.asyncTimer != "" {
				mod.timer, mod.timerWhere = ent.asyncTimer, "`godebug asynctimerchan="+ent.asyncTimer+"` in go.mod"
			}
			if ent.godebugDefault != "" {
				mod.dflt, mod.dfltWhere = ent.godebugDefault, "`godebug default="+ent.godebugDefault+"` in go.mod"
			}
		}
	}
	switch {
	case pkg.timer != "":
		return pkg.timer, pkg.timerWhere, false
	case mod.timer != "":
		return mod.timer, mod.timerWhere, false
	case pkg.dflt != "":
		return pkg.dflt, pkg.dfltWhere, false
	case mod.dflt != "":
		return mod.dflt, mod.dfltWhere, false
	}
	return "", "", false
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
