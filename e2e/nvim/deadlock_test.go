package nvim

import (
	"strings"
	"testing"
)

// deadlockSrc locks l.mu in Close and calls exit, which locks it again;
// CloseRight releases the lock before the call.
const deadlockSrc = `package main

import "sync"

type Logger struct {
	mu    sync.Mutex
	lines []string
}

func (l *Logger) Close() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.exit()
}

func (l *Logger) exit() {
	l.mu.Lock()
	l.lines = nil
	l.mu.Unlock()
}

func (l *Logger) CloseRight() {
	l.mu.Lock()
	n := len(l.lines)
	l.mu.Unlock()
	_ = n
	l.exit()
}

func main() {
	l := &Logger{}
	l.CloseRight()
	l.Close()
}
`

// TestDeadlockHover: once the typed tier reports the double lock, K on the
// Lock that is held shows, in Neovim's hover float, the deadlock section
// (this position's part, the check's explanation, the other lines); K on
// the call shows it too, though golens has no other hover there; K on the
// Lock of the correct function shows none. Neovim 0.10 also draws the
// "⚠ deadlock" inlay hints on the three lines involved.
func TestDeadlockHover(t *testing.T) {
	lock := at(t, deadlockSrc, "l.mu.Lock()\n\tdefer", 5)
	call := at(t, deadlockSrc, "l.exit()\n}\n\nfunc (l *Logger) exit", 2)
	right := at(t, deadlockSrc, "l.mu.Lock()\n\tn :=", 5)
	r := runNvim(t, "deadlock.lua", module(deadlockSrc), map[string]any{
		"lock_line": lock.Line, "lock_col": lock.Character,
		"call_line": call.Line, "call_col": call.Character,
		"right_line": right.Line, "right_col": right.Character,
	})
	var rec struct {
		Diagnostic      bool     `json:"diagnostic"`
		HoverLines      []string `json:"hover_lines"`
		CallHoverLines  []string `json:"call_hover_lines"`
		RightHoverLines []string `json:"right_hover_lines"`
		Drawn           []struct {
			Line    int    `json:"line"`
			Text    string `json:"text"`
			Tooltip string `json:"tooltip"`
		} `json:"drawn"`
	}
	r.decode(t, &rec)
	if !rec.Diagnostic {
		t.Fatalf("no deadlock diagnostic within 60 s (publishDiagnostics seen: %v)", r.Diagnostics)
	}
	hover := strings.Join(rec.HoverLines, "\n")
	t.Logf("Neovim's hover float on the first Lock:\n%s", hover)
	for _, want := range []string{"l.mu.Lock", "⚠ deadlock", "this position", "l.mu is locked here", "l.exit() locks l.mu (Lock at line 17)", "not reentrant", "line 13", "line 17", "golens explain deadlock"} {
		if !strings.Contains(hover, want) {
			t.Errorf("the hover float on the first Lock lacks %q", want)
		}
	}
	if call := strings.Join(rec.CallHoverLines, "\n"); !strings.Contains(call, "⚠ deadlock") || !strings.Contains(call, "reported here") {
		t.Errorf("the hover float on the call l.exit() has no deadlock section:\n%s", call)
	}
	if right := strings.Join(rec.RightHoverLines, "\n"); strings.Contains(right, "⚠") || !strings.Contains(right, "l.mu.Lock") {
		t.Errorf("the hover on the correct function's Lock should be golens's Lock hover without a deadlock section:\n%s", right)
	}
	if rec.Drawn == nil {
		t.Logf("Neovim %s draws no inlay hints (0.10+ does): hints not checked on screen", nvimVersion)
		return
	}
	drawn := map[int][]string{}
	for _, d := range rec.Drawn {
		drawn[d.Line] = append(drawn[d.Line], d.Text)
		if strings.Contains(d.Text, "⚠") && !strings.Contains(d.Tooltip, "not reentrant") {
			t.Errorf("the hint %q on line %d has no explanation tooltip: %q", d.Text, d.Line+1, d.Tooltip)
		}
	}
	t.Logf("inlay hints Neovim holds to draw, by 0-based line: %v", drawn)
	for _, line := range []int{lock.Line, call.Line, lineOf(t, deadlockSrc, "l.mu.Lock()\n\tl.lines = nil")} {
		if !strings.Contains(strings.Join(drawn[line], " "), "⚠ deadlock") {
			t.Errorf("Neovim has no ⚠ deadlock hint on line %d: %v", line+1, drawn[line])
		}
	}
	if strings.Contains(strings.Join(drawn[right.Line], " "), "⚠") {
		t.Errorf("Neovim has a deadlock hint on the correct function's Lock: %v", drawn[right.Line])
	}
}
