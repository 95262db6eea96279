package nvim

import (
	"strings"
	"testing"
)

const unclosedRangeSrc = `package main

import "fmt"

func main() {
	ch := make(chan string)
	go func() {
		for _, w := range []string{"a", "b"} {
			ch <- w
		}
	}()
	for w := range ch {
		fmt.Println(w)
	}
}
`

const nilChanSrc = `package main

import "fmt"

func main() {
	var results chan string
	go func() {
		results <- "done"
	}()
	fmt.Println(<-results)
}
`

const nilChanUnicodeSrc = `package main

import "fmt"

func main() {
	var results chan string
	go func() {
		results <- "done"
	}()
	fmt.Println("résumé 🚀:", <-results)
}
`

// lockLeakSrc needs the typed tier: the mutex's type is declared in
// another file (lockLeakTypes), so only go list and the type checker know
// that c.guard is a sync.Mutex.
const lockLeakSrc = `package main

import "errors"

var errMissing = errors.New("missing")

func (c *Cache) Load(k string) (int, error) {
	c.guard.Lock()
	v, ok := c.m[k]
	if !ok {
		return 0, errMissing
	}
	c.guard.Unlock()
	return v, nil
}

func main() {}
`

const lockLeakTypes = `package main

import "sync"

type Cache struct {
	guard sync.Mutex
	m     map[string]int
}
`

func TestQuickFix(t *testing.T) {
	cases := []struct {
		name     string
		src      string
		code     string // the golens check
		mode     string // "request", "ui" or "ui line start", see testdata/quickfix.lua
		diagLine string // the diagnostic is on the line holding this
		want     []string
	}{
		{"unclosedrange", unclosedRangeSrc, "unclosedrange", "request", "for w := range ch", []string{"defer close(ch)"}},
		{"nilchan", nilChanSrc, "nilchan", "request", "", []string{"make(chan string)"}},
		{"unclosedrange via code_action UI", unclosedRangeSrc, "unclosedrange", "ui", "for w := range ch", []string{"defer close(ch)"}},
		// 0.7's code_action UI sends the line's diagnostics with byte
		// columns: on this line they differ from the UTF-16 ones golens sent.
		// And the module's path needs percent-encoding in URIs.
		{"nilchan via code_action UI, non-ASCII line", nilChanUnicodeSrc, "nilchan", "ui", "<-results)", []string{"make(chan string)"}},
		// The cursor at the start of the diagnostic's line: the request
		// range misses the diagnostic, context.diagnostics holds it.
		{"unclosedrange via code_action UI, cursor at line start", unclosedRangeSrc, "unclosedrange", "ui line start", "for w := range ch", []string{"defer close(ch)"}},
		{"nilchan via code_action UI, cursor at line start, non-ASCII line", nilChanUnicodeSrc, "nilchan", "ui line start", "<-results)", []string{"make(chan string)"}},
		// From the typed tier (go list with the buffer as overlay).
		{"lockleak, typed tier", lockLeakSrc, "lockleak", "request", "c.guard.Lock()", []string{"c.guard.Lock()\n\tdefer c.guard.Unlock()\n"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			params := map[string]any{"code": c.code, "mode": c.mode}
			if c.mode == "ui line start" {
				params["mode"], params["cursor"] = "ui", "line start"
			}
			if c.diagLine != "" {
				params["diag_line"] = lineOf(t, c.src, c.diagLine)
			}
			fx := module(c.src)
			if c.code == "lockleak" {
				fx.files["types.go"] = lockLeakTypes
			}
			if strings.Contains(c.name, "non-ASCII") {
				fx.dir = "my mod, ü"
			}
			r := runNvim(t, "quickfix.lua", fx, params)
			var rec struct {
				DiagnosticFound bool `json:"diagnostic_found"`
				Diagnostic      struct {
					Range    lspRange `json:"range"`
					Message  string   `json:"message"`
					Severity int      `json:"severity"`
				} `json:"diagnostic"`
				UIRange              *lspRange `json:"ui_range"`
				UIContextDiagnostics []struct {
					Range lspRange `json:"range"`
					Code  string   `json:"code"`
				} `json:"ui_context_diagnostics"`
				CodeActionError string    `json:"codeaction_error"`
				Actions         []action  `json:"actions"`
				UIOffered       []summary `json:"ui_offered"`
				Chosen          *summary  `json:"chosen"`
				Resolved        bool      `json:"resolved"`
				ResolveError    string    `json:"resolve_error"`
				Applied         bool      `json:"applied"`
				After           string    `json:"after"`
				DiagnosticGone  bool      `json:"diagnostic_gone"`
			}
			r.decode(t, &rec)
			if !rec.DiagnosticFound {
				t.Fatalf("no diagnostic with source \"golens\" and code %q within 10 s; publishDiagnostics seen: %v", c.code, r.Diagnostics)
			}
			if c.diagLine != "" {
				if want := lineOf(t, c.src, c.diagLine); rec.Diagnostic.Range.Start.Line != want {
					t.Errorf("the %s diagnostic is on line %d, want %d (%q)", c.code, rec.Diagnostic.Range.Start.Line, want, c.diagLine)
				}
			}
			if rec.CodeActionError != "" {
				t.Fatalf("textDocument/codeAction: %s", rec.CodeActionError)
			}
			if rec.Chosen == nil {
				if strings.HasPrefix(c.mode, "ui") {
					t.Fatalf("vim.lsp.buf.code_action{only={'quickfix'}} offered nothing for the %s diagnostic golens published at %+v; "+
						"Neovim asked for range %+v with context.diagnostics %+v (0.7 rebuilds them with byte columns)",
						c.code, rec.Diagnostic.Range, rec.UIRange, rec.UIContextDiagnostics)
				}
				t.Fatalf("textDocument/codeAction with only=quickfix and the %s diagnostic answered no actions", c.code)
			}
			for _, a := range rec.Actions {
				if a.Kind != "quickfix" && !strings.HasPrefix(a.Kind, "quickfix.") {
					t.Errorf("asked only for quickfix, got action %q of kind %q", a.Title, a.Kind)
				}
			}
			for _, a := range rec.UIOffered {
				if a.Kind != "quickfix" && !strings.HasPrefix(a.Kind, "quickfix.") {
					t.Errorf("asked only for quickfix, got action %q of kind %q", a.Title, a.Kind)
				}
			}
			if !rec.Chosen.IsPreferred {
				t.Errorf("the quick fix %q is not marked isPreferred", rec.Chosen.Title)
			}
			if rec.ResolveError != "" {
				t.Fatalf("codeAction/resolve: %s", rec.ResolveError)
			}
			if !rec.Applied {
				t.Fatalf("the quick fix %+v was not applied (no edit after resolve: %v)", *rec.Chosen, rec.Resolved)
			}
			for _, w := range c.want {
				if !strings.Contains(rec.After, w) {
					t.Errorf("after the quick fix %q the buffer lacks %q:\n%s", rec.Chosen.Title, w, rec.After)
				}
			}
			checkGo(t, "after the quick fix", rec.After)
			if !rec.DiagnosticGone {
				t.Errorf("the %s diagnostic was still published 10 s after the fix; publishDiagnostics seen: %v", c.code, r.Diagnostics)
			}
		})
	}
}

// action is a code action as the script records it.
type action struct {
	Title       string `json:"title"`
	Kind        string `json:"kind"`
	IsPreferred bool   `json:"isPreferred"`
}

// summary is the script's short view of a code action.
type summary struct {
	Title       string `json:"title"`
	Kind        string `json:"kind"`
	IsPreferred bool   `json:"isPreferred"`
	HasEdit     bool   `json:"has_edit"`
	HasCommand  bool   `json:"has_command"`
	HasData     bool   `json:"has_data"`
}
