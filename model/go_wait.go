package model

import "go/token"

// GoWait is what the model knows of the starting function's wait for a
// goroutine, in one value: the go hover and the goroutine hint's tooltip
// both word their "who waits for it" sentence from it, so one cannot say
// "nothing waits" where the other says "golens cannot tell".
type GoWait struct {
	// By is the wait as code ("wg.Wait()", "<-done"), Pos where it is,
	// Through how it reaches the goroutine through another function;
	// GiveUp how it can give up for good; End when it ends, if the
	// goroutine may not end it. By is "" when the model finds no wait.
	By      string
	Pos     token.Pos
	Through string
	GiveUp  string
	// Then says what waits once a select case that can lose (GiveUp) has
	// lost: "`<-out` at line 31 waits for it"; "" when nothing does.
	Then string
	End  *WaitEnd
	// Waited is Goroutine.Waited: whether the starting function waits,
	// with its certainty.
	Waited Fact
	// InOtherGo, when Waited is a proven negative, is a wg.Wait() that
	// waits for the goroutine in another goroutine the starting function
	// starts (the closer of `go func() { wg.Wait(); close(out) }()`):
	// the starting function does not wait, but its code does. nil
	// otherwise.
	InOtherGo *WaitGroupOp
}

// Wait is the goroutine's GoWait (computed once, with the wait search:
// ensureWait).
func (g *Goroutine) Wait() GoWait {
	g.ensureWait()
	return GoWait{By: g.waitedBy, Pos: g.waitPos, Through: g.waitThrough, GiveUp: g.WaitGiveUp(), Then: g.waitThen, End: g.waitEnd, Waited: g.waited, InOtherGo: g.waiterWait}
}

// CannotTell is why golens cannot tell whether the starting function
// waits, when no wait is found and the model knows why (Waited is unknown
// with a reason); "" otherwise.
func (w GoWait) CannotTell() string {
	if w.By == "" && w.Waited.IsUnknown() {
		return w.Waited.Why
	}
	return ""
}

// Nothing reports whether the model proves that nothing in the starting
// function waits for the goroutine: the only case in which a feature may
// say so (Waited is a proven negative). With no wait found and no proof,
// a feature says nothing about the wait.
func (w GoWait) Nothing() bool { return w.By == "" && w.Waited.ProvenFalse() }
