// Package hover explains the concurrency construct under the cursor: what
// it does in general (the explain topic's summary, with its spec link) and
// what it does here, from the file's concurrency model — whether this
// channel is unbuffered, which defer runs first, whether a select can block,
// what a goroutine captures and whether anything waits for it.
//
// Hover is a pure function of (model, offset). Where golens has nothing to
// add it returns nil, so the editor shows gopls's hover alone.
package hover

import (
	"bytes"
	"embed"
	"fmt"
	"go/ast"
	"go/token"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"text/template"

	"github.com/golens/golens/explain"
	"github.com/golens/golens/model"
)

//go:embed templates/*.tmpl
var templateFiles embed.FS

var templates = template.Must(template.New("hover").Funcs(template.FuncMap{
	"ordinal":   ordinal,
	"backticks": backticks,
}).ParseFS(templateFiles, "templates/*.tmpl"))

// Result is a hover answer.
type Result struct {
	// Markdown is the hover text.
	Markdown string
	// Start and End are the byte offsets of the construct the hover is
	// about (the keyword or operator).
	Start, End int
	// Topic is the explain topic the hover summarises.
	Topic string
}

// At returns the hover for the byte offset in m's source, or nil when there
// is no concurrency construct there.
func At(m *model.File, offset int) *Result {
	if m == nil || m.AST == nil || offset < 0 || offset > len(m.Src) && len(m.Src) > 0 {
		return nil
	}
	pos := m.Pos(offset)
	if !pos.IsValid() {
		return nil
	}
	site := m.SiteAt(pos)
	if site == nil {
		return onceFuncAt(m, pos) // not a model site: found when asked
	}
	name, topic, f := describe(m, site)
	if name == "" {
		return nil
	}
	var buf bytes.Buffer
	if err := templates.ExecuteTemplate(&buf, name, f); err != nil {
		// A template bug must not take the server down; say nothing.
		return nil
	}
	t := explain.MustLookup(topic)
	text := strings.TrimSpace(buf.String())
	md := fmt.Sprintf("%s\n\n%s\n\n[%s](%s)", text, t.Summary, linkLabel(t.Link), t.Link)
	return &Result{Markdown: md, Start: m.Offset(site.Start), End: m.Offset(site.End()), Topic: topic}
}

func linkLabel(link string) string {
	if i := strings.Index(link, "#"); i >= 0 && strings.Contains(link, "/ref/spec") {
		return "Go spec: " + strings.ReplaceAll(link[i+1:], "_", " ")
	}
	return "Package doc: " + strings.TrimPrefix(link, "https://pkg.go.dev/")
}

// facts is the data every template reads. Only the fields of the
// construct at hand are set.
type facts struct {
	// channels
	ChanName           string // the channel as written at this use
	CtxTimeout         bool
	Chan               *model.Chan
	NilField           string // the field the channel is, when its package never sets it (model.File.NilField): nil in every value
	ChanExpr, Elem     string
	DirWord            string
	Cap                int64
	CapKnown           bool
	CapExpr            string
	MadeLine, DeclLine int
	CloseAfterLit      bool   // ... in a function literal
	ParamNilInLit      string // a parameter of the enclosing function that only this literal sets, to nil: where
	CloseAfterSend     string // a send whose channel only its own function's deferred close closes (model.File.DeferredClosesAfter): those lines
	CloseNoReach       string // with CloseAfterSend: the function's other closes, from which no path reaches the send (model.File.ClosesOfSend)
	ClosedBeforeGo     int    // a send in a started literal: the line of the starter's close before the go statement (model.File.ClosedBeforeStart)
	// ClosedWaited, ClosedWaitedGo, ClosedWaitedBy, ClosedWaitedAt: a send
	// after a wait for the goroutine (started at ClosedWaitedGo) that
	// closes its channel (at ClosedWaited) on every path by which it ends
	// (model.File.ClosedByWaited): the send panics.
	ClosedWaited, ClosedWaitedGo, ClosedWaitedAt int
	ClosedWaitedBy                               string
	// ClosedSignal..., a send after a receive from a signal channel that
	// only a close ends, each close of which follows a close of the send's
	// channel (model.File.ClosedBySignal): the send panics. ClosedSignal is
	// the line of that close, or of a range over the channel that only its
	// close ends (ClosedSignalRange).
	ClosedSignal, ClosedSignalRecv, ClosedSignalClose int
	ClosedSignalRange                                 bool
	ClosedSignalName                                  string
	ClosedBeforeGoAt                                  int    // that go statement's line
	CloseBeforeSend                                   string // with CloseAfterSend: the function's other closes, from which a path reaches the send (model.File.ClosesOfSend)
	MadeWhere                                         string // a package variable made in another file: "line 3 of queue.go" (model.File.MadeInPackage)
	MadeLines                                         string // "lines 17 and 23": the channel's makes, when more than one
	MadeByName                                        string // the field name the makes of MadeLines share, when the key is that name alone (syntax tier): they may be other structs' fields
	MadeAt                                            string // "line 12", "lines 12 and 15": the makes whose channel this operation uses
	PathsDisagree                                     bool   // the paths reaching this operation give the variable different channels
	MaybeNil, NilHere                                 bool   // the variable may be (is) nil at this operation
	NilDecl                                           bool   // that nil is the declaration's (var ch chan T)
	NilSetAt                                          string // the `ch = nil` assignments that reach here: "line 30"
	ReadsLater                                        bool   // a function literal reads its parent's reassigned variable when it runs
	CloseLines                                        string // closes that run on every path of the function holding the channel
	// CloseIfCalled: outside package main, CloseLines's closes sit in a
	// function nothing in the package calls (model.File.CloseIfCalled):
	// "`(*Mailbox).Shutdown` is called (the close is at line 19), ...",
	// read after "closed only if" in place of "closed at CloseLines".
	CloseIfCalled  string
	MayCloseLines  string // closes that run only on some paths: "line 14 (only when `ok` holds)"
	CloseSkipped   string // deferred closes that never run: "line 12"
	CloseSkippedBy string // what ends the program first, as code: "`os.Exit(3)`"
	// CloseUnreached: closes written after a loop that never ends
	// (model.Chan.UnreachedCloses), "line 21"; CloseUnreachedLoop: that
	// loop's line.
	CloseUnreached     string
	CloseUnreachedLoop int
	// CloseUnreachedDeferred: that close is deferred, and the loop comes
	// after its defer statement (the function never returns to run it).
	CloseUnreachedDeferred bool
	ClosedVia              string // closed through a call: "passed to `produce` at line 34, which closes it (line 22)"
	ClosedWhy              string // why golens cannot tell whether it is closed: where it escapes
	RangeClosedWhy         string // the model's reason for an unknown Closed fact, said by a range
	ClosedNever            bool   // proven: nothing closes it and it escapes nowhere
	OtherCloses            string
	SendLines              string
	// ClosedFirstBy: a close that a call has already made before this one
	// runs, on every path (model.File.ClosedFirstByCall): "`produce`,
	// started at line 12, has already closed it (...) before wg.Wait() at
	// line 13 returns". For a make: AlsoClosedVia lists the closes through
	// calls besides those written here, and ClosedFirstAt the close such a
	// call closes first ("line 17").
	ClosedFirstBy string
	// CloseGuardMutex and CloseGuardMap: every close of the channel holds
	// this mutex and deletes from this map beside it (model.CloseGuard):
	// a registry that may close each entry's channel once.
	CloseGuardMutex, CloseGuardMap string
	AlsoClosedVia                  string
	ClosedFirstAt                  string
	// ClosedFirstWait: the wait that returns only after that close
	// ("wg.Wait() at line 13"), when one call closes it.
	ClosedFirstWait   string
	CommaOk, InSelect bool
	// PanicCloseAt, PanicCloseWhy: a close of the channel before this
	// receive, range or send on every path panics, because a call closed
	// it first (model.File.PanickingCloseBefore): this operation is never
	// reached. PanicCloseWhy is the CloseFirst text.
	PanicCloseAt  int
	PanicCloseWhy string
	ClosedFirst   int // a receive outside a select: the line of its channel's close that runs before it on every path (model.File.ClosedBefore)
	// CloseAfterRecv: a receive outside a select whose channel's every
	// close is its own function's, after it, and nothing else closes it
	// (model.File.ClosedAfter): the close cannot end this receive.
	CloseAfterRecv bool
	RangedOk       bool // with RangedFirst: the line of a `v, ok := <-ch` whose `if !ok { break }` alone ends its loop
	RangedFirst    int  // a receive outside a select: the line of a range over its channel that only the close ends and that comes before it (model.File.RangedBefore)
	// QueuedSend, QueuedGo, QueuedBy, QueuedWait (a receive): a value the
	// goroutine started at QueuedGo queued at QueuedSend before the wait
	// QueuedBy at QueuedWait saw it finish (model.File.QueuedBefore).
	QueuedSend, QueuedGo, QueuedWait int
	QueuedBy                         string
	SemSend                          int // a semaphore release: the line of the send that put back the token it takes (model.File.SemRelease)
	// RoomSends, RoomReturned (a send): the number of sends on the
	// channel, no more than its buffer, each at most once per make, and
	// whether it leaves its function only as a <-chan result
	// (model.File.SendRoom): the send never blocks.
	RoomSends    int
	RoomMethod   string // a field: the method holding every send (SendRoom.Method)
	RoomReturned bool

	// RoomJob* (a field whose channels are carried in job values,
	// SendRoom.Job): the field, the makes stored in it and the sends
	// carrying them ("line 41"), and the variable this send's value was
	// received into, from RoomJobVia at line RoomJobRecv.
	RoomJobField, RoomJobVar, RoomJobVia string
	RoomJobMade, RoomJobCarry            string
	RoomJobRecv                          int

	CaseIndex, NCases int
	MaySpin           bool // a select with a default in a loop with no end of its own (model.Select.MaySpin)
	LoopWaits         bool // ... whose body waits elsewhere (model.Select.WaitsElsewhereInLoop)
	DefaultWaitsLine  int  // the default clause itself can wait there (model.Select.DefaultWaits)
	DefaultSleeps     bool // and that wait is a time.Sleep: it does wait
	DefaultLeavesLine int  // the default clause leaves the loop around the select there (model.Select.DefaultLeaves)
	DefaultLeavesHow  string
	DefaultLeavesCall string
	NonPositive       bool // a time call's duration is a constant <= 0
	Source, Duration  string
	TimeChan          string // model.ChanOp.TimeChan: "Timer", "Ticker", "time"
	TimeFunc          string // model.ChanOp.TimeFunc: "After", "Tick" (no Stop)
	// DrainRule: the receive is the drain of `if !t.Stop() { <-t.C }`
	// (model.ChanOp.DrainAfterStop) under synchronous timers
	// (model.File.Timers), which this names: "go 1.26 in go.mod".
	DrainRule, DrainTimer string
	// TimersStale (select) and TimerStale (case): a select with a default
	// has a case on a timer's channel x.C (model.SelectCase.TimerC), and
	// timers are asynchronous (model.File.Timers), which this names ("go
	// 1.21 in go.mod"): its buffer of 1 can hold a value sent before a
	// Stop or Reset. The Maybe forms: golens does not know which timers
	// apply.
	TimersStale, TimerStale           string
	TimersStaleMaybe, TimerStaleMaybe bool

	TypeText, Dir      string
	DirDesc, MakeName  string
	OpKind, Timeout    string
	HasDefault, InLoop bool
	Timeouts           string
	Cancels            string // ctx.Done() cases of contexts without a known deadline
	NeverCases         string // Done cases of context.Background()/TODO(): nil, never ready
	Timers             string // timer cases of a select with a default: checked, not waited for
	LoopTimer          bool
	Delay              bool   // a timer case that is the select's way on, not a limit on another case (model.SelectCase.Delay)
	Delays             string // such cases of a select: "case 2 `t.C`"
	NDelays            int
	LoopDelay          bool   // a time.After delay case in a loop
	CtxOrigin          string // "deadline", "cancel", "unknown", "never" (model.CtxOrigin)
	// CtxNeverInFile: the function every call of which in this file
	// passes context.Background() or TODO() as this context (syntax tier,
	// model.ChanOp.CtxNeverInFile).
	CtxNeverInFile string
	// CtxHeld: the context's only cancel is deferred by the function
	// that waits in this call (model.ChanOp.CtxHeld): the callee, the
	// first caller and the line of its deferred cancel, whether there
	// are more callers, and whether only this file's calls are known.
	CtxHeldFunc, CtxHeldCaller string
	CtxHeldLine                int
	CtxHeldMore, CtxHeldInFile bool
	HeldCases                  string // a select's cases so held
	CtxGuess                   string // model.ChanOp.DoneGuess: the receiver, which the file does not show is a context
	CtxFromName                string // "context.WithTimeout"
	CtxFromLine                int
	// defers
	Index, Total         int
	Order                *orderFacts
	OrderUnknown         string // why the model did not work out the defer's run order (model.DeferOrder.Why)
	NilReceiver          string // the receiver, proven a nil pointer, of a deferred value method (model.Defer.NilReceiver)
	NilMethod            string // that method's name
	OnceFlag             string // the proven run-once flag guarding a defer in a loop (model.DeferOrder.Once)
	OnceCond             string // the guard, when OnceFlag is a loop counter (model.DeferOrder.OnceCond)
	FuncName             string
	Conditional, Closure bool
	Captures             []string
	CapturesWritten      bool     // a deferred closure assigns some of its captures (model.Defer.CapturesWritten)
	SetsResults          []string // named results a deferred closure assigns (model.Defer.SetsResults)
	// FixedCaptures: those of a deferred closure's Captures that hold, when
	// it runs, the value they hold now (model.File.FixedCaptures: a
	// per-iteration loop variable nothing changes); LaterCaptures: the
	// others.
	FixedCaptures, LaterCaptures []string
	Args                         []string
	ArgText, Receiver            string
	FuncValue                    string // go x.f(...) where golens does not know whether f is a method (model.Goroutine.FuncValue)
	CalleeWrites                 string // "lines 35 and 37": later writes of the variable a defer's or go's function value is read from
	StmtLine                     int    // the defer's or go statement's line
	Callee, Reassigned           string
	// RangeExit: the first statement that leaves a range loop without a
	// close ("`break` at line 12"; rangeexit.go).
	RangeExit string
	// CloseAfterRange: closes written after this range in its own
	// goroutine, which cannot end it (model.File.ClosesAfterRange);
	// CloseAfterRangeOnly: nothing else closes the channel.
	CloseAfterRange     string
	CloseAfterRangeOnly bool
	// CloseAfterLoop: the channel's only closes are deferred by the
	// function holding the range, so they run after it (model.File.OwnDeferredCloses).
	CloseAfterLoop string
	// CloseAfterOther (with CloseAfterLoop): who else holds the channel
	// and may close it, ending the loop: the code that passed a parameter,
	// or the call whose result set the variable (r20e_double_close).
	CloseAfterOther string
	// CloseAfterWait (a range in a goroutine literal): every close of the
	// channel comes after the starting function's wait for this goroutine
	// (model.File.ClosesAfterWait), said after the closes named.
	CloseAfterWait string
	// NoWaitSenders: the lines of library calls (signal.Notify) that send
	// on this channel without waiting for a receiver.
	NoWaitSenders string
	// RangeNever: the model proves the range never ends (File.RangeEnds,
	// which unclosedrange reads too).
	RangeNever bool
	// Version: which go-line-dependent semantics apply (goversion.go).
	Version versionFacts
	// goroutines
	Call         string
	Written      []string // the captured variables the literal assigns to
	LoopCaptures []string
	LoopAddrs    []string // loop variables whose address a go or defer statement evaluates now (model.Goroutine.LoopAddrs)
	WaitedBy     string
	// AfterDone: the goroutine's deferred calls that run after its
	// deferred DoneCall (model.File.AfterDone).
	AfterDone   []string
	DoneCall    string
	WaitThrough string // the wait is in another function: how it reaches it
	WaitWhy     string // golens cannot tell whether anything waits: why
	// NothingWaits: the model proves nothing in the starting function
	// waits for the goroutine (Goroutine.Waited), the fact unwaited reads.
	NothingWaits bool
	// OtherWaitBy, OtherWaitLine, OtherGoLine: with NothingWaits, a
	// wg.Wait() in another goroutine the function starts that waits for
	// this one (model.GoWait.InOtherGo).
	OtherWaitBy string
	// OtherDoneCall, OtherDoneLine: the goroutine's Done on that
	// WaitGroup when it runs only on some of its paths
	// (model.GoWait.InOtherGoDoneSome).
	OtherDoneCall string
	OtherDoneLine int
	OtherWaitLine int
	OtherGoLine   int
	WaitLine      int
	MayGiveUp     string // how the wait can give up (model.Goroutine.WaitGiveUp)
	WaitThen      string // what waits once that wait gives up (model.GoWait.Then)
	WaitEnd       *model.WaitEnd
	// WaitUnreached: the line of a range before the wait that never ends
	// (model.File.WaitUnreached): the function never gets to the wait.
	WaitUnreached int
	// StartBlockedLine, StartBlockedChan, StartBlockedRecv: a send (or a
	// receive) before the go statement that blocks forever, so the
	// goroutine is never started (model.File.StartBlocked).
	StartBlockedLine int
	StartBlockedChan string
	StartBlockedRecv bool
	StartBlockedMade int // the make of StartBlockedChan: the scan that proves the block starts there
	// StartCondCall, StartCondLine, StartCondWhere: a call before the go
	// statement that can wait on a sync.Cond while no other goroutine
	// exists (model.File.StartCondWait): the wait is named on condition
	// that main gets past it.
	StartCondCall  string
	StartCondLine  int
	StartCondWhere string
	// WaitEndedBy, WaitEndedLine: a call before the wait that ends the
	// function first on every path (runtime.Goexit(), os.Exit(1);
	// model.File.WaitEndedFirst); WaitEndedGoexit when it ends only the
	// goroutine, not the program.
	// WaitPanicLine, WaitPanicChan, WaitPanicClosed: a send before the
	// wait that panics first (model.File.WaitPanicsFirst).
	WaitPanicLine, WaitPanicClosed int
	WaitPanicChan                  string
	WaitEndedBy                    string
	WaitEndedLine                  int
	WaitEndedGoexit                bool
	// NeverSendLine, NeverChan, NeverDrainLine: the wait never returns,
	// because the goroutine's send (at NeverSendLine) before its Done
	// needs a receiver and NeverChan is drained only after the wait
	// (model.File.WaitNeverReturns, which the goroutine hint's tooltip
	// words too).
	NeverSendLine  int
	NeverChan      string
	NeverDrainLine int
	// StuckLine, StuckChan, StuckPanics, StuckClosed, StuckDrain: a send
	// the goroutine reaches before it can signal the wait, which panics
	// (the channel closed at StuckClosed) or waits for a receiver that
	// comes only after the wait (at StuckDrain; 0 when none does)
	// (model.File.GoStuck, which the goroutine hint's tooltip words too).
	StuckLine, StuckClosed, StuckDrain int
	StuckChan                          string
	StuckPanics, StuckByRange          bool
	// StuckNth, StuckRecvLines, StuckCap: the send is the goroutine's
	// StuckNth on the channel, more than its receives (at StuckRecvLines,
	// each run once, before the wait) and its buffer (StuckCap) can take.
	// RecvStuckWait, RecvStuckWaitLine (a receive): the receive is where
	// its goroutine sticks (model.StuckGo.Recv): the channel is closed
	// only after this wait for the goroutine. WaitStuckGo (a receive that
	// is the wait for a goroutine): the line of that goroutine's go
	// statement, when GoStuck proves it never finishes; WaitMayStickGo,
	// when GoMayStick says what can block it first.
	RecvStuckWait                                  string
	RecvStuckWaitLine, WaitStuckGo, WaitMayStickGo int
	// MayWaitBy, MayWaitLine, MayWaitGo: a Wait, in another goroutine the
	// same function starts (at MayWaitGo), on a WaitGroup this goroutine
	// calls Done on (model.File.SiblingWait): it may wait for it.
	MayWaitBy              string
	MayWaitLine, MayWaitGo int
	StuckNth               int
	StuckRecvLine          int // a receive instead of a send: closed only after the wait (StuckClosed), or never
	StuckRecvLines         string
	StuckRecvN             int
	StuckCap               int64
	// Stick: what can block for good before the wait sees the goroutine
	// finish (model.File.GoMayStick), as the goroutine hint's tooltip
	// words it too.
	Stick *model.MayStickText
	// GoExitBy, GoExitLine: the os.Exit or log.Fatal* call every path of
	// the goroutine ends in (model.File.GoEndsProgram): it never returns,
	// so the wait never sees it finish; the program ends there instead.
	GoExitBy   string
	GoExitLine int
	// WaitSkipped, WaitSkippedKind: the line and kind ("return", "end")
	// of an exit some path from the go statement takes before the wait
	// (model.File.WaitSkipped): the function waits only on other paths.
	WaitSkipped     int
	WaitSkippedKind string
	WaitSkippedCall string // for kind "exit": the os.Exit or log.Fatal call that skips a deferred wait
	OnCopy          string // a WaitGroup field of this value receiver: a copy
	OnParamCopy     string // a WaitGroup or mutex parameter passed by value: a copy (model.File.ValueParamCopy)
	IsMain          bool
	// MainGoexit names where main can end through runtime.Goexit ("line
	// 15"), and MainGoexitAll says every path of main ends so: then main
	// never returns, and the program runs on until its other goroutines
	// finish (https://pkg.go.dev/runtime#Goexit).
	MainGoexit    string
	MainGoexitAll bool
	// MainNeverEnds: no path of main reaches its end (select {}, an
	// endless loop; model.File.NeverEnds), so main's end cannot stop the
	// goroutine.
	MainNeverEnds bool
	// NestedByLines: a recover's literal is deferred by a named function
	// that is itself the deferred call at these lines (model.BuiltinCall.NestedBy).
	NestedByLines string
	NestedIn      string // that named function
	// CalledInDeferred, CalledInDeferredBy: the lines where a deferred
	// function literal calls the named function that defers this
	// recover's literal, and the function that defers that literal
	// (model.BuiltinCall.CalledInDeferred).
	CalledInDeferred   string
	CalledInDeferredBy string
	// sync, time, context, builtins
	Recv, Method, Type, Arg string
	NestedDo                int // sync.Once: the line of a Do on the same Once inside the function this Do runs
	Name                    string
	InGo, Deferred          bool
	DoneInGoBody            bool // a deferred Done is in the go statement's own literal (the goroutine's function)
	// DoneSkippedBy, DoneSkippedLine: the os.Exit / log.Fatal call that
	// skips a deferred Done on every path (model.DeferOrder.Skipping).
	DoneSkippedBy              string
	DoneSkippedLine            int
	DoneInWGGo                 int    // a Done in the function literal passed to wg.Go at this line (model.DoneInGoFunc): a second Done
	InOtherGo                  bool   // an Add inside a goroutine that it does not count
	AddAfterGo                 int    // an Add after the go statement (this line) of the goroutine it counts (model.File.AddAfterGo)
	AddBeforeGo                bool   // a go statement follows the Add in its function (model.File.AddBeforeGo)
	AddSkippedBy               string // a continue/break/goto/return between the Add and its go statement (model.File.AddSkipped)
	AddSkippedAt, AddSkippedGo int
	Adds, Gos, AddsVia         string // AddsVia: Adds made through calls the WaitGroup is passed to (model.File.AddsViaText)
	// LateAdds (a Wait): the Adds that may run after it returned, each
	// with the line of the go statement whose goroutine runs it
	// (model.File.LateAdds). DoneLateWait (a Done): the line of the Wait
	// whose every Add is late (model.File.OnlyLateAdds), so that Wait
	// is not one this Done makes return; DoneLateAdds, DoneLateGos: where
	// those Adds are, and the go statements of their goroutines.
	LateAdds                  []lateAdd
	DoneLateWait              int
	DoneLateAdds, DoneLateGos string
	UnlockDeferred            int
	UnlockDeferredMore        string // other deferred releases: "line 27" (each on the paths that defer it)
	UnlockName                string
	UnlockLines               string
	Released                  string // "all", "some", "no"; "" when the flow is unknown
	LeakLines, Unsure         string
	UnsureUnseen              bool // the Unsure call's callee has no body golens sees
	// Releases through a call of a function that unlocks (model.LockOp.Through).
	UnlockDeferredCall, UnlockDeferredThrough, UnlockThrough string
	LeakEnd                                                  bool
	ElsewhereLines                                           string
	StartedRelease                                           string // model.LockFlow.Started: the goroutines started here that unlock it
	PairLines                                                string
	// UnnamedAt, UnnamedVar (an Unlock): the assignments to the mutex's
	// root variable past which it releases a lock golens does not name
	// (model.LockOp.ReleasesUnnamed); PairLines is then empty.
	UnnamedAt, UnnamedVar string
	// What the model's lock flow says lockleak reports: the early exits
	// that leave this lock held, this call reached while the mutex is
	// held, and (on an Unlock) the early exits that skip it.
	LockLeaks []lockLeakFacts
	// WrongKind (a Lock or RLock): the lines of the releases of the other
	// kind (WrongMethod) a path holding it reaches with none of their own
	// kind held; WrongOf (an Unlock or RUnlock): the locks of the other kind
	// held there, as "the read lock taken at line 14 (`RLock`)", WrongOnly
	// when no path pairs it with a lock of its own kind
	// (model.LockFlow.WrongKind, LockOp.WrongKind).
	WrongKind, WrongOf string
	WrongMethod        string // the wrong release's method: "Unlock", "RUnlock"
	WrongOnly          bool
	// TwiceFirst, TwiceDeferred: explicit Unlocks after which a deferred
	// Unlock unlocks the mutex again at return (model.LockFlow.Twice on a
	// Lock, LockOp.ReleasedBefore on the deferred Unlock), as lines.
	TwiceFirst, TwiceDeferred string
	// UnlockedFirst (an explicit Unlock): the releases after which, on
	// some path, this Unlock finds the mutex unlocked
	// (model.LockOp.UnlockedBefore): "`s.flush()` at line 23, which
	// unlocks it".
	UnlockedFirst string
	// PanicCall, PanicLine, PanicRelease: a call of a function value made
	// with the lock held before an explicit release in the same block,
	// none deferred: a panic there skips the release at PanicRelease
	// (model.File.PanicSkips).
	PanicCall               string
	PanicLine, PanicRelease int
	Relock                  *relockFacts
	LoopDefer               *loopDeferFacts   // held into its loop's next pass, its release deferred (model.LockFlow.DeferredIntoNextPass)
	RelockCalls             []relockCallFacts // model.LockOp.RelockCalls
	SkippedBy               []lockLeakFacts
	LockUnknown             string // why the lock flow is not followed (model.LockFlow.Why)
	ReboundLine             int    // model.LockFlow.Rebound
	ReboundVar              string
	GoLines                 string
	CancelDeferred          bool
	CancelName              string
	CancelCalls             string // where the cancel func is called, when not deferred here
	CancelEarlier           string // calls of a deferred cancel func that are not deferred: they release the context sooner
	CancelEscapes           string
	CancelUse               string // model.ContextCall.CancelUse: "returned", "passed", "discarded", ...
	// CancelEnd: a deferred call registered after the deferred cancel
	// that ends the program, on every path (All) or some, or that can on
	// some of its own paths (May): the deferred cancel's
	// model.DeferOrder.EndedBy / MayEndBy, as the defer hover says it.
	CancelEnd         *cancelEnd
	DirectlyDeferred  bool
	Outer             string
	DeferCount        int
	Reach, DeferLines string
	Helper            string
	Recovers          string
	MayRecover        string // recovers that may stop a panic when the defers registered before it are unknown
	PanicWhere        string // model.PanicWhere: here, deferred, started
	PanicWhy          string // why golens does not know which defers have run
	// Call2: the facts of a Cond, Timer/Ticker or context call (calls.go).
	Call2 *callFacts
}

// describe picks the template and topic for a site and gathers its facts.
func describe(m *model.File, s *model.Site) (tmpl, topic string, f *facts) {
	f = &facts{}
	switch s.Kind {
	case model.SiteSend, model.SiteRecv, model.SiteClose, model.SiteRange:
		op := s.Op()
		f.ChanName = op.ChanExpr
		chanFacts(m, f, op.Chan, op)
		valueHere(m, f, op)
		f.ChanExpr, f.CommaOk, f.Source, f.TimeChan, f.TimeFunc = op.ChanExpr, op.CommaOk, op.Source, op.TimeChan, op.TimeFunc
		if op.TimeChan != "" {
			f.Version = versionOf(m) // the timer channel's buffer (timechanrecv)
		}
		if op.DrainAfterStop {
			if sync, _, rule := m.Timers(); sync {
				f.DrainRule, f.DrainTimer = rule, strings.TrimSuffix(op.ChanExpr, ".C")
			}
		}
		if cl, cf := m.PanickingCloseBefore(op); cl != nil {
			f.PanicCloseAt, f.PanicCloseWhy = m.Line(cl.Pos), cf.Text(m)
		}
		if op.Kind == model.Range {
			if cl := m.ClosedBefore(op); cl != nil {
				f.ClosedFirst = m.Line(cl.Pos)
			}
		}
		if op.Kind == model.Recv && op.Select == nil {
			if cl := m.ClosedBefore(op); cl != nil {
				f.ClosedFirst = m.Line(cl.Pos)
			} else if r := m.RangedBefore(op); r != nil {
				f.RangedFirst = m.Line(r.Pos)
				if r.Kind == model.Recv {
					f.RangedOk = true // a for loop that only the comma-ok receive's !ok ends
				}
			} else if q := m.QueuedBefore(op); q != nil {
				f.QueuedSend, f.QueuedGo, f.QueuedBy, f.QueuedWait = m.Line(q.Send.Pos), m.Line(q.Go.Pos), q.By, m.Line(q.Wait)
			} else if wc := m.ClosedByWaited(op); wc != nil {
				// Closed by a goroutine this function waited for first:
				// the receive never waits (r21n_double_close).
				f.ClosedWaited, f.ClosedWaitedGo, f.ClosedWaitedBy, f.ClosedWaitedAt = m.Line(wc.Close), m.Line(wc.Go.Pos), wc.WaitBy, m.Line(wc.Wait)
			} else if s := m.SemRelease(op); s != nil {
				f.SemSend = m.Line(s.Pos)
			} else if len(m.ClosedAfter(op)) > 0 {
				f.CloseAfterRecv = true
			}
		}
		if strings.HasSuffix(op.Source, ".Done") {
			f.CtxTimeout = true
			o, from := op.Ctx()
			ctxFacts(m, f, o, from)
			f.CtxNeverInFile = op.CtxNeverInFile()
			ctxHeldFacts(m, f, op)
			if op.DoneGuess {
				f.CtxGuess = strings.TrimSuffix(op.Source, ".Done")
			}
		}
		if op.Select != nil {
			f.InSelect, f.CaseIndex = true, op.Select.Index
		}
		if op.Source == "time.After" || op.Source == "time.Tick" {
			for _, tc := range m.TimeCalls {
				if tc.Pos > op.Pos && tc.Pos < op.End {
					f.Duration = durationOf(tc)
					// time.Tick(d) with d <= 0 returns nil (go doc time.Tick).
					if op.Source == "time.Tick" && nonPositive(tc.Value) {
						f.NonPositive, f.Duration = true, tc.Value
					}
				}
			}
		}
		switch s.Kind {
		case model.SiteSend:
			if cl := m.ClosedBefore(op); cl != nil && op.Select == nil {
				// Closed earlier on every path in this function: it panics.
				f.ClosedFirst = m.Line(cl.Pos)
				f.CloseLines, f.MayCloseLines = "", ""
			} else if cl := m.ClosedBeforeStart(op); cl != nil && op.Select == nil {
				// Closed before the goroutine was started: the send panics.
				f.ClosedBeforeGo, f.ClosedBeforeGoAt = m.Line(cl.Pos), m.Line(op.InGo.Pos) // ClosedBeforeStart: op.InGo started op's literal
				f.CloseLines, f.MayCloseLines = "", ""
			} else if wc := m.ClosedByWaited(op); wc != nil {
				// Closed by a goroutine this function waited for first.
				f.ClosedWaited, f.ClosedWaitedGo, f.ClosedWaitedBy, f.ClosedWaitedAt = m.Line(wc.Close), m.Line(wc.Go.Pos), wc.WaitBy, m.Line(wc.Wait)
				f.CloseLines, f.MayCloseLines = "", ""
			} else if sc := m.ClosedBySignal(op); sc != nil {
				// Closed before the close of a signal this function waits for.
				f.ClosedSignal, f.ClosedSignalRange, f.ClosedSignalName = m.Line(sc.Closed), sc.ByRange, sc.Signal
				f.ClosedSignalRecv, f.ClosedSignalClose = m.Line(sc.Recv), m.Line(sc.SignalClose)
				f.CloseLines, f.MayCloseLines = "", ""
			} else if cl := m.DeferredClosesAfter(op); len(cl) > 0 && f.CloseLines != "" {
				f.CloseAfterSend, f.CloseLines = f.CloseLines, ""
				f.FuncName, f.CloseAfterLit = funcName(op.Func), op.Func.Lit
			} else if sc, ok := m.ClosesOfSend(op); ok && len(sc.Deferred) > 0 && len(sc.NoReach)+len(sc.Before) > 0 && f.CloseSkipped == "" {
				// Its own deferred closes run after it; of its other
				// closes, name the ones a path leads from to this send
				// (close(out) without a return), or else the ones that
				// leave without reaching it (close(out); return err).
				f.CloseAfterSend = lines(m, opPositions(sc.Deferred))
				if len(sc.Before) > 0 {
					f.CloseBeforeSend = lines(m, opPositions(sc.Before))
				} else {
					f.CloseNoReach = lines(m, opPositions(sc.NoReach))
				}
				f.CloseLines, f.MayCloseLines = "", ""
				f.FuncName, f.CloseAfterLit = funcName(op.Func), op.Func.Lit
			}
			if r := m.SendRoom(op); r != nil {
				// The buffer holds every value sent on the channel (the
				// send hint reads the same fact).
				f.RoomSends, f.RoomReturned, f.RoomMethod = len(r.Sends), r.Returned, r.Method
				if j := r.Job; j != nil {
					var made []token.Pos
					for _, mk := range j.Makes {
						made = append(made, mk.Pos)
					}
					f.RoomJobField, f.RoomJobVar, f.RoomJobVia, f.RoomJobRecv = j.Field, j.Var, j.Recv.ChanExpr, m.Line(j.Recv.Pos)
					f.RoomJobMade, f.RoomJobCarry = lines(m, made), lines(m, opPositions(j.Carriers))
					// The buffer this proof holds to: the smallest of
					// the makes stored in the field.
					f.Cap, f.CapKnown = r.Cap, true
				}
			}
			return "send", "send", f
		case model.SiteRecv:
			recvStuck(m, op, f)
			return "receive", "receive", f
		case model.SiteClose:
			f.Deferred, f.FuncName = op.Deferred, funcName(op.Func)
			if by := op.SkippedBy(); by != "" {
				f.CloseSkippedBy = "`" + by + "`"
			}
			if op.UnreachedAfter.IsValid() {
				f.CloseUnreachedLoop = m.Line(op.UnreachedAfter)
				f.CloseUnreachedDeferred = op.Deferred && op.UnreachedAfter > op.Pos
			}
			if cf := m.ClosedFirstByCall(op); cf != nil {
				f.ClosedFirstBy = cf.Text(m)
			}
			if op.Chan != nil && !op.Deferred {
				var others, sends []token.Pos
				// The closes that can run with this one (the model's flow:
				// File.OtherCloses), not one in the other branch of an if.
				oc := m.OtherCloses(op)
				for _, c := range oc {
					others = append(others, c.Pos)
				}
				if g := m.CloseGuardOf(append([]*model.ChanOp{op}, oc...)); g != nil && len(oc) > 0 {
					f.CloseGuardMutex, f.CloseGuardMap = g.Mutex, g.Map
				}
				// The sends that can run after this close (the model's
				// flow: File.SendsAfterClose), not those later in the file.
				for _, snd := range m.SendsAfterClose(op) {
					sends = append(sends, snd.Pos)
				}
				f.OtherCloses, f.SendLines = lines(m, others), lines(m, sends)
			}
			return "close", "close", f
		default:
			if rs, ok := op.Node.(*ast.RangeStmt); ok {
				f.RangeExit = rangeExit(m, rs)
			}
			// The model's fact (File.RangeEnds), which unclosedrange reads
			// too: the loop never ends.
			f.RangeNever = m.RangeEnds(op).ProvenFalse()
			if own := m.OwnDeferredCloses(op); len(own) > 0 {
				f.CloseAfterLoop, f.FuncName = lines(m, opPositions(own)), funcName(op.Func)
				f.CloseAfterOther = model.CloseHoldersText(m, op.Chan)
			}
			f.CloseAfterWait = model.CloseAfterWaitText(m, m.ClosesAfterWait(op))
			return "range", "range", f
		}
	case model.SiteChanType, model.SiteMake:
		ct := s.ChanType()
		f.Elem, f.Dir = ct.Elem, ct.Dir.String()
		f.TypeText = m.Text(ct.Pos, ct.End)
		f.DirDesc = map[model.ChanDir]string{model.Bidirectional: "a bidirectional", model.SendOnly: "a send-only", model.RecvOnly: "a receive-only"}[ct.Dir]
		if s.Kind == model.SiteChanType && ct.Make == nil {
			return "chantype", "chan", f
		}
		mk := ct.Make
		f.Cap, f.CapKnown, f.CapExpr = mk.Cap, mk.CapKnown, mk.CapExpr
		if ct.Chan != nil {
			f.MakeName = ct.Chan.Name
			if ps := m.LibrarySendsNoWait(ct.Chan); len(ps) > 0 {
				f.NoWaitSenders = lines(m, ps)
			}
			closeLinesOf(m, f, ct.Chan, mk, nil)
			closedFacts(f, ct.Chan)
			alsoClosedVia(m, f, ct.Chan)
		}
		return "make", "make", f
	case model.SiteDefer:
		deferFacts(m, f, s.Defer())
		return "defer", "defer", f
	case model.SiteSelect:
		selectFacts(m, f, s.Select())
		return "select", "select", f
	case model.SiteCase, model.SiteDefault:
		c := s.Case()
		selectFacts(m, f, c.Select)
		f.CaseIndex = c.Index
		if c.Default {
			f.NCases = len(c.Select.Cases) - 1
			return "default", "default", f
		}
		f.Timeout = c.Timeout
		if c.TimerC && f.HasDefault && !c.IsCtxDone() {
			f.TimerStale, f.TimerStaleMaybe = staleTimers(m)
		}
		f.Delay = c.Delay()
		f.CtxTimeout = c.IsCtxDone()
		if f.CtxTimeout {
			o, from := c.Ctx()
			ctxFacts(m, f, o, from)
			if c.Op != nil {
				f.CtxNeverInFile = c.Op.CtxNeverInFile()
				ctxHeldFacts(m, f, c.Op)
			}
			if c.Op != nil && c.Op.DoneGuess {
				f.CtxGuess = strings.TrimSuffix(c.Op.Source, ".Done")
			}
		}
		if c.Op != nil {
			f.OpKind, f.ChanExpr, f.ChanName, f.TimeChan, f.TimeFunc = c.Op.Kind.String(), c.Op.ChanExpr, c.Op.ChanExpr, c.Op.TimeChan, c.Op.TimeFunc
			if c.Op.TimeChan != "" {
				f.Version = versionOf(m) // the timer channel's buffer (timechanrecv)
			}
			if c.Op.Chan != nil {
				chanFacts(m, f, c.Op.Chan, c.Op)
				valueHere(m, f, c.Op)
			}
			for _, tc := range m.TimeCalls {
				if tc.Case == c {
					f.Duration = durationOf(tc)
				}
			}
		}
		return "case", "case", f
	case model.SiteGo:
		goFacts(m, f, s.Goroutine())
		return "go", "go", f
	case model.SiteWaitGroup:
		w := s.WaitGroup()
		f.Recv, f.Method, f.Arg, f.Deferred = w.Recv, w.Kind.String(), w.Arg, w.Deferred
		// A deferred Done runs when the function that defers it returns:
		// the goroutine's own function only when that is the go
		// statement's literal; a helper the goroutine calls returns
		// while the goroutine runs on.
		f.FuncName, f.DoneInGoBody = funcName(w.Func), w.InGo != nil && w.InGo.Body == w.Func
		if w.Deferred && w.Kind == model.WGDone {
			// A deferred Done that every path skips (the function ends in
			// log.Fatal): the defer's own order says so, and so does this.
			for _, d := range m.Defers {
				if d.Node != nil && d.Pos <= w.Call.Pos() && w.Call.End() <= d.End {
					if o := d.Order(); o.Known && o.Registered == model.No {
						if sk := o.Skipping(); len(sk) > 0 {
							f.DoneSkippedBy, f.DoneSkippedLine = sk[0].Call, m.Line(sk[0].Pos)
						}
					}
					break
				}
			}
		}
		// The wgmisuse check's fact: an Add in the goroutine it counts.
		f.InGo = m.CountsOwnGoroutine(w)
		f.InOtherGo = w.InGo != nil && !f.InGo
		if g := m.AddAfterGo(w); g != nil {
			f.AddAfterGo = m.Line(g.Pos)
		}
		f.AddBeforeGo = m.AddBeforeGo(w)
		if what, at, goPos := m.AddSkipped(w); what != "" {
			f.AddSkippedBy, f.AddSkippedAt, f.AddSkippedGo = what, m.Line(at), m.Line(goPos)
		}
		var adds, gos []token.Pos
		var late []model.LateAdd
		if w.Kind == model.WGWait {
			late = m.LateAdds(w)
			for _, l := range late {
				f.LateAdds = append(f.LateAdds, lateAdd{Line: m.Line(l.Add.Pos), GoLine: m.Line(l.Go.Pos)})
			}
		}
		f.OnCopy = w.OnCopy(m)
		if sel, ok := ast.Unparen(w.Call.Fun).(*ast.SelectorExpr); ok {
			f.OnParamCopy = m.ValueParamCopy(w.Func, sel.X)
		}
		for _, o := range m.WaitGroups {
			if o.Key != w.Key {
				continue
			}
			if o != w && (f.OnCopy != "" || o.OnCopy(m) != "") {
				continue // a value receiver's copy pairs with nothing outside
			}
			switch o.Kind {
			case model.WGAdd:
				if w.Kind == model.WGWait && o.Func == w.Func && !o.Deferred && m.ReachAfter(o.Call, w.Pos) == model.ReachNever {
					continue // it runs only after this Wait: the Wait does not wait for it
				}
				if isLate(late, o) {
					continue // said apart: it may run after this Wait returned
				}
				adds = append(adds, o.Pos)
			case model.WGGo:
				gos = append(gos, o.Pos)
			case model.WGWait:
				// A Wait the Done's own goroutine reaches before the Done
				// has run waits for it, so the Done does not release it
				// (wgmisuse's self-wait; the flow's ReachBefore). One after
				// it (a barrier: Done, then Wait for the others) is fine.
				inOwn := w.InGo != nil && o.Pos >= w.InGo.Pos && o.Pos < w.InGo.End
				waitsFirst := inOwn && (w.Deferred || m.ReachBefore(w.Func, w.Call, o.Pos) != model.ReachNever)
				if w.Kind == model.WGDone && f.WaitLine == 0 && !waitsFirst {
					f.WaitLine = m.Line(o.Pos)
				}
			}
		}
		if g := w.InGo; w.Kind == model.WGDone && g != nil && g.WaitedBy() != "" {
			// The go statement's hover names the Wait that waits for this
			// goroutine (Goroutine.WaitPos): name the same one.
			for _, o := range m.WaitGroups {
				if o.Kind == model.WGWait && o.Key == w.Key && o.Pos == g.WaitPos() {
					f.WaitLine = m.Line(o.Pos)
				}
			}
		}
		if w.Kind == model.WGDone && f.WaitLine != 0 {
			// A Wait whose every Add may run after it returned does not
			// wait for this Done: do not promise that it returns on it.
			for _, o := range m.WaitGroups {
				if o.Kind != model.WGWait || o.Key != w.Key || m.Line(o.Pos) != f.WaitLine {
					continue
				}
				if only := m.OnlyLateAdds(o); len(only) > 0 {
					var as, gs []token.Pos
					for _, l := range only {
						as, gs = append(as, l.Add.Pos), append(gs, l.Go.Pos)
					}
					f.DoneLateWait, f.DoneLateAdds, f.DoneLateGos, f.WaitLine = f.WaitLine, lines(m, as), lines(m, gs), 0
				}
				break
			}
		}
		if g := m.DoneInGoFunc(w); g != nil {
			// Go calls Done itself: this one is extra, and no Wait is
			// released by it as the text about Wait would say.
			f.DoneInWGGo, f.WaitLine, f.DoneLateWait = m.Line(g.Pos), 0, 0
		}
		f.Adds, f.Gos = lines(m, adds), lines(m, gos)
		if w.Kind == model.WGWait {
			f.AddsVia = m.AddsViaText(w)
		}
		return "waitgroup", "waitgroup", f
	case model.SiteLock:
		l := s.Lock()
		f.Recv, f.Method, f.Type, f.Deferred = l.Recv, l.Kind.String(), l.Type, l.Deferred
		f.FuncName = funcName(l.Func)
		release := model.Unlock
		if l.Kind == model.RLock {
			release = model.RUnlock
		}
		f.UnlockName = f.Recv + "." + release.String() + "()"
		if sel, ok := ast.Unparen(l.Call.Fun).(*ast.SelectorExpr); ok && l.Call != nil {
			f.OnCopy = m.ValueReceiverCopy(l.Func, sel.X) // valuerecv.go: the lock is a copy's
			f.OnParamCopy = m.ValueParamCopy(l.Func, sel.X)
		}
		lockFlowFacts(m, f, l)
		topic := "mutex"
		if l.Type == "sync.RWMutex" {
			topic = "rwmutex"
		}
		return "lock", topic, f
	case model.SiteTime:
		t := s.Time()
		f.Name, f.Arg, f.Duration, f.InLoop = t.Name, t.Arg, durationOf(t), t.InLoop
		f.NonPositive = nonPositive(t.Value)
		if f.NonPositive {
			f.Duration = t.Value // named in the text that says so
		}
		f.Version = versionOf(m)
		f.FuncName = funcName(t.Func)
		if t.Name == "AfterFunc" {
			f.Call2 = &callFacts{}
			stopFacts(m, f.Call2, t.Call)
		}
		if t.Name == "Sleep" && t.Func != nil {
			var gos []token.Pos
			for _, g := range m.Goroutines {
				// Goroutines started before this Sleep can run, by the
				// flow (File.ReachAfter): not those behind a branch that
				// returns first; a later one in a loop's body counts. Only
				// those the model proves nothing waits for (GoWait.Nothing,
				// which the go hover, the goroutine hint and unwaited read too).
				if g.Func == t.Func && g.Node != nil && m.ReachAfter(g.Node, t.Pos).Possible() && g.Wait().Nothing() {
					gos = append(gos, g.Pos)
				}
			}
			f.GoLines = lines(m, gos)
		}
		topic := map[string]string{"After": "time-after", "Tick": "time-tick", "Sleep": "time-sleep", "NewTimer": "timer", "NewTicker": "timer", "AfterFunc": "time-afterfunc"}[t.Name]
		return "time", topic, f
	case model.SiteCall:
		tmpl, topic = describeCall(m, f, s.CallSite())
		return tmpl, topic, f
	case model.SiteOnce:
		o := s.OnceCall()
		f.Recv, f.FuncName = o.Recv, funcName(o.Func)
		f.OnCopy = o.OnCopy(m) // valuerecv.go: the Once is a copy's
		if o.NestedAt.IsValid() {
			f.NestedDo = m.Line(o.NestedAt)
		}
		return "once", "once", f
	case model.SiteContext:
		c := s.Context()
		f.Name, f.Recv, f.Arg, f.InSelect = c.Name, c.Recv, c.Arg, c.Case != nil
		f.CancelDeferred, f.CancelName, f.FuncName = c.CancelDeferred, c.CancelName, funcName(c.Func)
		var calls, earlier []string
		for _, e := range c.CancelCalls() {
			where := cancelCallWhere(m, e)
			calls = append(calls, where)
			if !e.Deferred {
				earlier = append(earlier, where)
			}
		}
		f.CancelCalls, f.CancelEscapes = strings.Join(calls, ", "), c.CancelEscapes()
		if c.CancelName == "" {
			f.CancelUse = c.CancelUse(m)
		}
		f.CancelEarlier = strings.Join(earlier, ", ")
		if d := c.CancelDefer(); d != nil {
			o := d.Order()
			switch {
			case o.EndedBy != nil:
				f.CancelEnd = &cancelEnd{Call: o.EndedCall, Line: m.Line(o.EndedBy.Pos), All: o.EndedByAll}
			case o.MayEndBy != nil:
				f.CancelEnd = &cancelEnd{Call: o.MayEndCall, Line: m.Line(o.MayEndBy.Pos), May: true}
			}
		}
		if c.Name == "Done" {
			o, from := c.DoneCtx()
			ctxFacts(m, f, o, from)
			f.CtxNeverInFile = c.DoneNeverInFile()
			return "context", "ctx-done", f
		}
		return "context", "context", f
	case model.SiteBuiltin:
		b := s.Builtin()
		f.FuncName, f.DirectlyDeferred = funcName(b.Func), b.DirectlyDeferred
		if b.Func != nil && b.Func.Parent != nil {
			f.Outer = funcName(b.Func.Parent)
		} else {
			f.Outer = f.FuncName
		}
		if b.Name == "recover" {
			f.Reach = b.Reach.String()
			var at []token.Pos
			for _, d := range b.DeferredBy {
				at = append(at, d.Pos)
				f.Outer = funcName(d.Func)
				if b.Reach == model.RecoverNested && d.Func.Parent != nil {
					f.Outer = funcName(d.Func.Parent) // the function the panic unwinds
				}
			}
			if len(b.NestedBy) > 0 {
				// The literal's function is itself deferred (by NestedBy):
				// the panic unwinds the function that defers it.
				var by []token.Pos
				for _, d := range b.NestedBy {
					by = append(by, d.Pos)
				}
				f.Outer, f.NestedByLines = funcName(b.NestedBy[0].Func), lines(m, by)
				if len(b.DeferredBy) > 0 {
					f.NestedIn = funcName(b.DeferredBy[0].Func)
				}
				if len(b.NestedBy) > 1 {
					f.Outer = "the function that defers it"
				}
			}
			f.DeferLines = lines(m, at)
			if len(b.CalledInDeferred) > 0 {
				f.CalledInDeferred = lines(m, b.CalledInDeferred)
				if in := m.FuncAt(b.CalledInDeferred[0]); in != nil && in.Parent != nil {
					f.CalledInDeferredBy = funcName(in.Parent)
				}
			}
			if b.Func != nil && !b.Func.Lit {
				f.Helper = b.Func.Name
			} else if len(b.DeferredBy) > 0 {
				f.Helper = b.DeferredBy[0].Callee
			} else {
				f.Helper = b.BoundTo
			}
			return "recover", "recover", f
		}
		// The model says which defers can have been registered when this
		// panic runs, and which of them recover (File.PanicUnwind).
		u := m.PanicUnwind(b)
		f.PanicWhere = u.Where.String()
		f.DeferCount = len(u.Defers)
		var recovers, may []token.Pos
		for _, r := range u.Recovers {
			recovers = append(recovers, r.Pos)
		}
		for _, r := range u.MayRecover {
			may = append(may, r.Pos)
		}
		f.Recovers, f.MayRecover = lines(m, recovers), lines(m, may)
		if !u.Known {
			f.PanicWhy = u.Why
		}
		return "panic", "panic", f
	}
	return "", "", nil
}

// chanFacts gathers c's facts for a hover on op (nil for none).
func chanFacts(m *model.File, f *facts, c *model.Chan, op *model.ChanOp) {
	if c == nil {
		return
	}
	f.Chan, f.Elem = c, c.Elem
	if v := m.NilField(c); v != nil {
		f.NilField = v.Name()
	}
	if f.ChanName == "" {
		f.ChanName = c.Name
	}
	f.DirWord = map[model.ChanDir]string{model.Bidirectional: "chan ", model.SendOnly: "chan<- ", model.RecvOnly: "<-chan "}[c.Dir]
	f.Cap, f.CapKnown = c.Capacity()
	if len(c.Makes) > 0 {
		f.MadeLine = m.Line(c.Makes[0].Pos)
		// The capacity as written is worth naming only when it is not a
		// constant: a constant one would be known.
		if !c.Makes[0].CapKnown {
			f.CapExpr = c.Makes[0].CapExpr
		}
		if len(c.Makes) > 1 {
			// A field or variable made in several places: the first
			// make's capacity is not this one's.
			var ps []token.Pos
			for _, mk := range c.Makes {
				ps = append(ps, mk.Pos)
			}
			f.MadeLines = lines(m, ps)
			f.MadeByName = c.Key.FieldName()
		}
	}
	if pm := m.MadeInPackage(c); pm != nil {
		f.MadeWhere = pm.Where
		f.Cap, f.CapKnown = pm.Capacity, pm.CapKnown
	}
	if c.Decl.IsValid() {
		f.DeclLine = m.Line(c.Decl)
	}
	closeLinesOf(m, f, c, nil, op)
	closedFacts(f, c)
	if op != nil && (op.Kind == model.Recv || op.Kind == model.Range) && (f.CloseLines != "" || f.CloseAfterRange != "") {
		// The closes through calls too (model.File.CallCloseTexts): a
		// close written after the loop is not the one that ends it when
		// `go produce(ch)` closes it first (r20a_double_close).
		f.AlsoClosedVia = strings.Join(m.CallCloseTexts(c), "; also ")
	}
}

// valueHere narrows the channel facts to the value the variable has at
// this operation, when it is reassigned in the function (model.ChanValue).
func valueHere(m *model.File, f *facts, op *model.ChanOp) {
	v := op.At()
	if v == nil {
		return
	}
	f.Cap, f.CapKnown = op.Capacity()
	var ps []token.Pos
	for _, mk := range v.Makes {
		ps = append(ps, mk.Pos)
	}
	f.MadeAt = lines(m, ps)
	f.MadeLine, f.MadeLines, f.MadeByName = 0, "", ""
	if mk := op.MakeAt(); mk != nil {
		f.MadeLine, f.CapExpr = m.Line(mk.Pos), ""
		if !mk.CapKnown {
			f.CapExpr = mk.CapExpr
		}
	}
	// One value golens does not follow (the value the variable had on
	// entry) is not "different channels": the nil a guard keeps out
	// (values_flow.go nilGuarded) no longer counts as a second one.
	f.PathsDisagree = !f.CapKnown && (len(v.Makes) > 1 || v.Other && (len(v.Makes) > 0 || v.Nil))
	// A function literal reading its parent's reassigned variable gets
	// whatever value the variable holds when the literal runs. A variable
	// the literal declares itself is not its parent's: its values are the
	// literal's own assignments (PathsDisagree below).
	f.ReadsLater = op.Func != nil && op.Func.Lit && v.Other && len(v.Makes) == 0 && !declaredIn(op.Chan, op.Func)
	if f.ReadsLater && op.Chan.IsParam && len(op.Chan.Makes) == 0 && len(op.Chan.Assigned) == 0 && len(op.Chan.NilSets) > 0 {
		// A parameter of the enclosing function that only this literal
		// sets, to nil (a = nil to turn off a select case): not
		// "assigned more than once in the enclosing function".
		inside := true
		for _, p := range op.Chan.NilSets {
			inside = inside && p >= op.Func.Pos && p < op.Func.End
		}
		if inside {
			f.ReadsLater, f.ParamNilInLit = false, lines(m, op.Chan.NilSets)
		}
	}
	f.MaybeNil = v.Nil && (len(v.Makes) > 0 || v.Other)
	f.NilHere = v.Nil && len(v.Makes) == 0 && !v.Other
	f.NilDecl, f.NilSetAt = v.NilDecl, lines(m, v.NilSet)
}

// declaredIn reports whether channel variable c is declared inside
// function fn (its own local or parameter, not a variable it captures).
func declaredIn(c *model.Chan, fn *model.Func) bool {
	return c != nil && c.Decl.IsValid() && fn.Pos <= c.Decl && c.Decl < fn.End
}

func selectFacts(m *model.File, f *facts, s *model.Select) {
	f.NCases, f.HasDefault, f.InLoop = len(s.Cases), s.Default != nil, s.InLoop
	f.MaySpin = s.Default != nil && s.MaySpin(m)
	f.LoopWaits = s.Default != nil && !f.MaySpin && s.WaitsElsewhereInLoop(m)
	// A default that leaves the loop decides what the loop does when no
	// case is ready, whatever kind of loop it is and whatever else its
	// body waits on: that pass is the last.
	if l, ok := s.DefaultLeaves(m); ok {
		f.DefaultLeavesLine, f.DefaultLeavesHow, f.DefaultLeavesCall = m.Line(l.Pos), l.How, l.Call
	}
	if s.Default != nil && s.InLoop && !f.MaySpin {
		if p := s.DefaultWaits(m); p.IsValid() {
			f.DefaultWaitsLine = m.Line(p)
			// A channel operation, a Lock or a Wait can wait; whether
			// it does depends on the partner, which the model may not
			// know (a send on a buffered channel never does).
			for _, t := range m.TimeCalls {
				if t.Pos == p && t.Name == "Sleep" {
					f.DefaultSleeps = true
				}
			}
		}
	}
	if s.Default != nil {
		f.NCases--
	}
	var touts, cancels, never, timers, delays, held []string
	for _, c := range s.Cases {
		if c.Timeout == "" {
			continue
		}
		text := fmt.Sprintf("case %d `%s`", c.Index, c.Timeout)
		switch {
		case s.Default != nil && !c.IsCtxDone():
			// A select with a default does not wait: its timer case is
			// a check whether the timer has fired, not a timeout.
			timers = append(timers, text)
			if c.TimerC {
				f.TimersStale, f.TimersStaleMaybe = staleTimers(m)
			}
		case c.Delay():
			// A timer beside only other timers and Done cases: the wait
			// it ends is the one the select exists for (a backoff).
			delays = append(delays, text)
			f.NDelays++
			if s.InLoop && afterCall(m, c) != nil {
				f.LoopDelay = true
			}
			continue
		case c.IsCtxDone() && c.Op != nil && c.Op.CtxHeld() != nil:
			held = append(held, text)
		case !c.IsCtxDone() || ctxOriginOf(c) == model.CtxDeadline:
			// A timer, or a context with a deadline on every path golens sees.
			touts = append(touts, text)
		case ctxOriginOf(c) == model.CtxNever:
			never = append(never, text)
		default:
			cancels = append(cancels, text)
		}
		if s.InLoop && afterCall(m, c) != nil {
			f.LoopTimer = true
		}
	}
	f.Timeouts = strings.Join(touts, ", ")
	f.Cancels = strings.Join(cancels, ", ")
	f.NeverCases = strings.Join(never, ", ")
	f.HeldCases = strings.Join(held, ", ")
	f.Timers = strings.Join(timers, ", ")
	f.Delays = strings.Join(delays, ", ")
}

// staleTimers says whether a timer's channel can hold a value sent
// before a Stop or Reset (asynchronous timers, model.File.Timers): the
// rule that decides it when it can, maybe when golens does not know which
// timers apply.
func staleTimers(m *model.File) (rule string, maybe bool) {
	sync, async, r := m.Timers()
	if async {
		return r, false
	}
	return "", !sync
}

// afterCall is the model's time.After call that a select case receives
// from (`case <-time.After(d)`, under whatever name the file imports the
// time package), nil for any other case. The inlay hint of the select
// reads the same TimeCall.
func afterCall(m *model.File, c *model.SelectCase) *model.TimeCall {
	if c.Op == nil {
		return nil
	}
	u, ok := c.Op.Node.(*ast.UnaryExpr)
	if !ok {
		return nil
	}
	for _, tc := range m.TimeCalls {
		if tc.Case == c && tc.Name == "After" && tc.Call == ast.Unparen(u.X) {
			return tc
		}
	}
	return nil
}

// ctxHeldFacts fills the CtxHeld facts of a ctx.Done() receive.
func ctxHeldFacts(m *model.File, f *facts, op *model.ChanOp) {
	h := op.CtxHeld()
	if h == nil {
		return
	}
	f.CtxHeldFunc, f.CtxHeldCaller, f.CtxHeldLine = funcName(op.Func), h.Caller, m.Line(h.Defer)
	f.CtxHeldMore, f.CtxHeldInFile = h.Callers > 1, m.Info == nil
}

func ctxOriginOf(c *model.SelectCase) model.CtxOrigin {
	o, _ := c.Ctx()
	return o
}

// ctxFacts says where a ctx.Done() receive's context comes from
// (model.CtxOrigin).
func ctxFacts(m *model.File, f *facts, o model.CtxOrigin, from *model.ContextCall) {
	f.CtxOrigin = o.String()
	if from != nil {
		f.CtxFromName, f.CtxFromLine = "context."+from.Name, m.Line(from.Pos)
		f.CancelName = from.CancelName
	}
}

func deferFacts(m *model.File, f *facts, d *model.Defer) {
	f.Index, f.Total = d.Index, len(d.Func.Defers)
	f.Order = orderOf(m, d, d.Order())
	if by, after := d.FatalUnlock(m); by != nil && f.Order != nil {
		// The per-exit list would give a run position on the paths where
		// the call never runs.
		f.Order.FatalBy, f.Order.FatalLine, f.Order.FatalAfterLine = by.Call, m.Line(by.Pos), m.Line(after.Pos)
		f.Order.Exits = nil
	}
	if o := d.Order(); !o.Known {
		f.OrderUnknown = o.Why
	}
	f.OnceFlag, f.OnceCond = d.Order().Once, d.Order().OnceCond
	if d.NilReceiver != "" {
		f.NilReceiver, f.Order = d.NilReceiver, nil
		if sel, ok := ast.Unparen(d.Node.Call.Fun).(*ast.SelectorExpr); ok {
			f.NilMethod = sel.Sel.Name
		}
	}
	f.FuncName, f.Conditional, f.InLoop, f.Closure = funcName(d.Func), d.Conditional, d.InLoop, d.Closure
	f.Captures, f.Receiver, f.Callee = d.Captures, d.Receiver, d.Callee
	f.CapturesWritten, f.SetsResults = len(d.CapturesWritten) > 0, d.SetsResults
	if fixed := m.FixedCaptures(d); len(fixed) > 0 {
		f.FixedCaptures, f.Version = fixed, versionOf(m)
		for _, c := range d.Captures {
			if !slices.Contains(fixed, c) {
				f.LaterCaptures = append(f.LaterCaptures, c)
			}
		}
	} else {
		f.LaterCaptures = d.Captures
	}
	if f.LoopAddrs = d.LoopAddrs; len(f.LoopAddrs) > 0 {
		f.Version = versionOf(m)
	}
	var args, notes []string
	for _, a := range d.Args {
		s := "`" + a.Expr + "`"
		if a.Value != "" && a.Value != a.Expr {
			s = "`" + a.Expr + "` = " + a.Value
		}
		args = append(args, s)
		// Only the writes that can run after this defer (the model's
		// WritesAfter, which the hint and the deferargs check read too):
		// not one in a branch the defer's path skips, nor dead code.
		if later := m.WritesAfter(d, a.ReassignedAt); len(later) > 0 {
			// A variable written thousands of times after the defer
			// would make a note thousands of lines long: name the first
			// few writes and count the rest.
			at := lines(m, later)
			if n := len(later); n > maxShownWrites {
				var ls []string
				for _, p := range later[:maxShownWrites] {
					ls = append(ls, strconv.Itoa(m.Line(p)))
				}
				at = fmt.Sprintf("lines %s and %d more", strings.Join(ls, ", "), n-maxShownWrites)
			}
			note := fmt.Sprintf("`%s` is assigned again at %s; the deferred call still sees the value it has now", a.Expr, at)
			if a.Value != "" && a.Value != a.Expr {
				note += " (" + a.Value + ")"
			}
			notes = append(notes, note+".")
		}
		f.Args = append(f.Args, a.Expr)
	}
	f.ArgText = strings.Join(args, ", ")
	f.Reassigned = strings.Join(notes, " ")
	if later := m.WritesAfter(d, d.CalleeWrites); len(later) > 0 && d.Receiver == "" {
		f.CalleeWrites, f.StmtLine = shownWrites(m, later), m.Line(d.Pos)
	}
}

// shownWrites is "line 12", "lines 12 and 15", or the first few lines and
// a count of the rest.
func shownWrites(m *model.File, ws []token.Pos) string {
	if n := len(ws); n > maxShownWrites {
		var ls []string
		for _, p := range ws[:maxShownWrites] {
			ls = append(ls, strconv.Itoa(m.Line(p)))
		}
		return fmt.Sprintf("lines %s and %d more", strings.Join(ls, ", "), n-maxShownWrites)
	}
	return lines(m, ws)
}

// lockLeakFacts is one early exit that leaves a lock held
// (model.LockLeak.Leaked): the same leak lockleak reports.
type lockLeakFacts struct {
	Via              string // "return", "break", "continue", "body-end"
	Line             int    // the return, break, continue, or the body's closing brace
	LockLine         int
	Unlock           string // "Unlock", "RUnlock"
	SkipLine         int    // the release this path skips
	RelockLine       int    // continue, body-end: the Lock of the next iteration
	Read, FuncReturn bool
}

// relockCallFacts is a call that locks the held mutex again
// (model.RelockCall): "`s.log()` at line 14", "log → size", "line 10 of
// log.go".
type relockCallFacts struct {
	Call, Chain, LockAt string
	Line                int
}

// loopDeferFacts: a lock held into the next pass of its loop, whose only
// release on the way is deferred (model.LockLeak.Deferred).
type loopDeferFacts struct {
	Via        string // "continue", "body-end"
	Line       int    // the continue, or the loop body's closing brace
	RelockLine int    // the Lock the next pass blocks in
	Self       bool   // that Lock is this one
	// ReadOnRead: a read lock held, and that call is an RLock too: it
	// blocks only once a writer waits.
	ReadOnRead bool
	DeferLine  int
	DeferCall  string // the deferred call as written
	Proven     bool
	Why        string
}

type relockFacts struct {
	Line       int    // the Lock holding it
	HeldMethod string // "Lock", "RLock"
	Proven     bool
	Why        string
}

func leakFacts(m *model.File, l *model.LockOp, lk model.LockLeak) lockLeakFacts {
	rel, _ := model.ReleaseOf(l.Kind)
	x := lockLeakFacts{Via: lk.Via.String(), Line: m.Line(lk.At), LockLine: m.Line(l.Pos), Unlock: rel.String(),
		Read: l.Kind == model.RLock}
	if lk.Skips != nil {
		x.SkipLine = m.Line(lk.Skips.Pos)
	}
	if lk.Relock != nil {
		x.RelockLine = m.Line(lk.Relock.Pos)
	}
	return x
}

// lockFlowFacts reads the model's pairing of a Lock with its unlocks by
// flow (model.LockFlow), or of an Unlock with the locks it releases.
func lockFlowFacts(m *model.File, f *facts, l *model.LockOp) {
	if l.Kind == model.Unlock && !l.Deferred {
		// Released already on some path: by an Unlock, or a call that
		// unlocks (model.LockOp.UnlockedBefore).
		var by []string
		for _, o := range l.UnlockedBefore() {
			what := "the `Unlock` at line " + strconv.Itoa(m.Line(o.Pos))
			if o.Through != "" && o.Call != nil {
				what = "`" + m.Text(o.Call.Pos(), o.Call.End()) + "` at line " + strconv.Itoa(m.Line(o.Call.Pos())) + ", which unlocks it"
			}
			by = append(by, what)
		}
		f.UnlockedFirst = strings.Join(by, " or ")
	}
	if l.Kind == model.Unlock && l.Deferred {
		if rs := l.ReleasedBefore(); len(rs) > 0 {
			var ps []token.Pos
			for _, o := range rs {
				if !slices.Contains(ps, o.Pos) {
					ps = append(ps, o.Pos)
				}
			}
			f.TwiceFirst = lines(m, ps)
		}
	}
	if l.Kind == model.Unlock || l.Kind == model.RUnlock {
		if ws := l.WrongKind(); len(ws) > 0 {
			var ps []token.Pos
			for _, o := range ws {
				ps = append(ps, o.Pos)
			}
			what := "read lock"
			if ws[0].Kind == model.Lock {
				what = "write lock"
			}
			f.WrongOf = fmt.Sprintf("the %s taken at %s (`%s`)", what, lines(m, ps), ws[0].Kind)
			f.WrongOnly = len(l.Pairs()) == 0
		}
	}
	if pairs := l.Pairs(); len(pairs) > 0 {
		var ps []token.Pos
		for _, o := range pairs {
			ps = append(ps, o.Pos)
			// The early exits of that lock that skip this release.
			if lf := o.Flow(); lf != nil && lf.Known && !l.Deferred {
				for _, lk := range lf.Leaks {
					if lk.Leaked() && lk.Skips == l {
						f.SkippedBy = append(f.SkippedBy, leakFacts(m, o, lk))
					}
				}
			}
		}
		f.PairLines = lines(m, ps)
	}
	if un := l.ReleasesUnnamed(); len(un) > 0 {
		// Past an assignment to the mutex's root golens does not follow,
		// it releases a lock golens does not name: naming the others
		// alone would say they are all it releases.
		f.PairLines, f.UnnamedAt = "", lines(m, un)
		if id := model.RootIdent(l.Call.Fun); id != nil {
			f.UnnamedVar = id.Name
		}
	}
	lf := l.Flow()
	if lf != nil && !lf.Known {
		f.LockUnknown = lf.Why
	}
	if lf == nil || !lf.Known {
		return
	}
	f.Released = lf.Released.String()
	if calls, rel := m.PanicSkips(l); len(calls) > 0 {
		f.PanicCall, f.PanicLine, f.PanicRelease = m.Text(calls[0].Pos(), calls[0].End()), m.Line(calls[0].Pos()), m.Line(rel.Pos)
	}
	if len(lf.Twice) > 0 {
		var first, deferred []token.Pos
		for _, t := range lf.Twice {
			if !slices.Contains(first, t[0].Pos) {
				first = append(first, t[0].Pos)
			}
			if !slices.Contains(deferred, t[1].Pos) {
				deferred = append(deferred, t[1].Pos)
			}
		}
		f.TwiceFirst, f.TwiceDeferred = lines(m, first), lines(m, deferred)
	}
	if len(lf.WrongKind) > 0 {
		var ps []token.Pos
		for _, u := range lf.WrongKind {
			ps = append(ps, u.Pos)
		}
		f.WrongKind, f.WrongMethod = lines(m, ps), lf.WrongKind[0].Kind.String()
	}
	if lf.Rebound.IsValid() {
		f.ReboundLine = m.Line(lf.Rebound)
		if id := model.RootIdent(l.Call.Fun); id != nil {
			f.ReboundVar = id.Name
		}
	}
	var direct, moreDeferred []token.Pos
	var through []string
	for _, u := range lf.Releases {
		if u.Deferred || u.Func != l.Func {
			if f.UnlockDeferred != 0 && m.Line(u.Pos) != f.UnlockDeferred {
				// Another deferred release (one per branch): each runs
				// only on the paths that deferred it.
				moreDeferred = append(moreDeferred, u.Pos)
			}
			if f.UnlockDeferred == 0 {
				f.UnlockDeferred = m.Line(u.Pos)
				if u.Through != "" {
					f.UnlockDeferredCall = m.Text(u.Call.Pos(), u.Call.End())
					f.UnlockDeferredThrough = u.Through
				}
			}
		} else {
			direct = append(direct, u.Pos)
			if u.Through != "" {
				through = append(through, fmt.Sprintf("`%s`, %s", m.Text(u.Call.Pos(), u.Call.End()), u.Through))
			}
		}
	}
	f.UnlockLines = lines(m, direct)
	f.UnlockDeferredMore = lines(m, moreDeferred)
	f.UnlockThrough = strings.Join(through, "; ")
	var leaks []token.Pos
	for _, lk := range lf.Leaks {
		if e := lk.Exit; e != nil {
			if e.Kind == model.ExitEnd {
				f.LeakEnd = true
			} else if !slices.Contains(leaks, e.Pos) {
				leaks = append(leaks, e.Pos)
			}
		}
		if lk.Leaked() {
			f.LockLeaks = append(f.LockLeaks, leakFacts(m, l, lk))
		}
	}
	slices.Sort(leaks)
	f.LeakLines = lines(m, leaks)
	for _, rc := range l.RelockCalls() {
		f.RelockCalls = append(f.RelockCalls, relockCallFacts{Call: m.Text(rc.Call.Pos(), rc.Call.End()), Line: m.Line(rc.Call.Pos()),
			Chain: strings.Join(rc.Chain, " → "), LockAt: rc.LockAt})
	}
	if lk := lf.DeferredIntoNextPass(); lk != nil {
		d := lk.Deferred
		f.LoopDefer = &loopDeferFacts{Via: lk.Via.String(), Line: m.Line(lk.At), RelockLine: m.Line(lk.Relock.Pos), Self: lk.Relock == l,
			ReadOnRead: l.Kind == model.RLock && lk.Relock.Kind == model.RLock,
			DeferLine:  m.Line(d.Pos), DeferCall: m.Text(d.Call.Pos(), d.Call.End()), Proven: lk.Certainty == model.Proven, Why: lk.Why}
	}
	if r := lf.Relock; r != nil {
		f.Relock = &relockFacts{Line: m.Line(r.Held.Pos), HeldMethod: r.Held.Kind.String(), Proven: r.Certainty == model.Proven, Why: r.Why}
	}
	if len(lf.Unsure) > 0 {
		c := lf.Unsure[0]
		f.Unsure = fmt.Sprintf("`%s()` at line %d", c.Callee, m.Line(c.Pos))
		f.UnsureUnseen = c.Unseen
	}
	var elsewhere []token.Pos
	var started []string
	for _, g := range lf.Started {
		x := fmt.Sprintf("the one started at line %d", m.Line(g.Go))
		if g.Call != "" {
			x += fmt.Sprintf(" (`%s`", g.Call)
			if g.UnlockAt != "" {
				x += ", which unlocks it at " + g.UnlockAt
			}
			x += ")"
		} else if g.Unlock.IsValid() {
			x += fmt.Sprintf(" (its `%s` at line %d)", f.UnlockName, m.Line(g.Unlock))
		}
		started = append(started, x)
	}
	f.StartedRelease = strings.Join(started, "; ")
outer:
	for _, o := range lf.Elsewhere {
		for _, g := range lf.Started {
			if g.Unlock == o.Pos {
				continue outer // said by StartedRelease
			}
		}
		elsewhere = append(elsewhere, o.Pos)
	}
	f.ElsewhereLines = lines(m, elsewhere)
}

// orderFacts is a defer's run order as the model worked it out per path
// (model.DeferOrder, which the inlay hints read too).
type orderFacts struct {
	// Endless: the line of a loop after the defer that never ends
	// (model.Defer.EndlessAfter): the call never runs.
	Endless    int
	Registered string // "all", "some", "no"
	Lo, Hi     int
	Open, Many bool
	SkippedBy  string // an os.Exit / log.Fatal call that ends the function without running it
	// SwapVar, SwapAt: a variable bound to os.Exit whose call skips it,
	// and the test file line that assigns it (model.File.ExitTestSwap):
	// under go test the call may return and this one run.
	SwapVar, SwapAt string
	Exits           []exitFacts
	// EndedBy is a deferred call that ends the program and runs before
	// this one (model.DeferOrder.EndedBy), as written, with its line;
	// EndedAll when it does on every path.
	EndedBy   string
	EndedLine int
	EndedAll  bool
	// MayEndBy is a deferred call that runs before this one and can end
	// the program on some of its paths (model.DeferOrder.MayEndBy), as
	// written, with its line.
	MayEndBy   string
	MayEndLine int
	// FatalBy is a deferred Unlock that runs before this one and, on the
	// paths through the explicit Unlock at FatalAfterLine, unlocks the
	// mutex a second time: a fatal error (model.Defer.FatalUnlock).
	FatalBy        string
	FatalLine      int
	FatalAfterLine int
	// MayExits are calls after it of a variable bound to os.Exit or
	// log.Fatal* whose binding golens does not prove
	// (model.File.UnprovenExitsAfter).
	MayExits []mayExit
	// Goexit lists the calls of runtime.Goexit (or t.Fatal and its
	// family) where the call runs, "`runtime.Goexit()` at line 20", when
	// the function ends only there (GoexitOnly, model.DeferOrder.RunsAtGoexit):
	// the call runs at the Goexit, not when the function returns — it
	// does not return.
	Goexit     string
	GoexitOnly bool
	// GoexitMain: the function is the program's main: after its deferred
	// calls, the program goes on without it.
	GoexitMain bool
	// Helpers are later calls of this file's functions that end the
	// program on some of their paths (model.File.ExitHelpersAfter).
	Helpers []exitHelper
}

// exitHelper is one call of a function that may end the program.
type exitHelper struct {
	Call, Exit     string
	Line, ExitLine int
}

// goexitCallee reports whether an exit's callee is runtime.Goexit itself
// or a method of testing's FailNow family (t.Fatal, t.SkipNow), which the
// reader knows; a helper of the file that ends in one is named with it.
func goexitCallee(callee string) bool {
	if callee == "runtime.Goexit" {
		return true
	}
	_, name, ok := strings.Cut(callee, ".")
	if !ok || strings.Contains(name, ".") {
		return false
	}
	switch name {
	case "Fatal", "Fatalf", "FailNow", "Skip", "Skipf", "SkipNow":
		return true
	}
	return false
}

// mayExit is one call of an exit variable golens does not prove bound.
type mayExit struct {
	Call, Var, Bound, Why string
	Line, DeclLine        int
}

type exitFacts struct {
	Line       int
	Kind, Call string
	// Exit, ExitLine (Kind "mayexit", a helper call): the call that ends
	// the program, where.
	Exit       string
	ExitLine   int
	Registered string
	Lo, Hi     int
	Open       bool
}

// cancelEnd is what ends the program before a deferred cancel runs.
type cancelEnd struct {
	Call     string // "os.Exit(0)", as written
	Line     int    // the defer that calls it
	All, May bool
}

func orderOf(m *model.File, d *model.Defer, o model.DeferOrder) *orderFacts {
	if !o.Known {
		return nil
	}
	of := &orderFacts{Registered: o.Registered.String(), Lo: o.Lo, Hi: o.Hi, Open: o.Open, Many: o.Many}
	if d.EndlessAfter.IsValid() && o.Registered != model.No {
		of.Endless = m.Line(d.EndlessAfter) // with No, the flow already says no path returns
	}
	for _, u := range m.UnprovenExitsAfter(d) {
		of.MayExits = append(of.MayExits, mayExit{Call: u.Call, Line: m.Line(u.Pos), Var: u.Var.Name, Bound: u.Var.Bound, DeclLine: m.Line(u.Var.Decl), Why: u.Var.Why})
	}
	if sk := o.Skipping(); len(sk) > 0 {
		of.SkippedBy = sk[0].Call
		for _, e := range sk {
			if of.SwapVar, of.SwapAt = m.ExitTestSwap(e); of.SwapAt != "" {
				break
			}
		}
	}
	if e := o.EndedBy; e != nil {
		of.EndedBy, of.EndedLine, of.EndedAll = o.EndedCall, m.Line(e.Pos), o.EndedByAll
	}
	if e := o.MayEndBy; e != nil {
		of.MayEndBy, of.MayEndLine = o.MayEndCall, m.Line(e.Pos)
	}
	if gx, only := o.RunsAtGoexit(); only {
		var calls []string
		for _, e := range gx {
			c := fmt.Sprintf("`%s` at line %d", e.Call, m.Line(e.Pos))
			if !goexitCallee(e.Callee()) {
				c += " (it ends the goroutine through `runtime.Goexit`)"
			}
			calls = append(calls, c)
		}
		of.Goexit, of.GoexitOnly = strings.Join(calls, " or "), only
		of.GoexitMain = d.Func != nil && d.Func.Name == "main" && !d.Func.Lit && m.AST != nil && m.AST.Name.Name == "main"
	}
	for _, h := range m.ExitHelpersAfter(d) {
		of.Helpers = append(of.Helpers, exitHelper{Call: h.Call, Line: m.Line(h.Pos), Exit: h.Exit, ExitLine: m.Line(h.ExitPos)})
	}
	if len(o.Exits) > 1 || of.SkippedBy != "" || len(of.Helpers) > 0 {
		for _, e := range o.Exits {
			of.Exits = append(of.Exits, exitFacts{Line: m.Line(e.Exit.Pos), Kind: e.Exit.Kind.String(), Call: e.Exit.Call,
				Registered: e.Registered.String(), Lo: e.Lo, Hi: e.Hi, Open: e.Open})
		}
		// A helper that ends the program on some paths is one more way
		// out, in line order among the others.
		for _, h := range of.Helpers {
			of.Exits = append(of.Exits, exitFacts{Line: h.Line, Kind: "mayexit", Call: h.Call, Exit: h.Exit, ExitLine: h.ExitLine, Registered: "all"})
		}
		sort.SliceStable(of.Exits, func(i, j int) bool {
			if of.Exits[i].Kind == "end" || of.Exits[j].Kind == "end" {
				return of.Exits[j].Kind == "end" && of.Exits[i].Kind != "end"
			}
			return of.Exits[i].Line < of.Exits[j].Line
		})
	}
	return of
}

func goFacts(m *model.File, f *facts, g *model.Goroutine) {
	f.Call, f.Args, f.FuncName = g.Call, g.Args, funcName(g.Func)
	// What main's end means for the goroutine is the model's decision
	// (File.StarterOf), which the goroutine hint's tooltip words too.
	st := m.StarterOf(g)
	f.IsMain = st != model.StarterOther
	if f.IsMain {
		mainGoexit(m, f, g.Func)
		f.MainNeverEnds, f.MainGoexitAll = st == model.StarterMainNeverEnds, st == model.StarterMainGoexit
	}
	for _, c := range g.Captures {
		f.Captures = append(f.Captures, c.Name)
		if c.Written {
			f.Written = append(f.Written, c.Name)
		}
		if c.IsLoop {
			f.LoopCaptures = append(f.LoopCaptures, c.Name)
			f.Version = versionOf(m)
		}
	}
	if b := m.StartBlocked(g); b != nil {
		f.StartBlockedLine, f.StartBlockedChan, f.StartBlockedRecv, f.StartBlockedMade = m.Line(b.Node.Pos()), b.Chan.Name, b.Recv, m.Line(b.Make.Pos())
	} else if c := m.StartCondWait(g); c != nil {
		f.StartCondCall, f.StartCondLine, f.StartCondWhere = c.Call, m.Line(c.At), c.Where
	}
	// The model's GoWait, which the goroutine hint's tooltip reads too.
	w := g.Wait()
	if w.By != "" {
		f.WaitedBy, f.WaitLine, f.MayGiveUp, f.WaitThen = w.By, m.Line(w.Pos), w.GiveUp, w.Then
		f.WaitThrough, f.WaitEnd = w.Through, w.End
		if wg, ok := strings.CutSuffix(w.By, ".Wait()"); ok {
			defers, done := m.AfterDone(g, wg)
			for _, d := range defers {
				f.AfterDone = append(f.AfterDone, fmt.Sprintf("`%s` (line %d)", d.Call, m.Line(d.Pos)))
			}
			f.DoneCall = wg + ".Done()"
			if done != "" {
				f.DoneCall = done
			}
		}
		if e := m.GoEndsProgram(g); e != nil {
			f.GoExitBy, f.GoExitLine = e.Call, m.Line(e.Pos)
		}
		if r := m.WaitUnreached(g); r != nil {
			f.WaitUnreached = m.Line(r.Pos)
		} else if e := m.WaitEndedFirst(g); e != nil {
			f.WaitEndedBy, f.WaitEndedLine, f.WaitEndedGoexit = e.Call, m.Line(e.Pos), e.Kind == model.ExitGoexit
		} else if p := m.WaitPanicsFirst(g); p != nil {
			f.WaitPanicLine, f.WaitPanicChan, f.WaitPanicClosed = m.Line(p.Send.Pos), p.Send.ChanExpr, m.Line(p.Closed.Pos)
		} else {
			if d := m.WaitNeverReturns(g); d != nil {
				f.NeverSendLine, f.NeverChan, f.NeverDrainLine = m.Line(d.Send.Pos), d.Chan.Name, m.Line(d.Drain.Pos)
			} else if st := m.GoStuck(g); st != nil && st.Recv != nil {
				f.StuckRecvLine, f.StuckChan, f.StuckClosed = m.Line(st.Recv.Pos), st.Recv.ChanExpr, lineOrZero(m, st.Closed)
			} else if st != nil {
				f.StuckLine, f.StuckChan, f.StuckPanics, f.StuckByRange = m.Line(st.Send.Pos), st.Send.ChanExpr, st.Panics, st.ByRange
				f.StuckClosed, f.StuckDrain = lineOrZero(m, st.Closed), lineOrZero(m, st.Drain)
				if st.Nth > 0 {
					f.StuckNth, f.StuckRecvLines, f.StuckRecvN, f.StuckCap = st.Nth, lines(m, st.Recvs), len(st.Recvs), st.Cap
				}
			} else if st := m.GoMayStick(g); st != nil {
				f.Stick = m.MayStickTextOf(st, funcName)
			}
			if e := m.WaitSkipped(g); e != nil {
				f.WaitSkipped, f.WaitSkippedKind, f.WaitSkippedCall = m.Line(e.Pos), e.Kind.String(), e.Call
			}
		}
	}
	f.WaitWhy, f.NothingWaits = w.CannotTell(), w.Nothing()
	if o := w.InOtherGo; f.NothingWaits && o != nil && o.InGo != nil {
		f.OtherWaitBy, f.OtherWaitLine, f.OtherGoLine = o.Recv+".Wait()", m.Line(o.Pos), m.Line(o.InGo.Pos)
		if w.InOtherGoDoneSome.IsValid() {
			f.OtherDoneCall, f.OtherDoneLine = o.Recv+".Done()", m.Line(w.InOtherGoDoneSome)
		}
	} else if o := m.SiblingWait(g); f.NothingWaits && o != nil {
		f.MayWaitBy, f.MayWaitLine, f.MayWaitGo = o.Recv+".Wait()", m.Line(o.Pos), m.Line(o.InGo.Pos)
	}
	f.Receiver, f.FuncValue = g.Receiver, g.FuncValue
	if len(g.CalleeWrites) > 0 && g.Receiver == "" {
		// go f() with f a variable assigned again later: the statement
		// has read f already.
		if f.FuncValue == "" {
			f.FuncValue = g.Callee
		}
		f.CalleeWrites, f.StmtLine = shownWrites(m, g.CalleeWrites), m.Line(g.Pos)
	}
	if f.LoopAddrs = g.LoopAddrs; len(f.LoopAddrs) > 0 {
		f.Version = versionOf(m)
	}
}

// funcName names a function for a reader: a literal is named after the
// function it appears in.
func funcName(fn *model.Func) string {
	if fn == nil {
		return "?"
	}
	if fn.Lit {
		if fn.Parent != nil {
			return "the func literal in " + funcName(fn.Parent)
		}
		return "the func literal"
	}
	return "`" + fn.Name + "`"
}

// durationOf is a time call's constant duration, as the model evaluated it
// (TimeCall.Value, which the inlay hints read too).
// durationOf is the duration a time call was given, when the model
// evaluates it and it is positive; "" otherwise (a zero or negative
// duration fires at once: "after -1s" would mislead).
func durationOf(t *model.TimeCall) string {
	if nonPositive(t.Value) {
		return ""
	}
	return t.Value
}

// closeLinesOf names the lines that close c, apart from deferred closes
// that never run (the model's SkippedBy), which it names separately. For
// the channel one make of c's variable makes (mk; nil for any), a close
// that the model proves uses another make's channel (the variable was
// reassigned, op.MayUse) is left out; for a hover on the operation at
// (nil for none), a close of the same field of another value
// (CloseOfOtherValue: close(a.quit) said of b.quit) is left out, and so is
// one of another value than the one the make is stored in
// (MakeOfOtherValue: close(fast.ready) said of slow's make).
func closeLinesOf(m *model.File, f *facts, c *model.Chan, mk *model.MakeSite, at *model.ChanOp) {
	// A range's closes written after it in its own goroutine cannot end
	// it (model.File.ClosesAfterRange): said apart, not as closes of the
	// loop.
	var afterRange []*model.ChanOp
	if at != nil && at.Kind == model.Range {
		var only bool
		if afterRange, only = m.ClosesAfterRange(at); len(afterRange) > 0 {
			f.CloseAfterRange, f.CloseAfterRangeOnly, f.FuncName = lines(m, opPositions(afterRange)), only, funcName(at.Func)
		}
	}
	keep := func(ops []*model.ChanOp) []*model.ChanOp {
		if (mk == nil || len(c.Makes) < 2) && (at == nil || !c.IsField) && len(afterRange) == 0 {
			return ops
		}
		var out []*model.ChanOp
		for _, op := range ops {
			if slices.Contains(afterRange, op) {
				continue
			}
			if mk != nil && len(c.Makes) >= 2 && !op.MayUse(mk) {
				continue
			}
			if mk != nil && c.IsField && m.MakeOfOtherValue(mk, op) {
				continue
			}
			if at != nil && c.IsField && m.CloseOfOtherValue(at, op) {
				continue
			}
			out = append(out, op)
		}
		return out
	}
	// A close in a function nothing calls (model.File.UncalledIn) says so
	// beside its line: it never runs unless something golens does not see
	// calls that function.
	uncalled := func(ops []*model.ChanOp) string {
		if u := m.UncalledIn(ops); u != "" {
			return " (" + u + ")"
		}
		// A deferred close that an exit of its function skips: on that
		// path the channel is never closed.
		if len(ops) == 1 {
			if x := ops[0].SkippedOnSomePaths(); x != nil {
				return " (run as a deferred call, which `" + x.Call + "` at line " + strconv.Itoa(m.Line(x.Pos)) + " skips: on that path it is never closed)"
			}
			if r := m.AfterOpenRange(ops[0]); r != nil {
				return " (only once the range over `" + r.ChanExpr + "` at line " + strconv.Itoa(m.Line(r.Pos)) + " ends, and golens cannot tell whether `" + r.ChanExpr + "` is ever closed)"
			}
			if t := closeInStuckGo(m, ops[0]); t != "" {
				return " (" + t + ")"
			}
		}
		return ""
	}
	// A close of one fresh value's field (close(fast.gate)) said of a
	// receive through another variable (<-o.gate), where the field is
	// made for several values: it closes this channel only when o holds
	// that value (model.File.CloseOfOneValue).
	var oneValue []string
	if every := keep(c.EveryPathCloses()); len(every) > 0 {
		if at != nil && c.IsField && len(c.Makes) >= 2 {
			sure := every[:0:0]
			for _, op := range every {
				if closed, base, v := m.CloseOfOneValue(at, op); closed != "" {
					oneValue = append(oneValue, "line "+strconv.Itoa(m.Line(op.Pos))+" (it closes `"+closed+"`: only when `"+v+"` holds the same value as `"+base+"`)")
					continue
				}
				sure = append(sure, op)
			}
			every = sure
		}
		if len(every) > 0 {
			f.CloseLines = lines(m, opPositions(every)) + uncalled(every)
			var in *model.Func // the function the annotation is in
			if at != nil {
				in = at.Func
			} else if mk != nil {
				in = m.FuncAt(mk.Pos)
			}
			f.CloseIfCalled = m.CloseIfCalled(every, in)
		}
	}
	defer func() {
		if len(oneValue) > 0 {
			if f.MayCloseLines != "" {
				oneValue = append([]string{f.MayCloseLines}, oneValue...)
			}
			f.MayCloseLines = strings.Join(oneValue, " and ")
		}
	}()
	somePaths, _ := c.SomePathsCloses()
	all := append(append([]*model.ChanOp{}, keep(c.EveryPathCloses())...), keep(somePaths)...)
	if g := m.CloseGuardOf(all); g != nil {
		f.CloseGuardMutex, f.CloseGuardMap = g.Mutex, g.Map
	}
	if some, when := c.SomePathsCloses(); len(keep(some)) > 0 {
		if kept := keep(some); len(kept) < len(some) {
			when = nil // the conditions named were those of all the closes
		}
		f.MayCloseLines = lines(m, opPositions(keep(some))) + uncalled(keep(some)) + " (" + onlyWhen(when) + ")"
		if other := otherCallCloses(m, c, at, keep(some)); other != "" {
			f.MayCloseLines = other
		}
	}
	if sk := keep(c.SkippedCloses()); len(sk) > 0 {
		f.CloseSkipped = lines(m, opPositions(sk))
		f.CloseSkippedBy = "`" + sk[0].SkippedBy() + "`"
	}
	if un := keep(c.UnreachedCloses()); len(un) > 0 {
		f.CloseUnreached = lines(m, opPositions(un))
		f.CloseUnreachedLoop = m.Line(un[0].UnreachedAfter)
		f.CloseUnreachedDeferred = un[0].Deferred && un[0].UnreachedAfter > un[0].Pos
	}
}

// otherCallCloses renders the closes of c that run only on some paths,
// for a receive or range at, when each sits where this call of the
// function holding both never closes before at (model.CloseInOtherCall):
// the close's condition is the closing call's, not this one's, so it is
// not named. "line 38 by another call of `Get` (the one that made it at
// line 32), not by this one: ...". "" when some close can run before at
// in the same call.
func otherCallCloses(m *model.File, c *model.Chan, at *model.ChanOp, some []*model.ChanOp) string {
	if at == nil || at.Kind != model.Recv && at.Kind != model.Range || len(some) == 0 {
		return ""
	}
	fn, made := m.OtherCallCloser(at, some)
	if fn == nil {
		return ""
	}
	by := "another call of " + funcName(fn)
	if made.IsValid() {
		by += " (the one that made it at line " + strconv.Itoa(m.Line(made)) + ")"
	}
	that := "that close's branch"
	if len(some) > 1 {
		that = "the branches of those closes"
	}
	uncalled := ""
	if u := m.UncalledIn(some); u != "" {
		uncalled = " (" + u + ")"
	}
	return lines(m, opPositions(some)) + uncalled + " by " + by + ", not by this one, whose path to this " + at.Kind.String() + " does not take " + that
}

// onlyWhen renders the conditions of closes that run on some paths:
// "only when `ok` holds" for one close whose condition the model names,
// "only on some paths" otherwise.
func onlyWhen(when []string) string {
	if len(when) == 1 && when[0] != "" {
		return "only " + when[0]
	}
	if len(when) > 1 {
		return "each only on some paths"
	}
	return "only on some paths"
}

func opPositions(ops []*model.ChanOp) []token.Pos {
	var out []token.Pos
	for _, op := range ops {
		out = append(out, op.Pos)
	}
	return out
}

// lines renders positions as "line 12", "lines 12 and 15" or
// "lines 12, 15 and 20".
// maxShownWrites is how many later writes of a deferred argument a hover
// names by line.
const maxShownWrites = 5

// lateAdd is one of a Wait's late Adds (facts.LateAdds).
type lateAdd struct{ Line, GoLine int }

// isLate reports whether the Add o is one of late.
func isLate(late []model.LateAdd, o *model.WaitGroupOp) bool {
	for _, l := range late {
		if l.Add == o {
			return true
		}
	}
	return false
}

func lines(m *model.File, ps []token.Pos) string {
	var ls []string
	seen := map[int]bool{}
	for _, p := range ps {
		l := m.Line(p)
		if !seen[l] {
			seen[l] = true
			ls = append(ls, strconv.Itoa(l))
		}
	}
	switch len(ls) {
	case 0:
		return ""
	case 1:
		return "line " + ls[0]
	}
	return "lines " + strings.Join(ls[:len(ls)-1], ", ") + " and " + ls[len(ls)-1]
}

func ordinal(n int) string {
	suffix := "th"
	switch {
	case n%100 >= 11 && n%100 <= 13:
	case n%10 == 1:
		suffix = "st"
	case n%10 == 2:
		suffix = "nd"
	case n%10 == 3:
		suffix = "rd"
	}
	return strconv.Itoa(n) + suffix
}

func backticks(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = "`" + n + "`"
	}
	switch len(q) {
	case 0:
		return ""
	case 1:
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " and " + q[len(q)-1]
}

// PlainText converts hover markdown to plain text for clients that do not
// render markdown. Only a link to a web address is rewritten ("text:
// address"): code that looks like one, such as a generic call
// catch[int](&res), is left as written.
func PlainText(md string) string {
	md = linkRE.ReplaceAllString(md, "$1: $2")
	r := strings.NewReplacer("**", "", "`", "")
	return r.Replace(md)
}

var linkRE = regexp.MustCompile(`\[([^\]]+)\]\((https?://[^)]+)\)`)

// alsoClosedVia names, for a make of c whose closes are written in this
// file (CloseLines), the closes through calls too: "passed to `produce`
// in the go statement at line 12, which closes it (line 16 of
// produce.go)". With a close a call is proven to make before one of
// those (model.File.ClosedFirstByCall), that close's line.
func alsoClosedVia(m *model.File, f *facts, c *model.Chan) {
	if f.CloseLines == "" && f.MayCloseLines == "" {
		return
	}
	via := m.CallCloseTexts(c)
	f.AlsoClosedVia = strings.Join(via, "; also ")
	for _, cl := range c.Closes() {
		if cf := m.ClosedFirstByCall(cl); cf != nil {
			f.ClosedFirstAt = lines(m, []token.Pos{cl.Pos})
			if len(via) == 1 && cf.WaitBy != "" {
				f.ClosedFirstWait = cf.WaitBy + " at line " + strconv.Itoa(m.Line(cf.WaitPos))
			}
			break
		}
	}
}

// closedFacts reads the model's Closed fact for c: a close through a call,
// a proven "nothing closes it", or where the channel escapes.
func closedFacts(f *facts, c *model.Chan) {
	switch {
	case len(c.Closes()) > 0:
	case c.Closed().Certainty == model.Proven && c.Closed().Holds, c.Closed().Certainty == model.Possible:
		f.ClosedVia = c.Closed().Why
	case c.Closed().ProvenFalse():
		f.ClosedNever = true
	default:
		for _, u := range c.Indirect() {
			if u.Effect.Kind == model.EffEscape || u.Effect.Kind == model.EffReturn {
				f.ClosedWhy = c.Closed().Why
				break
			}
		}
		// A channel made here and never reassigned whose close is
		// unknown: golens lost sight of it in the package (its channel
		// class, model/chan_classes_file.go), and says where.
		if f.ClosedWhy == "" && c.Closed().IsUnknown() && c.Local && !c.IsParam && !c.IsField && len(c.Makes) > 0 && len(c.Assigned) == 0 {
			f.ClosedWhy = c.Closed().Why
		}
		// An unknown fact with a reason (the channel came from a value the
		// model does not follow): a range says so, as its inlay hint does,
		// and never "nothing in this file closes it".
		if c.Closed().IsUnknown() {
			f.RangeClosedWhy = c.Closed().Why
		}
	}
}

// mainGoexit reads, from the model's exits of main (File.ExitsOf), whether
// main can end through runtime.Goexit: the program then does not exit when
// main stops, so "when main returns, this goroutine stops wherever it is"
// is not the whole story.
func mainGoexit(m *model.File, f *facts, main *model.Func) {
	exits := m.ExitsOf(main)
	var direct []token.Pos
	var via []string // helpers of the file that end in runtime.Goexit
	n := 0
	for _, e := range exits {
		if e.Kind != model.ExitGoexit {
			continue
		}
		n++
		if e.Callee() == "runtime.Goexit" {
			direct = append(direct, e.Pos)
		} else {
			via = append(via, fmt.Sprintf("`%s` at line %d (it calls `runtime.Goexit`)", e.Call, m.Line(e.Pos)))
		}
	}
	if n == 0 {
		return
	}
	var parts []string
	if len(direct) > 0 {
		parts = append(parts, "`runtime.Goexit` at "+lines(m, direct))
	}
	f.MainGoexit = strings.Join(append(parts, via...), " or ")
}

// lineOrZero is p's line, or 0 for NoPos.
func lineOrZero(m *model.File, p token.Pos) int {
	if !p.IsValid() {
		return 0
	}
	return m.Line(p)
}

// recvStuck fills the facts of a receive that never returns because of a
// goroutine GoStuck proves stuck (or GoMayStick can leave stuck): the
// receive it is stuck on, or the wait for it.
func recvStuck(m *model.File, op *model.ChanOp, f *facts) {
	if g := op.InGo; g != nil {
		if st := m.GoStuck(g); st != nil && st.Recv == op {
			w := g.Wait()
			f.RecvStuckWait, f.RecvStuckWaitLine, f.FuncName = w.By, m.Line(w.Pos), funcName(g.Func)
			return
		}
	}
	for _, g := range m.Goroutines {
		if g.Func != op.Func || g.Pos > op.Pos {
			continue
		}
		if w := g.Wait(); w.Pos != op.Pos {
			continue
		}
		if m.GoStuck(g) != nil {
			f.WaitStuckGo = m.Line(g.Pos)
			return
		}
		if m.GoMayStick(g) != nil {
			f.WaitMayStickGo = m.Line(g.Pos)
		}
	}
}

// closeInStuckGo says, of a close written in a goroutine's literal, that
// the goroutine blocks for good before it (model.File.GoStuck: it never
// runs) or may (model.File.GoMayStick, for a deferred close: it runs only
// if the goroutine finishes). "" otherwise. A goroutine stuck on a send
// that panics still runs its deferred calls, so that case says nothing.
func closeInStuckGo(m *model.File, op *model.ChanOp) string {
	g := op.InGo
	if g == nil || g.Body == nil || op.Func != g.Body {
		return ""
	}
	line := strconv.Itoa(m.Line(g.Pos))
	if st := m.GoStuck(g); st != nil && !st.Panics {
		at := token.NoPos
		if st.Recv != nil {
			at = st.Recv.Pos
		} else if st.Send != nil {
			at = st.Send.Pos
		}
		if at.IsValid() && (op.Deferred || op.Pos > at) {
			return "it never runs: the goroutine started at line " + line + " blocks for good at line " + strconv.Itoa(m.Line(at)) + " first"
		}
	}
	if op.Deferred && m.GoMayStick(g) != nil {
		return "it runs only when the goroutine started at line " + line + " finishes, and something may block that goroutine for good first: its go statement says what"
	}
	return ""
}
