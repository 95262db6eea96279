package unclosedrange

import (
	"fmt"
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/analysis"

	"github.com/golens/golens/checks"
	"github.com/golens/golens/checks/internal/chanutil"
	"github.com/golens/golens/checks/modelpass"
	"github.com/golens/golens/model"
)

const name = "unclosedrange"

// Analyzer reports a range loop over a channel that nothing closes.
var Analyzer = &analysis.Analyzer{
	Name:     name,
	Doc:      doc,
	URL:      checks.DocURL(name),
	Requires: []*analysis.Analyzer{modelpass.Analyzer},
	Run:      func(pass *analysis.Pass) (any, error) { return modelpass.Report(pass, check) },
}

const doc = `report a range over a channel that is never closed

A for-range loop over a channel ends only when the channel is closed and
drained. When no code closes the channel and the loop has no break or
return, the loop waits forever after the last value: the goroutine running
it leaks, or the program deadlocks.`

// Syntax runs the check on a syntax-tier model. The check only considers
// channels local to one function, whose every use is in this file, so the
// syntax tier sees all it needs.
func Syntax(m *model.File) []analysis.Diagnostic { return check(m) }

func check(m *model.File) []analysis.Diagnostic {
	var out []analysis.Diagnostic
	for _, c := range m.Chans {
		// The model's fact (Chan.Closed): nothing closes c, and c does not
		// escape the analysed code. The range hover reads the same fact.
		// The finding names where c is made.
		if !c.Closed().ProvenFalse() || len(c.Makes) == 0 {
			continue
		}
		if m.SentForever(c) {
			continue // an endless stream (a ticker, an event loop): the range is meant to run forever
		}
		workers, ok := onlyOps(m, c.Refs())
		passedOn := ""
		if !ok {
			// Passed to a function: the model's function summaries prove
			// that nothing it reaches closes it. The workers are reported
			// only when every use is in view.
			workers = nil
			if in := c.Indirect(); len(in) > 0 {
				passedOn = " (" + model.UseText(m, in[0]) + ", and nothing it reaches closes it)"
			}
		}
		inMain := false
		if f := chanutil.FuncAt(m, c.Decl); f != nil && !f.Lit && f.Name == "main" && m.AST.Name.Name == "main" {
			inMain = true
		}
		fix, hasFix := closeFix(m, c)
		for _, op := range c.Ops {
			// The model's fact (File.RangeEnds): the range never ends, as
			// its hover says.
			if op.Kind != model.Range || !m.RangeEnds(op).ProvenFalse() {
				continue
			}
			rs := op.Node.(*ast.RangeStmt)
			if inMain && op.InGo != nil {
				continue // a worker that lives as long as the program
			}
			d := analysis.Diagnostic{
				Pos:      rs.For,
				End:      rs.Body.Lbrace,
				Category: name,
				Message:  fmt.Sprintf("range over channel %s never ends: nothing closes %s%s, so the loop waits forever after the last value", op.ChanExpr, c.Name, passedOn),
				Related:  []analysis.RelatedInformation{{Pos: c.Makes[0].Pos, Message: c.Name + " made here, and never closed"}},
			}
			if hasFix && (fix.goroutine.Body == nil || rs.Pos() < fix.goroutine.Body.Pos || rs.Pos() > fix.goroutine.Body.End) {
				d.SuggestedFixes = []analysis.SuggestedFix{fix.fix}
			}
			out = append(out, d)
		}
		if inMain {
			continue
		}
		for _, w := range workers {
			out = append(out, analysis.Diagnostic{
				Pos:      w.arg.Pos(),
				End:      w.arg.End(),
				Category: name,
				Message: fmt.Sprintf("channel %s is never closed, but %s ranges over it (line %d): the goroutine waits forever after the last value",
					c.Name, w.fd.Name.Name, chanutil.LineOf(m, w.rs.For)),
				Related: []analysis.RelatedInformation{
					{Pos: w.rs.For, End: w.rs.Body.Lbrace, Message: "the range that never ends"},
					{Pos: c.Makes[0].Pos, Message: c.Name + " made here, and never closed"},
				},
			})
		}
	}
	return out
}

// worker is a `go f(..., ch, ...)` whose function, declared in this file,
// ranges over the channel parameter.
type worker struct {
	arg *ast.Ident
	fd  *ast.FuncDecl
	rs  *ast.RangeStmt
}

// onlyOps reports whether every use of the channel is a channel operation
// or an argument of `go f(...)` where f only receives from it and ranges
// over it; it returns those workers.
func onlyOps(m *model.File, uses []model.ChanRef) ([]worker, bool) {
	var ws []worker
	for _, u := range uses {
		switch u.Kind {
		case model.RefSend, model.RefRecv, model.RefRange, model.RefLen, model.RefDef:
		default:
			w, ok := rangingWorker(m, u.Ident)
			if !ok {
				return nil, false
			}
			if w.rs != nil {
				ws = append(ws, w)
			}
		}
	}
	return ws, true
}

// rangingWorker checks a channel passed as id to a go statement's call.
func rangingWorker(m *model.File, id *ast.Ident) (worker, bool) {
	var g *model.Goroutine
	argIndex := -1
	for _, gr := range m.Goroutines {
		if gr.Body != nil || gr.Node == nil {
			continue
		}
		for i, a := range gr.Node.Call.Args {
			if a == ast.Expr(id) {
				g, argIndex = gr, i
			}
		}
	}
	if g == nil {
		return worker{}, false
	}
	fun, ok := ast.Unparen(g.Node.Call.Fun).(*ast.Ident)
	if !ok {
		return worker{}, false
	}
	var fd *ast.FuncDecl
	if m.Info != nil {
		obj, ok := m.Info.Uses[fun].(*types.Func)
		if !ok {
			return worker{}, false
		}
		for _, d := range m.AST.Decls {
			if d, ok := d.(*ast.FuncDecl); ok && d.Name.Pos() == obj.Pos() {
				fd = d
			}
		}
	} else if fun.Obj != nil && fun.Obj.Kind == ast.Fun {
		fd, _ = fun.Obj.Decl.(*ast.FuncDecl)
	}
	if fd == nil || fd.Body == nil || fd.Recv != nil || fd.Type.TypeParams != nil {
		return worker{}, false
	}
	var params []*ast.Ident
	for _, f := range fd.Type.Params.List {
		if len(f.Names) == 0 {
			return worker{}, false
		}
		if _, variadic := f.Type.(*ast.Ellipsis); variadic {
			return worker{}, false
		}
		params = append(params, f.Names...)
	}
	if len(params) != len(g.Node.Call.Args) || params[argIndex].Name == "_" {
		return worker{}, false
	}
	p := params[argIndex]
	var param *model.Chan
	for _, c := range m.Chans {
		if c.IsParam && c.Decl == p.Pos() {
			param = c
		}
	}
	var cf *model.Func
	for _, f := range m.Funcs {
		if !f.Lit && f.Pos == fd.Pos() {
			cf = f
		}
	}
	if param == nil || cf == nil {
		return worker{}, false
	}
	// Every mention of the parameter (the model's Refs) is a receive or
	// the one range, in the worker's own body (not in a function literal).
	var rs *ast.RangeStmt
	for _, u := range param.Refs() {
		switch {
		case u.Kind == model.RefDef && u.Ident == p:
		case u.Kind == model.RefRecv && u.Op.Func == cf:
		case u.Kind == model.RefRange && u.Op.Func == cf && rs == nil:
			rs = u.Op.Node.(*ast.RangeStmt)
			if leaves(m, rs) {
				return worker{}, false
			}
		default:
			return worker{}, false
		}
	}
	return worker{arg: id, fd: fd, rs: rs}, true
}

// leaves reports whether a pass of the range loop can leave it on its own
// (break, return, goto, a continue of an enclosing loop, panic, or a call
// that ends the function or may): the model's LoopExit, which the range
// hover reads too, so the check and the hover's "never ends" agree.
func leaves(m *model.File, rs *ast.RangeStmt) bool {
	_, ok := m.LoopExit(rs)
	return ok
}

type closeFixT struct {
	goroutine *model.Goroutine
	fix       analysis.SuggestedFix
}

// closeFix adds `defer close(ch)` to the only goroutine that sends on ch,
// when every send is made directly by one goroutine literal started once.
func closeFix(m *model.File, c *model.Chan) (closeFixT, bool) {
	var g *model.Goroutine
	for _, op := range c.Sends() {
		if op.InGo == nil || op.InGo.Body == nil || op.Func != op.InGo.Body || op.InGo.InLoop {
			return closeFixT{}, false
		}
		if g != nil && g != op.InGo {
			return closeFixT{}, false
		}
		g = op.InGo
	}
	if g == nil || g.Body.Body == nil || len(g.Body.Body.List) == 0 {
		return closeFixT{}, false
	}
	first := g.Body.Body.List[0]
	ind, ok := chanutil.IndentOf(m, first.Pos())
	if !ok {
		return closeFixT{}, false
	}
	return closeFixT{goroutine: g, fix: analysis.SuggestedFix{
		Message: fmt.Sprintf("Close %s when its only sender returns: defer close(%s)", c.Name, c.Name),
		TextEdits: []analysis.TextEdit{{
			Pos:     first.Pos(),
			End:     first.Pos(),
			NewText: []byte("defer close(" + c.Name + ")\n" + ind),
		}},
	}}, true
}
