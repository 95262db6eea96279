package model

import (
	"go/ast"
	"go/types"
)

// Facts about functions of the standard library that take a channel: what
// they do to it, from their documentation, so that a channel handed to
// them is not "passed to a function golens cannot see into". A function
// listed with no effects neither closes nor keeps the channel for a later
// close.
//
//   - os/signal.Notify: "Package signal will not block sending to c" — it
//     sends on c from the runtime's signal goroutine, and never closes it
//     (https://pkg.go.dev/os/signal#Notify).
//   - os/signal.Stop: "When Stop returns, it is guaranteed that c will
//     receive no more signals"; it does not close c
//     (https://pkg.go.dev/os/signal#Stop).
//   - os/signal.Reset, Ignore: take no channel.
var stdFacts = map[string][]EffectKind{
	"os/signal.Notify": {EffSend},
	"os/signal.Stop":   nil,
}

// stdSummary returns the summary of a standard library function listed in
// stdFacts, called as pkg.Name(...), or nil.
func (b *builder) stdSummary(sel *ast.SelectorExpr) *Summary {
	x, ok := sel.X.(*ast.Ident)
	if !ok || !b.isPackage(x) {
		return nil
	}
	path := b.imports[x.Name]
	if info := b.m.Info; info != nil {
		if pn, ok := info.Uses[x].(*types.PkgName); ok {
			path = pn.Imported().Path()
		}
	}
	kinds, ok := stdFacts[path+"."+sel.Sel.Name]
	if !ok {
		return nil
	}
	name := x.Name + "." + sel.Sel.Name
	var effects []*Effect
	for _, k := range kinds {
		// The channel is the first argument of every function listed.
		effects = append(effects, &Effect{Kind: k, Target: Target{Param: 0}, In: "`" + name + "`", InGo: true, Certainty: Proven})
	}
	return NewSummary(nil, name, effects)
}
