//go:build unix

package server

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// frames is a raw session's outgoing queue: one goroutine writes its frames
// to the server in the order they were queued, while the test goes on
// reading (a net.Pipe write blocks until the server reads it, and the server
// may be writing to the test meanwhile). Frames written from separate
// goroutines could reach the server in any order: a hover before the didOpen
// of its document.
type frames chan<- string

func sendInOrder(t *testing.T, w io.Writer) frames {
	q := make(chan string, 16)
	go func() {
		for f := range q {
			writeFrame(w, f)
		}
	}()
	t.Cleanup(func() { close(q) })
	return q
}

// rawInit initializes a raw session and opens sample as file:///work/a.go.
func rawInit(t *testing.T, q frames, r *bufio.Reader) {
	t.Helper()
	q <- `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}`
	if reply := readReply(t, r); !strings.Contains(reply, `"golens"`) {
		t.Fatalf("initialize = %s", reply)
	}
	q <- `{"jsonrpc":"2.0","method":"initialized","params":{}}`
	q <- fmt.Sprintf(`{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///work/a.go","languageId":"go","version":1,"text":%q}}}`, sample)
}

// readReply reads frames until one that is not a server-to-client message
// (a log or a diagnostics notification), with a deadline: a server that
// goes deaf fails the test instead of hanging it.
func readReply(t *testing.T, r *bufio.Reader) string {
	t.Helper()
	got := make(chan string, 1)
	go func() {
		defer func() { recover() }() // readFrame's t.Fatal from another goroutine
		for {
			f := readFrame(t, r)
			if !strings.Contains(f, `"method":"window/logMessage"`) && !strings.Contains(f, `"method":"textDocument/publishDiagnostics"`) {
				got <- f
				return
			}
		}
	}()
	select {
	case f := <-got:
		return f
	case <-time.After(5 * time.Second):
		t.Fatal("no reply within 5s: the server went deaf")
		return ""
	}
}

// hoverStillWorks asks for the hover on sample's go statement.
func hoverStillWorks(t *testing.T, q frames, r *bufio.Reader, id int) {
	t.Helper()
	q <- fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"method":"textDocument/hover","params":{"textDocument":{"uri":"file:///work/a.go"},"position":{"line":4,"character":1}}}`, id)
	if reply := readReply(t, r); !strings.Contains(reply, fmt.Sprintf(`"id":%d`, id)) || !strings.Contains(reply, "goroutine") {
		t.Fatalf("hover after the attack = %s", reply)
	}
}

// TestMalformedCancelRequestKeepsServing: a $/cancelRequest the protocol
// package cannot decode must not close the connection (issue 10, item 1).
func TestMalformedCancelRequestKeepsServing(t *testing.T) {
	for _, params := range []string{`{}`, `null`, `{"id":null}`, `{"id":1.5}`, `{"id":{}}`, `{"id":[1]}`, `{"id":"x"}`, `"str"`, `{"id":true}`} {
		t.Run(params, func(t *testing.T) {
			w, r := rawSession(t)
			q := sendInOrder(t, w)
			rawInit(t, q, r)
			q <- `{"jsonrpc":"2.0","method":"$/cancelRequest","params":` + params + `}`
			hoverStillWorks(t, q, r, 7)
		})
	}
}

// TestErrorCodes: the JSON-RPC error codes name what was wrong (issue 10,
// item 9): unparsable JSON is -32700, a valid JSON value that is not a
// request is -32600, parameters of the wrong type are -32602, and a request
// with id null is answered (with id null) instead of dropped.
func TestErrorCodes(t *testing.T) {
	cases := []struct {
		name, body string
		want       string // substring of the reply
	}{
		{"truncated JSON", `{"jsonrpc":"2.0","id":2,"method":"shutdown"`, `"code":-32700`},
		{"not JSON", `hello`, `"code":-32700`},
		{"batch", `[1,2]`, `"code":-32600`},
		{"no method no result", `{"jsonrpc":"2.0","id":2}`, `"code":-32600`},
		{"wrong version", `{"jsonrpc":"1.0","id":2,"method":"shutdown"}`, `"code":-32600`},
		{"fractional id", `{"jsonrpc":"2.0","id":2.5,"method":"shutdown"}`, `"code":-32600`},
		{"object id", `{"jsonrpc":"2.0","id":{},"method":"shutdown"}`, `"code":-32600`},
		{"id null", `{"jsonrpc":"2.0","id":null,"method":"textDocument/hover","params":{}}`, `"id":null,"error":{"code":-32600`},
		{"params of the wrong type", `{"jsonrpc":"2.0","id":2,"method":"textDocument/hover","params":{"textDocument":1}}`, `"code":-32602`},
		{"position of the wrong type", `{"jsonrpc":"2.0","id":2,"method":"textDocument/hover","params":{"textDocument":{"uri":"file:///work/a.go"},"position":"x"}}`, `"code":-32602`},
		{"params an array", `{"jsonrpc":"2.0","id":2,"method":"textDocument/inlayHint","params":[1]}`, `"code":-32602`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w, r := rawSession(t)
			q := sendInOrder(t, w)
			rawInit(t, q, r)
			q <- c.body
			if reply := readReply(t, r); !strings.Contains(reply, c.want) {
				t.Fatalf("reply to %s = %s, want %s", c.body, reply, c.want)
			}
			hoverStillWorks(t, q, r, 9)
		})
	}
}

// TestSpecialFileURIs: a never-opened document is read only if it is a
// regular file, and never beyond the size limit (issue 10, item 2). Each
// request must be answered (not hang) with an error, and the server must
// keep its protocol stream.
func TestSpecialFileURIs(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe.go")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("no FIFOs here: %v", err)
	}
	big := filepath.Join(dir, "big.go")
	if err := os.WriteFile(big, []byte("package p\n//"+strings.Repeat("x", maxDiskRead)+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"/dev/zero", "/dev/urandom", "/dev/stdin", "/dev/stdout", fifo, dir, big} {
		t.Run(name, func(t *testing.T) {
			s := start(t, nil)
			s.initialize("")
			u := uri.File(name)
			// Both requests run aside, so that a server stuck reading the
			// file (a FIFO with no writer, /dev/zero) fails the test after a
			// deadline far beyond any loaded machine's delay instead of
			// hanging it; how fast the answers come is not asserted.
			type answers struct {
				hoverErr   error
				res        *protocol.InlayHint
				resolveErr error
			}
			answered := make(chan answers, 1)
			go func() {
				var a answers
				_, a.hoverErr = s.hover(u, 0, 0)
				a.res, a.resolveErr = s.remote.InlayHintResolve(context.Background(), &protocol.InlayHint{
					Label: protocol.String("x"),
					Data:  protocol.LSPAny(fmt.Sprintf(`{"uri":%q,"hint":"k"}`, u)),
				})
				answered <- a
			}()
			var a answers
			select {
			case a = <-answered:
			case <-time.After(time.Minute):
				t.Fatalf("no answer on %s within a minute: the server hangs reading it", name)
			}
			if a.hoverErr == nil {
				t.Errorf("hover on %s: no error", name)
			}
			if a.resolveErr != nil || a.res == nil || a.res.Tooltip != nil {
				t.Errorf("resolve with data.uri %s = %+v, %v; want the hint back unchanged", name, a.res, a.resolveErr)
			}
			ok := s.open("/work/a.go", sample)
			if h, err := s.hover(ok, 4, 1); err != nil || !strings.Contains(hoverText(h), "goroutine") {
				t.Fatalf("hover after %s = %q, %v", name, hoverText(h), err)
			}
		})
	}
}

// TestRequestSeesVersionAtArrival: a request is answered for the document
// version current when it arrived, even if a later didChange is applied
// before the handler reads the document (issue 10, item 3).
func TestRequestSeesVersionAtArrival(t *testing.T) {
	slowed := make(chan struct{}, 1)
	s := start(t, func(srv *Server) {
		srv.beforeRequest = func(ctx context.Context, method string) {
			if method == protocol.MethodTextDocumentHover {
				slowed <- struct{}{}
				time.Sleep(100 * time.Millisecond) // the didChange lands meanwhile
			}
		}
	})
	s.initialize("")
	u := s.open("/work/a.go", sample)
	done := make(chan *protocol.Hover, 1)
	go func() {
		h, err := s.hover(u, 4, 1)
		if err != nil {
			t.Error(err)
		}
		done <- h
	}()
	<-slowed
	// Replace "go func" on line 4 with a plain statement.
	err := s.remote.DidChange(context.Background(), &protocol.DidChangeTextDocumentParams{
		TextDocument: protocol.VersionedTextDocumentIdentifier{TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: u}, Version: 2},
		ContentChanges: []protocol.TextDocumentContentChangeEvent{&protocol.TextDocumentContentChangeWholeDocument{
			Text: "package main\n\nfunc main() {\n\tch := make(chan int)\n\tprintln(ch)\n}\n",
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if h := <-done; !strings.Contains(hoverText(h), "goroutine") {
		t.Fatalf("hover sent before the edit answered for the edited text: %q", hoverText(h))
	}
}

// TestDeepNestingSaysWhy: when go/parser gives up on a file, a hover has
// nothing to answer from; the log says why (issue 10, item 8).
func TestDeepNestingSaysWhy(t *testing.T) {
	s := start(t, nil)
	s.initialize(`{"typedTier": false}`)
	n := 10000
	src := "package m\n\nfunc f() {}\n\nfunc deep() {\n" + strings.Repeat("{", n) + "\ngo f()\n" + strings.Repeat("}", n) + "\n}\n"
	u := s.open("/work/deep.go", src)
	h, err := s.hover(u, 6, 0)
	if err != nil {
		t.Fatal(err)
	}
	if h != nil {
		t.Skipf("the parser now accepts %d nested blocks: hover = %q", n, hoverText(h))
	}
	waitFor(t, func() bool { return s.client.logged("deep.go cannot be parsed") && s.client.logged("max scope depth") })
}

// TestSupersededAnalysisGivesUp: while one analysis of a document runs,
// edits supersede it; it stops at its next check, and only one analysis
// runs at a time, so ten edits cost about one analysis, not ten side by
// side (issue 10, item 7: ten edits to a 1 MB file burned 65 CPU-seconds).
func TestSupersededAnalysisGivesUp(t *testing.T) {
	var checksRun atomic.Int64
	client := &versionClient{published: make(chan int32, 64)}
	s := startWith(t, client, func(srv *Server) {
		srv.beforeCheck = func() {
			checksRun.Add(1)
			time.Sleep(100 * time.Millisecond) // an analysis takes well over a second
		}
	})
	s.initialize(`{"typedTier": false}`)
	u := s.open("/work/slow.go", sample)
	for v := range client.published {
		if v == 1 {
			break
		}
	}
	perAnalysis := checksRun.Load()
	checksRun.Store(0)
	const edits = 10
	for i := 0; i < edits; i++ {
		typeSpace(s, u, int32(i+2), 0)
		time.Sleep(diagnosticsDelay + 50*time.Millisecond) // each edit's analysis starts
	}
	for v := range client.published {
		if v == edits+1 {
			break
		}
	}
	// Ran on, the ten analyses would cost ten times perAnalysis; stopped at
	// their next check, a few checks each plus the last one in full. The
	// margin absorbs a loaded machine, where edits arrive late.
	if n := checksRun.Load(); n > 4*perAnalysis {
		t.Errorf("%d checks ran for %d edits (%d per analysis): superseded analyses ran on", n, edits, perAnalysis)
	}
}
