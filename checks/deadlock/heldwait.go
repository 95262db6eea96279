package deadlock

import (
	"go/ast"
	"go/token"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/golens/golens/model/lockfacts"
)

// ---- a lock held across a wait whose partner needs the lock ----

// A goroutine that holds a mutex while it waits (a send, a receive,
// wg.Wait) blocks forever when the partner that would end the wait needs
// the mutex first. The wait may be in the function itself or in one it
// calls with the mutex held (directly, or through a callback stored in a
// func-typed field). The partner needs the mutex when
//
//   - it locks it before the partner operation (the send, the receive,
//     Done): on every path, or on some path (then, on that path, it waits
//     for the mutex and never gets to the operation), or
//   - it sends or receives in a loop that can lock the mutex between two
//     of its operations (GoKer grpc/1353, etcd/7492): while that loop waits
//     for the lock it does not receive, and the holder waits for it. The
//     channel is unbuffered or has a buffer of one, full once the loop
//     has not taken one value (then the holder must be a declared
//     function that does not drain the buffer itself before it sends).

// heldWait is one wait with mutexes held: the operation itself, or a call
// that reaches it.
type heldWait struct {
	u        *lockfacts.Unit
	W        *lockfacts.WaitEvent
	Held     []lockfacts.Held
	Pos, End token.Pos // the operation, or the call
	via      string    // the call chain to the operation, if any
}

func (st *analysisState) heldWaits() []heldWait {
	var out []heldWait
	for _, u := range st.Units {
		for _, w := range u.Waits {
			held := st.HeldAcrossWait(w, w.Held)
			if w.InSelect || w.Deferred || len(held) == 0 {
				continue
			}
			out = append(out, heldWait{u: u, W: w, Held: held, Pos: w.Pos, End: w.End})
		}
		for _, c := range u.Calls {
			if len(c.Held) == 0 {
				continue
			}
			for _, v := range st.CalleeUnits(c) {
				for _, cw := range st.WaitsOf(v) {
					if len(cw.Chain) >= lockfacts.MaxWaitChain-1 {
						continue
					}
					held := st.HeldAcrossWait(cw.W, lockfacts.StillHeld(c.Held, st.ReleasedThrough(c, cw.Released)))
					if len(held) == 0 {
						continue
					}
					out = append(out, heldWait{u: u, W: cw.W, Held: held, Pos: c.Call.Pos(), End: c.Call.End(),
						via: chainOf(c, cw.Chain)})
				}
			}
		}
	}
	return out
}

// judgeHeld decides whether the wait hw, made with h held, deadlocks with
// its partners: every partner needs the mutex first, or a partner loop can
// lock it between two operations.
func (st *analysisState) judgeHeld(hw heldWait, h lockfacts.Held, partners []*lockfacts.WaitEvent, owners []*lockfacts.Unit) (analysis.Diagnostic, bool) {
	w := hw.W
	chanOp := w.Kind == lockfacts.WaitSend || w.Kind == lockfacts.WaitRecv
	unbuffered := st.Unbuffered[w.Class]
	// Every partner locks the mutex before its operation: the
	// wait cannot end (for a channel, only when unbuffered).
	var needs []token.Pos
	var byCallers []bool // needs[i] is a caller's Lock
	mayNeed := false     // some partner locks on some paths only
	all := !chanOp || unbuffered
	for i, p := range partners {
		if !all {
			break
		}
		if owners[i] == hw.u && otherCallMayDiffer(hw.u, h.Mu, w.Text) {
			// The partner is another call of this same function, whose
			// mutex is whatever that call is given: transfer(a, b) and
			// transfer(b, a) lock a.mu and b.mu, not one mutex.
			all = false
			break
		}
		at, ok := st.NeedsBefore(owners[i], p, h, hw.u, hw.W)
		if !ok {
			// A Lock on some path before the operation: on that
			// path the partner waits for the mutex instead.
			at, ok = st.MayNeedBefore(owners[i], p, h, hw.u, hw.W)
			if ok {
				mayNeed = true
			}
		}
		viaCallers := false
		if !ok && !lockfacts.Precedes(owners[i], p, hw.W) {
			// The partner's function runs only with the mutex
			// held.
			at, ok = st.CallersHold(owners[i], h)
			viaCallers = true
		}
		if !ok {
			all = false
			break
		}
		needs = append(needs, at)
		byCallers = append(byCallers, viaCallers)
	}
	if all {
		return st.heldWaitDiag(hw, h, partners, needs, byCallers, mayNeed), true
	}
	// A partner loop that can lock the mutex between two of its
	// operations.
	// A buffer of one is full after one send the loop has not
	// taken; a larger one is sized so that it rarely fills
	// (database/sql's openerCh), which golens cannot judge.
	if !chanOp || hw.u.Test || !st.SmallBuffer[w.Class] {
		return analysis.Diagnostic{}, false
	}
	if !unbuffered && !st.FillsRepeatedly(hw.u, hw.W) {
		return analysis.Diagnostic{}, false
	}
	for i, p := range partners {
		if p.Kind != lockfacts.WaitSend && p.Kind != lockfacts.WaitRecv || owners[i].Test {
			continue
		}
		if at, ok := st.LoopNeeds(owners[i], p, h, hw.u, hw.W); ok {
			return st.heldWaitLoopDiag(hw, h, p, at), true
		}
		if at, site, ok := st.RepeatNeeds(owners[i], p, h, hw.u, hw.W); ok {
			return st.heldWaitRepeatDiag(hw, h, p, at, site), true
		}
	}
	return analysis.Diagnostic{}, false
}

func (st *analysisState) heldAcrossWait() []analysis.Diagnostic {
	var out []analysis.Diagnostic
	reported := map[token.Pos]bool{}
	for _, hw := range st.heldWaits() {
		if reported[hw.Pos] {
			continue
		}
		w := hw.W
		var partners []*lockfacts.WaitEvent
		var owners []*lockfacts.Unit
		for _, v := range st.Units {
			for _, p := range v.Partner {
				if p.Class != w.Class || !lockfacts.IsPartner(w.Kind, p.Kind) {
					continue
				}
				partners = append(partners, p)
				owners = append(owners, v)
			}
		}
		if len(partners) == 0 {
			continue
		}
		for _, h := range hw.Held {
			if h.Mu.Once || st.UnlockedElsewhere(hw.u, h.Mu) {
				continue
			}
			d, ok := st.judgeHeld(hw, h, partners, owners)
			if !ok && h.Kind == lockfacts.LockR && st.Writers[h.Mu.Class] {
				// A read lock: partners that only read-lock wait for
				// it too once a writer waits in Lock between them (a
				// waiting Lock blocks new RLocks, go doc sync.RWMutex).
				writer := h
				writer.Kind = lockfacts.LockW
				if d, ok = st.judgeHeld(hw, writer, partners, owners); ok {
					d.Message += message("readersNote", msgData{Mutex: h.Mu.Text})
				}
			}
			if ok {
				out = append(out, d)
				reported[hw.Pos] = true
				break
			}
		}
	}
	return out
}

func (st *analysisState) waitText(hw heldWait) string {
	w := hw.W
	what := map[lockfacts.WaitKind]string{lockfacts.WaitSend: "the send on " + w.Text, lockfacts.WaitRecv: "the receive from " + w.Text,
		lockfacts.WaitWGWait: w.Text + ".Wait()", lockfacts.WaitCondWait: w.Text + ".Wait()"}[w.Kind]
	if hw.via != "" {
		what = hw.via + " reaches " + what + " (" + st.where(w.Pos, hw.Pos) + ")," + " which"
	}
	return what
}

func (st *analysisState) heldWaitDiag(hw heldWait, h lockfacts.Held, partners []*lockfacts.WaitEvent, needs []token.Pos, byCallers []bool, mayNeed bool) analysis.Diagnostic {
	w := hw.W
	partner := map[lockfacts.WaitKind]string{lockfacts.WaitSend: "receives from it", lockfacts.WaitRecv: "sends on or closes it",
		lockfacts.WaitWGWait: "calls " + w.Text + ".Done()", lockfacts.WaitCondWait: "calls " + w.Text + ".Signal() or Broadcast()"}[w.Kind]
	data := msgData{Wait: st.waitText(hw), Mutex: h.Mu.Text, HeldLine: st.line(h.Pos), Partner: partner,
		Deferred: partners[0].Deferred, NeedAt: st.where(needs[0], hw.Pos), May: mayNeed, CondL: st.CondLText(w)}
	tmpl := "heldWait"
	for i := range partners {
		if byCallers[i] {
			tmpl = "heldWaitCallers"
			data.PartnerAt, data.NeedAt = st.where(partners[i].Pos, hw.Pos), st.where(needs[i], hw.Pos)
			break
		}
	}
	d := analysis.Diagnostic{Pos: hw.Pos, End: hw.End, Category: name, Message: message(tmpl, data),
		Related: []analysis.RelatedInformation{{Pos: h.Pos, Message: h.Mu.Text + " is locked here"}}}
	if hw.via != "" {
		d.Related = append(d.Related, analysis.RelatedInformation{Pos: w.Pos, Message: "the wait, inside " + hw.via})
	}
	for i, p := range partners {
		if byCallers[i] {
			d.Related = append(d.Related, analysis.RelatedInformation{Pos: p.Pos, Message: "the partner is here"},
				analysis.RelatedInformation{Pos: needs[i], Message: "and runs only where its callers hold " + h.Mu.Text + ", locked here"})
			continue
		}
		d.Related = append(d.Related, analysis.RelatedInformation{Pos: needs[i], Message: "the partner locks " + h.Mu.Text + " here"},
			analysis.RelatedInformation{Pos: p.Pos, Message: "before it gets here"})
	}
	return d
}

func (st *analysisState) heldWaitLoopDiag(hw heldWait, h lockfacts.Held, p *lockfacts.WaitEvent, need token.Pos) analysis.Diagnostic {
	w := hw.W
	partner, ops := "receives from it", "receives"
	if p.Kind == lockfacts.WaitSend {
		partner, ops = "sends on it", "sends"
	}
	d := analysis.Diagnostic{Pos: hw.Pos, End: hw.End, Category: name,
		Message: message("heldWaitLoop", msgData{Wait: st.waitText(hw), Mutex: h.Mu.Text, HeldLine: st.line(h.Pos), Partner: partner,
			PartnerAt: st.where(p.Pos, hw.Pos), Ops: ops, NeedAt: st.where(need, hw.Pos)}),
		Related: []analysis.RelatedInformation{{Pos: h.Pos, Message: h.Mu.Text + " is locked here"}}}
	if hw.via != "" {
		d.Related = append(d.Related, analysis.RelatedInformation{Pos: w.Pos, Message: "the wait, inside " + hw.via})
	}
	d.Related = append(d.Related, analysis.RelatedInformation{Pos: p.Pos, Message: "the partner loop " + ops + " here"},
		analysis.RelatedInformation{Pos: need, Message: "and can lock " + h.Mu.Text + " here, between two " + ops})
	return d
}

// otherCallMayDiffer reports whether, in another call of u, the mutex mu
// may be a different instance while the value waited on (written
// waitText) is the same one: mu is reached through a parameter or the
// receiver of u, and the wait is not reached through that same variable
// (ready.Wait() beside from.mu, not c.wg.Wait() beside c.mu). Then a
// partner in another call of u does not prove it needs this mutex.
func otherCallMayDiffer(u *lockfacts.Unit, mu lockfacts.Mutex, waitText string) bool {
	root := mu.Root
	if root == nil {
		return false
	}
	var ft *ast.FuncType
	var recv *ast.FieldList
	switch {
	case u.Decl != nil:
		ft, recv = u.Decl.Type, u.Decl.Recv
	case u.Lit != nil:
		ft = u.Lit.Type
	default:
		return false
	}
	in := func(fl *ast.FieldList) bool {
		return fl != nil && root.Pos() >= fl.Pos() && root.Pos() < fl.End()
	}
	if !in(ft.Params) && !in(recv) {
		return false
	}
	name := root.Name()
	return waitText != name && !strings.HasPrefix(waitText, name+".")
}
