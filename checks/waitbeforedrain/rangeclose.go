package waitbeforedrain

import (
	"go/ast"

	"golang.org/x/tools/go/analysis"

	"github.com/golens/golens/checks/internal/chanutil"
	"github.com/golens/golens/model"
)

// The close that comes too late: the waited-for goroutines range over the
// channel, a range ends only when the channel is closed, and the close
// comes after the Wait. The workers never leave their range, so they are
// never done, and Wait never returns.
//
//	for range 3 {
//		wg.Add(1)
//		go func() {
//			defer wg.Done()
//			for j := range jobs {
//				handle(j)
//			}
//		}()
//	}
//	for _, it := range items {
//		jobs <- it
//	}
//	wg.Wait() // never returns
//	close(jobs)
//
// Reported when the channel is a local of the waiting function, made once,
// mentioned only by sends, receives, ranges and closes (not passed or
// stored), every close of it is a plain statement of the waiting function
// after the Wait, and a goroutine literal the function starts before the
// Wait ranges over it as one of its own top-level statements with no way
// out of the range (no return, break or goto in its body), with no return
// before it, and calls Done on the waited WaitGroup only deferred or after
// the range.

// checkRangeClose reports the Wait, or false.
func checkRangeClose(m *model.File, w *model.WaitGroupOp, c *model.Chan) (analysis.Diagnostic, bool) {
	if w.InGo != nil {
		return analysis.Diagnostic{}, false
	}
	var closes []*model.ChanOp
	var worker *model.Goroutine
	var rangeOp *model.ChanOp
	for _, u := range c.Refs() {
		switch u.Kind {
		case model.RefDef:
			if u.Ident.Pos() != c.Decl {
				return analysis.Diagnostic{}, false
			}
		case model.RefSend, model.RefRecv, model.RefLen:
		case model.RefRange:
			if worker == nil {
				if g, ok := rangingWorker(m, w, u.Op); ok {
					worker, rangeOp = g, u.Op
				}
			}
		case model.RefClose:
			if u.Op.Func != w.Func || u.Op.InGo != nil || u.Op.Deferred || u.Op.Pos < w.Call.End() {
				return analysis.Diagnostic{}, false
			}
			closes = append(closes, u.Op)
		default:
			// go worker(..., ch, ..., &wg): a worker function that ranges
			// over its channel parameter.
			g, rs, ok := rangingWorkerFunc(m, w, u.Ident)
			if !ok {
				return analysis.Diagnostic{}, false
			}
			if worker == nil {
				worker, rangeOp = g, &model.ChanOp{Pos: rs.For, End: rs.X.End()}
			}
		}
	}
	if worker == nil || len(closes) == 0 {
		return analysis.Diagnostic{}, false
	}
	list, index, ok := m.StmtSlot(w.Call)
	if !ok || closes[0].Pos > list[len(list)-1].End() {
		return analysis.Diagnostic{}, false
	}
	d := analysis.Diagnostic{
		Pos:      w.Call.Pos(),
		End:      w.Call.End(),
		Category: name,
		Message: "deadlock: " + chanutil.NodeText(m, w.Call) + " waits for the goroutine started at " + chanutil.Where(m.Fset, worker.Pos, w.Call.Pos()) +
			", which ranges over " + c.Name + " until it is closed; " + c.Name + " is closed only after this Wait (" + chanutil.Where(m.Fset, closes[0].Pos, w.Call.Pos()) +
			"): the range never ends, so the goroutine is never done and the Wait never returns",
		Related: []analysis.RelatedInformation{
			{Pos: worker.Pos, Message: "this goroutine is done only after its range over " + c.Name + " ends"},
			{Pos: rangeOp.Pos, End: rangeOp.End, Message: "the range ends only when " + c.Name + " is closed"},
			{Pos: closes[0].Pos, End: closes[0].End, Message: c.Name + " closed here, after the Wait"},
		},
	}
	if fix, ok := closeBeforeWait(m, c, list, index); ok {
		d.SuggestedFixes = []analysis.SuggestedFix{fix}
	}
	return d, true
}

// rangingWorker: the range is a top-level statement of a goroutine
// literal that the waiting function starts before the Wait, with no
// return before it and no way out of its body, and the goroutine calls
// Done on the waited WaitGroup deferred or after the range, never before.
func rangingWorker(m *model.File, w *model.WaitGroupOp, op *model.ChanOp) (*model.Goroutine, bool) {
	g := op.InGo
	if g == nil || g.Body != op.Func || g.Func != w.Func || g.Pos > w.Pos {
		return nil, false
	}
	rs, ok := op.Node.(*ast.RangeStmt)
	if !ok || !m.RangeUntilClosed(op.Func.Body, rs) {
		return nil, false
	}
	return g, m.GoDoneOnlyAfter(g, w.Key, rs.Pos())
}

// closeBeforeWait swaps `wg.Wait()` and the `close(ch)` right after it:
// closing first lets the ranges end, and Wait then returns.
func closeBeforeWait(m *model.File, c *model.Chan, list []ast.Stmt, index int) (analysis.SuggestedFix, bool) {
	if index+1 >= len(list) || !isCloseOf(c, list[index+1]) {
		return analysis.SuggestedFix{}, false
	}
	wait, cl := list[index], list[index+1]
	if chanutil.LineOf(m, wait.End()) != chanutil.LineOf(m, wait.Pos()) || chanutil.LineOf(m, cl.End()) != chanutil.LineOf(m, cl.Pos()) {
		return analysis.SuggestedFix{}, false
	}
	return analysis.SuggestedFix{
		Message: "Close " + c.Name + " before the Wait",
		TextEdits: []analysis.TextEdit{
			{Pos: wait.Pos(), End: wait.End(), NewText: []byte(chanutil.NodeText(m, cl))},
			{Pos: cl.Pos(), End: cl.End(), NewText: []byte(chanutil.NodeText(m, wait))},
		},
	}, true
}

// rangingWorkerFunc: id is an argument of `go worker(..., ch, ..., &wg)`,
// started by the waiting function before the Wait, where worker is a
// function declared in this file whose body ranges over that parameter as
// one of its own top-level statements (no return before it, no way out of
// it) and calls Done on the WaitGroup parameter deferred or after the
// range. The WaitGroup argument is &wg of the waited WaitGroup itself.
func rangingWorkerFunc(m *model.File, w *model.WaitGroupOp, id *ast.Ident) (*model.Goroutine, *ast.RangeStmt, bool) {
	var g *model.Goroutine
	for _, gr := range m.Goroutines {
		if gr.Func != w.Func || gr.Body != nil || gr.Pos > w.Pos {
			continue
		}
		for _, a := range gr.Node.Call.Args {
			if ast.Unparen(a) == ast.Expr(id) {
				g = gr
			}
		}
	}
	if g == nil {
		return nil, nil, false
	}
	wk := m.GoWorkerOf(g)
	if wk == nil {
		return nil, nil, false
	}
	chParam := wk.Param(id)
	wgKey, ok := wk.WaitGroupParam(m, w.Key)
	if chParam == nil || !ok {
		return nil, nil, false
	}
	var rs *ast.RangeStmt
	for _, st := range wk.Decl.Body.List {
		if ls, ok := st.(*ast.LabeledStmt); ok {
			st = ls.Stmt
		}
		if r, ok := st.(*ast.RangeStmt); ok {
			if x, ok := ast.Unparen(r.X).(*ast.Ident); ok && m.DeclPos(x) == chParam.Pos() {
				rs = r
				break
			}
		}
	}
	if !m.RangeUntilClosed(wk.Decl.Body, rs) {
		return nil, nil, false
	}
	return g, rs, m.DoneOnlyAfter(wk.Func, wgKey, rs.Pos())
}
