package deadlock

import (
	"go/ast"
	"go/token"

	"golang.org/x/tools/go/analysis"
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

// maxWaitChain bounds the calls between the held lock and a wait in a
// callee.
const maxWaitChain = 5

// calleeWait is a blocking operation a function performs, directly or
// through the calls in chain.
type calleeWait struct {
	w     *waitEvent
	chain []string
	// released lists the mutexes the path to the wait unlocks without
	// having locked them (its caller held them: s.mu.Unlock(); <-ch;
	// s.mu.Lock()), in the terms of the function the wait belongs to;
	// anyClass holds their classes when a path could not be mapped.
	released []mutex
}

// waitsOf lists the blocking operations u performs outside selects and
// defers, in u or through the package's functions it calls.
func (st *analysisState) waitsOf(u *unit) []calleeWait {
	if s, ok := st.waitSummary[u]; ok {
		return s
	}
	if st.waitBusy[u] {
		return nil
	}
	st.waitBusy[u] = true
	var out []calleeWait
	for _, w := range u.waits {
		if !w.inSelect && !w.deferred {
			out = append(out, calleeWait{w: w, released: callerHeldReleased(u, w.pos)})
		}
	}
	for _, c := range u.calls {
		for _, v := range st.calleeUnits(c) {
			for _, cw := range st.waitsOf(v) {
				if len(cw.chain) >= maxWaitChain-1 {
					continue
				}
				rel := append(callerHeldReleased(u, c.call.Pos()), st.releasedThrough(c, cw.released)...)
				out = append(out, calleeWait{w: cw.w, chain: append(c.chainHead(), cw.chain...), released: rel})
			}
		}
	}
	if len(out) > 32 {
		out = out[:32]
	}
	delete(st.waitBusy, u)
	st.waitSummary[u] = out
	return out
}

// releasedThrough maps the mutexes a callee releases into the caller's
// terms; one it cannot map keeps only its class (root nil), which then
// releases every held mutex of that class.
func (st *analysisState) releasedThrough(c *callEvent, rel []mutex) []mutex {
	var out []mutex
	for _, r := range rel {
		if c.callee != nil && c.fnLit == nil {
			if m, ok := st.mapThrough(c, r); ok {
				out = append(out, m)
				continue
			}
		}
		if c.fnLit != nil {
			out = append(out, r) // a literal's variables are the caller's
			continue
		}
		out = append(out, mutex{class: r.class, text: r.text})
	}
	return out
}

// stillHeld drops from h the mutexes rel releases (by instance, or by
// class for one without a root).
func stillHeld(h []held, rel []mutex) []held {
	var out []held
next:
	for _, x := range h {
		for _, r := range rel {
			if r.sameInstance(x.mu) || r.root == nil && r.class == x.mu.class {
				continue next
			}
		}
		out = append(out, x)
	}
	return out
}

// calleeUnits lists the function bodies a call may run: the static
// callee, or the callbacks stored in the field it calls.
func (st *analysisState) calleeUnits(c *callEvent) []*unit {
	if c.fnLit != nil {
		if u := st.byLit[c.fnLit]; u != nil {
			return []*unit{u}
		}
		return nil
	}
	if c.callee != nil {
		if u := st.byFunc[c.callee]; u != nil {
			return []*unit{u}
		}
		return nil
	}
	var out []*unit
	for _, cb := range st.callbacks[c.field] {
		switch {
		case cb.lit != nil:
			out = append(out, cb.lit)
		case cb.method != nil && st.byFunc[cb.method] != nil:
			out = append(out, st.byFunc[cb.method])
		}
	}
	return out
}

// heldWait is one wait with mutexes held: the operation itself, or a call
// that reaches it.
type heldWait struct {
	u        *unit
	w        *waitEvent
	held     []held
	pos, end token.Pos // the operation, or the call
	via      string    // the call chain to the operation, if any
}

func (st *analysisState) heldWaits() []heldWait {
	var out []heldWait
	for _, u := range st.units {
		for _, w := range u.waits {
			if w.inSelect || w.deferred || len(w.held) == 0 {
				continue
			}
			out = append(out, heldWait{u: u, w: w, held: w.held, pos: w.pos, end: w.end})
		}
		for _, c := range u.calls {
			if len(c.held) == 0 {
				continue
			}
			for _, v := range st.calleeUnits(c) {
				for _, cw := range st.waitsOf(v) {
					if len(cw.chain) >= maxWaitChain-1 {
						continue
					}
					held := stillHeld(c.held, st.releasedThrough(c, cw.released))
					if len(held) == 0 {
						continue
					}
					out = append(out, heldWait{u: u, w: cw.w, held: held, pos: c.call.Pos(), end: c.call.End(),
						via: chainOf(c, cw.chain)})
				}
			}
		}
	}
	return out
}

func (st *analysisState) heldAcrossWait() []analysis.Diagnostic {
	var out []analysis.Diagnostic
	reported := map[token.Pos]bool{}
	for _, hw := range st.heldWaits() {
		if reported[hw.pos] {
			continue
		}
		w := hw.w
		chanOp := w.kind == waitSend || w.kind == waitRecv
		unbuffered := st.unbuffered[w.class]
		var partners []*waitEvent
		var owners []*unit
		for _, v := range st.units {
			for _, p := range v.partner {
				if p.class != w.class || !isPartner(w.kind, p.kind) {
					continue
				}
				partners = append(partners, p)
				owners = append(owners, v)
			}
		}
		if len(partners) == 0 {
			continue
		}
	heldLoop:
		for _, h := range hw.held {
			if h.mu.once || st.unlockedElsewhere(hw.u, h.mu) {
				continue
			}
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
				at, ok := st.needsBefore(owners[i], p, h)
				if !ok {
					// A Lock on some path before the operation: on that
					// path the partner waits for the mutex instead.
					at, ok = st.mayNeedBefore(owners[i], p, h)
					if ok {
						mayNeed = true
					}
				}
				viaCallers := false
				if !ok && !precedes(owners[i], p, hw) {
					// The partner's function runs only with the mutex
					// held.
					at, ok = st.callersHold(owners[i], h)
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
				out = append(out, st.heldWaitDiag(hw, h, partners, needs, byCallers, mayNeed))
				reported[hw.pos] = true
				break heldLoop
			}
			// A partner loop that can lock the mutex between two of its
			// operations.
			// A buffer of one is full after one send the loop has not
			// taken; a larger one is sized so that it rarely fills
			// (database/sql's openerCh), which golens cannot judge.
			if !chanOp || hw.u.test || !st.smallBuffer[w.class] {
				continue
			}
			if !unbuffered && !st.fillsRepeatedly(hw) {
				continue
			}
			for i, p := range partners {
				if p.kind != waitSend && p.kind != waitRecv || owners[i].test {
					continue
				}
				if at, ok := st.loopNeeds(owners[i], p, h); ok {
					out = append(out, st.heldWaitLoopDiag(hw, h, p, at))
					reported[hw.pos] = true
					break heldLoop
				}
			}
		}
	}
	return out
}

// fillsRepeatedly reports whether a send on a buffer of one, made with
// the mutex held, can find the buffer full: the holder is a declared
// function (which any number of goroutines may call; a function literal is
// typically a timer or a callback whose runs do not overlap, nats.go's
// heartbeat AfterFunc) and does not itself empty the buffer before the send
// (grpc's fix: select { case <-ch: default: }; ch <- v under the lock).
func (st *analysisState) fillsRepeatedly(hw heldWait) bool {
	if hw.u.fn == nil || hw.w.kind != waitSend {
		return false
	}
	for _, v := range []*unit{hw.u, st.unitOf(hw.w)} {
		if v == nil {
			continue
		}
		for _, x := range v.partner {
			if x.kind == waitRecv && x.class == hw.w.class && x.pos < hw.w.pos && v.body.Pos() <= x.pos {
				return false
			}
		}
	}
	return true
}

// unitOf is the unit whose body holds the operation w.
func (st *analysisState) unitOf(w *waitEvent) *unit {
	for _, u := range st.units {
		for _, x := range u.waits {
			if x == w {
				return u
			}
		}
	}
	return nil
}

func (st *analysisState) waitText(hw heldWait) string {
	w := hw.w
	what := map[waitKind]string{waitSend: "the send on " + w.text, waitRecv: "the receive from " + w.text,
		waitWGWait: w.text + ".Wait()"}[w.kind]
	if hw.via != "" {
		what = hw.via + " reaches " + what + " (" + st.where(w.pos, hw.pos) + ")," + " which"
	}
	return what
}

func (st *analysisState) heldWaitDiag(hw heldWait, h held, partners []*waitEvent, needs []token.Pos, byCallers []bool, mayNeed bool) analysis.Diagnostic {
	w := hw.w
	partner := map[waitKind]string{waitSend: "receives from it", waitRecv: "sends on or closes it",
		waitWGWait: "calls " + w.text + ".Done()"}[w.kind]
	data := msgData{Wait: st.waitText(hw), Mutex: h.mu.text, HeldLine: st.line(h.pos), Partner: partner,
		Deferred: partners[0].deferred, NeedAt: st.where(needs[0], hw.pos), May: mayNeed}
	tmpl := "heldWait"
	for i := range partners {
		if byCallers[i] {
			tmpl = "heldWaitCallers"
			data.PartnerAt, data.NeedAt = st.where(partners[i].pos, hw.pos), st.where(needs[i], hw.pos)
			break
		}
	}
	d := analysis.Diagnostic{Pos: hw.pos, End: hw.end, Category: name, Message: message(tmpl, data),
		Related: []analysis.RelatedInformation{{Pos: h.pos, Message: h.mu.text + " is locked here"}}}
	if hw.via != "" {
		d.Related = append(d.Related, analysis.RelatedInformation{Pos: w.pos, Message: "the wait, inside " + hw.via})
	}
	for i, p := range partners {
		if byCallers[i] {
			d.Related = append(d.Related, analysis.RelatedInformation{Pos: p.pos, Message: "the partner is here"},
				analysis.RelatedInformation{Pos: needs[i], Message: "and runs only where its callers hold " + h.mu.text + ", locked here"})
			continue
		}
		d.Related = append(d.Related, analysis.RelatedInformation{Pos: needs[i], Message: "the partner locks " + h.mu.text + " here"},
			analysis.RelatedInformation{Pos: p.pos, Message: "before it gets here"})
	}
	return d
}

func (st *analysisState) heldWaitLoopDiag(hw heldWait, h held, p *waitEvent, need token.Pos) analysis.Diagnostic {
	w := hw.w
	partner, ops := "receives from it", "receives"
	if p.kind == waitSend {
		partner, ops = "sends on it", "sends"
	}
	d := analysis.Diagnostic{Pos: hw.pos, End: hw.end, Category: name,
		Message: message("heldWaitLoop", msgData{Wait: st.waitText(hw), Mutex: h.mu.text, HeldLine: st.line(h.pos), Partner: partner,
			PartnerAt: st.where(p.pos, hw.pos), Ops: ops, NeedAt: st.where(need, hw.pos)}),
		Related: []analysis.RelatedInformation{{Pos: h.pos, Message: h.mu.text + " is locked here"}}}
	if hw.via != "" {
		d.Related = append(d.Related, analysis.RelatedInformation{Pos: w.pos, Message: "the wait, inside " + hw.via})
	}
	d.Related = append(d.Related, analysis.RelatedInformation{Pos: p.pos, Message: "the partner loop " + ops + " here"},
		analysis.RelatedInformation{Pos: need, Message: "and can lock " + h.mu.text + " here, between two " + ops})
	return d
}

// unlockedElsewhere reports whether another function body (a goroutine
// u starts, typically) unlocks mu without having locked it: the mutex is
// handed over, and the goroutine waiting in u does not keep it
// (runtime/pprof's blockMutexN).
func (st *analysisState) unlockedElsewhere(u *unit, mu mutex) bool {
	if mu.root == nil {
		return false
	}
	for _, v := range st.units {
		if v == u {
			continue
		}
		for _, r := range callerHeldReleased(v, v.body.End()) {
			if r.sameInstance(mu) {
				return true
			}
		}
	}
	return false
}

func isPartner(wait, p waitKind) bool {
	switch wait {
	case waitSend:
		return p == waitRecv
	case waitRecv:
		return p == waitSend || p == waitClose
	case waitWGWait:
		return p == waitWGDone
	}
	return false
}

// needsBefore reports whether v locks h's mutex (by class, in a mode that
// excludes h) on every path to the partner operation p: a Lock, or a call
// that locks it, in a block that encloses p and before it. A deferred
// partner runs at the end, after every Lock at the top of v's body.
func (st *analysisState) needsBefore(v *unit, p *waitEvent, h held) (token.Pos, bool) {
	dominates := func(block ast.Node, at token.Pos) bool {
		if p.deferred {
			// The deferred partner runs after all of v: any Lock in v
			// that it reaches first may need the mutex.
			return true
		}
		return at < p.pos && block.Pos() <= p.pos && p.pos < block.End()
	}
	for _, l := range v.locks {
		if !l.unlock && l.mu.class == h.mu.class && conflicts(l.kind, h.kind) && dominates(l.block, l.call.Pos()) {
			return l.call.Pos(), true
		}
	}
	for _, c := range v.calls {
		if !dominates(c.block, c.call.Pos()) {
			continue
		}
		for _, ca := range st.callAcquires(c) {
			if a := ca.a; a.mu.class == h.mu.class && conflicts(a.kind, h.kind) {
				return c.call.Pos(), true
			}
		}
	}
	return token.NoPos, false
}

// mayNeedBefore reports whether v can lock h's mutex before it reaches
// the partner operation p on some path: a Lock, or a call that locks it,
// written before p in v (in any block). On that path the partner waits for
// the mutex, which the waiter holds, and never gets to p.
func (st *analysisState) mayNeedBefore(v *unit, p *waitEvent, h held) (token.Pos, bool) {
	for _, l := range v.locks {
		if !l.unlock && l.call.Pos() < p.pos && l.mu.class == h.mu.class && conflicts(l.kind, h.kind) && !l.mu.once {
			return l.call.Pos(), true
		}
	}
	for _, c := range v.calls {
		if c.call.Pos() >= p.pos {
			continue
		}
		for _, ca := range st.callAcquires(c) {
			if a := ca.a; a.mu.class == h.mu.class && conflicts(a.kind, h.kind) && !a.mu.once {
				return c.call.Pos(), true
			}
		}
	}
	return token.NoPos, false
}

// loopNeeds reports whether the partner operation p is in a loop of v
// that can lock h's mutex (by class, in a mode that excludes h) somewhere
// in its body: between two of the loop's operations the partner may be
// waiting for the lock instead of for the channel.
func (st *analysisState) loopNeeds(v *unit, p *waitEvent, h held) (token.Pos, bool) {
	for _, loop := range v.loops {
		if p.pos < loop.Pos() || p.pos >= loop.End() {
			continue
		}
		in := func(at token.Pos) bool { return loop.Pos() <= at && at < loop.End() }
		for _, l := range v.locks {
			if !l.unlock && in(l.call.Pos()) && l.mu.class == h.mu.class && conflicts(l.kind, h.kind) {
				return l.call.Pos(), true
			}
		}
		for _, c := range v.calls {
			if !in(c.call.Pos()) {
				continue
			}
			for _, ca := range st.callAcquires(c) {
				if a := ca.a; a.mu.class == h.mu.class && conflicts(a.kind, h.kind) {
					return c.call.Pos(), true
				}
			}
		}
	}
	return token.NoPos, false
}

// precedes reports whether the partner p is in the same function as the
// wait and on every path before it (close(ch); <-ch does not block).
func precedes(v *unit, p *waitEvent, hw heldWait) bool {
	w := hw.w
	for _, x := range v.waits {
		if x == w {
			return p.pos < w.pos && p.block.Pos() <= w.pos && w.pos < p.block.End()
		}
	}
	return false
}
