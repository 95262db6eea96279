package leaks_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/tools/txtar"

	"github.com/golens/golens/leaks"
)

// needGo skips when the go command is missing (it fails under CI).
func needGo(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("no go command")
		}
		t.Skip("no go command")
	}
}

// TestRun runs each testdata/run/*.txtar package with the leak detector
// and compares the report (one line per leak, "problem: …" per problem)
// with its "want" section.
func TestRun(t *testing.T) {
	needGo(t)
	files, _ := filepath.Glob("testdata/run/*.txtar")
	if len(files) == 0 {
		t.Fatal("no testdata")
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".txtar")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir, want := extract(t, file)
			res, err := leaks.Run(context.Background(), leaks.Options{Dir: dir, Packages: []string{"./..."}, Timeout: time.Minute, Env: testEnv(dir)})
			if err != nil {
				t.Fatal(err)
			}
			if got := report(res, dir); got != want {
				t.Errorf("report:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

// TestRunPerTest runs each test on its own: leaks are attributed to
// exactly the test that ran.
func TestRunPerTest(t *testing.T) {
	needGo(t)
	dir, want := extract(t, "testdata/run/waitgroup.txtar")
	res, err := leaks.Run(context.Background(), leaks.Options{Dir: dir, PerTest: true, Timeout: time.Minute, Env: testEnv(dir)})
	if err != nil {
		t.Fatal(err)
	}
	if got := report(res, dir); got != want {
		t.Errorf("report:\n%s\nwant:\n%s", got, want)
	}
}

// TestRunSelectsTests: -run limits the tests that run, and with them the
// leaks.
func TestRunSelectsTests(t *testing.T) {
	needGo(t)
	dir, _ := extract(t, "testdata/run/testmain.txtar")
	res, err := leaks.Run(context.Background(), leaks.Options{Dir: dir, Run: "^TestOther$", Timeout: time.Minute, Env: testEnv(dir)})
	if err != nil {
		t.Fatal(err)
	}
	if got := report(res, dir); got != "" {
		t.Errorf("with -run TestOther, report:\n%s\nwant nothing", got)
	}
}

// TestRunTimeoutKillsGroup: a test that sleeps past the timeout is killed
// with its whole process group; the run says it timed out, and still
// reports the leak proved while the test slept.
func TestRunTimeoutKillsGroup(t *testing.T) {
	needGo(t)
	dir := t.TempDir()
	write(t, dir, "go.mod", "module example.com/slow\n\ngo 1.26\n")
	pidFile := filepath.Join(dir, "pid")
	write(t, dir, "slow_test.go", `package slow

import (
	"os"
	"strconv"
	"testing"
	"time"
)

func TestSlow(t *testing.T) {
	os.WriteFile(`+strconv.Quote(pidFile)+`, []byte(strconv.Itoa(os.Getpid())), 0o644)
	quit := make(chan bool)
	go func() { <-quit }()
	time.Sleep(time.Hour)
}
`)
	start := time.Now()
	res, err := leaks.Run(context.Background(), leaks.Options{Dir: dir, Timeout: 8 * time.Second, Env: testEnv(dir)})
	if err != nil {
		t.Fatal(err)
	}
	if got := report(res, dir); got != "slow_test.go:13: goroutine blocked on chan receive forever (leaked in TestSlow); created at slow_test.go:13\nproblem: timed out after 8s; the tests' process group was killed (leaks proved before that are listed)\n" {
		t.Errorf("report:\n%s\nwant the leak proved before the timeout, and the timeout", got)
	}
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("the run took %v after an 8s timeout: the process group was not killed", d)
	}
	data, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatalf("the test never started: %v", err)
	}
	pid, _ := strconv.Atoi(string(data))
	if alive(pid) {
		t.Errorf("test binary (pid %d) still running after the timeout", pid)
	}
}

func TestRunBadRegexp(t *testing.T) {
	if _, err := leaks.Run(context.Background(), leaks.Options{Run: "("}); err == nil {
		t.Error("want an error for -run (")
	}
}

func extract(t *testing.T, file string) (dir, want string) {
	t.Helper()
	ar, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	dir = t.TempDir()
	for _, f := range ar.Files {
		if f.Name == "want" {
			want = string(f.Data)
			continue
		}
		write(t, dir, f.Name, string(f.Data))
	}
	return dir, want
}

func write(t *testing.T, dir, name, text string) {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// testEnv runs the go command offline, outside any workspace.
func testEnv(dir string) []string {
	return append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off", "GOPROXY=off")
}

func report(res *leaks.Result, dir string) string {
	var b strings.Builder
	for _, l := range res.Leaks {
		b.WriteString(leaks.Format(l, dir) + "\n")
	}
	for _, p := range res.Problems {
		msg, _, _ := strings.Cut(p.Message, ":")
		b.WriteString("problem: " + msg + "\n")
	}
	return b.String()
}

// alive reports whether a process runs (a zombie, killed but not yet reaped
// by its new parent, does not).
func alive(pid int) bool {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return syscall.Kill(pid, 0) == nil
	}
	fields := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
	return len(fields) > 0 && fields[0] != "Z" && fields[0] != "X"
}
