package nopartner

import (
	"embed"
	"go/ast"
	"go/token"
	"go/types"
	"strings"
	"text/template"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"
)

// The partner that gives up: every receive from an unbuffered channel is a
// case of a select inside a loop, and another case of that select leaves
// the loop (a stop, done or ctx.Done() case that returns). Once that case
// has been taken nothing receives any more, so a plain send blocks forever
// (etcd's node.Status after Stop).

//go:embed messages.tmpl
var messageFiles embed.FS

var messages = template.Must(template.ParseFS(messageFiles, "messages.tmpl"))

func message(name string, d any) string {
	var b strings.Builder
	if err := messages.ExecuteTemplate(&b, name, d); err != nil {
		panic(err) // embedded and exercised by the analysistest cases
	}
	return b.String()
}

// giveUp describes the loop a receive sits in and the case that ends it.
type giveUp struct {
	sel  token.Pos // the select
	exit token.Pos // the case that leaves the loop
	comm string    // that case's communication, e.g. <-n.stop
}

// loopGiveUp returns, for a receive (or send) that is the communication of a select
// case inside a for or range loop of the same function, the other case of
// that select whose body leaves the loop (return, or a labeled break or
// goto). A default case does not count: a polling loop is called again.
func loopGiveUp(c inspector.Cursor, recv ast.Node) *giveUp {
	var clause *ast.CommClause
	for p := c.Parent(); p.Node() != nil; p = p.Parent() {
		switch n := p.Node().(type) {
		case *ast.AssignStmt, *ast.ExprStmt, *ast.ParenExpr:
			continue
		case *ast.CommClause:
			if n.Comm != nil && n.Comm.Pos() <= recv.Pos() && recv.End() <= n.Comm.End() {
				clause = n
				c = p
			}
		}
		break
	}
	if clause == nil {
		return nil
	}
	sel, ok := c.Parent().Parent().Node().(*ast.SelectStmt)
	if !ok {
		return nil
	}
	inLoop := false
	for p := c.Parent().Parent().Parent(); p.Node() != nil && !inLoop; p = p.Parent() {
		switch p.Node().(type) {
		case *ast.ForStmt, *ast.RangeStmt:
			inLoop = true
		case *ast.FuncLit, *ast.FuncDecl:
			return nil
		}
	}
	if !inLoop {
		return nil
	}
	for _, s := range sel.Body.List {
		cc := s.(*ast.CommClause)
		if cc == clause || cc.Comm == nil || !leavesLoop(cc.Body) {
			continue
		}
		return &giveUp{sel: sel.Select, exit: cc.Pos(), comm: commText(cc.Comm)}
	}
	return nil
}

func leavesLoop(body []ast.Stmt) bool {
	leaves := false
	for _, s := range body {
		ast.Inspect(s, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				return false
			case *ast.ReturnStmt:
				leaves = true
			case *ast.BranchStmt:
				if n.Label != nil && (n.Tok == token.BREAK || n.Tok == token.GOTO) {
					leaves = true
				}
			}
			return !leaves
		})
	}
	return leaves
}

func commText(s ast.Stmt) string {
	switch s := s.(type) {
	case *ast.ExprStmt:
		return types.ExprString(s.X)
	case *ast.AssignStmt:
		if len(s.Rhs) == 1 {
			return types.ExprString(s.Rhs[0])
		}
	case *ast.SendStmt:
		return types.ExprString(s.Chan) + " <- " + types.ExprString(s.Value)
	}
	return "other"
}

// gaveUpPartner reports the first plain send on an unbuffered channel of
// the package whose every receive is a select case in a loop that another
// case of the same select ends. A channel that is closed, buffered, or
// received from anywhere else (a plain receive, a range) is left alone.
func gaveUpPartner(pass *analysis.Pass, c *class) (analysis.Diagnostic, bool) {
	if c.escapes || len(c.made) == 0 || c.buffered || c.unbounded || len(c.closes) > 0 || len(c.recvs) == 0 {
		return analysis.Diagnostic{}, false
	}
	for _, r := range c.recvs {
		// One select, so that the message can name it.
		if r.giveUp == nil || r.giveUp.sel != c.recvs[0].giveUp.sel {
			return gaveUpSender(pass, c)
		}
	}
	if d, ok := gaveUpSender(pass, c); ok {
		return d, true
	}
	r := c.recvs[0]
	if fd := declAt(pass, r.pos); fd == nil || fd.Name.IsExported() {
		// Code outside the package may run the loop again (a server
		// calls a streaming handler once per stream): a later loop
		// receives.
		return analysis.Diagnostic{}, false
	}
	for _, s := range c.sends {
		// A send in the receiver's own function (a goroutine it starts)
		// is timeoutleak's case, with its fix.
		if !s.blocking || declAt(pass, s.pos) == declAt(pass, r.pos) {
			continue
		}
		return analysis.Diagnostic{Pos: s.pos, End: s.end, Category: name,
			Message: message("gaveUp", map[string]any{
				"Chan": s.text, "Made": where(pass, c.made[0], s.pos), "Select": where(pass, r.giveUp.sel, s.pos),
				"Exit": r.giveUp.comm, "ExitAt": where(pass, r.giveUp.exit, s.pos),
			}),
			Related: []analysis.RelatedInformation{
				{Pos: r.pos, Message: "the receive, a case of a select in a loop"},
				{Pos: r.giveUp.exit, Message: "this case ends the loop: nothing receives after it"},
				{Pos: c.made[0], Message: "the channel is made here (unbuffered)"},
			}}, true
	}
	return analysis.Diagnostic{}, false
}

// declAt is the top-level function declaration holding pos, or nil.
func declAt(pass *analysis.Pass, pos token.Pos) *ast.FuncDecl {
	for _, f := range pass.Files {
		if f.FileStart <= pos && pos <= f.FileEnd {
			for _, d := range f.Decls {
				if fd, ok := d.(*ast.FuncDecl); ok && fd.Pos() <= pos && pos <= fd.End() {
					return fd
				}
			}
		}
	}
	return nil
}

// gaveUpSender is the mirror image: every send on the channel is a case of
// one select in a loop that another case ends, nothing closes it, and a
// plain receive (or range) in another function waits for a value that
// stops coming once the loop has ended.
func gaveUpSender(pass *analysis.Pass, c *class) (analysis.Diagnostic, bool) {
	if len(c.sends) == 0 {
		return analysis.Diagnostic{}, false
	}
	for _, s := range c.sends {
		if s.giveUp == nil || s.giveUp.sel != c.sends[0].giveUp.sel {
			return analysis.Diagnostic{}, false
		}
	}
	s := c.sends[0]
	for _, r := range c.recvs {
		if !r.blocking || declAt(pass, r.pos) == declAt(pass, s.pos) {
			continue
		}
		return analysis.Diagnostic{Pos: r.pos, End: r.end, Category: name,
			Message: message("gaveUpSender", map[string]any{
				"Chan": r.text, "Made": where(pass, c.made[0], r.pos), "Select": where(pass, s.giveUp.sel, r.pos),
				"Exit": s.giveUp.comm, "ExitAt": where(pass, s.giveUp.exit, r.pos),
			}),
			Related: []analysis.RelatedInformation{
				{Pos: s.pos, Message: "the send, a case of a select in a loop"},
				{Pos: s.giveUp.exit, Message: "this case ends the loop: nothing sends after it, and nothing closes the channel"},
				{Pos: c.made[0], Message: "the channel is made here (unbuffered)"},
			}}, true
	}
	return analysis.Diagnostic{}, false
}
