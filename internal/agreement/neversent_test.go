package agreement_test

import (
	"strings"
	"testing"

	"github.com/golens/golens/model"
)

// TestNeverSentNorClosedTip: the receive and range hovers and the blocking
// hints' tooltips state the model's Chan.NeverSentNorClosed claim on the
// same operations, with the same conclusion: a receive "blocks forever", a
// select case is "never ready", a range "never ends". Neither says it
// where the model does not prove it.
func TestNeverSentNorClosedTip(t *testing.T) {
	ms := syntaxCorpus(t, "nopartner", "unclosedrange", "selfdeadlock")
	claimed, compared := 0, 0
	for _, label := range sortedKeys(ms) {
		m := ms[label]
		for _, op := range m.ChanOps {
			if op.Kind != model.Recv && op.Kind != model.Range || op.Chan == nil {
				continue
			}
			where := label + ":" + m.Fset.Position(op.Pos).String()
			claim := "Nothing sends on `" + op.ChanExpr + "` and nothing closes it (golens follows every use of it):"
			conclusion := "this receive **blocks forever**"
			from, to := m.Offset(op.Pos), m.Offset(op.End)
			switch {
			case op.Select != nil:
				conclusion = "**never ready**"
				sel := op.Select.Select
				if sel.Node == nil || sel.Node.Body == nil {
					continue
				}
				from, to = m.Offset(sel.Pos), m.Offset(sel.Node.Body.Lbrace+1)
			case op.Kind == model.Range:
				conclusion = "the loop **never ends**"
			}
			h := hoverAt(m, m.Offset(op.Pos))
			_, tips := hintsIn(t, m, from, to)
			tip := strings.Join(tips, "\n")
			inHover := strings.Contains(h, claim) && strings.Contains(h, conclusion)
			inTip := strings.Contains(tip, claim) && strings.Contains(tip, conclusion)
			compared++
			if op.Chan.NeverSentNorClosed() {
				claimed++
			}
			if inHover != inTip || inHover != op.Chan.NeverSentNorClosed() {
				t.Errorf("%s: model NeverSentNorClosed=%v, hover states it: %v, tooltip states it: %v\nhover:\n%s\ntooltip:\n%s",
					where, op.Chan.NeverSentNorClosed(), inHover, inTip, h, tip)
			}
		}
	}
	t.Logf("%d receives and ranges compared, %d the model proves never sent nor closed", compared, claimed)
	if claimed == 0 {
		t.Fatal("no receive the model proves never sent nor closed: the corpus no longer exercises the claim")
	}
}
