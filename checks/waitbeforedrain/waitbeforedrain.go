package waitbeforedrain

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/token"

	"golang.org/x/tools/go/analysis"

	"github.com/golens/golens/checks"
	"github.com/golens/golens/checks/internal/chanutil"
	"github.com/golens/golens/checks/modelpass"
	"github.com/golens/golens/model"
)

const name = "waitbeforedrain"

// Analyzer reports a WaitGroup.Wait that runs before the channel its
// goroutines send to is drained.
var Analyzer = &analysis.Analyzer{
	Name:     name,
	Doc:      doc,
	URL:      checks.DocURL(name),
	Requires: []*analysis.Analyzer{modelpass.Analyzer},
	Run: func(pass *analysis.Pass) (any, error) {
		fieldDrains(pass) // fields.go: the Wait and the drain in methods of one type
		return modelpass.Report(pass, check)
	},
}

const doc = `report wg.Wait() before draining the channel the goroutines send to

When goroutines send on an unbuffered channel (or more values than its
buffer holds) and call wg.Done only after sending, a wg.Wait() placed before
the loop that receives those values never returns: the goroutines wait for
a receiver, and the receiver waits for Wait. Wait and close in a goroutine
of their own and range over the channel in the caller.`

// Syntax runs the check on a syntax-tier model.
func Syntax(m *model.File) []analysis.Diagnostic { return check(m) }

func check(m *model.File) []analysis.Diagnostic {
	var waits []*model.WaitGroupOp
	for _, w := range m.WaitGroups {
		if w.Kind == model.WGWait && !w.Deferred && w.Func != nil && w.Key.Valid() {
			waits = append(waits, w)
		}
	}
	if len(waits) == 0 {
		return nil
	}
	var cands []*model.Chan
	for _, c := range m.Chans {
		if c.IsParam || c.IsField || len(c.Makes) != 1 || len(c.Assigned) > 0 || len(c.NilSets) > 0 {
			continue
		}
		// Without receives: a channel handed to the caller only after
		// the Wait (returned.go).
		cands = append(cands, c)
	}
	if len(cands) == 0 {
		return nil
	}
	// Function literals passed to wg.Go run as goroutines that signal wg.
	goLits := map[token.Pos]*model.WaitGroupOp{}
	for _, w := range m.WaitGroups {
		if w.Kind == model.WGGo && len(w.Call.Args) == 1 {
			if lit, ok := ast.Unparen(w.Call.Args[0]).(*ast.FuncLit); ok {
				goLits[lit.Pos()] = w
			}
		}
	}
	var out []analysis.Diagnostic
	// Pair each Wait with the channels of its own function (grouped once:
	// pairing every Wait with every channel is quadratic in large files).
	candsOf := map[*model.Func][]*model.Chan{}
	for _, c := range cands {
		f := chanutil.FuncAt(m, c.Decl)
		candsOf[f] = append(candsOf[f], c)
	}
	for _, w := range waits {
		for _, c := range candsOf[w.Func] {
			if d, ok := checkRangeClose(m, w, c); ok { // rangeclose.go
				out = append(out, d)
				continue
			}
			if len(c.Receives()) == 0 {
				if d, ok := checkReturned(m, w, c, goLits); ok {
					out = append(out, d)
				}
				continue
			}
			if d, ok := checkPair(m, w, c, c.Refs(), goLits); ok {
				out = append(out, d)
			}
		}
	}
	return out
}

// sender is a goroutine that sends on the channel and signals the WaitGroup.
type sender struct {
	pos    token.Pos // the go keyword or wg.Go
	inLoop bool
}

func checkPair(m *model.File, w *model.WaitGroupOp, c *model.Chan, uses []model.ChanRef, goLits map[token.Pos]*model.WaitGroupOp) (analysis.Diagnostic, bool) {
	capacity, known := c.Capacity()
	if !known {
		return analysis.Diagnostic{}, false
	}
	f := w.Func
	var senders []sender
	countable := true
	// go worker(..., ch, ..., &wg): the channel is handed to a function of
	// this file that sends on it and signals the WaitGroup.
	workerArg := map[*ast.Ident]*model.Goroutine{}
	for _, g := range m.Goroutines {
		if g.Func != f || g.Body != nil {
			continue
		}
		for _, a := range g.Node.Call.Args {
			if id, ok := ast.Unparen(a).(*ast.Ident); ok && m.DeclPos(id) == c.Decl {
				workerArg[id] = g
			}
		}
	}
	for _, u := range uses {
		switch u.Kind {
		case model.RefSend, model.RefRecv, model.RefRange, model.RefClose, model.RefLen:
		case model.RefDef:
			if u.Ident.Pos() != c.Decl {
				return analysis.Diagnostic{}, false
			}
		default:
			g := workerArg[u.Ident]
			if g == nil || !isWorker(m, w, g, u.Ident) {
				return analysis.Diagnostic{}, false
			}
			senders = append(senders, sender{pos: g.Pos, inLoop: g.InLoop})
			countable = false // the worker's sends are not counted
		}
	}
	var firstRecv *model.ChanOp
	var sendOps []*model.ChanOp
	for _, op := range c.Ops {
		switch op.Kind {
		case model.Send:
			s, ok := signaller(m, w, op, goLits)
			if !ok || op.Select != nil {
				return analysis.Diagnostic{}, false
			}
			senders = append(senders, s)
			sendOps = append(sendOps, op)
			if s.inLoop || op.InLoop {
				countable = false
			}
		case model.Recv, model.Range:
			if op.Func != f || op.InGo != w.InGo || op.Pos < w.Call.End() {
				return analysis.Diagnostic{}, false
			}
			if firstRecv == nil {
				firstRecv = op
			}
		}
	}
	if firstRecv == nil || len(senders) == 0 {
		return analysis.Diagnostic{}, false
	}
	sends := countSends(sendOps) // sends on paths that exclude each other count once
	if capacity > 0 && (!countable || int64(sends) <= capacity) {
		return analysis.Diagnostic{}, false
	}
	waitPath, _ := chanutil.PathEnclosingInterval(m, w.Call.Pos(), w.Call.End())
	list, index, ok := stmtSlot(waitPath, w.Call)
	if !ok {
		return analysis.Diagnostic{}, false
	}
	// The receive must follow the Wait on the same path: inside the
	// statements after it in the same list.
	last := list[len(list)-1]
	if firstRecv.Pos > last.End() {
		return analysis.Diagnostic{}, false
	}
	kind := "unbuffered channel " + c.Name
	if capacity > 0 {
		kind = fmt.Sprintf("channel %s (buffer %d, %d sends)", c.Name, capacity, sends)
	}
	d := analysis.Diagnostic{
		Pos:      w.Call.Pos(),
		End:      w.Call.End(),
		Category: name,
		Message: fmt.Sprintf("deadlock: %s waits for goroutines that send on %s, which is drained only after the Wait (line %d)",
			chanutil.NodeText(m, w.Call), kind, chanutil.LineOf(m, firstRecv.Pos)),
		Related: []analysis.RelatedInformation{
			{Pos: senders[0].pos, Message: "this goroutine sends on " + c.Name + " before it is done"},
			{Pos: firstRecv.Pos, End: firstRecv.End, Message: c.Name + " drained here"},
			{Pos: c.Makes[0].Pos, Message: c.Name + " made here"},
		},
	}
	if fix, ok := waitInGoroutine(m, c, list, index); ok {
		d.SuggestedFixes = []analysis.SuggestedFix{fix}
	}
	return d, true
}

// signaller reports whether the send op runs in a goroutine, started before
// the Wait by the waiting function, that signals the same WaitGroup.
func signaller(m *model.File, w *model.WaitGroupOp, op *model.ChanOp, goLits map[token.Pos]*model.WaitGroupOp) (sender, bool) {
	if op.Func == nil || !op.Func.Lit {
		return sender{}, false
	}
	if g := op.InGo; g != nil && g.Body == op.Func {
		if g.Func != w.Func || g.Pos > w.Pos {
			return sender{}, false
		}
		if !m.GoDoneOnlyAfter(g, w.Key, op.Pos) {
			return sender{}, false // no Done, or one before the send: Wait does not wait for it
		}
		return sender{pos: g.Pos, inLoop: g.InLoop}, true
	}
	if gw := goLits[op.Func.Pos]; gw != nil && gw.Key == w.Key && gw.Func == w.Func && gw.Pos < w.Pos && op.InGo == w.InGo {
		return sender{pos: gw.Call.Pos(), inLoop: chanutil.InLoopAt(m.AST, gw.Call.Pos())}, true
	}
	return sender{}, false
}

// stmtSlot returns the statement list holding the statement `call` (an
// expression statement) and its index.
func stmtSlot(path []ast.Node, call *ast.CallExpr) ([]ast.Stmt, int, bool) {
	for i, n := range path {
		es, ok := n.(*ast.ExprStmt)
		if !ok {
			continue
		}
		if ast.Unparen(es.X) != call || i+1 >= len(path) {
			return nil, 0, false
		}
		var list []ast.Stmt
		switch p := path[i+1].(type) {
		case *ast.BlockStmt:
			list = p.List
		case *ast.CaseClause:
			list = p.Body
		case *ast.CommClause:
			list = p.Body
		}
		for j, s := range list {
			if s == es {
				return list, j, true
			}
		}
		return nil, 0, false
	}
	return nil, 0, false
}

// waitInGoroutine rewrites
//
//	wg.Wait()
//	close(ch) // optional
//	for v := range ch {
//
// into
//
//	go func() {
//		wg.Wait()
//		close(ch)
//	}()
//	for v := range ch {
func waitInGoroutine(m *model.File, c *model.Chan, list []ast.Stmt, index int) (analysis.SuggestedFix, bool) {
	wait := list[index]
	end := wait
	next := index + 1
	if next < len(list) && isCloseOf(c, list[next]) {
		end = list[next]
		next++
	}
	if next >= len(list) {
		return analysis.SuggestedFix{}, false
	}
	rs, ok := list[next].(*ast.RangeStmt)
	if !ok {
		return analysis.SuggestedFix{}, false
	}
	if !rangesOver(c, rs) {
		return analysis.SuggestedFix{}, false
	}
	ind, ok := chanutil.IndentOf(m, wait.Pos())
	if !ok || chanutil.LineOf(m, wait.End()) != chanutil.LineOf(m, wait.Pos()) {
		return analysis.SuggestedFix{}, false
	}
	text := "go func() {\n" + ind + "\t" + chanutil.NodeText(m, wait) + "\n" + ind + "\tclose(" + c.Name + ")\n" + ind + "}()"
	edits := []analysis.TextEdit{{Pos: wait.Pos(), End: wait.End(), NewText: []byte(text)}}
	if end != wait {
		// Delete the close statement's line, keeping any comment after
		// the Wait where it was.
		if _, own := chanutil.IndentOf(m, end.Pos()); !own || chanutil.LineOf(m, end.End()) != chanutil.LineOf(m, end.Pos()) {
			return analysis.SuggestedFix{}, false
		}
		off := m.Offset(end.Pos())
		nl := bytes.LastIndexByte(m.Src[:off], '\n')
		if nl < 0 {
			return analysis.SuggestedFix{}, false
		}
		edits = append(edits, analysis.TextEdit{Pos: m.Pos(nl), End: end.End()})
	}
	return analysis.SuggestedFix{
		Message:   "Wait and close " + c.Name + " in a goroutine, and range over it here",
		TextEdits: edits,
	}, true
}

// isCloseOf reports whether st is a plain `close(ch)` statement: one of
// the model's close operations on c.
func isCloseOf(c *model.Chan, st ast.Stmt) bool {
	es, ok := st.(*ast.ExprStmt)
	if !ok {
		return false
	}
	for _, op := range c.Closes() {
		if op.Node == ast.Unparen(es.X) {
			return true
		}
	}
	return false
}

// rangesOver reports whether rs is one of the model's range operations on
// c.
func rangesOver(c *model.Chan, rs *ast.RangeStmt) bool {
	for _, op := range c.Ops {
		if op.Kind == model.Range && op.Node == rs {
			return true
		}
	}
	return false
}

// isWorker reports whether the goroutine `go worker(..., ch, ..., &wg)`,
// started before the Wait, runs a function declared in this file
// (model.GoWorker) that only sends on the channel parameter, in plain
// sends of its own body, and calls Done on the WaitGroup parameter only
// after its sends (or in a defer).
func isWorker(m *model.File, w *model.WaitGroupOp, g *model.Goroutine, chArg *ast.Ident) bool {
	if g.Pos > w.Pos {
		return false
	}
	wk := m.GoWorkerOf(g)
	if wk == nil {
		return false
	}
	chParam := wk.Param(chArg)
	wgKey, ok := wk.WaitGroupParam(m, w.Key)
	if chParam == nil || !ok {
		return false
	}
	// Every mention of the channel parameter (the model's Refs) is a
	// plain send of the worker's own body.
	var param *model.Chan
	for _, c := range m.Chans {
		if c.IsParam && c.Decl == chParam.Pos() {
			param = c
		}
	}
	if param == nil {
		return false
	}
	var lastSend token.Pos
	for _, u := range param.Refs() {
		switch {
		case u.Kind == model.RefDef && u.Ident == chParam:
		case u.Kind == model.RefSend && u.Op.Func == wk.Func && u.Op.Select == nil:
			lastSend = max(lastSend, u.Op.Pos)
		default:
			return false
		}
	}
	return lastSend.IsValid() && m.DoneOnlyAfter(wk.Func, wgKey, lastSend)
}
