package model

import (
	"go/ast"
	"go/token"
)

// LoopExits lists the statements in a range loop's body that can leave the
// loop before the channel is closed: a `break` of this loop, a labelled
// `break` or `goto` (which may target it or an outer statement), a
// `return`, and calls of panic, os.Exit, log.Fatal* and runtime.Goexit
// (by name: the syntax tier cannot resolve a shadowed package). A range over
// a channel nothing closes ends only through one of these.
func LoopExits(rs *ast.RangeStmt) []token.Pos {
	if rs == nil || rs.Body == nil {
		return nil
	}
	var out []token.Pos
	var walk func(n ast.Node, inner bool)
	walk = func(n ast.Node, inner bool) {
		ast.Inspect(n, func(x ast.Node) bool {
			switch x := x.(type) {
			case *ast.FuncLit:
				return false
			case *ast.ForStmt, *ast.RangeStmt, *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
				if x != n {
					// An unlabelled break in here leaves this statement, not the loop.
					walk(x, true)
					return false
				}
			case *ast.BranchStmt:
				switch {
				case x.Tok == token.BREAK && x.Label == nil && !inner:
					out = append(out, x.Pos())
				case (x.Tok == token.BREAK || x.Tok == token.GOTO) && x.Label != nil:
					out = append(out, x.Pos())
				}
			case *ast.ReturnStmt:
				out = append(out, x.Pos())
			case *ast.CallExpr:
				switch f := ast.Unparen(x.Fun).(type) {
				case *ast.Ident:
					if f.Name == "panic" && f.Obj == nil {
						out = append(out, x.Pos())
					}
				case *ast.SelectorExpr:
					if p, ok := f.X.(*ast.Ident); ok && p.Obj == nil {
						switch p.Name + "." + f.Sel.Name {
						case "os.Exit", "log.Fatal", "log.Fatalf", "log.Fatalln", "runtime.Goexit":
							out = append(out, x.Pos())
						}
					}
				}
			}
			return true
		})
	}
	walk(rs.Body, false)
	return out
}
