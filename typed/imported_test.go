package typed_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/golens/golens/hover"
	"github.com/golens/golens/typed"
)

// loadArchive writes a txtar module and loads main.go's package on the
// typed tier; it returns the package, main.go's path and the want lines.
func loadArchive(t testing.TB, name string) (*typed.Package, string, []byte, []string) {
	t.Helper()
	ar, err := txtar.ParseFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{}
	var wants []string
	for _, f := range ar.Files {
		if f.Name == "want" {
			wants = strings.Split(strings.TrimSpace(string(f.Data)), "\n")
			continue
		}
		files[f.Name] = string(f.Data)
	}
	dir := writeModule(t, files)
	main := filepath.Join(dir, "main.go")
	pkg, err := typed.NewLoader(typed.Config{}).Load(context.Background(), typed.Request{File: main})
	if err != nil {
		t.Fatal(err)
	}
	if len(pkg.TypeErrors) > 0 {
		t.Fatalf("type errors: %v", pkg.TypeErrors)
	}
	return pkg, main, []byte(files["main.go"]), wants
}

// TestImportedFacts: hovers in main.go state what functions of another
// package of the module do to the channels and WaitGroups passed to them,
// and say so only where the summary proves it.
func TestImportedFacts(t *testing.T) {
	for _, name := range []string{"imported.txtar", "imported_fields.txtar", "imported_crossfile.txtar", "imported_classes.txtar"} {
		t.Run(name, func(t *testing.T) {
			pkg, main, src, wants := loadArchive(t, name)
			for _, want := range wants {
				where, expect, ok := strings.Cut(want, " => ")
				if !ok {
					t.Fatalf("bad want line %q", want)
				}
				lineStr, tok, _ := strings.Cut(where, " ")
				line, _ := strconv.Atoi(lineStr)
				got := hover.PlainText(hoverAt(t, src, pkg, main, line, tok))
				t.Logf("%s:\n%s", where, got)
				for _, sub := range strings.Split(expect, "|") {
					sub = strings.TrimSpace(sub)
					if neg, ok := strings.CutPrefix(sub, "!"); ok {
						if strings.Contains(got, neg) {
							t.Errorf("%s: hover has %q:\n%s", where, neg, got)
						}
					} else if !strings.Contains(got, strings.ReplaceAll(sub, "`", "")) {
						t.Errorf("%s: hover lacks %q:\n%s", where, sub, got)
					}
				}
			}
		})
	}
}

// TestImportedFactsFollowEdits: the facts of a dependency are keyed by its
// files' content: after worker.Run stops closing the channel (saved to
// disk), a new load says so, and a function golens cannot read (through a
// func value) stays "cannot see into".
func TestImportedFactsFollowEdits(t *testing.T) {
	files := map[string]string{
		"go.mod": "module example.com/m\n\ngo 1.22\n",
		"worker/run.go": `package worker

func Run(out chan int) { close(out) }
`,
		"main.go": `package main

import "example.com/m/worker"

func main() {
	ch := make(chan int)
	go worker.Run(ch)
	for range ch {
	}
	f := worker.Run
	d := make(chan int)
	f(d)
	for range d {
	}
}
`,
	}
	dir := writeModule(t, files)
	main := filepath.Join(dir, "main.go")
	src := []byte(files["main.go"])
	load := func() *typed.Package {
		pkg, err := typed.NewLoader(typed.Config{}).Load(context.Background(), typed.Request{File: main})
		if err != nil {
			t.Fatal(err)
		}
		return pkg
	}
	got := hover.PlainText(hoverAt(t, src, load(), main, 8, "range"))
	if !strings.Contains(got, "passed to worker.Run in the go statement at line 7, which closes it (line 3 of worker/run.go)") {
		t.Errorf("before the edit:\n%s", got)
	}
	if err := os.WriteFile(filepath.Join(dir, "worker", "run.go"), []byte("package worker\n\nfunc Run(out chan int) { out <- 1 }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	pkg := load()
	got = hover.PlainText(hoverAt(t, src, pkg, main, 8, "range"))
	if strings.Contains(got, "which closes it") || !strings.Contains(got, "Nothing closes ") || strings.Contains(got, "Nothing sends on") {
		t.Errorf("after worker.Run stopped closing:\n%s", got)
	}
	got = hover.PlainText(hoverAt(t, src, pkg, main, 13, "range"))
	if !strings.Contains(got, "cannot see into") || strings.Contains(got, "never ends") {
		t.Errorf("a call through a func value:\n%s", got)
	}
}

// TestImportedFactsTransitiveEdit: worker.Forward's summary rests on
// sub.Close's; when sub.Close stops closing (saved to disk), the cached
// summary of worker (whose files did not change) is not used again.
func TestImportedFactsTransitiveEdit(t *testing.T) {
	files := map[string]string{
		"go.mod":           "module example.com/m\n\ngo 1.22\n",
		"worker/worker.go": "package worker\n\nimport \"example.com/m/sub\"\n\nfunc Forward(ch chan int) { sub.Close(ch) }\n",
		"sub/sub.go":       "package sub\n\nfunc Close(ch chan int) { close(ch) }\n",
		"main.go": `package main

import "example.com/m/worker"

func main() {
	ch := make(chan int)
	worker.Forward(ch)
	for range ch {
	}
}
`,
	}
	dir := writeModule(t, files)
	main := filepath.Join(dir, "main.go")
	src := []byte(files["main.go"])
	load := func() *typed.Package {
		pkg, err := typed.NewLoader(typed.Config{}).Load(context.Background(), typed.Request{File: main})
		if err != nil {
			t.Fatal(err)
		}
		return pkg
	}
	got := hover.PlainText(hoverAt(t, src, load(), main, 8, "range"))
	if !strings.Contains(got, "passed to worker.Forward at line 7, which closes it (in sub.Close, line 3 of sub/sub.go)") {
		t.Errorf("before the edit:\n%s", got)
	}
	if err := os.WriteFile(filepath.Join(dir, "sub", "sub.go"), []byte("package sub\n\nfunc Close(ch chan int) {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	got = hover.PlainText(hoverAt(t, src, load(), main, 8, "range"))
	// Nothing sends on it either: the loop waits for a first value forever.
	if strings.Contains(got, "which closes it") || !strings.Contains(got, "Nothing sends on ch and nothing closes it") {
		t.Errorf("after sub.Close stopped closing:\n%s", got)
	}
}
