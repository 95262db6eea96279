package codeactions

import (
	"go/ast"
	"strconv"
	"strings"

	"github.com/golens/golens/model"
)

// goAndWaitActions runs the call statement at the cursor — or every
// statement of the selection, when all of them are calls — in its own
// goroutine and waits for them with a sync.WaitGroup. On Go 1.25 and newer
// WaitGroup.Go pairs Add and Done itself; before that, Add(1) precedes each
// go statement and Done is deferred inside it.
func (f *fileCtx) goAndWaitActions(start, end int) []Action {
	stmts, block := f.selectedCallStmts(start, end)
	if len(stmts) == 0 {
		return nil
	}
	indent, ok := f.ownLine(stmts[0])
	if !ok {
		return nil
	}
	for _, s := range stmts {
		if _, ok := f.ownLine(s); !ok || hasMultilineRawString(s) {
			return nil
		}
	}
	from, to := stmts[0].Pos(), stmts[len(stmts)-1].End()
	for _, cg := range f.m.AST.Comments {
		if cg.Pos() >= from && cg.End() <= to {
			return nil // a comment between the statements would be lost
		}
	}
	var scope ast.Node = block
	if _, body := f.enclosingFunc(); body != nil {
		scope = body
	}
	wg := freshName(scope, "wg")
	// WaitGroup.Go needs Go 1.25; Add/Done is right on every version, so
	// it is what an unknown version gets.
	useGo, _ := f.m.AtLeast("go1.25")

	var b strings.Builder
	b.WriteString("var " + wg + " sync.WaitGroup\n")
	for _, s := range stmts {
		call := indentMore(f.text(s), "\t")
		if useGo {
			b.WriteString(indent + wg + ".Go(func() {\n")
			b.WriteString(indent + "\t" + call + "\n")
			b.WriteString(indent + "})\n")
		} else {
			b.WriteString(indent + wg + ".Add(1)\n")
			b.WriteString(indent + "go func() {\n")
			b.WriteString(indent + "\tdefer " + wg + ".Done()\n")
			b.WriteString(indent + "\t" + call + "\n")
			b.WriteString(indent + "}()\n")
		}
	}
	b.WriteString(indent + wg + ".Wait()")
	title := "Run in a goroutine and wait for it (sync.WaitGroup)"
	if len(stmts) > 1 {
		title = "Run these " + strconv.Itoa(len(stmts)) + " calls concurrently and wait for them (sync.WaitGroup)"
	}
	edit := Edit{Start: f.off(from), End: f.off(to), NewText: b.String()}
	return []Action{{Title: title, Kind: KindRewrite, Edits: f.withImports([]Edit{edit}, "sync")}}
}

// selectedCallStmts returns the call statements to run concurrently: the
// one at a bare cursor, or all statements of one list that the selection
// touches, provided each is a plain call — not panic or recover, whose
// meaning depends on the goroutine they run in, nor a lock or WaitGroup
// call, nor t.Fatal and its kin.
func (f *fileCtx) selectedCallStmts(start, end int) ([]ast.Stmt, ast.Node) {
	isCall := func(s ast.Stmt) bool {
		es, ok := s.(*ast.ExprStmt)
		if !ok {
			return false
		}
		call, ok := es.X.(*ast.CallExpr)
		if !ok {
			return false
		}
		// Exits (panic, runtime.Goexit, t.Fatal and its kin, which stop
		// only the calling goroutine, and calls named like them) and
		// recover: the model's classifier, which the checks read too.
		if f.m.MayExit(call) || f.m.CallsRecover(call) {
			return false
		}
		return !f.isSyncCall(call)
	}
	if start == end {
		stmt, parent := f.enclosingStmt()
		if stmt == nil || !statementListParent(parent) || !isCall(stmt) {
			return nil, nil
		}
		return []ast.Stmt{stmt}, parent
	}
	var list []ast.Stmt
	var owner ast.Node
	for _, n := range f.path {
		switch b := n.(type) {
		case *ast.BlockStmt:
			list, owner = b.List, b
		case *ast.CaseClause:
			list, owner = b.Body, b
		case *ast.CommClause:
			list, owner = b.Body, b
		default:
			continue
		}
		break
	}
	var picked []ast.Stmt
	for _, s := range list {
		if f.off(s.End()) <= start || f.off(s.Pos()) >= end {
			continue
		}
		if !isCall(s) {
			return nil, nil
		}
		picked = append(picked, s)
	}
	return picked, owner
}

// isSyncCall reports whether call is a mutex or WaitGroup method call:
// moving one into a goroutine of its own only obscures the synchronisation.
func (f *fileCtx) isSyncCall(call *ast.CallExpr) bool {
	for _, l := range f.m.Locks {
		if l.Call == call {
			return true
		}
	}
	for _, w := range f.m.WaitGroups {
		if w.Call == call {
			return true
		}
	}
	return false
}

// closeChannelActions offers `defer close(ch)` as the first statement of a
// goroutine literal that is the only sender on ch: closing ends the
// receivers' range loops and cannot race with another sender. It is offered
// only when the model sees the whole life of ch — made once in this file,
// never closed, never passed or assigned anywhere, every send in this
// goroutine's own body (not in a nested function, which could run later).
func (f *fileCtx) closeChannelActions() []Action {
	var goStmt *ast.GoStmt
	for _, n := range f.path {
		if g, ok := n.(*ast.GoStmt); ok {
			goStmt = g
			break
		}
	}
	if goStmt == nil {
		return nil
	}
	lit, ok := goStmt.Call.Fun.(*ast.FuncLit)
	if !ok || len(lit.Body.List) == 0 {
		return nil
	}
	var g *model.Goroutine
	for _, cand := range f.m.Goroutines {
		if cand.Node == goStmt {
			g = cand
		}
	}
	if g == nil || g.InLoop || g.Body == nil {
		return nil // in a loop there would be one sender per iteration
	}
	lbraceLine := f.tf.Line(lit.Body.Lbrace)
	if f.tf.Line(lit.Body.List[0].Pos()) == lbraceLine {
		return nil // a one-line body has no room for a new first line
	}
	indent, ok := f.ownLine(goStmt)
	if !ok {
		return nil
	}
	var actions []Action
	for _, c := range f.m.Chans {
		sends := c.Sends()
		// The model's fact (Chan.Closed), which the hovers and the
		// unclosedrange check read: nothing closes c, and c does not
		// escape the code golens follows (not a parameter, a field, a
		// value assigned from elsewhere, passed on, stored or returned).
		if len(sends) == 0 || !c.Closed().ProvenFalse() || len(c.Makes) != 1 || len(c.NilSets) > 0 {
			continue
		}
		onlyHere := true
		for _, op := range sends {
			if op.InGo != g || op.Func != g.Body {
				onlyHere = false
			}
		}
		if !onlyHere || f.sentElsewhere(c) {
			continue
		}
		send, ok := sends[0].Node.(*ast.SendStmt)
		if !ok {
			continue
		}
		name := f.text(send.Chan)
		at := f.off(lit.Body.Lbrace) + 1
		actions = append(actions, Action{
			Title: "Close " + name + " when this goroutine finishes (defer close(" + name + "))",
			Kind:  KindRewrite,
			Edits: []Edit{{Start: at, End: at, NewText: "\n" + indent + "\t" + "defer close(" + name + ")"}},
		})
	}
	return actions
}

// sentElsewhere reports whether a function c is passed to sends on it
// (Chan.Indirect, the model's summaries): then this goroutine is not the
// only sender, and closing c here could panic that one's send. Where c may
// be closed or escapes the analysed code is the model's Chan.Closed, read
// before this.
func (f *fileCtx) sentElsewhere(c *model.Chan) bool {
	for _, u := range c.Indirect() {
		if u.Effect.Kind == model.EffSend {
			return true
		}
	}
	return false
}
