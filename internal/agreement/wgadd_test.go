package agreement_test

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/golens/golens/checks/wgmisuse"
	"github.com/golens/golens/model"
)

// TestAddInsideGoroutine: the wgmisuse finding "Add inside the goroutine
// it counts" and the Add hover ("It runs inside the goroutine it counts")
// read the same model fact (File.CountsOwnGoroutine): every Add the check
// flags carries the hover's claim, and no Add whose goroutine it does not
// count (an Add for a nested goroutine started after it, as in
// nestedAdd and addInsideForInner) does.
func TestAddInsideGoroutine(t *testing.T) {
	const claim = "It runs inside the goroutine it counts"
	checked, flagged, nested := 0, 0, 0
	for _, m := range models(t, "wgmisuse") {
		found := findingsAt(wgmisuse.Syntax(m))
		for _, w := range m.WaitGroups {
			if w.Kind != model.WGAdd {
				continue
			}
			checked++
			h := hoverAt(m, m.Offset(w.Pos))
			says := strings.Contains(h, claim)
			if d, ok := found[int(w.Call.Pos())]; ok && strings.Contains(d.Message, "inside the goroutine it counts") {
				flagged++
				if !says {
					t.Errorf("%s:%d: the check flags the Add, the hover does not say so:\n%s", m.Fset.Position(w.Pos).Filename, m.Line(w.Pos), h)
				}
			}
			if says != m.CountsOwnGoroutine(w) {
				t.Errorf("%s:%d: hover claim %v, model fact %v", m.Fset.Position(w.Pos).Filename, m.Line(w.Pos), says, m.CountsOwnGoroutine(w))
			}
			top := m.FuncAt(w.Pos)
			for top != nil && top.Parent != nil {
				top = top.Parent
			}
			if says && w.InGo != nil && top != nil && (top.Name == "nestedAdd" || top.Name == "addInsideForInner") {
				t.Errorf("line %d: the Add counts the nested goroutine started after it, yet the hover says it counts its own", m.Line(w.Pos))
				nested++
			} else if w.InGo != nil && top != nil && (top.Name == "nestedAdd" || top.Name == "addInsideForInner") {
				nested++
			}
		}
	}
	if flagged < 2 || checked < 10 || nested < 2 {
		t.Fatalf("checked %d Adds, %d flagged, %d nested: testdata moved?", checked, flagged, nested)
	}
}

// TestDoneNamesTheWaiter: the Done hover's "Wait at line N" and the go
// statement's hover "waits for it with wg.Wait() at line N" name the same
// Wait (Goroutine.WaitPos), and the Done hover never names a Wait that its
// own goroutine reaches before the Done has run (that Wait waits for the
// Done: wgmisuse's self-wait).
func TestDoneNamesTheWaiter(t *testing.T) {
	goWait := regexp.MustCompile("waits for it with `[^`]+\\.Wait\\(\\)` at line (\\d+)")
	doneWait := regexp.MustCompile("`Wait` at line (\\d+)")
	compared := 0
	for _, m := range models(t, "wgmisuse") {
		for _, w := range m.WaitGroups {
			if w.Kind != model.WGDone || w.InGo == nil {
				continue
			}
			dh := hoverAt(m, m.Offset(w.Pos))
			dm := doneWait.FindStringSubmatch(dh)
			gm := goWait.FindStringSubmatch(hoverAt(m, m.Offset(w.InGo.Pos)))
			if dm != nil && gm != nil {
				compared++
				if dm[1] != gm[1] {
					t.Errorf("line %d: the Done hover names the Wait at line %s, the go hover the one at line %s", m.Line(w.Pos), dm[1], gm[1])
				}
			}
			if dm == nil {
				continue
			}
			for _, o := range m.WaitGroups {
				if o.Kind != model.WGWait || strconv.Itoa(m.Line(o.Pos)) != dm[1] || o.Pos < w.InGo.Pos || o.Pos >= w.InGo.End {
					continue
				}
				if w.Deferred || o.Pos < w.Pos {
					t.Errorf("line %d: the Done hover names the Wait at line %s, which its own goroutine reaches first", m.Line(w.Pos), dm[1])
				}
			}
		}
	}
	if compared < 2 {
		t.Fatalf("compared %d Done and go hovers: testdata moved?", compared)
	}
}
