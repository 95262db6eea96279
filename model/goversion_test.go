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
