package agreement_test

import (
	"strings"
	"testing"

	"github.com/golens/golens/concmap"
)

// TestMayBlock: the concurrency map's solid "can block" edges and the
// blocking hints read one fact (model.ChanOp.MayBlock, Select.MayBlock): a
// close and a case of a select with a default never block, and no feature
// says otherwise.
func TestMayBlock(t *testing.T) {
	sites, blocking, nonBlocking, defaults := 0, 0, 0, 0
	for _, dir := range []string{"nopartner", "closedsend", "nilchan"} {
		ms := models(t, dir)
		g := concmap.ForPackage(ms, dir, nil)
		type at struct {
			file      string
			line, col int
		}
		mapped := map[at][]bool{}
		for _, e := range g.Edges {
			for _, s := range e.Sites {
				k := at{s.Loc.File, s.Loc.Line, s.Loc.Col}
				mapped[k] = append(mapped[k], s.Blocking)
			}
		}
		for _, m := range ms {
			for _, op := range m.ChanOps {
				p := m.Position(op.Pos)
				where := p.String()
				for _, b := range mapped[at{p.Filename, p.Line, p.Column}] {
					sites++
					if b != op.MayBlock() {
						t.Errorf("%s: the map says blocking=%v, the model's MayBlock=%v", where, b, op.MayBlock())
					}
				}
				if op.Select != nil {
					continue // its select carries the hint
				}
				labels, _ := hintsIn(t, m, m.Offset(op.Pos), m.Offset(op.End))
				if op.MayBlock() {
					blocking++
					continue
				}
				nonBlocking++
				for _, l := range labels {
					if strings.Contains(l, "wait") || strings.Contains(l, "receives until") {
						t.Errorf("%s: the model says the %s never blocks, a hint says %q", where, op.Kind, l)
					}
				}
			}
			for _, sel := range m.Selects {
				if sel.Node == nil || sel.Node.Body == nil {
					continue
				}
				labels, _ := hintsIn(t, m, m.Offset(sel.Pos), m.Offset(sel.Node.Body.Lbrace+1))
				never := contains(labels, "never blocks")
				if !sel.MayBlock() {
					defaults++
				}
				if never == sel.MayBlock() && len(labels) > 0 {
					t.Errorf("%s: the model's Select.MayBlock=%v, the hints say %q", m.Position(sel.Pos), sel.MayBlock(), labels)
				}
			}
		}
	}
	if sites < 20 || blocking < 20 || nonBlocking < 5 || defaults < 2 {
		t.Errorf("only %d map sites, %d blocking and %d non-blocking operations, %d selects with default checked", sites, blocking, nonBlocking, defaults)
	}
	t.Logf("%d map sites, %d blocking, %d non-blocking, %d selects with default", sites, blocking, nonBlocking, defaults)
}
