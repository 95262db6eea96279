package codeactions

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/golens/golens/snippets"
)

// Markers in test sources: ‸ is a bare cursor, «...» a selection.
const (
	cursorMarker = "‸"
	selStart     = "«"
	selEnd       = "»"
)

// TestActions runs the cases under testdata/actions. Each archive's comment
// holds an "env:" line (go=VERSION, requires=MODULE); each case is NAME.go
// (source with a cursor or selection) with NAME.want — lines naming a title
// fragment that must be offered, "!fragment" that must not, or "none" —
// and/or NAME.apply (a title fragment) with NAME.result (the file after
// applying that action in plain-text mode). The same action in snippet mode,
// placeholders resolved to their defaults, must give the same result. All
// results are built, vetted and gofmt-checked together by TestResultsBuild.
func TestActions(t *testing.T) {
	for _, c := range loadCases(t) {
		t.Run(c.name, func(t *testing.T) {
			src, start, end := cutSelection(t, c.src)
			path := sourcePath(t, c.env.GoVersion)
			actions := ActionsForSource(path, src, start, end, c.env)
			var titles []string
			for _, a := range actions {
				titles = append(titles, a.Title)
			}
			if c.want != "" {
				checkTitles(t, actions, c.want)
			}
			if c.apply == "" {
				return
			}
			got := applyAction(t, actions, c.apply, src)
			if got != c.result {
				t.Errorf("after %q:\n%s\nwant:\n%s", c.apply, got, c.result)
			}
			snippetEnv := c.env
			snippetEnv.SnippetSupport = true
			snippetActions := ActionsForSource(path, src, start, end, snippetEnv)
			// A final tab stop on a line of its own resolves to a
			// blank line, which the plain text leaves out.
			if got := applyAction(t, snippetActions, c.apply, src); dropBlankLines(got) != dropBlankLines(c.result) {
				t.Errorf("snippet mode, placeholders resolved, after %q:\n%s\nwant:\n%s", c.apply, got, c.result)
			}
		})
	}
}

// TestResultsBuild writes every expected result into its own package of one
// temporary module and runs go build, go vet and gofmt -l once over all.
func TestResultsBuild(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a module with the go command")
	}
	files := map[string]string{"go.mod": "module example.com/results\n\ngo 1.26\n"}
	n := 0
	for _, c := range loadCases(t) {
		if c.result == "" {
			continue
		}
		dir := strings.NewReplacer("/", "_", ".", "_").Replace(c.name)
		files[dir+"/p.go"] = c.result
		n++
	}
	if n == 0 {
		t.Fatal("no results to build")
	}
	dir := t.TempDir()
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	env := append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
	for _, args := range [][]string{{"go", "build", "./..."}, {"go", "vet", "./..."}, {"gofmt", "-l", "."}} {
		cmd := exec.Command(args[0], args[1:]...)
		cmd.Dir, cmd.Env = dir, env
		out, err := cmd.CombinedOutput()
		if err != nil || (args[0] == "gofmt" && len(out) > 0) {
			t.Errorf("%s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
}

type testCase struct {
	name, src, want, apply, result string
	env                            snippets.Env
}

func loadCases(t *testing.T) []testCase {
	t.Helper()
	files, err := filepath.Glob("testdata/actions/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test archives: %v", err)
	}
	var cases []testCase
	for _, file := range files {
		ar, err := txtar.ParseFile(file)
		if err != nil {
			t.Fatal(err)
		}
		env := parseTestEnv(t, string(ar.Comment))
		byName := map[string]string{}
		for _, f := range ar.Files {
			byName[f.Name] = string(f.Data)
		}
		for _, f := range ar.Files {
			name, ok := strings.CutSuffix(f.Name, ".go")
			if !ok {
				continue
			}
			c := testCase{
				name:   strings.TrimSuffix(filepath.Base(file), ".txtar") + "/" + name,
				src:    string(f.Data),
				want:   byName[name+".want"],
				apply:  strings.TrimSpace(byName[name+".apply"]),
				result: byName[name+".result"],
				env:    env,
			}
			if c.want == "" && c.apply == "" {
				t.Fatalf("%s: neither .want nor .apply", c.name)
			}
			cases = append(cases, c)
		}
	}
	return cases
}

// applyAction applies the one action whose title contains fragment, with
// snippet placeholders resolved to their defaults.
func applyAction(t *testing.T, actions []Action, fragment string, src []byte) string {
	t.Helper()
	var found []Action
	for _, a := range actions {
		if strings.Contains(a.Title, fragment) {
			found = append(found, a)
		}
	}
	if len(found) != 1 {
		t.Fatalf("want one action titled like %q, got %d among %v", fragment, len(found), titlesOf(actions))
	}
	edits := found[0].Edits
	if found[0].Snippet {
		edits = nil
		for _, e := range found[0].Edits {
			e.NewText = snippets.ResolvePlaceholders(e.NewText)
			edits = append(edits, e)
		}
	}
	for i := range edits {
		for j := range edits {
			if i != j && edits[i].Start < edits[j].End && edits[j].Start < edits[i].End {
				t.Fatalf("overlapping edits %v and %v", edits[i], edits[j])
			}
		}
	}
	return string(snippets.ApplyEdits(src, edits))
}

func titlesOf(actions []Action) []string {
	var out []string
	for _, a := range actions {
		out = append(out, a.Title)
	}
	return out
}

// checkTitles checks the .want lines: "fragment" must be in some title,
// "!fragment" in none, "none" means no actions; "preferred: fragment" and
// "!preferred: fragment" check IsPreferred of the action so titled.
func checkTitles(t *testing.T, actions []Action, want string) {
	t.Helper()
	titles := titlesOf(actions)
	has := func(fragment string) bool {
		for _, title := range titles {
			if strings.Contains(title, fragment) {
				return true
			}
		}
		return false
	}
	preferred := func(fragment string) bool {
		for _, a := range actions {
			if strings.Contains(a.Title, fragment) {
				return a.IsPreferred
			}
		}
		t.Errorf("%q not offered; got %q", fragment, titles)
		return false
	}
	for _, line := range strings.Split(strings.TrimSpace(want), "\n") {
		line = strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(line, "preferred:"):
			if fragment := strings.TrimSpace(strings.TrimPrefix(line, "preferred:")); !preferred(fragment) {
				t.Errorf("%q is not the preferred action", fragment)
			}
		case strings.HasPrefix(line, "!preferred:"):
			if fragment := strings.TrimSpace(strings.TrimPrefix(line, "!preferred:")); preferred(fragment) {
				t.Errorf("%q is preferred but should not be", fragment)
			}
		case line == "none":
			if len(titles) > 0 {
				t.Errorf("want no actions, got %q", titles)
			}
		case strings.HasPrefix(line, "!"):
			if has(line[1:]) {
				t.Errorf("%q offered but must not be; got %q", line[1:], titles)
			}
		case line != "":
			if !has(line) {
				t.Errorf("%q not offered; got %q", line, titles)
			}
		}
	}
}

// sourcePath is where a test source is modelled: p.go in a fresh directory
// whose go.mod has the go line goVersion ("1.26"), or none when goVersion
// is "" (the model then cannot tell the version). The code actions read the
// Go version from the model, as the hovers do, not from the Env.
func sourcePath(t *testing.T, goVersion string) string {
	t.Helper()
	dir := t.TempDir()
	if goVersion != "" {
		if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/p\n\ngo "+goVersion+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(dir, "p.go")
}

func parseTestEnv(t *testing.T, comment string) snippets.Env {
	t.Helper()
	var env snippets.Env
	for _, line := range strings.Split(comment, "\n") {
		rest, ok := strings.CutPrefix(line, "env:")
		if !ok {
			continue
		}
		for _, f := range strings.Fields(rest) {
			key, value, _ := strings.Cut(f, "=")
			switch key {
			case "go":
				env.GoVersion = value
			case "requires":
				env.Requires = append(env.Requires, value)
			default:
				t.Fatalf("unknown env key %q", key)
			}
		}
	}
	return env
}

// cutSelection removes the markers and returns the selection they denote.
func cutSelection(t *testing.T, text string) ([]byte, int, int) {
	t.Helper()
	if i := strings.Index(text, cursorMarker); i >= 0 {
		return []byte(text[:i] + text[i+len(cursorMarker):]), i, i
	}
	i, j := strings.Index(text, selStart), strings.Index(text, selEnd)
	if i < 0 || j < i {
		t.Fatalf("no cursor or selection marker in\n%s", text)
	}
	src := text[:i] + text[i+len(selStart):j] + text[j+len(selEnd):]
	return []byte(src), i, j - len(selStart)
}

func dropBlankLines(s string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
