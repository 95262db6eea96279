package nilchan

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"

	"github.com/golens/golens/checks/modelpass"
	"github.com/golens/golens/model"
)

// checkFields reports operations on an unexported struct field of channel
// type that no code of the package ever sets: no assignment, no composite
// literal naming it (or listing all fields), no &s.f. Only the package can
// set an unexported field, so the typed tier, which sees every file of the
// package, can tell that it is nil in every value of the struct: the
// model's fact (model.Package.NilChanField), which the typed tier's hints
// and hovers state too.
func checkFields(pass *analysis.Pass) {
	res := pass.ResultOf[modelpass.Analyzer].(*modelpass.Result)
	// What the package does to its channel fields: the operations the
	// model keys to each field, file by file.
	type op struct {
		pos, end token.Pos
		what     string
		expr     ast.Expr
	}
	ops := map[*types.Var][]op{}
	var fields []*types.Var // in the order first operated on
	for _, m := range res.Order {
		for _, o := range m.ChanOps {
			v := unexportedChanField(pass.Pkg, o)
			if v == nil {
				continue
			}
			if o.Select != nil && len(o.Select.Select.Cases) > 1 {
				continue // a nil channel in a select only disables its case
			}
			x := op{o.Pos, o.End, "", o.Operand()}
			switch o.Kind {
			case model.Send:
				x.what = "send on"
			case model.Recv:
				x.what = "receive from"
			case model.Close:
				x.what = "close of"
			case model.Range:
				rs := o.Node.(*ast.RangeStmt)
				x.pos, x.end, x.what = rs.For, rs.Body.Lbrace, "range over"
			}
			if ops[v] == nil {
				fields = append(fields, v)
			}
			ops[v] = append(ops[v], x)
		}
	}
	for _, v := range fields {
		if !res.Package.NilChanField(v) {
			continue
		}
		for _, o := range ops[v] {
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

// unexportedChanField is the field an operation acts on, when it is an
// unexported field of channel type of pkg, reached through a selector
// (the model keys a field operation by the field's generic origin).
func unexportedChanField(pkg *types.Package, o *model.ChanOp) *types.Var {
	if o.Chan == nil {
		return nil
	}
	if _, isSel := ast.Unparen(o.Operand()).(*ast.SelectorExpr); !isSel {
		return nil
	}
	v, ok := o.Chan.Key.Object().(*types.Var)
	if !ok || !v.IsField() || v.Pkg() != pkg || v.Exported() {
		return nil
	}
	if _, isChan := v.Type().Underlying().(*types.Chan); !isChan {
		return nil
	}
	return v
}
