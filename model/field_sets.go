package model

import (
	"go/ast"
	"go/token"
	"go/types"
)

// FieldSetKind says how code sets, or may change, a struct field.
type FieldSetKind uint8

const (
	// FieldAssign: x.f = v (or x.f op= v), one target of an assignment.
	FieldAssign FieldSetKind = iota
	// FieldIncDec: x.f++ or x.f--.
	FieldIncDec
	// FieldAddress: &x.f, after which anything may write through the
	// pointer.
	FieldAddress
	// FieldReceiver: x.f.m(...), a call through the field's value; a
	// method of a non-pointer field may take its address and change it.
	FieldReceiver
	// FieldLiteral: T{f: v}, a composite literal that names the field.
	FieldLiteral
)

// FieldSet is one place where the package's code sets a struct field or
// may change it.
type FieldSet struct {
	Kind FieldSetKind
	// At is the node that sets it: the *ast.AssignStmt, *ast.IncDecStmt,
	// the &x.f *ast.UnaryExpr, the *ast.CallExpr, or the
	// *ast.KeyValueExpr of a literal.
	At ast.Node
	// Value is the value set, when one is written: the assignment's value
	// for this target (nil when one call returns them all), the literal's
	// value for the key.
	Value ast.Expr
	Lit   *ast.CompositeLit // FieldLiteral: the literal
	File  *ast.File
}

// FieldSets lists, in the order of a walk of the files, every place of the package that sets the
// struct field f (as the type checker names it: instantiated fields are
// their own) or may change it. Computed on first read for every field, in
// one walk of the package. Fields set only by code outside the package
// (exported fields) are the caller's to rule out.
func (p *Package) FieldSets(f *types.Var) []FieldSet {
	p.fieldSetsOnce.Do(func() {
		p.fieldSets = map[*types.Var][]FieldSet{}
		for _, file := range p.Files {
			p.collectFieldSets(file)
		}
	})
	return p.fieldSets[f]
}

func (p *Package) collectFieldSets(file *ast.File) {
	info := p.Info
	fieldOf := func(e ast.Expr) *types.Var {
		sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
		if !ok {
			return nil
		}
		s := info.Selections[sel]
		if s == nil || s.Kind() != types.FieldVal {
			return nil
		}
		v, _ := s.Obj().(*types.Var)
		return v
	}
	add := func(f *types.Var, s FieldSet) {
		if f != nil {
			s.File = file
			p.fieldSets[f] = append(p.fieldSets[f], s)
		}
	}
	litOf := map[*ast.KeyValueExpr]*ast.CompositeLit{}
	ast.Inspect(file, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for i, l := range n.Lhs {
				s := FieldSet{Kind: FieldAssign, At: n}
				if len(n.Lhs) == len(n.Rhs) {
					s.Value = n.Rhs[i]
				}
				add(fieldOf(l), s)
			}
		case *ast.IncDecStmt:
			add(fieldOf(n.X), FieldSet{Kind: FieldIncDec, At: n})
		case *ast.UnaryExpr:
			if n.Op == token.AND {
				add(fieldOf(n.X), FieldSet{Kind: FieldAddress, At: n})
			}
		case *ast.CallExpr:
			if s, ok := n.Fun.(*ast.SelectorExpr); ok {
				add(fieldOf(s.X), FieldSet{Kind: FieldReceiver, At: n})
			}
		case *ast.CompositeLit:
			for _, e := range n.Elts {
				if kv, ok := e.(*ast.KeyValueExpr); ok {
					litOf[kv] = n
				}
			}
		case *ast.KeyValueExpr:
			// Recorded here, not at the literal, so that the sets stay in
			// the order of a walk of the file.
			if k, ok := n.Key.(*ast.Ident); ok && litOf[n] != nil {
				if v, ok := info.Uses[k].(*types.Var); ok && v.IsField() {
					add(v, FieldSet{Kind: FieldLiteral, At: n, Value: n.Value, Lit: litOf[n]})
				}
			}
		}
		return true
	})
}
