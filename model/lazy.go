package model

import (
	"go/ast"
	"go/token"
	"sync"
	"sync/atomic"
)

// Facts that read the function summaries — which channels are closed and
// by whom, which goroutines are waited for, where cancel funcs are called
// — are computed for the whole file the first time any of them is read,
// not by Build. Summaries cost about a fifth of the build and a quarter of
// its garbage, and an edit followed by a hover on a select, a make, a
// Lock or a time call needs none of them; whole-file hints and checks
// read them anyway.
//
// Models are read by several requests at once, so the computation runs
// under a sync.Once, and every reader goes through an accessor that waits
// for it. The typed tier builds with summaries of the package's other
// files, which change as the package is re-summarised: its models compute
// the facts during Build, from the lookup as it was then.

// derived runs the summary computation of one model once.
type derived struct {
	once sync.Once
	b    *builder
	// full is set once the whole-file derivation has run; until then a
	// channel's close facts may come from the summaries of its own
	// functions alone, kept in scoped (chan_scope.go).
	full     atomic.Bool
	scopedMu sync.Mutex // guards scoped; held by derive too (ensure)
	scoped   map[*Chan]*chanFacts
	// scopedRuns and scopedFuncs count the scopes computed and the
	// functions they summarised (the budget: chan_scope.go).
	scopedRuns, scopedFuncs int
	// goIndex groups operations by goroutine, for the direct search of
	// what waits for one (built once, on the first goroutine asked).
	goIndexOnce sync.Once
	goIndex     *goIndex
	// exits classifies exits and answers reachability (exits.go).
	exits exitFlowSet
	// conds holds the Cond waits (condwaits.go).
	conds condWaitSet
	// refs indexes every mention of each channel (chanuses.go).
	refs chanRefsOnce
	// waits holds the wait-before-drain deadlocks (wait_deadlock.go).
	waits waitDeadlockSet
	// fields holds the steps on channel fields (summary_fields.go).
	fields fieldStepSet
	// methodValues holds the method values each function passes to
	// calls (waits_locks.go).
	methodValues methodValueSet
	// returns holds each channel's return statements (chan_returns.go).
	returns chanReturnsOnce
	// freshLocals caches, per local variable, whether it holds a value of
	// its own (field_instance.go).
	freshLocals sync.Map
	// semReleases caches, per channel, the sends owning its releases
	// (sem_release.go).
	semReleases sync.Map
	// idents lists the file's identifiers by name, for the call sites of
	// a function a release sits in (sem_release.go).
	identsOnce sync.Once
	idents     map[string][]*ast.Ident
	// timers holds File.Timers, read once: it lists directories.
	timersOnce            sync.Once
	timerSync, timerAsync bool
	timerRule             string
}

// ensure computes the summaries and the facts that read them, once.
func (d *derived) ensure() {
	if d == nil {
		return // a model of a file that did not parse, or built by hand
	}
	d.once.Do(func() {
		// Not while a channel's scope is computed: that copies the
		// builder and the model, whose summary fields this fills.
		d.scopedMu.Lock()
		defer d.scopedMu.Unlock()
		d.b.derive()
		d.full.Store(true)
	})
}

// derive is the lazy part of the build: the summaries, and the channel
// and cancel facts they give.
func (b *builder) derive() {
	b.summarize()
}

// ensureWait finds what waits for g, once: first in the starting
// function directly (findWaiter), which needs no summaries; only when that
// finds nothing are the summaries computed, to look through calls
// (crossWait). A hover on a go statement whose goroutine is waited for in
// its own function costs no summaries.
func (g *Goroutine) ensureWait() {
	g.waitOnce.Do(func() {
		g.goWait = new(goWait)
		d := g.derived
		if d == nil {
			return // a model built by hand: nothing is known to wait
		}
		b := d.b
		d.goIndexOnce.Do(func() { d.goIndex = newGoIndex(b.m) })
		b.findWaiter(g, d.goIndex)
		if g.waitedBy == "" {
			d.ensure()
		} else if wait := b.needsWaitEnd(g, d.goIndex); wait != nil {
			d.ensure()
			b.waitEnds(g, wait) // waits_ends.go
		}
		b.crossWait(g, d.goIndex)
	})
}

// Summaries holds one summary per function of Funcs: what it does to the
// channels, locks, WaitGroups and contexts it is given or reaches
// (summary.go).
func (f *File) Summaries() []*Summary {
	f.derived.ensure()
	return f.summaries
}

// Indirect lists what the file's functions do to the channel through
// calls (passed to a function that closes it) and where it escapes the
// analysed code (summary.go).
func (c *Chan) Indirect() []ChanUse {
	return c.facts().indirect
}

// Closed says whether anything closes the channel, and how sure the model
// is: a proven negative only when the channel does not escape the analysed
// code.
func (c *Chan) Closed() Fact {
	return c.facts().closed
}

// WaitedBy is the operation the starting function waits for this
// goroutine with, as code: "wg.Wait()", "<-done", "range results"; ""
// when the model sees nothing waiting.
func (g *Goroutine) WaitedBy() string {
	g.ensureWait()
	return g.waitedBy
}

// WaitPos is where WaitedBy waits.
func (g *Goroutine) WaitPos() token.Pos {
	g.ensureWait()
	return g.waitPos
}

// WaitMayGiveUp is set when the waiting receive is a select case that can
// lose to another case (a timeout, a default) and leave for good: then
// nothing waits.
func (g *Goroutine) WaitMayGiveUp() bool {
	g.ensureWait()
	return g.waitMayGiveUp
}

// WaitThrough explains a wait through another function: "`waitAll` waits
// on it at line 31".
func (g *Goroutine) WaitThrough() string {
	g.ensureWait()
	return g.waitThrough
}

// Waited says whether the starting function waits for the goroutine, and
// how sure the model is: a negative is proven only when nothing the
// goroutine signals escapes to code golens cannot see.
func (g *Goroutine) Waited() Fact {
	g.ensureWait()
	return g.waited
}

// CancelCalls are the calls of the cancel func in the function, its
// function literals (a goroutine, a deferred closure) and the functions it
// passes the cancel func to (summary.go).
func (c *ContextCall) CancelCalls() []*Effect {
	c.derived.ensure()
	return c.cancelCalls
}

// CancelEscapes says where the cancel func goes that golens cannot follow
// ("passed to `f` at line 9, which golens cannot see into").
func (c *ContextCall) CancelEscapes() string {
	c.derived.ensure()
	return c.cancelEscapes
}
