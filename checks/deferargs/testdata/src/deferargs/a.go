package deferargs

import (
	"fmt"
	"log"
	"os"
	"runtime"
	"sync"
	"testing"
	"time"
)

func write(string) error { return nil }

// ---- buggy ----

func logErr(path string) (err error) {
	defer log.Printf("save %s: %v", path, err) // want `the deferred call log.Printf\("save %s: %v", path, err\) uses err as it is at the defer statement: the assignment to err on line 19 is not seen when the call runs`
	err = write(path)
	return err
}

func counter() {
	n := 0
	defer fmt.Println("processed", n) // want `uses n as it is at the defer statement`
	for i := 0; i < 3; i++ {
		n++
	}
}

type job struct{ state string }

func (j job) finish(state string) { j.state = state }

func method(j job) {
	state := "started"
	defer j.finish(state) // want `uses state as it is`
	if j.state == "" {
		state = "empty"
	}
}

func inClosure() {
	f := func() {
		msg := "begin"
		defer fmt.Println(msg) // want `uses msg as it is`
		msg = "end"
	}
	f()
}

func afterBranch(ok bool) {
	status := 200
	if ok {
		defer log.Println("status", status) // want `uses status as it is`
	}
	status = 500
}

type report struct{ total int }

func structValue() {
	var r report
	defer fmt.Println(r) // want `uses r as it is`
	r = report{total: 3}
}

// ---- correct ----

func restore() {
	old := os.Getenv("X")
	defer os.Setenv("X", old)
	os.Setenv("X", "1")
}

func closureReadsLater() (err error) {
	defer func() { log.Printf("done: %v", err) }()
	err = write("x")
	return err
}

func closureParamIsIntended() {
	x := 1
	defer func(v int) { fmt.Println(v) }(x)
	x = 2
	_ = x
}

func noArgs(mu *sync.Mutex, wg *sync.WaitGroup) {
	mu.Lock()
	defer mu.Unlock()
	defer wg.Done()
}

func callArg() {
	defer fmt.Println(time.Now())
}

func pointerArg() {
	r := &report{}
	defer fmt.Println(r)
	r.total = 3
}

func mapArg() {
	m := map[string]int{}
	defer fmt.Println(m)
	m["a"] = 1
}

func branchReturns(ok bool) {
	x := 1
	if ok {
		defer fmt.Println(x)
		return
	}
	x = 2
	_ = x
}

func assignedBefore() {
	x := 1
	x = 2
	defer fmt.Println(x)
}

func inLoop(names []string) {
	last := ""
	for _, n := range names {
		defer fmt.Println(last)
		last = n
	}
}

func addressTaken() {
	var n int
	defer fmt.Println(n)
	fmt.Sscan("3", &n)
}

func setLabels(string) {}

// Save and restore: the old value is the point (found in runtime/pprof).
func withLabels(labels string) {
	defer setLabels(labels)
	labels = labels + ",extra"
	setLabels(labels)
}

func apply(string) {}

func applyAgain(v string) {
	defer apply(v)
	v = "new"
	apply(v)
}

func sliceArg(v []byte) {
	tmp := make([]byte, len(v))
	defer copy(tmp, v)
	v = v[:1]
	_ = v
}

type span struct{ parent *span }

func (s *span) child() *span { return &span{parent: s} }

func finish(s *span) {}

// The deferred call means the outer span: sp is re-pointed at a child
// derived from it.
func traced(sp *span) {
	outer := *sp
	defer fmt.Println(outer)
	outer = *outer.child()
	_ = outer
}

// The variable is remade the same way for a second object: the deferred
// call is for the first one, made before it (grpc's lrsclient test reuses
// ssCtx for loadStore2 after deferring loadStore1.Stop(ssCtx)).
type store struct{}

func (*store) stop(time.Time) {}

func stopBoth(s1, s2 *store) {
	deadline := time.Now().Add(time.Second)
	defer s1.stop(deadline)
	deadline = time.Now().Add(time.Second)
	s2.stop(deadline)
}

// ---- reachability: the model's control-flow graph and exit classifier ----

// A break leaves the switch, not the function: the assignment after the
// switch runs, and the deferred call still prints 1 (run by the exits
// helper: "switch-break: deferred call sees x = 1" after "x assigned 2").
func afterSwitchBreak(mode int) {
	x := 1
	switch mode {
	case 1:
		defer fmt.Println(x) // want `uses x as it is at the defer statement: the assignment to x on line 206 is not seen`
		break
	}
	x = 2
	_ = x
}

// A goto forward does not skip the assignment at its label.
func afterGoto() {
	x := 1
	defer fmt.Println(x) // want `uses x as it is at the defer statement: the assignment to x on line 216 is not seen`
	goto done
done:
	x = 2
	_ = x
}

// The assignments below are dead code: t.Fatal, runtime.Goexit,
// log.Panicln, a helper that always calls os.Exit, and an if/else whose
// branches both leave end the function first. Nothing to report.
func afterFatal(t *testing.T, ok bool) {
	x := 1
	defer fmt.Println(x)
	if ok {
		t.Fatal("stop")
	} else {
		return
	}
	x = 2
	_ = x
}

func afterGoexit() {
	x := 1
	defer fmt.Println(x)
	runtime.Goexit()
	x = 2
	_ = x
}

func afterPanicln() {
	x := 1
	defer fmt.Println(x)
	log.Panicln("stop")
	x = 2
	_ = x
}

func die() {
	fmt.Println("bye")
	os.Exit(3)
}

func afterDie() {
	x := 1
	defer fmt.Println(x)
	die()
	x = 2
	_ = x
}
