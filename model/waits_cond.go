package model

import "go/ast"

// A goroutine whose starting function waits on a sync.Cond it signals.
// Cond.Wait returns when a Signal or Broadcast wakes it
// (https://pkg.go.dev/sync#Cond.Wait), and a Cond is waited on while a
// condition is false (for !ready { c.Wait() }): whether the wait waits for
// this goroutine depends on that condition. A run of
// truth/testdata/r8_cond_wait_go_hover.txtar returns from main while the
// goroutine that signalled still runs; with the condition already true
// main never waits (r8_cond_wait_already_true.txtar). So the wait is never
// "main waits for it": golens says what it knows, the Cond, the lines and
// the condition.

// isCondVar reports whether sel, a call's selector on the variable k, calls
// a method of a sync.Cond: k is declared as one (syncVars), or, on the
// syntax tier, the model's Cond operations (CondWaits, CondSignals: a
// variable assigned sync.NewCond in this file too) list the call.
func (b *builder) isCondVar(k VarKey, sel *ast.SelectorExpr) bool {
	if b.syncVars[k] == "sync.Cond" {
		return true
	}
	if b.m.Info != nil {
		return false
	}
	switch sel.Sel.Name {
	case "Wait", "Signal", "Broadcast":
	default:
		return false
	}
	return b.m.condCallAt(sel.Sel.Pos())
}

// condWaitWhy says what golens knows of the Cond wait e of the function
// that starts g, when g signals that Cond (its signal is sig, nil when it
// signals through a call): "main waits on the Cond `c` at line 23, inside
// the loop at line 22, until a Signal or Broadcast on it wakes main; this
// goroutine signals it at line 18: whether that waits for this goroutine
// depends on the condition main checks".
func (b *builder) condWaitWhy(g *Goroutine, e *Effect, sig *Effect) string {
	starter := starterName(g.Func)
	name := b.valueName(e.key)
	var s string
	if e.At.IsValid() {
		s = starter + " calls `" + e.Via + "` at line " + itoa(b.m.Line(e.At)) + ", which waits on the Cond " + name + " (" + b.m.where(e.Pos) + ")"
	} else {
		s = starter + " waits on the Cond " + name + " at line " + itoa(b.m.Line(e.Pos))
		if loop := b.loopAroundPos(e.Pos, e.Pos+1); loop != nil {
			s += ", inside the loop at line " + itoa(b.m.Line(loop.Pos()))
		}
	}
	s += ", until a Signal or Broadcast on it wakes " + starter
	if sig != nil && !sig.At.IsValid() && sig.Pos >= g.Pos && sig.Pos < g.End {
		s += "; this goroutine signals it at line " + itoa(b.m.Line(sig.Pos))
	}
	return s + ": whether that waits for this goroutine depends on the condition " + starter + " checks"
}
