package model_test

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"sort"
	"strings"
	"testing"

	"github.com/golens/golens/model"
)

// TestCancelStores: where each constructor's cancel func is stored, when
// storing it in fields is all that happens to it; and which fields the
// file reads.
func TestCancelStores(t *testing.T) {
	const src = `package p

import "context"

type s struct {
	ctx    context.Context
	cancel context.CancelFunc
	stop   func()
	n      int
}

func direct(x *s, p context.Context) {
	x.ctx, x.cancel = context.WithCancel(p)
}

func keyed(p context.Context) *s {
	ctx, cancel := context.WithCancel(p)
	return &s{ctx: ctx, stop: cancel}
}

func assigned(x *s, p context.Context) {
	_, cancel := context.WithCancel(p)
	x.stop = cancel
}

func called(x *s, p context.Context) {
	_, cancel := context.WithCancel(p)
	x.stop = cancel
	defer cancel()
}

func ctxAssigned(x *s, p context.Context) {
	ctx, cancel := context.WithCancel(p)
	x.ctx = ctx
	x.stop = cancel
}

func discarded(p context.Context) {
	_, _ = context.WithCancel(p)
}

func held(p context.Context) *s {
	ctx, cancel := context.WithCancel(p)
	v := &s{ctx: ctx, stop: cancel}
	return v
}

func notAlways(p context.Context, ok bool) *s {
	ctx, cancel := context.WithCancel(p)
	v := &s{ctx: ctx, stop: cancel}
	if !ok {
		return nil
	}
	return v
}

func reads(x *s) int {
	x.n = 1
	x.stop()
	return x.n
}
`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	info := &types.Info{Uses: map[*ast.Ident]types.Object{}, Defs: map[*ast.Ident]types.Object{},
		Types: map[ast.Expr]types.TypeAndValue{}, Selections: map[*ast.SelectorExpr]*types.Selection{}}
	if _, err := (&types.Config{Importer: importer.Default()}).Check("p", fset, []*ast.File{f}, info); err != nil {
		t.Fatal(err)
	}
	m := model.Build(fset, f, []byte(src), info)
	var got []string
	for _, cc := range m.CtxCalls {
		stores, as := m.CancelStores(cc)
		line := cc.Func.Name + ":"
		if as == nil {
			line += " no assignment"
		}
		for _, st := range stores {
			line += " " + st.Field.Name()
			if st.Lit != nil {
				line += " (literal"
				if st.CtxField != nil {
					line += ", context in " + st.CtxField.Name()
				}
				if st.Returned {
					line += ", returned"
				}
				line += ")"
			}
		}
		got = append(got, line)
	}
	want := []string{
		"direct: cancel",
		"keyed: stop (literal, context in ctx, returned)",
		"assigned: stop",
		"called:",
		"ctxAssigned: stop",
		"discarded:",
		"held: stop (literal, context in ctx, returned)",
		"notAlways: stop (literal, context in ctx)",
	}
	if g, w := strings.Join(got, "\n"), strings.Join(want, "\n"); g != w {
		t.Errorf("CancelStores:\n%s\nwant:\n%s", g, w)
	}
	// Where each constructor's context is stored: its own assignment, the
	// literal beside the cancel func, or a later x.ctx = ctx.
	var ctxGot []string
	for _, cc := range m.CtxCalls {
		line := cc.Func.Name + ":"
		for _, f := range m.ContextFields(cc) {
			line += " " + f.Name()
		}
		ctxGot = append(ctxGot, line)
	}
	ctxWant := []string{"direct: ctx", "keyed: ctx", "assigned:", "called:", "ctxAssigned: ctx", "discarded:", "held: ctx", "notAlways: ctx"}
	if g, w := strings.Join(ctxGot, "\n"), strings.Join(ctxWant, "\n"); g != w {
		t.Errorf("ContextFields:\n%s\nwant:\n%s", g, w)
	}
	var read []string
	for v := range m.ReadFields() {
		read = append(read, v.Name())
	}
	sort.Strings(read)
	// x.n = 1 and x.stop = cancel write; x.stop() and return x.n read.
	if g, w := strings.Join(read, " "), "n stop"; g != w {
		t.Errorf("ReadFields = %q, want %q", g, w)
	}
	if sm := model.Parse("p.go", []byte(src)); len(sm.CtxCalls) == 0 {
		t.Error("syntax tier: no context calls")
	} else if st, _ := sm.CancelStores(sm.CtxCalls[0]); st != nil {
		t.Errorf("syntax tier: CancelStores = %v, want nil", st)
	}
}
