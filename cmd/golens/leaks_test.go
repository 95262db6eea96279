package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestLeaksCommand runs `golens leaks` on small modules: the report line,
// -v's stack, -json, and the exit codes (0 clean, 1 leaks, 2 usage, 3 a
// package that does not build).
func TestLeaksCommand(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("no go command")
		}
		t.Skip("no go command")
	}
	dir := t.TempDir()
	files := map[string]string{
		"go.mod": "module example.com/m\n\ngo 1.26\n",
		"leaky/leak_test.go": `package leaky

import (
	"testing"
	"time"
)

func TestLeak(t *testing.T) {
	ch := make(chan int)
	go func() {
		ch <- 1
	}()
	time.Sleep(20 * time.Millisecond)
}
`,
		"clean/clean_test.go":   "package clean\n\nimport \"testing\"\n\nfunc TestClean(t *testing.T) {}\n",
		"broken/broken_test.go": "package broken\n\nimport \"testing\"\n\nfunc TestBroken(t *testing.T) { undefined() }\n",
	}
	for name, text := range files {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
	t.Setenv("GOFLAGS", "-mod=mod")
	t.Setenv("GOPROXY", "off")

	const leakLine = "leaky/leak_test.go:11: goroutine blocked on chan send forever (leaked in TestLeak); created at leaky/leak_test.go:10"
	cases := []struct {
		args   []string
		code   int
		stderr []string
		stdout []string
	}{
		{[]string{"./leaky"}, 1, []string{leakLine}, nil},
		{[]string{"-v", "./leaky"}, 1, []string{leakLine, "goroutine ", "[chan send (leaked)]", "example.com/m/leaky.TestLeak.func1()", "--- PASS: TestLeak"}, nil},
		{[]string{"-count", "3", "./leaky"}, 1, []string{"blocked on chan send forever (3 goroutines) (leaked in TestLeak)"}, nil},
		{[]string{"-pertest", "./leaky", "./clean"}, 1, []string{leakLine}, nil},
		{[]string{"-json", "./leaky"}, 1, nil, []string{`"reason": "chan send"`, `"tests": [`, `"stack": "goroutine `}},
		{[]string{"./clean"}, 0, nil, nil},
		{[]string{"-run", "^TestNothing$", "./leaky"}, 0, nil, nil},
		{[]string{"./broken", "./leaky"}, 3, []string{"example.com/m/broken: build failed", leakLine}, nil},
		{[]string{"-count", "0"}, 2, []string{"-count and -timeout must be positive"}, nil},
		{[]string{"-run", "(", "./leaky"}, 2, []string{"bad -run regexp"}, nil},
		{[]string{"-nosuchflag"}, 2, []string{"usage: golens leaks"}, nil},
	}
	for _, c := range cases {
		var out, errb bytes.Buffer
		code := run(append([]string{"leaks"}, c.args...), nil, &out, &errb)
		if code != c.code {
			t.Errorf("golens leaks %v: exit %d, want %d\nstderr: %s", c.args, code, c.code, errb.String())
			continue
		}
		for _, s := range c.stderr {
			if !strings.Contains(errb.String(), s) {
				t.Errorf("golens leaks %v: stderr lacks %q:\n%s", c.args, s, errb.String())
			}
		}
		for _, s := range c.stdout {
			if !strings.Contains(out.String(), s) {
				t.Errorf("golens leaks %v: stdout lacks %q:\n%s", c.args, s, out.String())
			}
		}
		if c.stdout != nil {
			var v map[string]any
			if err := json.Unmarshal(out.Bytes(), &v); err != nil {
				t.Errorf("golens leaks %v: stdout is not JSON: %v", c.args, err)
			}
		}
		if c.code == 0 && errb.Len() > 0 {
			t.Errorf("golens leaks %v: clean run wrote %q", c.args, errb.String())
		}
	}
}
