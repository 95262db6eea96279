package nvim

import (
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
			r := runNvim(t, "rewrite.lua", module(rewriteSrc), map[string]any{
				"line": pos.Line, "character": pos.Character, "title_pattern": "timeout", "mode": mode,
			})
			var rec struct {
				CodeActionError string    `json:"codeaction_error"`
				Offered         []summary `json:"offered"`
				Chosen          *summary  `json:"chosen"`
				Resolved        bool      `json:"resolved"`
				ResolveError    string    `json:"resolve_error"`
				Applied         bool      `json:"applied"`
				After           string    `json:"after"`
			}
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
