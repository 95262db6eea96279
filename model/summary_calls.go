package model

import (
	"go/ast"
	"go/token"
	"go/types"
)

// What a function does through the calls it makes, for a reader that has
// the models of all the package's files but built each on its own (a
// go/analysis pass models file by file, without a SummaryLookup): the
// file's own callees are composed into the summary already; a callee
// declared in another file is read from that file's model here, so that a
// check asking "does a helper called before this return call wg.Done?"
// reads the summaries instead of walking the callee's body itself.
//
// A callee in another file contributes its summary as its own file
// composed it: what it does through functions of yet other files is not
// followed (the typed tier's SummaryLookup composes across all files).

// PackageSummary returns the summary of fn among the models of a
// package's files (typed tier), or nil when none of them declares it.
func PackageSummary(pkg []*File, fn *types.Func) *Summary {
	if fn == nil {
		return nil
	}
	fn = fn.Origin()
	for _, m := range pkg {
		if m == nil || m.Info == nil || fn.Pos() < m.AST.FileStart || fn.Pos() > m.AST.FileEnd {
			continue
		}
		for _, s := range m.Summaries() {
			if s.Obj == fn {
				return s
			}
		}
	}
	return nil
}

// EffectsThroughCalls lists what fn does to its values through the calls
// written in its body (and its function literals) before pos, or all of
// them when pos is NoPos: the effects its summary composes from the file's
// callees, and those of callees declared in the package's other files
// (pkg, typed tier), mapped to fn's terms. Each effect's At is the call.
func (f *File) EffectsThroughCalls(fn *Func, before token.Pos, pkg []*File) []*Effect {
	s := f.SummaryOf(fn)
	if s == nil {
		return nil
	}
	var out []*Effect
	for _, e := range s.Effects {
		if e.At.IsValid() && (!before.IsValid() || e.At < before) {
			out = append(out, e)
		}
	}
	if f.Info == nil || f.derived == nil || len(pkg) == 0 {
		return out
	}
	b := f.derived.b
	for _, cs := range b.ss.calls {
		at := cs.call.Pos()
		if cs.resolved != nil || (before.IsValid() && at >= before) || !enclosedBy(cs.fn, fn) {
			continue
		}
		callee := PackageSummary(pkg, calleeObj(f.Info, cs.call))
		if callee == nil || callee == s {
			continue
		}
		inGo := cs.inGo
		for g := cs.fn; g != nil && g != fn; g = g.Parent {
			if g.GoBody != nil {
				inGo = true
			}
		}
		must := b.runsEveryPath(cs.fn, at, fn)
		via := cs.callee
		if via == "" {
			via = b.calleeName(cs.call)
		}
		for _, e := range callee.Effects {
			if e.Kind == EffReturn && e.Target.Param < 0 {
				continue
			}
			key, ok := cs.callerKey(callee, e)
			if !ok {
				continue
			}
			if e.Kind == EffReturn {
				e = returnedArg(e) // summary.go
			}
			certainty := e.Certainty
			if certainty == Proven && e.Kind != EffEscape && !must {
				certainty = Possible
			}
			out = append(out, &Effect{Kind: e.Kind, Target: s.targetOf(key), key: key, Pos: e.Pos, In: e.In,
				At: at, Via: via, ByName: e.reachedByName(), InGo: inGo || e.InGo, ViaGo: cs.inGo && cs.fn == fn && !e.InGo, ViaField: e.reachedViaField(), Deferred: cs.deferred && cs.fn == fn, NoBlock: e.NoBlock,
				Certainty: certainty, Why: e.Why})
		}
	}
	return out
}

// TargetObject is the typed-tier variable t stands for in s: the
// parameter, field (its generic origin), package or captured variable;
// nil on the syntax tier.
func (s *Summary) TargetObject(t Target) types.Object {
	k := t.Key
	if t.Param >= 0 {
		if t.Param >= len(s.Params) {
			return nil
		}
		k = s.Params[t.Param]
	}
	return fieldOrigin(k.Object())
}

// enclosedBy reports whether g is fn or a function literal inside it.
func enclosedBy(g, fn *Func) bool {
	for ; g != nil; g = g.Parent {
		if g == fn {
			return true
		}
	}
	return false
}

// calleeObj is the declared function a call calls, or nil.
func calleeObj(info *types.Info, call *ast.CallExpr) *types.Func {
	fun := ast.Unparen(call.Fun)
	switch f := fun.(type) {
	case *ast.IndexExpr:
		fun = f.X
	case *ast.IndexListExpr:
		fun = f.X
	}
	var id *ast.Ident
	switch f := fun.(type) {
	case *ast.Ident:
		id = f
	case *ast.SelectorExpr:
		id = f.Sel
	default:
		return nil
	}
	fn, _ := info.Uses[id].(*types.Func)
	return fn
}
