package nvim

import (
	"strings"
	"testing"
)

// completionSrc has the word wg typed on its own line in a function body.
const completionSrc = `package main

func main() {
	items := []string{"a", "b"}
	wg
	_ = items
}
`

func TestCompletion(t *testing.T) {
	pos := at(t, completionSrc, "wg\n", 2) // right after the typed word
	r := runNvim(t, "completion.lua", module(completionSrc), map[string]any{
		"line": pos.Line, "character": pos.Character, "label": "wg",
	})
	var rec struct {
		SnippetSupport *bool    `json:"snippet_support"`
		Error          string   `json:"error"`
		Null           bool     `json:"null"`
		Labels         []string `json:"labels"`
		Resolved       bool     `json:"resolved"`
		ResolveError   string   `json:"resolve_error"`
		Item           *struct {
			Label               string `json:"label"`
			InsertTextFormat    int    `json:"insertTextFormat"`
			InsertText          string `json:"insertText"`
			TextEdit            any    `json:"textEdit"`
			AdditionalTextEdits []any  `json:"additionalTextEdits"`
		} `json:"item"`
		Omnifunc []struct {
			Abbr string `json:"abbr"`
			Word string `json:"word"`
		} `json:"omnifunc"`
		InsertReplaceEdit bool   `json:"insert_replace_edit"`
		After             string `json:"after"`
	}
	r.decode(t, &rec)
	if rec.SnippetSupport != nil && *rec.SnippetSupport {
		t.Fatalf("the test meant to use Neovim 0.7's default capabilities, which advertise no snippetSupport; this Neovim advertises it")
	}
	if rec.Error != "" {
		t.Fatalf("textDocument/completion: %s", rec.Error)
	}
	if rec.Item == nil {
		t.Fatalf("no completion item labelled (or filtered as) \"wg\" at %d:%d; labels: %q (null result: %v)", pos.Line, pos.Character, rec.Labels, rec.Null)
	}
	if rec.ResolveError != "" {
		t.Fatalf("completionItem/resolve: %s", rec.ResolveError)
	}
	if rec.Resolved {
		t.Errorf("the wg item needed completionItem/resolve to get its text; Neovim 0.7 advertises no resolveSupport and never resolves")
	}
	if rec.Item.InsertTextFormat == 2 {
		t.Errorf("the wg item is a snippet (insertTextFormat 2) though the client has no snippetSupport")
	}
	if rec.InsertReplaceEdit {
		t.Errorf("the wg item has an InsertReplaceEdit, which Neovim 0.7 did not ask for (no insertReplaceSupport)")
	}
	after := rec.After
	for _, w := range []string{"sync.WaitGroup", `"sync"`, "wg.Wait()", "wg.Add(1)", "defer wg.Done()"} {
		if !strings.Contains(after, w) {
			t.Errorf("after completing wg the buffer lacks %s:\n%s", w, after)
		}
	}
	for _, bad := range []string{"${", "$0", "$1"} {
		if strings.Contains(after, bad) {
			t.Errorf("after completing wg the buffer holds the snippet placeholder %q:\n%s", bad, after)
		}
	}
	if strings.Contains(after, "\n\twg\n") {
		t.Errorf("the typed word wg is still in the buffer:\n%s", after)
	}
	if !strings.Contains(after, "\n\twg.Wait()\n") {
		t.Errorf("wg.Wait() is not indented like the line it replaced (one tab):\n%s", after)
	}
	checkGo(t, "after completing wg", after)

	// Not a failure, a fact worth seeing: 0.7's built-in omnifunc cannot
	// use a multi-line plain-text item (TestInsertPatternAction is the
	// 0.7 way to the same pattern).
	offered := false
	for _, m := range rec.Omnifunc {
		if m.Abbr == "wg" {
			offered = true
			if strings.Contains(m.Word, "\n") {
				t.Logf("note: vim.lsp.omnifunc (0.7) would insert the wg item's multi-line text as one line joined by NULs")
			}
		}
	}
	if !offered {
		t.Logf("note: vim.lsp.omnifunc (0.7) would not offer the wg item after typing wg: its text does not start with \"wg\" (omnifunc matches the inserted text, not filterText)")
	}
}
