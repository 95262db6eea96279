package deadlock

import (
	"go/ast"
	"go/token"

	"golang.org/x/tools/go/analysis"

	"github.com/golens/golens/model"
	"github.com/golens/golens/model/lockfacts"
)

// Calls of function values (model/lockfacts/indirect.go): a func-typed
// field, an element of a field holding functions, a local variable defined
// with a function literal. Their double locks are reported by doubleLocks
// like any other call's; these spell the call in the message.

// indirectHead spells the first hop of a call of a function value:
// "s.cp()", "l() (a function from n.listeners)", "mark()".
func indirectHead(c *lockfacts.CallEvent) string {
	head := model.ExprText(c.Call.Fun) + "()"
	if c.Field == nil || c.Owner == nil {
		return head
	}
	switch ast.Unparen(c.Call.Fun).(type) {
	case *ast.SelectorExpr, *ast.IndexExpr:
		return head // x.f(), x.fs[…](): the field is named
	}
	return head + " (a function from " + model.ExprText(c.Owner) + "." + c.Field.Name() + ")"
}

// indirectNotes are the related positions of a double lock through a
// function value: the literal a local variable is defined with, or where a
// stored function was stored and the call that handed it over.
func indirectNotes(c *lockfacts.CallEvent, a lockfacts.Acq) []analysis.RelatedInformation {
	var out []analysis.RelatedInformation
	if c.Local && c.FnLit != nil {
		out = append(out, analysis.RelatedInformation{Pos: c.FnLit.Pos(), Message: model.ExprText(c.Call.Fun) + " is this function literal"})
	}
	if a.StoredAt.IsValid() {
		what := "the function it calls through a func-typed field is stored here"
		if _, isSel := ast.Unparen(c.Call.Fun).(*ast.SelectorExpr); c.Field != nil && !isSel {
			what = "the function it calls is put into " + c.Field.Name() + " here"
		}
		out = append(out, analysis.RelatedInformation{Pos: a.StoredAt, Message: what})
	}
	if a.PassedAt.IsValid() {
		out = append(out, analysis.RelatedInformation{Pos: a.PassedAt, Message: "and handed over by this call"})
	}
	return out
}

// viaText spells how a callee's mutex was proven to be the held one: "c.parent
// is t, line 26" (model.Ref.Via: a constructor, a composite literal,
// a parent pointer).
func (st *analysisState) viaText(mu lockfacts.Mutex, from token.Pos) string {
	if !mu.Via.IsValid() || mu.ViaText == "" {
		return ""
	}
	return mu.ViaText + ", " + st.where(mu.Via, from)
}

func viaNote(mu lockfacts.Mutex) []analysis.RelatedInformation {
	if !mu.Via.IsValid() || mu.ViaText == "" {
		return nil
	}
	return []analysis.RelatedInformation{{Pos: mu.Via, Message: mu.ViaText + " here"}}
}
