package agreement_test

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/golens/golens/checks/unclosedrange"
	"github.com/golens/golens/checks/unwaited"
	"github.com/golens/golens/model"
)

// syntaxCorpus parses, on the syntax tier, every Go file of the truth
// programs and of the named checks' testdata packages, each labelled
// "truth/<program>/<file>" or "<check>/<package>/<file>".
func syntaxCorpus(t *testing.T, checks ...string) map[string]*model.File {
	t.Helper()
	out := map[string]*model.File{}
	names, err := filepath.Glob(filepath.Join("..", "..", "truth", "testdata", "*.txtar"))
	if err != nil || len(names) == 0 {
		t.Fatalf("no truth programs: %v", err)
	}
	for _, n := range names {
		ar, err := txtar.ParseFile(n)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range ar.Files {
			if strings.HasSuffix(f.Name, ".go") {
				label := "truth/" + strings.TrimSuffix(filepath.Base(n), ".txtar") + "/" + f.Name
				out[label] = model.Parse(label, f.Data)
			}
		}
	}
	for _, c := range checks {
		files, err := filepath.Glob(filepath.Join("..", "..", "checks", c, "testdata", "src", "*", "*.go"))
		if err != nil || len(files) == 0 {
			t.Fatalf("no testdata for %s: %v", c, err)
		}
		for _, f := range files {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			label := c + "/" + filepath.Base(filepath.Dir(f)) + "/" + filepath.Base(f)
			out[label] = model.Parse(label, src)
		}
	}
	return out
}

// sortedKeys returns the labels of a corpus in order.
func sortedKeys(ms map[string]*model.File) []string {
	var ls []string
	for l := range ms {
		ls = append(ls, l)
	}
	sort.Strings(ls)
	return ls
}

// compareListed fails on a disagreement not in listed and on a listed one
// no longer seen.
func compareListed(t *testing.T, got map[string]string, listed map[string]string) {
	t.Helper()
	var keys []string
	for k, why := range got {
		keys = append(keys, k+" ("+why+")")
		if w, ok := listed[k]; !ok {
			t.Errorf("new disagreement: %s (%s)", k, why)
		} else if w != why {
			t.Errorf("%s: listed as %q, now %q", k, w, why)
		}
	}
	for k := range listed {
		if _, ok := got[k]; !ok {
			t.Errorf("listed disagreement no longer seen (remove it): %s", k)
		}
	}
	sort.Strings(keys)
	t.Logf("%d disagreements:\n%s", len(keys), strings.Join(keys, "\n"))
}

// TestRangeNeverEnds: the range hover says the loop never ends exactly
// where the model proves it (File.RangeEnds proven false), and
// unclosedrange reports a range only there. Where the model proves it and
// the check is silent, the check's reason is one of two rules of its own,
// about what is worth reporting, not about whether the loop ends: the
// channel carries an endless stream (File.SentForever: a ticker's or a
// signal's channel, a sender looping forever), or the range is a worker
// goroutine of main, which lives as long as the program. Each such range is
// listed in neverEndsSilent; the test fails on a new one.
func TestRangeNeverEnds(t *testing.T) {
	corpus := syntaxCorpus(t, "unclosedrange")
	got := map[string]string{}
	proven, reported := 0, 0
	for _, label := range sortedKeys(corpus) {
		m := corpus[label]
		found := map[int]bool{}
		for _, d := range unclosedrange.Syntax(m) {
			found[int(d.Pos)] = true
		}
		for _, op := range m.ChanOps {
			rs := rangeStmt(op)
			if op.Kind != model.Range || rs == nil {
				continue
			}
			where := fmt.Sprintf("%s:%d", label, m.Line(op.Pos))
			h := hoverAt(m, m.Offset(op.Pos))
			saysNever := strings.Contains(h, "the loop **never ends**") || strings.Contains(h, "so the loop never ends")
			never := m.RangeEnds(op).ProvenFalse()
			if saysNever != never {
				t.Errorf("%s: the model's RangeEnds proven false = %v, the hover says never ends = %v:\n%s", where, never, saysNever, h)
			}
			isReported := found[int(rs.Pos())]
			if isReported {
				reported++
				if !never {
					t.Errorf("%s: unclosedrange reports a range the model does not prove endless (%v: %s)", where, m.RangeEnds(op).Certainty, m.RangeEnds(op).Why)
				}
			}
			if !never {
				continue
			}
			proven++
			if isReported {
				continue
			}
			switch {
			case op.Chan == nil || op.TimeChan != "" || m.SentForever(op.Chan):
				got[where] = endlessStream
			case op.InGo != nil && op.Func != nil && op.InGo.Func != nil && op.InGo.Func.Name == "main" && !op.InGo.Func.Lit:
				got[where] = mainWorker
			default:
				got[where] = "unexplained"
			}
		}
	}
	t.Logf("%d ranges the model proves endless, %d reported", proven, reported)
	if proven < 10 || reported < 8 {
		t.Errorf("only %d proven and %d reported ranges checked", proven, reported)
	}
	compareListed(t, got, neverEndsSilent)
}

const (
	endlessStream = "an endless stream: the time package's channel, a signal channel or a sender looping forever (File.SentForever)"
	mainWorker    = "a worker goroutine of main, which lives as long as the program"
)

var neverEndsSilent = map[string]string{
	// A run: main sends two values and returns; the worker is still
	// blocked in its range at exit (the truth program's "leaked 5": the go statement's line).
	"truth/close_nowhere_range_leaks/main.go:6":        mainWorker,
	"truth/r18l_progress_leak/main.go:22":              mainWorker,    // "leaked 20": nothing closes progress
	"truth/r7_range_never_closed_leak/main.go:12":      mainWorker,    // "leaked 11": main returns after its sends
	"truth/r21c_logger_outlives/main.go:9":             mainWorker,    // "leaked 8": main returns without closing the log channel
	"truth/r22h_range_noclose/main.go:10":              mainWorker,    // a worker of main that nothing stops: it lives as long as the program
	"truth/r8_never_sent_nor_closed_blocks/main.go:19": mainWorker,    // "leaked 18": nothing sends on jobs; nopartner reports it
	"truth/r11h_range_ended_marker/main.go:22":         mainWorker,    // "leaked 21": main returns after one value
	"truth/r11t_metrics_flusher_alive/main.go:18":      endlessStream, // "alive 42": a ticker flusher main never stops
	"truth/r12e_progress_never_stopped/main.go:14":     endlessStream, // "alive 11": a ticker progress loop with no way out
	"truth/r13b_refillleak/main.go:20":                 endlessStream, // "alive 18": a token refill over a ticker nobody stops
	"truth/r15h_ticker_range_after_stop/main.go:18":    endlessStream, // "leaked 17": Stop does not close the ticker's channel
	"truth/r16v_ticker_range_stop/main.go:28":          endlessStream, // "leaked 48": Stop does not close the ticker's channel, so run's deferred close never runs
	"truth/r18a_refiller_outlives_main/main.go:19":     endlessStream, // "alive 17": a refiller over an hourly ticker main never stops
	"truth/r18j_heartbeat_unread/main.go:12":           endlessStream, // "leaked 20": a heartbeat over a ticker, its sends unread
	"truth/r18d_ticker_stop_leak/main.go:17":           endlessStream, // "leaked 31": Stop does not close the ticker's channel
	"truth/r19e_stop_range_ticker/main.go:17":          endlessStream, // "leaked 15": Stop does not close the ticker's channel
	"truth/r19e_outlive_main/main.go:23":               endlessStream, // "alive 21": a ticker loop main never stops
	"unclosedrange/unclosedrange/unclosedrange.go:214": endlessStream, // ticker: for { ch <- f() }
	"unclosedrange/workermain/main.go:14":              mainWorker,
	"unclosedrange/workermain/main.go:24":              endlessStream, // signal.Notify
}

// TestNothingWaits: the go hover says "Nothing in F waits for it" exactly
// where the model proves it (Goroutine.Waited proven false), and unwaited
// reports a goroutine only there. Where the model proves it and the check
// is silent, the reason is the check's second condition: the function
// must return soon after starting the goroutine, and does not (it blocks
// on a channel, a select or a WaitGroup, defers a call, loops forever, or
// calls something that may block); or, in a test, the goroutine neither
// uses the test's t nor stands behind a time.Sleep. Each is listed in
// nothingWaitsSilent with its reason; the test fails on a new one.
func TestNothingWaits(t *testing.T) {
	corpus := syntaxCorpus(t, "unwaited")
	got := map[string]string{}
	proven, reported := 0, 0
	for _, label := range sortedKeys(corpus) {
		m := corpus[label]
		found := map[int]bool{}
		for _, d := range unwaited.Syntax(m) {
			for _, r := range d.Related {
				found[m.Line(r.Pos)] = true
			}
		}
		for _, g := range m.Goroutines {
			if g.Func == nil || g.Func.Lit || g.Node == nil {
				continue
			}
			isMain := g.Func.Name == "main" && m.AST.Name.Name == "main"
			isTest := strings.HasPrefix(g.Func.Name, "Test") && strings.HasSuffix(label, "_test.go")
			where := fmt.Sprintf("%s:%d", label, m.Line(g.Pos))
			h := hoverAt(m, m.Offset(g.Pos))
			// "itself" when another goroutine it starts waits for it
			// (model.GoWait.InOtherGo): the function still does not.
			saysNothing := strings.Contains(h, "Nothing in "+"`"+g.Func.Name+"` waits for it") ||
				strings.Contains(h, "Nothing in "+"`"+g.Func.Name+"` itself waits for it")
			nothing := g.Waited().ProvenFalse()
			// A go statement its function never gets to (StartBlocked)
			// starts nothing: its hover says that instead.
			if saysNothing != nothing && m.StartBlocked(g) == nil {
				t.Errorf("%s: the model's Waited proven false = %v, the hover says nothing waits = %v:\n%s", where, nothing, saysNothing, h)
			}
			isReported := found[m.Line(g.Pos)]
			if isReported {
				reported++
				if !nothing {
					t.Errorf("%s: unwaited reports a goroutine the model does not prove unwaited (%v: %s)", where, g.Waited().Certainty, g.Waited().Why)
				}
			}
			if !nothing || !isMain && !isTest {
				continue
			}
			proven++
			if !isReported {
				got[where] = silentReason(m, g.Func, isTest)
			}
		}
	}
	t.Logf("%d goroutines of main or a test the model proves unwaited, %d reported", proven, reported)
	if proven < 10 || reported < 5 {
		t.Errorf("only %d proven and %d reported goroutines checked", proven, reported)
	}
	compareListed(t, got, nothingWaitsSilent)
}

// silentReason names why unwaited stays silent about a goroutine of f
// that nothing waits for, from the model's operations in f.
func silentReason(m *model.File, f *model.Func, isTest bool) string {
	for _, op := range m.ChanOps {
		if op.Func == f {
			return blocksOnChannel
		}
	}
	for _, s := range m.Selects {
		if s.Func == f {
			return blocksOnChannel
		}
	}
	for _, w := range m.WaitGroups {
		if w.Func == f {
			return waitsOnWaitGroup
		}
	}
	if len(f.Defers) > 0 {
		return defersCall
	}
	for _, l := range m.Locks {
		if l.Func != f || l.Kind != model.Lock && l.Kind != model.RLock {
			continue
		}
		if fl := l.Flow(); fl != nil && fl.Relock != nil {
			return relocksHeld
		} else if fl != nil {
			for _, lk := range fl.Leaks {
				if lk.Relock != nil {
					return relocksHeld
				}
			}
		}
	}
	if isTest {
		return testPolicy
	}
	return mayNotReturn
}

const (
	blocksOnChannel  = "the function also blocks on a channel or a select: it may not return, or return only when something golens does not follow happens"
	waitsOnWaitGroup = "the function waits on a WaitGroup the goroutine does not signal: it may not return"
	defersCall       = "the function defers a call, which runs as it returns and may block"
	testPolicy       = "a test whose goroutine neither uses its t nor stands behind a time.Sleep: it ends with the test binary"
	mayNotReturn     = "the function may not return soon: it loops forever, polls, or calls something that may block"
	relocksHeld      = "the function locks a mutex it may still hold (its lock flow's Relock, or a loop that comes round to the Lock holding it): it may wait there forever"
)

var nothingWaitsSilent = map[string]string{
	"truth/method_go_value_receiver/main.go:16":                blocksOnChannel, // <-done waits for the other goroutine
	"truth/r8_never_sent_nor_closed_blocks/main.go:18":         blocksOnChannel, // blocks forever in its range ("leaked 18"); nopartner reports it
	"truth/r8_never_sent_nor_closed_blocks/main.go:7":          blocksOnChannel, // blocks forever: nothing sends on ch ("leaked 7"); nopartner reports it
	"truth/r8_unwaited_main_relocks/main.go:10":                relocksHeld,     // the loop's second Lock: "all goroutines are asleep"
	"truth/r8a_pingpong_unbuffered/main.go:8":                  blocksOnChannel, // <-done waits for the other goroutine
	"truth/r9c_afterfunc_c_nil/main.go:24":                     blocksOnChannel, // main waits on <-r.done; the goroutine blocks on a nil C
	"truth/r9c_afterfunc_c_nil/main.go:32":                     blocksOnChannel, // likewise, on the nil C of an AfterFunc timer
	"truth/r9c_select_forever_exit/main.go:19":                 blocksOnChannel, // main parks in select {}: it never returns
	"truth/r11e_h_exit_in_goroutine/main.go:11":                blocksOnChannel, // main parks in select {}; the goroutine's os.Exit ends the program
	"truth/r11e_h_goexit_in_main/main.go:11":                   defersCall,      // and main ends through runtime.Goexit
	"truth/r12l_goexit_main_worker_exits/main.go:12":           defersCall,      // main ends through runtime.Goexit; the worker ends the program with os.Exit
	"truth/r11e_h_panic_in_goroutine_main_defer/main.go:10":    defersCall,      // the goroutine's panic ends the program first
	"truth/r8a_recover_goroutine_panic_not_caught/main.go:12":  blocksOnChannel, // <-block: the goroutine's panic ends the program first
	"truth/r8a_shadowed_chan_inner_close/main.go:7":            blocksOnChannel, // main blocks in <-ch for the other goroutine's send
	"truth/r9a_recv_wrong_channel/main.go:16":                  blocksOnChannel, // main blocks forever in <-t.result, which nothing sends on: "all goroutines are asleep"
	"truth/r15q_broker_lock_across_send/main.go:47":            blocksOnChannel, // main waits in a select on done or a timer; "leaked 47"
	"truth/review9_second_send_leaks/main.go:7":                blocksOnChannel, // one receive of two sends; nopartner's
	"truth/rv2_goexit_main/main.go:11":                         defersCall,      // and main ends through runtime.Goexit
	"truth/rv2_panic_in_goroutine_crashes/main.go:10":          defersCall,
	"truth/rv2_wg_passed_by_value/main.go:16":                  waitsOnWaitGroup, // wg.Wait on a copy: deadlock
	"truth/r22c_wg_by_value/main.go:18":                        blocksOnChannel,  // the workers' Done is on copies: main's wg.Wait never returns
	"truth/r22s_sayhello_forgot_close/main.go:18":              blocksOnChannel,  // main ranges over a channel nothing closes
	"truth/r9b_wg_passed_by_value/main.go:18":                  blocksOnChannel,  // wg.Wait on a copy: deadlock, and main ranges out after its close
	"truth/r10b_close_before_range_unwaited/main.go:9":         blocksOnChannel,  // main ranges over results after its own close: the range ends at once
	"truth/r16v_bank_self_send/main.go:62":                     blocksOnChannel,  // the bank loop blocks sending to its own channel; main waits on a reply first
	"truth/r17i_chan_of_chans_abandon/main.go:32":              mayNotReturn,     // main calls get, which blocks on a send and a receive; serve is left blocked on a reply nobody reads
	"truth/r18k_pubsub/main.go:38":                             blocksOnChannel,  // "leaked 38": blocked on a channel at exit
	"truth/r18o_wg_byvalue/main.go:18":                         blocksOnChannel,  // exit 2: wg.Wait on a copy; the deadlock golens cannot prove
	"truth/r18e_pool_pkg_leak/main.go:14":                      mayNotReturn,     // "leaked 14": the collector ranges over results nobody closes
	"truth/r18c_unread_body/main.go:34":                        mayNotReturn,     // "leaked 34": the handler blocks in a net.Pipe Write nobody reads
	"truth/r18j_ready_lost_wakeup/main.go:25":                  mayNotReturn,     // exit 2: the loader never signals; main's cond.Wait deadlocks
	"truth/r18b_reply_abandoned/main.go:31":                    mayNotReturn,     // "leaked 31": the actor blocks sending a reply the client abandoned
	"unwaited/forevermain/main.go:9":                           mayNotReturn,
	"unwaited/relockmain/main.go:13":                           relocksHeld,
	"unwaited/selectmain/main.go:6":                            blocksOnChannel, // select {}
	"unwaited/servermain/main.go:10":                           mayNotReturn,    // ListenAndServe
	"unwaited/signalmain/main.go:10":                           blocksOnChannel, // <-sig
	"unwaited/tests/tests_test.go:113":                         testPolicy,
	"unwaited/tests/tests_test.go:132":                         testPolicy,
	"unwaited/tests/tests_test.go:80":                          testPolicy,
	"unwaited/tests/tests_test.go:94":                          testPolicy,
	"truth/r9d_main_goexit_via_helper/main.go:21":              defersCall,      // and main ends through finish(), which calls runtime.Goexit
	"truth/r9d_main_select_forever_goroutine_exits/main.go:19": blocksOnChannel, // main never returns (select {}): the goroutine ends the program
	"truth/r10d_main_waits_signal_chan/main.go:44":             blocksOnChannel, // the metrics loop (atomic Load only) outlives main, which waits on <-sigs and <-done first
	"truth/r10y_bug_main_returns_first/main.go:25":             blocksOnChannel, // main's four sends fit sizes's buffer of 8, so main never waits: a missed unwaited finding (the summary is lost)
	"truth/r11x_rwmutex_recursive_rlock/main.go:45":            blocksOnChannel, // go r.Register: nothing waits for it, but main's select waits on res or 1.5s first (and Register deadlocks against the recursive RLock)
	"truth/r11s_chatroom_leak/main.go:34":                      blocksOnChannel, // listen("ann"): main's broadcasts and its select with a 300ms timeout come after; the listeners finish, nothing waits
	"truth/r11s_chatroom_leak/main.go:35":                      blocksOnChannel, // listen("ben"): as above
	"truth/r11s_closer_wg_chain/main.go:22":                    blocksOnChannel, // the audit goroutine blocks forever on never ("leaked 22"); main waits on <-finished
	"truth/r11s_batch_deadlock/main.go:31":                     blocksOnChannel, // go b.join(): main's select waits on finished or 300ms; both joins deadlock ("leaked 31")
	"truth/r11v_main_exits_before_worker/main.go:32":           blocksOnChannel, // main's ping/pong channel operations come before the go statement; after it main only sleeps and returns: a missed unwaited finding ("alive 32")
	"truth/r11v_timer_stop_leaks_waiter/main.go:14":            blocksOnChannel, // main goes on to a ticker loop and <-ticks; the goroutine blocks forever on the stopped timer's C ("leaked 14")
	"truth/r11u_main_exits_first/main.go:29":                   blocksOnChannel, // main sends on lines and closes it after the go statement, then returns while the writer still flushes: a missed unwaited finding ("alive 29")
	"truth/r12p_spinner/main.go:28":                            mayNotReturn,    // main computes fib(30) first; the spinner loops forever ("alive 28"), as the book's spinner does
	"truth/r12p_loop_recv_before_go_unsignalled/main.go:19":    blocksOnChannel, // main receives the next job (<-jobs) in the loop around the go statement; the counting goroutines finish before its 300ms sleep ends
	// A receive in a select with a default is no wait (r15b): these are
	// proven unwaited now; the check reads the select as blocking.
	"truth/r13n_mainfirst/main.go:34":          blocksOnChannel, // main's counted loop polls connected with a default and returns ("alive 34"): a missed unwaited finding
	"truth/r8a_nil_chan_send_leaks/main.go:11": blocksOnChannel, // main's select takes default; the emit goroutine blocks on the nil channel ("leaked 11")
	"truth/r15b_poll_default/main.go:10":       blocksOnChannel, // main polls ready three times with a default, then waits on done for the other goroutine ("alive 10")
	"truth/r15b_start_stop/main.go:48":         mayNotReturn,    // main calls s.Stop, which waits on <-s.done, after the go statement ("alive 48")
	"truth/r13k_unlock_bug/main.go:45":         blocksOnChannel, // main's TryLock never waits and its select takes default; Report blocks on Lock ("leaked 45")
	// A TryLock never waits for the goroutine's hold (r15b).
	"truth/r15b_trylock_no_wait/main.go:11": mayNotReturn, // main's TryLock fails while it holds mu itself; the goroutine stays blocked on Lock ("alive 11")
	// main waits through waitTimeout on its own wg, which prime's copy never signals (r16u).
	"truth/r16u_wg_by_value/main.go:44": waitsOnWaitGroup, // the workers finish; main's bounded wait times out
	"truth/r19g_unsub_leak/main.go:41":  waitsOnWaitGroup, // "leaked 41": main waits for the other goroutines, not this one
	// main receives <-done from sayHello before the go statement (r20a).
	"truth/r20a_two_files_wait/main.go:11": blocksOnChannel,  // go echo(ping): main returns without waiting; echo blocks on the range over ping ("leaked 11")
	"truth/r21e_wg_by_value/main.go:20":    waitsOnWaitGroup, // the workers get copies of wg: main's Wait never returns (exit 2)
	"truth/r21o_wg_byvalue/main.go:18":     blocksOnChannel,  // the worker's Done is on a copy: main deadlocks before it returns (exit 2)
	"truth/r21n_select_loser/main.go:29":   blocksOnChannel,  // started after the select, never received from ("leaked 29"): timeoutleak reports it
	// main receives <-b.done from the other goroutine it starts (r16f6).
	"truth/r16f6_nil_field/main.go:12": blocksOnChannel, // the goroutine blocks forever on the nil b.ready ("leaked 12"); nilchan reports it
}
