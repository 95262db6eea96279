package server

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// diagClient records published diagnostics.
type diagClient struct {
	testClient
	dmu       sync.Mutex
	diags     map[uri.URI][]protocol.Diagnostic
	refreshes int
}

func (c *diagClient) PublishDiagnostics(ctx context.Context, p *protocol.PublishDiagnosticsParams) error {
	c.dmu.Lock()
	defer c.dmu.Unlock()
	if c.diags == nil {
		c.diags = map[uri.URI][]protocol.Diagnostic{}
	}
	c.diags[p.URI] = p.Diagnostics
	return nil
}

func (c *diagClient) InlayHintRefresh(ctx context.Context) error {
	c.dmu.Lock()
	defer c.dmu.Unlock()
	c.refreshes++
	return nil
}

func (c *diagClient) codes(u uri.URI) []string {
	c.dmu.Lock()
	defer c.dmu.Unlock()
	var out []string
	for _, d := range c.diags[u] {
		out = append(out, string(d.Code.(protocol.String)))
	}
	return out
}

func TestInlayHintsWithoutClientCapability(t *testing.T) {
	s := start(t, nil)
	s.initialize(`{"typedTier": false}`)
	src := "package p\n\nimport \"fmt\"\n\nfunc f() {\n\tch := make(chan int)\n\tx := 5\n\tdefer fmt.Println(x)\n\tdefer fmt.Println(\"b\")\n\tch <- 1\n}\n"
	u := s.open("/work/h.go", src)
	res, err := s.remote.InlayHint(context.Background(), &protocol.InlayHintParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: u},
		Range:        protocol.Range{End: protocol.Position{Line: 99}},
	})
	if err != nil {
		t.Fatal(err)
	}
	byLine := map[uint32][]string{}
	for _, h := range res {
		byLine[h.Position.Line] = append(byLine[h.Position.Line], string(h.Label.(protocol.String)))
	}
	if !strings.Contains(strings.Join(byLine[7], " "), "2nd") || !strings.Contains(strings.Join(byLine[7], " "), "x = 5") {
		t.Errorf("defer hints on line 8 = %q", byLine[7])
	}
	if len(byLine[9]) == 0 {
		t.Errorf("no hint on the unbuffered send; hints: %v", byLine)
	}
	// The tooltip resolves lazily.
	r, err := s.remote.InlayHintResolve(context.Background(), &res[0])
	if err != nil || r.Tooltip == nil {
		t.Fatalf("resolve = %+v, %v", r, err)
	}
	// A family switched off by settings disappears.
	s.remote.DidChangeConfiguration(context.Background(), &protocol.DidChangeConfigurationParams{Settings: protocol.LSPAny(`{"hints": {"defers": false}}`)})
	waitFor(t, func() bool { return !s.srv.currentSettings().Hints.Defers })
	res, _ = s.remote.InlayHint(context.Background(), &protocol.InlayHintParams{TextDocument: protocol.TextDocumentIdentifier{URI: u}, Range: protocol.Range{End: protocol.Position{Line: 99}}})
	for _, h := range res {
		if h.Position.Line == 7 || h.Position.Line == 8 {
			t.Errorf("defer hint with defers off: %v", h.Label)
		}
	}
}

func TestCompletionAndRewrite(t *testing.T) {
	s := start(t, nil)
	s.initialize(`{"typedTier": false}`)
	src := "package p\n\nfunc f(ch chan int) {\n\twg\n\tv := <-ch\n\t_ = v\n}\n"
	u := s.open("/work/c.go", src)
	res, err := s.remote.Completion(context.Background(), &protocol.CompletionParams{TextDocumentPositionParams: protocol.TextDocumentPositionParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: u}, Position: protocol.Position{Line: 3, Character: 3}}})
	if err != nil {
		t.Fatal(err)
	}
	items := res.(protocol.CompletionItemSlice)
	var wg *protocol.CompletionItem
	for i := range items {
		if items[i].Label == "wg" {
			wg = &items[i]
		}
	}
	if wg == nil {
		t.Fatalf("no wg pattern offered: %d items", len(items))
	}
	if wg.InsertTextFormat == protocol.InsertTextFormatSnippet || strings.Contains(wg.TextEdit.(*protocol.TextEdit).NewText, "${") {
		t.Errorf("a client without snippet support got snippet syntax: %q", wg.TextEdit.(*protocol.TextEdit).NewText)
	}
	if len(wg.AdditionalTextEdits) == 0 || !strings.Contains(wg.AdditionalTextEdits[0].NewText, `"sync"`) {
		t.Errorf("the wg pattern does not add the sync import: %+v", wg.AdditionalTextEdits)
	}
	actions, err := s.remote.CodeAction(context.Background(), &protocol.CodeActionParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: u},
		Range:        protocol.Range{Start: protocol.Position{Line: 4, Character: 6}, End: protocol.Position{Line: 4, Character: 6}},
		Context:      protocol.CodeActionContext{Only: []protocol.CodeActionKind{protocol.CodeActionKindRefactorRewrite}},
	})
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, a := range actions {
		ca := a.(*protocol.CodeAction)
		titles = append(titles, ca.Title)
		if *ca.Kind != protocol.CodeActionKindRefactorRewrite {
			t.Errorf("action %q has kind %s outside the requested refactor.rewrite", ca.Title, *ca.Kind)
		}
	}
	if !strings.Contains(strings.ToLower(strings.Join(titles, "|")), "timeout") {
		t.Errorf("no timeout rewrite on a receive: %q", titles)
	}
}

// TestTypedTierAndDiagnostics loads a real module: the typed tier lands,
// diagnostics are published with source golens and a quick fix applies.
func TestTypedTierAndDiagnostics(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module example.com/m\n\ngo 1.22\n"), 0o644)
	src := "package m\n\nimport \"fmt\"\n\nfunc produce() {\n\tch := make(chan int)\n\tgo func() {\n\t\tfor i := 0; i < 3; i++ {\n\t\t\tch <- i\n\t\t}\n\t}()\n\tfor v := range ch {\n\t\tfmt.Println(v)\n\t}\n}\n"
	path := filepath.Join(dir, "m.go")
	os.WriteFile(path, []byte(src), 0o644)

	client := &diagClient{}
	s := startWith(t, client, nil)
	res, err := s.remote.Initialize(context.Background(), &protocol.InitializeParams{Capabilities: protocol.ClientCapabilities{
		Workspace: &protocol.WorkspaceClientCapabilities{InlayHint: &protocol.InlayHintWorkspaceClientCapabilities{RefreshSupport: ptr(true)}},
	}})
	if err != nil || res == nil {
		t.Fatal(err)
	}
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
	waitFor(t, func() bool {
		client.dmu.Lock()
		defer client.dmu.Unlock()
		return client.refreshes > 0
	})
	waitFor(t, func() bool { return strings.Contains(strings.Join(client.codes(u), " "), "unclosedrange") })
	actions, err := s.remote.CodeAction(context.Background(), &protocol.CodeActionParams{
		TextDocument: protocol.TextDocumentIdentifier{URI: u},
		Range:        protocol.Range{Start: protocol.Position{Line: 11, Character: 0}, End: protocol.Position{Line: 11, Character: 20}},
		Context:      protocol.CodeActionContext{Only: []protocol.CodeActionKind{protocol.CodeActionKindQuickFix}},
	})
	if err != nil || len(actions) == 0 {
		t.Fatalf("no quick fix for unclosedrange: %v", err)
	}
	ca := actions[0].(*protocol.CodeAction)
	if ca.IsPreferred == nil || !*ca.IsPreferred || ca.Edit == nil {
		t.Errorf("quick fix %q is not preferred or has no edit", ca.Title)
	}
}

func ptr[T any](v T) *T { return &v }
