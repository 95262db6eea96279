package deadlock

import (
	"go/types"

	"golang.org/x/tools/go/analysis"

	"github.com/golens/golens/model"
)

// A function that holds a mutex under one parameter's name and locks it
// under another's, called with one value for both
// (model/lockfacts/aliased.go). Reported at the Lock (or the call that
// locks) inside the function, the call that makes them one related.

func (st *analysisState) aliasedRelocks() []analysis.Diagnostic {
	var out []analysis.Diagnostic
	for _, r := range st.AliasedRelocks() {
		at, end := r.A.Pos, r.A.Pos
		chain := "" // a Lock of the function's own
		if r.Call != nil {
			at, end = r.Call.Call.Pos(), r.Call.Call.End()
			chain = chainOf(r.Call, r.A.Chain)
		} else {
			end = r.Lock.Call.End()
		}
		d := msgData{Chain: chain, Mutex: r.Mu.Text, Kind: r.A.Kind.String(), LockAt: st.where(r.A.Pos, at),
			HeldLine: st.line(r.Held.Pos), Writer: r.Held.Mu.Text, Wait: model.ExprText(r.Site.Call.Fun) + "(…)",
			NeedAt: st.where(r.Site.Call.Pos(), at), Partner: r.At.Text}
		if r.At.Via.IsValid() {
			d.Via = r.At.ViaText + " (" + st.where(r.At.Via, at) + ")"
		}
		if r.DispatchedTo != nil {
			// The interface call's method, proven by the value the
			// call site puts behind the interface.
			d.Ops = model.ExprText(r.Call.Call.Fun)
			d.Other = "(" + types.TypeString(r.DispatchedTo, types.RelativeTo(st.pass.Pkg)) + ")." + r.Method.Name()
		}
		diag := analysis.Diagnostic{Pos: at, End: end, Category: name,
			Message: message("aliased", d),
			Related: []analysis.RelatedInformation{
				{Pos: r.Held.Pos, Message: r.Held.Mu.Text + " is locked here"},
				{Pos: r.Site.Call.Pos(), Message: "this call makes " + r.Held.Mu.Text + " and " + r.Mu.Text + " one mutex, " + r.At.Text},
			}}
		if r.Call != nil {
			diag.Related = append(diag.Related, analysis.RelatedInformation{Pos: r.A.Pos, Message: "locked again here"})
		}
		if r.At.Via.IsValid() {
			diag.Related = append(diag.Related, analysis.RelatedInformation{Pos: r.At.Via, Message: r.At.ViaText + " here"})
		}
		out = append(out, diag)
	}
	return dedup(out)
}
