package nvim

import (
	"strings"
	"testing"
)

// completionSrc has a pattern's label typed on its own line in a function
// body (WORD is replaced by the label).
const completionSrc = `package main

import "fmt"

func main() {
	items := []string{"a", "b"}
	WORD
	fmt.Println(items)
}
`

func TestCompletion(t *testing.T) {
	for _, c := range []struct {
		label   string
		want    []string // in the buffer after completing
		import_ string   // the import the item adds, "" for none
	}{
		{"wg", []string{"var wg sync.WaitGroup", "wg.Add(1)", "defer wg.Done()", "\n\twg.Wait()\n"}, `"sync"`},
		{"worker", []string{"jobs := make(chan", "results := make(chan", "close(jobs)", "close(results)", "wg.Wait()"}, `"sync"`},
		{"seltimeout", []string{"\n\tselect {\n", "time.After(time.Second)", "<-ch"}, `"time"`},
		{"nbsend", []string{"\n\tselect {\n", "ch <- v", "default:"}, ""},
	} {
		t.Run(c.label, func(t *testing.T) {
			src := strings.Replace(completionSrc, "WORD", c.label, 1)
			pos := at(t, src, "\t"+c.label+"\n", 1+len(c.label)) // right after the typed word
			r := runNvim(t, "completion.lua", module(src), map[string]any{
				"line": pos.Line, "character": pos.Character, "label": c.label,
			})
			checkCompletion(t, r, src, pos, c.label, c.want, c.import_)
		})
	}
}

func checkCompletion(t *testing.T, r *run, src string, pos position, label string, want []string, imp string) {
	t.Helper()
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
		t.Fatalf("no completion item labelled (or filtered as) %q at %d:%d; labels: %q (null result: %v)", label, pos.Line, pos.Character, rec.Labels, rec.Null)
	}
	if rec.ResolveError != "" {
		t.Fatalf("completionItem/resolve: %s", rec.ResolveError)
	}
	if rec.Resolved {
		t.Errorf("the %s item needed completionItem/resolve to get its text; Neovim 0.7 advertises no resolveSupport and never resolves", label)
	}
	if rec.Item.InsertTextFormat == 2 {
		t.Errorf("the %s item is a snippet (insertTextFormat 2) though the client has no snippetSupport", label)
	}
	if rec.InsertReplaceEdit {
		t.Errorf("the %s item has an InsertReplaceEdit, which Neovim 0.7 did not ask for (no insertReplaceSupport)", label)
	}
	after := rec.After
	if imp != "" {
		want = append(want, imp)
	}
	for _, w := range want {
		if !strings.Contains(after, w) {
			t.Errorf("after completing %s the buffer lacks %q:\n%s", label, w, after)
		}
	}
	for _, bad := range []string{"${", "$0", "$1"} {
		if strings.Contains(after, bad) {
			t.Errorf("after completing %s the buffer holds the snippet placeholder %q:\n%s", label, bad, after)
		}
	}
	if strings.Contains(after, "\n\t"+label+"\n") {
		t.Errorf("the typed word %s is still in the buffer:\n%s", label, after)
	}
	if !strings.Contains(after, "\n\tfmt.Println(items)\n}\n") {
		t.Errorf("the line after the completed one changed:\n%s", after)
	}
	checkGo(t, "after completing "+label, after)

	// Not a failure, a fact worth seeing: 0.7's built-in omnifunc cannot
	// use a multi-line plain-text item (TestInsertPatternAction is the
	// 0.7 way to the same pattern).
	offered := false
	for _, m := range rec.Omnifunc {
		if m.Abbr == label {
			offered = true
			if strings.Contains(m.Word, "\n") {
				t.Logf("note: vim.lsp.omnifunc (0.7) would insert the %s item's multi-line text as one line joined by NULs", label)
			}
		}
	}
	if !offered {
		t.Logf("note: vim.lsp.omnifunc (0.7) would not offer the %s item after typing %s: its text does not start with %q (omnifunc matches the inserted text, not filterText)", label, label, label)
	}
}
