package typed_test

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/golens/golens/hover"
	"github.com/golens/golens/typed"
)

// crossFiles: the functions that close, signal and wait are in other files
// of the package than the code that uses them.
var crossFiles = map[string]string{
	"go.mod": goMod,
	"worker.go": `package m

import "sync"

func produce(out chan<- int) {
	defer close(out)
	for i := 0; i < 3; i++ {
		out <- i
	}
}

type server struct {
	done chan struct{}
}

func (s *server) stop() { close(s.done) }

func waitAll(wg *sync.WaitGroup) { wg.Wait() }
`,
	"main.go": `package m

import (
	"fmt"
	"sync"
)

func run() {
	ch := make(chan int)
	go produce(ch)
	for v := range ch {
		fmt.Println(v)
	}
	s := &server{done: make(chan struct{})}
	go s.stop()
	v, ok := <-s.done
	fmt.Println(v, ok)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
	}()
	waitAll(&wg)
}
`,
}

// hoverAt returns the hover at the first occurrence of token on line.
func hoverAt(t *testing.T, src []byte, pkg *typed.Package, file string, line int, token string) string {
	t.Helper()
	m := pkg.File(file).Model()
	lines := strings.SplitAfter(string(src), "\n")
	off := 0
	for i := 0; i < line-1; i++ {
		off += len(lines[i])
	}
	col := strings.Index(lines[line-1], token)
	if col < 0 {
		t.Fatalf("no %q on line %d", token, line)
	}
	h := hover.At(m, off+col)
	if h == nil {
		t.Fatalf("no hover at %d %q", line, token)
	}
	return h.Markdown
}

func TestSummariesAcrossFiles(t *testing.T) {
	dir := writeModule(t, crossFiles)
	main := filepath.Join(dir, "main.go")
	src := []byte(crossFiles["main.go"])
	l := typed.NewLoader(typed.Config{})
	ctx := context.Background()
	pkg, err := l.Load(ctx, typed.Request{File: main})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		line  int
		token string
		want  []string
	}{
		{11, "range", []string{"passed to `produce` in the go statement at line 10, which closes it (line 6 of worker.go)"}},
		{10, "go", []string{"waits for it with `range ch` at line 11"}},
		{16, "<-", []string{"with ok == false"}},
		{15, "go", []string{"waits for it with `<-s.done` at line 16"}},
		{20, "go", []string{"waits for it with `waitAll(&wg)` at line 23", "`waitAll` waits on `wg` at line 18 of worker.go"}},
	} {
		got := hoverAt(t, src, pkg, main, c.line, c.token)
		for _, w := range c.want {
			if !strings.Contains(got, w) {
				t.Errorf("line %d %s: hover lacks %q:\n%s", c.line, c.token, w, got)
			}
		}
	}
	funcs, recomposed := pkg.SummaryStats()
	if funcs != 4 || recomposed != 4 {
		t.Errorf("after the load: %d functions, %d composed; want 4 and 4", funcs, recomposed)
	}

	// Edit worker.go so that produce no longer closes: the facts in
	// main.go change, and only produce's file and its callers are
	// composed again.
	worker := filepath.Join(dir, "worker.go")
	edited := strings.Replace(crossFiles["worker.go"], "defer close(out)", "defer println()", 1)
	pkg, err = l.Load(ctx, typed.Request{File: main, Overlay: map[string][]byte{worker: []byte(edited)}})
	if err != nil {
		t.Fatal(err)
	}
	if !pkg.Incremental {
		t.Fatal("edit not re-checked incrementally")
	}
	got := hoverAt(t, src, pkg, main, 11, "range")
	if strings.Contains(got, "which closes it") || !strings.Contains(got, "Nothing closes ") {
		t.Errorf("after the edit, range hover:\n%s", got)
	}
	funcs, recomposed = pkg.SummaryStats()
	// worker.go's three functions and run, which calls them.
	if funcs != 4 || recomposed != 4 {
		t.Errorf("after the edit: %d functions, %d composed; want 4 and 4", funcs, recomposed)
	}

	// Editing main.go alone recomposes run only.
	mainEdited := strings.Replace(crossFiles["main.go"], "fmt.Println(v, ok)", "fmt.Println(v, ok, 1)", 1)
	pkg, err = l.Load(ctx, typed.Request{File: main, Overlay: map[string][]byte{worker: []byte(edited), main: []byte(mainEdited)}})
	if err != nil {
		t.Fatal(err)
	}
	if _, recomposed = pkg.SummaryStats(); recomposed != 1 {
		t.Errorf("after editing main.go: %d functions composed, want 1", recomposed)
	}
}

// TestSummaryHoversTyped checks the want lines of the hover cases about
// summaries (hover/testdata) on the typed tier too: the same program, the
// same claims.
func TestSummaryHoversTyped(t *testing.T) {
	for _, name := range []string{"summary.txtar", "fields.txtar", "lockcalls.txtar"} {
		t.Run(name, func(t *testing.T) {
			ar, err := txtar.ParseFile(filepath.Join("..", "hover", "testdata", name))
			if err != nil {
				t.Fatal(err)
			}
			sections := map[string]string{}
			for _, f := range ar.Files {
				sections[f.Name] = string(f.Data)
			}
			dir := writeModule(t, map[string]string{"go.mod": goMod, "main.go": sections["src.go"]})
			file := filepath.Join(dir, "main.go")
			pkg, err := typed.NewLoader(typed.Config{}).Load(context.Background(), typed.Request{File: file})
			if err != nil {
				t.Fatal(err)
			}
			if len(pkg.TypeErrors) > 0 {
				t.Fatalf("type errors: %v", pkg.TypeErrors)
			}
			m := pkg.File(file).Model()
			lines := strings.SplitAfter(sections["src.go"], "\n")
			for _, want := range strings.Split(strings.TrimSpace(sections["want"]), "\n") {
				where, expect, ok := strings.Cut(want, " => ")
				if !ok || strings.HasPrefix(want, "#") {
					continue
				}
				lineStr, tok, _ := strings.Cut(where, " ")
				line, _ := strconv.Atoi(lineStr)
				off := 0
				for _, l := range lines[:line-1] {
					off += len(l)
				}
				col := strings.Index(lines[line-1], tok)
				if col < 0 {
					t.Fatalf("%q: no %q on line %d", want, tok, line)
				}
				h := hover.At(m, off+col)
				if h == nil {
					t.Errorf("%s: no hover", where)
					continue
				}
				for _, sub := range strings.Split(expect, "|") {
					sub = strings.TrimSpace(sub)
					if neg, ok := strings.CutPrefix(sub, "!"); ok {
						if strings.Contains(h.Markdown, neg) {
							t.Errorf("%s (typed): hover has %q:\n%s", where, neg, h.Markdown)
						}
					} else if !strings.Contains(h.Markdown, sub) {
						t.Errorf("%s (typed): hover lacks %q:\n%s", where, sub, h.Markdown)
					}
				}
			}
		})
	}
}
