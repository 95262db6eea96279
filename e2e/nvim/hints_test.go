package nvim

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf16"
)

const hintsSrc = `package main

import (
	"fmt"
	"time"
)

func main() {
	ch := make(chan int)
	defer fmt.Println("written first")
	defer fmt.Println("written second")
	go func() {
		ch <- 42
	}()
	select {
	case v := <-ch:
		fmt.Println(v)
	case <-time.After(time.Second):
		fmt.Println("timeout")
	}
}
`

// maxHintLabel is how long an inlay hint label may be: hints sit inside
// code lines and must stay short.
const maxHintLabel = 24

type inlayHint struct {
	Position position        `json:"position"`
	Label    json.RawMessage `json:"label"` // string or InlayHintLabelPart[]
	Kind     int             `json:"kind"`
	text     string
}

// labelText joins a label given as a string or as label parts.
func labelText(raw json.RawMessage) (string, bool) {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s, true
	}
	var parts []struct {
		Value string `json:"value"`
	}
	if json.Unmarshal(raw, &parts) != nil {
		return "", false
	}
	var b strings.Builder
	for _, p := range parts {
		b.WriteString(p.Value)
	}
	return b.String(), true
}

func TestInlayHints(t *testing.T) {
	// The partial request covers the select and nothing before it.
	selectLine := lineOf(t, hintsSrc, "select {")
	partial := lspRange{Start: position{Line: selectLine, Character: 0}, End: position{Line: selectLine + 3, Character: 0}}
	r := runNvim(t, "hints.lua", module(hintsSrc), map[string]any{"partial": partial})
	var rec struct {
		Error   string      `json:"error"`
		Null    bool        `json:"null"`
		Hints   []inlayHint `json:"hints"`
		Partial struct {
			Error string      `json:"error"`
			Hints []inlayHint `json:"hints"`
		} `json:"partial"`
	}
	r.decode(t, &rec)
	if rec.Error != "" {
		t.Fatalf("textDocument/inlayHint: %s", rec.Error)
	}
	// Neovim 0.7 sends the request regardless; 0.10's
	// vim.lsp.inlay_hint.enable (and VS Code) ask only servers that
	// advertise the capability.
	if p, ok := r.ServerCapabilities["inlayHintProvider"]; !ok || p == false {
		t.Errorf("the initialize result does not advertise inlayHintProvider (got %v): Neovim 0.10+ will never ask golens for hints", p)
	}
	if rec.Null || len(rec.Hints) == 0 {
		t.Fatalf("textDocument/inlayHint for the whole file answered no hints (null: %v)", rec.Null)
	}

	lines := strings.Split(hintsSrc, "\n")
	byLine := map[int][]string{}
	for i := range rec.Hints {
		h := &rec.Hints[i]
		text, ok := labelText(h.Label)
		if !ok {
			t.Errorf("hint at %d:%d: label is neither a string nor label parts: %s", h.Position.Line, h.Position.Character, h.Label)
			continue
		}
		h.text = text
		byLine[h.Position.Line] = append(byLine[h.Position.Line], text)
		if n := len(strings.TrimSpace(text)); n > maxHintLabel {
			t.Errorf("hint at %d:%d: label %q is %d characters, want at most %d", h.Position.Line, h.Position.Character, text, n, maxHintLabel)
		}
		if h.Position.Line >= len(lines) || h.Position.Character > len(utf16.Encode([]rune(lines[h.Position.Line]))) {
			t.Errorf("hint at %d:%d (%q) is outside the file", h.Position.Line, h.Position.Character, text)
		}
		if h.Kind != 0 && h.Kind != 1 && h.Kind != 2 {
			t.Errorf("hint at %d:%d: kind %d is not 1 (Type) or 2 (Parameter)", h.Position.Line, h.Position.Character, h.Kind)
		}
	}
	t.Logf("hints by line: %v", byLine)

	if rec.Partial.Error != "" {
		t.Errorf("textDocument/inlayHint for lines %d-%d: %s", partial.Start.Line, partial.End.Line, rec.Partial.Error)
	}
	if len(rec.Partial.Hints) == 0 {
		t.Errorf("textDocument/inlayHint for lines %d-%d (the select) answered no hints", partial.Start.Line, partial.End.Line)
	}
	for _, h := range rec.Partial.Hints {
		if h.Position.Line < partial.Start.Line || h.Position.Line > partial.End.Line {
			t.Errorf("asked for hints in lines %d-%d, got one at %d:%d", partial.Start.Line, partial.End.Line, h.Position.Line, h.Position.Character)
		}
	}

	for _, c := range []struct {
		what   string
		marker string
		anyOf  []string // the line has a hint containing one of these
	}{
		{"the unbuffered send", "ch <- 42", []string{"wait", "block", "receiver"}},
		{"the select without default", "select {", []string{"until", "block"}},
		{"the first defer (runs 2nd)", `defer fmt.Println("written first")`, []string{"2nd"}},
		{"the second defer (runs 1st)", `defer fmt.Println("written second")`, []string{"1st"}},
	} {
		line := lineOf(t, hintsSrc, c.marker)
		found := false
		for _, text := range byLine[line] {
			for _, w := range c.anyOf {
				if strings.Contains(text, w) {
					found = true
				}
			}
		}
		if !found {
			t.Errorf("no hint on %s (line %d, %q) containing any of %q; hints there: %q", c.what, line, strings.TrimSpace(lines[line]), c.anyOf, byLine[line])
		}
	}
}

// TestSettingsFromInitOptions passes golens settings the way a Neovim
// configuration does, as start_client's init_options.
func TestSettingsFromInitOptions(t *testing.T) {
	deferLine := lineOf(t, hintsSrc, `defer fmt.Println("written first")`)
	sendLine := lineOf(t, hintsSrc, "ch <- 42")
	for _, c := range []struct {
		name        string
		initOptions any
		defersShown bool
	}{
		{"defer hints off", map[string]any{"golens": map[string]any{"hints": map[string]any{"defers": false}}}, false},
		{"bare object", map[string]any{"hints": map[string]any{"defers": false}}, false},
		// A configuration with init_options = {}: Neovim encodes an empty
		// Lua table as [], and that must mean "no settings", quietly.
		{"empty table sent as []", "{}", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := runNvim(t, "hints.lua", module(hintsSrc), map[string]any{"init_options": c.initOptions})
			var rec struct {
				Error string      `json:"error"`
				Hints []inlayHint `json:"hints"`
			}
			r.decode(t, &rec)
			if rec.Error != "" {
				t.Fatalf("textDocument/inlayHint: %s", rec.Error)
			}
			var onDefer, onSend bool
			for _, h := range rec.Hints {
				onDefer = onDefer || h.Position.Line == deferLine
				onSend = onSend || h.Position.Line == sendLine
			}
			if onDefer != c.defersShown {
				t.Errorf("defer hint shown: %v, want %v (init_options %v)", onDefer, c.defersShown, c.initOptions)
			}
			if !onSend {
				t.Errorf("no blocking hint on the send: settings switched off more than asked (init_options %v)", c.initOptions)
			}
			for _, m := range r.LogMessages {
				if m.Type <= 2 { // Error, Warning
					t.Errorf("golens warned about init_options %v: %s", c.initOptions, m.Message)
				}
			}
		})
	}
}
