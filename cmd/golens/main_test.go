package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golens/golens/internal/densefile"
)

func TestCommands(t *testing.T) {
	cases := []struct {
		args     []string
		code     int
		contains []string
	}{
		{[]string{"version"}, 0, []string{"golens ", runtime.Version()}},
		{[]string{"help"}, 0, []string{"golens show", "golens explain"}},
		{[]string{"explain"}, 0, []string{"select", "waitgroup", "defer"}},
		{[]string{"explain", "select"}, 0, []string{"uniformly at random", "https://go.dev/ref/spec#Select_statements"}},
		{[]string{"explain", "goroutine"}, 0, []string{"go statement — start a goroutine\n───"}},
		{[]string{"explain", "fmt"}, 2, nil},
		{[]string{"show"}, 0, []string{"tour.go", "╰─ go — starts sayHello()", "never made, so it is", "runs 2nd to 3rd when"}},
		{[]string{"show"}, 0, []string{"legend: ╰─", "╰▸ an inlay hint", "╰✗"}},
		{[]string{"show", "README.md"}, 2, nil},
		{[]string{"show", "notes.txt"}, 2, nil},
		{[]string{"frobnicate"}, 2, nil},
	}
	for _, c := range cases {
		var out, errb bytes.Buffer
		code := run(c.args, strings.NewReader(""), &out, &errb)
		if code != c.code {
			t.Errorf("golens %v: exit %d, want %d (stderr %q)", c.args, code, c.code, errb.String())
		}
		for _, s := range c.contains {
			if !strings.Contains(out.String(), s) {
				t.Errorf("golens %v: output lacks %q", c.args, s)
			}
		}
	}
}

func TestShowFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.go")
	os.WriteFile(path, []byte("package p\n\nfunc f(ch chan int) {\n\tselect {\n\tcase ch <- 1:\n\tdefault:\n\t}\n}\n"), 0o644)
	var out, errb bytes.Buffer
	if code := run([]string{"show", path}, nil, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	if !strings.Contains(out.String(), "never blocks") {
		t.Errorf("show output lacks the select's hover:\n%s", out.String())
	}
	if code := run([]string{"show", filepath.Join(t.TempDir(), "missing.go")}, nil, &out, &errb); code != 1 {
		t.Errorf("missing file: exit %d, want 1", code)
	}
}

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

func binary(tb testing.TB) string {
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "golens-bin")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "golens")
		out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("%v: %s", err, out)
		}
	})
	if buildErr != nil {
		tb.Fatal(buildErr)
	}
	return binPath
}

type lspProc struct {
	cmd *exec.Cmd
	in  io.WriteCloser
	out *bufio.Reader
}

func startProc(tb testing.TB) *lspProc {
	cmd := exec.Command(binary(tb))
	in, _ := cmd.StdinPipe()
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		tb.Fatal(err)
	}
	return &lspProc{cmd: cmd, in: in, out: bufio.NewReader(out)}
}

func (p *lspProc) send(msg any) {
	body, _ := json.Marshal(msg)
	fmt.Fprintf(p.in, "Content-Length: %d\r\n\r\n%s", len(body), body)
}

// response reads frames until the reply to id.
func (p *lspProc) response(tb testing.TB, id int) map[string]any {
	for {
		n := 0
		for {
			line, err := p.out.ReadString('\n')
			if err != nil {
				tb.Fatal(err)
			}
			line = strings.TrimSpace(line)
			if line == "" {
				break
			}
			if v, ok := strings.CutPrefix(line, "Content-Length: "); ok {
				n, _ = strconv.Atoi(v)
			}
		}
		buf := make([]byte, n)
		if _, err := io.ReadFull(p.out, buf); err != nil {
			tb.Fatal(err)
		}
		var m map[string]any
		json.Unmarshal(buf, &m)
		if v, ok := m["id"].(float64); ok && int(v) == id {
			return m
		}
	}
}

func (p *lspProc) exit(tb testing.TB) int {
	p.send(map[string]any{"jsonrpc": "2.0", "id": 999, "method": "shutdown"})
	p.response(tb, 999)
	p.send(map[string]any{"jsonrpc": "2.0", "method": "exit"})
	p.in.Close()
	err := p.cmd.Wait()
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	return 0
}

// TestBinaryServesLSP runs the real binary over stdio: initialize, a hover,
// shutdown and exit with code 0.
func TestBinaryServesLSP(t *testing.T) {
	p := startProc(t)
	p.send(map[string]any{"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": map[string]any{"capabilities": map[string]any{}}})
	res := p.response(t, 1)
	if !strings.Contains(fmt.Sprint(res["result"]), "golens") {
		t.Fatalf("initialize = %v", res)
	}
	p.send(map[string]any{"jsonrpc": "2.0", "method": "initialized", "params": map[string]any{}})
	p.send(map[string]any{"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": map[string]any{"textDocument": map[string]any{
		"uri": "file:///tmp/a.go", "languageId": "go", "version": 1, "text": "package p\n\nfunc f() {\n\tgo f()\n}\n"}}})
	p.send(map[string]any{"jsonrpc": "2.0", "id": 2, "method": "textDocument/hover", "params": map[string]any{
		"textDocument": map[string]any{"uri": "file:///tmp/a.go"}, "position": map[string]any{"line": 3, "character": 1}}})
	if res := p.response(t, 2); !strings.Contains(fmt.Sprint(res["result"]), "new goroutine") {
		t.Fatalf("hover = %v", res)
	}
	if code := p.exit(t); code != 0 {
		t.Errorf("exit code %d after shutdown, want 0", code)
	}
}

// BenchmarkInitialize measures process start to initialize response.
func BenchmarkInitialize(b *testing.B) {
	binary(b)
	for i := 0; b.Loop(); i++ {
		t0 := time.Now()
		p := startProc(b)
		p.send(map[string]any{"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": map[string]any{"capabilities": map[string]any{}}})
		p.response(b, 1)
		b.ReportMetric(float64(time.Since(t0).Microseconds())/1000, "ms-to-initialize")
		p.exit(b)
	}
}

// BenchmarkPeakRSS opens the dense 5,000-line file in the real binary,
// hovers every construct and makes edits, then reports the process's peak
// resident set (VmHWM).
func BenchmarkPeakRSS(b *testing.B) {
	if _, err := os.Stat("/proc/self/status"); err != nil {
		b.Skip("no /proc: peak RSS is measured on Linux")
	}
	dense := string(densefile.Source(5000))
	for i := 0; b.Loop(); i++ {
		p := startProc(b)
		p.send(map[string]any{"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": map[string]any{"capabilities": map[string]any{}}})
		p.response(b, 1)
		p.send(map[string]any{"jsonrpc": "2.0", "method": "initialized", "params": map[string]any{}})
		uri := "file:///tmp/dense.go"
		p.send(map[string]any{"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": map[string]any{"textDocument": map[string]any{"uri": uri, "languageId": "go", "version": 1, "text": dense}}})
		id := 10
		for line, text := range strings.Split(dense, "\n") {
			if c := strings.Index(text, "go func"); c >= 0 {
				id++
				p.send(map[string]any{"jsonrpc": "2.0", "id": id, "method": "textDocument/hover", "params": map[string]any{"textDocument": map[string]any{"uri": uri}, "position": map[string]any{"line": line, "character": c}}})
				p.response(b, id)
			}
			if line%500 == 0 {
				p.send(map[string]any{"jsonrpc": "2.0", "method": "textDocument/didChange", "params": map[string]any{
					"textDocument":   map[string]any{"uri": uri, "version": line + 2},
					"contentChanges": []any{map[string]any{"range": map[string]any{"start": map[string]any{"line": line, "character": 0}, "end": map[string]any{"line": line, "character": 0}}, "text": " "}}}})
			}
		}
		status, _ := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
		for _, l := range strings.Split(string(status), "\n") {
			if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
				kb, _ := strconv.Atoi(strings.Fields(v)[0])
				b.ReportMetric(float64(kb)/1024, "peak-RSS-MB")
			}
		}
		p.exit(b)
	}
}

// TestShowRefusesNonGo: golens show says why it does not annotate a file
// that is not Go, instead of annotating it.
func TestShowRefusesNonGo(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"README.md", "main.go.orig", "Makefile"} {
		path := filepath.Join(dir, name)
		os.WriteFile(path, []byte("go func() {}()\n"), 0o644)
		var out, errb bytes.Buffer
		if code := run([]string{"show", path}, nil, &out, &errb); code != 2 {
			t.Errorf("show %s: exit %d, want 2", name, code)
		}
		if !strings.Contains(errb.String(), "is not a Go file") || out.Len() != 0 {
			t.Errorf("show %s: stdout %q, stderr %q; want only an error saying it is not Go", name, out.String(), errb.String())
		}
	}
}
