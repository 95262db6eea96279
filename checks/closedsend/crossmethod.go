package closedsend

import (
	"embed"
	"go/ast"
	"go/types"
	"strings"
	"text/template"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/golens/golens/checks/internal/chaneffects"
	"github.com/golens/golens/checks/internal/chanutil"
	"github.com/golens/golens/checks/modelpass"
	"github.com/golens/golens/model"
)

// Close and send through calls: one goroutine calls a method that closes a
// channel field, then one that sends on it (s.Stop(); s.Notify()). The
// per-function check above sees neither operation; the package's call
// summaries (checks/internal/chaneffects) show both, in order.

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

func crossMethod(pass *analysis.Pass) {
	sums := chaneffects.New(pass)
	ins := inspector.New(pass.Files)
	reassigned := map[string]bool{} // field names some code assigns
	for cur := range ins.Root().Preorder((*ast.AssignStmt)(nil)) {
		for _, l := range cur.Node().(*ast.AssignStmt).Lhs {
			if _, f := sums.FieldOn(l); f != nil {
				reassigned[f.Name()] = true
			}
		}
	}
	models := pass.ResultOf[modelpass.Analyzer].(*modelpass.Result).Order
	modelOf := func(n ast.Node) *model.File {
		for _, m := range models {
			if m.AST.Pos() <= n.Pos() && n.Pos() < m.AST.End() {
				return m
			}
		}
		return nil
	}
	for cur := range ins.Root().Preorder((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		var body *ast.BlockStmt
		switch n := cur.Node().(type) {
		case *ast.FuncDecl:
			body = n.Body
		case *ast.FuncLit:
			body = n.Body
		}
		if body == nil {
			continue
		}
		if m := modelOf(body); m == nil || m.CallsRecover(body) {
			continue // panics on purpose (the model's recover calls)
		}
		closed := map[string]chaneffects.Step{}
		for _, st := range sums.Sequence(body.List) {
			switch st.Kind {
			case chaneffects.Opaque:
				// Code golens does not follow may put a new channel in
				// the field, if any code does.
				for k, c := range closed {
					if reassigned[c.Field.Name()] {
						delete(closed, k)
					}
				}
				continue
			case chaneffects.Set:
				for k := range closed {
					if k == st.Base || strings.HasPrefix(k, st.Base+".") {
						delete(closed, k)
					}
				}
				continue
			case chaneffects.Recv:
				continue
			}
			key := st.Base + "." + st.Field.Name()
			c, wasClosed := closed[key]
			if !wasClosed {
				if st.Kind == chaneffects.Close {
					closed[key] = st
				}
				continue
			}
			if c.Via == nil && st.Via == nil {
				continue // both in this function: the per-function check
			}
			pos, end := st.Pos, st.Pos
			if st.Via != nil {
				pos, end = st.Via.Pos(), st.Via.End()
			}
			tmpl := "sendAfterClose"
			if st.Kind == chaneffects.Close {
				tmpl = "closeTwice"
			}
			pass.Report(analysis.Diagnostic{Pos: pos, End: end, Category: name,
				Message: message(tmpl, map[string]any{
					"Op": opText(st), "Chan": key, "OpAt": chanutil.Where(pass.Fset, st.Pos, pos),
					"Closer": closerText(c), "CloseAt": chanutil.Where(pass.Fset, c.Pos, pos),
				}),
				Related: []analysis.RelatedInformation{
					{Pos: c.Pos, Message: "closed here"},
					{Pos: st.Pos, Message: map[bool]string{true: "closed again here", false: "the send that panics"}[st.Kind == chaneffects.Close]},
				}})
			delete(closed, key) // once per close
		}
	}
}

func opText(st chaneffects.Step) string {
	if st.Via != nil {
		return types.ExprString(st.Via.Fun) + "()"
	}
	return "this statement"
}

func closerText(st chaneffects.Step) string {
	if st.Via != nil {
		return opText(st)
	}
	return "this function"
}
