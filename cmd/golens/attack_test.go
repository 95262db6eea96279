//go:build unix

package main

// The attack suite: it drives the real binary over stdio with what an
// unlucky editor session, a hostile workspace or a large repository sends
// (issue 10), and after each attack checks that an ordinary hover still
// answers correctly. It runs with the other tests (go test ./...).

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/golens/golens/internal/densefile"
)

// attackProc is a golens process with a reader that files replies by id
// and keeps the server's notifications.
type attackProc struct {
	t      *testing.T
	cmd    *exec.Cmd
	in     io.WriteCloser
	stderr *lockedBuffer

	mu      sync.Mutex
	replies map[int]chan map[string]any
	notes   []map[string]any
	nextID  int
	readErr error
}

type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// normalURI is the document every attack's closing hover asks about.
const normalURI = "file:///attack/normal.go"

const normalSrc = "package p\n\nfunc f() {\n\tch := make(chan int, 3)\n\tgo f()\n\tch <- 1\n}\n"

func startAttack(t *testing.T) *attackProc {
	t.Helper()
	return startAttackWith(t, binary(t))
}

func startAttackWith(t *testing.T, bin string) *attackProc {
	t.Helper()
	cmd := exec.Command(bin)
	in, _ := cmd.StdinPipe()
	out, _ := cmd.StdoutPipe()
	p := &attackProc{t: t, cmd: cmd, in: in, stderr: &lockedBuffer{}, replies: map[int]chan map[string]any{}, nextID: 100}
	cmd.Stderr = p.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		if cmd.ProcessState == nil {
			cmd.Wait()
		}
	})
	go p.read(bufio.NewReaderSize(out, 1<<16))
	p.call("initialize", map[string]any{"capabilities": map[string]any{}})
	p.notify("initialized", map[string]any{})
	p.open(normalURI, normalSrc)
	p.checkHover("start")
	return p
}

func (p *attackProc) read(r *bufio.Reader) {
	for {
		n := -1
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				p.mu.Lock()
				p.readErr = err
				for _, ch := range p.replies {
					close(ch)
				}
				p.replies = map[int]chan map[string]any{}
				p.mu.Unlock()
				return
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
		if _, err := io.ReadFull(r, buf); err != nil {
			continue
		}
		var m map[string]any
		json.Unmarshal(buf, &m)
		id, isReply := m["id"].(float64)
		if _, hasMethod := m["method"]; hasMethod || !isReply {
			p.mu.Lock()
			p.notes = append(p.notes, m)
			p.mu.Unlock()
			continue
		}
		p.mu.Lock()
		ch := p.replies[int(id)]
		delete(p.replies, int(id))
		p.mu.Unlock()
		if ch != nil {
			ch <- m
		}
	}
}

// raw writes one frame with body as is.
func (p *attackProc) raw(body string) {
	fmt.Fprintf(p.in, "Content-Length: %d\r\n\r\n%s", len(body), body)
}

func (p *attackProc) notify(method string, params any) {
	body, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "method": method, "params": params})
	p.raw(string(body))
}

// send sends a request and returns the channel its reply arrives on.
func (p *attackProc) send(method string, params any) (int, chan map[string]any) {
	p.mu.Lock()
	p.nextID++
	id := p.nextID
	ch := make(chan map[string]any, 1)
	p.replies[id] = ch
	p.mu.Unlock()
	body, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": id, "method": method, "params": params})
	p.raw(string(body))
	return id, ch
}

// wait returns the reply on ch, failing the test if none comes.
func (p *attackProc) wait(what string, ch chan map[string]any, timeout time.Duration) map[string]any {
	p.t.Helper()
	select {
	case m, ok := <-ch:
		if !ok {
			p.t.Fatalf("%s: the server closed its output (%v); stderr:\n%s", what, p.readErr, p.stderr.String())
		}
		return m
	case <-time.After(timeout):
		p.t.Fatalf("%s: no reply within %v: the server went deaf; stderr:\n%s", what, timeout, tail(p.stderr.String()))
		return nil
	}
}

func tail(s string) string {
	if len(s) > 2000 {
		return "…" + s[len(s)-2000:]
	}
	return s
}

func (p *attackProc) call(method string, params any) map[string]any {
	p.t.Helper()
	_, ch := p.send(method, params)
	return p.wait(method, ch, 30*time.Second)
}

func (p *attackProc) open(uri, text string) {
	p.notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{"uri": uri, "languageId": "go", "version": 1, "text": text}})
}

func hoverParams(uri string, line, char int) map[string]any {
	return map[string]any{"textDocument": map[string]any{"uri": uri}, "position": map[string]any{"line": line, "character": char}}
}

// checkHover asks for the hover on normalSrc's go statement: after every
// attack the server must still answer it, and correctly.
func (p *attackProc) checkHover(after string) {
	p.t.Helper()
	m := p.call("textDocument/hover", hoverParams(normalURI, 4, 1))
	if !strings.Contains(fmt.Sprint(m["result"]), "goroutine") {
		p.t.Fatalf("after %s: hover = %v", after, m)
	}
}

// logged reports whether the server sent a log message containing s.
func (p *attackProc) logged(s string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, n := range p.notes {
		if n["method"] == "window/logMessage" && strings.Contains(fmt.Sprint(n["params"]), s) {
			return true
		}
	}
	return false
}

func (p *attackProc) waitLogged(s string) {
	p.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !p.logged(s) {
		if time.Now().After(deadline) {
			p.t.Fatalf("the server never logged %q", s)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// diagnosticsFor returns the last publishDiagnostics for uri, if any.
func (p *attackProc) diagnosticsFor(uri string) (map[string]any, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for i := len(p.notes) - 1; i >= 0; i-- {
		n := p.notes[i]
		if n["method"] == "textDocument/publishDiagnostics" {
			if params, _ := n["params"].(map[string]any); params["uri"] == uri {
				return params, true
			}
		}
	}
	return nil, false
}

func TestAttackMalformedFramesAndJSON(t *testing.T) {
	p := startAttack(t)
	for _, body := range []string{
		`{`, `hello`, `null`, `[]`, `[1,2]`, `"str"`, `{"jsonrpc":"2.0"}`,
		`{"jsonrpc":"2.0","id":1}`, `{"jsonrpc":"1.0","id":1,"method":"shutdown"}`,
		`{"jsonrpc":"2.0","id":null,"method":"textDocument/hover","params":{}}`,
		`{"jsonrpc":"2.0","id":1.5,"method":"shutdown"}`, `{"jsonrpc":"2.0","id":{},"method":"shutdown"}`,
		`{"jsonrpc":"2.0","id":[1],"method":"shutdown"}`, `{"jsonrpc":"2.0","id":true,"method":"shutdown"}`,
		`{"jsonrpc":"2.0","id":1,"method":"textDocument/hover","result":1}`,
		`{"jsonrpc":"2.0","method":"$/cancelRequest","params":{}}`,
		`{"jsonrpc":"2.0","method":"$/cancelRequest","params":null}`,
		`{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":null}}`,
		`{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":1.5}}`,
		`{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":{}}}`,
		`{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":[]}}`,
		`{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":"nope"}}`,
		`{"jsonrpc":"2.0","method":"textDocument/didChange","params":"x"}`,
		"{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"textDocument/hover\",\"params\":{\"textDocument\":{\"uri\":\"file:///\xff\xfe\"}}}",
		strings.Repeat("[", 100000) + strings.Repeat("]", 100000),
		`{"jsonrpc":"2.0","method":"x","params":{"a":"` + strings.Repeat("z", 1<<20) + `"}}`,
	} {
		p.raw(body)
		p.checkHover(fmt.Sprintf("frame %.40q", body))
	}
	// An unknown method, and id null, are answered, with the right codes.
	if m := p.call("golens/unknown", map[string]any{}); !strings.Contains(fmt.Sprint(m["error"]), "-32601") {
		t.Errorf("unknown method: %v", m)
	}
}

func TestAttackWrongParameterTypes(t *testing.T) {
	p := startAttack(t)
	for _, tc := range []struct {
		method string
		params any
	}{
		{"textDocument/hover", map[string]any{"textDocument": 1}},
		{"textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": normalURI}, "position": "x"}},
		{"textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": normalURI}, "position": map[string]any{"line": -1, "character": -5}}},
		{"textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": normalURI}, "position": map[string]any{"line": 1e12, "character": 1.5}}},
		{"textDocument/hover", []any{1, 2}},
		{"textDocument/inlayHint", map[string]any{"textDocument": map[string]any{"uri": normalURI}, "range": "all"}},
		{"textDocument/inlayHint", map[string]any{"textDocument": map[string]any{"uri": normalURI}, "range": map[string]any{"start": map[string]any{"line": 9, "character": 0}, "end": map[string]any{"line": 0, "character": 0}}}},
		{"inlayHint/resolve", map[string]any{"label": 5, "position": map[string]any{"line": 0, "character": 0}, "data": "x"}},
		{"inlayHint/resolve", map[string]any{"label": "x", "position": map[string]any{"line": 0, "character": 0}, "data": map[string]any{"uri": 7}}},
		{"textDocument/codeAction", map[string]any{"textDocument": map[string]any{"uri": normalURI}, "range": nil, "context": nil}},
		{"textDocument/completion", map[string]any{"textDocument": map[string]any{"uri": normalURI}, "position": map[string]any{"line": "3"}}},
		{"workspace/executeCommand", map[string]any{"command": "golens.explainAt", "arguments": []any{"x", 1}}},
		{"workspace/executeCommand", map[string]any{"command": 5}},
		{"initialize", map[string]any{"capabilities": "none"}},
	} {
		m := p.call(tc.method, tc.params)
		if e, ok := m["error"].(map[string]any); ok && e["code"] == float64(-32700) {
			t.Errorf("%s %v: parse error for parameters: %v", tc.method, tc.params, e)
		}
		p.checkHover(tc.method)
	}
	for _, tc := range []struct {
		method string
		params any
	}{
		{"textDocument/didOpen", map[string]any{"textDocument": map[string]any{"uri": "file:///attack/x.go", "text": 5}}},
		{"textDocument/didChange", map[string]any{"textDocument": map[string]any{"uri": normalURI, "version": "2"}, "contentChanges": "x"}},
		{"textDocument/didClose", map[string]any{"textDocument": 1}},
		{"workspace/didChangeConfiguration", map[string]any{"settings": map[string]any{"hints": "on", "checks": []any{1}}}},
		{"workspace/didChangeWatchedFiles", map[string]any{"changes": "all"}},
	} {
		p.notify(tc.method, tc.params)
		p.checkHover(tc.method)
	}
}

func TestAttackSpecialFileURIs(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo.go")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("no FIFOs: %v", err)
	}
	p := startAttack(t)
	for _, path := range []string{"/dev/zero", "/dev/urandom", "/dev/stdin", "/dev/stdout", "/dev/stderr", "/proc/self/fd/0", fifo, dir, "/nonexistent/x.go"} {
		uri := "file://" + path
		t0 := time.Now()
		_, ch := p.send("textDocument/hover", hoverParams(uri, 0, 0))
		if m := p.wait("hover on "+path, ch, 5*time.Second); m["error"] == nil {
			t.Errorf("hover on %s: no error: %v", path, m)
		}
		_, ch = p.send("inlayHint/resolve", map[string]any{"label": "x", "position": map[string]any{"line": 0, "character": 0}, "data": map[string]any{"uri": uri, "hint": "k"}})
		p.wait("resolve on "+path, ch, 5*time.Second)
		_, ch = p.send("textDocument/inlayHint", map[string]any{"textDocument": map[string]any{"uri": uri}, "range": map[string]any{"start": map[string]any{"line": 0, "character": 0}, "end": map[string]any{"line": 9, "character": 0}}})
		p.wait("inlay hints on "+path, ch, 5*time.Second)
		if d := time.Since(t0); d > 5*time.Second {
			t.Errorf("%s took %v", path, d)
		}
		p.checkHover(path)
	}
}

func change(uri string, version int, changes ...map[string]any) map[string]any {
	return map[string]any{"textDocument": map[string]any{"uri": uri, "version": version}, "contentChanges": changes}
}

func edit(l1, c1, l2, c2 int, text string) map[string]any {
	return map[string]any{"range": map[string]any{"start": map[string]any{"line": l1, "character": c1}, "end": map[string]any{"line": l2, "character": c2}}, "text": text}
}

func TestAttackOutOfOrderAndOverlappingEdits(t *testing.T) {
	p := startAttack(t)
	const u = "file:///attack/edits.go"
	p.open(u, normalSrc)
	for i, params := range []map[string]any{
		change(u, 5, edit(99, 0, 99, 1, "x")),                           // past the end
		change(u, 4, edit(4, 5, 4, 1, "x")),                             // end before start
		change(u, 3, edit(4, 1, 4, 3, "xx"), edit(4, 2, 4, 4, "yy")),    // overlapping ranges
		change(u, 2, edit(4, 0, 4, 0, "\t"), edit(0, 0, 0, 0, "// \n")), // out of order
		change(u, 1, edit(0, 0, 0, 0, "")),                              // version going back
		change(u, 7, edit(0, 1<<30, 1<<30, 0, "x")),                     // huge numbers
		change("file:///attack/never-opened.go", 2, edit(0, 0, 0, 0, "x")),
		change(u, 8, map[string]any{"text": normalSrc}), // whole document
	} {
		p.notify("textDocument/didChange", params)
		p.checkHover(fmt.Sprintf("edit %d", i))
	}
	// The document still makes sense: the go statement of the whole-document
	// change answers.
	if m := p.call("textDocument/hover", hoverParams(u, 4, 1)); !strings.Contains(fmt.Sprint(m["result"]), "goroutine") {
		t.Errorf("hover after the edits = %v", m)
	}
	p.notify("textDocument/didClose", map[string]any{"textDocument": map[string]any{"uri": u}})
	p.notify("textDocument/didChange", change(u, 9, edit(0, 0, 0, 0, "x")))
	p.open(u, normalSrc)
	p.open(u, normalSrc) // opened twice
	p.checkHover("close, change after close, open twice")
}

// denseOfSize returns generated concurrency-dense Go of at least n bytes,
// and the line and column of a go statement in its last function.
func denseOfSize(n int) (src string, line, col int) {
	text := string(densefile.Source(n / 17))
	lines := strings.Split(text, "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if c := strings.Index(lines[i], "go func"); c >= 0 {
			return text, i, c
		}
	}
	return text, 0, 0
}

func TestAttackLargeFiles(t *testing.T) {
	p := startAttack(t)
	for _, mb := range []int{1, 5, 20} {
		src, line, col := denseOfSize(mb << 20)
		uri := fmt.Sprintf("file:///attack/big%d.go", mb)
		t0 := time.Now()
		p.open(uri, src)
		_, ch := p.send("textDocument/hover", hoverParams(uri, line, col))
		m := p.wait(fmt.Sprintf("%d MB hover", mb), ch, 120*time.Second)
		if !strings.Contains(fmt.Sprint(m["result"]), "goroutine") {
			t.Errorf("%d MB: hover on the last go statement = %v", mb, m)
		}
		t.Logf("%d MB (%d bytes): open + hover at the end in %v", mb, len(src), time.Since(t0))
		// Inlay hints over the whole file answer (a part, above the limit).
		_, ch = p.send("textDocument/inlayHint", map[string]any{"textDocument": map[string]any{"uri": uri}, "range": map[string]any{"start": map[string]any{"line": 0, "character": 0}, "end": map[string]any{"line": line + 10, "character": 0}}})
		p.wait(fmt.Sprintf("%d MB inlay hints", mb), ch, 120*time.Second)
		if mb > 4 {
			p.waitLogged(fmt.Sprintf("big%d.go is", mb))
		}
		p.checkHover(fmt.Sprintf("%d MB file", mb))
		p.notify("textDocument/didClose", map[string]any{"textDocument": map[string]any{"uri": uri}})
	}
}

func TestAttackLongLinesAndDeepNesting(t *testing.T) {
	p := startAttack(t)
	// 600,000 statements on one line (6 MB): above the limit, and one
	// declaration too large to model; it must be answered, not hang.
	var b strings.Builder
	b.WriteString("package p\n\nfunc g() {}\n\nfunc f() { ")
	for i := 0; i < 600000; i++ {
		b.WriteString("go g(); ")
	}
	b.WriteString("}\n")
	p.open("file:///attack/line.go", b.String())
	_, ch := p.send("textDocument/hover", hoverParams("file:///attack/line.go", 4, 11+8*599999))
	p.wait("hover on a 6 MB line", ch, 120*time.Second)
	p.checkHover("a 600,000-statement line")
	// 100,000 statements on one line (0.8 MB): modelled; the last one
	// answers.
	b.Reset()
	b.WriteString("package p\n\nfunc g() {}\n\nfunc f() { ")
	for i := 0; i < 100000; i++ {
		b.WriteString("go g(); ")
	}
	b.WriteString("}\n")
	p.open("file:///attack/line1.go", b.String())
	_, ch = p.send("textDocument/hover", hoverParams("file:///attack/line1.go", 4, 11+8*99999))
	if m := p.wait("hover at the end of a long line", ch, 120*time.Second); !strings.Contains(fmt.Sprint(m["result"]), "goroutine") {
		t.Errorf("hover at the end of a 0.8 MB line = %v", m)
	}
	p.checkHover("a 100,000-statement line")
	// 10,000 nested blocks: go/parser gives up; the log says why.
	n := 10000
	deep := "package p\n\nfunc f() {}\n\nfunc deep() {\n" + strings.Repeat("{", n) + "\ngo f()\n" + strings.Repeat("}", n) + "\n}\n"
	p.open("file:///attack/deep.go", deep)
	p.call("textDocument/hover", hoverParams("file:///attack/deep.go", 6, 0))
	p.waitLogged("deep.go cannot be parsed")
	p.checkHover("deep nesting")
}

// TestAttackEditStorm: 2,000 edits, each followed by a pipelined hover
// that is not waited for. Each edit inserts a space before the go
// statement, so a hover answers "goroutine" only if it sees exactly the
// version current when it was sent.
func TestAttackEditStorm(t *testing.T) {
	p := startAttack(t)
	const u = "file:///attack/storm.go"
	p.open(u, normalSrc)
	const edits = 2000
	chans := make([]chan map[string]any, 0, edits)
	for i := 1; i <= edits; i++ {
		p.notify("textDocument/didChange", change(u, i+1, edit(4, 0, 4, 0, " ")))
		_, ch := p.send("textDocument/hover", hoverParams(u, 4, 1+i))
		chans = append(chans, ch)
	}
	wrong := 0
	for i, ch := range chans {
		m := p.wait(fmt.Sprintf("hover %d of the storm", i+1), ch, 60*time.Second)
		if !strings.Contains(fmt.Sprint(m["result"]), "goroutine") {
			wrong++
			if wrong < 5 {
				t.Errorf("hover %d answered for another version: %v", i+1, m)
			}
		}
	}
	if wrong > 0 {
		t.Errorf("%d of %d pipelined hovers answered for another version", wrong, edits)
	}
	p.checkHover("the edit storm")
	// The process is still healthy: shutdown and exit with 0.
	p.call("shutdown", nil)
	p.notify("exit", nil)
	p.in.Close()
	if err := p.cmd.Wait(); err != nil {
		t.Errorf("exit after the attacks: %v; stderr:\n%s", err, tail(p.stderr.String()))
	}
}

var _ = os.Getpid

// BenchmarkPeakRSS5MB opens a 5 MB file dense with concurrency in the real
// binary, hovers at its end and in its middle, asks for the inlay hints of a
// screenful, types in it, and reports the process's peak resident set
// (VmHWM) against the file's size (budget: 10x).
func BenchmarkPeakRSS5MB(b *testing.B) {
	if _, err := os.Stat("/proc/self/status"); err != nil {
		b.Skip("no /proc: peak RSS is measured on Linux")
	}
	src, line, col := denseOfSize(5 << 20)
	t := &testing.T{}
	for b.Loop() {
		binary(b)
		p := startAttack(t)
		const uri = "file:///bench/five.go"
		p.open(uri, src)
		for i, l := range []int{line, line / 2, 100} {
			p.call("textDocument/hover", hoverParams(uri, l, col))
			p.call("textDocument/inlayHint", map[string]any{"textDocument": map[string]any{"uri": uri}, "range": map[string]any{"start": map[string]any{"line": l, "character": 0}, "end": map[string]any{"line": l + 60, "character": 0}}})
			p.notify("textDocument/didChange", change(uri, i+2, edit(l, 0, l, 0, " ")))
		}
		p.call("textDocument/hover", hoverParams(uri, line, col+1))
		status, _ := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
		for _, l := range strings.Split(string(status), "\n") {
			if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
				kb, _ := strconv.Atoi(strings.Fields(v)[0])
				b.ReportMetric(float64(kb)/1024, "peak-RSS-MB")
				b.ReportMetric(float64(kb)*1024/float64(len(src)), "x-file-size")
			}
		}
		p.cmd.Process.Kill()
		p.cmd.Wait()
	}
	b.ReportMetric(float64(len(src))/(1<<20), "file-MB")
}
