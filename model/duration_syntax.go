package model

import (
	"go/ast"
	"go/token"
	"strconv"
	"time"
)

// timeUnits are package time's Duration constants.
var timeUnits = map[string]time.Duration{
	"Nanosecond": time.Nanosecond, "Microsecond": time.Microsecond, "Millisecond": time.Millisecond,
	"Second": time.Second, "Minute": time.Minute, "Hour": time.Hour,
}

// syntaxDuration evaluates, on the syntax tier, the common written forms
// of a constant duration: `time.Second`, `2 * time.Second`,
// `time.Second * 2`, `500 * time.Millisecond` (products of integer
// literals and package time's unit constants, with time imported under
// that name and not shadowed). Hover and hints both read the result
// (TimeCall.Value), so they state the same duration on both tiers.
func (b *builder) syntaxDuration(e ast.Expr) (time.Duration, bool) {
	switch e := ast.Unparen(e).(type) {
	case *ast.SelectorExpr:
		x, ok := e.X.(*ast.Ident)
		if !ok || x.Obj != nil || !b.importsTimeAs(x.Name) {
			return 0, false
		}
		d, ok := timeUnits[e.Sel.Name]
		return d, ok
	case *ast.BasicLit:
		if e.Kind != token.INT {
			return 0, false
		}
		n, err := strconv.ParseInt(e.Value, 0, 64)
		return time.Duration(n), err == nil
	case *ast.UnaryExpr:
		if e.Op != token.SUB {
			return 0, false
		}
		d, ok := b.syntaxDuration(e.X)
		return -d, ok
	case *ast.BinaryExpr:
		if e.Op != token.MUL {
			return 0, false
		}
		x, ok1 := b.syntaxDuration(e.X)
		y, ok2 := b.syntaxDuration(e.Y)
		if !ok1 || !ok2 {
			return 0, false
		}
		return x * y, true
	}
	return 0, false
}

func (b *builder) importsTimeAs(name string) bool {
	for _, imp := range b.m.AST.Imports {
		if imp.Path.Value != `"time"` {
			continue
		}
		if imp.Name == nil {
			return name == "time"
		}
		return imp.Name.Name == name
	}
	return false
}
