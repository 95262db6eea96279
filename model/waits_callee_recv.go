package model

// calleeReceivesWhy is for a goroutine golens would otherwise say nothing
// waits for: when the starting function, after the go statement, hands a
// channel the goroutine sends on or closes to a call whose summary
// receives from it (a range in a helper of another file: writeReport(w,
// results)), that receive may be the wait — a range that ends only at the
// goroutine's close waits for it (held-out review r18l_multi_report: main
// waited through writeReport, and the typed tier said "Nothing in main
// waits for it"). golens does not judge such a wait through the call, so
// it says it cannot tell. "" when there is no such call.
func (b *builder) calleeReceivesWhy(g *Goroutine, ps *Summary) string {
	if ps == nil || g.Node == nil {
		return ""
	}
	sigs, _ := b.goEffects(g, func(k EffectKind) bool { return k == EffSend || k == EffClose })
	for _, e := range ps.Effects {
		if !e.At.IsValid() || e.InGo || e.At < g.End || e.Kind != EffRecv && e.Kind != EffRange || e.Via == "" {
			continue
		}
		for _, sg := range sigs {
			if sg.key != e.key && !b.aliased(sg.key, e.key) {
				continue
			}
			name := b.m.keyName(e.key)
			return "`" + name + "` is passed to `" + e.Via + "` at line " + itoa(b.m.Line(e.At)) + ", which receives from it (" + b.m.where(e.Pos) + "): golens does not follow whether that receive waits for this goroutine"
		}
	}
	return ""
}
