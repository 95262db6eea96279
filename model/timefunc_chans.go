package model

import "go/ast"

// A local variable that holds the channel of time.Tick(d) or time.After(d)
// — every write to it in the file stores such a call, of one kind — is a
// channel the time package sends on and never closes
// (https://pkg.go.dev/time#Tick, https://pkg.go.dev/time#After): a receive
// from it waits for the next tick or for the timer. markTimeFuncChans sets
// ChanOp.TimeChan ("Ticker" for Tick, "Timer" for After) on the
// operations on such a variable, after the walk has seen every write, so
// hover and hints say that instead of "golens does not see where it is
// made".
func (b *builder) markTimeFuncChans() {
	var kinds map[VarKey]string
	for _, op := range b.m.ChanOps {
		if op.TimeChan != "" || op.Kind == Close || op.Kind == Send {
			continue
		}
		id, ok := ast.Unparen(op.Operand()).(*ast.Ident)
		if !ok {
			continue
		}
		if kinds == nil {
			kinds = b.timeFuncVars()
			if len(kinds) == 0 {
				return
			}
		}
		if k, ok := b.keyOf(id); ok {
			op.TimeChan = kinds[k]
		}
	}
}

// timeFuncVars maps each variable written (as an identifier) only with
// calls of time.Tick, or only with calls of time.After, to "Ticker" or
// "Timer".
func (b *builder) timeFuncVars() map[VarKey]string {
	out := map[VarKey]string{}
	bad := map[VarKey]bool{}
	for _, ka := range b.assignList {
		if bad[ka.key] {
			continue
		}
		kind := ""
		if call, ok := ast.Unparen(ka.rhs).(*ast.CallExpr); ok && ka.rhs != nil && !ka.addr {
			switch name, _ := b.pkgCall(call, "time"); name {
			case "Tick":
				kind = "Ticker"
			case "After":
				kind = "Timer"
			}
		}
		if kind == "" || out[ka.key] != "" && out[ka.key] != kind {
			bad[ka.key] = true
			delete(out, ka.key)
			continue
		}
		out[ka.key] = kind
	}
	return out
}
