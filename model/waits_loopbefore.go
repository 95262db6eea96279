package model

import (
	"go/ast"
	"go/token"
)

// A wait written before a go statement in a loop that encloses both runs
// again after the go statement, in the loop's later passes: the crawler of
// The Go Programming Language (8.6) receives `list := <-worklist` at the
// top of its loop and starts, further down, the goroutines whose sends
// those receives take (a counter of pending sends ends the loop). crossWait
// only looks at waits written after the go statement; without this, it
// would say nothing waits for such a goroutine. Whether a later pass takes
// this goroutine's value depends on how long the loop runs (the counter),
// which golens does not follow: it says it cannot tell.

// loopWaitBeforeWhy says why golens cannot tell whether g is waited for
// when the starting function waits, before the go statement but inside a
// loop around it, on something g signals; "" when it does not.
func (b *builder) loopWaitBeforeWhy(g *Goroutine, ps *Summary, sigs []goSignal) string {
	parent := g.Func
	if parent == nil || ps == nil || !g.InLoop {
		return ""
	}
	for _, e := range ps.Effects {
		if !e.Kind.waits() || e.InGo || e.Deferred || e.Kind == EffCondWait {
			continue
		}
		p := e.Pos
		if e.At.IsValid() {
			p = e.At
		}
		if p >= g.Pos || !within(p, parent) {
			continue
		}
		signalled := false
		for _, sg := range sigs {
			if sg.key == e.key || b.aliased(sg.key, e.key) {
				signalled = true
			}
		}
		if !signalled {
			continue
		}
		loop := b.loopAroundPos(p, g.Pos)
		if loop == nil || !runsEachPass(loop, p) {
			continue
		}
		return b.loopWaitText(e, p) + " is in the loop at line " + itoa(b.m.Line(loop.Pos())) + " around this go statement: a later pass of that loop may wait for this goroutine, and golens does not follow whether one does"
	}
	return ""
}

// loopWaitText names a wait: "the receive from `worklist` at line 36",
// "`wg.Wait()` at line 12", "the call at line 9, which receives from `c`".
func (b *builder) loopWaitText(e *Effect, at token.Pos) string {
	name := b.valueName(e.key)
	if name == "" {
		name = "it"
	}
	if e.At.IsValid() {
		return "the call at line " + itoa(b.m.Line(at)) + ", which waits on " + name + " (" + b.m.where(e.Pos) + "),"
	}
	switch e.Kind {
	case EffRecv:
		return "the receive from " + name + " at line " + itoa(b.m.Line(at))
	case EffRange:
		return "the range over " + name + " at line " + itoa(b.m.Line(at))
	case EffWait:
		return "the Wait on " + name + " at line " + itoa(b.m.Line(at))
	}
	return "the wait on " + name + " at line " + itoa(b.m.Line(at))
}

// runsEachPass reports whether p is in the part of loop that runs on
// every pass: its body, or a for statement's condition or post statement;
// not a for statement's init or a range statement's range expression,
// which run once, before the first pass.
func runsEachPass(loop ast.Stmt, p token.Pos) bool {
	in := func(n ast.Node) bool { return n != nil && p >= n.Pos() && p < n.End() }
	switch l := loop.(type) {
	case *ast.ForStmt:
		return in(l.Body) || l.Cond != nil && in(l.Cond) || l.Post != nil && in(l.Post)
	case *ast.RangeStmt:
		return in(l.Body)
	}
	return false
}
