package agreement_test

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/golens/golens/checks/cancelleak"
)

// TestCancelCalled: the context hover's "`cancel` is called at …" / "is
// deferred" and cancelleak's "the context is never cancelled" read one
// fact (model.ContextCall.CancelCalls): no cancelleak finding lies in a
// function whose context constructor the hover says is cancelled there,
// and a constructor whose cancel func the model sees called is hovered so.
func TestCancelCalled(t *testing.T) {
	dir, err := filepath.Abs(filepath.Join("..", "..", "checks", "cancelleak", "testdata"))
	if err != nil {
		t.Fatal(err)
	}
	results := analysistest.Run(t, dir, cancelleak.Analyzer, "cancelleak")
	var findings []string // file:line of each finding
	for _, r := range results {
		for _, d := range r.Diagnostics {
			p := r.Pass.Fset.Position(d.Pos)
			findings = append(findings, filepath.Base(p.Filename)+":"+strconv.Itoa(p.Line))
		}
	}
	called, ctors := 0, 0
	for _, m := range models(t, "cancelleak") {
		for _, cc := range m.CtxCalls {
			if cc.Name == "Done" || cc.Func == nil {
				continue
			}
			ctors++
			h := hoverAt(m, m.Offset(cc.Pos))
			where := m.Position(cc.Pos).String()
			if len(cc.CancelCalls()) == 0 {
				continue
			}
			called++
			if !strings.Contains(h, "is called at") && !strings.Contains(h, "is deferred") {
				t.Errorf("%s: the model sees the cancel func called, the hover does not say so:\n%s", where, h)
			}
			top := cc.Func
			for top.Parent != nil {
				top = top.Parent
			}
			for _, f := range findings {
				for line := m.Line(top.Pos); line <= m.Line(top.End); line++ {
					if f == filepath.Base(m.Position(cc.Pos).Filename)+":"+strconv.Itoa(line) {
						t.Errorf("%s: the hover says the cancel func is called, cancelleak reports %s in the same function", where, f)
					}
				}
			}
		}
	}
	t.Logf("%d findings, %d constructors, %d with the cancel func called", len(findings), ctors, called)
	if len(findings) < 3 || called < 2 || ctors < 5 {
		t.Errorf("only %d findings, %d constructors (%d cancelled) checked", len(findings), ctors, called)
	}
}
