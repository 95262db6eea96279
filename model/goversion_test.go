package model

import (
	"os"
	"path/filepath"
	"testing"
)

func TestGoVersionFromGoMod(t *testing.T) {
	root := t.TempDir()
	sub := filepath.Join(root, "a", "b")
	if err := os.MkdirAll(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	src := []byte("package b\n")
	file := filepath.Join(sub, "b.go")
	if got := Parse(file, src).GoVersion(); got != "" {
		t.Errorf("no go.mod: GoVersion = %q, want unknown", got)
	}
	for _, tc := range []struct{ mod, want string }{
		{"module m\n\ngo 1.21\n", "go1.21"},
		{"// comment\nmodule m\ngo 1.23.4 // patch\ntoolchain go1.24.0\n", "go1.23.4"},
		{"module m\n", ""},
		{"module m\ngo banana\n", ""},
	} {
		if err := os.WriteFile(filepath.Join(root, "go.mod"), []byte(tc.mod), 0o644); err != nil {
			t.Fatal(err)
		}
		goModCache.Clear() // the test rewrites go.mod faster than mtimes tick
		m := Parse(file, src)
		if got := m.GoVersion(); got != tc.want {
			t.Errorf("go.mod %q: GoVersion = %q, want %q", tc.mod, got, tc.want)
		}
		at, known := m.AtLeast("go1.22")
		if known != (tc.want != "") || known && at != (tc.want >= "go1.22") {
			t.Errorf("go.mod %q: AtLeast(go1.22) = %v, %v", tc.mod, at, known)
		}
	}
	if got := Parse("rel.go", src).GoVersion(); got != "" {
		t.Errorf("relative file name: GoVersion = %q, want unknown", got)
	}
}

// TestGoVersionBuildLine: a //go:build line with a Go version sets the
// file's version (at least go1.21, as go/types does), and the rule names it.
func TestGoVersionBuildLine(t *testing.T) {
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(root, "go.mod"), []byte("module m\n\ngo 1.26\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(root, "a.go")
	for _, tc := range []struct{ src, want, rule string }{
		{"package a\n", "go1.26", "go.mod says go 1.26"},
		{"//go:build go1.21\n\npackage a\n", "go1.21", "this file's `//go:build go1.21` line sets its Go version to go 1.21"},
		{"//go:build go1.18 && linux\n\npackage a\n", "go1.21", "this file's `//go:build go1.18 && linux` line sets its Go version to go 1.21"},
		{"//go:build linux\n\npackage a\n", "go1.26", "go.mod says go 1.26"},
	} {
		m := Parse(file, []byte(tc.src))
		if got := m.GoVersion(); got != tc.want {
			t.Errorf("%q: GoVersion = %q, want %q", tc.src, got, tc.want)
		}
		if got := m.GoVersionRule(); got != tc.rule {
			t.Errorf("%q: GoVersionRule = %q, want %q", tc.src, got, tc.rule)
		}
		if got := m.ModuleGoVersion(); got != "go1.26" {
			t.Errorf("%q: ModuleGoVersion = %q, want go1.26", tc.src, got)
		}
	}
}

// TestTimersFollowMainPackages: a file of a non-main package takes the
// timer semantics from the //go:debug lines of its module's main packages
// (not its own, which cmd/go ignores), and says nothing when they differ.
func TestTimersFollowMainPackages(t *testing.T) {
	root := t.TempDir()
	write := func(name, src string) {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module m\n\ngo 1.26\n")
	write("main.go", "//go:debug asynctimerchan=1\n\npackage main\n\nfunc main() {}\n")
	write("testdata/x/main.go", "//go:debug asynctimerchan=0\n\npackage main\n")
	write("lib/gen.go", "//go:build ignore\n\n//go:debug asynctimerchan=0\n\npackage main\n")
	lib := filepath.Join(root, "lib", "lib.go")
	libSrc := []byte("//go:debug asynctimerchan=0\n\npackage lib\n")
	write("lib/lib.go", string(libSrc))
	sync, async, rule := Parse(lib, libSrc).Timers()
	if sync || !async || rule != "`//go:debug asynctimerchan=1` in main.go" {
		t.Errorf("one main package: Timers = %v %v %q", sync, async, rule)
	}
	// A _test file's program is the test binary of its own package.
	testSrc := []byte("package lib\n")
	if sync, _, rule := Parse(filepath.Join(root, "lib", "lib_test.go"), testSrc).Timers(); !sync || rule != "`//go:debug asynctimerchan=0` in lib.go" {
		t.Errorf("test file: Timers = %v %q", sync, rule)
	}
	// A second main package that sets nothing: the programs differ.
	write("cmd/other/main.go", "package main\n\nfunc main() {}\n")
	mainsCache.Clear()
	if sync, async, rule := Parse(lib, libSrc).Timers(); sync || async || rule != "" {
		t.Errorf("main packages differ: Timers = %v %v %q, want unknown", sync, async, rule)
	}
	// The main package itself reads its own files, whatever the others say.
	mainSrc := []byte("package main\n\nfunc main() {}\n")
	if sync, async, rule := Parse(filepath.Join(root, "cmd", "other", "main.go"), mainSrc).Timers(); !sync || async || rule != "go 1.26 in go.mod" {
		t.Errorf("main package: Timers = %v %v %q", sync, async, rule)
	}
	// Both set the same: the setting holds.
	write("cmd/other/main.go", "//go:debug asynctimerchan=1\npackage main\n\nfunc main() {}\n")
	mainsCache.Clear()
	if sync, async, rule := Parse(lib, libSrc).Timers(); sync || !async || rule != "`//go:debug asynctimerchan=1` in cmd/other/main.go and the module's other main packages" && rule != "`//go:debug asynctimerchan=1` in main.go and the module's other main packages" {
		t.Errorf("main packages agree: Timers = %v %v %q", sync, async, rule)
	}
	// A build line does not change the timers: the module's go line does.
	write("go.mod", "module m\n\ngo 1.21\n")
	goModCache.Clear()
	src := []byte("//go:build go1.23\n\npackage main\n\nfunc main() {}\n")
	if sync, async, rule := Parse(filepath.Join(root, "cmd", "third", "main.go"), src).Timers(); sync || !async || rule != "go 1.21 in go.mod" {
		t.Errorf("build line go1.23 in a go 1.21 module: Timers = %v %v %q", sync, async, rule)
	}
}
