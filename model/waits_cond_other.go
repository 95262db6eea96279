package model

// condSignalForOtherGoroutine explains why a goroutine nothing waits for
// directly may still be waited for: it signals a Cond that another
// goroutine the starting function starts waits on, and the starting
// function later waits on something that other goroutine signals (truth
// program r17i_cond_embedded_pushers: `go q.push(n)` signals q.cond, the
// collector started by `go collect(q, len(names), out)` waits on it in
// pop, and main's <-out waits for the collector, which pops only what
// pushes appended). Whether waiting for the other goroutine waits for this
// one golens does not follow. wait is the first wait of the starting
// function after the go statement; "" when there is none or no such
// goroutine.
func (b *builder) condSignalForOtherGoroutine(g *Goroutine, ps *Summary, sigs []goSignal, after func(*Effect) bool) string {
	for _, sg := range sigs {
		if sg.effect.Kind != EffSignal {
			continue
		}
		for _, cw := range ps.Effects {
			if !cw.InGo || cw.Kind != EffCondWait || cw.key != sg.key && !b.aliased(cw.key, sg.key) {
				continue
			}
			g2 := b.goOfEffect(g, cw)
			if g2 == nil {
				continue
			}
			// A wait of the starting function, after g's go statement, on
			// what g2 signals.
			for _, s2 := range ps.Effects {
				if !s2.InGo || !s2.Kind.signals() || b.goOfEffect(g, s2) != g2 {
					continue
				}
				for _, w := range ps.Effects {
					if w.InGo || !w.Kind.waits() || w.Kind == EffCondWait || !after(w) || w.key != s2.key && !b.aliased(w.key, s2.key) {
						continue
					}
					where := w.Pos
					if w.At.IsValid() {
						where = w.At
					}
					return "the goroutine signals " + b.valueName(sg.key) + " (" + b.m.where(sg.effect.Pos) + "), on which the goroutine started at line " +
						itoa(b.m.Line(g2.Pos)) + " waits (" + b.m.where(cw.Pos) + "), and " + starterName(g.Func) + " " + w.Kind.String() + " " + b.valueName(w.key) +
						" at line " + itoa(b.m.Line(where)) + ", which that goroutine " + s2.Kind.String() + " (" + b.m.where(s2.Pos) + "); golens does not follow whether waiting for that goroutine waits for this one"
				}
			}
		}
	}
	return ""
}

// goOfEffect is the goroutine, started by g's starting function and other
// than g, that makes e, an effect of that function's summary made in a
// goroutine (InGo): the go statement e comes through (At), or whose
// function literal holds it. nil when there is none.
func (b *builder) goOfEffect(g *Goroutine, e *Effect) *Goroutine {
	p := e.Pos
	if e.At.IsValid() {
		p = e.At
	}
	for _, g2 := range b.m.Goroutines {
		if g2 != g && g2.Func == g.Func && p >= g2.Pos && p < g2.End {
			return g2
		}
	}
	return nil
}
