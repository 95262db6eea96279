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
	// InOtherGoDoneSome, with InOtherGo, is where the goroutine calls
	// Done on that WaitGroup when it does so only on some of its paths
	// (a return before it): the other goroutine's Wait counts it, but
	// may never see it done. NoPos when the Done runs on every path.
	InOtherGoDoneSome token.Pos
	// OneOfCase, with no wait found, is the position of a select case
	// (not in a loop) that receives one value from a channel this
	// goroutine, started in a loop, sends on: it takes one of the loop's
	// goroutines' values, so it is not this goroutine's wait; it can lose
	// to another case, and nothing else in the starting function receives
	// from the channel after the go statement. NoPos otherwise.
	OneOfCase token.Pos
}

// Wait is the goroutine's GoWait (computed once, with the wait search:
// ensureWait).
func (g *Goroutine) Wait() GoWait {
	g.ensureWait()
	return GoWait{By: g.waitedBy, Pos: g.waitPos, Through: g.waitThrough, GiveUp: g.WaitGiveUp(), Then: g.waitThen, End: g.waitEnd, Waited: g.waited, InOtherGo: g.waiterWait, InOtherGoDoneSome: g.waiterDoneSome, OneOfCase: g.oneOfCase}
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

// Starter says what the end of the function that starts a goroutine means
// for it, when nothing in that function waits for it (GoWait.Nothing): the
// go hover and the goroutine hint's tooltip both word their "nothing
// waits" sentence from it, so the tooltip cannot say "the program does
// not wait" of a goroutine a Start method starts and a Stop method (or
// the caller) waits for — only main's end ends the program.
type Starter int

const (
	// StarterOther: not main (a method, a helper, a function literal):
	// the goroutine may run on after it returns, and only code outside
	// it can wait for it.
	StarterOther Starter = iota
	// StarterMain: main, which returns: the program exits then, and the
	// goroutine stops wherever it is.
	StarterMain
	// StarterMainNeverEnds: main, which no path ends (select {}, an
	// endless loop): its end cannot stop the goroutine.
	StarterMainNeverEnds
	// StarterMainGoexit: main, every path of which ends in
	// runtime.Goexit: the program runs on while other goroutines do.
	StarterMainGoexit
)

// String names the Starter for templates: "other", "main",
// "mainNeverEnds", "mainGoexit".
func (s Starter) String() string {
	switch s {
	case StarterMain:
		return "main"
	case StarterMainNeverEnds:
		return "mainNeverEnds"
	case StarterMainGoexit:
		return "mainGoexit"
	}
	return "other"
}

// StarterOf is what the end of the function that starts g means for g
// (Starter). main is the function named main, not a literal in it.
func (m *File) StarterOf(g *Goroutine) Starter {
	f := g.Func
	if f == nil || f.Name != "main" || f.Lit {
		return StarterOther
	}
	if m.NeverEnds(f) {
		return StarterMainNeverEnds
	}
	exits := m.ExitsOf(f)
	n := 0
	for _, e := range exits {
		if e.Kind == ExitGoexit {
			n++
		}
	}
	if n > 0 && n == len(exits) {
		return StarterMainGoexit
	}
	return StarterMain
}
