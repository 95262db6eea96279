package model_test

import (
	"strings"
	"testing"
)

const goWaitSrc = `package p

import "sync"

func waited() {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // G waited
		defer wg.Done()
	}()
	wg.Wait()
}

func unknown(hand func(chan int)) {
	done := make(chan int)
	go func() { // G unknown
		close(done)
	}()
	hand(done)
}

func nothing() {
	go func() { // G nothing
		println("x")
	}()
}

type srv struct{ stop chan int }

// serve hands a value over and goes on: a receive of it waits for the
// handoff, not for the goroutine.
func (s *srv) serve(ready chan<- int) {
	ready <- 1
	<-s.stop
}

// last sends as its last act: a receive of it waits for its end.
func (s *srv) last(out chan<- int) {
	out <- 1
}

func methods(s *srv) {
	ready := make(chan int)
	go s.serve(ready) // G handoff
	<-ready
	out := make(chan int)
	go s.last(out) // G lastsend
	<-out
}

// A select with a default takes a value that is there: no wait, unless
// an endless loop polls until the case proceeds.
func polls() {
	ready := make(chan int)
	go func() { // G default
		close(ready)
	}()
	for i := 0; i < 3; i++ {
		select {
		case <-ready:
		default:
		}
	}
	done := make(chan int)
	go func() { // G polled
		close(done)
	}()
	for {
		select {
		case <-done:
			return
		default:
		}
	}
}

// A range a break can leave, and then a receive of the goroutine's
// deferred report: that receive still waits for it.
func produce(out chan<- int, report chan<- int) {
	defer close(report)
	defer close(out)
	out <- 1
}

func rangeThen() {
	out := make(chan int)
	report := make(chan int)
	go produce(out, report) // G rangethen
	for v := range out {
		if v > 0 {
			break
		}
	}
	<-report
}

// A call deferred before the last send runs after it and can wait: the
// receive waits for the send, not for the goroutine.
func deferWaits() {
	result := make(chan int)
	stop := make(chan int)
	go func() { // G deferwait
		defer func() { <-stop }()
		result <- 1
	}()
	<-result
}

// A Done followed by more of the goroutine: Wait returns at the Done.
func doneMore() {
	var wg sync.WaitGroup
	stop := make(chan int)
	wg.Add(1)
	go func() { // G donemore
		wg.Done()
		<-stop
	}()
	wg.Wait()
}

// A worker that skips Done on its error path: the waiter goroutine's
// Wait still counts it.
func waiterSome(items []int) <-chan int {
	var wg sync.WaitGroup
	done := make(chan int)
	for _, v := range items {
		wg.Add(1)
		go func() { // G donesome
			if v < 0 {
				return
			}
			wg.Done()
		}()
	}
	go func() { // G waiter
		wg.Wait()
		close(done)
	}()
	return done
}

// Another goroutine closes done too: the receive ends at the first close
// (r15b2); alone, the closer is waited for.
func twoClosers() {
	done := make(chan int)
	go func() { // G firstclose
		close(done)
	}()
	go func() { // G twoclose
		close(done)
	}()
	<-done
}

func oneCloser() {
	done := make(chan int)
	go func() { // G oneclose
		close(done)
	}()
	<-done
}

// A receive loop takes values a looping sender goes on after; the
// deferred Done is what wg.Wait waits for (r15b2).
func beat(out chan<- int, stop <-chan int, wg *sync.WaitGroup) {
	defer wg.Done()
	for {
		select {
		case out <- 1:
		case <-stop:
			return
		}
	}
}

func beats() {
	out, stop := make(chan int), make(chan int)
	var wg sync.WaitGroup
	wg.Add(1)
	go beat(out, stop, &wg) // G beatloop
	for n := 0; n < 3 && len(out) == 0; n++ {
		<-out
	}
	close(stop)
	wg.Wait()
}
`

// TestGoWait: the one reading of who waits for a goroutine that the go
// hover and the goroutine hint share: a wait, a reason golens cannot
// tell, or a proven "nothing waits", never two at once; on both tiers.
func TestGoWait(t *testing.T) {
	for tier, m := range exitModels(t, "gowait.go", []byte(goWaitSrc)) {
		t.Run(tier, func(t *testing.T) {
			got := map[string]string{}
			for _, g := range m.Goroutines {
				line := goWaitSrc[m.Offset(g.Pos):]
				line = line[:strings.IndexByte(line, '\n')]
				name := line[strings.Index(line, "// G ")+len("// G "):]
				w := g.Wait()
				var says []string
				if w.By != "" {
					says = append(says, "by "+w.By)
				}
				if w.CannotTell() != "" {
					says = append(says, "cannot tell")
				}
				if w.Nothing() {
					says = append(says, "nothing")
				}
				if w.InOtherGo != nil {
					says = append(says, "other "+w.InOtherGo.Recv+".Wait()")
				}
				if w.InOtherGoDoneSome.IsValid() {
					says = append(says, "done on some paths")
				}
				if w.Then != "" {
					says = append(says, "then "+w.Then)
				}
				got[name] = strings.Join(says, "+")
			}
			for name, want := range map[string]string{
				"waited":  "by wg.Wait()",
				"unknown": "cannot tell",
				"nothing": "nothing",
				// A method's handoff send, as a function's (r15b).
				"handoff":  "cannot tell",
				"lastsend": "by <-out",
				"default":  "nothing",
				"polled":   "by <-done",
				// After the break, <-report waits (r15b).
				"deferwait":  "cannot tell",
				"donemore":   "cannot tell",
				"donesome":   "nothing+other wg.Wait()+done on some paths",
				"rangethen":  "by range out+then `<-report` at line 94 waits for it",
				"firstclose": "cannot tell",
				"twoclose":   "cannot tell",
				"oneclose":   "by <-done",
				"beatloop":   "by wg.Wait()",
			} {
				if got[name] != want {
					t.Errorf("goroutine %s: Wait says %q, want %q", name, got[name], want)
				}
			}
		})
	}
}

const opaqueReasonSrc = `package p

type entry interface{ IsDir() bool }

func chain(es []entry) {
	paths := make(chan int)
	go func() { // G walker
		defer close(paths)
		for _, e := range es {
			if !e.IsDir() {
				paths <- 1
			}
		}
	}()
	lengths := make(chan int)
	go func() {
		defer close(lengths)
		for p := range paths {
			lengths <- p
		}
	}()
	for range lengths {
	}
}

type shutter interface{ shutdown() }

type srv2 struct {
	done chan int
	sh   shutter
}

func fieldWait(s *srv2) {
	go func() { // G field
		s.sh.shutdown()
	}()
	<-s.done
}
`

// TestOpaqueReason: a call golens cannot see into is the reason golens
// cannot tell whether a wait waits for the goroutine only when it could
// signal what is waited on: not when every wait is on a local channel
// nothing outside the function reaches (the walker's e.IsDir()), but
// when the wait is on a field (s.sh.shutdown() may close s.done).
func TestOpaqueReason(t *testing.T) {
	for tier, m := range exitModels(t, "opaque.go", []byte(opaqueReasonSrc)) {
		t.Run(tier, func(t *testing.T) {
			why := map[string]string{}
			for _, g := range m.Goroutines {
				line := opaqueReasonSrc[m.Offset(g.Pos):]
				line = line[:strings.IndexByte(line, '\n')]
				if i := strings.Index(line, "// G "); i >= 0 {
					why[line[i+len("// G "):]] = g.Wait().CannotTell()
				}
			}
			if w := why["walker"]; w == "" || strings.Contains(w, "IsDir") {
				t.Errorf("walker: cannot tell because %q; want a reason that is not e.IsDir", w)
			}
			if w := why["field"]; !strings.Contains(w, "s.sh.shutdown") {
				t.Errorf("field: cannot tell because %q; want s.sh.shutdown named", w)
			}
		})
	}
}
