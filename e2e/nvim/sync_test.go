package nvim

import (
	"strings"
	"testing"
)

const syncSrc = `package main

import "fmt"

func main() {
	ch := make(chan string)
	defer fmt.Println("a")
	defer fmt.Println("b")
	go func() {
		ch <- "é"
	}()
	for w := range ch {
		fmt.Println(w)
	}
}
`

// TestIncrementalSync edits the buffer through Neovim (lines with
// characters outside the BMP, a deleted line, :join, x on a multi-byte
// character, undo) and checks that golens's copy follows: hovers at the
// constructs' new places answer for them, with ranges over their text,
// and the unclosedrange diagnostic moves with its loop.
func TestIncrementalSync(t *testing.T) {
	type probe struct {
		Name string `json:"name"`
		Find string `json:"find"`
	}
	probes := []struct {
		probe
		hover string // the hover's first line contains this
		text  string // the hover range's text contains this
	}{
		{probe{"go after a typed comment", "go func"}, "**go**", "go"},
		{probe{"send with é", `<- "é"`}, "send", "<-"},
		{probe{"defer 2 of 2", `defer fmt.Println("b")`}, "defer 2 of 2", "defer"},
		{probe{"defer 1 of 2", `defer fmt.Println("a")`}, "defer 1 of 2", "defer"},
	}
	var params struct {
		Probes []probe `json:"probes"`
	}
	for _, p := range probes {
		params.Probes = append(params.Probes, p.probe)
	}
	r := runNvim(t, "sync.lua", module(syncSrc), params)
	var rec struct {
		Text   string `json:"text"`
		Probes []struct {
			Name     string    `json:"name"`
			Found    bool      `json:"found"`
			Position position  `json:"position"`
			Error    string    `json:"error"`
			Value    string    `json:"value"`
			Range    *lspRange `json:"range"`
			Text     string    `json:"text"`
		} `json:"probes"`
		DiagOnLine   bool   `json:"diag_on_line"`
		DiagLine     int    `json:"diag_line"`
		WantDiagLine int    `json:"want_diag_line"`
		DiagText     string `json:"diag_text"`
	}
	r.decode(t, &rec)
	for _, w := range []string{"// 🚀 héllo wörld 🚀\nfunc main", "/* ü🚀 */ go func", "defer fmt.Println(\"b\")\n\tx := \"🚀\" + \"!\"\n\t_ = x\n", "import \"fmt\"\n// 🚀"} {
		if !strings.Contains(rec.Text, w) {
			t.Fatalf("the edits did not leave the buffer as planned (want %q in it):\n%s", w, rec.Text)
		}
	}
	if strings.Contains(rec.Text, "temp") {
		t.Fatalf("undo did not remove the typed line:\n%s", rec.Text)
	}
	if len(rec.Probes) != len(probes) {
		t.Fatalf("the script recorded %d probes, want %d", len(rec.Probes), len(probes))
	}
	for i, p := range probes {
		got := rec.Probes[i]
		if !got.Found {
			t.Errorf("%s: %q is not in the buffer", p.Name, p.Find)
			continue
		}
		if got.Error != "" {
			t.Errorf("%s: hover at %d:%d: %s", p.Name, got.Position.Line, got.Position.Character, got.Error)
			continue
		}
		first, _, _ := strings.Cut(got.Value, "\n")
		if !strings.Contains(first, p.hover) {
			t.Errorf("%s: hover at %d:%d begins %q, want %q in it: golens's copy of the buffer differs from Neovim's", p.Name, got.Position.Line, got.Position.Character, first, p.hover)
		}
		if got.Range == nil {
			t.Errorf("%s: hover has no range", p.Name)
		} else if !strings.Contains(got.Text, p.text) {
			t.Errorf("%s: hover range %+v covers %q in Neovim's buffer, want text containing %q", p.Name, *got.Range, got.Text, p.text)
		}
	}
	if !rec.DiagOnLine {
		t.Errorf("the unclosedrange diagnostic is on line %d (%q), want line %d, where the loop now is", rec.DiagLine, rec.DiagText, rec.WantDiagLine)
	}
}
