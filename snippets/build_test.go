package snippets

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// samplePreamble declares, at package level, every name the patterns'
// placeholder defaults refer to, so that a body resolved to its defaults
// compiles as it would in a user's function that has these names.
const samplePreamble = `package sample

import (
	"context"
	"sync"
)

var (
	ctx   = context.Background()
	items []string
	ch    = make(chan int)
	done  = make(chan struct{})
	v     int
	mu    sync.RWMutex
	once  sync.Once
	path  = "go.mod"
)

func process(item string) int { return len(item) }

func setup() {}

func work(ctx context.Context, item string) error { return ctx.Err() }
`

// The files the patterns are completed into. Each holds a cursor marker ‸
// where "wg"-like text is typed; they vary the import section (none, one
// line, a block with and without a third-party group) and the depth of the
// cursor, so import edits and re-indentation are exercised by the build.
var statementHosts = []string{
	"package sample\n\nfunc sampleNAME() error {\n\t‸\n\treturn nil\n}\n",
	"package sample\n\nimport \"fmt\"\n\nfunc sampleNAME() error {\n\tfmt.Print()\n\tif v > 0 {\n\t\t‸\n\t}\n\treturn nil\n}\n",
	"package sample\n\nimport (\n\t\"errors\"\n\t\"strings\"\n)\n\nfunc sampleNAME() error {\n\tswitch {\n\tcase strings.HasPrefix(path, \"x\"):\n\t\t‸\n\t}\n\treturn errors.New(\"x\")\n}\n",
	"package sample\n\n// A comment that must stay attached.\nimport (\n\t\"errors\"\n\n\t\"example.com/sample/helper\"\n)\n\nfunc sampleNAME() error {\n\tfor range 2 {\n\t\tfunc() {\n\t\t\t_ = helper.X\n\t\t}()\n\t}\n\t‸\n\treturn errors.New(\"x\")\n}\n",
}

var topLevelHost = "package sample\n\nimport \"fmt\"\n\nfunc helperNAME() { fmt.Print() }\n\n‸\n"

// completeAt inserts the pattern named name at the cursor marker of host
// the way a client would: the item's insert text replaces the typed label,
// its additional edits add the imports.
func completeAt(t *testing.T, host, name string, env Env) (plain, snippet string) {
	t.Helper()
	p := Lookup(name)
	cursor := strings.Index(host, "‸")
	src := host[:cursor] + p.Label + host[cursor+len("‸"):]
	offset := cursor + len(p.Label)
	for _, snippetMode := range []bool{false, true} {
		env.SnippetSupport = snippetMode
		var item *Item
		for _, it := range Complete([]byte(src), offset, env) {
			if it.Pattern == name {
				item = &it
			}
		}
		if item == nil {
			t.Fatalf("%s not offered at the cursor of\n%s", name, src)
		}
		edits := append([]Edit{{item.ReplaceStart, item.ReplaceEnd, item.InsertText}}, item.AdditionalEdits...)
		out := string(ApplyEdits([]byte(src), edits))
		if snippetMode {
			snippet = out
		} else {
			plain = out
		}
	}
	return plain, snippet
}

// TestPatternsBuild completes every pattern into a host file, writes all of
// them into one temporary module and runs go build, go vet and gofmt -l on
// it once. The errgroup pattern needs golang.org/x/sync, so it is built in a
// second module that requires it.
func TestPatternsBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a module with the go command")
	}
	env := Env{GoVersion: "1.26", Requires: []string{"golang.org/x/sync"}}
	stdFiles := map[string]string{"preamble.go": samplePreamble, "helper/helper.go": "package helper\n\nconst X = 1\n"}
	syncFiles := map[string]string{"preamble.go": samplePreamble}
	// Variants for older Go are offered only there: complete them on the
	// oldest version they fit (the module itself builds with the newest).
	envFor := func(p *Pattern) Env {
		if p.BeforeGo != "" {
			e := env
			e.GoVersion = "1.21"
			if p.MinGo != "" {
				e.GoVersion = p.MinGo
			}
			return e
		}
		return env
	}
	for i, p := range Patterns() {
		host := topLevelHost
		if p.Scope == ScopeStatement {
			host = statementHosts[i%len(statementHosts)]
		}
		host = strings.ReplaceAll(host, "NAME", p.Name)
		plain, snippet := completeAt(t, host, p.Name, envFor(p))
		if got := stripCursorLine(ResolvePlaceholders(snippet)); got != stripCursorLine(plain) {
			t.Errorf("%s: snippet text resolved to its defaults differs from the plain text:\n%s\n---\n%s", p.Name, got, plain)
		}
		files := stdFiles
		if p.Requires != "" {
			files = syncFiles
		}
		files[p.Name+".go"] = plain
	}
	buildModule(t, "module example.com/sample\n\ngo 1.26\n", stdFiles)

	gomod := "module example.com/sample\n\ngo 1.26\n\nrequire golang.org/x/sync v0.25.0\n"
	buildModuleWithDeps(t, gomod, syncFiles)
}

// stripCursorLine removes blank lines, such as the one that a $0 on its own
// line leaves behind once resolved (the plain text omits that line).
func stripCursorLine(s string) string {
	lines := strings.Split(s, "\n")
	var out []string
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			continue
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}

func writeModule(t *testing.T, gomod string, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	files["go.mod"] = gomod
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func run(dir string, env []string, name string, args ...string) (string, error) {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func buildModule(t *testing.T, gomod string, files map[string]string) {
	t.Helper()
	dir := writeModule(t, gomod, files)
	checkModule(t, dir, []string{"GOFLAGS=-mod=mod", "GOWORK=off"})
}

// buildModuleWithDeps fetches the module's requirements (from the module
// cache when they are there) before building. Without network and cache the
// test is skipped with the reason, except under CI, where it fails.
func buildModuleWithDeps(t *testing.T, gomod string, files map[string]string) {
	t.Helper()
	dir := writeModule(t, gomod, files)
	env := []string{"GOFLAGS=-mod=mod", "GOWORK=off"}
	if out, err := run(dir, env, "go", "mod", "download", "golang.org/x/sync"); err != nil {
		msg := fmt.Sprintf("cannot fetch golang.org/x/sync for the errgroup pattern: %v\n%s", err, out)
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	checkModule(t, dir, env)
}

func checkModule(t *testing.T, dir string, env []string) {
	t.Helper()
	dump := func() string {
		var b strings.Builder
		filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err == nil && strings.HasSuffix(p, ".go") {
				data, _ := os.ReadFile(p)
				fmt.Fprintf(&b, "== %s\n%s", strings.TrimPrefix(p, dir), data)
			}
			return nil
		})
		return b.String()
	}
	if out, err := run(dir, env, "go", "build", "./..."); err != nil {
		t.Fatalf("go build: %v\n%s\n%s", err, out, dump())
	}
	if out, err := run(dir, env, "go", "vet", "./..."); err != nil {
		t.Fatalf("go vet: %v\n%s\n%s", err, out, dump())
	}
	if out, err := run(dir, nil, "gofmt", "-l", "."); err != nil || out != "" {
		t.Fatalf("gofmt -l: %v\n%s\n%s", err, out, dump())
	}
}
