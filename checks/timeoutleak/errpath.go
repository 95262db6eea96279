package timeoutleak

import (
	"go/token"

	"github.com/golens/golens/model"
)

// A select of the shape
//
//	select {
//	case err := <-errs:
//	case <-done:
//	}
//
// where done is closed by a sibling goroutine does not give up the way a
// timer does: done closes only when that goroutine's work succeeds. A
// send on errs is stranded only if it can happen on a run where done is
// closed too. Two kinds of sender cannot be shown to do that, and are not
// reported:
//
//   - the goroutine that closes done, when each of its sends returns
//     before the close (it reports failure or success, never both);
//   - a goroutine whose sends return early, skipping the rest of its work,
//     when that work touches the state from which the closer computes the
//     result that decides whether it closes done (both ends of one
//     io.Pipe, say): the closer may be waiting for exactly the work the
//     sender skipped, so done may never close when the sender sends.
//     golens cannot tell, so it stays silent.
//
// unstrandedSends returns the sends that are left to judge; all of them
// when the give-up case is not such a done channel.
func unstrandedSends(m *model.File, c *model.Chan, f *model.Func, giveUp *model.SelectCase, sends []*model.ChanOp) []*model.ChanOp {
	closer, closeAt := m.DoneCloser(f, giveUp)
	if closer == nil {
		return sends
	}
	stmts := closer.Body.Body.List
	var guard map[token.Pos]bool // computed on first need
	var kept []*model.ChanOp
	for _, op := range sends {
		g := op.InGo
		if g == closer {
			before, ok1 := m.MaxSends(c, stmts[:closeAt])
			after, ok2 := m.MaxSends(c, stmts[closeAt+1:])
			if ok1 && ok2 && before.Through <= 0 && after.Max() <= 0 {
				continue // sends and closes on exclusive paths
			}
		} else if skipped := m.SkippedBySends(c, g.Body.Body.List); len(skipped) > 0 {
			if guard == nil {
				guard = m.ReturnGuardRoots(f, stmts[:closeAt])
			}
			if sharesRoot(guard, m.OperandRoots(f, skipped)) {
				continue
			}
		}
		kept = append(kept, op)
	}
	return kept
}

func sharesRoot(a, b map[token.Pos]bool) bool {
	for p := range a {
		if b[p] {
			return true
		}
	}
	return false
}
