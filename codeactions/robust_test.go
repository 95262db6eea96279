package codeactions

import (
	"bytes"
	"go/format"
	"go/parser"
	"go/token"
	"strings"
	"testing"

	"github.com/golens/golens/snippets"
)

// TestEveryOffset asks for actions at every offset of every test source
// (markers removed) and applies each one offered: none may panic, produce
// overlapping or out-of-range edits, or leave a file that no longer parses
// or is not gofmt-formatted — provided the file was gofmt-formatted and
// parsed before.
func TestEveryOffset(t *testing.T) {
	env := snippets.Env{GoVersion: "1.26"}
	path := sourcePath(t, env.GoVersion)
	applied := 0
	for _, c := range loadCases(t) {
		src, _, _ := cutSelection(t, c.src)
		if !parsesAndFormatted(src) {
			continue
		}
		for off := 0; off <= len(src); off++ {
			for _, a := range ActionsForSource(path, src, off, off, env) {
				for _, e := range a.Edits {
					if e.Start < 0 || e.End < e.Start || e.End > len(src) {
						t.Fatalf("%s@%d %q: edit out of range: %+v", c.name, off, a.Title, e)
					}
				}
				out := snippets.ApplyEdits(src, a.Edits)
				applied++
				if !parsesAndFormatted(out) {
					t.Errorf("%s@%d %q leaves a file that does not parse or is not gofmt-clean:\n%s", c.name, off, a.Title, out)
				}
			}
		}
	}
	if applied == 0 {
		t.Fatal("no action applied")
	}
	t.Logf("%d actions applied", applied)
}

func parsesAndFormatted(src []byte) bool {
	if _, err := parser.ParseFile(token.NewFileSet(), "", src, parser.AllErrors); err != nil {
		return false
	}
	formatted, err := format.Source(src)
	return err == nil && bytes.Equal(formatted, src)
}

// Garbage and truncated files must not make Actions panic.
func TestBrokenSources(t *testing.T) {
	sources := []string{
		"",
		"package",
		"package p\nfunc f() {\n\tv := <-",
		"package p\nfunc f() {\n\tdefer func() {\n",
		"package p\nfunc f() {\n\tfor {\n\t\tselect {\n\t\tcase v, ok := <-ch:\n",
		"package p\nfunc f() {\n\tgo func() {\n\t\tch <- 1\n",
		"package p\nfunc f() {\n\tmu.Lock(\n}",
		"package p\nfunc f() { for { select { case <-ch: } } }",
	}
	for _, s := range sources {
		for off := 0; off <= len(s); off++ {
			ActionsForSource("p.go", []byte(s), off, off, snippets.Env{})
			ActionsForSource("p.go", []byte(s), 0, off, snippets.Env{})
		}
	}
	if got := ActionsForSource("p.go", []byte("package p"), 5, 2, snippets.Env{}); got != nil {
		t.Errorf("reversed selection: got %v", got)
	}
	if got := ActionsForSource("p.go", []byte("package p"), 0, 100, snippets.Env{}); got != nil {
		t.Errorf("selection past the end: got %v", got)
	}
	_ = strings.TrimSpace
}
