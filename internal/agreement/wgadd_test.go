package agreement_test

import (
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
