package model

import (
	"go/ast"
	"go/token"
	"go/types"
)

// TestedBefore says whether the function whose body is body has tested or
// assigned the variable v by the time it reaches at: a condition before at
// (an if's, a for's, a switch's tag, a case of a switch) mentions v, or an
// assignment statement before at mentions it on its left (`v = x`,
// `v += k`), or an increment or decrement changes it (`v++`, `v--`): the
// function then chose the value it passes on, from its caller's or not,
// and may have ruled a goroutine's early return out with it (`n++` makes a
// caller's 0 a 1). It reads the syntax: a
// statement that starts before at counts whether or not the path to at
// runs it. The nopartner check reads it (through UncheckedParams) to tell
// that a value passed on to a goroutine is the caller's to decide: a
// parameter the starter never tested may be anything its caller chose.
// Proven either way; why names what tests it.
func TestedBefore(info *types.Info, body *ast.BlockStmt, v types.Object, at token.Pos) Fact {
	if info == nil || body == nil || v == nil {
		return Fact{}
	}
	mentions := func(e ast.Node) bool {
		if e == nil {
			return false
		}
		m := false
		ast.Inspect(e, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok && info.Uses[id] == v {
				m = true
			}
			return !m
		})
		return m
	}
	by := ""
	ast.Inspect(body, func(n ast.Node) bool {
		if by != "" || n == nil || n.Pos() >= at {
			return false
		}
		switch n := n.(type) {
		case *ast.IfStmt:
			if mentions(n.Cond) {
				by = "an if condition"
			}
		case *ast.SwitchStmt:
			if mentions(n.Tag) {
				by = "a switch"
			}
		case *ast.CaseClause:
			for _, e := range n.List {
				if by == "" && mentions(e) {
					by = "a case of a switch"
				}
			}
		case *ast.ForStmt:
			if mentions(n.Cond) {
				by = "a loop condition"
			}
		case *ast.AssignStmt:
			for _, l := range n.Lhs {
				if by == "" && mentions(l) {
					by = "an assignment"
				}
			}
		case *ast.IncDecStmt:
			if mentions(n.X) {
				by = "an increment or decrement"
			}
		}
		return by == ""
	})
	if by == "" {
		return Fact{Certainty: Proven, Why: "`" + v.Name() + "` is tested and assigned nowhere before"}
	}
	return Fact{Certainty: Proven, Holds: true, Why: "`" + v.Name() + "` is mentioned by " + by + " before"}
}
