package model

import (
	"go/ast"
	"go/token"
	"sort"

	"golang.org/x/tools/go/ast/astutil"
)

// EnclosingPath is astutil.PathEnclosingInterval(file, start, end) that
// walks only the top-level declaration holding the interval. The model
// asks for the path of many operations of one file (every close in a
// function literal, every Cond wait, every guarded defer...); from the
// file's root each ask lists and sorts all of the file's declarations
// first, which made an edit-then-hover on a 5,000-line file pay a second
// parse. The result is the same path: its last node is file.
func EnclosingPath(file *ast.File, start, end token.Pos) (path []ast.Node, exact bool) {
	if file == nil {
		return nil, false
	}
	decls := file.Decls
	i := sort.Search(len(decls), func(i int) bool { return decls[i].End() > start })
	if i == len(decls) || decls[i].Pos() > start || end > decls[i].End() {
		return astutil.PathEnclosingInterval(file, start, end)
	}
	// A file of one declaration: the same root checks, the same "package"
	// token and name, so PathEnclosingInterval answers as it would on the
	// whole file for any interval inside that declaration.
	one := &ast.File{Package: file.Package, Name: file.Name, Decls: decls[i : i+1], FileStart: file.FileStart, FileEnd: file.FileEnd}
	path, exact = astutil.PathEnclosingInterval(one, start, end)
	if n := len(path); n > 0 && path[n-1] == ast.Node(one) {
		path[n-1] = file
	}
	return path, exact
}

// stmtList is the statement list a block, case or comm clause holds (nil
// for any other node): the lists a statement can stand in.
func stmtList(n ast.Node) []ast.Stmt {
	switch n := n.(type) {
	case *ast.BlockStmt:
		return n.List
	case *ast.CaseClause:
		return n.Body
	case *ast.CommClause:
		return n.Body
	}
	return nil
}
