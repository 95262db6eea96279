package agreement_test

import (
	"testing"
)

// TestCondOps: the Cond hints and condwait read the model's Cond
// operations (File.CondWaits, File.CondSignals): every Wait carries the
// "waits for Signal" hint ("waits for Broadcast" where only Broadcast
// wakes it), and no Signal or Broadcast carries a blocking
// hint (they never block).
func TestCondOps(t *testing.T) {
	waits, signals := 0, 0
	for _, m := range models(t, "condwait") {
		for _, w := range m.CondWaits() {
			waits++
			labels, _ := hintsIn(t, m, m.Offset(w.Pos), m.Offset(w.Call.End()))
			if !contains(labels, "waits for Signal") && !contains(labels, "waits for Broadcast") {
				t.Errorf("%s: the model records a Cond wait, the hints say %q", m.Position(w.Pos), labels)
			}
		}
		for _, s := range m.CondSignals() {
			signals++
			if labels, _ := hintsIn(t, m, m.Offset(s.Pos), m.Offset(s.Call.End())); len(labels) > 0 {
				t.Errorf("%s: %s.Signal/Broadcast never blocks, the hints say %q", m.Position(s.Pos), s.Recv, labels)
			}
		}
	}
	t.Logf("%d waits, %d signals", waits, signals)
	if waits < 5 || signals < 3 {
		t.Errorf("only %d Cond waits and %d signals checked", waits, signals)
	}
}
