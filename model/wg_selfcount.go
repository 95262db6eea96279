package model

// A goroutine that counts itself in a WaitGroup with an Add in its own body
// (go func() { wg.Add(1); defer wg.Done(); … }()) is not proven waited for
// by that WaitGroup's Wait: the Wait can run before the Add, find the
// counter at zero and return at once (https://pkg.go.dev/sync#WaitGroup.Add:
// "calls with a positive delta that occur when the counter is zero must
// happen before a Wait"). wgmisuse reports the Add (File.CountsOwnGoroutine);
// the goroutine's wait fact says golens cannot tell.

// selfCountedAdd is the Add in g's body on the WaitGroup key that counts g
// itself, or nil.
func (b *builder) selfCountedAdd(g *Goroutine, idx *goIndex, key VarKey) *WaitGroupOp {
	for _, w := range idx.wgByGo(g) {
		if w.Kind == WGAdd && w.Key == key && b.m.CountsOwnGoroutine(w) {
			return w
		}
	}
	return nil
}

// selfCounted reports whether g counts itself on key with an Add of its own.
func (b *builder) selfCounted(g *Goroutine, idx *goIndex, key VarKey) bool {
	return b.selfCountedAdd(g, idx, key) != nil
}

// selfCountedWhy says why golens cannot tell whether the starting function's
// Wait waits for g, when g counts itself with an Add of its own and that Wait
// follows the go statement; "" otherwise. It runs inside derive (crossWait).
func (b *builder) selfCountedWhy(g *Goroutine, idx *goIndex, ps *Summary, sigs []goSignal) string {
	if len(sigs) == 0 {
		return ""
	}
	for _, sg := range sigs {
		if sg.effect.Kind != EffDone {
			continue
		}
		add := b.selfCountedAdd(g, idx, sg.key)
		if add == nil {
			continue
		}
		for _, e := range ps.Effects {
			if e.Kind != EffWait || e.InGo || e.Pos <= g.End || (e.key != sg.key && !b.aliased(sg.key, e.key)) {
				continue
			}
			return "it calls `" + add.Recv + ".Add` itself, at line " + itoa(b.m.Line(add.Pos)) + ", so `" + add.Recv + ".Wait()` at line " + itoa(b.m.Line(e.Pos)) + " may run before that Add, find the counter at zero and return without waiting for it"
		}
	}
	return ""
}
