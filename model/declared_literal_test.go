package model_test

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"
	"testing"
)

const declaredLiteralSrc = `package p

type node struct{ peers []string }

func mk() (*node, error) { return nil, nil }

func f(peers []string) {
	ptr := &node{peers: peers}
	val := node{peers: peers}
	again := &node{}
	again = &node{peers: peers}
	later := &node{}
	var spec = &node{}
	call, err := mk()
	notLit := ptr
	go func() {}() // the point asked about
	later = nil
	_, _, _, _, _, _, _, _ = ptr, val, again, later, spec, call, err, notLit
}
`

// DeclaredLiteral: the composite literal a local holds at the go
// statement, only when := declared it so and nothing assigned it since.
func TestDeclaredLiteral(t *testing.T) {
	p, file := checkedPackage(t, declaredLiteralSrc)
	var at token.Pos
	vars := map[string]*types.Var{}
	ast.Inspect(file, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.GoStmt:
			at = n.Pos()
		case *ast.Ident:
			if v, ok := p.Info.Defs[n].(*types.Var); ok && !v.IsField() {
				vars[n.Name] = v
			}
		}
		return true
	})
	for _, c := range []struct{ name, want string }{
		{"ptr", "proven line 8"},
		{"val", "proven line 9"},
		{"again", "unknown assigned again at line 11"},
		{"later", "proven line 12"}, // assigned only after the go statement
		{"spec", "unknown not declared by a composite literal"},
		{"call", "unknown not declared by a composite literal"},
		{"notLit", "unknown not declared by a composite literal"},
	} {
		lit, f := p.DeclaredLiteral(vars[c.name], at)
		cert, why, _ := strings.Cut(c.want, " ")
		if f.Certainty.String() != cert || (lit != nil) != f.ProvenTrue() || !strings.Contains(f.Why, why) {
			t.Errorf("%s: got %v %s (%s), want %s", c.name, lit != nil, f.Certainty, f.Why, c.want)
		}
	}
	// The writes behind it: later's declaration and its assignment after
	// the go statement; call's shared with err (no value of its own).
	if w := p.LocalWrites(vars["later"]); len(w) != 2 || !w[0].Defines || w[1].Defines {
		t.Errorf("later: writes %+v", w)
	}
	if w := p.LocalWrites(vars["call"]); len(w) != 1 || w[0].Value != nil || !w[0].Defines {
		t.Errorf("call: writes %+v", w)
	}
}
