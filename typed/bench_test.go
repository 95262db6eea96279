package typed_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golens/golens/typed"
)

// genPackage writes a module with one package of n files (about 120 lines
// each, concurrency-heavy, referring to each other's types) and returns the
// module dir.
func genPackage(t testing.TB, n int) string {
	files := map[string]string{"go.mod": "module example.com/bench\n\ngo 1.22\n"}
	for i := 0; i < n; i++ {
		files[fmt.Sprintf("f%02d.go", i)] = genFile(i, n, "")
	}
	return writeModule(t, files)
}

func genFile(i, n int, extra string) string {
	next := (i + 1) % n
	var b strings.Builder
	fmt.Fprintf(&b, `package bench

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"
)

// Thing%[1]d is a worker pool.
type Thing%[1]d struct {
	mu    sync.Mutex
	wg    sync.WaitGroup
	jobs  chan string
	out   chan<- int
	count int
	next  *Thing%[2]d
}

// NewThing%[1]d makes one.
func NewThing%[1]d() *Thing%[1]d {
	return &Thing%[1]d{jobs: make(chan string, %[1]d)}
}

func (t *Thing%[1]d) Run(ctx context.Context) error {
	defer fmt.Println("done", %[1]d)
	for w := 0; w < 4; w++ {
		t.wg.Add(1)
		go func(id int) {
			defer t.wg.Done()
			for {
				select {
				case j, ok := <-t.jobs:
					if !ok {
						return
					}
					t.mu.Lock()
					t.count += len(strings.TrimSpace(j)) + id
					t.mu.Unlock()
				case <-ctx.Done():
					return
				case <-time.After(time.Second):
				}
			}
		}(w)
	}
	t.wg.Wait()
	if t.next != nil {
		t.next.count++
	}
	return nil
}

func (t *Thing%[1]d) Feed(items []string) {
	defer close(t.jobs)
	for _, it := range items {
		t.jobs <- it
	}
}

func Use%[1]d(ctx context.Context) int {
	p := NewThing%[2]d()
	go p.Feed([]string{"a", "b"})
	_ = p.Run(ctx)
	return p.count
}
`, i, next)
	for k := 0; k < 6; k++ {
		fmt.Fprintf(&b, `
func helper%[1]d_%[2]d(ch chan int, mu *sync.Mutex) int {
	mu.Lock()
	defer mu.Unlock()
	v := <-ch
	ch <- v + %[2]d
	return v
}
`, i, k)
	}
	b.WriteString(extra)
	return b.String()
}

// BenchmarkTypedLoad measures the typed tier on a generated 50-file
// package: a cold load (new Loader, go build cache warm) and a reload after
// an edit (one overlay changed).
func BenchmarkTypedLoad(b *testing.B) {
	dir := genPackage(b, 50)
	file := filepath.Join(dir, "f00.go")
	ctx := context.Background()
	// Warm the go build cache (export data of the dependencies).
	if _, err := typed.NewLoader(typed.Config{}).Load(ctx, typed.Request{File: file}); err != nil {
		b.Fatal(err)
	}
	b.Run("cold", func(b *testing.B) {
		for b.Loop() {
			pkg, err := typed.NewLoader(typed.Config{}).Load(ctx, typed.Request{File: file})
			if err != nil || len(pkg.Files) != 50 {
				b.Fatal(err)
			}
			_ = pkg.File(file).Model()
		}
	})
	b.Run("edit", func(b *testing.B) {
		l := typed.NewLoader(typed.Config{})
		if _, err := l.Load(ctx, typed.Request{File: file}); err != nil {
			b.Fatal(err)
		}
		n := 0
		for b.Loop() {
			n++
			src := []byte(genFile(0, 50, fmt.Sprintf("\nfunc edited%d(ch chan int) { ch <- %d }\n", n, n)))
			pkg, err := l.Load(ctx, typed.Request{File: file, Overlay: map[string][]byte{file: src}})
			if err != nil || !pkg.File(file).Matches(src) {
				b.Fatal(err)
			}
			if !pkg.Incremental {
				b.Fatal("edit not re-checked incrementally")
			}
			_ = pkg.File(file).Model()
		}
	})
}

// BenchmarkGopls measures gopls on the same generated package, for
// comparison: "cold" is process start → initialize → didOpen → the answer
// to a hover that needs types; "edit" is didChange → the answer to the next
// hover. It is skipped when gopls is not installed.
func BenchmarkGopls(b *testing.B) {
	gopls := findGopls()
	if gopls == "" {
		b.Skip("gopls not installed (go install golang.org/x/tools/gopls@v0.21.1); skipping the comparison")
	}
	dir := genPackage(b, 50)
	file := filepath.Join(dir, "f00.go")
	src := genFile(0, 50, "")
	line, col := position(src, "NewThing1()")
	b.Logf("gopls: %s", gopls)
	b.Run("cold", func(b *testing.B) {
		for b.Loop() {
			c := startGopls(b, gopls, dir)
			c.initialize(b, dir)
			c.notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{
				"uri": "file://" + file, "languageId": "go", "version": 1, "text": src}})
			c.hover(b, file, line, col)
			c.close()
		}
	})
	b.Run("edit", func(b *testing.B) {
		c := startGopls(b, gopls, dir)
		defer c.close()
		c.initialize(b, dir)
		c.notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{
			"uri": "file://" + file, "languageId": "go", "version": 1, "text": src}})
		c.hover(b, file, line, col)
		v := 1
		for b.Loop() {
			v++
			text := genFile(0, 50, fmt.Sprintf("\nfunc edited%d(ch chan int) { ch <- %d }\n", v, v))
			c.notify("textDocument/didChange", map[string]any{
				"textDocument":   map[string]any{"uri": "file://" + file, "version": v},
				"contentChanges": []any{map[string]any{"text": text}},
			})
			c.hover(b, file, line, col)
		}
	})
}

func findGopls() string {
	if p, err := exec.LookPath("gopls"); err == nil {
		return p
	}
	out, err := exec.Command("go", "env", "GOBIN", "GOPATH").Output()
	if err != nil {
		return ""
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	var cands []string
	if len(lines) > 0 && lines[0] != "" {
		cands = append(cands, filepath.Join(lines[0], "gopls"))
	}
	if len(lines) > 1 {
		for _, p := range filepath.SplitList(lines[1]) {
			cands = append(cands, filepath.Join(p, "bin", "gopls"))
		}
	}
	for _, c := range cands {
		if fi, err := os.Stat(c); err == nil && !fi.IsDir() {
			return c
		}
	}
	return ""
}

// position returns the 0-based line and UTF-16 column of the first match
// (the generated source is ASCII).
func position(src, what string) (int, int) {
	i := strings.Index(src, what)
	line := strings.Count(src[:i], "\n")
	col := i - (strings.LastIndex(src[:i], "\n") + 1)
	return line, col
}

// ---- a minimal LSP client over stdio, enough to time gopls ----

type lspClient struct {
	cmd    *exec.Cmd
	in     io.WriteCloser
	mu     sync.Mutex
	nextID int
	wait   map[int]chan json.RawMessage
	done   chan struct{}
}

func startGopls(b testing.TB, gopls, dir string) *lspClient {
	cmd := exec.Command(gopls)
	cmd.Dir = dir
	in, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	c := &lspClient{cmd: cmd, in: in, wait: map[int]chan json.RawMessage{}, done: make(chan struct{})}
	go c.read(bufio.NewReader(out))
	return c
}

func (c *lspClient) write(msg map[string]any) {
	msg["jsonrpc"] = "2.0"
	body, _ := json.Marshal(msg)
	c.mu.Lock()
	defer c.mu.Unlock()
	fmt.Fprintf(c.in, "Content-Length: %d\r\n\r\n%s", len(body), body)
}

func (c *lspClient) read(r *bufio.Reader) {
	defer close(c.done)
	for {
		n := -1
		for {
			line, err := r.ReadString('\n')
			if err != nil {
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
		if n < 0 {
			return
		}
		body := make([]byte, n)
		if _, err := io.ReadFull(r, body); err != nil {
			return
		}
		var msg struct {
			ID     json.RawMessage `json:"id"`
			Method string          `json:"method"`
			Result json.RawMessage `json:"result"`
			Params json.RawMessage `json:"params"`
		}
		if json.Unmarshal(body, &msg) != nil {
			continue
		}
		switch {
		case msg.Method != "" && msg.ID != nil:
			// A request from the server: answer so it never waits on us.
			var result any
			if msg.Method == "workspace/configuration" {
				var p struct {
					Items []any `json:"items"`
				}
				json.Unmarshal(msg.Params, &p)
				items := make([]any, len(p.Items))
				for i := range items {
					items[i] = map[string]any{}
				}
				result = items
			}
			c.write(map[string]any{"id": msg.ID, "result": result})
		case msg.Method == "" && msg.ID != nil:
			id, _ := strconv.Atoi(string(msg.ID))
			c.mu.Lock()
			ch := c.wait[id]
			delete(c.wait, id)
			c.mu.Unlock()
			if ch != nil {
				ch <- msg.Result
			}
		}
	}
}

func (c *lspClient) call(b testing.TB, method string, params any) json.RawMessage {
	c.mu.Lock()
	c.nextID++
	id := c.nextID
	ch := make(chan json.RawMessage, 1)
	c.wait[id] = ch
	c.mu.Unlock()
	c.write(map[string]any{"id": id, "method": method, "params": params})
	select {
	case r := <-ch:
		return r
	case <-c.done:
		b.Fatalf("gopls exited during %s", method)
	case <-time.After(2 * time.Minute):
		b.Fatalf("gopls did not answer %s", method)
	}
	return nil
}

func (c *lspClient) notify(method string, params any) {
	c.write(map[string]any{"method": method, "params": params})
}

func (c *lspClient) initialize(b testing.TB, dir string) {
	c.call(b, "initialize", map[string]any{
		"processId":        os.Getpid(),
		"rootUri":          "file://" + dir,
		"workspaceFolders": []any{map[string]any{"uri": "file://" + dir, "name": "bench"}},
		"capabilities": map[string]any{
			"textDocument": map[string]any{"hover": map[string]any{"contentFormat": []string{"markdown"}}},
			"workspace":    map[string]any{"configuration": true},
		},
	})
	c.notify("initialized", map[string]any{})
}

func (c *lspClient) hover(b testing.TB, file string, line, col int) {
	r := c.call(b, "textDocument/hover", map[string]any{
		"textDocument": map[string]any{"uri": "file://" + file},
		"position":     map[string]any{"line": line, "character": col},
	})
	if !strings.Contains(string(r), "NewThing1") {
		b.Fatalf("hover did not answer with types: %s", r)
	}
}

func (c *lspClient) close() {
	done := make(chan struct{})
	go func() {
		defer close(done)
		c.mu.Lock()
		c.nextID++
		id := c.nextID
		c.mu.Unlock()
		c.write(map[string]any{"id": id, "method": "shutdown"})
		c.write(map[string]any{"method": "exit"})
		c.in.Close()
		c.cmd.Wait()
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		c.cmd.Process.Kill()
		<-done
	}
}
