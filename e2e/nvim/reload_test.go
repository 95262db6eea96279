package nvim

import (
	"strings"
	"testing"
)

// TestReloadAndSave follows a finding through :e! (didClose, then didOpen
// with version 0 while later didChange versions continue from Neovim's
// changedtick) and :w (didSave): golens's diagnostics and hovers must track
// the buffer through each.
func TestReloadAndSave(t *testing.T) {
	fixLine := lineOf(t, unclosedRangeSrc, "for _, w := range") // insert before the sending loop
	r := runNvim(t, "reload.lua", module(unclosedRangeSrc), map[string]any{
		"fix_line": fixLine, "fix_text": "\t\tdefer close(ch)",
	})
	var rec struct {
		Checks []struct {
			Name           string `json:"name"`
			WantDiagnostic bool   `json:"want_diagnostic"`
			AsWanted       bool   `json:"as_wanted"`
			Diagnostic     bool   `json:"diagnostic"`
			Modified       bool   `json:"modified"`
			Attached       int    `json:"attached"`
			Hover          struct {
				Error string `json:"error"`
				Value string `json:"value"`
			} `json:"hover"`
		} `json:"checks"`
		Text       string `json:"text"`
		Reattached int    `json:"reattached"`
	}
	r.decode(t, &rec)
	if len(rec.Checks) != 6 {
		t.Fatalf("the script recorded %d of 6 steps", len(rec.Checks))
	}
	t.Logf("the FileType autocommand attached golens again %d times", rec.Reattached)
	for _, c := range rec.Checks {
		if c.Attached != 1 {
			t.Errorf("%s: %d clients attached to the buffer, want golens alone", c.Name, c.Attached)
		}
		if !c.AsWanted {
			t.Errorf("%s: unclosedrange diagnostic shown: %v, want %v (publishDiagnostics seen: %v)", c.Name, c.Diagnostic, c.WantDiagnostic, r.Diagnostics)
		}
		if c.Hover.Error != "" || !strings.Contains(c.Hover.Value, "**go**") {
			t.Errorf("%s: hover on go: error %q, text %q", c.Name, c.Hover.Error, c.Hover.Value)
		}
	}
	if !strings.Contains(rec.Text, "defer close(ch)\n\t\t// typed after the reload\n") {
		t.Errorf("the buffer is not what the steps should leave:\n%s", rec.Text)
	}
}
