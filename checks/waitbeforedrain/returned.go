package waitbeforedrain

import (
	"bytes"
	"fmt"
	"go/ast"

	"golang.org/x/tools/go/analysis"

	"github.com/golens/golens/checks/internal/chanutil"
	"github.com/golens/golens/model"
)

// The drain that only the caller can run: the function makes the channel,
// starts goroutines that send on it before they are done, waits for them,
// and only then returns the channel. Until it returns, nobody else holds
// the channel, so nobody can receive; and it does not return before the
// goroutines are done.
//
//	func squares(n int) <-chan int {
//		out := make(chan int)
//		for i := range n {
//			wg.Add(1)
//			go func() {
//				defer wg.Done()
//				out <- i * i
//			}()
//		}
//		wg.Wait() // never returns
//		close(out)
//		return out
//	}
//
// Reported when the channel is a local of the waiting function, made once
// without a buffer (or with fewer slots than the sends the function's
// straight-line goroutines make), every mention of it is its declaration,
// a plain send of a goroutine counted by the WaitGroup (as the model's
// WaitSignaller and CountSends count them for File.WaitDeadlocks too), a
// close after the Wait, or a return of it after the Wait from the waiting
// function itself; and nothing receives from it.

// checkReturned reports the Wait of such a function, or false.
func checkReturned(m *model.File, w *model.WaitGroupOp, c *model.Chan) (analysis.Diagnostic, bool) {
	if w.InGo != nil || w.Func == nil || len(c.Receives()) > 0 {
		return analysis.Diagnostic{}, false
	}
	capacity, known := c.Capacity()
	if !known {
		return analysis.Diagnostic{}, false
	}
	var senders []model.WaitSender
	countable := true
	var sendOps []*model.ChanOp
	var ret *ast.ReturnStmt
	for _, u := range c.Refs() {
		switch u.Kind {
		case model.RefDef:
			if u.Ident.Pos() != c.Decl {
				return analysis.Diagnostic{}, false
			}
		case model.RefSend:
			s, ok := m.WaitSignaller(w, u.Op)
			if !ok || u.Op.Select != nil {
				return analysis.Diagnostic{}, false
			}
			senders = append(senders, s)
			sendOps = append(sendOps, u.Op)
			if s.InLoop || u.Op.InLoop {
				countable = false
			}
		case model.RefClose:
			if u.Op.Func != w.Func || u.Op.InGo != nil || u.Op.Deferred || u.Op.Pos < w.Call.End() {
				return analysis.Diagnostic{}, false
			}
		case model.RefOther:
			r, ok := returnedBy(c, u.Expr, w)
			if !ok {
				return analysis.Diagnostic{}, false
			}
			if ret == nil {
				ret = r
			}
		default:
			return analysis.Diagnostic{}, false
		}
	}
	if ret == nil || len(senders) == 0 {
		return analysis.Diagnostic{}, false
	}
	sends := model.CountSends(sendOps) // sends on paths that exclude each other count once
	if capacity > 0 && (!countable || int64(sends) <= capacity) {
		return analysis.Diagnostic{}, false
	}
	list, index, ok := m.StmtSlot(w.Call)
	if !ok || ret.Pos() > list[len(list)-1].End() {
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
		Message: fmt.Sprintf("deadlock: %s waits for goroutines that send on %s, but nothing receives from it in this function and it reaches the caller only at the return (line %d), after the Wait: the goroutines wait for a receiver, the Wait for them",
			chanutil.NodeText(m, w.Call), kind, chanutil.LineOf(m, ret.Pos())),
		Related: []analysis.RelatedInformation{
			{Pos: senders[0].Pos, Message: "this goroutine sends on " + c.Name + " before it is done"},
			{Pos: ret.Pos(), End: ret.End(), Message: c.Name + " handed to the caller here, after the Wait"},
			{Pos: c.Makes[0].Pos, Message: c.Name + " made here"},
		},
	}
	if fix, ok := waitAndCloseInGoroutine(m, c, list, index); ok {
		d.SuggestedFixes = []analysis.SuggestedFix{fix}
	}
	return d, true
}

// returnedBy: e is a result of a return statement of the waiting
// function itself (not of a literal in it), after the Wait: one of the
// model's ChanReturns of c (the summaries' "returns it") whose result, as
// written apart from parentheses, is e.
func returnedBy(c *model.Chan, e ast.Expr, w *model.WaitGroupOp) (*ast.ReturnStmt, bool) {
	if e == nil || e.Pos() < w.Call.End() {
		return nil, false
	}
	for _, r := range c.Returns() {
		if r.Func == w.Func && ast.Unparen(r.Result) == e {
			return r.Stmt, true
		}
	}
	return nil, false
}

// waitAndCloseInGoroutine rewrites
//
//	wg.Wait()
//	close(ch)
//
// into
//
//	go func() {
//		wg.Wait()
//		close(ch)
//	}()
//
// so that the function returns the channel at once and the caller's
// receives let the goroutines finish.
func waitAndCloseInGoroutine(m *model.File, c *model.Chan, list []ast.Stmt, index int) (analysis.SuggestedFix, bool) {
	if index+1 >= len(list) || !isCloseOf(c, list[index+1]) {
		return analysis.SuggestedFix{}, false
	}
	wait, cl := list[index], list[index+1]
	ind, ok := chanutil.IndentOf(m, wait.Pos())
	if !ok || chanutil.LineOf(m, wait.End()) != chanutil.LineOf(m, wait.Pos()) ||
		chanutil.LineOf(m, cl.End()) != chanutil.LineOf(m, wait.Pos())+1 {
		return analysis.SuggestedFix{}, false
	}
	if _, own := chanutil.IndentOf(m, cl.Pos()); !own {
		return analysis.SuggestedFix{}, false
	}
	text := "go func() {\n" + ind + "\t" + chanutil.NodeText(m, wait) + "\n" + ind + "\t" + chanutil.NodeText(m, cl) + "\n" + ind + "}()"
	// Delete the close statement's line, keeping any comment after the
	// Wait where it was.
	off := m.Offset(cl.Pos())
	nl := bytes.LastIndexByte(m.Src[:off], '\n')
	if nl < 0 {
		return analysis.SuggestedFix{}, false
	}
	return analysis.SuggestedFix{
		Message: "Wait and close " + c.Name + " in a goroutine, so the caller can receive",
		TextEdits: []analysis.TextEdit{
			{Pos: wait.Pos(), End: wait.End(), NewText: []byte(text)},
			{Pos: m.Pos(nl), End: cl.End()},
		},
	}, true
}
