package hover

import (
	"bytes"
	"fmt"
	"go/token"
	"strings"

	"github.com/golens/golens/explain"
	"github.com/golens/golens/model"
)

// onceFuncFacts are the facts of a sync.OnceFunc, OnceValue or OnceValues
// call (model.OnceFuncCall), which the template "oncefunc" reads.
type onceFuncFacts struct {
	Name         string // "OnceFunc", "OnceValue", "OnceValues"
	FuncName     string // the function whose body holds the call, as funcName says it; "" at package level
	PackageVar   string
	CalledAtOnce bool
	LoopLine     int
}

// onceFuncAt is the hover of a sync.OnceFunc/OnceValue/OnceValues call at
// pos, or nil. These calls are not model sites: the model finds the call
// at pos when asked (File.OnceFuncAt), so the build does no work for them.
func onceFuncAt(m *model.File, pos token.Pos) *Result {
	o := m.OnceFuncAt(pos)
	if o == nil {
		return nil
	}
	f := &onceFuncFacts{Name: o.Name, PackageVar: o.PackageVar, CalledAtOnce: o.CalledAtOnce}
	if o.Func != nil {
		f.FuncName = funcName(o.Func)
	}
	if o.Loop != nil {
		f.LoopLine = m.Line(o.Loop.Pos())
	}
	var buf bytes.Buffer
	if err := templates.ExecuteTemplate(&buf, "oncefunc", f); err != nil {
		return nil // a template bug must not take the server down
	}
	t := explain.MustLookup("oncefunc")
	text := strings.TrimSpace(buf.String())
	md := fmt.Sprintf("%s\n\n%s\n\n[%s](%s)", text, t.Summary, linkLabel(t.Link), t.Link)
	return &Result{Markdown: md, Start: m.Offset(o.Sel.Pos()), End: m.Offset(o.Sel.End()), Topic: "oncefunc"}
}
