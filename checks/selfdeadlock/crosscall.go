package selfdeadlock

import (
	"embed"
	"fmt"
	"go/types"
	"strings"
	"text/template"

	"golang.org/x/tools/go/analysis"

	"github.com/golens/golens/checks/internal/chanutil"
	"github.com/golens/golens/checks/modelpass"
	"github.com/golens/golens/model"
)

// Sends through calls: a goroutine fills a channel field's buffer, then
// calls a method of the package that sends on it again before that method
// starts the only receiver (cockroach's Compactor.Start).

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

func run(pass *analysis.Pass) (any, error) {
	res := pass.ResultOf[modelpass.Analyzer].(*modelpass.Result)
	models, pkg := res.Order, res.Package
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
			if s.Func == nil || s.Func.Body == nil {
				continue
			}
			if d, ok := overfill(pass, pkg, models, m, s, stored); ok {
				pass.Report(d)
			}
		}
	}
	return nil, nil
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

type fill struct {
	n     int
	sends []model.FieldStep
}

// overfill follows one function's steps on channel fields, in order,
// through the calls it makes (model.File.FieldSteps), and reports the first
// send on a buffered field channel that finds the buffer full while
// nothing can receive yet: every receive from the field in the package is
// in the function that performs this send, after it, and that function is
// called from here only.
func overfill(pass *analysis.Pass, pkg *model.Package, models []*model.File, m *model.File, s *model.Summary, stored map[*types.Var]bool) (analysis.Diagnostic, bool) {
	fills := map[fieldOf]*fill{}
	paths := map[fieldOf][]*types.Var{} // each key's holder path of fields
	forget := func(gone func(fieldOf) bool) {
		for k := range fills {
			if gone(k) {
				delete(fills, k)
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
			// A call golens does not follow cannot receive: every
			// receive is checked below to be after the blocking send.
			// It can put a new channel in the field, if any code does.
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
		switch e.Kind {
		case model.EffRecv, model.EffRange:
			if !e.InGo { // a goroutine's receive: checked below
				forget(func(k fieldOf) bool { return k.on(paths[k], st.Field) })
			}
			continue
		case model.EffEscape:
			if stored[st.Field] {
				forget(func(k fieldOf) bool { return k.on(paths[k], st.Field) })
			}
			continue
		case model.EffSend:
		default:
			continue
		}
		// A send on every path, in this goroutine, where it is written in
		// this function's own code (a function literal's code is checked
		// as its own function).
		if st.In != s.Func || e.Certainty != model.Proven || e.InGo || e.Deferred || st.ExitFirst {
			continue
		}
		capacity, known := pkg.FieldCapacity(st.Field)
		holder, fields, ok := model.HolderPath(pass.TypesInfo, st.Holder)
		if !known || !ok {
			continue
		}
		key := fieldOf{holder, types.ExprString(st.Holder), st.Field}
		f := fills[key]
		if f == nil {
			f = &fill{}
			fills[key], paths[key] = f, fields
		}
		f.n++
		f.sends = append(f.sends, st)
		if f.n <= capacity || st.Call == nil {
			continue
		}
		fd := chanutil.DeclAt(pass.Files, st.Pos)
		fn := (*types.Func)(nil)
		if fd != nil {
			fn, _ = pass.TypesInfo.Defs[fd.Name].(*types.Func)
		}
		// Called from here only: its one use (a call or a value) is
		// this call.
		recvs := pkg.ChanFieldReads()[st.Field]
		if fn == nil || pkg.Uses()[fn.Origin()] != 1 || len(recvs) == 0 {
			return analysis.Diagnostic{}, false
		}
		for _, r := range recvs {
			if r < st.Pos || r > fd.End() {
				return analysis.Diagnostic{}, false
			}
		}
		related := []analysis.RelatedInformation{{Pos: st.Pos, Message: "the send that blocks"}}
		var earlier []string
		for _, s := range f.sends[:len(f.sends)-1] {
			related = append(related, analysis.RelatedInformation{Pos: s.Pos, Message: "an earlier send fills the buffer"})
			earlier = append(earlier, chanutil.Where(pass.Fset, s.Pos, st.Call.Pos()))
		}
		related = append(related, analysis.RelatedInformation{Pos: recvs[0], Message: "the only receive, reached after the send"})
		what := "buffer of " + fmt.Sprint(capacity)
		if capacity == 0 {
			what = "unbuffered channel"
		}
		return analysis.Diagnostic{Pos: st.Call.Pos(), End: st.Call.End(), Category: name,
			Message: message("overfill", map[string]any{
				"Call": types.ExprString(st.Call.Fun) + "()", "Chan": key.path + "." + st.Field.Name(), "SendAt": chanutil.Where(pass.Fset, st.Pos, st.Call.Pos()),
				"What": what, "Full": capacity > 0, "Earlier": strings.Join(earlier, ", "), "Func": fn.Name(),
				"RecvAt": chanutil.Where(pass.Fset, recvs[0], st.Call.Pos()),
			}),
			Related: related}, true
	}
	return analysis.Diagnostic{}, false
}
