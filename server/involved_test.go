package server

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
	"golang.org/x/tools/txtar"
)

var updateInvolved = flag.Bool("update", false, "rewrite the golden sections of testdata/involved/*.txtar")

// TestDeadlockHoverAndHints: for each testdata/involved/*.txtar, a real
// module is loaded by the typed tier, the real checks run, and the hover and
// inlay hints at each position a deadlock-class finding involves explain it.
//
// A want line is one of
//
//	hover LINE TOKEN[#N] => SUB|!SUB   the hover at the N-th TOKEN on LINE
//	hint LINE => SUB|!SUB              the finding hints on LINE (joined)
//
// where SUB must appear and !SUB must not. The golden section holds every
// finding hint and the deadlock section of the hover at each involved
// position, so a change of wording shows in review (go test -update).
func TestDeadlockHoverAndHints(t *testing.T) {
	files, _ := filepath.Glob("testdata/involved/*.txtar")
	if len(files) == 0 {
		t.Fatal("no testdata")
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			sections := map[string]string{}
			for _, f := range ar.Files {
				sections[f.Name] = string(f.Data)
			}
			src := sections["src.go"]
			dir := t.TempDir()
			os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/m\n\ngo 1.22\n"), 0o644)
			path := filepath.Join(dir, "src.go")
			os.WriteFile(path, []byte(src), 0o644)
			s := start(t, nil)
			s.initialize("")
			// Other Go files of the package (a finding reported there
			// with a position in src.go) are opened first.
			var others []uri.URI
			for _, f := range ar.Files {
				if f.Name != "src.go" && strings.HasSuffix(f.Name, ".go") {
					p := filepath.Join(dir, f.Name)
					os.WriteFile(p, f.Data, 0o644)
					others = append(others, s.open(p, string(f.Data)))
				}
			}
			u := s.open(path, src)
			for _, o := range others {
				waitTyped(t, s, o)
			}
			waitTyped(t, s, u)
			lines := strings.SplitAfter(src, "\n")
			hintsOn := findingHintsByLine(t, s, u)
			for _, want := range strings.Split(strings.TrimSpace(sections["want"]), "\n") {
				if want == "" || strings.HasPrefix(want, "#") {
					continue
				}
				where, expect, ok := strings.Cut(want, " => ")
				if !ok {
					t.Fatalf("bad want line %q", want)
				}
				f := strings.Fields(where)
				var got string
				switch f[0] {
				case "hover":
					line, char := locateToken(t, lines, f[1], f[2])
					h, err := s.hover(u, line, char)
					if err != nil {
						t.Fatal(err)
					}
					got = hoverText(h)
				case "hint":
					n, _ := strconv.Atoi(f[1])
					got = strings.Join(hintsOn[uint32(n-1)], " | ")
				default:
					t.Fatalf("bad want line %q", want)
				}
				for _, sub := range strings.Split(expect, "|") {
					sub = strings.TrimSpace(sub)
					if neg, ok := strings.CutPrefix(sub, "!"); ok {
						if strings.Contains(got, neg) {
							t.Errorf("%s: has %q, which it must not:\n%s", where, neg, got)
						}
					} else if !strings.Contains(got, sub) {
						t.Errorf("%s: lacks %q:\n%s", where, sub, got)
					}
				}
			}
			golden := involvedGolden(t, s, u, dir)
			if *updateInvolved {
				found := false
				for i := range ar.Files {
					if ar.Files[i].Name == "golden" {
						ar.Files[i].Data, found = []byte(golden), true
					}
				}
				if !found {
					ar.Files = append(ar.Files, txtar.File{Name: "golden", Data: []byte(golden)})
				}
				os.WriteFile(file, txtar.Format(ar), 0o644)
				return
			}
			if sections["golden"] != golden {
				t.Errorf("golden changed (review, then go test ./server -run TestDeadlockHoverAndHints -update):\n--- want\n%s\n--- got\n%s", sections["golden"], golden)
			}
		})
	}
}

// waitTyped waits until the typed tier has landed for u, with its checks,
// and the diagnostics publisher has taken its findings (hover and hints use
// only findings already computed for the document version).
func waitTyped(t *testing.T, s *session, u uri.URI) {
	t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	for {
		if d, ok := s.srv.docs.get(u); ok {
			if m, diags := s.srv.typedFor(d); m != nil && diags != nil {
				s.srv.involved.mu.Lock()
				e := s.srv.involved.byURI[u]
				s.srv.involved.mu.Unlock()
				if e.doc == d && e.model == m {
					return
				}
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("typed tier never landed with checks (is the go command there?)")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func locateToken(t *testing.T, lines []string, lineText, token string) (uint32, uint32) {
	t.Helper()
	n, err := strconv.Atoi(lineText)
	if err != nil || n < 1 || n > len(lines) {
		t.Fatalf("bad line %q", lineText)
	}
	nth := 1
	if i := strings.LastIndexByte(token, '#'); i > 0 {
		nth, _ = strconv.Atoi(token[i+1:])
		token = token[:i]
	}
	col, from := -1, 0
	for k := 0; k < nth; k++ {
		i := strings.Index(lines[n-1][from:], token)
		if i < 0 {
			t.Fatalf("no %q #%d on line %d", token, nth, n)
		}
		col, from = from+i, from+i+1
	}
	return uint32(n - 1), uint32(col)
}

// findingHintsByLine returns the labels of the finding hints (⚠) by line.
func findingHintsByLine(t *testing.T, s *session, u uri.URI) map[uint32][]string {
	t.Helper()
	res, err := s.remote.InlayHint(context.Background(), &protocol.InlayHintParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: u},
		Range:        protocol.Range{End: protocol.Position{Line: 9999}},
	})
	if err != nil {
		t.Fatal(err)
	}
	out := map[uint32][]string{}
	for _, h := range res {
		l := string(h.Label.(protocol.String))
		if strings.Contains(l, "⚠") {
			if tip, ok := h.Tooltip.(*protocol.MarkupContent); !ok || !strings.Contains(tip.Value, "golens explain deadlock") {
				t.Errorf("hint %q at %v has no explanation tooltip", l, h.Position)
			}
			out[h.Position.Line] = append(out[h.Position.Line], l)
		}
	}
	return out
}

// involvedGolden lists every finding hint, then the deadlock section of the
// hover at the start of each involved position.
func involvedGolden(t *testing.T, s *session, u uri.URI, dir string) string {
	t.Helper()
	res, _ := s.remote.InlayHint(context.Background(), &protocol.InlayHintParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: u},
		Range:        protocol.Range{End: protocol.Position{Line: 9999}},
	})
	var b strings.Builder
	clean := func(s string) string {
		return strings.ReplaceAll(strings.ReplaceAll(s, string(uri.File(dir)), "$DIR"), dir, "$DIR")
	}
	for _, h := range res {
		if l := string(h.Label.(protocol.String)); strings.Contains(l, "⚠") {
			fmt.Fprintf(&b, "hint %d:%d %s\n", h.Position.Line+1, h.Position.Character+1, l)
		}
	}
	d, _ := s.srv.docs.get(u)
	type at struct{ line, col uint32 }
	var starts []at
	seen := map[at]bool{}
	for _, f := range s.srv.involvedFindings(d) {
		for _, p := range f.Places {
			if p.Start < 0 {
				continue
			}
			pos := d.position(p.Start)
			a := at{pos.Line, pos.Character}
			if !seen[a] {
				seen[a] = true
				starts = append(starts, a)
			}
		}
	}
	sort.Slice(starts, func(i, j int) bool {
		return starts[i].line < starts[j].line || starts[i].line == starts[j].line && starts[i].col < starts[j].col
	})
	for _, a := range starts {
		h, _ := s.hover(u, a.line, a.col)
		text := hoverText(h)
		var sections []string
		for rest := text; ; {
			i := strings.Index(rest, "**⚠")
			if i < 0 {
				break
			}
			rest = rest[i:]
			end := strings.Index(rest, "\nWhy: ")
			if end < 0 {
				end = len(rest)
			} else if nl := strings.IndexByte(rest[end+1:], '\n'); nl >= 0 {
				end += 1 + nl
			} else {
				end = len(rest)
			}
			sections = append(sections, rest[:end])
			rest = rest[end:]
		}
		if len(sections) == 0 {
			fmt.Fprintf(&b, "\nhover %d:%d: NO SECTION\n", a.line+1, a.col+1)
			continue
		}
		fmt.Fprintf(&b, "\nhover %d:%d:\n%s\n", a.line+1, a.col+1, clean(strings.Join(sections, "\n\n")))
	}
	return b.String()
}

// TestDeadlockSectionNeverStale: after an edit that moves the code down a
// line, no hover shows the double lock at the old positions, and the
// section that comes back (once the typed tier has loaded the new text)
// names the new lines.
func TestDeadlockSectionNeverStale(t *testing.T) {
	ar, err := txtar.ParseFile("testdata/involved/double.txtar")
	if err != nil {
		t.Fatal(err)
	}
	var src string
	for _, f := range ar.Files {
		if f.Name == "src.go" {
			src = string(f.Data)
		}
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/m\n\ngo 1.22\n"), 0o644)
	path := filepath.Join(dir, "src.go")
	os.WriteFile(path, []byte(src), 0o644)
	s := start(t, nil)
	s.initialize("")
	u := s.open(path, src)
	waitTyped(t, s, u)
	lockAt := func(line uint32) string { // the hover at the first Lock of Close
		h, err := s.hover(u, line, 6)
		if err != nil {
			t.Fatal(err)
		}
		return hoverText(h)
	}
	if !strings.Contains(lockAt(10), "locked on line 11") {
		t.Fatalf("no deadlock section before the edit:\n%s", lockAt(10))
	}
	edited := strings.Replace(src, "import \"sync\"\n", "import \"sync\"\n\n// moved down\n", 1)
	err = s.remote.DidChange(context.Background(), &protocol.DidChangeTextDocumentParams{
		TextDocument:   protocol.VersionedTextDocumentIdentifier{TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: u}, Version: 2},
		ContentChanges: []protocol.TextDocumentContentChangeEvent{&protocol.TextDocumentContentChangeWholeDocument{Text: edited}},
	})
	if err != nil {
		t.Fatal(err)
	}
	// At once, before this version's findings are computed: no section
	// may name the old lines.
	for line := uint32(8); line <= 20; line++ {
		if text := lockAt(line); strings.Contains(text, "⚠ deadlock") && !strings.Contains(text, "locked on line 13") {
			t.Errorf("line %d shows a stale section:\n%s", line+1, text)
		}
	}
	waitFor(t, func() bool { return strings.Contains(lockAt(12), "locked on line 13") })
	if text := lockAt(10); strings.Contains(text, "⚠ deadlock") {
		t.Errorf("the old position still shows the section:\n%s", text)
	}
}

// TestDeadlockHintsRefresh: hints fetched for a new version before its
// findings are published lack the ⚠ hints, so each publication of a new
// version with findings asks the client to refresh its hints, even when
// the findings did not move (an edit after them); the hints fetched then
// have them. Syntax tier only, so no typed load refreshes on its own.
func TestDeadlockHintsRefresh(t *testing.T) {
	src := "package m\n\nimport \"sync\"\n\nvar mu sync.Mutex\n\nfunc f(ok bool) int {\n\tmu.Lock()\n\tif !ok {\n\t\treturn 0\n\t}\n\tmu.Unlock()\n\treturn 1\n}\n"
	client := &diagClient{}
	s := startWith(t, client, nil)
	_, err := s.remote.Initialize(context.Background(), &protocol.InitializeParams{
		InitializationOptions: protocol.LSPAny(`{"typedTier": false}`),
		Capabilities: protocol.ClientCapabilities{
			Workspace: &protocol.WorkspaceClientCapabilities{InlayHint: &protocol.InlayHintWorkspaceClientCapabilities{RefreshSupport: ptr(true)}},
		}})
	if err != nil {
		t.Fatal(err)
	}
	s.remote.Initialized(context.Background(), &protocol.InitializedParams{})
	u := s.open("/work/refresh.go", src)
	refreshes := func() int {
		client.dmu.Lock()
		defer client.dmu.Unlock()
		return client.refreshes
	}
	published := func() bool {
		d, _ := s.srv.docs.get(u)
		s.srv.involved.mu.Lock()
		defer s.srv.involved.mu.Unlock()
		return s.srv.involved.byURI[u].doc == d && len(s.srv.involved.byURI[u].found) > 0
	}
	waitFor(t, published)
	waitFor(t, func() bool { return refreshes() > 0 })
	before := refreshes()
	err = s.remote.DidChange(context.Background(), &protocol.DidChangeTextDocumentParams{
		TextDocument:   protocol.VersionedTextDocumentIdentifier{TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: u}, Version: 2},
		ContentChanges: []protocol.TextDocumentContentChangeEvent{&protocol.TextDocumentContentChangeWholeDocument{Text: src + "\n// after the findings\n"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, published)
	waitFor(t, func() bool { return refreshes() > before })
	if got := strings.Join(findingHintsByLine(t, s, u)[9], " "); !strings.Contains(got, "⚠ lockleak") {
		t.Errorf("after the refresh, line 10 has no ⚠ lockleak hint: %q", got)
	}
}
