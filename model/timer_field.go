package model

import (
	"go/ast"
	"go/types"
)

// A Timer held in a struct field (c.timer.Stop()) is not a local the
// build's timeVars can follow, so CallSite.Made is nil for it and the Stop
// hover used the NewTimer wording: "false if its value was already
// received from c.timer.C". context's timerCtx holds a time.AfterFunc
// timer, whose C is nil: Stop returns false once the function has been
// started (https://pkg.go.dev/time#Timer.Stop). On the typed tier the
// package's field writes tell which call made it.

// FieldTimerMade is, for a Stop or Reset on a *time.Timer held in an
// unexported struct field, the time.AfterFunc or time.NewTimer call of this
// file that every write of the field in the package stores (nil aside); nil
// when the field is set any other way, by more than one call, or outside
// the package, on the syntax tier, and when the model has no package facts
// (UsePackage): then the hover does not know which kind of timer it is and
// says what each kind does. Computed on request (the hover's), from the
// package's FieldSets.
func (f *File) FieldTimerMade(cs *CallSite) *TimeCall {
	if cs == nil || cs.Made != nil || cs.Call == nil || f.pkg == nil || f.Info == nil || cs.Kind != CallTimerStop && cs.Kind != CallTimerReset {
		return nil
	}
	meth, ok := ast.Unparen(cs.Call.Fun).(*ast.SelectorExpr)
	if !ok {
		return nil
	}
	recv, ok := ast.Unparen(meth.X).(*ast.SelectorExpr)
	if !ok {
		return nil
	}
	s := f.Info.Selections[recv]
	if s == nil || s.Kind() != types.FieldVal {
		return nil
	}
	v, ok := s.Obj().(*types.Var)
	if !ok || v.Exported() {
		return nil
	}
	if _, ptr := v.Type().(*types.Pointer); !ptr {
		return nil
	}
	var made *TimeCall
	for _, set := range f.pkg.FieldSets(v) {
		switch set.Kind {
		case FieldReceiver:
			continue // a method call through the *Timer does not change the field
		case FieldAssign, FieldLiteral:
		default:
			return nil
		}
		val := ast.Unparen(set.Value)
		if id, ok := val.(*ast.Ident); ok && id.Name == "nil" {
			continue
		}
		call, ok := val.(*ast.CallExpr)
		if !ok || set.File != f.AST {
			return nil
		}
		var tc *TimeCall
		for _, t := range f.TimeCalls {
			if t.Call == call {
				tc = t
			}
		}
		if tc == nil || tc.Name != "AfterFunc" && tc.Name != "NewTimer" || made != nil && made != tc {
			return nil
		}
		made = tc
	}
	return made
}
