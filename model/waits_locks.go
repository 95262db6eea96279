package model

import (
	"go/ast"
	"go/token"
	"sync"
)

// A goroutine that locks or unlocks a mutex the starting function locks
// after the go statement: that Lock waits while the goroutine holds the
// mutex (or, when the starting function still holds it, until the
// goroutine's Unlock), so the starting function may wait for the goroutine
// through the mutex. A run of truth program lock_unlock_other_goroutine
// shows it: main's second Lock returns only after the goroutine's Unlock,
// its last act. Whether such a wait outlasts the goroutine depends on what
// the goroutine does after its Unlock, which the model does not weigh:
// the fact is unknown, and the go hover and the unwaited check both say
// nothing about a wait there.

// locksAfterGo explains why golens cannot tell whether g is waited for
// when g locks or unlocks a mutex that its starting function locks after
// the go statement; "" when it does not.
func (b *builder) locksAfterGo(g *Goroutine, ps *Summary) string {
	isLock := func(k EffectKind) bool {
		return k == EffLock || k == EffRLock || k == EffUnlock || k == EffRUnlock
	}
	uses, _ := b.goEffects(g, isLock)
	if len(uses) == 0 {
		return ""
	}
	for _, e := range ps.Effects {
		if e.InGo || e.Kind != EffLock && e.Kind != EffRLock || e.NoBlock {
			continue // a TryLock (NoBlock) never waits for the goroutine's hold
		}
		at := e.Pos
		if e.At.IsValid() {
			at = e.At
		}
		if at <= g.End || !within(at, g.Func) {
			continue
		}
		for _, u := range uses {
			if u.key != e.key && !b.aliased(u.key, e.key) {
				continue
			}
			name := b.valueName(e.key)
			then := ", which waits while the goroutine holds " + name
			verb := "locks"
			if u.effect.Kind == EffUnlock || u.effect.Kind == EffRUnlock {
				verb, then = "unlocks", ", which can wait for that Unlock"
			}
			return "the goroutine " + verb + " " + name + " (" + b.m.where(u.effect.Pos) + "), and " + starterName(g.Func) +
				" locks " + name + " at line " + itoa(b.m.Line(at)) + then
		}
	}
	return ""
}

// signalsCalleeGoroutine explains why golens cannot tell whether g is
// waited for when g closes or sends on a channel that the starting
// function hands to a function which receives from it in a goroutine of
// its own (a pipeline stage: `for v := range square(src)`, where square
// ranges over src in a goroutine and closes its result when src is
// closed). Waiting for that stage can wait for g's close: truth program
// close_two_stage_pipeline prints every value before main returns, so
// main's range waited for the close of src, the goroutine's last act. The
// direct form, a goroutine the starting function itself starts, is
// closesForOtherGoroutine's. "" when there is no such stage.
func (b *builder) signalsCalleeGoroutine(g *Goroutine, ps *Summary, sigs []goSignal) string {
	// A close first: it is what ends the stage's range.
	sorted := make([]goSignal, 0, len(sigs))
	for _, sg := range sigs {
		if sg.effect.Kind == EffClose {
			sorted = append(sorted, sg)
		}
	}
	for _, sg := range sigs {
		if sg.effect.Kind == EffSend {
			sorted = append(sorted, sg)
		}
	}
	for _, sg := range sorted {
		for _, e := range ps.Effects {
			if !e.InGo || !e.At.IsValid() || e.Kind != EffRecv && e.Kind != EffRange {
				continue
			}
			if e.At >= g.Pos && e.At < g.End {
				// The receive is g's own (go pconn.readLoop(), which
				// receives from pc.closech), not a stage's.
				continue
			}
			if e.key != sg.key && !b.aliased(e.key, sg.key) {
				continue
			}
			verb := "closes"
			if sg.effect.Kind == EffSend {
				verb = "sends on"
			}
			recv := e.Kind.String()
			// On some paths only (after an early return, under an if): a
			// singleflight leader closes, its duplicates receive.
			if sg.effect.Certainty != Proven {
				verb = map[EffectKind]string{EffClose: "may close", EffSend: "may send on"}[sg.effect.Kind]
			}
			if e.Certainty != Proven {
				recv = map[EffectKind]string{EffRecv: "may receive from", EffRange: "may range over"}[e.Kind]
			}
			name := b.valueName(sg.key)
			return "the goroutine " + verb + " " + name + " (" + b.m.where(sg.effect.Pos) + "), which `" + e.Via + "` (called at line " +
				itoa(b.m.Line(e.At)) + ") " + recv + " in a goroutine; golens does not follow whether waiting for that goroutine waits for this goroutine"
		}
	}
	return ""
}

// inPassedLit reports whether p sits in a function literal, inside
// parent, that is passed as an argument to a call: the callee may call it
// at any time, also after a go statement written later.
func (b *builder) inPassedLit(p token.Pos, parent *Func) bool {
	for f := b.m.funcAt(p); f != nil && f != parent; f = f.Parent {
		if f.Lit && b.ss.passedLit[f.Pos] {
			return true
		}
	}
	return false
}

// methodValueHandedOff explains why golens cannot tell whether g is waited
// for when the starting function passes a method value of something g
// signals to a call (t.Cleanup(wg.Wait), where g calls wg.Done): the
// callee may call it later, after the go statement, and wait for g.
// Function summaries do not follow method values as arguments. "" when
// there is none. The method values a function passes are listed once per
// function (handedMethodValues), not once per goroutine it starts.
func (b *builder) methodValueHandedOff(g *Goroutine, sigs []goSignal) string {
	parent := g.Func
	if parent == nil || parent.Body == nil || len(sigs) == 0 {
		return ""
	}
	for _, h := range b.handedMethodValues(parent) {
		for _, sg := range sigs {
			if sg.key == h.key || b.aliased(sg.key, h.key) {
				return h.why
			}
		}
	}
	return ""
}

// handedMethodValue is a method value x.m passed as an argument to a
// call, with the reason methodValueHandedOff gives when x is what a
// goroutine signals.
type handedMethodValue struct {
	key VarKey // x
	why string
}

// methodValueSet holds each function's handed method values, computed on
// first read: the go statements of one function read one list.
type methodValueSet struct {
	mu sync.Mutex
	of map[*Func][]handedMethodValue
}

// handedMethodValues lists the method values f's body (function literals
// included) passes as call arguments, in source order.
func (b *builder) handedMethodValues(f *Func) []handedMethodValue {
	d := b.m.derived
	if d != nil {
		d.methodValues.mu.Lock()
		defer d.methodValues.mu.Unlock()
		if list, ok := d.methodValues.of[f]; ok {
			return list
		}
	}
	var list []handedMethodValue
	ast.Inspect(f.Body, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		for _, a := range call.Args {
			sel, ok := ast.Unparen(a).(*ast.SelectorExpr)
			if !ok {
				continue
			}
			k, ok := b.keyOf(sel.X)
			if !ok {
				continue
			}
			list = append(list, handedMethodValue{key: k, why: "`" + b.text(sel) + "` is passed to `" + b.calleeName(call) + "` at line " + itoa(b.m.Line(call.Pos())) +
				", which may call it after the go statement"})
		}
		return true
	})
	if d != nil {
		if d.methodValues.of == nil {
			d.methodValues.of = map[*Func][]handedMethodValue{}
		}
		d.methodValues.of[f] = list
	}
	return list
}
