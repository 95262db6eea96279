package nvim

import (
	"strings"
	"testing"
)

const leaksWork = `package leaky

import "time"

// fetch gives up after d; the sender is then blocked forever.
func fetch(d time.Duration) (int, bool) {
	ch := make(chan int)
	go func() {
		time.Sleep(10 * d)
		ch <- 42
	}()
	select {
	case v := <-ch:
		return v, true
	case <-time.After(d):
		return 0, false
	}
}
`

const leaksTest = `package leaky

import (
	"testing"
	"time"
)

func TestTimeout(t *testing.T) {
	fetch(time.Millisecond)
	time.Sleep(50 * time.Millisecond)
}

func TestSlow(t *testing.T) { time.Sleep(10 * time.Minute) }
`

// TestFindLeaks runs golens.findLeaks from Neovim 0.7 through
// workspace/executeCommand, as the "find leaks" code lens over TestTimeout
// names it: Neovim then holds the leak as a diagnostic at the blocked send
// in work.go (source golens-leaks), the static timeoutleak finding on that
// line says TestTimeout confirmed it, an edit clears the leak, golens
// reported progress, and a test that sleeps past the leaks.timeout setting
// is stopped, the answer saying it timed out.
func TestFindLeaks(t *testing.T) {
	fx := fixture{files: map[string]string{"leaky/work.go": leaksWork, "leaky/work_test.go": leaksTest}, open: "leaky/work_test.go"}
	r := runNvim(t, "leaks.lua", fx, nil)
	type diag struct {
		Source  string `json:"source"`
		Message string `json:"message"`
		Lnum    int    `json:"lnum"`
		Col     int    `json:"col"`
	}
	var rec struct {
		LensError *string `json:"lens_error"`
		Lenses    []struct {
			Title   string `json:"title"`
			Line    int    `json:"line"`
			Command string `json:"command"`
		} `json:"lenses"`
		Run struct {
			Result *struct {
				Leaks   int    `json:"leaks"`
				Message string `json:"message"`
			} `json:"result"`
			Error *string `json:"error"`
		} `json:"run"`
		Progress []struct {
			Title   string `json:"title"`
			Message string `json:"message"`
			Done    bool   `json:"done"`
		} `json:"progress"`
		WorkUnopened []diag `json:"work_unopened"`
		WorkOpened   []diag `json:"work_opened"`
		WorkEdited   []diag `json:"work_edited"`
		Slow         struct {
			Result *struct {
				Leaks    int      `json:"leaks"`
				Problems []string `json:"problems"`
			} `json:"result"`
			Error *string `json:"error"`
			MS    int     `json:"ms"`
		} `json:"slow"`
	}
	r.decode(t, &rec)
	if r.LuaError != "" {
		t.Fatalf("lua error: %s", r.LuaError)
	}
	if len(rec.Lenses) != 2 || rec.Lenses[0].Title != "find leaks" || rec.Lenses[0].Line != 7 || rec.Lenses[1].Line != 12 || rec.Lenses[0].Command != "golens.findLeaks" {
		t.Fatalf("lenses = %+v, want find leaks on lines 8 and 13", rec.Lenses)
	}
	if rec.Run.Error != nil || rec.Run.Result == nil || rec.Run.Result.Leaks != 1 {
		t.Fatalf("the lens's command: result %+v, error %v; want 1 leak", rec.Run.Result, deref(rec.Run.Error))
	}
	if len(rec.Progress) == 0 || !strings.Contains(rec.Progress[0].Title, "finding leaked goroutines in TestTimeout") || !rec.Progress[0].Done {
		t.Errorf("progress = %+v, want a finished report titled for TestTimeout", rec.Progress)
	}
	const want = "goroutine blocked on chan send forever (leaked in TestTimeout); created at work.go:8"
	hasLeak := func(ds []diag) bool {
		for _, d := range ds {
			if d.Source == "golens-leaks" && d.Message == want && d.Lnum == 9 && d.Col == 2 {
				return true
			}
		}
		return false
	}
	if !hasLeak(rec.WorkUnopened) {
		t.Errorf("work.go (not open) diagnostics = %+v, want %q at 10:3", rec.WorkUnopened, want)
	}
	confirmed := false
	for _, d := range rec.WorkOpened {
		if d.Source == "golens" && d.Lnum == 9 && strings.Contains(d.Message, "confirmed by TestTimeout") {
			confirmed = true
		}
	}
	if !hasLeak(rec.WorkOpened) || !confirmed {
		t.Errorf("work.go (open) diagnostics = %+v, want the leak and the static finding confirmed by TestTimeout", rec.WorkOpened)
	}
	for _, d := range rec.WorkEdited {
		if d.Source == "golens-leaks" || strings.Contains(d.Message, "confirmed by") {
			t.Errorf("after an edit, still %+v", d)
		}
	}
	if rec.Slow.Result == nil || !strings.Contains(strings.Join(rec.Slow.Result.Problems, " "), "timed out after 5s") {
		t.Errorf("TestSlow run: result %+v, error %v; want the problem: timed out after 5s", rec.Slow.Result, deref(rec.Slow.Error))
	}
	// The problem above proves the timeout fired; this only catches a run
	// that then waited for TestSlow's ten-minute sleep anyway.
	if rec.Slow.MS > 60000 {
		t.Errorf("TestSlow run took %d ms with a 5 s timeout", rec.Slow.MS)
	}
}

func deref(s *string) string {
	if s == nil {
		return "<nil>"
	}
	return *s
}
