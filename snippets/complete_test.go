package snippets

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"
)

// cursorMarker marks the cursor in test sources; it is removed before use.
const cursorMarker = "‸"

// TestComplete runs the cases under testdata/complete. Each archive's
// comment holds an "env:" line (go=VERSION, requires=MODULE, snippets); each
// case is NAME.go (a source with the cursor marker) plus any of NAME.want —
// lines "label" (must be offered), "!label" (must not), "none", or
// "exactly: a b" —, NAME.insert (a label, then the item's exact insert
// text), or NAME.apply (a label) and NAME.result (the source after applying
// that item in plain-text mode).
func TestComplete(t *testing.T) {
	files, err := filepath.Glob("testdata/complete/*.txtar")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test archives: %v", err)
	}
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
			t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar")+"/"+name, func(t *testing.T) {
				src, offset := cutCursor(t, string(f.Data))
				items := Complete(src, offset, env)
				var labels []string
				for _, it := range items {
					labels = append(labels, it.Label)
				}
				if want, ok := byName[name+".want"]; ok {
					checkLabels(t, labels, want)
				}
				if insert, ok := byName[name+".insert"]; ok {
					label, text, _ := strings.Cut(insert, "\n")
					i := slices.Index(labels, label)
					if i < 0 {
						t.Fatalf("%s not offered; got %v", label, labels)
					}
					if got := items[i].InsertText + "\n"; got != text {
						t.Errorf("insert text of %s:\n%s\nwant:\n%s", label, got, text)
					}
					if items[i].IsSnippet != env.SnippetSupport {
						t.Errorf("IsSnippet = %v", items[i].IsSnippet)
					}
				}
				if label, ok := byName[name+".apply"]; ok {
					label = strings.TrimSpace(label)
					i := slices.Index(labels, label)
					if i < 0 {
						t.Fatalf("%s not offered; got %v", label, labels)
					}
					it := items[i]
					edits := append([]Edit{{it.ReplaceStart, it.ReplaceEnd, it.InsertText}}, it.AdditionalEdits...)
					got := string(ApplyEdits(src, edits))
					if want := byName[name+".result"]; got != want {
						t.Errorf("after applying %s:\n%s\nwant:\n%s", label, got, want)
					}
				}
			})
		}
	}
}

func checkLabels(t *testing.T, labels []string, want string) {
	t.Helper()
	for _, line := range strings.Split(strings.TrimSpace(want), "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "none":
			if len(labels) > 0 {
				t.Errorf("want nothing offered, got %v", labels)
			}
		case strings.HasPrefix(line, "exactly:"):
			w := strings.Fields(strings.TrimPrefix(line, "exactly:"))
			got := slices.Clone(labels)
			slices.Sort(got)
			slices.Sort(w)
			if !slices.Equal(got, w) {
				t.Errorf("want exactly %v, got %v", w, got)
			}
		case strings.HasPrefix(line, "!"):
			if slices.Contains(labels, line[1:]) {
				t.Errorf("%s offered but must not be; got %v", line[1:], labels)
			}
		case line != "":
			if !slices.Contains(labels, line) {
				t.Errorf("%s not offered; got %v", line, labels)
			}
		}
	}
}

func parseTestEnv(t *testing.T, comment string) Env {
	t.Helper()
	var env Env
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
			case "snippets":
				env.SnippetSupport = true
			default:
				t.Fatalf("unknown env key %q", key)
			}
		}
	}
	return env
}

func cutCursor(t *testing.T, text string) ([]byte, int) {
	t.Helper()
	i := strings.Index(text, cursorMarker)
	if i < 0 || strings.Count(text, cursorMarker) != 1 {
		t.Fatalf("want exactly one cursor marker in\n%s", text)
	}
	return []byte(text[:i] + text[i+len(cursorMarker):]), i
}

// The catalogue must keep the labels users rely on and at least sixteen
// patterns, each documented.
func TestCatalogue(t *testing.T) {
	want := []string{"wg", "wggo", "fanout", "worker", "prodcons", "pipeline", "semaphore", "seltimeout", "seltimer",
		"nbsend", "nbrecv", "forselect", "forctx", "ticker", "ctxtimeout", "mutex", "rlock", "once", "recover", "openfile", "errgroup"}
	if len(Patterns()) < 16 {
		t.Errorf("only %d patterns", len(Patterns()))
	}
	for _, label := range want {
		found := false
		for _, p := range Patterns() {
			if p.Label == label {
				found = true
				if !strings.Contains(p.Markdown(), "```go\n") || p.Description == "" || len(p.See) == 0 {
					t.Errorf("%s: documentation incomplete", label)
				}
			}
		}
		if !found {
			t.Errorf("no pattern labelled %s", label)
		}
	}
	entries, _ := os.ReadDir("patterns")
	if len(entries) != len(Patterns()) {
		t.Errorf("%d pattern files but %d patterns loaded", len(entries), len(Patterns()))
	}
}
