package hover

import (
	"go/ast"
	"go/token"
	"strconv"

	"github.com/golens/golens/model"
)

// rangeExit describes the first statement in a range loop's body that
// leaves the loop without the channel being closed — a break of this loop,
// a return, a goto to a label outside the body, or a call of panic,
// os.Exit, log.Fatal* or runtime.Goexit — as "break at line 12", or ""
// when there is none. Function literals in the body are not part of the
// loop's control flow and are skipped. A range over a channel "never ends"
// only when there is no such statement (https://go.dev/ref/spec#For_range,
// https://go.dev/ref/spec#Break_statements).
func rangeExit(m *model.File, rs *ast.RangeStmt) string {
	if m == nil || m.AST == nil || rs == nil || rs.Body == nil {
		return ""
	}
	label := ""
	ast.Inspect(m.AST, func(n ast.Node) bool {
		if ls, ok := n.(*ast.LabeledStmt); ok && ls.Stmt == rs {
			label = ls.Label.Name
			return false
		}
		return label == ""
	})
	inner := map[string]bool{} // labels declared inside the body
	ast.Inspect(rs.Body, func(n ast.Node) bool {
		if ls, ok := n.(*ast.LabeledStmt); ok {
			inner[ls.Label.Name] = true
		}
		return true
	})
	what, at := "", token.NoPos
	var walk func(n ast.Node, breakable int)
	walk = func(n ast.Node, breakable int) {
		ast.Inspect(n, func(c ast.Node) bool {
			if what != "" || c == nil {
				return false
			}
			switch c := c.(type) {
			case *ast.FuncLit:
				return false
			case *ast.ForStmt, *ast.RangeStmt, *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
				if c != n {
					// An unlabelled break inside these ends them, not our loop.
					walk(c, breakable+1)
					return false
				}
			case *ast.BranchStmt:
				switch {
				case c.Tok == token.BREAK && c.Label == nil && breakable == 0,
					c.Tok == token.BREAK && c.Label != nil && c.Label.Name == label && label != "":
					what, at = "break", c.Pos()
				case c.Tok == token.GOTO && c.Label != nil && !inner[c.Label.Name]:
					what, at = "goto", c.Pos()
				}
			case *ast.ReturnStmt:
				what, at = "return", c.Pos()
			case *ast.CallExpr:
				if name := exitCall(c); name != "" {
					what, at = name, c.Pos()
				}
			}
			return what == ""
		})
	}
	walk(rs.Body, 0)
	if what == "" {
		return ""
	}
	return "`" + what + "` at line " + strconv.Itoa(m.Line(at))
}

// exitCall names a call that ends the goroutine or the program.
func exitCall(c *ast.CallExpr) string {
	switch fn := c.Fun.(type) {
	case *ast.Ident:
		if fn.Name == "panic" {
			return "panic"
		}
	case *ast.SelectorExpr:
		if pkg, ok := fn.X.(*ast.Ident); ok {
			switch pkg.Name + "." + fn.Sel.Name {
			case "os.Exit", "log.Fatal", "log.Fatalf", "log.Fatalln", "runtime.Goexit":
				return pkg.Name + "." + fn.Sel.Name
			}
		}
	}
	return ""
}
