package closedsend

import (
	"embed"
	"go/token"
	"go/types"
	"strings"
	"text/template"

	"golang.org/x/tools/go/analysis"

	"github.com/golens/golens/checks/internal/chanutil"
	"github.com/golens/golens/checks/modelpass"
	"github.com/golens/golens/model"
)

// Close and send through calls: one goroutine calls a method that closes a
// channel field, then one that sends on it (s.Stop(); s.Notify()). The
// per-function check above sees neither operation; the model's function
// summaries, read by holder and in order (model.File.FieldSteps), show
// both.

//go:embed messages.tmpl
var messageFiles embed.FS

var messages = template.Must(template.ParseFS(messageFiles, "messages.tmpl"))

func message(name string, d map[string]any) string {
	var b strings.Builder
	if err := messages.ExecuteTemplate(&b, name, d); err != nil {
		panic(err) // embedded and exercised by the analysistest cases
	}
	return b.String()
}

// fieldOf is a channel field of the value a variable, or a path of fields
// from it, holds: n.events, s.n.events.
type fieldOf struct {
	holder types.Object
	path   string // the holder as written: "n", "s.n"
	field  *types.Var
}

// on reports whether the key reads the variable or field v on its way
// (fields is the holder's path of fields).
func (k fieldOf) on(fields []*types.Var, v types.Object) bool {
	if k.holder == v || k.field == v {
		return true
	}
	for _, f := range fields {
		if f == v {
			return true
		}
	}
	return false
}

func crossMethod(pass *analysis.Pass) {
	models := pass.ResultOf[modelpass.Analyzer].(*modelpass.Result).Order
	// Fields some code stores a new channel into: code golens does not
	// follow may do it too.
	stored := map[*types.Var]bool{}
	for _, m := range models {
		for f := range m.FieldStores() {
			stored[f] = true
		}
	}
	for _, m := range models {
		for _, s := range m.Summaries() {
			if s.Func == nil || s.Func.Body == nil || m.RecoverUse(s.Func.Body) == model.RecoverExamines {
				// Reads what a recover stopped: the panic is the point
				// (a test that push after shutdown panics). A blanket
				// `defer func() { recover() }()` only swallows it.
				continue
			}
			crossSteps(pass, models, m, s, stored)
		}
	}
}

// crossSteps follows one function's steps on channel fields, in order,
// and reports a send on, or a close of, a field of the same variable that
// an earlier step closed on every path, where one of the two happens
// through a call.
func crossSteps(pass *analysis.Pass, models []*model.File, m *model.File, s *model.Summary, stored map[*types.Var]bool) {
	closed := map[fieldOf]model.FieldStep{}
	paths := map[fieldOf][]*types.Var{} // each key's holder path of fields
	forget := func(gone func(fieldOf) bool) {
		for k := range closed {
			if gone(k) {
				delete(closed, k)
			}
		}
	}
	storedOn := func(k fieldOf) bool {
		if stored[k.field] {
			return true
		}
		for _, f := range paths[k] {
			if stored[f] {
				return true
			}
		}
		return false
	}
	for _, st := range m.FieldSteps(s, models) {
		switch {
		case st.Unseen:
			forget(storedOn)
			continue
		case st.Rebind:
			forget(func(k fieldOf) bool { return k.on(paths[k], st.Var) })
			continue
		case st.Store:
			forget(func(k fieldOf) bool { return k.on(paths[k], st.Field) })
			continue
		}
		e := st.Effect
		if e.Kind == model.EffEscape {
			if stored[st.Field] {
				forget(func(k fieldOf) bool { return k.on(paths[k], st.Field) })
			}
			continue
		}
		if e.Kind != model.EffClose && e.Kind != model.EffSend {
			continue
		}
		// Only what runs on every path, in this goroutine, where it is
		// written in this function's own code (a function literal's code
		// is checked as its own function).
		if st.In != s.Func || e.Certainty != model.Proven || e.InGo || e.Deferred || st.ExitFirst {
			continue
		}
		holder, fields, ok := model.HolderPath(pass.TypesInfo, st.Holder)
		if !ok {
			continue
		}
		key := fieldOf{holder, types.ExprString(st.Holder), st.Field}
		c, wasClosed := closed[key]
		if !wasClosed {
			if e.Kind == model.EffClose {
				closed[key], paths[key] = st, fields
			}
			continue
		}
		if c.Call == nil && st.Call == nil {
			continue // both in this function: the per-function check
		}
		if c.Call == st.Call {
			continue // both in one callee: its own affair
		}
		if opRecovers(m, models, st.Pos) {
			continue // the function that panics recovers: a guarded send
		}
		pos, end := st.Pos, st.Pos
		if st.Call != nil {
			pos, end = st.Call.Pos(), st.Call.End()
		}
		tmpl := "sendAfterClose"
		if e.Kind == model.EffClose {
			tmpl = "closeTwice"
		}
		chanText := key.path + "." + st.Field.Name()
		pass.Report(analysis.Diagnostic{Pos: pos, End: end, Category: name,
			Message: message(tmpl, map[string]any{
				"Op": opText(st), "Chan": chanText, "OpAt": chanutil.Where(pass.Fset, st.Pos, pos),
				"Closer": closerText(c), "CloseAt": chanutil.Where(pass.Fset, c.Pos, pos),
			}),
			Related: []analysis.RelatedInformation{
				{Pos: c.Pos, Message: "closed here"},
				{Pos: st.Pos, Message: map[bool]string{true: "closed again here", false: "the send that panics"}[e.Kind == model.EffClose]},
			}})
		delete(closed, key) // once per close
	}
}

// opRecovers reports whether the function in which the operation at p is
// written calls recover (a send that recovers from a closed channel on
// purpose, or a blanket recover right where it panics). p may be in
// another file of the package.
func opRecovers(m *model.File, models []*model.File, p token.Pos) bool {
	for _, f := range append([]*model.File{m}, models...) {
		if f.AST != nil && p >= f.AST.FileStart && p < f.AST.FileEnd {
			return f.RecoverUseAt(p) != model.RecoverNone
		}
	}
	return false
}

func opText(st model.FieldStep) string {
	if st.Call != nil {
		return types.ExprString(st.Call.Fun) + "()"
	}
	return "this statement"
}

func closerText(st model.FieldStep) string {
	if st.Call != nil {
		return opText(st)
	}
	return "this function"
}
