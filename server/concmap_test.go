package server

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

const mapSample = `package main

func main() {
	ch := make(chan string)
	go func() {
		ch <- "done"
	}()
	go produce(ch)
	<-ch
}

func helper() int { return 1 }
`

const mapSibling = `package main

func produce(out chan<- string) {
	out <- "more"
	close(out)
}
`

func (s *session) runMap(t *testing.T, arg map[string]any) (mapResult, error) {
	t.Helper()
	raw, _ := json.Marshal(arg)
	res, err := s.remote.ExecuteCommand(context.Background(), &protocol.ExecuteCommandParams{Command: CommandMap, Arguments: []protocol.LSPAny{raw}})
	var out mapResult
	if err == nil {
		if err := json.Unmarshal(res, &out); err != nil {
			t.Fatalf("golens.map answered %s: %v", res, err)
		}
	}
	return out, err
}

func TestMapCommand(t *testing.T) {
	dir := t.TempDir()
	// The sibling file is only on disk: the map reads it to follow go produce(ch).
	if err := os.WriteFile(filepath.Join(dir, "produce.go"), []byte(mapSibling), 0o644); err != nil {
		t.Fatal(err)
	}
	s := start(t, nil)
	init := s.initialize(`{"typedTier": false}`)
	found := false
	for _, c := range init.Capabilities.ExecuteCommandProvider.Commands {
		found = found || c == CommandMap
	}
	if !found || init.Capabilities.CodeLensProvider == nil {
		t.Fatalf("capabilities do not offer %s and code lenses", CommandMap)
	}
	u := s.open(filepath.Join(dir, "main.go"), mapSample)
	doc := map[string]string{"uri": string(u)}

	// Function at the cursor, as text: the goroutines, the channel, the
	// operations of produce (in the other file) on main's channel.
	res, err := s.runMap(t, map[string]any{"textDocument": doc, "position": map[string]int{"line": 4, "character": 2}, "format": "text"})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"func main", "go func() L5", "go produce(ch)", "chan      ch — chan string · unbuffered · made L4",
		"go produce(ch) → ch: send at line 4 in produce", "go produce(ch) → ch: close at line 5 in produce", "ch → main: receive at line 9"} {
		if !strings.Contains(res.Content, want) {
			t.Errorf("text map lacks %q:\n%s", want, res.Content)
		}
	}
	if res.Scope != "function" || res.Function != "main" || res.Empty {
		t.Errorf("scope %q function %q empty %v", res.Scope, res.Function, res.Empty)
	}

	// SVG (the default) carries where to jump for every node and edge.
	res, err = s.runMap(t, map[string]any{"textDocument": doc, "position": map[string]int{"line": 8, "character": 1}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Format != "svg" || !strings.HasPrefix(res.Content, "<svg") || !strings.Contains(res.Content, `data-line="9"`) {
		t.Errorf("svg map: %.300s", res.Content)
	}

	// A function without concurrency: an empty map, said so.
	res, err = s.runMap(t, map[string]any{"textDocument": doc, "position": map[string]int{"line": 11, "character": 6}, "format": "text"})
	if err != nil || !res.Empty || res.Function != "helper" {
		t.Errorf("helper: %+v %v", res, err)
	}

	// The package: produce is shown as the goroutine that runs it.
	res, err = s.runMap(t, map[string]any{"textDocument": doc, "scope": "package", "format": "mermaid"})
	if err != nil || res.Scope != "package" || !strings.HasPrefix(res.Content, "flowchart TD") {
		t.Errorf("package map: %+v %v", res, err)
	}

	// Bad arguments get clear errors.
	for _, bad := range []map[string]any{
		{"textDocument": doc, "format": "png"},
		{"textDocument": doc, "scope": "module"},
		{"textDocument": map[string]string{"uri": "file:///nonexistent/x.go"}},
	} {
		if _, err := s.runMap(t, bad); code(err) != jsonrpc2.InvalidParams {
			t.Errorf("%v: error %v, want invalid params", bad, err)
		}
	}
}

func TestMapCodeLens(t *testing.T) {
	s := start(t, nil)
	s.initialize(`{"typedTier": false}`)
	u := s.open("/work/lens/main.go", mapSample)
	lenses, err := s.remote.CodeLens(context.Background(), &protocol.CodeLensParams{TextDocument: protocol.TextDocumentIdentifier{URI: u}})
	if err != nil {
		t.Fatal(err)
	}
	// main starts goroutines; helper does not.
	if len(lenses) != 1 {
		t.Fatalf("lenses = %+v, want one on main", lenses)
	}
	l := lenses[0]
	if l.Range.Start.Line != 2 || l.Command.Title != "map" || l.Command.Command != ClientCommandShowMap || len(l.Command.Arguments) != 1 {
		t.Errorf("lens = %+v", l)
	}
	var arg struct {
		TextDocument struct{ URI uri.URI } `json:"textDocument"`
		Position     protocol.Position     `json:"position"`
	}
	if err := json.Unmarshal(l.Command.Arguments[0], &arg); err != nil || arg.TextDocument.URI != u || arg.Position.Line != 2 {
		t.Errorf("lens argument %s (%v)", l.Command.Arguments[0], err)
	}
	if _, err := s.remote.CodeLens(context.Background(), &protocol.CodeLensParams{TextDocument: protocol.TextDocumentIdentifier{URI: "file:///not/open.go"}}); code(err) != jsonrpc2.InvalidParams {
		t.Errorf("lens on a closed document: %v", err)
	}
}

// TestMapTypedTier: once the typed tier lands, the map reads the typed
// models of the whole package, which know what syntax cannot (a channel
// returned by a function of another file is a channel: its range shows).
func TestMapTypedTier(t *testing.T) {
	if testing.Short() {
		t.Skip("loads a package with the go command")
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/m\n\ngo 1.22\n"), 0o644)
	other := "package m\n\nfunc produce(n int) <-chan int {\n\tout := make(chan int, n)\n\tgo func() {\n\t\tdefer close(out)\n\t\tfor i := 0; i < n; i++ {\n\t\t\tout <- i\n\t\t}\n\t}()\n\treturn out\n}\n"
	os.WriteFile(filepath.Join(dir, "produce.go"), []byte(other), 0o644)
	src := "package m\n\nfunc consume() int {\n\tresults := produce(3)\n\tsum := 0\n\tfor v := range results {\n\t\tsum += v\n\t}\n\treturn sum\n}\n"
	path := filepath.Join(dir, "m.go")
	os.WriteFile(path, []byte(src), 0o644)
	s := start(t, nil)
	s.initialize("")
	u := s.open(path, src)
	deadline := time.Now().Add(60 * time.Second)
	for {
		if d, ok := s.srv.docs.get(u); ok && s.srv.typedModelFor(d) != nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("typed tier never landed")
		}
		time.Sleep(20 * time.Millisecond)
	}
	res, err := s.runMap(t, map[string]any{"textDocument": map[string]string{"uri": string(u)}, "position": map[string]int{"line": 3, "character": 2}, "format": "text"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(res.Content, "results → consume: range at line 6 [can block]") {
		t.Errorf("typed map lacks the range over results:\n%s", res.Content)
	}
}

// TestMapBrokenCode: a file that does not parse still gets a map of what
// the parser recovered, never an error or a crash.
func TestMapBrokenCode(t *testing.T) {
	s := start(t, nil)
	s.initialize(`{"typedTier": false}`)
	for i, src := range []string{
		"package main\n\nfunc main() {\n\tch := make(chan int\n\tgo func() { ch <- 1 }(\n\t<-ch\n",
		"",
		"not go at all {{{",
		"package main\n\nfunc main() { go }\n",
	} {
		u := s.open(filepath.Join(t.TempDir(), "broken.go"), src)
		for _, arg := range []map[string]any{
			{"textDocument": map[string]string{"uri": string(u)}, "position": map[string]int{"line": 3, "character": 1}, "format": "svg"},
			{"textDocument": map[string]string{"uri": string(u)}, "scope": "package", "format": "text"},
			{"textDocument": map[string]string{"uri": string(u)}, "position": map[string]int{"line": 999, "character": 999}},
		} {
			if res, err := s.runMap(t, arg); err != nil || res.Content == "" {
				t.Errorf("source %d, %v: %+v %v", i, arg, res, err)
			}
		}
	}
}
