package model

import (
	"go/ast"
	"go/token"
	"go/types"
	"unsafe"
)

// Calls of sync.Cond, time.Timer / time.Ticker and context functions that
// hover explains but that are not channel, lock or WaitGroup operations:
// Cond's Wait, Signal and Broadcast; a Timer's or Ticker's Stop and Reset;
// context.AfterFunc and the stop func it returns; context.Cause; and the
// calls of a cancel func a context constructor of this file returned.
//
// The walk notes the candidate calls (noteMethodCall, noteIdentCall,
// noteCtxFunc: a slice append each); finish classifies them once and adds
// a site per call it can name (addCallSites), so a file without such calls
// pays nothing else.

// CallKind names the call a SiteCall anchors.
type CallKind int

const (
	CallCondWait CallKind = iota
	CallCondSignal
	CallCondBroadcast
	CallTimerStop
	CallTimerReset
	CallTickerStop
	CallTickerReset
	CallCtxAfterFunc // context.AfterFunc(ctx, f)
	CallAfterFuncStop
	CallCtxCause  // context.Cause(ctx)
	CallCancel    // a CancelFunc of a constructor of this file
	CallCancelErr // a CancelCauseFunc of a constructor of this file
)

// CallSite is the fact of a SiteCall.
type CallSite struct {
	Kind CallKind
	Pos  token.Pos // the method selector or the called identifier
	Call *ast.CallExpr
	Recv string // the receiver or function as written: "t", "c", "cancel"
	// Value: Reset's duration when the model evaluates it (as
	// TimeCall.Value).
	Value string
	Func  *Func
	// Cond: the Wait (CallCondWait) or Signal/Broadcast (the others) as the
	// Cond facts list them (File.CondWaits, File.CondSignals).
	Wait   *CondWait
	Signal *CondSignal
	// Made is the time.NewTimer, NewTicker or AfterFunc call the receiver
	// of a Stop or Reset is assigned from, when it is a local variable
	// assigned only from calls of one of them in this file (nil otherwise,
	// and always for a Timer reached through a field).
	Made *TimeCall
	// Ctor is the context constructor whose cancel func is called
	// (CallCancel, CallCancelErr); AfterFunc is the context.AfterFunc call
	// whose stop func is called (CallAfterFuncStop). Both are set only when
	// the variable is written once, by that call.
	Ctor      *ContextCall
	AfterFunc *ast.CallExpr
}

// CallSite is the fact of a SiteCall.
func (s *Site) CallSite() *CallSite {
	if s.Kind != SiteCall {
		return nil
	}
	return (*CallSite)(s.fact)
}

// notedCall is a candidate the walk saw.
type notedCall struct {
	call *ast.CallExpr
	id   *ast.Ident // the selector or called identifier
	recv ast.Expr   // the method's receiver; nil for a plain call
	fn   *Func
	// recvType: builder.methodRecvType at the call (methods only).
	recvType string
	// ctxFunc: "AfterFunc" or "Cause" for a call of package context.
	ctxFunc string
}

// noteMethodCall keeps x.Wait(), x.Signal(), x.Broadcast(), x.Stop() and
// x.Reset(d) for addCallSites.
func (b *builder) noteMethodCall(v *visitor, call *ast.CallExpr, sel *ast.SelectorExpr, recvType string) {
	switch sel.Sel.Name {
	case "Wait", "Signal", "Broadcast", "Stop":
		if len(call.Args) != 0 {
			return
		}
	case "Reset":
		if len(call.Args) != 1 {
			return
		}
	default:
		return
	}
	if v.fn == nil {
		return
	}
	b.notedCalls = append(b.notedCalls, notedCall{call: call, id: sel.Sel, recv: sel.X, fn: v.fn, recvType: recvType})
}

// noteIdentCall keeps f() and f(err) for addCallSites: the calls of cancel
// and stop funcs.
func (b *builder) noteIdentCall(v *visitor, call *ast.CallExpr, id *ast.Ident) {
	if v.fn == nil || len(call.Args) > 1 || id.Name == "_" {
		return
	}
	// Only once a cancel or stop func can exist (a context constructor
	// assigned its cancel func, or a context.AfterFunc, walked before):
	// most files call plain functions only, and pay nothing.
	if len(b.pendingCancel) == 0 && !b.sawCtxAfterFunc {
		return
	}
	b.notedCalls = append(b.notedCalls, notedCall{call: call, id: id, fn: v.fn})
}

// noteCtxFunc keeps context.AfterFunc and context.Cause calls.
func (b *builder) noteCtxFunc(v *visitor, call *ast.CallExpr, sel *ast.Ident, name string) {
	if v.fn == nil {
		return
	}
	if name == "AfterFunc" {
		b.sawCtxAfterFunc = true
	}
	b.notedCalls = append(b.notedCalls, notedCall{call: call, id: sel, fn: v.fn, ctxFunc: name})
}

// addCallSites classifies the noted calls and adds their sites (before
// finish sorts the sites).
func (b *builder) addCallSites() {
	if len(b.notedCalls) == 0 {
		return
	}
	m := b.m
	var condWaits map[token.Pos]*CondWait
	var condSignals map[token.Pos]*CondSignal
	needConds := false
	for _, n := range b.notedCalls {
		if n.recv != nil && (n.id.Name == "Wait" || n.id.Name == "Signal" || n.id.Name == "Broadcast") && (n.recvType == "" || n.recvType == "sync.Cond") {
			needConds = true
			break
		}
	}
	if needConds {
		// The same Cond facts the Cond-wait hint and the condwait check
		// read (condwaits.go).
		waits, signals := m.condOps()
		condWaits = make(map[token.Pos]*CondWait, len(waits))
		for _, w := range waits {
			condWaits[w.Pos] = w
		}
		condSignals = make(map[token.Pos]*CondSignal, len(signals))
		for _, s := range signals {
			condSignals[s.Pos] = s
		}
	}
	var timeVars map[VarKey]*TimeCall // nil value: written otherwise
	var timeMulti map[VarKey]bool     // written by more than one call
	var ctorOf map[VarKey]*ContextCall
	var afterFuncOf map[VarKey]*ast.CallExpr
	for _, n := range b.notedCalls {
		cs := &CallSite{Pos: n.id.Pos(), Call: n.call, Func: n.fn}
		switch {
		case n.ctxFunc == "AfterFunc":
			cs.Kind, cs.Recv = CallCtxAfterFunc, "context"
		case n.ctxFunc == "Cause":
			cs.Kind, cs.Recv = CallCtxCause, "context"
		case n.recv == nil:
			if ctorOf == nil {
				ctorOf, afterFuncOf = b.ctxFuncVars()
			}
			k, ok := b.keyOf(n.id)
			if !ok {
				continue
			}
			cs.Recv = n.id.Name
			if cc := ctorOf[k]; cc != nil {
				cs.Kind, cs.Ctor = CallCancel, cc
				// Only WithCancelCause returns a CancelCauseFunc: the cancel
				// funcs of WithTimeoutCause and WithDeadlineCause take no
				// cause ("The returned CancelFunc does not set the cause").
				if cc.Name == "WithCancelCause" {
					cs.Kind = CallCancelErr
				}
			} else if af := afterFuncOf[k]; af != nil && len(n.call.Args) == 0 {
				cs.Kind, cs.AfterFunc = CallAfterFuncStop, af
			} else {
				continue
			}
		case n.id.Name == "Wait" || n.id.Name == "Signal" || n.id.Name == "Broadcast":
			cs.Recv = b.text(n.recv)
			if w := condWaits[n.id.Pos()]; w != nil && n.id.Name == "Wait" {
				cs.Kind, cs.Wait = CallCondWait, w
			} else if s := condSignals[n.id.Pos()]; s != nil && n.id.Name != "Wait" {
				cs.Kind, cs.Signal = CallCondSignal, s
				if s.Broadcast {
					cs.Kind = CallCondBroadcast
				}
			} else {
				continue
			}
		default: // Stop, Reset
			if timeVars == nil {
				timeVars, timeMulti = b.timeVars()
			}
			cs.Recv = b.text(n.recv)
			var tc *TimeCall
			multi := false
			if k, ok := b.keyOf(n.recv); ok {
				if _, local := ast.Unparen(n.recv).(*ast.Ident); local {
					tc, multi = timeVars[k], timeMulti[k]
				}
			}
			ticker, known := false, false
			if tc != nil {
				ticker, known = tc.Name == "NewTicker", true
			}
			if info := m.Info; info != nil {
				// The typed tier knows the method's receiver type, also for
				// a Timer held in a field or returned by a function.
				known = false
				if sel, ok := ast.Unparen(n.call.Fun).(*ast.SelectorExpr); ok {
					if s, ok := info.Selections[sel]; ok {
						if fn, ok := s.Obj().(*types.Func); ok && fn.Pkg() != nil && fn.Pkg().Path() == "time" {
							if recv := fn.Signature().Recv(); recv != nil {
								switch timeTypeName(recv.Type()) {
								case "Timer":
									ticker, known = false, true
								case "Ticker":
									ticker, known = true, true
								}
							}
						}
					}
				}
				if tc != nil && (tc.Name == "NewTicker") != ticker {
					tc = nil
				}
			}
			if !known {
				continue
			}
			if multi {
				tc = nil // which of its calls made this timer is not known
			}
			cs.Made = tc
			if len(n.call.Args) == 1 {
				cs.Value = b.durationText(n.call.Args[0])
			}
			switch {
			case ticker && n.id.Name == "Stop":
				cs.Kind = CallTickerStop
			case ticker:
				cs.Kind = CallTickerReset
			case n.id.Name == "Stop":
				cs.Kind = CallTimerStop
			default:
				cs.Kind = CallTimerReset
			}
		}
		b.addSite(SiteCall, n.id.Pos(), n.id.End(), unsafe.Pointer(cs))
	}
}

func timeTypeName(t types.Type) string {
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	if !ok || n.Obj().Pkg() == nil || n.Obj().Pkg().Path() != "time" {
		return ""
	}
	return n.Obj().Name()
}

// timeVars maps each variable (written as an identifier) whose every write
// in this file stores a call of time.NewTimer, time.NewTicker or
// time.AfterFunc, all of one kind (AfterFunc and NewTimer both make a
// *Timer), or nil, to the first of those calls.
func (b *builder) timeVars() (map[VarKey]*TimeCall, map[VarKey]bool) {
	byCall := make(map[*ast.CallExpr]*TimeCall, len(b.m.TimeCalls))
	for _, tc := range b.m.TimeCalls {
		byCall[tc.Call] = tc
	}
	out := map[VarKey]*TimeCall{}
	bad, multi := map[VarKey]bool{}, map[VarKey]bool{}
	for _, ka := range b.assignList {
		if bad[ka.key] {
			continue
		}
		if !ka.addr && (ka.zero || ka.stored() != nil && isNilIdent(ka.stored())) {
			// `var t *time.Timer` or `t = nil`: a Stop or Reset on a nil
			// *Timer panics, so one that returns acts on a timer some
			// other write stored (as FieldTimerMade skips nil).
			continue
		}
		var tc *TimeCall
		if call, ok := ast.Unparen(ka.stored()).(*ast.CallExpr); ok && ka.stored() != nil {
			tc = byCall[call]
		}
		if tc == nil || tc.Name != "NewTimer" && tc.Name != "NewTicker" && tc.Name != "AfterFunc" || ka.addr {
			bad[ka.key] = true
			delete(out, ka.key)
			continue
		}
		if prev := out[ka.key]; prev != nil && (prev.Name == "NewTicker") != (tc.Name == "NewTicker") {
			bad[ka.key] = true
			delete(out, ka.key)
			continue
		}
		if prev := out[ka.key]; prev != nil && prev != tc {
			// Written by more than one call: the kind is known, which
			// call made the timer a Stop or Reset acts on is not.
			multi[ka.key] = true
		}
		if out[ka.key] == nil || tc.Pos < out[ka.key].Pos {
			out[ka.key] = tc
		}
	}
	// A parameter starts with the caller's timer: "made at line N" names
	// only one of the timers Stop may act on (os/exec's awaitGoroutines stops
	// the timer Wait hands it, or one it makes itself).
	// Its kind (Timer or Ticker) is still the calls' kind.
	for k := range out {
		if b.declaredAsParam(k) {
			multi[k] = true
		}
	}
	return out, multi
}

// declaredAsParam reports whether the variable behind k is a parameter (or
// receiver) of a function of this file.
func (b *builder) declaredAsParam(k VarKey) bool {
	decl := k.declOf()
	if !decl.IsValid() || b.m.AST == nil || decl < b.m.AST.Pos() || decl > b.m.AST.End() {
		return false
	}
	path, _ := EnclosingPath(b.m.AST, decl, decl)
	for i, n := range path {
		fl, ok := n.(*ast.FieldList)
		if !ok {
			continue
		}
		if i+1 < len(path) {
			switch ft := path[i+1].(type) {
			case *ast.FuncType:
				return ft.Params == fl
			case *ast.FuncDecl:
				return ft.Recv == fl
			}
		}
		return false
	}
	return false
}

// ctxFuncVars maps the variables a cancel func of a context constructor
// of this file is assigned to (ctx, cancel := context.WithCancel(p)), and
// those the stop func of a context.AfterFunc is assigned to, each written
// only there.
func (b *builder) ctxFuncVars() (map[VarKey]*ContextCall, map[VarKey]*ast.CallExpr) {
	writes := map[VarKey]int{}
	for _, ka := range b.assignList {
		writes[ka.key]++
	}
	ctors := map[VarKey]*ContextCall{}
	for _, p := range b.pendingCancel {
		if !p.key.Valid() || writes[p.key] != 1 {
			continue
		}
		for _, cc := range b.m.CtxCalls {
			if cc.Call == p.call {
				ctors[p.key] = cc
			}
		}
	}
	afters := map[VarKey]*ast.CallExpr{}
	for _, ka := range b.assignList {
		if writes[ka.key] != 1 || ka.stored() == nil {
			continue
		}
		if call, ok := ast.Unparen(ka.stored()).(*ast.CallExpr); ok {
			if name, _ := b.pkgCall(call, "context"); name == "AfterFunc" {
				afters[ka.key] = call
			}
		}
	}
	return ctors, afters
}

// AfterFuncStopper is the call that can keep the function given to
// time.AfterFunc or context.AfterFunc from being called: `t.Stop()` on
// the Timer or `stop()`, the stop func — the variable the AfterFunc's
// result is assigned to, and the first call of its Stop (for a Timer; a
// Reset there when it has no Stop) or of the func anywhere in the file.
// The close in such a callback (afterFuncCondition) and the hover on the
// AfterFunc call read it.
type AfterFuncStopper struct {
	// Var is the variable the result is assigned to ("" when the result
	// is not assigned to one variable: Discarded says whether it is
	// dropped, an expression statement).
	Var       string
	Discarded bool
	// At and Text: the stopping call (NoPos when none in the file); Reset
	// says it is a Timer's Reset, which reschedules the call rather than
	// preventing it.
	At    token.Pos
	Text  string
	Reset bool
	// StartedBy is, when every stopping call in the file comes after a
	// receive that only the callback can satisfy (close_afterfunc.go:
	// afterFuncStarted), that receive; StartedVia names its channel. By
	// then the callback has been called, so those calls cannot prevent
	// it. NoPos otherwise.
	StartedBy  token.Pos
	StartedVia string
	// NeverDone is the context of a context.AfterFunc as written when it
	// is never done (context.Background(), TODO(), WithoutCancel(…), or a
	// WithValue of one, written in the call): the function is never
	// called.
	NeverDone string
}

// AfterFuncStop reads the stopper of the AfterFunc call (time or context).
func (m *File) AfterFuncStop(call *ast.CallExpr) AfterFuncStopper {
	if m.derived == nil || m.derived.b == nil || call == nil {
		return AfterFuncStopper{}
	}
	path, _ := EnclosingPath(m.AST, call.Pos(), call.End())
	pkg := "time"
	if name, _ := m.derived.b.pkgCall(call, "context"); name == "AfterFunc" {
		pkg = "context"
	}
	return m.derived.b.afterFuncStop(call, path, pkg)
}

// afterFuncStop finds the stopper of call, path being the nodes enclosing
// it (innermost first).
func (b *builder) afterFuncStop(call *ast.CallExpr, path []ast.Node, pkg string) AfterFuncStopper {
	var st AfterFuncStopper
	if pkg == "context" && len(call.Args) == 2 && b.neverDoneCtx(call.Args[0]) {
		st.NeverDone = b.text(call.Args[0])
	}
	var stopper VarKey
	for j, n := range path {
		if n != call || j+1 >= len(path) {
			continue
		}
		switch p := path[j+1].(type) {
		case *ast.AssignStmt:
			if len(p.Lhs) == 1 && len(p.Rhs) == 1 && p.Rhs[0] == call {
				stopper, _ = b.keyOf(p.Lhs[0])
				st.Var = b.text(p.Lhs[0])
			}
		case *ast.ValueSpec:
			if len(p.Names) == 1 && len(p.Values) == 1 && p.Values[0] == call {
				stopper, _ = b.keyOf(p.Names[0])
				st.Var = p.Names[0].Name
			}
		case *ast.ExprStmt:
			st.Discarded = true
		}
	}
	if !stopper.Valid() {
		st.Var = ""
		return st
	}
	var resetAt token.Pos
	var resetText string
	var stops []token.Pos // every stopping call, for afterFuncStarted
	ast.Inspect(b.m.AST, func(n ast.Node) bool {
		c, isCall := n.(*ast.CallExpr)
		if !isCall {
			return true
		}
		fun := ast.Unparen(c.Fun)
		reset := false
		if pkg == "time" {
			sel, isSel := fun.(*ast.SelectorExpr)
			if !isSel || sel.Sel.Name != "Stop" && sel.Sel.Name != "Reset" {
				return true
			}
			fun, reset = sel.X, sel.Sel.Name == "Reset"
		}
		if k, ok := b.keyOf(fun); ok && k == stopper {
			if reset {
				if !resetAt.IsValid() {
					resetAt, resetText = c.Pos(), b.text(c)
				}
				return true
			}
			if !st.At.IsValid() {
				st.At, st.Text = c.Pos(), b.text(c)
			}
			stops = append(stops, c.Pos())
		}
		return true
	})
	if !st.At.IsValid() && resetAt.IsValid() {
		st.At, st.Text, st.Reset = resetAt, resetText, true
	}
	if st.At.IsValid() && !resetAt.IsValid() {
		st.StartedBy, st.StartedVia = b.afterFuncStarted(call, path, stopper, stops)
	}
	return st
}

// neverDoneCtx reports whether the context expression e, as written, is
// one whose Done channel is nil: context.Background(), context.TODO(),
// context.WithoutCancel(…) ("its Done channel is nil"), or a
// context.WithValue of one of them. Variables are not followed.
func (b *builder) neverDoneCtx(e ast.Expr) bool {
	for depth := 0; depth < 8; depth++ {
		call, ok := ast.Unparen(e).(*ast.CallExpr)
		if !ok {
			return false
		}
		switch name, _ := b.pkgCall(call, "context"); name {
		case "Background", "TODO", "WithoutCancel":
			return true
		case "WithValue":
			if len(call.Args) != 3 {
				return false
			}
			e = call.Args[0]
		default:
			return false
		}
	}
	return false
}
