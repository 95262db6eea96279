package model

import "go/ast"

// A local variable that holds the channel of time.Tick(d) or time.After(d)
// — every write to it in the file stores such a call, of one kind — is a
// channel the time package sends on and never closes
// (https://pkg.go.dev/time#Tick, https://pkg.go.dev/time#After): a receive
// from it waits for the next tick or for the timer. markTimeFuncChans sets
// ChanOp.TimeChan ("Ticker" for Tick, "Timer" for After) and
// ChanOp.TimeFunc (which of the two; neither has a Stop) on the
// operations on such a variable, after the walk has seen every write, so
// hover and hints say that instead of "golens does not see where it is
// made".
func (b *builder) markTimeFuncChans() {
	// The variables asked about first, then only their writes: most
	// writes of a file are to other variables, and a set of those was
	// a tenth of the build's garbage.
	if !b.assignsTimeFuncCall() {
		return // most files store no time.Tick or time.After channel
	}
	type operand struct {
		op  *ChanOp
		key VarKey
	}
	var operands []operand
	var want map[VarKey]bool
	for _, op := range b.m.ChanOps {
		if op.TimeChan != "" || op.Kind == Close || op.Kind == Send {
			continue
		}
		id, ok := ast.Unparen(op.Operand()).(*ast.Ident)
		if !ok {
			continue
		}
		if k, ok := b.keyOf(id); ok {
			if want == nil {
				want = map[VarKey]bool{}
			}
			operands = append(operands, operand{op, k})
			want[k] = true
		}
	}
	if len(operands) == 0 {
		return
	}
	kinds := b.timeFuncVars(want)
	for _, o := range operands {
		if kind := kinds[o.key]; kind != "" {
			o.op.TimeChan = kind
			o.op.TimeFunc = "After"
			if kind == "Ticker" {
				o.op.TimeFunc = "Tick"
			}
		}
	}
}

// timeFuncVars maps each variable of want written (as an identifier)
// only with calls of time.Tick, or only with calls of time.After, to
// "Ticker" or "Timer".
func (b *builder) timeFuncVars(want map[VarKey]bool) map[VarKey]string {
	out := map[VarKey]string{}
	bad := map[VarKey]bool{}
	for _, ka := range b.assignList {
		if !want[ka.key] || bad[ka.key] {
			continue
		}
		kind := ""
		if call, ok := ast.Unparen(ka.stored()).(*ast.CallExpr); ok && ka.stored() != nil && !ka.addr {
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

// assignsTimeFuncCall reports whether any write of the file stores a call
// of time.Tick or time.After.
func (b *builder) assignsTimeFuncCall() bool {
	for _, ka := range b.assignList {
		if call, ok := ast.Unparen(ka.stored()).(*ast.CallExpr); ok && ka.stored() != nil && !ka.addr {
			if name, _ := b.pkgCall(call, "time"); name == "Tick" || name == "After" {
				return true
			}
		}
	}
	return false
}
