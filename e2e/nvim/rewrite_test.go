package nvim

import (
	"fmt"
	"strings"
	"testing"
)

const rewriteSrc = `package main

import "fmt"

func main() {
	ch := make(chan int, 1)
	ch <- 1
	v := <-ch
	fmt.Println(v)
}
`

func TestRewriteAction(t *testing.T) {
	pos := at(t, rewriteSrc, "<-ch\n", 0)
	for _, mode := range []string{"request", "ui"} {
		t.Run(mode, func(t *testing.T) {
			r := runNvim(t, "action.lua", module(rewriteSrc), map[string]any{
				"line": pos.Line, "character": pos.Character, "only": "refactor.rewrite", "title_pattern": "timeout", "mode": mode,
			})
			var rec actionRecord
			r.decode(t, &rec)
			if rec.CodeActionError != "" {
				t.Fatalf("textDocument/codeAction: %s", rec.CodeActionError)
			}
			for _, a := range rec.Offered {
				if a.Kind != "refactor.rewrite" && !strings.HasPrefix(a.Kind, "refactor.rewrite.") {
					t.Errorf("asked only for refactor.rewrite, got action %q of kind %q", a.Title, a.Kind)
				}
			}
			if rec.Chosen == nil {
				t.Fatalf("no refactor.rewrite action mentioning a timeout on `v := <-ch` (%d:%d); offered: %+v", pos.Line, pos.Character, rec.Offered)
			}
			if rec.ResolveError != "" {
				t.Fatalf("codeAction/resolve: %s", rec.ResolveError)
			}
			if !rec.Applied {
				t.Fatalf("the action %+v changed nothing (resolved: %v)", *rec.Chosen, rec.Resolved)
			}
			for _, w := range []string{"select {", "time.After", `"time"`, "<-ch"} {
				if !strings.Contains(rec.After, w) {
					t.Errorf("after %q the buffer lacks %s:\n%s", rec.Chosen.Title, w, rec.After)
				}
			}
			checkGo(t, "after "+rec.Chosen.Title, rec.After)
		})
	}
}

// actionRecord is what testdata/action.lua records.
type actionRecord struct {
	CodeActionError string    `json:"codeaction_error"`
	Offered         []summary `json:"offered"`
	Chosen          *summary  `json:"chosen"`
	Resolved        bool      `json:"resolved"`
	ResolveError    string    `json:"resolve_error"`
	Applied         bool      `json:"applied"`
	After           string    `json:"after"`
	UIRange         *lspRange `json:"ui_range"`
}

// TestInsertPatternAction inserts the wg pattern through Neovim 0.7's
// code-action menu (refactor.insert.pattern) on a blank line of a function
// body: the way to get a multi-line pattern in 0.7 without a completion
// plugin, because 0.7's vim.lsp.omnifunc drops completion items whose text
// does not start with the typed word and inserts multi-line text as one
// line. The blank line is empty in one case — Vim removes the automatic
// indent of a line left without typing — and holds the indent in the other.
func TestInsertPatternAction(t *testing.T) {
	for _, c := range []struct{ name, blank string }{
		{"empty line", ""},
		{"indented blank line", "\t"},
	} {
		t.Run(c.name, func(t *testing.T) {
			src := "package main\n\nfunc main() {\n\titems := []string{\"a\", \"b\"}\n" + c.blank + "\n\t_ = items\n}\n"
			pos := at(t, src, c.blank+"\n\t_ = items", len(c.blank))
			r := runNvim(t, "action.lua", module(src), map[string]any{
				"line": pos.Line, "character": pos.Character, "only": "refactor.insert.pattern", "title_pattern": "pattern wg:", "mode": "ui",
			})
			var rec actionRecord
			r.decode(t, &rec)
			for _, a := range rec.Offered {
				if a.Kind != "refactor.insert.pattern" {
					t.Errorf("asked only for refactor.insert.pattern, got action %q of kind %q", a.Title, a.Kind)
				}
			}
			if rec.Chosen == nil {
				t.Fatalf("no refactor.insert.pattern action titled like \"Insert pattern wg:\" on the blank line %d; offered: %+v", pos.Line, rec.Offered)
			}
			if !rec.Applied {
				t.Fatalf("the action %+v changed nothing", *rec.Chosen)
			}
			for _, w := range []string{"var wg sync.WaitGroup", `"sync"`, "range items", "wg.Wait()"} {
				if !strings.Contains(rec.After, w) {
					t.Errorf("after %q the buffer lacks %q:\n%s", rec.Chosen.Title, w, rec.After)
				}
			}
			if !strings.Contains(rec.After, "\n\tvar wg sync.WaitGroup\n") || !strings.Contains(rec.After, "\n\twg.Wait()\n") {
				sent := "?"
				if rec.UIRange != nil {
					sent = fmt.Sprintf("%d:%d", rec.UIRange.Start.Line, rec.UIRange.Start.Character)
				}
				t.Errorf("the inserted pattern is not indented like the function body (one tab); Neovim asked at %s "+
					"(its normal-mode cursor sits on column 0 of a blank line, whatever the indent):\n%s", sent, rec.After)
			}
			for _, bad := range []string{"${", "$0"} {
				if strings.Contains(rec.After, bad) {
					t.Errorf("after %q the buffer holds the snippet placeholder %q:\n%s", rec.Chosen.Title, bad, rec.After)
				}
			}
			checkGo(t, "after "+rec.Chosen.Title, rec.After)
		})
	}
}
