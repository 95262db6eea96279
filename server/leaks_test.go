package server

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// progressClient records progress, messages and diagnostics.
type progressClient struct {
	diagClient
	pmu      sync.Mutex
	created  []protocol.ProgressToken
	progress []string // "begin: title", "report: msg", "end: msg"
	shown    []string
}

func (c *progressClient) WorkDoneProgressCreate(ctx context.Context, p *protocol.WorkDoneProgressCreateParams) error {
	c.pmu.Lock()
	defer c.pmu.Unlock()
	c.created = append(c.created, p.Token)
	return nil
}

func (c *progressClient) Progress(ctx context.Context, p *protocol.ProgressParams) error {
	var v struct{ Kind, Title, Message string }
	_ = json.Unmarshal(p.Value, &v)
	c.pmu.Lock()
	defer c.pmu.Unlock()
	text := v.Message
	if v.Kind == "begin" {
		text = v.Title
	}
	c.progress = append(c.progress, v.Kind+": "+text)
	return nil
}

func (c *progressClient) ShowMessage(ctx context.Context, p *protocol.ShowMessageParams) error {
	c.pmu.Lock()
	defer c.pmu.Unlock()
	c.shown = append(c.shown, p.Message)
	return nil
}

func (c *progressClient) progressLog() []string {
	c.pmu.Lock()
	defer c.pmu.Unlock()
	return append([]string(nil), c.progress...)
}

func (c *progressClient) diagnostics(u uri.URI) []protocol.Diagnostic {
	c.dmu.Lock()
	defer c.dmu.Unlock()
	return append([]protocol.Diagnostic(nil), c.diags[u]...)
}

func needGoCommand(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("no go command")
		}
		t.Skip("no go command")
	}
}

// The tutorial's timeout example, and its test.
const (
	leakyWork = `package leaky

import "time"

func fetch(d time.Duration) (int, bool) {
	ch := make(chan int)
	go func() {
		time.Sleep(10 * d)
		ch <- 42
	}()
	select {
	case v := <-ch:
		return v, true
	case <-time.After(d):
		return 0, false
	}
}
`
	leakyTest = `package leaky

import (
	"testing"
	"time"
)

func TestTimeout(t *testing.T) {
	fetch(time.Millisecond)
	time.Sleep(50 * time.Millisecond)
}

func TestSlow(t *testing.T) { time.Sleep(time.Hour) }

func helper(t *testing.T) {}
`
)

func leakyModule(t *testing.T) (dir, work, test string) {
	dir = t.TempDir()
	for name, text := range map[string]string{"go.mod": "module example.com/leaky\n\ngo 1.26\n", "work.go": leakyWork, "work_test.go": leakyTest} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir, filepath.Join(dir, "work.go"), filepath.Join(dir, "work_test.go")
}

func initWithProgress(t *testing.T, s *session, opts string) {
	t.Helper()
	params := &protocol.InitializeParams{
		Capabilities:          protocol.ClientCapabilities{Window: &protocol.WindowClientCapabilities{WorkDoneProgress: ptr(true)}},
		InitializationOptions: protocol.LSPAny(opts),
	}
	res, err := s.remote.Initialize(context.Background(), params)
	if err != nil {
		t.Fatal(err)
	}
	if res.Capabilities.CodeLensProvider == nil {
		t.Error("no codeLensProvider capability")
	}
	if !strings.Contains(strings.Join(res.Capabilities.ExecuteCommandProvider.Commands, " "), CommandFindLeaks) {
		t.Errorf("commands %v lack %s", res.Capabilities.ExecuteCommandProvider.Commands, CommandFindLeaks)
	}
	_ = s.remote.Initialized(context.Background(), &protocol.InitializedParams{})
}

// TestFindLeaksFromCodeLens: the lens above TestTimeout runs that test with
// progress, and the leak shows as a diagnostic at the blocked send, with the
// go statement and the test as related information; the static timeoutleak
// finding on the same line says the run confirmed it; an edit clears the
// leak.
func TestFindLeaksFromCodeLens(t *testing.T) {
	needGoCommand(t)
	_, workPath, testPath := leakyModule(t)
	client := &progressClient{}
	s := startWith(t, client, nil)
	initWithProgress(t, s, `{"typedTier": false}`)
	testURI := s.open(testPath, leakyTest)

	lenses, err := s.remote.CodeLens(context.Background(), &protocol.CodeLensParams{TextDocument: protocol.TextDocumentIdentifier{URI: testURI}})
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	var lens *protocol.CodeLens
	for i, l := range lenses {
		titles = append(titles, fmt.Sprintf("%s@%d", l.Command.Title, l.Range.Start.Line+1))
		if strings.Contains(string(l.Command.Arguments[0]), `"TestTimeout"`) {
			lens = &lenses[i]
		}
	}
	// Lenses above TestTimeout and TestSlow, not above helper.
	if strings.Join(titles, " ") != "find leaks@8 find leaks@13" {
		t.Errorf("lenses = %v", titles)
	}
	if lens == nil || lens.Command.Command != CommandFindLeaks {
		t.Fatalf("no find leaks lens for TestTimeout: %+v", lenses)
	}

	raw, err := s.remote.ExecuteCommand(context.Background(), &protocol.ExecuteCommandParams{Command: lens.Command.Command, Arguments: lens.Command.Arguments})
	if err != nil {
		t.Fatal(err)
	}
	var res findLeaksResult
	if err := json.Unmarshal(raw, &res); err != nil || res.Leaks != 1 {
		t.Fatalf("result %s (%v), want 1 leak", raw, err)
	}
	// The server sends the progress end and the diagnostics before its
	// reply, but the test client handles notifications concurrently, in
	// no set order (protocol.Handlers): wait until it has recorded them.
	workURI := uri.File(workPath)
	progressEntry := func(prefix string) bool {
		return slices.ContainsFunc(client.progressLog(), func(e string) bool { return strings.HasPrefix(e, prefix) })
	}
	waitFor(t, func() bool { return progressEntry("end: ") && len(client.diagnostics(workURI)) > 0 })
	if !progressEntry("begin: golens: finding leaked goroutines in TestTimeout") || !progressEntry("end: golens: 1 leaked") {
		t.Errorf("progress = %q", client.progressLog())
	}

	// work.go is not open: its leak is published alone.
	diags := client.diagnostics(workURI)
	if len(diags) != 1 {
		t.Fatalf("diagnostics on work.go = %+v, want the leak", diags)
	}
	d := diags[0]
	if src, _ := d.Source.Get(); src != leakSource || d.Range.Start.Line != 8 || d.Range.Start.Character != 2 {
		t.Errorf("leak diagnostic %+v, want source %s at 9:3", d, leakSource)
	}
	if msg := string(d.Message.(protocol.String)); msg != "goroutine blocked on chan send forever (leaked in TestTimeout); created at work.go:7" {
		t.Errorf("message %q", msg)
	}
	var related []string
	for _, r := range d.RelatedInformation {
		related = append(related, fmt.Sprintf("%s:%d %s", filepath.Base(r.Location.URI.FsPath()), r.Location.Range.Start.Line+1, r.Message))
	}
	if strings.Join(related, "; ") != "work.go:7 the goroutine was created here; work_test.go:8 leaked in TestTimeout" {
		t.Errorf("related = %q", related)
	}

	// Opened, the file shows the leak beside the static finding, which the
	// run confirmed.
	s.open(workPath, leakyWork)
	waitFor(t, func() bool { return len(client.diagnostics(workURI)) == 2 })
	var static string
	for _, d := range client.diagnostics(workURI) {
		if src, _ := d.Source.Get(); src == "golens" {
			static = string(d.Message.(protocol.String))
		}
	}
	if !strings.Contains(static, "(confirmed by TestTimeout: the goroutine leaked when the test ran)") {
		t.Errorf("static finding %q is not marked confirmed", static)
	}

	// Any edit clears the leak: the line numbers it names may be stale.
	err = s.remote.DidChange(context.Background(), &protocol.DidChangeTextDocumentParams{
		TextDocument:   protocol.VersionedTextDocumentIdentifier{TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: workURI}, Version: 2},
		ContentChanges: []protocol.TextDocumentContentChangeEvent{&protocol.TextDocumentContentChangeWholeDocument{Text: "// edited\n" + leakyWork}},
	})
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool {
		for _, d := range client.diagnostics(workURI) {
			if src, _ := d.Source.Get(); src == leakSource || strings.Contains(string(d.Message.(protocol.String)), "confirmed") {
				return false
			}
		}
		return len(client.diagnostics(workURI)) == 1
	})
}

// TestFindLeaksCancel: the progress's cancel button stops a run whose test
// sleeps for an hour, quickly.
func TestFindLeaksCancel(t *testing.T) {
	needGoCommand(t)
	_, _, testPath := leakyModule(t)
	client := &progressClient{}
	s := startWith(t, client, nil)
	initWithProgress(t, s, `{"typedTier": false}`)
	testURI := s.open(testPath, leakyTest)
	arg, _ := json.Marshal(findLeaksArg{URI: testURI, Test: "TestSlow"})
	errc := make(chan error, 1)
	start := time.Now()
	go func() {
		_, err := s.remote.ExecuteCommand(context.Background(), &protocol.ExecuteCommandParams{Command: CommandFindLeaks, Arguments: []protocol.LSPAny{arg}})
		errc <- err
	}()
	waitFor(t, func() bool {
		client.pmu.Lock()
		defer client.pmu.Unlock()
		return len(client.created) == 1 && len(client.progress) > 0
	})
	time.Sleep(2 * time.Second) // let go test start the binary
	client.pmu.Lock()
	tok := client.created[0]
	client.pmu.Unlock()
	if err := s.remote.WorkDoneProgressCancel(context.Background(), &protocol.WorkDoneProgressCancelParams{Token: tok}); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-errc:
		if err == nil || !strings.Contains(err.Error(), "cancelled") {
			t.Errorf("err = %v, want cancelled", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("cancel did not stop the run")
	}
	if d := time.Since(start); d > 30*time.Second {
		t.Errorf("cancelled run took %v", d)
	}
}

// TestFindLeaksRefused: with leaks.allowed false (VS Code's untrusted
// workspace) there are no lenses and the command refuses; bad arguments
// are invalid params; nothing runs.
func TestFindLeaksRefused(t *testing.T) {
	_, _, testPath := leakyModule(t)
	client := &progressClient{}
	s := startWith(t, client, nil)
	initWithProgress(t, s, `{"typedTier": false, "leaks": {"allowed": false, "timeout": 30}}`)
	testURI := s.open(testPath, leakyTest)
	lenses, err := s.remote.CodeLens(context.Background(), &protocol.CodeLensParams{TextDocument: protocol.TextDocumentIdentifier{URI: testURI}})
	if err != nil || len(lenses) != 0 {
		t.Errorf("lenses = %v, %v; want none", lenses, err)
	}
	arg, _ := json.Marshal(findLeaksArg{URI: testURI})
	if _, err := s.remote.ExecuteCommand(context.Background(), &protocol.ExecuteCommandParams{Command: CommandFindLeaks, Arguments: []protocol.LSPAny{arg}}); err == nil || !strings.Contains(err.Error(), "not allowed") {
		t.Errorf("err = %v, want not allowed", err)
	}
	if got := s.srv.currentSettings().Leaks.Timeout; got != 30*time.Second {
		t.Errorf("timeout setting = %v, want 30s", got)
	}
	for _, bad := range []string{`{}`, `[1]`, `{"uri": "` + string(testURI) + `", "test": "rm -rf"}`, `{"uri": "untitled:x_test.go"}`} {
		_, err := s.remote.ExecuteCommand(context.Background(), &protocol.ExecuteCommandParams{Command: CommandFindLeaks, Arguments: []protocol.LSPAny{protocol.LSPAny(bad)}})
		if err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}
