package model

// childSignalWhy says why golens cannot tell whether a goroutine is waited
// for when the only signal a wait of the starting function matches is made
// by a goroutine that goroutine starts, not by the goroutine itself (truth
// program r17g_lock_early_return: `go serve(st, reqs)`, where serve starts
// a goroutine per request that sends on r.reply; main's <-r.reply waits
// for that per-request goroutine, not for serve).
func (b *builder) childSignalWhy(g *Goroutine, e *Effect) string {
	name := b.valueName(e.key)
	if name == "" {
		name = "the value the wait is on"
	}
	who := "a goroutine it starts"
	if line := b.childGoLine(g, e); line > 0 {
		who = "the goroutine it starts at line " + itoa(line)
	}
	return "the " + effectNoun(e.Kind) + " " + name + " (" + b.m.where(e.Pos) + ") is made by " + who + ", not by this goroutine; golens does not follow whether waiting for that goroutine waits for this one"
}

// effectNoun names the signal: "close of", "send on".
func effectNoun(k EffectKind) string {
	switch k {
	case EffClose:
		return "close of"
	case EffSend:
		return "send on"
	case EffDone:
		return "Done call on"
	case EffCancel:
		return "call of"
	case EffSignal:
		return "Signal or Broadcast of"
	}
	return k.String()
}

// childGoLine is the line of the go statement, inside what g runs, that
// starts the goroutine making e; 0 when golens cannot name it.
func (b *builder) childGoLine(g *Goroutine, e *Effect) int {
	if e.At.IsValid() {
		if e.ViaGo {
			return b.m.Line(e.At)
		}
		return 0
	}
	for f := b.m.funcAt(e.Pos); f != nil && f != g.Body; f = f.Parent {
		if f.GoBody != nil {
			return b.m.Line(f.GoBody.Pos)
		}
	}
	return 0
}
