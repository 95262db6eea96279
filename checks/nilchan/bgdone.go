package nilchan

import (
	"go/ast"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/golens/golens/model"
)

// A receive from the Done channel of context.Background() or TODO(): Done
// returns nil for a context that can never be cancelled
// (go doc context.Context.Done), and a receive from a nil channel blocks
// forever. In a select with other cases that is a case that never fires
// (often meant, as a default context); a plain receive, or a select whose
// only case it is, blocks for good.

func backgroundDone(m *model.File) []analysis.Diagnostic {
	var out []analysis.Diagnostic
	for _, op := range m.ChanOps {
		if op.Kind != model.Recv || !strings.HasSuffix(op.Source, ".Done") {
			continue
		}
		if op.Select != nil && len(op.Select.Select.Cases) > 1 {
			continue
		}
		origin, _ := op.Ctx()
		if origin != model.CtxNever {
			continue
		}
		why := "Done returns nil for a context that can never be cancelled, and a receive from a nil channel never proceeds"
		if call, ok := ast.Unparen(op.Node.(*ast.UnaryExpr).X).(*ast.CallExpr); ok {
			if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
				if _, direct := ast.Unparen(sel.X).(*ast.CallExpr); !direct {
					why = types.ExprString(sel.X) + " can never be cancelled on every path here (context.Background(), context.TODO(), context.WithoutCancel(…), or a context.WithValue of one): " + why
				}
			}
		}
		out = append(out, analysis.Diagnostic{Pos: op.Pos, End: op.End, Category: name,
			Message: "this receive from " + op.ChanExpr + " blocks forever: " + why + "; derive a context with context.WithCancel or WithTimeout, or take the caller's",
		})
	}
	return out
}
