package codeactions

import (
	"go/ast"
	"go/token"
	"strings"
)

// A blocking receive or send statement can be wrapped in a select: with a
// timeout case, a ctx.Done() case, or a default case that makes it
// non-blocking. Only whole statements in a statement list qualify (not the
// init of an if, not an operand inside an expression) and never one that
// already is a select case.

// statementListParent reports whether parent holds statements in a list,
// where a statement can be replaced by several.
func statementListParent(parent ast.Node) bool {
	switch parent.(type) {
	case *ast.BlockStmt, *ast.CaseClause, *ast.CommClause:
		return true
	}
	return false
}

func arrowOperand(e ast.Expr) *ast.UnaryExpr {
	if u, ok := e.(*ast.UnaryExpr); ok && u.Op == token.ARROW {
		return u
	}
	return nil
}

// receiveStmt describes a receive statement: `<-ch`, `v = <-ch`,
// `v := <-ch`, `v, ok := <-ch` (or `=`).
type receiveStmt struct {
	stmt   ast.Stmt
	recv   *ast.UnaryExpr
	decls  []string // "v T" lines that must precede the select
	comm   string   // the case's communication, as source text
	indent string
}

func (f *fileCtx) receiveAtCursor() *receiveStmt {
	stmt, parent := f.enclosingStmt()
	if stmt == nil || inSelectCase(stmt, parent) || !statementListParent(parent) {
		return nil
	}
	r := &receiveStmt{stmt: stmt}
	switch s := stmt.(type) {
	case *ast.ExprStmt:
		r.recv = arrowOperand(s.X)
		if r.recv == nil {
			return nil
		}
		r.comm = f.text(r.recv)
	case *ast.AssignStmt:
		if len(s.Rhs) != 1 || len(s.Lhs) > 2 {
			return nil
		}
		r.recv = arrowOperand(s.Rhs[0])
		if r.recv == nil {
			return nil
		}
		switch s.Tok {
		case token.ASSIGN:
			r.comm = f.text(s)
		case token.DEFINE:
			// Variables the statement declares must outlive the
			// select, so they are declared before it and assigned
			// in the case.
			var names []string
			for i, l := range s.Lhs {
				id, ok := l.(*ast.Ident)
				if !ok {
					return nil
				}
				names = append(names, id.Name)
				if id.Name == "_" {
					continue
				}
				declared, known := f.declaredBy(id, s)
				if !known {
					return nil
				}
				if !declared {
					continue // an existing variable that := reuses
				}
				typ := "bool"
				if i == 0 {
					typ = f.elemType(r.recv)
					if typ == "" {
						return nil // the declaration needs a type we do not know
					}
				}
				r.decls = append(r.decls, "var "+id.Name+" "+typ)
			}
			r.comm = strings.Join(names, ", ") + " = " + f.text(r.recv)
		default:
			return nil
		}
	default:
		return nil
	}
	indent, ok := f.ownLine(stmt)
	if !ok || hasMultilineRawString(stmt) {
		return nil
	}
	r.indent = indent
	return r
}

// declaredBy reports whether the := statement s declares id (rather than
// reusing a variable of the same scope), from type information when the
// model has it, else from go/parser's object resolution. known is false
// when neither is available.
func (f *fileCtx) declaredBy(id *ast.Ident, s *ast.AssignStmt) (declared, known bool) {
	if f.m.Info != nil && f.m.Info.Defs != nil {
		_, isDef := f.m.Info.Defs[id]
		return isDef && f.m.Info.Defs[id] != nil, true
	}
	if id.Obj == nil {
		return false, false
	}
	return id.Obj.Decl == s, true
}

// elemType is the element type of the received channel as the model knows
// it from the channel's declaration or make, or "".
func (f *fileCtx) elemType(recv *ast.UnaryExpr) string {
	op := f.chanOpAt(recv)
	if op == nil || op.Chan == nil {
		return ""
	}
	if op.Chan.Elem != "" {
		return op.Chan.Elem
	}
	elem := ""
	for _, mk := range op.Chan.Makes {
		if elem != "" && mk.Elem != elem {
			return ""
		}
		elem = mk.Elem
	}
	return elem
}

// selectText renders `select { case comm: ; <other> }` at indent, preceded
// by the declaration lines.
func (f *fileCtx) selectText(decls []string, indent, comm, other, otherBody string) string {
	var b strings.Builder
	for _, d := range decls {
		b.WriteString(f.lit(d) + "\n" + indent)
	}
	b.WriteString("select {\n")
	b.WriteString(indent + "case " + f.lit(comm) + ":\n")
	b.WriteString(indent + other + ":\n")
	b.WriteString(indent + "\t" + otherBody + "\n")
	b.WriteString(indent + "}")
	return b.String()
}

func (f *fileCtx) receiveActions() []Action {
	r := f.receiveAtCursor()
	if r == nil {
		return nil
	}
	replace := func(text string) Edit {
		return Edit{Start: f.off(r.stmt.Pos()), End: f.off(r.stmt.End()), NewText: text}
	}
	var actions []Action
	ctx := f.contextParam()
	if ctx != "" {
		text := f.selectText(r.decls, r.indent, r.comm, "case <-"+f.lit(ctx)+".Done()", f.placeholder(1, "// "+ctx+" was cancelled: "+ctx+".Err() says why"))
		actions = append(actions, Action{
			Title: "Stop waiting for this receive when " + ctx + " is done (select on " + ctx + ".Done())", Kind: KindRewrite,
			IsPreferred: true, Edits: []Edit{replace(text)}, Snippet: f.env.SnippetSupport,
		})
	}
	timeout := f.selectText(r.decls, r.indent, r.comm, "case <-time.After("+f.placeholder(1, "time.Second")+")", f.placeholder(2, "// timed out"))
	actions = append(actions, Action{
		Title: "Add a timeout to this receive (select with time.After)", Kind: KindRewrite,
		IsPreferred: ctx == "", Edits: f.withImports([]Edit{replace(timeout)}, "time"), Snippet: f.env.SnippetSupport,
	})
	nonBlocking := f.selectText(r.decls, r.indent, r.comm, "default", f.placeholder(1, "// nothing was ready"))
	actions = append(actions, Action{
		Title: "Make this receive non-blocking (select with default)", Kind: KindRewrite,
		Edits: []Edit{replace(nonBlocking)}, Snippet: f.env.SnippetSupport,
	})
	return actions
}

func (f *fileCtx) sendActions() []Action {
	stmt, parent := f.enclosingStmt()
	send, ok := stmt.(*ast.SendStmt)
	if !ok || inSelectCase(stmt, parent) || !statementListParent(parent) || hasMultilineRawString(send) {
		return nil
	}
	indent, ok := f.ownLine(send)
	if !ok {
		return nil
	}
	replace := func(text string) Edit {
		return Edit{Start: f.off(send.Pos()), End: f.off(send.End()), NewText: text}
	}
	comm := f.text(send)
	var actions []Action
	if ctx := f.contextParam(); ctx != "" {
		text := f.selectText(nil, indent, comm, "case <-"+f.lit(ctx)+".Done()", f.placeholder(1, "// "+ctx+" was cancelled: the value was not sent"))
		actions = append(actions, Action{
			Title: "Stop waiting for this send when " + ctx + " is done (select on " + ctx + ".Done())", Kind: KindRewrite,
			Edits: []Edit{replace(text)}, Snippet: f.env.SnippetSupport,
		})
	}
	nonBlocking := f.selectText(nil, indent, comm, "default", f.placeholder(1, "// nobody was ready: the value was dropped"))
	actions = append(actions, Action{
		Title: "Make this send non-blocking (select with default)", Kind: KindRewrite,
		Edits: []Edit{replace(nonBlocking)}, Snippet: f.env.SnippetSupport,
	})
	timeout := f.selectText(nil, indent, comm, "case <-time.After("+f.placeholder(1, "time.Second")+")", f.placeholder(2, "// timed out: the value was not sent"))
	actions = append(actions, Action{
		Title: "Add a timeout to this send (select with time.After)", Kind: KindRewrite,
		Edits: f.withImports([]Edit{replace(timeout)}, "time"), Snippet: f.env.SnippetSupport,
	})
	return actions
}
