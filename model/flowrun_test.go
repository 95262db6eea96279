package model_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/golens/golens/model"
)

// runProgram builds the program src (package main) together with harness
// (more Go source of package main) and runs it once per argument, returning
// each run's standard output. It skips the test when no go command is
// available, unless CI is set.
func runProgram(t *testing.T, src []byte, harness string, args []string) []string {
	t.Helper()
	gobin, err := exec.LookPath("go")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("go command not found")
		}
		t.Skip("go command not found: programs cannot be run")
	}
	dir := t.TempDir()
	write := func(name, data string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module prog\n\ngo 1.22\n")
	write("prog.go", string(src))
	write("harness.go", harness)
	bin := filepath.Join(dir, "prog")
	build := exec.Command(gobin, "build", "-o", bin, ".")
	build.Dir = dir
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	var outs []string
	for _, a := range args {
		out, _ := exec.Command(bin, a).Output() // os.Exit, log.Fatal: non-zero status is expected
		outs = append(outs, string(out))
	}
	return outs
}

// deferHarness runs f(mode) in a goroutine (so runtime.Goexit ends only
// it) that swallows a panic, and prints each deferred mark as it runs.
const deferHarness = `package main

import (
	"fmt"
	"os"
	"strconv"
	"sync"
)

func mark(s string) { fmt.Println("D", s) }

func main() {
	mode, _ := strconv.Atoi(os.Args[1])
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer func() { recover() }()
		f(mode)
	}()
	wg.Wait()
}
`

var closureMarkRE = regexp.MustCompile(`^func\(\) \{ mark\("(\w+)"\) \}\(\)$`)

var modesRE = regexp.MustCompile(`(?m)^// modes: (\d+)-(\d+)$`)

// TestDeferOrderByRunning runs each testdata/run/defer_*.go program in
// every mode it lists and checks the model's claimed run positions for the
// defers of f against the order the deferred calls printed: every observed
// position lies in the claimed range, and the programs cover their paths,
// so the range's bounds are observed too.
func TestDeferOrderByRunning(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs programs")
	}
	files, _ := filepath.Glob("testdata/run/defer_*.go")
	if len(files) == 0 {
		t.Fatal("no programs")
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			mm := modesRE.FindSubmatch(src)
			if mm == nil {
				t.Fatal("no // modes: line")
			}
			from, _ := strconv.Atoi(string(mm[1]))
			to, _ := strconv.Atoi(string(mm[2]))
			var args []string
			for i := from; i <= to; i++ {
				args = append(args, strconv.Itoa(i))
			}
			m := model.Parse(filepath.Base(file), src)
			claims := map[string]*model.Defer{}
			for _, d := range m.Defers {
				var tag string
				switch {
				case d.Func.Name == "f" && len(d.Args) == 1 && d.Callee == "mark":
					tag, err = strconv.Unquote(d.Args[0].Expr)
					if err != nil {
						t.Fatalf("mark argument %s is not a string literal", d.Args[0].Expr)
					}
				case d.Func.Name == "f" && d.Closure:
					// defer func() { mark("x") }()
					mm := closureMarkRE.FindStringSubmatch(d.Call)
					if mm == nil {
						continue
					}
					tag = mm[1]
				default:
					continue
				}
				if !d.Order().Known {
					t.Fatalf("defer %s: order unknown", tag)
				}
				claims[tag] = d
			}
			seen := map[string][]int{}
			for i, out := range runProgram(t, src, deferHarness, args) {
				// A mark that runs twice in one run was registered twice:
				// the model must say Many (and not Once).
				times := map[string]int{}
				for _, line := range strings.Split(out, "\n") {
					if tag, ok := strings.CutPrefix(line, "D "); ok {
						times[tag]++
						if d := claims[tag]; d != nil && times[tag] == 2 && (!d.Order().Many || d.Order().Once != "") {
							t.Errorf("mode %s: mark(%q) ran twice, model says %s once=%q", args[i], tag, orderText(d.Order()), d.Order().Once)
						}
					}
				}
				n := 0
				for _, line := range strings.Split(out, "\n") {
					tag, ok := strings.CutPrefix(line, "D ")
					if !ok {
						continue
					}
					n++
					d := claims[tag]
					if d == nil {
						t.Fatalf("mode %s: unknown mark %q", args[i], tag)
					}
					o := d.Order()
					if n < o.Lo || (!o.Open && n > o.Hi) || o.Registered == model.No {
						t.Errorf("mode %s: mark(%q) ran %d, model says %s", args[i], tag, n, orderText(o))
					}
					seen[tag] = append(seen[tag], n)
				}
			}
			for tag, d := range claims {
				o := d.Order()
				got := seen[tag]
				if len(got) == 0 {
					if o.Registered != model.No {
						t.Errorf("mark(%q) never ran, model says %s", tag, orderText(o))
					}
					continue
				}
				lo, hi := got[0], got[0]
				for _, p := range got {
					lo, hi = min(lo, p), max(hi, p)
				}
				if lo != o.Lo || (!o.Open && hi != o.Hi) {
					t.Errorf("mark(%q) ran at positions %d-%d over all modes, model says %s", tag, lo, hi, orderText(o))
				}
			}
		})
	}
}

func orderText(o model.DeferOrder) string {
	s := strconv.Itoa(o.Lo) + "-" + strconv.Itoa(o.Hi)
	if o.Open {
		s = strconv.Itoa(o.Lo) + " or later"
	}
	return s + " (registered on " + o.Registered.String() + " paths)"
}

var reportRE = regexp.MustCompile(`report\("([^"]+)"`)

// TestRecoverByRunning runs testdata/run/recover_*.go, where every function
// panics and each recover reports what it returned, and checks the model's
// RecoverReach for each reporting recover: one that can stop the panic
// (RecoverStops, or RecoverWhenDeferred with a deferring statement in the
// file) reported a value; one that cannot (RecoverNested, RecoverNever)
// reported nil every time.
func TestRecoverByRunning(t *testing.T) {
	forEachProgram(t, "testdata/run/recover_*.go", func(t *testing.T, file string, src []byte, m *model.File, lines []string) {
		claims := map[string]*model.BuiltinCall{}
		for _, b := range m.Builtins {
			if b.Name != "recover" {
				continue
			}
			if mm := reportRE.FindStringSubmatch(lines[m.Line(b.Pos)-1]); mm != nil {
				claims[mm[1]] = b
			}
		}
		if len(claims) == 0 {
			t.Fatal("no reporting recover")
		}
		out := runProgram(t, src, "package main\n", []string{""})[0]
		got := map[string][]bool{}
		for _, line := range strings.Split(out, "\n") {
			var tag string
			var stopped bool
			if _, err := fmt.Sscanf(line, "R %s %t", &tag, &stopped); err == nil {
				got[tag] = append(got[tag], stopped)
			}
		}
		for tag, b := range claims {
			runs := got[tag]
			if len(runs) == 0 {
				t.Errorf("recover %q never reported", tag)
				continue
			}
			stopped := false
			for _, s := range runs {
				stopped = stopped || s
			}
			var want bool
			switch b.Reach {
			case model.RecoverStops:
				want = true
			case model.RecoverWhenDeferred:
				want = len(b.DeferredBy) > 0
			case model.RecoverNested, model.RecoverNever:
				want = false
			default:
				t.Errorf("recover %q: model does not know (%s)", tag, b.Reach)
				continue
			}
			if stopped != want {
				t.Errorf("recover %q: returned a value = %v, model says %s", tag, stopped, b.Reach)
			}
		}
	})
}

// TestFlowConcurrentReads reads the lazily computed path facts of one
// model from several goroutines at once, as hover and hints do; run with
// -race.
func TestFlowConcurrentReads(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.txtar")
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		_, src, _ := strings.Cut(string(data), "-- src.go --\n")
		src, _, _ = strings.Cut(src, "\n-- ")
		m := model.Parse("src.go", []byte(src))
		want := m.Dump()
		m = model.Parse("src.go", []byte(src))
		done := make(chan string)
		for range 4 {
			go func() { done <- m.Dump() }()
		}
		for range 4 {
			if got := <-done; got != want {
				t.Errorf("%s: concurrent reads gave different facts", file)
			}
		}
	}
}

var lockTagRE = regexp.MustCompile(`// lock:(\w+)`)

// TestLockPairsByRunning runs testdata/run/lock_*.go, where main calls each
// function in every mode and reports with TryLock whether the function
// left its mutex held, and checks LockOp.Flow for each tagged Lock:
// released on all paths means never held after a call, on no path means
// always held, on some paths means both were seen.
func TestLockPairsByRunning(t *testing.T) {
	forEachProgram(t, "testdata/run/lock_*.go", func(t *testing.T, file string, src []byte, m *model.File, lines []string) {
		claims := map[string]*model.LockFlow{}
		for _, l := range m.Locks {
			if mm := lockTagRE.FindStringSubmatch(lines[m.Line(l.Pos)-1]); mm != nil {
				lf := l.Flow()
				if lf == nil {
					t.Fatalf("lock %q: no flow facts", mm[1])
				}
				claims[mm[1]] = lf
			}
		}
		out := runProgram(t, src, "package main\n", []string{""})[0]
		held, released := map[string]int{}, map[string]int{}
		for _, line := range strings.Split(out, "\n") {
			var tag, state string
			if _, err := fmt.Sscanf(line, "L %s %s", &tag, &state); err == nil {
				if state == "held" {
					held[tag]++
				} else {
					released[tag]++
				}
			}
		}
		for tag, lf := range claims {
			h, r := held[tag], released[tag]
			if h+r == 0 {
				t.Errorf("lock %q never reported", tag)
				continue
			}
			var ok bool
			switch lf.Released {
			case model.All:
				ok = h == 0
			case model.Some:
				ok = h > 0 && r > 0
			case model.No:
				ok = r == 0 || len(lf.Unsure) > 0
			}
			if !ok {
				t.Errorf("lock %q: held after %d calls, released after %d; model says released on %s paths", tag, h, r, lf.Released)
			}
		}
	})
}

var capTagRE = regexp.MustCompile(`capOf\("(\w+)"`)

// TestChanValuesByRunning runs testdata/run/values_*.go, where each send
// prints the capacity of the channel it uses, and checks ChanOp.Capacity:
// a known capacity is the one printed every time; an unknown one is
// claimed only where the runs printed different capacities.
func TestChanValuesByRunning(t *testing.T) {
	forEachProgram(t, "testdata/run/values_*.go", func(t *testing.T, file string, src []byte, m *model.File, lines []string) {
		type claim struct {
			cap   int64
			known bool
		}
		claims := map[string]claim{}
		for _, op := range m.ChanOps {
			if op.Kind != model.Send {
				continue
			}
			if mm := capTagRE.FindStringSubmatch(lines[m.Line(op.Pos)-1]); mm != nil {
				c, known := op.Capacity()
				claims[mm[1]] = claim{c, known}
			}
		}
		out := runProgram(t, src, "package main\n", []string{""})[0]
		seen := map[string]map[int64]bool{}
		for _, line := range strings.Split(out, "\n") {
			var tag string
			var c int64
			if _, err := fmt.Sscanf(line, "C %s %d", &tag, &c); err == nil {
				if seen[tag] == nil {
					seen[tag] = map[int64]bool{}
				}
				seen[tag][c] = true
			}
		}
		for tag, cl := range claims {
			got := seen[tag]
			switch {
			case len(got) == 0:
				t.Errorf("send %q never ran", tag)
			case cl.known && (len(got) != 1 || !got[cl.cap]):
				t.Errorf("send %q: capacities %v, model says %d", tag, got, cl.cap)
			case !cl.known && len(got) == 1:
				t.Errorf("send %q: capacity always %v, model says unknown", tag, got)
			}
		}
	})
}

var ctxTagRE = regexp.MustCompile(`// ctx:(\w+)`)

// TestCtxCasesByRunning runs testdata/run/ctx_*.go, where each select has
// a ctx.Done() case and a long timer, and checks SelectCase.Ctx: a
// deadline context's case wins by itself, a Background/TODO Done case
// never does, and a WithCancel context is not called a deadline.
func TestCtxCasesByRunning(t *testing.T) {
	forEachProgram(t, "testdata/run/ctx_*.go", func(t *testing.T, file string, src []byte, m *model.File, lines []string) {
		claims := map[string]model.CtxOrigin{}
		for _, s := range m.Selects {
			for _, c := range s.Cases {
				if mm := ctxTagRE.FindStringSubmatch(lines[m.Line(c.Pos)-1]); mm != nil {
					claims[mm[1]], _ = c.Ctx()
				}
			}
		}
		out := runProgram(t, src, "package main\n", []string{""})[0]
		won := map[string]string{}
		for _, line := range strings.Split(out, "\n") {
			var tag, winner string
			if _, err := fmt.Sscanf(line, "X %s %s", &tag, &winner); err == nil {
				won[tag] = winner
			}
		}
		for tag, o := range claims {
			w := won[tag]
			switch {
			case w == "":
				t.Errorf("select %q never reported", tag)
			case o == model.CtxNever && w != "timer":
				t.Errorf("select %q: the Done case won, model says it is never ready", tag)
			case o == model.CtxDeadline && w != "ctx":
				t.Errorf("select %q: the deadline never fired, model says the context has one", tag)
			case o == model.CtxCancel && tag != "cancel":
				t.Errorf("select %q: model says WithCancel", tag)
			}
		}
		// The tags name what the program makes: the model must see it.
		want := map[string]model.CtxOrigin{"deadline": model.CtxDeadline, "background": model.CtxNever, "todo": model.CtxNever, "cancel": model.CtxCancel}
		for tag, o := range want {
			if claims[tag] != o {
				t.Errorf("select %q: model says %s, want %s", tag, claims[tag], o)
			}
		}
	})
}

// forEachProgram runs check on each program matching glob (a subtest per
// file), with its source, its syntax-tier model and its lines; the
// programs are built and run, so -short skips them.
func forEachProgram(t *testing.T, glob string, check func(t *testing.T, file string, src []byte, m *model.File, lines []string)) {
	if testing.Short() {
		t.Skip("builds and runs programs")
	}
	files, _ := filepath.Glob(glob)
	if len(files) == 0 {
		t.Fatal("no programs")
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			m := model.Parse(filepath.Base(file), src)
			check(t, file, src, m, strings.Split(string(src), "\n"))
		})
	}
}
