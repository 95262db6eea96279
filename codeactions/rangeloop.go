package codeactions

import (
	"go/ast"
	"go/token"
	"strings"
)

// rangeLoopActions turns a loop that does nothing but receive from one
// channel,
//
//	for {
//		select {
//		case v, ok := <-ch:
//			if !ok {
//				break loop // or return, at the end of a function without results
//			}
//			...
//		}
//	}
//
// into `for v := range ch { ... }`. The two are equivalent only in narrow
// conditions, all of which are checked: a comma-ok case must leave the loop
// exactly when the channel is closed and drained; a case without ok
// (`case v := <-ch:`) spins on zero values once the channel is closed, so it
// is rewritten only when the model sees that the channel is never closed
// and never escapes; and an unlabeled break in the case body, which leaves
// the select but not the loop, would change meaning inside a range loop, so
// its presence blocks the rewrite.
func (f *fileCtx) rangeLoopActions() []Action {
	var loop *ast.ForStmt
	var label *ast.LabeledStmt
	var fnType *ast.FuncType
	var fnBody *ast.BlockStmt
	for i, n := range f.path {
		if loop == nil {
			if fs, ok := n.(*ast.ForStmt); ok {
				loop = fs
				if i+1 < len(f.path) {
					label, _ = f.path[i+1].(*ast.LabeledStmt)
				}
			}
			continue
		}
		if fn, ok := n.(*ast.FuncLit); ok {
			fnType, fnBody = fn.Type, fn.Body
			break
		}
		if fn, ok := n.(*ast.FuncDecl); ok {
			fnType, fnBody = fn.Type, fn.Body
			break
		}
	}
	if loop == nil || loop.Init != nil || loop.Cond != nil || loop.Post != nil || len(loop.Body.List) != 1 || fnBody == nil {
		return nil
	}
	sel, ok := loop.Body.List[0].(*ast.SelectStmt)
	if !ok || len(sel.Body.List) != 1 {
		return nil
	}
	cc, ok := sel.Body.List[0].(*ast.CommClause)
	if !ok || cc.Comm == nil {
		return nil
	}
	var recv *ast.UnaryExpr
	var valueName, okName string
	switch c := cc.Comm.(type) {
	case *ast.ExprStmt:
		recv = arrowOperand(c.X)
	case *ast.AssignStmt:
		if c.Tok != token.DEFINE || len(c.Rhs) != 1 {
			return nil
		}
		recv = arrowOperand(c.Rhs[0])
		for i, l := range c.Lhs {
			id, ok := l.(*ast.Ident)
			if !ok {
				return nil
			}
			if i == 0 {
				valueName = id.Name
			} else {
				okName = id.Name
			}
		}
	}
	if recv == nil || !isPlainOperand(recv.X) {
		return nil // a call such as time.After(d) or ctx.Done() is not a channel to range over
	}

	body := cc.Body
	bodyStart := f.off(cc.Colon) + 1
	labelUsedElsewhere := false
	if okName != "" && okName != "_" {
		if len(body) == 0 {
			return nil
		}
		exit, ok := body[0].(*ast.IfStmt)
		if !ok || !isNotIdent(exit.Cond, okName) || exit.Init != nil || exit.Else != nil || len(exit.Body.List) != 1 {
			return nil
		}
		switch s := exit.Body.List[0].(type) {
		case *ast.ReturnStmt:
			// Leaving the range loop falls off the end of the function,
			// which is a bare return only when nothing follows the loop
			// and the function returns nothing.
			last := ast.Stmt(loop)
			if label != nil {
				last = label
			}
			if len(s.Results) > 0 || fnType.Results.NumFields() > 0 || fnBody.List[len(fnBody.List)-1] != last {
				return nil
			}
		case *ast.BranchStmt:
			if s.Tok != token.BREAK || s.Label == nil || label == nil || s.Label.Name != label.Label.Name {
				return nil
			}
		default:
			return nil
		}
		if f.commentIn(exit.Pos(), exit.End()) {
			return nil
		}
		body = body[1:]
		bodyStart = f.off(exit.End())
		for _, s := range body {
			if mentions(s, okName) {
				return nil
			}
		}
	} else {
		op := f.chanOpAt(recv)
		// The model's fact (Chan.Closed), which the hovers and the
		// unclosedrange check read: nothing closes the channel. A field
		// (a Timer's C) is read again by every select, but once by range.
		if op == nil || op.Chan == nil || !op.Chan.Closed().ProvenFalse() || op.Chan.IsField {
			return nil
		}
	}
	// Before Go 1.22 a range variable is shared by all iterations, so
	// closures capturing it would see it change. When the model cannot
	// tell the version (the hover says so), only the rewrite that keeps the
	// meaning under both semantics is offered: none with a closure.
	perIteration, _ := f.m.AtLeast("go1.22")
	for _, s := range body {
		if breaksSelect(s) || hasMultilineRawString(s) {
			return nil
		}
		if !perIteration && containsFuncLit(s) {
			return nil
		}
	}
	if label != nil {
		for _, s := range body {
			if mentions(s, label.Label.Name) {
				labelUsedElsewhere = true
			}
		}
	}
	if f.commentIn(loop.Body.Lbrace, cc.Colon) || f.commentIn(sel.Body.Rbrace, loop.Body.Rbrace) {
		return nil // comments around the select would be lost
	}
	indent, ok := f.ownLine(loop)
	if !ok {
		return nil
	}

	// The case body, one tab less indented.
	text := strings.TrimRight(string(f.src[bodyStart:f.off(sel.Body.Rbrace)]), " \t\n")
	firstLine, rest, _ := strings.Cut(text, "\n")
	firstLine = strings.TrimSpace(firstLine)
	if firstLine != "" && !strings.HasPrefix(firstLine, "//") {
		return nil
	}
	var lines []string
	if rest != "" {
		for _, l := range strings.Split(rest, "\n") {
			if l != "" && !strings.HasPrefix(l, "\t") {
				return nil
			}
			lines = append(lines, strings.TrimPrefix(l, "\t"))
		}
	}

	head := "for range "
	if valueName != "" && valueName != "_" {
		head = "for " + valueName + " := range "
	}
	var b strings.Builder
	b.WriteString(head + f.text(recv.X) + " {")
	if firstLine != "" {
		b.WriteString(" " + firstLine)
	}
	for _, l := range lines {
		b.WriteString("\n" + l)
	}
	b.WriteString("\n" + indent + "}")

	start := f.off(loop.Pos())
	if label != nil && !labelUsedElsewhere {
		// The label was only there for the exit we removed; an unused
		// label does not compile.
		start = f.off(label.Pos())
		b = prefixBuilder(indent, b.String(), f.src, start)
	}
	return []Action{{
		Title: "Replace the for-select loop with for range " + f.text(recv.X),
		Kind:  KindRewrite, IsPreferred: true,
		Edits: []Edit{{Start: start, End: f.off(loop.End()), NewText: b.String()}},
	}}
}

// prefixBuilder returns text placed at start (the label, which gofmt puts
// one tab left of the loop) so that the loop ends up at indent.
func prefixBuilder(indent, text string, src []byte, start int) strings.Builder {
	ls := start
	for ls > 0 && src[ls-1] != '\n' {
		ls--
	}
	var b strings.Builder
	b.WriteString(strings.TrimPrefix(indent, string(src[ls:start])))
	b.WriteString(text)
	return b
}

func isPlainOperand(e ast.Expr) bool {
	switch x := e.(type) {
	case *ast.Ident:
		return true
	case *ast.SelectorExpr:
		return isPlainOperand(x.X)
	}
	return false
}

// isNotIdent reports whether e is `!name`.
func isNotIdent(e ast.Expr, name string) bool {
	u, ok := e.(*ast.UnaryExpr)
	if !ok || u.Op != token.NOT {
		return false
	}
	id, ok := u.X.(*ast.Ident)
	return ok && id.Name == name
}

// mentions reports whether an identifier spelled name occurs in n.
func mentions(n ast.Node, name string) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && id.Name == name {
			found = true
		}
		return !found
	})
	return found
}

// breaksSelect reports whether s contains an unlabeled break that would
// leave the enclosing select (not one inside a nested loop, switch, select
// or function literal).
func breaksSelect(s ast.Stmt) bool {
	found := false
	ast.Inspect(s, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.ForStmt, *ast.RangeStmt, *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt, *ast.FuncLit:
			return false
		case *ast.BranchStmt:
			if n.Tok == token.BREAK && n.Label == nil {
				found = true
			}
		}
		return !found
	})
	return found
}

func containsFuncLit(n ast.Node) bool {
	found := false
	ast.Inspect(n, func(n ast.Node) bool {
		_, isLit := n.(*ast.FuncLit)
		found = found || isLit
		return !found
	})
	return found
}

// commentIn reports whether a comment lies within [from, to].
func (f *fileCtx) commentIn(from, to token.Pos) bool {
	for _, cg := range f.m.AST.Comments {
		if cg.Pos() >= from && cg.End() <= to {
			return true
		}
	}
	return false
}
