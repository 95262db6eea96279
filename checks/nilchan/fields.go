package nilchan

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"

	"github.com/golens/golens/checks/modelpass"
)

// checkFields reports operations on an unexported struct field of channel
// type that no code of the package ever sets: no assignment, no composite
// literal naming it (or listing all fields), no &s.f (the model's
// ChanFieldWrites of every file). Only the package can
// set an unexported field, so the typed tier, which sees every file of the
// package, can tell that it is nil in every value of the struct.
func checkFields(pass *analysis.Pass) {
	for _, imp := range pass.Pkg.Imports() {
		if imp.Path() == "reflect" || imp.Path() == "unsafe" {
			return // fields may be set behind the type checker's back
		}
	}
	info := pass.TypesInfo
	fieldOf := func(e ast.Expr) *types.Var {
		sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
		if !ok {
			return nil
		}
		s, ok := info.Selections[sel]
		if !ok || s.Kind() != types.FieldVal {
			return nil
		}
		v, ok := s.Obj().(*types.Var)
		if !ok || v.Pkg() != pass.Pkg || v.Exported() {
			return nil
		}
		if _, isChan := v.Type().Underlying().(*types.Chan); !isChan {
			return nil
		}
		return v.Origin()
	}
	// Where the package sets its channel fields: the model's answer, file
	// by file (model.File.ChanFieldWrites).
	written := map[*types.Var]bool{}
	for _, m := range pass.ResultOf[modelpass.Analyzer].(*modelpass.Result).Order {
		for v := range m.ChanFieldWrites() {
			written[v] = true
		}
	}
	type op struct {
		pos, end token.Pos
		what     string
		expr     ast.Expr
	}
	ops := map[*types.Var][]op{}
	for _, f := range pass.Files {
		var stack []ast.Node
		ast.Inspect(f, func(n ast.Node) bool {
			if n == nil {
				stack = stack[:len(stack)-1]
				return false
			}
			stack = append(stack, n)
			switch n := n.(type) {
			case *ast.RangeStmt:
				if v := fieldOf(n.X); v != nil {
					ops[v] = append(ops[v], op{n.For, n.Body.Lbrace, "range over", n.X})
				}
			case *ast.UnaryExpr:
				if v := fieldOf(n.X); v != nil && n.Op == token.ARROW && !inMultiSelect(stack, n.OpPos) {
					ops[v] = append(ops[v], op{n.OpPos, n.End(), "receive from", n.X})
				}
			case *ast.CallExpr:
				if id, ok := ast.Unparen(n.Fun).(*ast.Ident); ok && id.Name == "close" && len(n.Args) == 1 {
					if _, builtin := info.Uses[id].(*types.Builtin); builtin {
						if v := fieldOf(n.Args[0]); v != nil {
							ops[v] = append(ops[v], op{n.Pos(), n.End(), "close of", n.Args[0]})
						}
					}
				}
			case *ast.SendStmt:
				if v := fieldOf(n.Chan); v != nil && !inMultiSelect(stack, n.Arrow) {
					ops[v] = append(ops[v], op{n.Arrow, n.End(), "send on", n.Chan})
				}
			}
			return true
		})
	}
	for v, list := range ops {
		if written[v] {
			continue
		}
		for _, o := range list {
			why := "blocks forever"
			switch o.what {
			case "range over":
				why = "blocks forever before the first iteration"
			case "close of":
				why = "panics (closing a nil channel is a run-time panic)"
			}
			name := types.ExprString(o.expr)
			pass.Report(analysis.Diagnostic{
				Pos:      o.pos,
				End:      o.end,
				Category: "nilchan",
				Message: fmt.Sprintf("%s nil channel %s %s: field %s is never set anywhere in the package (no make, no assignment, no literal)",
					o.what, name, why, v.Name()),
				Related: []analysis.RelatedInformation{{Pos: v.Pos(), Message: "field " + v.Name() + " declared here"}},
			})
		}
	}
}

// inMultiSelect reports whether pos is the communication of a case of a
// select that has other cases: a nil channel there only disables its case.
func inMultiSelect(stack []ast.Node, pos token.Pos) bool {
	for i := len(stack) - 1; i >= 1; i-- {
		switch n := stack[i].(type) {
		case *ast.CommClause:
			if n.Comm == nil || pos < n.Comm.Pos() || pos >= n.Comm.End() {
				return false
			}
			if body, ok := stack[i-1].(*ast.BlockStmt); ok {
				return len(body.List) > 1
			}
			return false
		case *ast.FuncLit, *ast.BlockStmt:
			return false
		}
	}
	return false
}
