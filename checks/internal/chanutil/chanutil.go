// Package chanutil holds what golens's channel checks share: running a
// check's core over the package's models, resolving an identifier to its
// declaration. (What each mention of a channel does is the model's
// Chan.Refs.)
package chanutil

import (
	"fmt"
	"path/filepath"

	"bytes"
	"go/ast"
	"go/printer"
	"go/token"
	"go/types"

	"github.com/golens/golens/model"
)

// IsBuiltin reports whether fun names the predeclared function name.
func IsBuiltin(m *model.File, fun ast.Expr, name string) bool {
	id, ok := ast.Unparen(fun).(*ast.Ident)
	if !ok || id.Name != name {
		return false
	}
	if m.Info != nil {
		_, ok := m.Info.Uses[id].(*types.Builtin)
		return ok
	}
	return id.Obj == nil
}

// FuncAt returns the innermost function (declaration or literal) of the
// model whose body contains pos, or nil: the model's answer (File.FuncAt).
func FuncAt(m *model.File, pos token.Pos) *model.Func { return m.FuncAt(pos) }

// PathEnclosingInterval is astutil.PathEnclosingInterval(m.AST, start, end)
// without its cost in large files and huge functions: astutil lists the
// children of every node on the path, the file's declarations and the
// statements of every enclosing block included, so one call per operation
// is quadratic. pathEnclosingInterval (enclosing.go) searches long lists
// instead, so a lookup costs the depth of the path times the logarithm of
// the lists along it.
func PathEnclosingInterval(m *model.File, start, end token.Pos) (path []ast.Node, exact bool) {
	return pathEnclosingInterval(m.AST, start, end)
}

// IndentOf returns the indentation of the line on which pos starts, when pos
// is the first non-blank character of its line.
func IndentOf(m *model.File, pos token.Pos) (string, bool) {
	if m.Src == nil || !pos.IsValid() {
		return "", false
	}
	off := m.Offset(pos)
	if off <= 0 || off > len(m.Src) {
		return "", false
	}
	start := bytes.LastIndexByte(m.Src[:off], '\n') + 1
	ind := m.Src[start:off]
	if len(bytes.TrimLeft(ind, " \t")) != 0 {
		return "", false
	}
	return string(ind), true
}

// NodeText renders n as gofmt would.
func NodeText(m *model.File, n ast.Node) string {
	var buf bytes.Buffer
	if err := printer.Fprint(&buf, m.Fset, n); err != nil {
		return ""
	}
	return buf.String()
}

// LineOf is the 1-based line of pos (the model's File.Line).
func LineOf(m *model.File, pos token.Pos) int { return m.Line(pos) }

// PackageCallee is the function of pkg that call statically calls, or nil:
// a function value, an interface method, a method value through an embedded
// interface, or a function of another package. Checks that follow calls
// through the package's own functions start from it.
func PackageCallee(info *types.Info, pkg *types.Package, call *ast.CallExpr) *types.Func {
	return model.PackageCallee(info, pkg, call)
}

// Where spells p for a message about a finding at from: "line 12", or
// "file.go:12" when p is in another file of the package.
func Where(fset *token.FileSet, p, from token.Pos) string {
	a, b := fset.Position(p), fset.Position(from)
	if a.Filename == b.Filename {
		return fmt.Sprintf("line %d", a.Line)
	}
	return fmt.Sprintf("%s:%d", filepath.Base(a.Filename), a.Line)
}

// DeclAt is the top-level function declaration of files holding pos, or nil.
func DeclAt(files []*ast.File, pos token.Pos) *ast.FuncDecl {
	for _, f := range files {
		if f.FileStart <= pos && pos <= f.FileEnd {
			for _, d := range f.Decls {
				if fd, ok := d.(*ast.FuncDecl); ok && fd.Pos() <= pos && pos <= fd.End() {
					return fd
				}
			}
		}
	}
	return nil
}

// InLoopAt reports whether pos is inside a for or range loop of its own
// function (a loop around the function literal holding pos does not
// count).
func InLoopAt(file *ast.File, pos token.Pos) bool {
	path, _ := pathEnclosingInterval(file, pos, pos)
	for _, n := range path {
		switch n.(type) {
		case *ast.ForStmt, *ast.RangeStmt:
			return true
		case *ast.FuncLit, *ast.FuncDecl:
			return false
		}
	}
	return false
}
