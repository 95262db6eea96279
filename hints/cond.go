package hints

// condWaits emits the hints of the model's Cond waits (File.CondWaits).
func (s *state) condWaits() {
	for _, w := range s.m.CondWaits() {
		obj, at := s.off(w.Pos), s.off(w.Call.End())
		if s.skip(obj, at) {
			continue
		}
		it := item{kind: Blocking, obj: obj, sub: 'b', off: at, label: label("cond.wait", labelArgs{})}
		if s.wantTip {
			it.tip, it.tipData = "cond.wait", blockTip{Subject: s.m.Text(w.Call.Pos(), w.Call.End())}
		}
		s.emit(&it)
	}
}
