package model

import (
	"fmt"
	"testing"
)

// TestWaitFactsOrderFree checks that what the model says waits for a
// goroutine does not depend on which fact was read first. The wait is
// searched before the file's summaries are computed (ensureWait), and a
// reader that hovers the go statement first must hear what one that
// hovered a range first hears: a search that read a summary-derived field
// before it was filled said "Nothing in main waits for it" for a goroutine
// whose second send a helper receives (truth case
// review9_second_send_received_by_helper).
func TestWaitFactsOrderFree(t *testing.T) {
	compared := 0
	for _, s := range projectTestSources(t) {
		fresh := Parse(s.name, s.src)
		full := Parse(s.name, s.src)
		full.Summaries()
		if len(fresh.Goroutines) != len(full.Goroutines) {
			t.Fatalf("%s: %d goroutines, then %d", s.name, len(fresh.Goroutines), len(full.Goroutines))
		}
		for i, g := range fresh.Goroutines {
			got, want := waitFacts(g), waitFacts(full.Goroutines[i])
			if got != want {
				t.Errorf("%s: go statement at line %d: read first\n%s\nread after the summaries\n%s", s.name, fresh.Line(g.Pos), got, want)
			}
			compared++
		}
	}
	if compared < 500 {
		t.Fatalf("compared only %d go statements; the walk of the test data is broken", compared)
	}
}

func waitFacts(g *Goroutine) string {
	return fmt.Sprintf("waited by %q at %d, gives up %q, one %q, blocks %v, %+v", g.WaitedBy(), g.WaitPos(), g.WaitGiveUp(), g.waitsForOne, g.sendBlocks, g.Waited())
}
