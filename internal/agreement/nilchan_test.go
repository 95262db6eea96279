package agreement_test

import (
	"strings"
	"testing"

	"github.com/golens/golens/checks/nilchan"
)

// TestNilChan: nilchan reports an operation on a local channel only where
// the hover says the channel is nil there, and both read one fact: the
// model's NeverMade (a local declared by a `var` spec without a value,
// Chan.BareDecl, never made nor assigned). The quick fix makes the channel
// in that same spec.
func TestNilChan(t *testing.T) {
	ops, reported := 0, 0
	for _, m := range models(t, "nilchan") {
		found := findingsAt(nilchan.Syntax(m))
		for _, op := range m.ChanOps {
			if op.Chan == nil || op.Chan.IsField {
				continue
			}
			h := hoverAt(m, m.Offset(op.Pos))
			if h == "" {
				continue
			}
			ops++
			// "is **nil** here" on every path; "On some path it is still
			// **nil** here" (a made value reaches it too) is not NeverMade.
			saysNil := strings.Contains(h, "**nil** here") && !strings.Contains(h, "On some path it is")
			if saysNil != op.Chan.NeverMade() {
				t.Errorf("%s: NeverMade=%v, the hover says nil=%v:\n%s", m.Fset.Position(op.Pos), op.Chan.NeverMade(), saysNil, h)
			}
			d, ok := found[int(op.Pos)]
			if !ok {
				continue
			}
			reported++
			if !saysNil {
				t.Errorf("%s: nilchan says %q, the hover does not say the channel is nil:\n%s", m.Fset.Position(op.Pos), d.Message, h)
			}
			spec := op.Chan.BareDecl()
			if spec == nil {
				t.Errorf("%s: nilchan reports a channel without a bare declaration", m.Fset.Position(op.Pos))
				continue
			}
			for _, fix := range d.SuggestedFixes {
				for _, e := range fix.TextEdits {
					if e.Pos < spec.Pos() || e.End > spec.End() {
						t.Errorf("%s: the fix edits outside the declaring spec (model.Chan.BareDecl)", m.Fset.Position(op.Pos))
					}
				}
			}
		}
	}
	if ops < 10 || reported < 5 {
		t.Errorf("only %d operations and %d findings checked", ops, reported)
	}
	t.Logf("%d operations on local channels, %d nilchan findings", ops, reported)
}
