package model

import (
	"go/ast"
	"go/token"
	"strings"
)

// A goroutine that sends on a channel another goroutine closes may panic
// at that send ("send on closed channel"), and a panic ends the program
// before anything after the send runs: a close it makes after the send is
// then never made, and a wait on that close never returns. Two producers
// that each close the shared results channel when done are the everyday
// shape (the second one's send comes after the first one's close). golens
// does not order the two goroutines, so where a goroutine's send on a
// channel comes before its close of another, and a goroutine started by an
// earlier go statement of the same function closes the channel sent on,
// the close is only possible: the hover says "may close", and a wait on
// it is not said to wait for the goroutine.

// closeMayPanicFirst is the send, in ps's terms (ps the summary of the
// function whose go statement at is composed in it), that the goroutine
// started at at makes before its close cl (an effect of the callee, at
// the same position) and that may panic because a goroutine started
// earlier by ps's function closes the channel sent on; nil when there is
// none. A deferred close runs during the panic too: never one.
func (b *builder) closeMayPanicFirst(ps *Summary, at, clPos token.Pos, clIn string, clDeferred bool) *Effect {
	if ps == nil || clDeferred || !at.IsValid() {
		return nil
	}
	for _, p := range ps.Effects {
		if p.Kind != EffSend || p.At != at || p.Deferred || p.In != clIn || p.Pos >= clPos {
			continue
		}
		for _, c2 := range ps.Effects {
			if c2.Kind == EffClose && c2.ViaGo && !c2.Deferred && c2.At.IsValid() && c2.At < at && (c2.key == p.key || b.aliased(c2.key, p.key)) {
				return p
			}
		}
	}
	return nil
}

// panicFirstCloses makes the go statements' closes in s that may come
// after a panicking send (closeMayPanicFirst) possible, not proven: the
// channel facts read them as "may close".
func (b *builder) panicFirstCloses(s *Summary) {
	for i, e := range s.Effects {
		if e.Kind != EffClose || !e.ViaGo || e.Certainty != Proven {
			continue
		}
		if b.closeMayPanicFirst(s, e.At, e.Pos, e.In, e.Deferred) != nil {
			ne := *e
			ne.Certainty = Possible
			s.Effects[i] = &ne
		}
	}
}

// panicFirstWhy says why a wait on the close cl of g is not proven when
// the send before it may panic; "" when it may not.
func (b *builder) panicFirstWhy(g *Goroutine, ps *Summary, cl *Effect) string {
	if g.Node == nil || cl.Kind != EffClose {
		return ""
	}
	p := b.closeMayPanicFirst(ps, g.Node.Call.Pos(), cl.Pos, cl.In, cl.Deferred)
	if p == nil {
		return ""
	}
	return "before its close (" + b.m.where(cl.Pos) + ") the goroutine sends on a channel that a goroutine started earlier closes (its send at " + b.m.where(p.Pos) + "): if that close comes first, the send panics (send on closed channel), the program ends, and the close is never made"
}

// panicFirstChanWhy is panicFirstWhy for a wait on c that findWaiter
// judges: the close of c that the go statement's callee makes (in the
// starting function's summary) may never be made; "" otherwise.
func (b *builder) panicFirstChanWhy(g *Goroutine, c *Chan) string {
	if g.Node == nil || g.Func == nil || c == nil {
		return ""
	}
	// The close's send may panic first only when a go statement of the
	// same function before this one closes the channel sent on
	// (closeMayPanicFirst: a ViaGo effect is a go statement of the
	// function itself). Without one there is nothing to find, and no
	// reason to make every summary of the file for a hover on a go
	// statement.
	if !b.earlierGoIn(g) || !b.goMaySend(g) {
		return ""
	}
	// findWaiter runs before the summaries are made: make them first, or
	// a hover reading the summaries on another goroutine races with this
	// read (TestDerivedConcurrentReads under -race).
	if g.derived != nil {
		g.derived.ensure()
	}
	ps := b.m.summaryOf[g.Func]
	if ps == nil {
		return ""
	}
	at := g.Node.Call.Pos()
	for _, e := range ps.Effects {
		if e.Kind == EffClose && e.At == at && (e.key == c.Key || b.aliased(e.key, c.Key)) {
			if why := b.panicFirstWhy(g, ps, e); why != "" {
				return why
			}
		}
	}
	return ""
}

// earlierGoIn says whether g's function has a go statement before g's.
func (b *builder) earlierGoIn(g *Goroutine) bool {
	at := g.Node.Call.Pos()
	for _, o := range b.m.Goroutines {
		if o != g && o.Func == g.Func && o.Node != nil && o.Node.Call.Pos() < at {
			return true
		}
	}
	return false
}

// goMaySend says whether the goroutine g starts may send on a channel
// before a close: closeMayPanicFirst looks for such a send in the same
// function as the close. On the syntax tier a function literal whose
// body has no send statement, no function literal and calls only
// builtins and methods no function of the file is named after sends on
// nothing the summaries could see: asking them would build every summary
// of the file. The typed tier builds its summaries with the model anyway.
func (b *builder) goMaySend(g *Goroutine) bool {
	if b.m.Tier == TypedTier || g.Body == nil || g.Body.Body == nil {
		return true
	}
	declared := map[string]bool{}
	for _, f := range b.m.Funcs {
		if !f.Lit {
			declared[f.Name[strings.LastIndex(f.Name, ".")+1:]] = true
		}
	}
	may := false
	ast.Inspect(g.Body.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.SendStmt, *ast.FuncLit:
			may = true
		case *ast.CallExpr:
			switch fn := ast.Unparen(n.Fun).(type) {
			case *ast.Ident:
				// A variable bound to a closure is called by name too.
				may = may || declared[fn.Name] || !knownSafeBuiltins[fn.Name]
			case *ast.SelectorExpr:
				// A field of func type is as unknown as a method the
				// file declares.
				may = may || declared[fn.Sel.Name] || b.isFieldName(fn.Sel.Name)
			default:
				may = true
			}
		}
		return !may
	})
	return may
}

// isFieldName says whether a struct type declared at the top of the file
// has a field named name (a field of func type may be called like a
// method).
func (b *builder) isFieldName(name string) bool {
	for _, d := range b.m.AST.Decls {
		if gd, ok := d.(*ast.GenDecl); ok && fieldsNamed(gd, name) > 0 {
			return true
		}
	}
	return false
}
