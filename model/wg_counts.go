package model

// CountsOwnGoroutine reports whether w, an Add made inside the body of a
// goroutine literal (WaitGroupOp.InGo), counts that goroutine itself: the
// goroutine calls Done on the same WaitGroup, and no goroutine started
// after the Add, inside the first one, calls Done on it (then the Add
// counts that nested goroutine before it starts, which is right: the
// outer goroutine was counted before it started, so Wait cannot return
// before this Add). When it does, Wait may run before the Add and return
// while the goroutine still works. The wgmisuse check's "Add inside the
// goroutine it counts" and the Add hover read this one answer.
func (m *File) CountsOwnGoroutine(w *WaitGroupOp) bool {
	g := w.InGo
	if w.Kind != WGAdd || g == nil || g.Body == nil || !w.Key.Valid() {
		return false
	}
	counts := false
	for _, o := range m.WaitGroups {
		if o.Kind != WGDone || o.Key != w.Key || o.Recv != w.Recv {
			continue
		}
		if o.InGo == g {
			counts = true
		} else if o.InGo != nil && o.InGo.Pos > w.Pos && o.InGo.Pos < g.End {
			return false // a nested goroutine started after the Add
		}
	}
	return counts
}
