package model

import (
	"go/ast"
	"go/token"
	"strconv"
	"strings"
)

// KeyOf returns the key the model gives the variable or field that e names
// (an identifier, a selector, or either behind * or &): the same key as the
// Chan, LockOp or WaitGroupOp on that variable carries. Features use it to
// bind a call's arguments to the callee's parameters.
func (f *File) KeyOf(e ast.Expr) (VarKey, bool) {
	if u, ok := ast.Unparen(e).(*ast.UnaryExpr); ok && u.Op == token.AND {
		e = u.X
	}
	b := f.keyBuilder()
	return b.keyOf(e)
}

// keyBuilder is a builder that can key the file's expressions (keyOf) and
// recognise its builtins (isBuiltin) after the build.
func (f *File) keyBuilder() *builder {
	b := &builder{m: f, imports: map[string]string{}}
	if f.AST != nil {
		for _, imp := range f.AST.Imports {
			path, err := strconv.Unquote(imp.Path.Value)
			if err != nil {
				continue
			}
			name := path[strings.LastIndex(path, "/")+1:]
			if imp.Name != nil {
				name = imp.Name.Name
			}
			b.imports[name] = path
		}
	}
	return b
}

// Decl returns where the variable behind the key is declared, or NoPos for a
// field keyed by name or a variable of another file.
func (k VarKey) Decl() token.Pos { return k.declOf() }

// FieldName returns the name of the struct field the key stands for when
// the key is that name alone (the syntax tier keys a field reached through
// a selector by its name, so every field of that name in the file shares
// one key: readOp.resp and writeOp.resp); "" for any other key, and for
// every key of the typed tier, which keys a field by its object.
func (k VarKey) FieldName() string {
	if k.obj == nil && strings.HasPrefix(k.field, ".") {
		return k.field[1:]
	}
	return ""
}
