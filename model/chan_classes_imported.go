package model

import (
	"go/ast"
	"go/types"
)

// Channel classes through calls into other packages.
//
// A channel passed to a function of another package leaves the package's
// code, so by itself the class loses sight of it there. On the server's
// typed tier golens has that function's summary (package typed reads the
// imported package's source; the standard library's few documented
// facts are in stdfacts.go): what it does to each parameter, directly,
// through its own calls and in the goroutines it starts. Where the summary
// follows every use of the parameter (no "passes on"), the class follows
// the call through it: the closes, sends and receives the callee makes
// become the class's, and the channel stays in sight. The class then states
// no more than the summary does, and the file's facts (which read the same
// summary) and the class agree.
//
// A callee that returns the parameter hands it back, and the summaries
// record that as passing it on. A callee whose result may carry the
// channel back some other way (a channel, a pointer, an interface other
// than error, a struct...) is not followed either, whatever its summary
// says: the class loses sight there as before.

// SetImportedSummaries gives the package the summaries of functions of
// other packages, for the channel classes to follow calls through them. It
// must be called before ChanClasses is first read; nil (the default, as on
// the checks' tier) follows no call into another package.
func (p *Package) SetImportedSummaries(l SummaryLookup) { p.imported = l }

// followImported follows the argument arg of call through the summary of
// its callee, a function of another package: it adds the callee's
// operations on that parameter to cls and reports true, or reports false
// when golens has no summary that follows the parameter's every use (the
// caller then loses sight of the channel).
func (s *chanClassSet) followImported(cls *ChanClass, call *ast.CallExpr, arg ast.Expr) bool {
	l := s.p.imported
	if l == nil {
		return false
	}
	fn := StaticCallee(s.p.Info, call)
	if fn == nil || fn.Pkg() == nil || fn.Pkg() == s.p.Types {
		return false
	}
	sig := fn.Signature()
	param := -1
	for i, a := range call.Args {
		if a == arg && i < sig.Params().Len() && !(sig.Variadic() && i >= sig.Params().Len()-1) {
			if _, ok := chanType(sig.Params().At(i).Type()); ok {
				param = i
			}
		}
	}
	if param < 0 || !resultsHoldNoChan(sig) {
		return false
	}
	sum := l.FuncSummary(fn)
	if kinds, ok := stdFacts[fn.Pkg().Path()+"."+fn.Name()]; ok && sig.Recv() == nil {
		// The standard library's documented facts (stdfacts.go), which
		// the file's facts read too: the channel is the first argument.
		if param != 0 {
			return false
		}
		var effects []*Effect
		for _, k := range kinds {
			effects = append(effects, &Effect{Kind: k, Target: Target{Param: 0}, Certainty: Proven})
		}
		sum = NewSummary(fn, fn.Pkg().Name()+"."+fn.Name(), effects)
	}
	if sum == nil {
		return false
	}
	var effects []*Effect
	for _, e := range sum.Effects {
		if e.Target.Param != param {
			continue
		}
		switch e.Kind {
		case EffEscape, EffReturn:
			// The callee hands it on: the class loses sight, saying where.
			why := "passed to `" + ExprText(call.Fun) + "`, which passes it on"
			if e.Why != "" {
				why += " (" + e.Why + ")"
			}
			cls.lose(arg.Pos(), why)
			return true
		}
		effects = append(effects, e)
	}
	text := ExprText(arg)
	for _, e := range effects {
		op := ChanClassOp{Pos: call.Pos(), End: call.End(), Text: text, Node: call, Callee: fn}
		switch e.Kind {
		case EffClose:
			cls.Closes = append(cls.Closes, call.Pos())
		case EffSend:
			cls.Sends = append(cls.Sends, op)
		case EffRecv, EffRange, EffCtxDone:
			cls.Recvs = append(cls.Recvs, op)
		}
	}
	return true
}

// resultsHoldNoChan: every result of sig is of a basic type or error, so
// the call cannot hand the channel back (an error value holding it would
// be a composite literal the summary records as passing it on).
func resultsHoldNoChan(sig *types.Signature) bool {
	for i := 0; i < sig.Results().Len(); i++ {
		t := sig.Results().At(i).Type()
		if _, ok := t.Underlying().(*types.Basic); ok {
			continue
		}
		if types.Identical(t, types.Universe.Lookup("error").Type()) {
			continue
		}
		return false
	}
	return true
}
