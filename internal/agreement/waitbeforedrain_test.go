package agreement_test

import (
	"go/ast"
	"go/token"
	"strings"
	"testing"

	"github.com/golens/golens/checks/waitbeforedrain"
	"github.com/golens/golens/model"
)

// TestRangeUntilClosed: waitbeforedrain's "the range ends only when jobs
// is closed" (model.File.RangeUntilClosed) and the range hover's "or until
// the `break` at line 12 leaves the loop" (model.File.LoopExit) read the
// same list of ways out of the loop (File.LoopExits): no range the check
// names as ending only at the close has a hover that names a way out, and
// no range whose hover names a way out is one the model holds until the
// close.
func TestRangeUntilClosed(t *testing.T) {
	ranges, named := 0, 0
	for _, m := range models(t, "waitbeforedrain") {
		until := map[*model.ChanOp]bool{}
		for _, d := range waitbeforedrain.Syntax(m) {
			for _, r := range d.Related {
				if !strings.HasPrefix(r.Message, "the range ends only when") {
					continue
				}
				op := rangeOpAt(m, r.Pos)
				if op == nil {
					t.Errorf("%s: %q names no range of the model", m.Fset.Position(r.Pos), r.Message)
					continue
				}
				until[op] = true
				named++
			}
		}
		for _, op := range m.ChanOps {
			rs, ok := op.Node.(*ast.RangeStmt)
			if op.Kind != model.Range || !ok || op.Func == nil {
				continue
			}
			h := hoverAt(m, m.Offset(op.Pos))
			if h == "" {
				continue
			}
			ranges++
			saysLeaves := leavesNote.MatchString(h)
			if until[op] && saysLeaves {
				t.Errorf("%s: waitbeforedrain says the range ends only at the close, the hover names a way out:\n%s", m.Fset.Position(op.Pos), h)
			}
			if saysLeaves && m.RangeUntilClosed(op.Func.Body, rs) {
				t.Errorf("%s: the hover names a way out of the range, RangeUntilClosed holds:\n%s", m.Fset.Position(op.Pos), h)
			}
		}
	}
	t.Logf("%d ranges, %d named by findings", ranges, named)
	if ranges < 8 || named < 3 {
		t.Errorf("only %d ranges and %d ranges named by findings checked", ranges, named)
	}
}

// rangeOpAt is the model's range over a channel whose statement holds p.
func rangeOpAt(m *model.File, p token.Pos) *model.ChanOp {
	for _, op := range m.ChanOps {
		if op.Kind == model.Range && op.Node != nil && p >= op.Node.Pos() && p < op.Node.End() {
			return op
		}
	}
	return nil
}

// TestWaitNeverReturns: the go hover's "which never returns" (the model's
// WaitNeverReturns, the part of the deadlock fact File.WaitDeadlocks that
// one goroutine's hover can state) is never said of a wg.Wait() the
// waitbeforedrain check, which reports that fact at the Wait, stays
// silent about: the hover states the deadlock only where the check finds
// it too.
func TestWaitNeverReturns(t *testing.T) {
	corpus := syntaxCorpus(t, "waitbeforedrain")
	proven := 0
	for _, label := range sortedKeys(corpus) {
		m := corpus[label]
		reported := map[int]bool{}
		for _, d := range waitbeforedrain.Syntax(m) {
			if strings.HasPrefix(d.Message, "deadlock: ") {
				reported[m.Line(d.Pos)] = true
			}
		}
		for _, g := range m.Goroutines {
			d := m.WaitNeverReturns(g)
			h := hoverAt(m, m.Offset(g.Pos))
			if says := strings.Contains(h, ", which never returns: "); says != (d != nil) {
				t.Errorf("%s:%d: WaitNeverReturns = %v, the go hover says the wait never returns = %v:\n%s", label, m.Line(g.Pos), d != nil, says, h)
			}
			if d == nil {
				continue
			}
			proven++
			if w := m.Line(g.Wait().Pos); !reported[w] {
				t.Errorf("%s:%d: the go hover says the Wait at line %d never returns; waitbeforedrain reports no deadlock there", label, m.Line(g.Pos), w)
			}
		}
	}
	t.Logf("%d goroutines whose Wait never returns", proven)
	if proven < 3 {
		t.Errorf("only %d goroutines whose Wait never returns checked", proven)
	}
}
