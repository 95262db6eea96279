package deadlock

import (
	"go/token"

	"golang.org/x/tools/go/analysis"

	"github.com/golens/golens/model/lockfacts"
)

// ---- a partner run over and over that can lock the held mutex ----

// The partner operation is in a function something runs in a loop (a
// helper such as until(c.worker, stop) that calls its argument in a for
// loop, or a direct call in a loop): a Lock anywhere in that function
// comes between two of its operations (lockfacts.RepeatNeeds).

func (st *analysisState) heldWaitRepeatDiag(hw heldWait, h lockfacts.Held, p *lockfacts.WaitEvent, need token.Pos, site lockfacts.RepeatSite) analysis.Diagnostic {
	partner, ops := "receives from it", "receives"
	if p.Kind == lockfacts.WaitSend {
		partner, ops = "sends on it", "sends"
	}
	runBy := "by the loop that calls it (" + st.where(site.Call, hw.Pos) + ")"
	if site.Helper != "" {
		runBy = "by " + site.Helper + ", which calls it in a loop (" + st.where(site.Call, hw.Pos) + "; handed to it at " + st.where(site.Passed, hw.Pos) + ")"
	}
	d := analysis.Diagnostic{Pos: hw.Pos, End: hw.End, Category: name,
		Message: message("heldWaitRepeat", msgData{Wait: st.waitText(hw), Mutex: h.Mu.Text, HeldLine: st.line(h.Pos), Partner: partner,
			PartnerAt: st.where(p.Pos, hw.Pos), Ops: ops, NeedAt: st.where(need, hw.Pos), RunBy: runBy}),
		Related: []analysis.RelatedInformation{{Pos: h.Pos, Message: h.Mu.Text + " is locked here"}}}
	if hw.via != "" {
		d.Related = append(d.Related, analysis.RelatedInformation{Pos: hw.W.Pos, Message: "the wait, inside " + hw.via})
	}
	d.Related = append(d.Related, analysis.RelatedInformation{Pos: p.Pos, Message: "the partner " + ops + " here"},
		analysis.RelatedInformation{Pos: need, Message: "and can lock " + h.Mu.Text + " here"},
		analysis.RelatedInformation{Pos: site.Call, Message: "it is run over and over here"})
	if site.Passed.IsValid() {
		d.Related = append(d.Related, analysis.RelatedInformation{Pos: site.Passed, Message: "handed to " + site.Helper + " here"})
	}
	return d
}
