package nopartner

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis"

	"github.com/golens/golens/model"
)

// The early return on a field the constructor copied from its caller: the
// goroutine is a method started as `go n.start()` on the value the
// constructor just built, and its early return tests a field of its
// receiver (`if len(n.peers) == 0 { return }`) that the constructor's
// composite literal set straight from one of its own parameters
// (`&node{peers: peers}`), tested nowhere before the go statement, and
// that nothing in the package ever assigns again. The constructor cannot
// have ruled the return out: it is its caller's to decide, exactly as for
// a parameter passed on unchecked (passedUnchecked).
//
//	func newNode(peers []string) *node {
//		n := &node{ready: make(chan struct{}), peers: peers}
//		go n.start()
//		return n
//	}
//	func (n *node) start() {
//		if len(n.peers) == 0 {
//			return // ready is never closed: WaitReady blocks forever
//		}
//		close(n.ready)
//	}

// fieldFromUncheckedParam reports whether cond reads such a field of g's
// receiver.
func fieldFromUncheckedParam(pass *analysis.Pass, cond ast.Expr, g ast.Node, goStmt *ast.GoStmt, goFile *ast.File) bool {
	info := pass.TypesInfo
	gd, ok := g.(*ast.FuncDecl)
	if !ok || goStmt == nil || goFile == nil || len(goStmt.Call.Args) != 0 {
		return false
	}
	_, recvVar := pkgModel(pass).Receiver(gd)
	if recvVar == nil {
		return false
	}
	sel, ok := goStmt.Call.Fun.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	base, ok := sel.X.(*ast.Ident)
	if !ok {
		return false
	}
	local, ok := info.Uses[base].(*types.Var)
	if !ok {
		return false
	}
	starter, ok := funcAt(pass, goStmt.Pos()).(*ast.FuncDecl)
	if !ok || starter.Body == nil || !(starter.Body.Pos() <= local.Pos() && local.Pos() < goStmt.Pos()) {
		return false
	}
	// The literal local holds at the go statement (the model's
	// DeclaredLiteral).
	lit, _ := pkgModel(pass).DeclaredLiteral(local, goStmt.Pos())
	if lit == nil {
		return false
	}
	found := false
	ast.Inspect(cond, func(n ast.Node) bool {
		if found {
			return false
		}
		s, ok := n.(*ast.SelectorExpr)
		if !ok {
			return true
		}
		if id, ok := s.X.(*ast.Ident); !ok || info.Uses[id] != recvVar {
			return true
		}
		field, ok := info.Uses[s.Sel].(*types.Var)
		if !ok || !field.IsField() {
			return true
		}
		// The parameter the literal sets the field from (the model's
		// LiteralParams), tested nowhere before the go statement.
		param := pkgModel(pass).LiteralParams(lit, starter)[field]
		if param != nil && !testedBefore(info, starter.Body, param, goStmt.Pos()) && !writtenElsewhere(pass, field, lit) {
			found = true
		}
		return !found
	})
	return found
}

// writtenElsewhere: some code of the package assigns the field, takes its
// address, calls a method of it that may change it (a value field) or
// sets it in another composite literal than lit (the model's FieldSets).
func writtenElsewhere(pass *analysis.Pass, field *types.Var, lit *ast.CompositeLit) bool {
	_, isPtr := field.Type().Underlying().(*types.Pointer)
	for _, s := range pkgModel(pass).FieldSets(field) {
		switch {
		case s.Kind == model.FieldLiteral && s.Lit == lit:
		case s.Kind == model.FieldReceiver && isPtr:
		default:
			return true
		}
	}
	return false
}
