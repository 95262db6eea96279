package snippets

import (
	"bytes"
	"go/format"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"
)

// TestEveryOffset completes at every offset of every well-formed test
// source and applies each item in plain-text mode: nothing may panic, and
// every result must still parse and be gofmt-formatted.
func TestEveryOffset(t *testing.T) {
	files, _ := filepath.Glob("testdata/complete/*.txtar")
	env := Env{GoVersion: "1.26", Requires: []string{"golang.org/x/sync"}}
	applied := 0
	for _, file := range files {
		ar, err := txtar.ParseFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range ar.Files {
			if !strings.HasSuffix(f.Name, ".go") {
				continue
			}
			src := []byte(strings.Replace(string(f.Data), cursorMarker, "", 1))
			for off := 0; off <= len(src); off++ {
				for _, it := range Complete(src, off, env) {
					if it.ReplaceStart > off || it.ReplaceEnd < off {
						t.Fatalf("%s@%d: replace range %d-%d does not hold the cursor", f.Name, off, it.ReplaceStart, it.ReplaceEnd)
					}
					if !parsesAndFormatted(src) {
						continue // only well-formed files must stay well-formed
					}
					edits := append([]Edit{{it.ReplaceStart, it.ReplaceEnd, it.InsertText}}, it.AdditionalEdits...)
					out := ApplyEdits(src, edits)
					applied++
					if !parsesAndFormatted(out) {
						t.Errorf("%s@%d: %s leaves a file that does not parse or is not gofmt-clean:\n%s", f.Name, off, it.Label, out)
					}
				}
			}
		}
	}
	if applied == 0 {
		t.Fatal("nothing applied")
	}
	t.Logf("%d items applied", applied)
}

func parsesAndFormatted(src []byte) bool {
	if _, err := parser.ParseFile(token.NewFileSet(), "", src, parser.AllErrors); err != nil {
		return false
	}
	formatted, err := format.Source(src)
	return err == nil && bytes.Equal(formatted, src)
}

func TestBrokenSources(t *testing.T) {
	sources := []string{"", "package", "package p\nfunc f() {\n\twg", "package p\nfunc f() {\n\tx := []int{\n\t\twg", "\xff\xfe", "package p\n/*\nwg"}
	for _, s := range sources {
		for off := -1; off <= len(s)+1; off++ {
			Complete([]byte(s), off, Env{})
		}
	}
}

func TestAddImports(t *testing.T) {
	tests := []struct{ src, want string }{
		{"package p\n", "package p\n\nimport \"sync\"\n"},
		{"package p\n\nimport ()\n", "package p\n\nimport (\n\t\"sync\"\n)\n"},
		{"package p\n\nimport \"os\"\nimport \"fmt\"\n", "package p\n\nimport \"os\"\nimport (\n\t\"fmt\"\n\t\"sync\"\n)\n"},
		{"package p\n\n// Doc.\nimport \"os\"\n", "package p\n\n// Doc.\nimport \"os\"\nimport \"sync\"\n"},
		{"package p\n\nimport (\n\t\"os\" // why\n\t\"zz\"\n)\n", "package p\n\nimport (\n\t\"os\" // why\n\t\"sync\"\n\t\"zz\"\n)\n"},
		{"package p\n\nimport (\n\t\"a.com/x\"\n)\n", "package p\n\nimport (\n\t\"sync\"\n\n\t\"a.com/x\"\n)\n"},
		{"package p\n\nimport \"sync\"\n", "package p\n\nimport \"sync\"\n"},
		{"package p\n\n// #include <stdio.h>\nimport \"C\"\n", "package p\n\n// #include <stdio.h>\nimport \"C\"\nimport \"sync\"\n"},
		{"package p\n\nimport \"C\"\n", "package p\n\nimport \"C\"\nimport \"sync\"\n"},
		{"package p\n\nimport (\n\t\"os\"\n\ts \"sync\"\n)\n", "package p\n\nimport (\n\t\"os\"\n\t\"sync\"\n\ts \"sync\"\n)\n"},
	}
	for _, tt := range tests {
		got := string(ApplyEdits([]byte(tt.src), AddImports([]byte(tt.src), []string{"sync"})))
		if got != tt.want {
			t.Errorf("AddImports(sync) on\n%s\ngot\n%s\nwant\n%s", tt.src, got, tt.want)
		}
	}
	src := "package p\n\nimport (\n\t\"fmt\"\n\n\t\"a.com/x\"\n)\n"
	got := string(ApplyEdits([]byte(src), AddImports([]byte(src), []string{"time", "context", "golang.org/x/sync/errgroup"})))
	want := "package p\n\nimport (\n\t\"context\"\n\t\"fmt\"\n\t\"time\"\n\n\t\"a.com/x\"\n\t\"golang.org/x/sync/errgroup\"\n)\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestParseGoMod(t *testing.T) {
	env := ParseGoMod([]byte("module m\n\ngo 1.24.3 // comment\n\nrequire golang.org/x/tools v0.52.0\n\nrequire (\n\tgolang.org/x/sync v0.25.0 // indirect\n\t\"example.com/q\" v1.0.0\n)\n"))
	if env.GoVersion != "" {
		t.Errorf("go version %q: it comes from the model, not from ParseGoMod", env.GoVersion)
	}
	want := []string{"golang.org/x/tools", "golang.org/x/sync", "example.com/q"}
	if strings.Join(env.Requires, " ") != strings.Join(want, " ") {
		t.Errorf("requires %v, want %v", env.Requires, want)
	}
}

func TestResolvePlaceholders(t *testing.T) {
	tests := map[string]string{
		"${1:a} $1 ${2:f($1)} $0":   "a a f(a) ",
		`\$x \} ${1:a\}b}`:          "$x } a}b",
		"for ${1:i} := range $2 {}": "for i := range  {}",
	}
	for in, want := range tests {
		if got := ResolvePlaceholders(in); got != want {
			t.Errorf("ResolvePlaceholders(%q) = %q, want %q", in, got, want)
		}
	}
	if s := EscapeSnippet(`a$b}c\d`); ResolvePlaceholders(s) != `a$b}c\d` {
		t.Errorf("EscapeSnippet does not round-trip: %q", s)
	}
}
