package hints

import (
	"go/ast"
	"go/token"
	"strconv"
	"time"

	"github.com/golens/golens/model"
)

var timeUnits = map[string]time.Duration{
	"Nanosecond": time.Nanosecond, "Microsecond": time.Microsecond, "Millisecond": time.Millisecond,
	"Second": time.Second, "Minute": time.Minute, "Hour": time.Hour,
}

// duration returns a time call's constant duration argument as text: the
// model's typed value, or on the syntax tier the common written forms
// `time.Second`, `2 * time.Second`, `time.Second * 2`, `500 * time.Millisecond`.
func (s *state) duration(t *model.TimeCall) string {
	if t.Value != "" || len(t.Call.Args) == 0 || s.m.Info != nil {
		return t.Value
	}
	if d, ok := s.syntaxDuration(t.Call.Args[0]); ok {
		return d.String()
	}
	return ""
}

func (s *state) syntaxDuration(e ast.Expr) (time.Duration, bool) {
	switch e := ast.Unparen(e).(type) {
	case *ast.SelectorExpr:
		x, ok := e.X.(*ast.Ident)
		if !ok || x.Obj != nil || !s.importsTimeAs(x.Name) {
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
	case *ast.BinaryExpr:
		if e.Op != token.MUL {
			return 0, false
		}
		a, ok1 := s.syntaxDuration(e.X)
		b, ok2 := s.syntaxDuration(e.Y)
		if !ok1 || !ok2 {
			return 0, false
		}
		return a * b, true
	}
	return 0, false
}

func (s *state) importsTimeAs(name string) bool {
	for _, imp := range s.m.AST.Imports {
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
