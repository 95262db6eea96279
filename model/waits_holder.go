package model

import (
	"go/ast"
	"go/token"
)

// holderEscapes says why golens cannot tell whether a goroutine is waited
// for when it closes or sends on a channel field of a variable (close(f.in))
// and the starting function hands that variable itself (f, &f, or f as the
// receiver of a method) to a call golens cannot see into: the callee
// reaches the field too, and may start goroutines that receive from it and
// signal what the starting function waits on later (truth program
// r17g_helper_close_after, syntax tier: spawnHandlers(3, f, &wg), in
// another file, starts handlers that range over f.in; their WaitGroup lets
// a closer close f.out, which ends main's range, so main's range waits for
// the close of f.in). A call after the go statement may wait itself; one
// before it matters only when the starting function waits after the go
// statement (wait: the first such wait, nil when there is none). "" when
// there is no such call.
func (b *builder) holderEscapes(g *Goroutine, parent *Func, sigs []goSignal, wait *Effect) string {
	if g.Body == nil {
		return ""
	}
	for _, sg := range sigs {
		if sg.key.field == "" || sg.effect.Kind != EffClose && sg.effect.Kind != EffSend {
			continue
		}
		if sg.effect.Pos < g.Pos || sg.effect.Pos >= g.End {
			continue // made in a function the goroutine calls: its names are the callee's
		}
		op := b.chanOpAt(sg.effect.Pos)
		if op == nil {
			continue
		}
		root, _ := selectorBase(op.Operand()) // x of close(x.f), x.f <- v
		if root == nil {
			continue
		}
		rootKey, ok := b.keyOf(root)
		if !ok {
			continue
		}
		for _, cs := range b.ss.calls {
			if cs.fn != parent || cs.inGo || cs.resolved != nil || cs.callee == "" {
				continue
			}
			p := cs.call.Pos()
			if p >= g.Pos && p < g.End {
				continue
			}
			if p < g.Pos && !cs.deferred && wait == nil {
				continue // done before the goroutine starts, and nothing waits after it
			}
			if !b.handsVar(cs, rootKey) {
				continue
			}
			verb := "sends on"
			if sg.effect.Kind == EffClose {
				verb = "closes"
			}
			if sg.effect.Certainty != Proven {
				verb = map[EffectKind]string{EffClose: "may close", EffSend: "may send on"}[sg.effect.Kind]
			}
			why := "the goroutine " + verb + " `" + op.ChanExpr + "` (" + b.m.where(sg.effect.Pos) + "), and " + starterName(parent) + " hands `" + root.Name + "`, which holds it, to `" + cs.callee + "` at line " + itoa(b.m.Line(p)) + ", which golens cannot see into"
			if p < g.Pos && !cs.deferred {
				where := wait.Pos
				if wait.At.IsValid() {
					where = wait.At
				}
				why += ": a goroutine it starts may receive from `" + op.ChanExpr + "`, and the wait at line " + itoa(b.m.Line(where)) + " may wait for that goroutine"
			}
			return why
		}
	}
	return ""
}

// handsVar reports whether the call passes the variable k itself (k, &k)
// as an argument, or calls a method on it.
func (b *builder) handsVar(cs *callSite, k VarKey) bool {
	is := func(e ast.Expr) bool {
		e = ast.Unparen(e)
		if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.AND {
			e = ast.Unparen(u.X)
		}
		id, ok := e.(*ast.Ident)
		if !ok {
			return false
		}
		k2, ok := b.keyOf(id)
		return ok && k2 == k
	}
	if r := cs.recv(); r != nil && is(r) {
		return true
	}
	for _, a := range cs.call.Args {
		if is(a) {
			return true
		}
	}
	return false
}
