package timeoutleak

import (
	"fmt"
	"go/ast"
	"go/token"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/golens/golens/checks/internal/chanutil"
	"github.com/golens/golens/model"
)

// rangeExits reports the other way a receiver gives up: a range over a
// channel that returns or breaks out early while the goroutine feeding it
// still has values to send. The sends come from a goroutine the function
// starts, written in its literal or in a function it calls (the model's
// summaries say which); they must be able to outnumber the buffer (sent in
// a loop) and must not be in a select (which could give up too).
func rangeExits(m *model.File) []analysis.Diagnostic {
	var out []analysis.Diagnostic
	for _, c := range m.Chans {
		if c.IsParam || c.IsField || len(c.Makes) != 1 || len(c.Assigned) > 0 || len(c.NilSets) > 0 {
			continue
		}
		f := chanutil.FuncAt(m, c.Decl)
		if f == nil {
			continue
		}
		var rng *model.ChanOp
		ok := true
		for _, op := range c.Ops {
			switch {
			case op.Kind == model.Range && op.Func == f && rng == nil:
				rng = op
			case op.Kind == model.Recv || op.Kind == model.Range:
				ok = false // another receive may drain what is left
			}
		}
		if !ok || rng == nil {
			continue
		}
		send, g := loopSender(m, c, f)
		if send == token.NoPos {
			continue
		}
		exit := earlyExit(rng.Node.(*ast.RangeStmt))
		if exit == nil {
			continue
		}
		how := "returns"
		if b, ok := exit.(*ast.BranchStmt); ok && b.Tok == token.BREAK {
			how = "breaks out of the range"
		}
		out = append(out, analysis.Diagnostic{
			Pos: exit.Pos(), End: exit.End(), Category: name,
			Message: fmt.Sprintf("when %s %s here, the goroutine started on line %d stays blocked on its next send on %s (line %d): nothing receives the rest",
				funcName(f), how, m.Line(g.Pos), c.Name, m.Line(send)),
			Related: []analysis.RelatedInformation{
				{Pos: rng.Pos, Message: "the only receive: a range that stops early"},
				{Pos: send, Message: "the send that blocks"},
				{Pos: g.Pos, End: g.Pos + 2, Message: "goroutine started here"},
			},
		})
	}
	return out
}

// loopSender finds a send on c, in a loop and not in a select, made by a
// goroutine that f starts: in the goroutine's literal, or in a function
// of this file it calls with c.
func loopSender(m *model.File, c *model.Chan, f *model.Func) (token.Pos, *model.Goroutine) {
	for _, op := range c.Ops {
		if op.Kind == model.Send && op.InGo != nil && op.InGo.Func == f && op.Select == nil && op.InLoop {
			return op.Pos, op.InGo
		}
	}
	for _, u := range c.Indirect() {
		e := u.Effect
		if e.Kind != model.EffSend || e.Certainty == model.Unknown {
			continue
		}
		var g *model.Goroutine
		for _, gr := range m.Goroutines {
			if gr.Func == f && e.At >= gr.Pos && e.At < gr.End {
				g = gr
			}
		}
		if g == nil {
			continue
		}
		for _, op := range m.ChanOps {
			if op.Pos == e.Pos && op.Kind == model.Send && op.Select == nil && op.InLoop &&
				(e.Certainty == model.Proven || loopOnlyPossible(g, e, op)) {
				return op.Pos, g
			}
		}
	}
	return token.NoPos, nil
}

// earlyExit finds a return, or a break of this range, in the range body
// (outside function literals).
func earlyExit(rs *ast.RangeStmt) ast.Stmt {
	var found ast.Stmt
	var walk func(n ast.Node, inner bool)
	walk = func(n ast.Node, inner bool) {
		ast.Inspect(n, func(x ast.Node) bool {
			if found != nil {
				return false
			}
			switch x := x.(type) {
			case *ast.FuncLit:
				return false
			case *ast.ReturnStmt:
				found = x
			case *ast.BranchStmt:
				if x.Tok == token.BREAK && x.Label == nil && !inner {
					found = x
				}
			case *ast.ForStmt, *ast.RangeStmt, *ast.SwitchStmt, *ast.TypeSwitchStmt, *ast.SelectStmt:
				if x != ast.Node(rs) {
					// An unlabeled break inside targets this statement.
					for _, c := range children(x) {
						walk(c, true)
					}
					return false
				}
			}
			return true
		})
	}
	walk(rs.Body, false)
	return found
}

func children(n ast.Node) []ast.Node {
	switch n := n.(type) {
	case *ast.ForStmt:
		return []ast.Node{n.Body}
	case *ast.RangeStmt:
		return []ast.Node{n.Body}
	case *ast.SwitchStmt:
		return []ast.Node{n.Body}
	case *ast.TypeSwitchStmt:
		return []ast.Node{n.Body}
	case *ast.SelectStmt:
		return []ast.Node{n.Body}
	}
	return nil
}

// loopOnlyPossible: a send the summaries call possible only because it is
// in a loop body (which may run zero times; a loop bound such as
// `chanSize+2` is not an integer literal the model counts): the goroutine
// literal calls the sending function as one of its plain top-level
// statements, and that function runs the loop as one of its own, with the
// send a plain statement of the loop body. A call or a send under an if,
// a switch or a select, or after an early return, stays unreported.
func loopOnlyPossible(g *model.Goroutine, e *model.Effect, op *model.ChanOp) bool {
	if g.Body == nil || g.Body.Body == nil || op.Func == nil || op.Func.Body == nil || op.Func.Lit {
		return false
	}
	// The call at e.At is a top-level statement of the goroutine literal
	// and calls the function holding the send directly.
	if !plainPrefixHolds(g.Body.Body.List, func(st ast.Stmt) bool {
		es, ok := st.(*ast.ExprStmt)
		return ok && es.X.Pos() == e.At
	}) || shortName(e.Via) != shortName(op.Func.Name) {
		return false
	}
	// The send is a plain statement of a loop that is a top-level
	// statement of its function.
	return plainPrefixHolds(op.Func.Body.List, func(st ast.Stmt) bool {
		body := model.LoopBody(st)
		if body == nil {
			return false
		}
		for _, b := range body.List {
			if b.Pos() == op.Node.Pos() {
				return true
			}
		}
		return false
	})
}

// plainPrefixHolds: some statement of list satisfies is, and every
// statement before it is one that cannot leave the function or skip code:
// an assignment, a declaration, a defer, a call or a send.
func plainPrefixHolds(list []ast.Stmt, is func(ast.Stmt) bool) bool {
	for _, st := range list {
		if is(st) {
			return true
		}
		switch st.(type) {
		case *ast.AssignStmt, *ast.DeclStmt, *ast.DeferStmt, *ast.ExprStmt, *ast.SendStmt, *ast.IncDecStmt:
		default:
			return false
		}
	}
	return false
}

// shortName is a function's name without its receiver or qualifier:
// "(*S).send" and "s.send" are both "send".
func shortName(s string) string {
	if i := strings.LastIndex(s, "."); i >= 0 {
		return s[i+1:]
	}
	return s
}
