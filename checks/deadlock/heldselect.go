package deadlock

import (
	"go/ast"

	"strconv"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/golens/golens/model/lockfacts"
)

// ---- a lock held across a select none of whose cases can proceed ----

// A select without a default waits until one of its cases can proceed.
// With a mutex held, it blocks forever when the partners of every case
// (the receivers of its sends, the senders and closers of its receives)
// must lock that mutex first: select { case c.out <- b: case <-c.closed: }
// under c.mu, where the reader locks c.mu before each receive and close()
// locks c.mu before it closes c.closed. A case golens cannot follow (a
// timer, ctx.Done(), a channel without a known make) may proceed, and so
// may a buffered channel's: then nothing is reported.

func (st *analysisState) heldAcrossSelect() []analysis.Diagnostic {
	var out []analysis.Diagnostic
	for _, u := range st.Units {
		if u.File == nil || u.Test {
			continue
		}
		byClause := map[ast.Stmt]*lockfacts.WaitEvent{}
		for _, w := range u.Waits {
			if cc, ok := w.Stmt.(*ast.CommClause); ok && w.InSelect && len(w.Held) > 0 {
				byClause[cc] = w
			}
		}
		if len(byClause) < 2 {
			continue
		}
		for _, sel := range u.File.Selects {
			if sel.Node == nil || sel.Default != nil || sel.Pos < u.Body.Pos() || sel.Pos >= u.Body.End() {
				continue
			}
			var ws []*lockfacts.WaitEvent
			for _, c := range sel.Node.Body.List {
				w := byClause[c.(*ast.CommClause)]
				if w == nil {
					ws = nil
					break
				}
				ws = append(ws, w)
			}
			if len(ws) < 2 {
				continue
			}
			if d, ok := st.judgeSelect(u, sel.Node, ws); ok {
				out = append(out, d)
			}
		}
	}
	return out
}

// judgeSelect reports the select when, for one mutex held at it, every
// case's every partner must lock the mutex before its operation.
func (st *analysisState) judgeSelect(u *lockfacts.Unit, sel *ast.SelectStmt, ws []*lockfacts.WaitEvent) (analysis.Diagnostic, bool) {
	for _, h := range ws[0].Held {
		if h.Mu.Once || st.UnlockedElsewhere(u, h.Mu) {
			continue
		}
		var parts []string
		var related []analysis.RelatedInformation
		ok := true
		for _, w := range ws {
			if !st.Unbuffered[w.Class] {
				ok = false
				break
			}
			n := 0
			for _, v := range st.Units {
				for _, p := range v.Partner {
					if p.Class != w.Class || !lockfacts.IsPartner(w.Kind, p.Kind) || lockfacts.Precedes(v, p, w) {
						continue
					}
					at, needs := st.NeedsBefore(v, p, h, u, w)
					if !needs {
						at, needs = st.MayNeedBefore(v, p, h, u, w)
					}
					if !needs {
						ok = false
						break
					}
					if n == 0 {
						parts = append(parts, map[lockfacts.WaitKind]string{lockfacts.WaitSend: "the send on ", lockfacts.WaitRecv: "the receive from "}[w.Kind]+
							w.Text+": "+st.where(at, sel.Pos()))
						related = append(related, analysis.RelatedInformation{Pos: at, Message: "a partner of the case on line " +
							strconv.Itoa(st.line(w.Pos)) + " locks " + h.Mu.Text + " here"},
							analysis.RelatedInformation{Pos: p.Pos, Message: "before it gets here"})
					}
					n++
				}
				if !ok {
					break
				}
			}
			if !ok || n == 0 {
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		d := analysis.Diagnostic{Pos: sel.Pos(), End: sel.Body.Lbrace, Category: name,
			Message: message("heldSelect", msgData{Mutex: h.Mu.Text, HeldLine: st.line(h.Pos), Wait: strings.Join(parts, "; ")}),
			Related: append([]analysis.RelatedInformation{{Pos: h.Pos, Message: h.Mu.Text + " is locked here"}}, related...)}
		return d, true
	}
	return analysis.Diagnostic{}, false
}
