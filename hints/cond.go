package hints

import (
	"strings"

	"github.com/golens/golens/model"
)

// condWaits emits the hints of the model's Cond waits (File.CondWaits).
func (s *state) condWaits() {
	for _, w := range s.m.CondWaits() {
		obj, at := s.off(w.Pos), s.off(w.Call.End())
		if s.skip(obj, at) {
			continue
		}
		name := "cond.wait"
		if s.onlyBroadcast(w) {
			name = "cond.wait.broadcast"
		}
		it := item{kind: Blocking, obj: obj, sub: 'b', off: at, label: label(name, labelArgs{})}
		if s.wantTip {
			it.tip, it.tipData = "cond.wait", blockTip{Subject: s.m.Text(w.Call.Pos(), w.Call.End())}
		}
		s.emit(&it)
	}
}

// onlyBroadcast reports whether the file wakes the Cond that w waits on
// only with Broadcast: every Signal or Broadcast call on a Cond of the
// same name (its last selector, q.cond and s.cond alike) is a Broadcast,
// and there is at least one. The label then names Broadcast, not Signal.
func (s *state) onlyBroadcast(w *model.CondWait) bool {
	name := lastName(w.Recv)
	n := 0
	for _, sig := range s.m.CondSignals() {
		if lastName(sig.Recv) != name {
			continue
		}
		if !sig.Broadcast {
			return false
		}
		n++
	}
	return n > 0
}

func lastName(expr string) string {
	if i := strings.LastIndexByte(expr, '.'); i >= 0 {
		return expr[i+1:]
	}
	return expr
}
