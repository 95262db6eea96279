package model

import (
	"go/ast"
	"go/token"
)

// pipeHandedOff is why golens cannot tell whether the starting function
// waits for g when g gets the write end of an io.Pipe the function made
// (`pr, pw := io.Pipe()`, then `go produce(pw, text)` or a literal using
// pw) and the function goes on to use the read end itself, after the go
// statement (`consume(pr)`, `bufio.NewScanner(pr)`): a read from pr waits
// until the goroutine writes to pw or closes it, and returns EOF only once
// pw is closed — often the goroutine's last act. golens does not follow
// the pipe, so it cannot say the function waits, nor that nothing does. A
// read end the function returns (`return pr`) is read by its caller: the
// function itself does not wait. "" when there is no such pipe.
//
// The pipe may be made by a function enclosing the starting one (a loop
// of main makes `pr, pw := io.Pipe()`, and a literal started there starts
// the writer and reads pr itself): the literal's read waits for the
// writer all the same, so the enclosing functions' bodies are searched
// too, outward, for a pipe made before the go statement.
func (b *builder) pipeHandedOff(g *Goroutine, parent *Func) string {
	if parent == nil || parent.Body == nil || g.Node == nil {
		return ""
	}
	for f := parent; f != nil; f = f.Parent {
		if f.Body == nil {
			continue
		}
		if found := b.pipeHandedOffIn(g, parent, f.Body); found != "" {
			return found
		}
	}
	return ""
}

// pipeHandedOffIn is pipeHandedOff for a pipe made in body (parent's own,
// or an enclosing function's).
func (b *builder) pipeHandedOffIn(g *Goroutine, parent *Func, body *ast.BlockStmt) string {
	var found string
	ast.Inspect(body, func(n ast.Node) bool {
		if found != "" || n == nil {
			return false
		}
		if _, lit := n.(*ast.FuncLit); lit {
			return false
		}
		as, ok := n.(*ast.AssignStmt)
		if !ok || as.Pos() > g.Pos || len(as.Lhs) != 2 || len(as.Rhs) != 1 || !isIOPipeCall(as.Rhs[0]) {
			return true
		}
		pr, ok1 := as.Lhs[0].(*ast.Ident)
		pw, ok2 := as.Lhs[1].(*ast.Ident)
		if !ok1 || !ok2 || pr.Name == "_" || pw.Name == "_" || !usesName(g.Node, pw.Name) {
			return true
		}
		if use := b.readEndUse(parent, g, pr.Name); use.IsValid() {
			found = "the goroutine gets `" + pw.Name + "`, the write end of the io.Pipe made at line " + itoa(b.m.Line(as.Pos())) +
				", and " + starterName(parent) + " uses its read end `" + pr.Name + "` at line " + itoa(b.m.Line(use)) +
				": a read from `" + pr.Name + "` waits until the goroutine writes to `" + pw.Name + "` or closes it (EOF comes only after the close), and golens does not follow the pipe"
		}
		return false
	})
	return found
}

// isIOPipeCall reports a call io.Pipe().
func isIOPipeCall(e ast.Expr) bool {
	call, ok := ast.Unparen(e).(*ast.CallExpr)
	if !ok || len(call.Args) != 0 {
		return false
	}
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Pipe" {
		return false
	}
	x, ok := sel.X.(*ast.Ident)
	return ok && x.Name == "io"
}

// usesName reports whether n refers to an identifier named name.
func usesName(n ast.Node, name string) bool {
	found := false
	ast.Inspect(n, func(x ast.Node) bool {
		if id, ok := x.(*ast.Ident); ok && id.Name == name {
			found = true
		}
		return !found
	})
	return found
}

// readEndUse is the first use of the read end named name in parent's own
// body after the go statement g (not in a function literal, another go
// statement, or a return statement); NoPos when there is none.
func (b *builder) readEndUse(parent *Func, g *Goroutine, name string) token.Pos {
	var at token.Pos
	ast.Inspect(parent.Body, func(n ast.Node) bool {
		if at.IsValid() || n == nil {
			return false
		}
		switch n.(type) {
		case *ast.FuncLit, *ast.GoStmt, *ast.ReturnStmt:
			return false
		}
		if id, ok := n.(*ast.Ident); ok && id.Name == name && id.Pos() > g.End {
			at = id.Pos()
		}
		return true
	})
	return at
}
