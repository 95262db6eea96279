package model

import "go/token"

// Coverage through calls: the same operation in every branch, when some
// branches do it through a call. `if n%2 == 0 { close(ch) } else {
// shut(ch) }` closes ch on every path of produce, as `if ... { close(ch) }
// else { close(ch) }` does; the builder's first coverage pass (covers, in
// summarize) sees only the operations written in the function itself,
// because a callee's effects are known only once the summaries are
// composed. This pass runs after composition: in each summary of the
// file, it groups the effects that are Possible only because their
// operation or call is on some paths of the function's own body (onlyHere)
// and asks covers whether every path runs one of them. An upgraded effect
// is then carried to the callers whose call runs on every path, and to the
// functions enclosing a function literal that runs where it stands, until
// nothing changes.

// coverGroup is one operation on one value, as coverage groups it.
type coverGroup struct {
	kind EffectKind
	key  VarKey
	inGo bool
}

// coverThroughCalls upgrades to Proven the effects of the file's summaries
// that every path runs, directly in some branches and through calls in
// others. Only this file's summaries change; a callee's summary from the
// lookup or the standard library is read, never written.
func (b *builder) coverThroughCalls(list []*Summary) {
	type caller struct {
		s  *Summary
		cs *callSite
	}
	var callers map[*Summary][]caller
	dirty := make(map[*Summary]bool, len(list))
	for _, s := range list {
		dirty[s] = true
	}
	for round := 0; round < 16 && len(dirty) > 0; round++ {
		changed := map[*Summary]bool{}
		for _, s := range list {
			if dirty[s] && b.coverSummary(s) {
				changed[s] = true
			}
		}
		if len(changed) == 0 {
			return
		}
		if callers == nil {
			callers = map[*Summary][]caller{}
			for _, s := range list {
				for _, cs := range s.calls {
					if cs.resolved != nil && cs.resolved != s {
						callers[cs.resolved] = append(callers[cs.resolved], caller{s, cs})
					}
				}
			}
		}
		dirty = map[*Summary]bool{}
		// Carry each change outward until it stops: to the enclosing
		// functions of a literal, and to callers.
		queue := make([]*Summary, 0, len(changed))
		for s := range changed {
			queue = append(queue, s)
		}
		for len(queue) > 0 {
			s := queue[0]
			queue = queue[1:]
			if p := b.enclosingCover(s); p != nil {
				dirty[p] = true
				queue = append(queue, p)
			}
			for _, c := range callers[s] {
				if up, candidate := carryCover(c.s, c.cs); up || candidate {
					dirty[c.s] = true
					if up {
						queue = append(queue, c.s)
					}
				}
			}
		}
	}
}

// coverSummary runs coverage on the groups of s's effects that include a
// call, and upgrades a covered group; it reports whether any changed.
func (b *builder) coverSummary(s *Summary) bool {
	var groups map[coverGroup][]*Effect
	for _, e := range s.Effects {
		if !e.onlyHere || e.Certainty != Possible || e.Kind == EffEscape || e.Kind == EffReturn {
			continue
		}
		if groups == nil {
			groups = map[coverGroup][]*Effect{}
		}
		g := coverGroup{e.Kind, e.key, e.InGo}
		groups[g] = append(groups[g], e)
	}
	changed := false
	for _, list := range groups {
		calls := false
		var ps []token.Pos
		for _, e := range list {
			p := e.Pos
			if e.At.IsValid() {
				p, calls = e.At, true
			}
			if len(ps) == 0 || ps[len(ps)-1] != p {
				ps = append(ps, p)
			}
		}
		// Operations written only in the function itself were decided
		// by summarize's own coverage pass; one call, not in a `for {`,
		// is on some paths as mustAt said.
		if !calls || len(ps) < 2 && !b.mustOf(s.Func).endless {
			continue
		}
		if b.covers(s.Func, ps) {
			for _, e := range list {
				e.Certainty, e.onlyHere, e.byCover = Proven, false, true
			}
			changed = true
		}
	}
	return changed
}

// carryCover updates, in caller s, the effects of the call cs whose
// callee effect is Proven now: Proven when the call runs on every path of
// s, or a coverage candidate (onlyHere) when it is written in s's own
// body on some paths. up reports an effect made Proven, candidate one
// made a candidate.
func carryCover(s *Summary, cs *callSite) (up, candidate bool) {
	at := cs.call.Pos()
	for _, e := range cs.resolved.Effects {
		if e.Certainty != Proven || e.Kind == EffEscape || e.Kind == EffReturn {
			continue
		}
		for _, ne := range s.Effects {
			if ne.At != at || ne.Pos != e.Pos || ne.Kind != e.Kind || ne.Certainty != Possible {
				continue
			}
			switch {
			case cs.mustIn(s):
				ne.Certainty, ne.onlyHere, ne.byCover = Proven, false, e.byCover
				up = true
			case cs.fn == s.Func && !ne.onlyHere:
				ne.onlyHere = true
				candidate = true
			}
		}
	}
	return up, candidate
}

// enclosingCover carries the Proven effects of a function literal's
// summary to the summary of the function that encloses it, when the
// literal runs where it stands on every path and is not handed to
// another function; it returns that summary when an effect changed.
func (b *builder) enclosingCover(s *Summary) *Summary {
	f := s.Func
	if f == nil || !f.Lit || f.Parent == nil || b.ss.passedLit[f.Pos] || !b.litRunsAlways(f) {
		return nil
	}
	p := b.m.summaryOf[f.Parent]
	if p == nil {
		return nil
	}
	changed := false
	for _, e := range s.Effects {
		if e.Certainty != Proven || e.Kind == EffEscape || e.Kind == EffReturn {
			continue
		}
		for _, pe := range p.Effects {
			if pe.Pos == e.Pos && pe.At == e.At && pe.Kind == e.Kind && pe.Certainty == Possible && !pe.onlyHere {
				pe.Certainty, pe.byCover = Proven, e.byCover
				changed = true
			}
		}
	}
	if !changed {
		return nil
	}
	return p
}
