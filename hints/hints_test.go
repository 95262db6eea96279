package hints_test

import (
	"flag"
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"golang.org/x/tools/txtar"

	"github.com/golens/golens/hints"
	"github.com/golens/golens/model"
)

// Each testdata/<family>/*.txtar is one case: a Go file (-- x.go --) and the
// expected hints, one per line as "L<line>:<col> <label>" (-- want --). A
// case named no_*.txtar is a must-not-hint case: its want lists nothing
// for the lines it is about. The header (txtar comment) sets:
//
//	options: blocking,defers,goroutines   (default: the directory's family)
//	tier: syntax|typed|both               (default both)
//	range: <first line>-<last line>       (default: the whole file)
//
// A case may give -- want.syntax -- and -- want.typed -- when the tiers
// differ.

var update = flag.Bool("update", false, "rewrite the want sections of the txtar cases from the syntax tier's output")

var (
	typedMu   sync.Mutex
	typedFset = token.NewFileSet()
	typedImp  = importer.ForCompiler(typedFset, "gc", nil)
)

// typedModel type-checks src (one-file package) and builds its typed model.
func typedModel(t testing.TB, name string, src []byte) *model.File {
	t.Helper()
	typedMu.Lock()
	defer typedMu.Unlock()
	f, err := parser.ParseFile(typedFset, name, src, parser.AllErrors|parser.ParseComments)
	if err != nil {
		t.Fatalf("parse %s: %v", name, err)
	}
	info := &types.Info{
		Types:      map[ast.Expr]types.TypeAndValue{},
		Defs:       map[*ast.Ident]types.Object{},
		Uses:       map[*ast.Ident]types.Object{},
		Implicits:  map[ast.Node]types.Object{},
		Selections: map[*ast.SelectorExpr]*types.Selection{},
		Scopes:     map[ast.Node]*types.Scope{},
	}
	var errs []error
	conf := types.Config{Importer: typedImp, Error: func(err error) { errs = append(errs, err) }, GoVersion: "go1.26"}
	conf.Check("p", typedFset, []*ast.File{f}, info)
	if len(errs) > 0 && !strings.Contains(string(src), "// type errors expected") {
		t.Fatalf("type errors in %s: %v", name, errs)
	}
	return model.Build(typedFset, f, src, info)
}

type tcase struct {
	name   string
	path   string
	file   string
	src    []byte
	opts   hints.Options
	tiers  []string
	lines  [2]int
	want   map[string]string // tier ("" for both) → want text
	negate bool
}

func loadCases(t *testing.T, family string) []tcase {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("testdata", family, "*.txtar"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no cases for %s: %v", family, err)
	}
	var out []tcase
	for _, p := range paths {
		ar, err := txtar.ParseFile(p)
		if err != nil {
			t.Fatal(err)
		}
		c := tcase{path: p, name: strings.TrimSuffix(filepath.Base(p), ".txtar"), want: map[string]string{}, tiers: []string{"syntax", "typed"}}
		c.negate = strings.HasPrefix(c.name, "no_")
		switch family {
		case "blocking":
			c.opts.Blocking = true
		case "defer":
			c.opts.Defers = true
		case "goroutine":
			c.opts.Goroutines = true
		default:
			c.opts = hints.All()
		}
		for _, line := range strings.Split(string(ar.Comment), "\n") {
			k, v, ok := strings.Cut(line, ":")
			if !ok {
				continue
			}
			v = strings.TrimSpace(v)
			switch strings.TrimSpace(k) {
			case "options":
				c.opts = hints.Options{}
				for _, o := range strings.Split(v, ",") {
					switch strings.TrimSpace(o) {
					case "blocking":
						c.opts.Blocking = true
					case "defers":
						c.opts.Defers = true
					case "goroutines":
						c.opts.Goroutines = true
					}
				}
			case "tier":
				if v != "both" {
					c.tiers = []string{v}
				}
			case "range":
				a, b, _ := strings.Cut(v, "-")
				c.lines[0], _ = strconv.Atoi(a)
				c.lines[1], _ = strconv.Atoi(b)
			}
		}
		for _, f := range ar.Files {
			switch {
			case strings.HasSuffix(f.Name, ".go"):
				c.file, c.src = f.Name, f.Data
			case f.Name == "want":
				c.want[""] = string(f.Data)
			case strings.HasPrefix(f.Name, "want."):
				c.want[strings.TrimPrefix(f.Name, "want.")] = string(f.Data)
			}
		}
		if c.src == nil {
			t.Fatalf("%s: no .go file", p)
		}
		out = append(out, c)
	}
	return out
}

// render prints hints as "L<line>:<col> <label>", col in bytes, 1-based.
func render(m *model.File, hs []hints.Hint) string {
	var b strings.Builder
	for _, h := range hs {
		p := m.Position(m.Pos(h.Offset))
		fmt.Fprintf(&b, "L%d:%d %s\n", p.Line, p.Column, h.Label)
	}
	return b.String()
}

func lineOffset(src []byte, line int, end bool) int {
	if end {
		line++
	}
	n := 1
	for i, c := range src {
		if n == line {
			return i
		}
		if c == '\n' {
			n++
		}
	}
	return len(src)
}

func runFamily(t *testing.T, family string) (hint, nohint int) {
	for _, c := range loadCases(t, family) {
		if c.negate {
			nohint++
		} else {
			hint++
		}
		for _, tier := range c.tiers {
			t.Run(c.name+"/"+tier, func(t *testing.T) {
				var m *model.File
				if tier == "typed" {
					m = typedModel(t, c.file, c.src)
				} else {
					m = model.Parse(c.file, c.src)
				}
				start, end := 0, len(c.src)
				if c.lines[0] > 0 {
					start, end = lineOffset(c.src, c.lines[0], false), lineOffset(c.src, c.lines[1], true)-1
				}
				hs := hints.Compute(m, start, end, c.opts)
				got := render(m, hs)
				want, ok := c.want[tier]
				if !ok {
					want = c.want[""]
				}
				if *update {
					updateCase(t, c.path, tier, tier == c.tiers[0], got)
					want = got
				}
				if strings.TrimSpace(got) != strings.TrimSpace(want) {
					t.Errorf("hints differ\n--- got\n%s--- want\n%s", got, want)
				}
				checkHints(t, m, hs)
			})
		}
	}
	return hint, nohint
}

// updateCase rewrites a case's want (first tier) or adds a want.<tier>
// section when a later tier's output differs.
func updateCase(t *testing.T, path, tier string, first bool, got string) {
	ar, err := txtar.ParseFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var files []txtar.File
	base := ""
	for _, f := range ar.Files {
		switch {
		case f.Name == "want":
			if first {
				f.Data = []byte(got)
			}
			base = string(f.Data)
		case f.Name == "want."+tier:
			continue
		}
		files = append(files, f)
	}
	if !first && base != got {
		files = append(files, txtar.File{Name: "want." + tier, Data: []byte(got)})
	}
	ar.Files = files
	if err := os.WriteFile(path, txtar.Format(ar), 0o644); err != nil {
		t.Fatal(err)
	}
}

// checkHints checks what every hint must satisfy: a short label, a
// resolvable tooltip that links to the spec or package docs.
func checkHints(t *testing.T, m *model.File, hs []hints.Hint) {
	t.Helper()
	for _, h := range hs {
		if n := utf8.RuneCountInString(h.Label); n > 24 {
			t.Errorf("label %q is %d characters", h.Label, n)
		}
		for _, r := range h.Label {
			if r < ' ' || r > '~' {
				t.Errorf("label %q is not plain ASCII (terminals)", h.Label)
				break
			}
		}
		if strings.HasPrefix(h.Label, "?") {
			t.Errorf("label template failed: %q", h.Label)
		}
		tip, err := hints.Tooltip(m, h.Data)
		if err != nil {
			t.Errorf("tooltip of %q (%s): %v", h.Label, h.Data, err)
			continue
		}
		if !strings.Contains(tip, "https://go.dev/ref/spec#") && !strings.Contains(tip, "https://pkg.go.dev/") {
			t.Errorf("tooltip of %q has no spec or doc link:\n%s", h.Label, tip)
		}
		if strings.Contains(tip, "<no value>") {
			t.Errorf("tooltip of %q has a missing field:\n%s", h.Label, tip)
		}
	}
}

func TestBlocking(t *testing.T)   { report(t, "blocking") }
func TestDefer(t *testing.T)      { report(t, "defer") }
func TestGoroutine(t *testing.T)  { report(t, "goroutine") }
func TestRangeCases(t *testing.T) { report(t, "range") }

func report(t *testing.T, family string) {
	hint, nohint := runFamily(t, family)
	t.Logf("%s: %d must-hint cases, %d must-not-hint cases", family, hint, nohint)
	if nohint < hint {
		t.Errorf("%s: %d must-not-hint cases for %d must-hint ones; keep them at least equal", family, nohint, hint)
	}
}

func TestTooltipStale(t *testing.T) {
	src := []byte("package p\n\nfunc f() {\n\tch := make(chan int)\n\tch <- 1\n}\n")
	m := model.Parse("a.go", src)
	hs := hints.Compute(m, 0, len(src), hints.All())
	if len(hs) != 1 {
		t.Fatalf("want 1 hint, got %v", hs)
	}
	edited := append([]byte(nil), src...)
	edited = append(edited, "// edit\n"...)
	m2 := model.Parse("a.go", edited)
	if _, err := hints.Tooltip(m2, hs[0].Data); err != hints.ErrStale {
		t.Errorf("tooltip on an edited version: err = %v, want ErrStale", err)
	}
	if _, err := hints.Tooltip(m, "garbage"); err == nil {
		t.Errorf("malformed data accepted")
	}
	if _, err := hints.Tooltip(m, "b9999.b."+strings.Split(hs[0].Data, ".")[2]); err != hints.ErrNotFound {
		t.Errorf("unknown hint: err = %v, want ErrNotFound", err)
	}
	tip, err := hints.Tooltip(m, hs[0].Data)
	if err != nil || !strings.Contains(tip, "unbuffered") {
		t.Errorf("tooltip = %q, %v", tip, err)
	}
}

func TestOptionsOff(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("testdata", "range", "all_families.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	ar := txtar.Parse(src)
	m := model.Parse("a.go", ar.Files[0].Data)
	if hs := hints.Compute(m, 0, len(m.Src), hints.Options{}); len(hs) != 0 {
		t.Errorf("all families off: got %d hints", len(hs))
	}
	for _, o := range []hints.Options{{Blocking: true}, {Defers: true}, {Goroutines: true}} {
		for _, h := range hints.Compute(m, 0, len(m.Src), o) {
			want := map[bool]hints.Kind{o.Blocking: hints.Blocking, o.Defers: hints.Defer, o.Goroutines: hints.Goroutine}[true]
			if h.Kind != want {
				t.Errorf("options %+v gave a %v hint %q", o, h.Kind, h.Label)
			}
		}
	}
}

func TestBrokenFile(t *testing.T) {
	// A file that does not parse, or an empty model, gives no hints and no
	// panic.
	for _, src := range []string{"", "package", "package p\nfunc f() { ch <- \n", "not go at all {{{"} {
		m := model.Parse("a.go", []byte(src))
		_ = hints.Compute(m, 0, len(src), hints.All())
	}
	if hs := hints.Compute(nil, 0, 10, hints.All()); hs != nil {
		t.Errorf("nil model: %v", hs)
	}
}

// TestDumpTooltips prints every hint of a case with its tooltip, for
// proofreading: GOLENS_DUMP=testdata/blocking/recv.txtar go test -run Dump -v
func TestDumpTooltips(t *testing.T) {
	path := os.Getenv("GOLENS_DUMP")
	if path == "" {
		t.Skip("set GOLENS_DUMP to a case file")
	}
	ar, err := txtar.ParseFile(path)
	if err != nil {
		t.Fatal(err)
	}
	m := typedModel(t, ar.Files[0].Name, ar.Files[0].Data)
	for _, h := range hints.Compute(m, 0, len(m.Src), hints.All()) {
		tip, err := hints.Tooltip(m, h.Data)
		t.Logf("%s [%s] %v\n%s\n", h.Label, h.Data, err, tip)
	}
}

func TestLeakNote(t *testing.T) {
	for name, want := range map[string]bool{
		"select_leak":               true,
		"no_select_in_loop_leak":    false,
		"no_select_leak_drained":    false,
		"no_select_leak_recv_after": false,
	} {
		ar, err := txtar.ParseFile(filepath.Join("testdata", "blocking", name+".txtar"))
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range []*model.File{model.Parse("a.go", ar.Files[0].Data), typedModel(t, "a.go", ar.Files[0].Data)} {
			found := false
			for _, h := range hints.Compute(m, 0, len(m.Src), hints.Options{Blocking: true}) {
				tip, err := hints.Tooltip(m, h.Data)
				if err != nil {
					t.Fatal(err)
				}
				found = found || strings.Contains(tip, "goroutine leak")
			}
			if found != want {
				t.Errorf("%s (tier %v): leak note %v, want %v", name, m.Tier, found, want)
			}
		}
	}
}

func TestAnnotate(t *testing.T) {
	src := []byte("package p\n\nfunc f(ch chan int) {\n\tfor v := range ch {\n\t\tch <- v\n\t}\n}\n")
	m := model.Parse("a.go", src)
	got := hints.Annotate(src, hints.Compute(m, 0, len(src), hints.All()), "<", ">")
	want := "package p\n\nfunc f(ch chan int) {\n\tfor v := range ch <receives until close> {\n\t\tch <- v <may wait (cap unknown)>\n\t}\n}\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// TestOrderAndRange: on the dense file, hints come sorted by offset (ties
// in family order), and a range request returns exactly the whole-file
// hints that fall in it.
func TestOrderAndRange(t *testing.T) {
	src := denseFile(400)
	m := model.Parse("dense.go", src)
	all := hints.Compute(m, 0, len(src), hints.All())
	checkHints(t, m, all[:min(200, len(all))])
	for i := 1; i < len(all); i++ {
		a, b := all[i-1], all[i]
		if a.Offset > b.Offset || a.Offset == b.Offset && a.Kind > b.Kind {
			t.Fatalf("out of order at %d: %+v then %+v", i, a, b)
		}
	}
	for _, r := range [][2]int{{0, 100}, {1000, 5000}, {len(src) / 2, len(src)/2 + 777}, {len(src) - 50, len(src)}} {
		var want []hints.Hint
		for _, h := range all {
			if h.Offset >= r[0] && h.Offset <= r[1] {
				want = append(want, h)
			}
		}
		got := hints.Compute(m, r[0], r[1], hints.All())
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("range %v: got %d hints, want %d", r, len(got), len(want))
		}
	}
}

// TestDeferWritesCapped: a deferred argument written again many times lists
// the first writes by line and counts the rest, and one written a few times
// lists them all.
func TestDeferWritesCapped(t *testing.T) {
	for _, tc := range []struct {
		writes int
		want   string
	}{
		{2, "later writes at lines 6, 7 are not seen"},
		{8, "later writes at lines 6, 7, 8, 9, 10 and 3 more are not seen"},
	} {
		var b strings.Builder
		b.WriteString("package p\n\nfunc f(x int) {\n\tdefer println(x)\n\tx = 1\n")
		for i := 0; i < tc.writes; i++ {
			b.WriteString("\tx = 2\n")
		}
		b.WriteString("}\n")
		src := []byte(strings.Replace(b.String(), "\tx = 1\n", "\t_ = 0\n", 1))
		m := model.Parse("a.go", src)
		found := false
		for _, h := range hints.Compute(m, 0, len(src), hints.Options{Defers: true}) {
			tip, err := hints.Tooltip(m, h.Data)
			if err != nil {
				t.Fatal(err)
			}
			found = found || strings.Contains(tip, tc.want)
		}
		if !found {
			t.Errorf("%d writes: no tooltip says %q", tc.writes, tc.want)
		}
	}
}
