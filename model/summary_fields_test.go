package model_test

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"strings"
	"testing"

	"github.com/golens/golens/model"
)

// TestFieldSteps: what a function does to channel fields, by holder and in
// order, through calls of its own file and of the package's other files:
// receivers and arguments stand for the callee's receiver and parameters,
// a send after a possible panic is marked, a goroutine's close is in a
// goroutine, and stores and writes of the holder are steps.
func TestFieldSteps(t *testing.T) {
	files := map[string]string{
		"a.go": `package p

type notifier struct {
	events, other chan int
}

func (n *notifier) stop()        { close(n.events) }
func (n *notifier) notify(v int) { n.events <- v }

func (n *notifier) guarded(v int, closed bool) {
	if closed {
		panic("closed")
	}
	n.events <- v
}

func (n *notifier) reset() { n.events = make(chan int) }

func (n *notifier) maybe(ok bool) {
	if ok {
		close(n.other)
	}
}
`,
		"b.go": `package p

func stopBoth(a, b *notifier) {
	a.stop()
	b.other <- 1
}

func use(x, y *notifier) {
	stopBoth(y, x)
	x.notify(1)
	x.guarded(1, false)
	x.maybe(true)
	x.reset()
	x = y
	go x.stop()
}
`,
	}
	fset := token.NewFileSet()
	var asts []*ast.File
	for _, name := range []string{"a.go", "b.go"} {
		f, err := parser.ParseFile(fset, name, files[name], parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		asts = append(asts, f)
	}
	info := &types.Info{Uses: map[*ast.Ident]types.Object{}, Defs: map[*ast.Ident]types.Object{},
		Types: map[ast.Expr]types.TypeAndValue{}, Selections: map[*ast.SelectorExpr]*types.Selection{}}
	if _, err := (&types.Config{Importer: importer.Default()}).Check("p", fset, asts, info); err != nil {
		t.Fatal(err)
	}
	var models []*model.File
	for i, f := range asts {
		models = append(models, model.Build(fset, f, []byte(files[[]string{"a.go", "b.go"}[i]]), info))
	}
	b := models[1]
	var use *model.Summary
	for _, s := range b.Summaries() {
		if s.Name == "use" {
			use = s
		}
	}
	var got []string
	for _, st := range b.FieldSteps(use, models) {
		var line string
		switch {
		case st.Rebind:
			line = "rebind " + st.Var.Name()
		case st.Unseen:
			line = "unseen"
		case st.Store:
			line = "store " + types.ExprString(st.Holder) + "." + st.Field.Name()
		default:
			e := st.Effect
			line = effectNames[e.Kind] + " " + types.ExprString(st.Holder) + "." + st.Field.Name() + " " + e.Certainty.String()
			if e.InGo {
				line += " in-go"
			}
			if st.ExitFirst {
				line += " exit-first"
			}
		}
		if st.Call != nil {
			line += " via " + types.ExprString(st.Call.Fun)
		}
		got = append(got, line)
	}
	want := []string{
		"close y.events proven via stopBoth",
		"send x.other proven via stopBoth",
		"send x.events proven via x.notify",
		"send x.events proven exit-first via x.guarded",
		"close x.other possible via x.maybe",
		"store x.events via x.reset",
		"rebind x",
		"close x.events proven in-go via x.stop",
	}
	if g, w := strings.Join(got, "\n"), strings.Join(want, "\n"); g != w {
		t.Errorf("FieldSteps(use) =\n%s\nwant\n%s", g, w)
	}
}

var effectNames = map[model.EffectKind]string{model.EffClose: "close", model.EffSend: "send", model.EffRecv: "recv", model.EffRange: "range", model.EffEscape: "escape"}
