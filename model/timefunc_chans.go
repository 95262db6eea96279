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
// made". A variable written only with the C of a time.Timer or
// time.Ticker (c := ticker.C, c := time.NewTicker(d).C) is one too: the
// time package never closes that channel, and Stop does not either
// (https://pkg.go.dev/time#Ticker.Stop); its operations get that C's
// TimeChan and no TimeFunc (the Timer or Ticker can be stopped).
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
		if tk := kinds[o.key]; tk.kind != "" {
			o.op.TimeChan, o.op.TimeFunc = tk.kind, tk.fn
		}
	}
}

// timeKind is what a variable holds: the channel of time.Tick (kind
// "Ticker", fn "Tick") or time.After ("Timer", "After"), or the C of a
// Timer or Ticker (kind "Timer", "Ticker" or "time", fn "").
type timeKind struct{ kind, fn string }

// timeKindOf is the timeKind of a stored expression, zero when it is
// none of those.
func (b *builder) timeKindOf(e ast.Expr) timeKind {
	switch x := ast.Unparen(e).(type) {
	case *ast.CallExpr:
		switch name, _ := b.pkgCall(x, "time"); name {
		case "Tick":
			return timeKind{"Ticker", "Tick"}
		case "After":
			return timeKind{"Timer", "After"}
		}
	case *ast.SelectorExpr:
		if x.Sel.Name != "C" {
			return timeKind{}
		}
		if call, ok := ast.Unparen(x.X).(*ast.CallExpr); ok {
			switch name, _ := b.pkgCall(call, "time"); name {
			case "NewTicker":
				return timeKind{"Ticker", ""}
			case "NewTimer":
				return timeKind{"Timer", ""}
			}
			return timeKind{}
		}
		if k, ok := b.keyOf(x.X); ok {
			if _, af := b.afterFuncs[k]; af {
				return timeKind{} // a Timer of time.AfterFunc has a nil C
			}
		}
		if kind := b.timeChanOf(x); kind != "" {
			return timeKind{kind, ""}
		}
	}
	return timeKind{}
}

// timeFuncVars maps each variable of want written (as an identifier)
// only with calls of time.Tick, only with calls of time.After, or only
// with the C of Timers or Tickers of one kind, to that timeKind.
func (b *builder) timeFuncVars(want map[VarKey]bool) map[VarKey]timeKind {
	out := map[VarKey]timeKind{}
	bad := map[VarKey]bool{}
	for _, ka := range b.assignList {
		if !want[ka.key] || bad[ka.key] {
			continue
		}
		var kind timeKind
		if ka.stored() != nil && !ka.addr {
			kind = b.timeKindOf(ka.stored())
		}
		if kind.kind == "" || out[ka.key].kind != "" && out[ka.key] != kind {
			bad[ka.key] = true
			delete(out, ka.key)
			continue
		}
		out[ka.key] = kind
	}
	return out
}

// assignsTimeFuncCall reports whether any write of the file stores a call
// of time.Tick or time.After, or a field named C (maybe a Timer's).
func (b *builder) assignsTimeFuncCall() bool {
	for _, ka := range b.assignList {
		if ka.stored() == nil || ka.addr {
			continue
		}
		switch x := ast.Unparen(ka.stored()).(type) {
		case *ast.CallExpr:
			if name, _ := b.pkgCall(x, "time"); name == "Tick" || name == "After" {
				return true
			}
		case *ast.SelectorExpr:
			if x.Sel.Name == "C" {
				return true
			}
		}
	}
	return false
}
