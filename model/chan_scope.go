package model

import (
	"go/ast"
	"sort"
)

// The close facts of one channel — Closed, Indirect, the closes that run
// on some paths, NeverSent — read the function summaries, which the model
// computes for the whole file at once (derived.ensure). A hover on a range
// or a receive needs the facts of one channel only: for a local channel
// or a parameter (syntax tier), they come from the summaries of the
// top-level function declaring it and of the functions it may call,
// transitively — no other function can hold the channel's variable. Those
// are summarised alone, on a copy of the builder, and the channel's facts
// derived from them exactly as the whole-file derivation does. The answer
// is the same (TestScopedChanFactsAgree compares them on every test
// file); the cost is that of the functions involved, not of the file.
//
// Any other channel (a field, a package-level variable, the typed tier
// with its package summaries, a channel holding another's value), a model
// whose whole-file facts are already computed, and every channel once a
// model's scopes have cost about one whole-file derivation (a reader
// going through all channels) read the whole-file facts.

// chanFacts are the summary-derived facts of one channel.
type chanFacts struct {
	indirect   []ChanUse
	closed     Fact
	someCloses map[*ChanOp]string
	neverSent  bool
	noSend     bool // noSendInFile
	// funcs is the number of functions summarised for them.
	funcs int
}

// maxScopedRuns bounds the channels of one model whose facts come from a
// scope; each scope costs a pass over the file's operations besides its
// summaries.
const maxScopedRuns = 8

// facts returns c's summary-derived facts: from the whole-file derivation
// when it has run (or c is not one a scope decides), else from the
// summaries of c's own functions.
func (c *Chan) facts() chanFacts {
	d := c.derived
	if d != nil && !d.full.Load() {
		d.scopedMu.Lock()
		f, done := d.scoped[c]
		if d.full.Load() {
			f, done = nil, true // computed while this reader waited
		}
		if !done {
			// A budget keeps the scopes' total cost within a few whole-file
			// derivations: a reader going through every channel (a
			// whole-file hint request, or one function holding every
			// channel of a huge file) soon gets the whole-file facts.
			if d.scopedRuns < maxScopedRuns {
				d.scopedRuns++
				f = d.b.scopedChanFacts(c, len(d.b.m.Funcs)-d.scopedFuncs)
				if f != nil {
					d.scopedFuncs += f.funcs
				}
			}
			if d.scoped == nil {
				d.scoped = map[*Chan]*chanFacts{}
			}
			d.scoped[c] = f
		}
		d.scopedMu.Unlock()
		if f != nil {
			return *f
		}
		d.ensure()
	}
	return chanFacts{indirect: c.indirect, closed: c.closed, someCloses: c.someCloses, neverSent: c.neverSent, noSend: c.noSendInFile}
}

// scopedChanFacts computes c's facts from the summaries of the functions
// that can reach it; nil when c is not a channel a scope decides, or when
// its scope holds more than maxFuncs functions.
func (b *builder) scopedChanFacts(c *Chan, maxFuncs int) *chanFacts {
	m := b.m
	if m.Info != nil || b.ss.lookup != nil || c.IsField || !(c.Local || c.IsParam) || !c.Decl.IsValid() {
		return nil
	}
	for _, a := range b.ss.aliases {
		if a.to == c.Key && a.from != c.Key {
			return nil // holds another channel's value: that one's facts decide (aliasOriginFact)
		}
	}
	topOf := func(f *Func) *Func {
		for f != nil && f.Parent != nil {
			f = f.Parent
		}
		return f
	}
	var home *Func
	for _, f := range m.Funcs {
		if !f.Lit && f.Body != nil && c.Decl >= f.Pos && c.Decl < f.End {
			home = f
			break
		}
	}
	if home == nil {
		return nil
	}
	in := b.calledClosure(home, topOf)

	// A copy of the builder whose model holds those functions and their
	// operations only (every function a call of theirs resolves to is
	// among them), with copies of their calls (summarising writes to
	// a call) and a paths index of its own.
	m2 := *m
	m2.Funcs, m2.ChanOps, m2.Locks, m2.WaitGroups, m2.CtxCalls = nil, nil, nil, nil, nil
	m2.summaries, m2.summaryOf = nil, nil
	for _, f := range m.Funcs {
		if in[topOf(f)] {
			m2.Funcs = append(m2.Funcs, f) // in source order, as funcAt needs
		}
	}
	if len(m2.Funcs) > maxFuncs {
		return nil
	}
	for _, op := range m.ChanOps {
		if in[topOf(op.Func)] {
			m2.ChanOps = append(m2.ChanOps, op)
		}
	}
	for _, l := range m.Locks {
		if in[topOf(l.Func)] {
			m2.Locks = append(m2.Locks, l)
		}
	}
	for _, w := range m.WaitGroups {
		if in[topOf(w.Func)] {
			m2.WaitGroups = append(m2.WaitGroups, w)
		}
	}
	ss := b.ss
	ss2 := &summaryState{
		aliases: ss.aliases, litVars: ss.litVars, litVarBad: ss.litVarBad, passedLit: ss.passedLit,
		cancels: ss.cancels, cancelOf: ss.cancelOf, lookup: ss.lookup, must: map[*Func]*mustIndex{},
	}
	for _, cs := range ss.calls {
		if in[topOf(cs.fn)] {
			cp := *cs
			cp.must, cp.resolved, cp.callee = nil, nil, ""
			ss2.calls = append(ss2.calls, &cp)
		}
	}
	for _, e := range ss.escapes {
		if in[topOf(e.fn)] {
			ss2.escapes = append(ss2.escapes, e)
		}
	}
	b2 := *b
	b2.m, b2.ss, b2.closeIndex = &m2, ss2, nil
	b2.buildSummaries()

	// deriveChanFacts, for c alone.
	cc := *c
	cc.indirect, cc.closed, cc.someCloses, cc.neverSent, cc.noSendInFile = nil, Fact{}, nil, false, false
	for _, s := range m2.summaries {
		if s.Func.Lit {
			continue
		}
		b2.panicFirstCloses(s) // as deriveChanFacts: a close a panicking send may skip
		for _, e := range s.Effects {
			if e.key == c.Key {
				cc.indirect = addIndirect(cc.indirect, s, e)
			}
		}
	}
	sort.SliceStable(cc.indirect, func(i, j int) bool { return cc.indirect[i].Effect.At < cc.indirect[j].Effect.At })
	cc.closed = b2.closedFact(&cc)
	b2.closePaths(&cc)
	return &chanFacts{indirect: cc.indirect, closed: cc.closed, someCloses: cc.someCloses, neverSent: cc.neverSent, noSend: cc.noSendInFile, funcs: len(m2.Funcs)}
}

// calledClosure is the set of top-level functions the summaries of home
// can depend on: home, and every function a call in one of the set may
// resolve to (resolveCallee), transitively. It is found by name — every
// function or method named like a called identifier or selector, and the
// function literal a called variable is bound to — a superset, which
// costs only the summaries of a few functions more.
func (b *builder) calledClosure(home *Func, topOf func(*Func) *Func) map[*Func]bool {
	// Every declaration of the file has its Func, in the order of the
	// declarations (the walk's). Most names are declared once: byName
	// holds the first, sameName the others (methods of several types),
	// so that a name costs no slice of its own.
	byName := make(map[string]*Func, len(b.m.Funcs))
	var sameName map[string][]*Func
	for _, f := range b.m.Funcs {
		if fd, ok := f.Node.(*ast.FuncDecl); ok && !f.Lit {
			if _, dup := byName[fd.Name.Name]; !dup {
				byName[fd.Name.Name] = f
			} else {
				if sameName == nil {
					sameName = map[string][]*Func{}
				}
				sameName[fd.Name.Name] = append(sameName[fd.Name.Name], f)
			}
		}
	}
	in := map[*Func]bool{home: true}
	queue := []*Func{home}
	add := func(f *Func) {
		if f = topOf(f); f != nil && !in[f] {
			in[f] = true
			queue = append(queue, f)
		}
	}
	// The calls of one top-level function are recorded together (the
	// walk finishes one before the next): each function's list is a
	// window on b.ss.calls, not a copy.
	callsIn := map[*Func][]*callSite{}
	calls := b.ss.calls
	for i := 0; i < len(calls); {
		t := topOf(calls[i].fn)
		j := i + 1
		for j < len(calls) && topOf(calls[j].fn) == t {
			j++
		}
		if prev, ok := callsIn[t]; ok {
			callsIn[t] = append(prev[:len(prev):len(prev)], calls[i:j]...)
		} else {
			callsIn[t] = calls[i:j:j]
		}
		i = j
	}
	for len(queue) > 0 {
		t := queue[0]
		queue = queue[1:]
		for _, cs := range callsIn[t] {
			fun := ast.Unparen(cs.call.Fun)
			switch f := fun.(type) {
			case *ast.IndexExpr:
				fun = f.X
			case *ast.IndexListExpr:
				fun = f.X
			}
			var id *ast.Ident
			switch f := fun.(type) {
			case *ast.Ident:
				id = f
			case *ast.SelectorExpr:
				id = f.Sel
			case *ast.FuncLit:
				add(b.funcOf[f])
			}
			if id == nil {
				continue
			}
			if f := byName[id.Name]; f != nil {
				add(f)
				for _, f := range sameName[id.Name] {
					add(f)
				}
			}
			if k, ok := b.keyOf(id); ok {
				if lit := b.ss.litVars[k]; lit != nil {
					add(b.funcOf[lit])
				}
			}
		}
	}
	return in
}
