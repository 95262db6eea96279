// Package server is golens's language server: the LSP lifecycle, the
// document store (versions, incremental UTF-16 edits), settings, scheduling,
// and the conversion of golens's features to protocol types. It is the only
// package that speaks LSP; the features it serves (hover, hints, checks,
// snippets, code actions) are pure functions of a file's concurrency model.
package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"unsafe"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"

	"github.com/golens/golens/explain"
	"github.com/golens/golens/hover"
)

// Options configure a server.
type Options struct {
	// Version is reported in serverInfo.
	Version string
	// Log receives the server's own log lines (stderr for the binary).
	Log io.Writer
	// OnExit is called when the client sends exit, with the process exit
	// code the LSP specification asks for: 0 after shutdown, 1 without.
	OnExit func(code int)
}

// Server is one golens session with one client.
type Server struct {
	protocol.UnimplementedServer

	opts   Options
	logger *log.Logger
	client protocol.Client
	conn   jsonrpc2.Conn

	docs  *documents
	envs  moduleEnvs
	pub   publisher
	typed *typedTier

	leaks    leakState      // leaks.go
	progress progressTokens // progress.go
	involved involvedState  // involved.go

	// settingsGen counts settings changes, so cached results computed
	// under older settings are recomputed.
	settingsGen atomic.Int64

	mu       sync.Mutex
	settings Settings
	caps     clientCaps
	warned   map[string]bool // log messages already sent once

	initialized atomic.Bool
	shutdown    atomic.Bool
	exited      atomic.Bool
	exitCh      chan struct{} // closed by the exit notification

	// beforeRequest, when set (by tests), runs before every request
	// handler: a way to make a handler slow or make it panic.
	beforeRequest func(ctx context.Context, method string)
	// beforeCheck, when set (by tests), runs before each check of a
	// diagnostics computation: a way to make an analysis slow.
	beforeCheck func()
}

// clientCaps are the client capabilities golens adapts to.
type clientCaps struct {
	hoverPlainText      bool // the client prefers plain text hovers
	completionSnippets  bool // completion items may use snippet syntax
	snippetEdits        bool // workspace edits may contain SnippetTextEdits (LSP 3.18)
	documentChanges     bool // workspace edits may use versioned documentChanges
	inlayHintRefresh    bool // the client accepts workspace/inlayHint/refresh
	watchedFilesDynamic bool // the client registers file watchers on request
	workDoneProgress    bool // the client shows server-created $/progress
}

// gcPercent is the GC target the server runs with. An edit makes garbage
// of about the file's size twice over (the old version's syntax tree and
// model); collecting less often cuts the time from an edit to the next
// answer by about a fifth; the peak on the dense 5,000-line benchmark file
// stays under 45 MB (budget 50 MB).
const gcPercent = 300

// TuneRuntime applies the server's runtime settings to this process. The
// binary calls it before serving; benchmarks call it to measure the same.
func TuneRuntime() {
	debug.SetGCPercent(gcPercent)
	tunedRuntime.Store(true)
}

// Serve runs a server on rwc (stdin/stdout for the binary) until the client
// exits or the connection closes.
func Serve(ctx context.Context, rwc io.ReadWriteCloser, opts Options) error {
	s := New(opts)
	conn := s.Connect(ctx, jsonrpc2.NewHeaderStream(rwc))
	// The exit notification ends the session even when the client keeps
	// its end of the pipe open (Neovim does): the read loop may still be
	// blocked reading stdin, so do not wait for it.
	select {
	case <-conn.Done():
		// The client went away without exit: stop the typed tier's go
		// commands all the same.
		s.closeTyped()
	case <-ctx.Done():
		// The process was told to stop (a signal).
		s.closeTyped()
		return ctx.Err()
	case <-s.exitCh:
		return nil
	}
	if err := conn.Err(); err != nil && !errors.Is(err, io.EOF) && !s.exited.Load() {
		return err
	}
	return nil
}

// New returns a server that is not yet connected.
func New(opts Options) *Server {
	if opts.Log == nil {
		opts.Log = io.Discard
	}
	if opts.Version == "" {
		opts.Version = "devel"
	}
	return &Server{
		opts:     opts,
		logger:   log.New(opts.Log, "golens: ", log.LstdFlags),
		docs:     newDocuments(),
		settings: defaultSettings(),
		warned:   map[string]bool{},
		typed:    ptrTo(newTypedTier()),
		exitCh:   make(chan struct{}),
	}
}

// Connect starts serving on stream and returns the connection.
func (s *Server) Connect(ctx context.Context, stream jsonrpc2.Stream) jsonrpc2.Conn {
	stream = newTolerantStream(stream, func(err error) {
		s.logf(protocol.MessageTypeError, "malformed message from the client: %v", err)
	})
	conn := jsonrpc2.NewConn(stream, jsonrpc2.WithCodec(lspCodec{}))
	s.conn = conn
	s.client = protocol.ClientDispatcher(conn)
	dispatch := protocol.ServerHandler(s, jsonrpc2.MethodNotFoundHandler)
	conn.Go(ctx, s.guardNotifications(protocol.CancelHandler(s.handler(dispatch))))
	return conn
}

// guardNotifications is the outermost handler: an error (or a panic) from
// a notification, including those protocol.CancelHandler returns for a
// $/cancelRequest it cannot decode, is logged and swallowed. jsonrpc2
// treats a notification handler's error as a broken connection, and would
// stop answering.
func (s *Server) guardNotifications(next jsonrpc2.Handler) jsonrpc2.Handler {
	return func(ctx context.Context, req *jsonrpc2.Request) (result any, err error) {
		if req.IsCall() {
			return next(ctx, req)
		}
		method := strings.Clone(req.Method())
		defer func() {
			if r := recover(); r != nil {
				s.logf(protocol.MessageTypeError, "internal error in %s: %v\n%s", method, r, debug.Stack())
				result, err = nil, nil
			}
			if err != nil {
				s.logf(protocol.MessageTypeError, "ignoring %s: %v", method, err)
				result, err = nil, nil
			}
		}()
		return next(ctx, req)
	}
}

// handler orders and guards every incoming message:
//   - notifications (didOpen, didChange, …) run inline on the read loop, so
//     edits apply in the order they were sent and a request that follows an
//     edit sees it;
//   - requests are released to run concurrently, so a slow one never holds
//     up typing;
//   - a panic in any handler is recovered, logged, and answered with an
//     internal error; the server keeps serving;
//   - requests before initialize and after shutdown get the errors the
//     specification names.
func (s *Server) handler(dispatch jsonrpc2.Handler) jsonrpc2.Handler {
	return func(ctx context.Context, req *jsonrpc2.Request) (result any, err error) {
		method := req.Method()
		isCall := req.IsCall()
		if isCall {
			// Release every call from the read loop first. Besides letting
			// calls run concurrently, this keeps jsonrpc2 from recycling
			// the request while the cancellation context derived from it
			// is still being watched (a data race in jsonrpc2's pool when a
			// call is answered synchronously).
			//
			// Before that, snapshot the open documents: the request must
			// see the versions current when it arrived, not those of a
			// didChange the read loop applies while it runs.
			ctx = withSnapshot(ctx, s.docs.snapshot())
			jsonrpc2.Async(ctx)
			switch {
			case method == protocol.MethodInitialize:
			case !s.initialized.Load():
				return nil, jsonrpc2.NewError(jsonrpc2.Code(protocol.ErrorCodesServerNotInitialized), "golens: the server is not initialized")
			case s.shutdown.Load():
				return nil, jsonrpc2.NewError(jsonrpc2.InvalidRequest, "golens: the server is shutting down")
			}
			method = strings.Clone(method)
		} else if !s.initialized.Load() && method != protocol.MethodExit {
			return nil, nil // notifications before initialize are dropped
		}
		defer func() {
			if r := recover(); r != nil {
				s.logf(protocol.MessageTypeError, "internal error in %s: %v\n%s", method, r, debug.Stack())
				result, err = nil, jsonrpc2.Errorf(jsonrpc2.InternalError, "golens: internal error in %s: %v", method, r)
			}
			if isCall && err != nil && errors.Is(err, context.Canceled) {
				err = protocol.ErrRequestCancelled
			}
			if isCall && err != nil && errors.Is(err, jsonrpc2.ErrParse) {
				// The frame parsed (the stream checked it); what failed to
				// decode are the parameters.
				err = jsonrpc2.Errorf(jsonrpc2.InvalidParams, "golens: invalid params for %s: %v", method, err)
			}
			if !isCall && err != nil {
				// A failed notification must not close the connection.
				// One dropped because the server is stopping (its context
				// ended: a signal, as when Neovim quits) is no error of
				// the client's: it is not reported to the editor.
				if ctx.Err() == nil {
					s.logf(protocol.MessageTypeError, "%s: %v", method, err)
				}
				result, err = nil, nil
			}
		}()
		if isCall && s.beforeRequest != nil {
			s.beforeRequest(ctx, method)
		}
		if method == protocol.MethodTextDocumentDidOpen {
			// The protocol package's decoder allocates about seven times a
			// message's size for one long string (36 MB to open a 5 MB
			// file); encoding/json needs two. didOpen's parameters have no
			// union types, so it decodes them the same.
			var params protocol.DidOpenTextDocumentParams
			if err := json.Unmarshal(req.Params(), &params); err == nil {
				return nil, s.DidOpen(ctx, &params)
			}
		}
		return dispatch(ctx, req)
	}
}

// logf writes to the server log and to the client's log (window/logMessage).
func (s *Server) logf(kind protocol.MessageType, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	s.logger.Print(msg)
	if s.client != nil && !s.exited.Load() {
		_ = s.client.LogMessage(context.Background(), &protocol.LogMessageParams{Type: kind, Message: msg})
	}
}

// logOnce logs a message the first time it is seen, so a repeated
// condition (a broken go.mod, an unknown setting) never floods the client.
func (s *Server) logOnce(kind protocol.MessageType, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	s.mu.Lock()
	seen := s.warned[msg]
	s.warned[msg] = true
	s.mu.Unlock()
	if !seen {
		s.logf(kind, "%s", msg)
	}
}

func (s *Server) currentSettings() Settings {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.settings
}

func (s *Server) applySettings(raw []byte) {
	s.mu.Lock()
	next, unknown, err := parseSettings(s.settings, raw)
	if err == nil {
		s.settings = next
		s.settingsGen.Add(1)
	}
	s.mu.Unlock()
	if err != nil {
		s.logOnce(protocol.MessageTypeWarning, "ignoring settings: %v", err)
	}
	for _, k := range unknown {
		s.logOnce(protocol.MessageTypeWarning, "unknown setting %q ignored", k)
	}
}

// ---- lifecycle ----

// Initialize implements protocol.Server.
func (s *Server) Initialize(ctx context.Context, params *protocol.InitializeParams) (*protocol.InitializeResult, error) {
	if s.initialized.Load() {
		return nil, jsonrpc2.NewError(jsonrpc2.InvalidRequest, "golens: initialize sent twice")
	}
	s.applySettings(params.InitializationOptions)
	var caps clientCaps
	if td := params.Capabilities.TextDocument; td != nil && td.Hover != nil && len(td.Hover.ContentFormat) > 0 {
		caps.hoverPlainText = td.Hover.ContentFormat[0] == protocol.MarkupKindPlainText
	}
	if td := params.Capabilities.TextDocument; td != nil && td.Completion != nil && td.Completion.CompletionItem != nil {
		caps.completionSnippets = isTrue(td.Completion.CompletionItem.SnippetSupport)
	}
	if ws := params.Capabilities.Workspace; ws != nil && ws.WorkspaceEdit != nil {
		caps.snippetEdits = isTrue(ws.WorkspaceEdit.SnippetEditSupport)
		caps.documentChanges = isTrue(ws.WorkspaceEdit.DocumentChanges)
	}
	if ws := params.Capabilities.Workspace; ws != nil && ws.InlayHint != nil {
		caps.inlayHintRefresh = isTrue(ws.InlayHint.RefreshSupport)
	}
	if ws := params.Capabilities.Workspace; ws != nil && ws.DidChangeWatchedFiles != nil {
		caps.watchedFilesDynamic = isTrue(ws.DidChangeWatchedFiles.DynamicRegistration)
	}
	if w := params.Capabilities.Window; w != nil {
		caps.workDoneProgress = isTrue(w.WorkDoneProgress)
	}
	s.mu.Lock()
	s.caps = caps
	s.mu.Unlock()
	s.initialized.Store(true)

	change := protocol.TextDocumentSyncKindIncremental
	openClose, resolve := true, true
	return &protocol.InitializeResult{
		Capabilities: protocol.ServerCapabilities{
			TextDocumentSync: &protocol.TextDocumentSyncOptions{
				OpenClose: &openClose,
				Change:    &change,
				Save:      protocol.Boolean(true),
			},
			HoverProvider:      protocol.Boolean(true),
			CodeLensProvider:   &protocol.CodeLensOptions{},
			CompletionProvider: &protocol.CompletionOptions{},
			InlayHintProvider:  &protocol.InlayHintOptions{ResolveProvider: &resolve},
			CodeActionProvider: &protocol.CodeActionOptions{
				CodeActionKinds: []protocol.CodeActionKind{protocol.CodeActionKindQuickFix, protocol.CodeActionKindRefactorRewrite, "refactor.insert.pattern"},
			},
			ExecuteCommandProvider: protocol.ExecuteCommandOptions{
				Commands: append([]string{CommandExplainAt}, registeredCommands()...),
			},
		},
		ServerInfo: protocol.ServerInfo{Name: "golens", Version: protocol.NewOptional(s.opts.Version)},
	}, nil
}

// Initialized implements protocol.Server.
func (s *Server) Initialized(ctx context.Context, params *protocol.InitializedParams) error {
	s.registerFileWatchers()
	return nil
}

// Shutdown implements protocol.Server.
func (s *Server) Shutdown(ctx context.Context) error {
	s.shutdown.Store(true)
	return nil
}

// Exit implements protocol.Server.
func (s *Server) Exit(ctx context.Context) error {
	code := 1
	if s.shutdown.Load() {
		code = 0
	}
	if s.exited.Swap(true) {
		return nil // a second exit
	}
	defer close(s.exitCh)
	s.closeTyped()
	if s.opts.OnExit != nil {
		s.opts.OnExit(code)
	}
	go s.conn.Close()
	return nil
}

// DidChangeConfiguration implements protocol.Server.
func (s *Server) DidChangeConfiguration(ctx context.Context, params *protocol.DidChangeConfigurationParams) error {
	s.applySettings(params.Settings)
	// Checks, hints and the typed tier may have been switched: recompute.
	for _, d := range s.docs.all() {
		s.scheduleDiagnostics(d.uri, 0)
		s.scheduleTypedLoad(d.uri, 0)
	}
	return nil
}

// ---- documents ----

// DidOpen implements protocol.Server.
func (s *Server) DidOpen(ctx context.Context, params *protocol.DidOpenTextDocumentParams) error {
	td := params.TextDocument
	// The document shares the decoded string's bytes instead of copying
	// them (5 MB for a 5 MB file): a document's text is never written to;
	// an edit makes a new one.
	s.docs.set(newDocument(td.URI, td.Version, unsafe.Slice(unsafe.StringData(td.Text), len(td.Text))))
	s.tuneMemory()
	s.scheduleDiagnostics(td.URI, 0)
	s.scheduleTypedLoad(td.URI, 0)
	return nil
}

// DidChange implements protocol.Server.
func (s *Server) DidChange(ctx context.Context, params *protocol.DidChangeTextDocumentParams) error {
	u := params.TextDocument.URI
	d, ok := s.docs.get(u)
	if !ok {
		return fmt.Errorf("didChange for %s, which is not open", u)
	}
	next, err := d.applyChanges(params.TextDocument.Version, params.ContentChanges)
	if err != nil {
		// Keep the document as it was: a bad edit never loses text.
		// The client and golens now disagree; tell the user how to recover.
		s.logf(protocol.MessageTypeError, "rejected edit to %s (version %d): %v; golens keeps version %d — reopen the file to resync",
			u, params.TextDocument.Version, err, d.version)
		return nil
	}
	s.docs.set(next)
	if next.large() || d.large() {
		s.tuneMemory()
	}
	s.scheduleDiagnostics(u, diagnosticsDelay)
	s.scheduleTypedLoad(u, typedDelay)
	return nil
}

// DidSave implements protocol.Server.
func (s *Server) DidSave(ctx context.Context, params *protocol.DidSaveTextDocumentParams) error {
	return nil
}

// DidClose implements protocol.Server.
func (s *Server) DidClose(ctx context.Context, params *protocol.DidCloseTextDocumentParams) error {
	s.docs.remove(params.TextDocument.URI)
	s.tuneMemory()
	s.clearDiagnostics(params.TextDocument.URI)
	return nil
}

// ---- features ----

// Hover implements protocol.Server.
func (s *Server) Hover(ctx context.Context, params *protocol.HoverParams) (*protocol.Hover, error) {
	d, err := s.docs.readAt(ctx, params.TextDocument.URI)
	if err != nil {
		return nil, invalidParams(err)
	}
	off, err := d.offset(params.Position)
	if err != nil {
		return nil, nil // out of range: nothing to say
	}
	v := s.modelAround(d, off, off)
	// involved.go: the deadlock-class findings of exactly this text (none
	// for a large file, where v is a window and offsets differ).
	h := hover.WithFindings(v.model, v.toModel(off), s.involvedFindings(d))
	if h == nil || ctx.Err() != nil {
		s.sayWhyNoModel(d, v.model)
		return nil, ctx.Err()
	}
	s.mu.Lock()
	plain := s.caps.hoverPlainText
	s.mu.Unlock()
	content := &protocol.MarkupContent{Kind: protocol.MarkupKindMarkdown, Value: h.Markdown}
	if plain {
		content = &protocol.MarkupContent{Kind: protocol.MarkupKindPlainText, Value: hover.PlainText(h.Markdown)}
	}
	r := d.rangeOf(v.toDoc(h.Start), v.toDoc(h.End))
	return &protocol.Hover{Contents: content, Range: &r}, nil
}

// CommandExplainAt is the workspace/executeCommand command behind the
// editor's "explain the construct at the cursor": it answers the full
// explanation (what it does here, then the whole topic) as markdown, or
// null.
const CommandExplainAt = "golens.explainAt"

// ExecuteCommand implements protocol.Server.
func (s *Server) ExecuteCommand(ctx context.Context, params *protocol.ExecuteCommandParams) (protocol.LSPAny, error) {
	if h, ok := commandHandlers[params.Command]; ok {
		return h(ctx, s, params)
	}
	if params.Command != CommandExplainAt {
		return nil, jsonrpc2.NewError(jsonrpc2.InvalidParams, "golens: unknown command "+params.Command)
	}
	if len(params.Arguments) != 1 {
		return nil, jsonrpc2.NewError(jsonrpc2.InvalidParams, "golens.explainAt takes one argument: {textDocument: {uri}, position}")
	}
	var arg protocol.TextDocumentPositionParams
	if err := protocol.Unmarshal(params.Arguments[0], &arg); err != nil {
		return nil, jsonrpc2.NewError(jsonrpc2.InvalidParams, "golens.explainAt: "+err.Error())
	}
	d, err := s.docs.readAt(ctx, arg.TextDocument.URI)
	if err != nil {
		return nil, jsonrpc2.NewError(jsonrpc2.InvalidParams, err.Error())
	}
	off, err := d.offset(arg.Position)
	if err != nil {
		return protocol.LSPAny("null"), nil
	}
	v := s.modelAround(d, off, off)
	h := hover.At(v.model, v.toModel(off))
	if h == nil {
		return protocol.LSPAny("null"), nil
	}
	here, _, _ := strings.Cut(h.Markdown, "\n\n")
	md := here + "\n\n" + explain.MustLookup(h.Topic).Markdown()
	out, err := json.Marshal(md)
	if err != nil {
		return nil, err
	}
	return protocol.LSPAny(out), nil
}

func isTrue(b *bool) bool { return b != nil && *b }

func invalidParams(err error) error { return jsonrpc2.NewError(jsonrpc2.InvalidParams, err.Error()) }

func ptrTo[T any](v T) *T { return &v }
