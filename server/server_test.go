package server

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// testClient records what the server sends to the client.
type testClient struct {
	protocol.UnimplementedClient
	mu   sync.Mutex
	logs []string
}

func (c *testClient) LogMessage(ctx context.Context, p *protocol.LogMessageParams) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.logs = append(c.logs, p.Message)
	return nil
}

func (c *testClient) logged(substr string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, l := range c.logs {
		if strings.Contains(l, substr) {
			return true
		}
	}
	return false
}

type session struct {
	t      *testing.T
	srv    *Server
	remote protocol.Server
	client recordingClient
	conn   jsonrpc2.Conn
	exit   chan int
}

// start connects a server and a client over an in-memory pipe with real
// LSP framing.
func start(t *testing.T, configure func(*Server)) *session {
	return startWith(t, &testClient{}, configure)
}

// recordingClient is what a test client records: logs at least.
type recordingClient interface {
	protocol.Client
	logged(substr string) bool
}

func startWith(t *testing.T, client recordingClient, configure func(*Server)) *session {
	t.Helper()
	a, b := net.Pipe()
	exit := make(chan int, 1)
	srv := New(Options{Version: "v-test", OnExit: func(code int) { exit <- code }})
	if configure != nil {
		configure(srv)
	}
	ctx, cancel := context.WithCancel(context.Background())
	srv.Connect(ctx, jsonrpc2.NewHeaderStream(a))
	// The test client reads through the same frame-copying stream as the
	// server. On jsonrpc2's fast path a response is decoded from its reused
	// read buffer and protocol's decoder keeps strings that alias it, so a
	// result's titles could be overwritten by the next frame (a CI run saw a
	// code action titled with a publishDiagnostics fragment).
	_, conn, remote := protocol.NewClient(ctx, client, newTolerantStream(jsonrpc2.NewHeaderStream(b), nil))
	t.Cleanup(func() {
		cancel()
		conn.Close()
		a.Close()
	})
	return &session{t: t, srv: srv, remote: remote, client: client, conn: conn, exit: exit}
}

func (s *session) initialize(opts string) *protocol.InitializeResult {
	s.t.Helper()
	params := &protocol.InitializeParams{}
	if opts != "" {
		params.InitializationOptions = protocol.LSPAny(opts)
	}
	res, err := s.remote.Initialize(context.Background(), params)
	if err != nil {
		s.t.Fatalf("initialize: %v", err)
	}
	if err := s.remote.Initialized(context.Background(), &protocol.InitializedParams{}); err != nil {
		s.t.Fatal(err)
	}
	return res
}

func (s *session) open(path, text string) uri.URI {
	s.t.Helper()
	u := uri.File(path)
	err := s.remote.DidOpen(context.Background(), &protocol.DidOpenTextDocumentParams{
		TextDocument: protocol.TextDocumentItem{URI: u, LanguageID: "go", Version: 1, Text: text},
	})
	if err != nil {
		s.t.Fatal(err)
	}
	return u
}

func (s *session) hover(u uri.URI, line, char uint32) (*protocol.Hover, error) {
	return s.remote.Hover(context.Background(), &protocol.HoverParams{
		TextDocumentPositionParams: protocol.TextDocumentPositionParams{
			TextDocument: protocol.TextDocumentIdentifier{URI: u},
			Position:     protocol.Position{Line: line, Character: char},
		},
	})
}

func hoverText(h *protocol.Hover) string {
	if h == nil {
		return ""
	}
	if mc, ok := h.Contents.(*protocol.MarkupContent); ok {
		return mc.Value
	}
	return fmt.Sprint(h.Contents)
}

func code(err error) jsonrpc2.Code {
	var e *jsonrpc2.Error
	if errors.As(err, &e) {
		return e.Code
	}
	return 0
}

const sample = `package main

func main() {
	ch := make(chan int)
	go func() { ch <- 1 }()
	<-ch
}
`

func TestLifecycle(t *testing.T) {
	s := start(t, nil)
	// Before initialize, requests are refused with ServerNotInitialized.
	_, err := s.hover(uri.File("/x.go"), 0, 0)
	if code(err) != jsonrpc2.Code(protocol.ErrorCodesServerNotInitialized) {
		t.Fatalf("hover before initialize: err = %v, want ServerNotInitialized", err)
	}
	res := s.initialize("")
	if v, _ := res.ServerInfo.Version.Get(); res.ServerInfo.Name != "golens" || v != "v-test" {
		t.Errorf("serverInfo = %+v", res.ServerInfo)
	}
	if sync, ok := res.Capabilities.TextDocumentSync.(*protocol.TextDocumentSyncOptions); !ok || *sync.Change != protocol.TextDocumentSyncKindIncremental {
		t.Errorf("text sync = %#v, want incremental", res.Capabilities.TextDocumentSync)
	}
	if err := s.remote.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	// After shutdown, requests are invalid.
	if _, err := s.hover(uri.File("/x.go"), 0, 0); code(err) != jsonrpc2.InvalidRequest {
		t.Errorf("hover after shutdown: err = %v, want InvalidRequest", err)
	}
	_ = s.remote.Exit(context.Background())
	select {
	case c := <-s.exit:
		if c != 0 {
			t.Errorf("exit after shutdown: code %d, want 0", c)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no exit")
	}
}

func TestExitWithoutShutdown(t *testing.T) {
	s := start(t, nil)
	s.initialize("")
	_ = s.remote.Exit(context.Background())
	select {
	case c := <-s.exit:
		if c != 1 {
			t.Errorf("exit without shutdown: code %d, want 1", c)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no exit")
	}
}

func TestHoverAfterIncrementalEditsInUTF16(t *testing.T) {
	s := start(t, nil)
	s.initialize("")
	u := s.open("/work/a.go", sample)
	// Insert a line with non-ASCII identifiers (𝛑 is two UTF-16 units)
	// before "go" on line 4: `	π, 𝛑 := 1, 2; _, _ = π, 𝛑; go`
	edit := "π, 𝛑 := 1, 2; _, _ = π, 𝛑; "
	err := s.remote.DidChange(context.Background(), &protocol.DidChangeTextDocumentParams{
		TextDocument: protocol.VersionedTextDocumentIdentifier{TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: u}, Version: 2},
		ContentChanges: []protocol.TextDocumentContentChangeEvent{&protocol.TextDocumentContentChangePartial{
			Range: protocol.Range{Start: protocol.Position{Line: 4, Character: 1}, End: protocol.Position{Line: 4, Character: 1}},
			Text:  edit,
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	col := uint32(1 + len(utf16Units(edit)))
	h, err := s.hover(u, 4, col)
	if err != nil {
		t.Fatal(err)
	}
	if txt := hoverText(h); !strings.Contains(txt, "**go**") || !strings.Contains(txt, "main") {
		t.Fatalf("hover on go after edit = %q", txt)
	}
	if h.Range == nil || h.Range.Start.Character != col || h.Range.End.Character != col+2 {
		t.Errorf("hover range = %+v, want characters %d-%d", h.Range, col, col+2)
	}
}

func utf16Units(s string) []uint16 {
	var out []uint16
	for _, r := range s {
		if r >= 0x10000 {
			out = append(out, 0, 0)
		} else {
			out = append(out, 0)
		}
	}
	return out
}

func TestOutOfRangeEditKeepsDocument(t *testing.T) {
	s := start(t, nil)
	s.initialize("")
	u := s.open("/work/a.go", sample)
	err := s.remote.DidChange(context.Background(), &protocol.DidChangeTextDocumentParams{
		TextDocument: protocol.VersionedTextDocumentIdentifier{TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: u}, Version: 2},
		ContentChanges: []protocol.TextDocumentContentChangeEvent{&protocol.TextDocumentContentChangePartial{
			Range: protocol.Range{Start: protocol.Position{Line: 99, Character: 0}, End: protocol.Position{Line: 99, Character: 3}},
			Text:  "oops",
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	// The server still answers on the old text, and said why it refused.
	h, err := s.hover(u, 4, 1)
	if err != nil || !strings.Contains(hoverText(h), "**go**") {
		t.Fatalf("hover after a rejected edit = %v, %v", hoverText(h), err)
	}
	waitFor(t, func() bool { return s.client.logged("rejected edit") })
	if d, _ := s.srv.docs.get(u); d.version != 1 || string(d.text) != sample {
		t.Errorf("document changed by a rejected edit: version %d", d.version)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestHoverNullAndErrors(t *testing.T) {
	s := start(t, nil)
	s.initialize("")
	u := s.open("/work/a.go", sample)
	cases := []struct {
		name       string
		uri        uri.URI
		line, char uint32
		wantNull   bool
		wantCode   jsonrpc2.Code
	}{
		{"plain identifier", u, 3, 1, true, 0},
		{"line out of range", u, 500, 0, true, 0},
		{"character past line end", u, 0, 500, true, 0},
		{"never opened, not on disk", uri.File("/nonexistent/x.go"), 0, 0, false, jsonrpc2.InvalidParams},
	}
	for _, c := range cases {
		h, err := s.hover(c.uri, c.line, c.char)
		if c.wantCode != 0 {
			if code(err) != c.wantCode {
				t.Errorf("%s: err = %v, want code %d", c.name, err, c.wantCode)
			}
			continue
		}
		if err != nil || (h != nil) != !c.wantNull {
			t.Errorf("%s: hover = %v, %v; want null=%v", c.name, hoverText(h), err, c.wantNull)
		}
	}
}

func TestHoverReadsUnopenedFileFromDisk(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "disk.go")
	if err := os.WriteFile(path, []byte(sample), 0o644); err != nil {
		t.Fatal(err)
	}
	s := start(t, nil)
	s.initialize("")
	h, err := s.hover(uri.File(path), 5, 1)
	if err != nil || !strings.Contains(hoverText(h), "receive") {
		t.Fatalf("hover on unopened file = %q, %v", hoverText(h), err)
	}
}

func TestPlainTextClient(t *testing.T) {
	s := start(t, nil)
	params := &protocol.InitializeParams{Capabilities: protocol.ClientCapabilities{TextDocument: &protocol.TextDocumentClientCapabilities{
		Hover: &protocol.HoverClientCapabilities{ContentFormat: []protocol.MarkupKind{protocol.MarkupKindPlainText}},
	}}}
	if _, err := s.remote.Initialize(context.Background(), params); err != nil {
		t.Fatal(err)
	}
	u := s.open("/work/a.go", sample)
	h, err := s.hover(u, 4, 1)
	if err != nil {
		t.Fatal(err)
	}
	mc := h.Contents.(*protocol.MarkupContent)
	if mc.Kind != protocol.MarkupKindPlainText || strings.Contains(mc.Value, "**") || strings.Contains(mc.Value, "`") {
		t.Errorf("plain text hover = %s %q", mc.Kind, mc.Value)
	}
}

func TestPanicInHandlerBecomesErrorReply(t *testing.T) {
	s := start(t, func(srv *Server) {
		srv.beforeRequest = func(ctx context.Context, method string) {
			if method == protocol.MethodTextDocumentHover {
				panic("boom")
			}
		}
	})
	s.initialize("")
	u := s.open("/work/a.go", sample)
	_, err := s.hover(u, 4, 1)
	if code(err) != jsonrpc2.InternalError || !strings.Contains(err.Error(), "boom") {
		t.Fatalf("panicking hover: err = %v, want InternalError", err)
	}
	waitFor(t, func() bool { return s.client.logged("internal error in textDocument/hover") })
	// The server keeps serving.
	if err := s.remote.Shutdown(context.Background()); err != nil {
		t.Fatalf("server stopped serving after a panic: %v", err)
	}
}

func TestCancelRequest(t *testing.T) {
	started := make(chan struct{})
	s := start(t, func(srv *Server) {
		srv.beforeRequest = func(ctx context.Context, method string) {
			if method == protocol.MethodTextDocumentHover {
				close(started)
				<-ctx.Done() // a slow request, until cancelled
			}
		}
	})
	s.initialize("")
	u := s.open("/work/a.go", sample)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		var res json.RawMessage
		done <- protocol.Call(ctx, s.conn, protocol.MethodTextDocumentHover, &protocol.HoverParams{
			TextDocumentPositionParams: protocol.TextDocumentPositionParams{TextDocument: protocol.TextDocumentIdentifier{URI: u}, Position: protocol.Position{Line: 4, Character: 1}},
		}, &res)
	}()
	<-started
	cancel() // protocol.Call sends $/cancelRequest
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("cancelled request never finished")
	}
	// The handler saw the cancellation: the server answers the next request.
	if err := s.remote.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestUnknownMethod(t *testing.T) {
	s := start(t, nil)
	s.initialize("")
	var res json.RawMessage
	_, err := s.conn.Call(context.Background(), "golens/noSuchMethod", map[string]int{}, &res)
	if code(err) != jsonrpc2.MethodNotFound {
		t.Fatalf("unknown method: err = %v, want MethodNotFound", err)
	}
}

func TestSettings(t *testing.T) {
	s := start(t, nil)
	s.initialize(`{"typedTier": false, "hints": {"defers": false}, "checks": {"closedsend": false}, "bogus": 1}`)
	got := s.srv.currentSettings()
	if got.TypedTier || got.Hints.Defers || !got.Hints.Blocking || got.CheckEnabled("closedsend") || !got.CheckEnabled("nilchan") {
		t.Errorf("settings = %+v", got)
	}
	waitFor(t, func() bool { return s.client.logged(`unknown setting "bogus"`) })
	err := s.remote.DidChangeConfiguration(context.Background(), &protocol.DidChangeConfigurationParams{Settings: protocol.LSPAny(`{"golens": {"typedTier": true}}`)})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool { return s.srv.currentSettings().TypedTier })
	// A malformed value is reported, not fatal.
	_ = s.remote.DidChangeConfiguration(context.Background(), &protocol.DidChangeConfigurationParams{Settings: protocol.LSPAny(`{"hints": {"defers": "yes"}}`)})
	waitFor(t, func() bool { return s.client.logged("hints.defers") })
}

func TestExplainAtCommand(t *testing.T) {
	s := start(t, nil)
	s.initialize("")
	u := s.open("/work/a.go", sample)
	arg, _ := json.Marshal(map[string]any{"textDocument": map[string]string{"uri": string(u)}, "position": map[string]int{"line": 4, "character": 1}})
	res, err := s.remote.ExecuteCommand(context.Background(), &protocol.ExecuteCommandParams{Command: CommandExplainAt, Arguments: []protocol.LSPAny{arg}})
	if err != nil {
		t.Fatal(err)
	}
	var md string
	if err := json.Unmarshal(res, &md); err != nil || !strings.Contains(md, "# go statement") || !strings.Contains(md, "https://go.dev/ref/spec#Go_statements") {
		t.Fatalf("explainAt = %s (%v)", res, err)
	}
}

// rawSession speaks bytes to the server, for input no well-behaved client
// would send.
func rawSession(t *testing.T) (w io.Writer, r *bufio.Reader) {
	a, b := net.Pipe()
	srv := New(Options{})
	srv.Connect(context.Background(), jsonrpc2.NewHeaderStream(a))
	t.Cleanup(func() { a.Close(); b.Close() })
	return b, bufio.NewReader(b)
}

func writeFrame(w io.Writer, body string) {
	fmt.Fprintf(w, "Content-Length: %d\r\n\r\n%s", len(body), body)
}

func readFrame(t *testing.T, r *bufio.Reader) string {
	t.Helper()
	n := 0
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			t.Fatal(err)
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
		t.Fatal(err)
	}
	return string(buf)
}

func TestMalformedJSONGetsErrorReply(t *testing.T) {
	w, r := rawSession(t)
	go writeFrame(w, `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{`)
	reply := readFrame(t, r)
	for strings.Contains(reply, "window/logMessage") {
		reply = readFrame(t, r)
	}
	if !strings.Contains(reply, `"error"`) || !strings.Contains(reply, "-32700") {
		t.Fatalf("reply to malformed JSON = %s, want a parse error", reply)
	}
	// The connection survives: a valid request is answered.
	go writeFrame(w, `{"jsonrpc":"2.0","id":2,"method":"initialize","params":{"capabilities":{}}}`)
	reply = readFrame(t, r)
	for strings.Contains(reply, "window/logMessage") {
		reply = readFrame(t, r)
	}
	if !strings.Contains(reply, `"golens"`) {
		t.Fatalf("initialize after malformed input = %s", reply)
	}
}

func TestBigNonUTF8File(t *testing.T) {
	s := start(t, nil)
	s.initialize("")
	var b strings.Builder
	b.WriteString("package main\n\nfunc main() {\n\tx := \"\xff\xfe\"\n\t_ = x\n")
	for i := 0; i < 60000; i++ { // about 2 MB
		fmt.Fprintf(&b, "\tch%d := make(chan int, 1); ch%d <- %d; defer close(ch%d)\n", i, i, i, i)
	}
	b.WriteString("}\n")
	u := s.open("/work/big.go", b.String())
	line := uint32(5 + 59999)
	h, err := s.hover(u, line, uint32(1+strings.Index(fmt.Sprintf("ch%d := make(chan int, 1); ch%d <- ", 59999, 59999), "<-")))
	if err != nil || !strings.Contains(hoverText(h), "buffer of 1") {
		t.Fatalf("hover in a 2 MB file = %q, %v", hoverText(h), err)
	}
}
