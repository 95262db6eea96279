package model

import (
	"go/ast"
	"go/token"
	"go/types"
)

// ChanFieldWrites lists, on the typed tier, the struct fields of channel
// type that this file can set: an assignment to the field (a make, another
// channel, nil), a range that assigns it as key or value, &s.f (written
// through the pointer), and a composite literal that names the field or
// lists every field positionally. Fields are their generic origins. nil on
// the syntax tier, which cannot tell a field from another of the same name.
//
// An unexported field can be set only by its own package, so a field that
// no file of the package lists is nil in every value of the struct (the
// nilchan check reads this across the package's models). Computed on each
// call: one walk of the file.
func (m *File) ChanFieldWrites() map[*types.Var]bool {
	if m.Info == nil {
		return nil
	}
	written := map[*types.Var]bool{}
	chanFieldWrites(m.Info, m.AST, written)
	return written
}

// chanFieldWrites adds to written the channel fields file can set
// (File.ChanFieldWrites).
func chanFieldWrites(info *types.Info, file *ast.File, written map[*types.Var]bool) {
	mark := func(v *types.Var) {
		if v == nil || !v.IsField() {
			return
		}
		if _, isChan := v.Type().Underlying().(*types.Chan); isChan {
			written[v.Origin()] = true
		}
	}
	fieldOf := func(e ast.Expr) *types.Var {
		sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
		if !ok {
			return nil
		}
		s, ok := info.Selections[sel]
		if !ok || s.Kind() != types.FieldVal {
			return nil
		}
		v, _ := s.Obj().(*types.Var)
		return v
	}
	ast.Inspect(file, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for _, l := range n.Lhs {
				mark(fieldOf(l))
			}
		case *ast.RangeStmt:
			mark(fieldOf(n.Key))
			mark(fieldOf(n.Value))
		case *ast.UnaryExpr:
			if n.Op == token.AND {
				mark(fieldOf(n.X))
			}
		case *ast.CompositeLit:
			t := info.TypeOf(n)
			if t == nil {
				return true
			}
			if p, ok := t.Underlying().(*types.Pointer); ok {
				t = p.Elem()
			}
			st, ok := t.Underlying().(*types.Struct)
			if !ok {
				return true
			}
			for _, el := range n.Elts {
				kv, ok := el.(*ast.KeyValueExpr)
				if !ok {
					// Positional: every field is set.
					for i := 0; i < st.NumFields(); i++ {
						mark(st.Field(i))
					}
					break
				}
				if id, ok := kv.Key.(*ast.Ident); ok {
					v, _ := info.ObjectOf(id).(*types.Var)
					mark(v)
				}
			}
		}
		return true
	})
}
