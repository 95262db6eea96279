package model

// A goroutine that counts itself in a WaitGroup with an Add in its own body
// (go func() { wg.Add(1); defer wg.Done(); … }()) is not proven waited for
// by that WaitGroup's Wait: the Wait can run before the Add, find the
// counter at zero and return at once (https://pkg.go.dev/sync#WaitGroup.Add:
// "calls with a positive delta that occur when the counter is zero must
// happen before a Wait"). wgmisuse reports the Add (File.CountsOwnGoroutine);
// the goroutine's wait fact says golens cannot tell. So does a goroutine
// that calls Done on some path besides its deferred Done (doubleDone).

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

// selfCounted reports whether g counts itself on key with an Add of its own,
// or may call Done on key twice (doubleDone).
func (b *builder) selfCounted(g *Goroutine, idx *goIndex, key VarKey) bool {
	return b.selfCountedAdd(g, idx, key) != nil || doubleDone(g, idx, key) != nil
}

// doubleDone is a Done on key in g's own body besides a deferred Done on
// it there: the path through it lowers the counter twice, so a Wait can
// return while g still runs (and the second Done panics with "sync:
// negative WaitGroup counter" unless another Add came in between). It
// returns that other Done, or nil.
func doubleDone(g *Goroutine, idx *goIndex, key VarKey) *WaitGroupOp {
	var deferred, other *WaitGroupOp
	for _, w := range idx.wgByGo(g) {
		if w.Kind != WGDone || w.Key != key || w.Func == nil || w.Func.GoBody != g {
			continue
		}
		if w.Deferred && deferred == nil {
			deferred = w
		} else if !w.Deferred && other == nil {
			other = w
		}
	}
	if deferred == nil {
		return nil
	}
	return other
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
		add, twice := b.selfCountedAdd(g, idx, sg.key), doubleDone(g, idx, sg.key)
		if add == nil && twice == nil {
			continue
		}
		for _, e := range ps.Effects {
			if e.Kind != EffWait || e.InGo || e.Pos <= g.End || (e.key != sg.key && !b.aliased(sg.key, e.key)) {
				continue
			}
			if add != nil {
				return "it calls `" + add.Recv + ".Add` itself, at line " + itoa(b.m.Line(add.Pos)) + ", so `" + add.Recv + ".Wait()` at line " + itoa(b.m.Line(e.Pos)) + " may run before that Add, find the counter at zero and return without waiting for it"
			}
			return "it calls `" + twice.Recv + ".Done()` at line " + itoa(b.m.Line(twice.Pos)) + " besides its deferred `" + twice.Recv + ".Done()`: on a path through line " + itoa(b.m.Line(twice.Pos)) + " the counter drops twice, so `" + twice.Recv + ".Wait()` at line " + itoa(b.m.Line(e.Pos)) + " can return while it still runs (and a Done on a zero counter panics: \"sync: negative WaitGroup counter\")"
		}
	}
	return ""
}
