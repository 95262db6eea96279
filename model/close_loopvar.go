package model

import (
	"go/ast"
	"go/token"
	"strings"
)

// A close written in a function literal that a loop defers or starts
// (`for _, s := range subs { defer func() { close(s.ch) }() }`) closes the
// channel the loop variable leads to when the literal runs. Before go
// 1.22 the loop has one variable for all its passes
// (https://go.dev/ref/spec#For_statements), so every deferred call, and a
// goroutine that runs late, reads its last value: the channels of the
// other passes are never closed there, and the last one is closed once per
// pass. "s.ch is closed at line 44" would then be false of every s but the
// last, so closePaths records such a close as one that runs only for the
// last value.

// sharedLoopVarClose says why the close op may close only the channel of
// the loop variable's last value; "" when the close does not read a loop
// variable shared by the loop's passes.
func (b *builder) sharedLoopVarClose(op *ChanOp) string {
	lit := op.Func
	if lit == nil || !lit.Lit || lit.Parent == nil || lit.Parent.Body == nil {
		return ""
	}
	if perIter, known := b.m.AtLeast("go1.22"); perIter && known {
		return ""
	}
	call, ok := op.Node.(*ast.CallExpr)
	if !ok || len(call.Args) != 1 {
		return ""
	}
	root := rootIdent(call.Args[0])
	if root == nil {
		return ""
	}
	decl := b.rootDecl(root)
	if !decl.IsValid() || lit.Pos <= decl && decl < lit.End {
		return ""
	}
	// The statement that defers or starts the literal, and the loop
	// around it that declares root.
	var how string
	var loop ast.Stmt
	ast.Inspect(lit.Parent.Body, func(n ast.Node) bool {
		if n == nil || how != "" || n.Pos() > lit.Pos || n.End() < lit.End {
			return false
		}
		declares := func(e ast.Expr) bool {
			id, ok := e.(*ast.Ident)
			return ok && id.Pos() == decl
		}
		switch st := n.(type) {
		case *ast.RangeStmt:
			if st.Tok == token.DEFINE && (st.Key != nil && declares(st.Key) || st.Value != nil && declares(st.Value)) {
				loop = st
			}
		case *ast.ForStmt:
			if as, ok := st.Init.(*ast.AssignStmt); ok && as.Tok == token.DEFINE {
				for _, l := range as.Lhs {
					if declares(l) {
						loop = st
					}
				}
			}
		case *ast.DeferStmt:
			if loop != nil && ast.Unparen(st.Call.Fun).Pos() == lit.Pos {
				how = "deferred"
			}
		case *ast.GoStmt:
			if loop != nil && ast.Unparen(st.Call.Fun).Pos() == lit.Pos {
				how = "started"
			}
		case *ast.FuncLit:
			return false
		}
		return true
	})
	if how == "" || loop == nil {
		return ""
	}
	ver := "unless go.mod says go 1.22 or later"
	if v := b.m.GoVersion(); v != "" {
		ver = "under " + strings.Replace(v, "go", "go ", 1)
	}
	return "for the value `" + root.Name + "` holds when the function literal runs: " + ver + " the loop at line " +
		itoa(b.m.Line(loop.Pos())) + " has one `" + root.Name + "` for all its passes, so each literal it " + how + " reads the value of the pass that ran last"
}
