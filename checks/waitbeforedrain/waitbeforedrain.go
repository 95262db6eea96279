package waitbeforedrain

import (
	"bytes"
	"fmt"
	"go/ast"

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
	// The deadlock of a Wait and a channel drained after it is the
	// model's fact (File.WaitDeadlocks), which the go hover and hint read
	// too; this check turns it into a finding.
	type pair struct {
		w *model.WaitGroupOp
		c *model.Chan
	}
	deadlocks := map[pair]*model.WaitDeadlock{}
	for _, d := range m.WaitDeadlocks() {
		deadlocks[pair{d.Wait, d.Chan}] = d
	}
	var out []analysis.Diagnostic
	// Pair each Wait with the channels of its own function (grouped once:
	// pairing every Wait with every channel is quadratic in large files).
	candsOf := map[*model.Func][]*model.Chan{}
	for _, c := range m.Chans {
		if c.IsParam || c.IsField || len(c.Makes) != 1 || len(c.Assigned) > 0 || len(c.NilSets) > 0 {
			continue
		}
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
				// Without receives: a channel handed to the caller
				// only after the Wait (returned.go).
				if d, ok := checkReturned(m, w, c); ok {
					out = append(out, d)
				}
				continue
			}
			if d := deadlocks[pair{w, c}]; d != nil {
				out = append(out, diagnose(m, d))
			}
		}
	}
	return out
}

// diagnose is the finding of the model's deadlock d: at the Wait, naming
// the first sender, the drain and the make, with the fix that waits in a
// goroutine of its own.
func diagnose(m *model.File, d *model.WaitDeadlock) analysis.Diagnostic {
	w, c := d.Wait, d.Chan
	kind := "unbuffered channel " + c.Name
	if d.Capacity > 0 {
		kind = fmt.Sprintf("channel %s (buffer %d, %d sends)", c.Name, d.Capacity, d.Sends)
	}
	diag := analysis.Diagnostic{
		Pos:      w.Call.Pos(),
		End:      w.Call.End(),
		Category: name,
		Message: fmt.Sprintf("deadlock: %s waits for goroutines that send on %s, which is drained only after the Wait (line %d)",
			chanutil.NodeText(m, w.Call), kind, chanutil.LineOf(m, d.Drain.Pos)),
		Related: []analysis.RelatedInformation{
			{Pos: d.Senders[0].Pos, Message: "this goroutine sends on " + c.Name + " before it is done"},
			{Pos: d.Drain.Pos, End: d.Drain.End, Message: c.Name + " drained here"},
			{Pos: c.Makes[0].Pos, Message: c.Name + " made here"},
		},
	}
	if !certainSender(m, d) {
		// No sender reaches its send on every run: the runs that reach
		// none return (if n%2 == 1 { out <- n } with even inputs), so
		// the deadlock is stated with its condition.
		diag.Message = fmt.Sprintf("deadlock whenever a goroutine reaches its send: %s waits for goroutines that may send on %s (only on some of their paths), which is drained only after the Wait (line %d)",
			chanutil.NodeText(m, w.Call), kind, chanutil.LineOf(m, d.Drain.Pos))
		diag.Related[0].Message = "this goroutine may send on " + c.Name + " before it is done"
	}
	if fix, ok := waitInGoroutine(m, c, d.Stmts, d.Index); ok {
		diag.SuggestedFixes = []analysis.SuggestedFix{fix}
	}
	return diag
}

// certainSender reports whether one of d's senders reaches a send on every
// run (the model's CertainSend). A buffered channel's counted sends are
// already the sends that must queue.
func certainSender(m *model.File, d *model.WaitDeadlock) bool {
	if d.Capacity > 0 {
		return true
	}
	for _, s := range d.Senders {
		if m.CertainSend(s) != nil {
			return true
		}
	}
	return false
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
