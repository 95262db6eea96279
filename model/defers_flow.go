package model

import (
	"fmt"
	"go/token"
	"strconv"
	"strings"

	"golang.org/x/tools/go/cfg"
)

// DeferOrder is where a defer statement's call runs among its function's
// deferred calls, worked out over the paths of the function's control-flow
// graph. Deferred calls run last-registered first, so the position depends
// on how many calls are registered *after* this one on the path taken: a
// later defer in a branch or after an early return may not be registered,
// and a later defer in a loop registers one call per pass.
type DeferOrder struct {
	// Known is set when the order was computed from the control flow.
	// When it is not, Why says why (too many defers or paths to follow),
	// and no other field is set.
	Known bool
	Why   string
	// Lo and Hi bound the 1-based position of this defer's call(s) at the
	// exits where deferred calls run and this defer was registered. Hi is
	// meaningless when Open.
	Lo, Hi int
	// Open: a later defer in a loop can register any number of calls, so
	// there is no upper bound.
	Open bool
	// Many: one path can execute this defer statement more than once (it
	// is in a loop), registering one call each time. It is false when
	// Once is set.
	Many bool
	// Once names the local flag of a proven run-once guard around a defer
	// in a loop (`if !flag { flag = true; defer ... }`, see onceGuard):
	// the control-flow graph has paths that pass the defer twice, but the
	// flag stops every second pass, so it registers at most one call per
	// call of its function. Lo and Hi still cover those paths (a
	// superset). Set even when the order is not Known.
	Once string
	// OnceCond is, when Once is a loop counter rather than a flag, the
	// guard as written ("i == 0"): the counter steps by one each pass and
	// nothing else writes it, so at most one pass meets the guard.
	OnceCond string
	// Guard names a variable that an if around the defer (within the
	// loop) reads in its condition and assigns in its body, a lazy
	// initialisation (`if f == nil { f = open(); defer f.Close() }`),
	// when no guard is proven: it likely runs once, but the model cannot
	// prove it (open may return nil). Many stays as the paths say.
	Guard string
	// Registered says whether the defer has been executed, on the paths to
	// the exits where deferred calls run: on all of them, some, or none.
	Registered Tri
	// Exits gives the same facts for each exit of the function, in source
	// order, including os.Exit and log.Fatal exits, where nothing deferred
	// runs.
	Exits []DeferAtExit
	// EndedBy is a deferred call that ends the program (defer os.Exit(1),
	// defer func() { os.Exit(code) }()) registered after this defer on
	// every path where this one is registered and the function returns:
	// it runs first, and the program ends before this call runs. Set with
	// EndedByAll when that holds on every such path, alone when on some.
	EndedBy    *Defer
	EndedByAll bool
	// EndedCall is the call of EndedBy that ends the program, as written:
	// "os.Exit(code)", also when EndedBy defers a literal ending with it.
	EndedCall string
	// MayEndBy is, where no EndedBy is found, a deferred function literal
	// registered after this defer whose body can end the program on some
	// of its paths (`defer func() { if code != 0 { os.Exit(code) } }()`):
	// it runs first, and then this call runs only if it did not exit.
	// MayEndCall is that call as written.
	MayEndBy   *Defer
	MayEndCall string
}

// Single reports whether the defer runs at one known position on every
// path where it runs.
func (o DeferOrder) Single() bool { return o.Known && o.Lo > 0 && o.Lo == o.Hi && !o.Open }

// Skipping lists the exits where the defer may have been registered but
// its call never runs (os.Exit, log.Fatal).
func (o DeferOrder) Skipping() []*Exit {
	var out []*Exit
	for _, e := range o.Exits {
		if !e.Exit.RunsDefers() && e.Registered != No {
			out = append(out, e.Exit)
		}
	}
	return out
}

// RunsAtGoexit lists the exits that end the goroutine through
// runtime.Goexit (or testing's FailNow family, which calls it) where the
// defer may have been registered: Goexit runs the deferred calls there,
// although the function does not return. only is set when every exit
// where the call runs is one of those (main ending in runtime.Goexit()):
// then "when main returns" is false, and the call runs at the Goexit.
func (o DeferOrder) RunsAtGoexit() (exits []*Exit, only bool) {
	only = true
	for _, e := range o.Exits {
		if e.Registered == No || !e.Exit.RunsDefers() {
			continue
		}
		if e.Exit.Kind == ExitGoexit {
			exits = append(exits, e.Exit)
		} else {
			only = false
		}
	}
	return exits, only && len(exits) > 0
}

// Before lists the exits where deferred calls run but this defer was never
// registered: the function left before reaching it.
func (o DeferOrder) Before() []*Exit {
	var out []*Exit
	for _, e := range o.Exits {
		if e.Exit.RunsDefers() && e.Registered == No {
			out = append(out, e.Exit)
		}
	}
	return out
}

// DeferAtExit is a defer's position when its function ends at one exit.
type DeferAtExit struct {
	Exit       *Exit
	Registered Tri // has the defer been executed on the paths reaching this exit
	Lo, Hi     int // as in DeferOrder; 0 when not registered
	Open       bool
}

// deferState is one path's view of one defer statement d: how many calls
// were registered after d's last and first execution, and how many times d
// ran (0, 1, or 2 for "more than once").
type deferState struct {
	last, first uint16
	n           uint8
	// ended: a deferred call that ends the program (deferEnders) was
	// registered after this defer's last registration: it runs before
	// every call of this defer, and none of them runs.
	ended bool
	// once marks the run-once guarded defers (DeferOrder.Once) this path
	// has registered: their guard keeps them from registering again.
	once uint8
}

// maxOnceTracked is how many run-once guarded defers of a function the
// order of the others follows (a bit each in deferState.once); past it,
// the rest count as registering on every pass (a superset).
const maxOnceTracked = 8

// countOpen marks a count with no upper bound.
const countOpen = 1<<16 - 1

// deferRun is the defer statements of one block, in execution order: a
// path analysis steps over a block's defers at once, so that a function
// of many defers in a row costs one step per block, not per defer.
type deferRun struct {
	defers []*Defer
}

// deferOrder computes Defer.Order for each defer of fl's function.
func (fb *flowBuilder) deferOrder(fl *funcFlow) {
	defers := fl.fn.Defers
	if len(defers) == 0 {
		return
	}
	// One analysis per defer, each visiting the function's blocks: past a
	// budget of defers × blocks the order is left unknown, with the
	// reason, which the hover and the hint say (BenchmarkDeferOrder).
	if len(defers) > maxFlowEvents && len(defers)*len(fl.g.Blocks) > maxDeferWork {
		why := "`" + fl.fn.Name + "` has " + strconv.Itoa(len(defers)) + " defer statements and " + strconv.Itoa(len(fl.g.Blocks)) +
			" control-flow blocks, too many paths to follow each defer along"
		for _, d := range defers {
			d.order = &DeferOrder{Why: why}
			d.order.Once, d.order.Guard = fb.onceGuard(d)
			d.order.OnceCond = fb.onceCond(d, d.order.Once)
		}
		return
	}
	positions := make([]token.Pos, 0, len(defers))
	facts := make([]any, 0, len(defers))
	for _, d := range defers {
		positions = append(positions, d.Pos)
		facts = append(facts, d)
	}
	placed := fl.place(positions, facts)
	// Each block's defers as one run (one event), and where each defer is.
	evs := make(map[*cfg.Block][]event, len(placed))
	type runAt struct {
		run *deferRun
		i   int
	}
	where := make(map[*Defer]runAt, len(defers))
	for blk, list := range placed {
		run := &deferRun{defers: make([]*Defer, len(list))}
		for i, ev := range list {
			run.defers[i] = ev.fact.(*Defer)
			where[run.defers[i]] = runAt{run, i}
		}
		evs[blk] = []event{{node: list[0].node, pos: list[0].pos, fact: run}}
	}
	// Counts saturate at the most calls one path can register (past it, a
	// loop no model counts is registering more: "or later").
	limit := min(fl.registrations(defers), countOpen-1)
	// add applies k registrations to a count: open once one lands on a
	// count at the limit.
	add := func(c uint16, k int) uint16 {
		if k == 0 {
			return c
		}
		if c == countOpen || int(c)+k-1 >= limit {
			return countOpen
		}
		return c + uint16(k)
	}
	exits := fl.exits()
	// The deferred calls that end the program when they run.
	enders := fb.deferEnders(defers)
	mayEnd := fb.deferMayEnders(defers, enders)
	ends := func(ds []*Defer) bool {
		if len(enders) == 0 {
			return false
		}
		for _, x := range ds {
			if enders[x] != nil {
				return true
			}
		}
		return false
	}
	// The run-once guarded defers, proven once, each with its bit.
	onceOf := make(map[*Defer]string)
	onceBit := make(map[*Defer]uint8)
	for _, d := range defers {
		once, _ := fb.onceGuard(d)
		if once == "" {
			continue
		}
		onceOf[d] = once
		if len(onceBit) < maxOnceTracked {
			onceBit[d] = 1 << len(onceBit)
		}
	}
	// fresh counts the defers of ds that register given the guarded ones
	// already registered (mask), and the mask after them.
	fresh := func(mask uint8, ds []*Defer) (int, uint8) {
		if len(onceBit) == 0 {
			return len(ds), mask
		}
		n := 0
		for _, x := range ds {
			if b, ok := onceBit[x]; ok {
				if mask&b != 0 {
					continue
				}
				mask |= b
			}
			n++
		}
		return n, mask
	}
	for _, d := range defers {
		type agg struct {
			yes, no    bool
			lo, hi     int
			open, many bool
			// ended, running: paths registering d on which a deferred
			// call ending the program runs before it, and paths on which
			// none does.
			ended, running bool
		}
		at := map[*Exit]*agg{}
		again := false // some path executes d a second time
		home := where[d]
		// A proven run-once guard: the paths that pass d a second time
		// are not taken (its flag is set), so d registers no second call.
		once, guard := onceOf[d], ""
		if once == "" {
			_, guard = fb.onceGuard(d)
		}
		step := func(s deferState, ev event) deferState {
			run, ok := ev.fact.(*deferRun)
			if !ok {
				return s
			}
			if run != home.run {
				k, mask := fresh(s.once, run.defers)
				if s.n == 0 {
					s.once = mask
					return s
				}
				return deferState{last: add(s.last, k), first: add(s.first, k), n: s.n, once: mask, ended: s.ended || ends(run.defers)}
			}
			nb, mask := fresh(s.once, run.defers[:home.i])
			if s.n > 0 && once != "" {
				// Its flag is set: d does not register again; the
				// block's other defers may.
				na, mask := fresh(mask, run.defers[home.i+1:])
				return deferState{last: add(s.last, nb+na), first: add(s.first, nb+na), n: s.n, once: mask, ended: s.ended || ends(run.defers)}
			}
			mask |= onceBit[d]
			na, mask := fresh(mask, run.defers[home.i+1:])
			after := ends(run.defers[home.i+1:])
			if s.n == 0 {
				return deferState{last: add(0, na), first: add(0, na), n: 1, once: mask, ended: after}
			}
			again = true
			return deferState{last: add(0, na), first: add(s.first, nb+1+na), n: 2, once: mask, ended: after}
		}
		ok := forward(fl, evs, deferState{}, step, func(x *Exit, s deferState) {
			a := at[x]
			if a == nil {
				a = &agg{}
				at[x] = a
			}
			if s.n == 0 {
				a.no = true
				return
			}
			lo, hi := int(s.last)+1, int(s.first)+1
			if !a.yes || lo < a.lo {
				a.lo = lo
			}
			if s.first == countOpen {
				a.open = true
			} else if hi > a.hi {
				a.hi = hi
			}
			a.many = a.many || s.n == 2
			a.yes = true
			a.ended = a.ended || s.ended
			a.running = a.running || !s.ended
		})
		if !ok {
			d.order = &DeferOrder{Why: "too many paths through `" + fl.fn.Name + "` to follow"}
			d.order.Once, d.order.Guard = fb.onceGuard(d)
			d.order.OnceCond = fb.onceCond(d, d.order.Once)
			continue
		}
		o := DeferOrder{Known: true}
		anyYes, anyNo := false, false
		ended, running := false, false
		for _, x := range exits {
			a := at[x]
			if a == nil {
				continue
			}
			de := DeferAtExit{Exit: x, Registered: tri(a.yes, a.no)}
			if a.yes {
				de.Lo, de.Hi, de.Open = a.lo, a.hi, a.open
				if de.Hi < de.Lo {
					de.Hi = de.Lo
				}
			}
			o.Exits = append(o.Exits, de)
			if !x.RunsDefers() {
				continue
			}
			anyYes, anyNo = anyYes || a.yes, anyNo || a.no
			ended, running = ended || a.ended, running || a.yes && a.running
			if a.yes {
				if o.Lo == 0 || de.Lo < o.Lo {
					o.Lo = de.Lo
				}
				if de.Hi > o.Hi {
					o.Hi = de.Hi
				}
				o.Open = o.Open || a.open
				o.Many = o.Many || a.many
			}
		}
		o.Registered = tri(anyYes, anyNo)
		o.Many = o.Many || again // also when no exit follows (a loop without end)
		if o.Many {
			o.Guard = guard
		}
		o.Once = once
		o.OnceCond = fb.onceCond(d, once)
		if ended {
			if e := firstEnder(defers, d, enders); e != nil {
				call := enders[e]
				o.EndedBy, o.EndedByAll, o.EndedCall = e, !running, fb.m.Text(call.Pos(), call.End())
			}
		}
		if o.EndedBy == nil {
			for _, x := range mayEnd {
				if x.d != d && x.d.Pos > d.Pos {
					o.MayEndBy, o.MayEndCall = x.d, fb.m.Text(x.call.Pos(), x.call.End())
					break
				}
			}
		}
		d.order = &o
	}
}

func tri(yes, no bool) Tri {
	switch {
	case yes && no:
		return Some
	case yes:
		return All
	}
	return No
}

// positions renders a position range for the model dump: "2", "2-3", "2+".
func positionsText(lo, hi int, open bool) string {
	switch {
	case lo == 0:
		return "-"
	case open:
		return strconv.Itoa(lo) + "+"
	case lo == hi:
		return strconv.Itoa(lo)
	}
	return strconv.Itoa(lo) + "-" + strconv.Itoa(hi)
}

// dump renders the order for File.Dump: "runs=2-3 registered=some
// exits=[L12:return:2 L15:exit:skipped]".
func (o DeferOrder) dump(line func(token.Pos) int) string {
	if !o.Known {
		return "runs=?"
	}
	s := "runs=" + positionsText(o.Lo, o.Hi, o.Open)
	if o.Many {
		s += " many"
	}
	if o.Once != "" {
		s += " once=" + o.Once
	}
	if o.OnceCond != "" {
		s += " (" + o.OnceCond + ")"
	}
	if o.Guard != "" {
		s += " guard=" + o.Guard
	}
	s += " registered=" + o.Registered.String()
	var ex []string
	for _, e := range o.Exits {
		v := positionsText(e.Lo, e.Hi, e.Open)
		switch {
		case e.Registered == No:
			v = "not-registered"
		case !e.Exit.RunsDefers():
			v = "skipped"
		case e.Registered == Some:
			v += "?"
		}
		ex = append(ex, fmt.Sprintf("L%d:%s:%s", line(e.Exit.Pos), e.Exit.Kind, v))
	}
	return s + " exits=[" + strings.Join(ex, " ") + "]"
}

// onceGuard is onceGuard for a defer of this file, on loop defers only.
func (fb *flowBuilder) onceGuard(d *Defer) (flag, guard string) {
	if !d.InLoop {
		return "", ""
	}
	return onceGuard(fb.m.AST, d)
}

// onceCond is DeferOrder.OnceCond for a defer whose run-once guard is once.
func (fb *flowBuilder) onceCond(d *Defer, once string) string {
	if once == "" {
		return ""
	}
	return onceCounterCond(fb.m.AST, d)
}
