package model_test

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"testing"

	"github.com/golens/golens/model"
)

const fieldSetsSrc = `package p

type counter struct{ n int }

func (c *counter) bump() { c.n++ }

type box struct {
	ready bool
	n     int
	c     counter
	pc    *counter
	never bool
}

func use(b *box) {
	b.ready = true
	b.ready, b.n = false, 2
	b.n++
	p := &b.n
	_ = p
	b.c.bump()
	b.pc.bump()
	_ = box{ready: false, n: 1}
	_ = b.never
}
`

// TestFieldSets pins where the package sets each field, and how.
func TestFieldSets(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", fieldSetsSrc, 0)
	if err != nil {
		t.Fatal(err)
	}
	info := &types.Info{Defs: map[*ast.Ident]types.Object{}, Uses: map[*ast.Ident]types.Object{},
		Selections: map[*ast.SelectorExpr]*types.Selection{}, Types: map[ast.Expr]types.TypeAndValue{}}
	pkg, err := (&types.Config{Importer: importer.Default()}).Check("p", fset, []*ast.File{f}, info)
	if err != nil {
		t.Fatal(err)
	}
	p := model.NewPackage(fset, []*ast.File{f}, info, pkg)
	st := pkg.Scope().Lookup("box").Type().Underlying().(*types.Struct)
	field := map[string]*types.Var{}
	for i := 0; i < st.NumFields(); i++ {
		field[st.Field(i).Name()] = st.Field(i)
	}
	kinds := func(name string) []model.FieldSetKind {
		var out []model.FieldSetKind
		for _, s := range p.FieldSets(field[name]) {
			out = append(out, s.Kind)
		}
		return out
	}
	for _, tc := range []struct {
		field string
		want  []model.FieldSetKind
	}{
		{"ready", []model.FieldSetKind{model.FieldAssign, model.FieldAssign, model.FieldLiteral}},
		{"n", []model.FieldSetKind{model.FieldAssign, model.FieldIncDec, model.FieldAddress, model.FieldLiteral}},
		{"c", []model.FieldSetKind{model.FieldReceiver}},
		{"pc", []model.FieldSetKind{model.FieldReceiver}},
		{"never", nil},
	} {
		got := kinds(tc.field)
		if len(got) != len(tc.want) {
			t.Errorf("FieldSets(%s) kinds = %v, want %v", tc.field, got, tc.want)
			continue
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Errorf("FieldSets(%s) kinds = %v, want %v", tc.field, got, tc.want)
				break
			}
		}
	}
	// The second assignment sets ready to false: its value is the literal false.
	if sets := p.FieldSets(field["ready"]); len(sets) < 2 || types.ExprString(sets[1].Value) != "false" {
		t.Errorf("second set of ready: want value false")
	}
}
