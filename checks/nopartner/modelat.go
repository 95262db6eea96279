package nopartner

import (
	"go/ast"
	"go/token"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/golens/golens/checks/modelpass"
	"github.com/golens/golens/model"
)

// The rules read their facts about functions, loops and calls from the
// model (checks/modelpass builds it once per package): these are the
// lookups by position they share.

// modelOf returns the model of the file holding p, or nil.
func modelOf(pass *analysis.Pass, p token.Pos) *model.File {
	res, _ := pass.ResultOf[modelpass.Analyzer].(*modelpass.Result)
	if res == nil {
		return nil
	}
	if f := fileAt(pass, p); f != nil {
		return res.Files[f]
	}
	return nil
}

// pkgModel returns the package's model facts, or nil.
func pkgModel(pass *analysis.Pass) *model.Package {
	res, _ := pass.ResultOf[modelpass.Analyzer].(*modelpass.Result)
	if res == nil {
		return nil
	}
	return res.Package
}

// funcAt is the function declaration or literal whose body holds p (the
// model's FuncAt), or nil.
func funcAt(pass *analysis.Pass, p token.Pos) ast.Node {
	if m := modelOf(pass, p); m != nil {
		if f := m.FuncAt(p); f != nil {
			return f.Node
		}
	}
	return nil
}

// loopAround is the innermost for or range loop around p in p's own
// function (the model's LoopsAround), and that function; nil, nil when no
// function body holds p.
func loopAround(pass *analysis.Pass, p token.Pos) (ast.Stmt, ast.Node) {
	m := modelOf(pass, p)
	if m == nil {
		return nil, nil
	}
	loops, fn := m.LoopsAround(p)
	if fn == nil {
		return nil, nil
	}
	if len(loops) == 0 {
		return nil, fn.Node
	}
	return loops[0], fn.Node
}

// inLoopAt reports whether p is inside a for or range loop of its own
// function (the model's InnermostLoop).
func inLoopAt(pass *analysis.Pass, p token.Pos) bool {
	m := modelOf(pass, p)
	return m != nil && m.InnermostLoop(p) != nil
}

// loopLeaves lists, in source order, the ways out of loop that end it
// from its own flow (the model's LoopExits): a return, or a break of the
// loop itself.
func loopLeaves(pass *analysis.Pass, loop ast.Stmt) []model.LoopExit {
	m := modelOf(pass, loop.Pos())
	if m == nil {
		return nil
	}
	var out []model.LoopExit
	for _, e := range m.LoopExits(loop) {
		if e.What == "return" || e.What == "break" && e.OfLoop {
			out = append(out, e)
		}
	}
	return out
}

// sendsOrCloses reports whether the model has a send or a close written
// in [from, to) of the file holding from: in the function own itself when
// own is set (not in its literals), anywhere in the range otherwise, but
// not inside skip.
func sendsOrCloses(pass *analysis.Pass, from, to token.Pos, own *model.Func, skip ast.Node) bool {
	m := modelOf(pass, from)
	if m == nil {
		return false
	}
	for _, op := range m.ChanOps {
		if op.Pos < from || op.Pos >= to || op.Kind != model.Send && op.Kind != model.Close {
			continue
		}
		if own != nil && op.Func != own || skip != nil && skip.Pos() <= op.Pos && op.Pos < skip.End() {
			continue
		}
		return true
	}
	return false
}

// opAt is the model's channel operation at p (a send's arrow, a receive's
// arrow, a close's name), or nil.
func opAt(pass *analysis.Pass, p token.Pos) *model.ChanOp {
	m := modelOf(pass, p)
	if m == nil {
		return nil
	}
	if s := m.SiteAt(p); s != nil {
		if op := s.Op(); op != nil && op.Pos == p {
			return op
		}
	}
	return nil
}

// runsEveryCall reports whether every call of the function whose body
// holds at runs the statement at at before it can end in any way (a
// return, a branch out, panic, os.Exit, a Fatal: the model's RunCertain).
func runsEveryCall(pass *analysis.Pass, at token.Pos) bool {
	m := modelOf(pass, at)
	return m != nil && m.RunCertain(m.FuncAt(at), at)
}

// producer is where the first send of a class runs: the file and function
// holding it, and the only go statement of the package that starts that
// function (with its file). The finite, endless and field-early rules
// start from it.
type producer struct {
	send   op
	file   *ast.File
	fn     ast.Node
	goStmt *ast.GoStmt
	goFile *ast.File
}

// producerOf is c's producer; ok is false when its first send's file or
// function is unknown, or the function is not started by exactly one go
// statement.
func producerOf(pass *analysis.Pass, c *class) (producer, bool) {
	p := producer{send: c.sends[0]}
	if p.file = fileAt(pass, p.send.pos); p.file == nil {
		return p, false
	}
	if p.fn = funcAt(pass, p.send.pos); p.fn == nil {
		return p, false
	}
	p.goStmt, p.goFile = onlyGoStart(pass, p.fn)
	return p, p.goStmt != nil
}

// blocksBeforeSend says what the function holding the send at p can block
// on before it reaches it (the model's BlocksBeforeSend: a Lock, a
// receive, a Wait, a Cond's Wait, here or in a call made first), as plain
// text; "" when nothing golens sees can. A rule that says the send blocks
// forever says it only of a send the goroutine reaches: one stuck earlier
// never makes it, and a buffer does not end that wait.
func blocksBeforeSend(pass *analysis.Pass, p token.Pos) string {
	op := opAt(pass, p)
	if op == nil || op.Kind != model.Send {
		return ""
	}
	before, _ := modelOf(pass, p).BlocksBeforeSend(op)
	return strings.ReplaceAll(before, "`", "")
}
