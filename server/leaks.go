package server

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/golens/golens/leaks"
)

// CommandFindLeaks runs a package's tests with Go's goroutine leak detector
// and publishes the leaks as diagnostics (source "golens-leaks"). Its one
// argument is {"uri": a file of the package, "test": "TestX" (optional: all
// tests)}. It answers {"leaks": n, "problems": [...], "message": "..."}
// when the run ends. Tests are the user's code: they run only on this
// explicit request, never on open or save, and not at all when the
// leaks.allowed setting is false (VS Code sends false in an untrusted
// workspace).
const CommandFindLeaks = "golens.findLeaks"

// leakSource is the diagnostics' source: runtime proof, apart from
// golens's static findings.
const leakSource = "golens-leaks"

func init() {
	registerCommand(CommandFindLeaks, findLeaksCommand)
	registerCodeLenses(leakLenses)
}

// LeakSettings are the "leaks" settings.
type LeakSettings struct {
	// Allowed: tests may run at all (on explicit request).
	Allowed bool
	// Timeout bounds one run; its process group is killed after it.
	Timeout time.Duration
}

func defaultLeakSettings() LeakSettings {
	return LeakSettings{Allowed: true, Timeout: leaks.DefaultTimeout}
}

// parseLeakSettings reads {"allowed": bool, "timeout": seconds}.
func parseLeakSettings(base LeakSettings, raw json.RawMessage) (LeakSettings, []string) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return base, []string{"leaks (want an object)"}
	}
	var problems []string
	for k, v := range m {
		switch k {
		case "allowed":
			if err := json.Unmarshal(v, &base.Allowed); err != nil {
				problems = append(problems, "leaks.allowed (want true or false)")
			}
		case "timeout":
			var secs float64
			if err := json.Unmarshal(v, &secs); err != nil || secs <= 0 {
				problems = append(problems, "leaks.timeout (want a positive number of seconds)")
				continue
			}
			base.Timeout = time.Duration(secs * float64(time.Second))
		default:
			problems = append(problems, "leaks."+k)
		}
	}
	return base, problems
}

// leakState is what the last runs found, per file.
type leakState struct {
	mu sync.Mutex
	// files maps a file to its leak diagnostics and the hash of the text
	// the tests ran against: they show only while the text is the same.
	files map[uri.URI]leakFile
	// running holds the package directories with a run in progress.
	running map[string]bool
}

type leakFile struct {
	dir   string // the package directory of the run that found them
	hash  [32]byte
	diags []protocol.Diagnostic
	// sites are the lines (0-based) of blocking and creation sites, with
	// the tests that leaked there: a static finding on one of these lines
	// is confirmed by them.
	sites map[uint32][]string
}

type findLeaksArg struct {
	URI  uri.URI `json:"uri"`
	Test string  `json:"test,omitempty"`
}

type findLeaksResult struct {
	Leaks    int      `json:"leaks"`
	Problems []string `json:"problems,omitempty"`
	Message  string   `json:"message"`
}

var testNameRE = regexp.MustCompile(`^Test[^a-z]?\w*$`)

func findLeaksCommand(ctx context.Context, s *Server, params *protocol.ExecuteCommandParams) (protocol.LSPAny, error) {
	if len(params.Arguments) != 1 {
		return nil, jsonrpc2.NewError(jsonrpc2.InvalidParams, CommandFindLeaks+" takes one argument: {uri, test?}")
	}
	var arg findLeaksArg
	if err := json.Unmarshal(params.Arguments[0], &arg); err != nil || arg.URI == "" {
		return nil, jsonrpc2.NewError(jsonrpc2.InvalidParams, fmt.Sprintf("%s: want {uri, test?}: %v", CommandFindLeaks, err))
	}
	if arg.Test != "" && !testNameRE.MatchString(arg.Test) {
		return nil, jsonrpc2.NewError(jsonrpc2.InvalidParams, fmt.Sprintf("%s: %q is not a test name", CommandFindLeaks, arg.Test))
	}
	settings := s.currentSettings().Leaks
	if !settings.Allowed {
		return nil, jsonrpc2.NewError(jsonrpc2.InvalidRequest, "golens: running tests is not allowed here (leaks.allowed is false, as in an untrusted workspace)")
	}
	if !strings.HasPrefix(string(arg.URI), "file:") {
		return nil, jsonrpc2.NewError(jsonrpc2.InvalidParams, "golens: tests run only for files on disk")
	}
	dir := filepath.Dir(arg.URI.FsPath())
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return nil, jsonrpc2.NewError(jsonrpc2.InvalidParams, "golens: no package directory "+dir)
	}
	s.leaks.mu.Lock()
	if s.leaks.running[dir] {
		s.leaks.mu.Unlock()
		return nil, jsonrpc2.NewError(jsonrpc2.InvalidRequest, "golens: the tests of "+dir+" are already running")
	}
	if s.leaks.running == nil {
		s.leaks.running = map[string]bool{}
	}
	s.leaks.running[dir] = true
	s.leaks.mu.Unlock()
	defer func() {
		s.leaks.mu.Lock()
		delete(s.leaks.running, dir)
		s.leaks.mu.Unlock()
	}()

	what := "the tests of " + filepath.Base(dir)
	opts := leaks.Options{Dir: dir, Packages: []string{"."}, Timeout: settings.Timeout}
	if arg.Test != "" {
		what = arg.Test
		opts.Run = "^" + regexp.QuoteMeta(arg.Test) + "$"
	}
	prog, ctx, done := s.startProgress(ctx, params.WorkDoneToken, "golens: finding leaked goroutines in "+what)
	defer done()
	opts.Progress = prog.report
	res, err := leaks.Run(ctx, opts)
	if err != nil {
		msg := "golens: " + what + ": " + err.Error()
		if ctx.Err() == context.Canceled {
			msg = "golens: cancelled; the tests' processes were killed"
		}
		prog.end(msg)
		s.showMessage(protocol.MessageTypeWarning, msg)
		return nil, jsonrpc2.NewError(jsonrpc2.InternalError, msg)
	}
	s.storeLeaks(dir, res)

	out := findLeaksResult{Leaks: len(res.Leaks)}
	for _, p := range res.Problems {
		out.Problems = append(out.Problems, strings.TrimSpace(p.Package+" "+p.Message))
	}
	switch n := len(res.Leaks); {
	case n == 0 && len(res.Problems) == 0:
		out.Message = fmt.Sprintf("golens: no leaked goroutines in %s (a clean run proves no absence: leaks that depend on scheduling may need more runs)", what)
	case n == 0:
		out.Message = fmt.Sprintf("golens: no leaked goroutines found in %s, but: %s", what, strings.Join(out.Problems, "; "))
	default:
		out.Message = fmt.Sprintf("golens: %d leaked goroutine site(s) in %s: see the Problems (source %s)", n, what, leakSource)
	}
	prog.end(out.Message)
	kind := protocol.MessageTypeInfo
	if len(res.Leaks) > 0 || len(res.Problems) > 0 {
		kind = protocol.MessageTypeWarning
	}
	s.showMessage(kind, out.Message)
	raw, err := json.Marshal(out)
	if err != nil {
		return nil, err
	}
	return protocol.LSPAny(raw), nil
}

func (s *Server) showMessage(kind protocol.MessageType, msg string) {
	if s.exited.Load() {
		return
	}
	_ = s.client.ShowMessage(context.Background(), &protocol.ShowMessageParams{Type: kind, Message: msg})
}

// storeLeaks replaces the leak diagnostics of dir's files with res's and
// publishes them: merged with the static ones for open files, alone for
// the others.
func (s *Server) storeLeaks(dir string, res *leaks.Result) {
	files := map[uri.URI]*leakFile{}
	texts := map[uri.URI][]byte{}
	fileOf := func(path string) (*leakFile, []byte) {
		u := uri.File(path)
		if f, ok := files[u]; ok {
			return f, texts[u]
		}
		text, err := os.ReadFile(path)
		if err != nil {
			return nil, nil
		}
		f := &leakFile{dir: dir, hash: sha256.Sum256(text), sites: map[uint32][]string{}}
		files[u], texts[u] = f, text
		return f, text
	}
	testLines := testFuncLines(dir)
	for _, l := range res.Leaks {
		f, text := fileOf(l.Blocked.File)
		if f == nil {
			continue
		}
		d := protocol.Diagnostic{
			Range:    lineRange(text, l.Blocked.Line),
			Severity: protocol.DiagnosticSeverityWarning,
			Code:     protocol.String("goroutineleak"),
			Source:   protocol.NewOptional(leakSource),
			Message:  protocol.String(leaks.Describe(l, dir)),
		}
		f.sites[uint32(l.Blocked.Line-1)] = append(f.sites[uint32(l.Blocked.Line-1)], l.Tests...)
		if l.Created != nil && !l.TestGoroutine {
			if cf, ctext := fileOf(l.Created.File); cf != nil {
				d.RelatedInformation = append(d.RelatedInformation, protocol.DiagnosticRelatedInformation{
					Location: protocol.Location{URI: uri.File(l.Created.File), Range: lineRange(ctext, l.Created.Line)},
					Message:  "the goroutine was created here",
				})
				cf.sites[uint32(l.Created.Line-1)] = append(cf.sites[uint32(l.Created.Line-1)], l.Tests...)
			}
		}
		for _, t := range l.Tests {
			if loc, ok := testLines[t]; ok {
				if _, ttext := fileOf(loc.File); ttext != nil {
					d.RelatedInformation = append(d.RelatedInformation, protocol.DiagnosticRelatedInformation{
						Location: protocol.Location{URI: uri.File(loc.File), Range: lineRange(ttext, loc.Line)},
						Message:  "leaked in " + t,
					})
				}
			}
		}
		f.diags = append(f.diags, d)
	}

	s.leaks.mu.Lock()
	if s.leaks.files == nil {
		s.leaks.files = map[uri.URI]leakFile{}
	}
	touched := map[uri.URI]bool{}
	for u, f := range s.leaks.files {
		if f.dir == dir {
			delete(s.leaks.files, u)
			touched[u] = true
		}
	}
	for u, f := range files {
		s.leaks.files[u] = *f
		touched[u] = true
	}
	s.leaks.mu.Unlock()

	for u := range touched {
		if _, open := s.docs.get(u); open {
			s.publishDiagnostics(u)
			continue
		}
		diags := []protocol.Diagnostic{}
		if f, ok := files[u]; ok {
			diags = append(diags, f.diags...)
		}
		_ = s.client.PublishDiagnostics(context.Background(), &protocol.PublishDiagnosticsParams{URI: u, Diagnostics: diags})
	}
}

// withLeaks adds to an open document's static diagnostics its leak
// diagnostics, when the document's text is the one the tests ran against;
// a static finding on a line where a leak blocked or was created says the
// run confirmed it. After any edit the leaks are gone: the text differs.
func (s *Server) withLeaks(d *document, diags []protocol.Diagnostic) []protocol.Diagnostic {
	s.leaks.mu.Lock()
	f, ok := s.leaks.files[d.uri]
	s.leaks.mu.Unlock()
	if !ok || f.hash != sha256.Sum256(d.text) {
		return diags
	}
	for i, diag := range diags {
		if src, _ := diag.Source.Get(); src == "golens" && len(f.sites[diag.Range.Start.Line]) > 0 {
			tests := f.sites[diag.Range.Start.Line]
			msg := fmt.Sprint(diag.Message)
			if m, ok := diag.Message.(protocol.String); ok {
				msg = string(m)
			}
			diags[i].Message = protocol.String(msg + " (confirmed by " + strings.Join(dedupe(tests), ", ") + ": the goroutine leaked when the test ran)")
		}
	}
	return append(diags, f.diags...)
}

func dedupe(ss []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range ss {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// lineRange is the range of a 1-based line's text, from its first
// non-space character to its end, in UTF-16 units.
func lineRange(text []byte, line int) protocol.Range {
	lines := bytes.Split(text, []byte("\n"))
	if line < 1 || line > len(lines) {
		return protocol.Range{}
	}
	l := bytes.TrimRight(lines[line-1], "\r")
	start := len(l) - len(bytes.TrimLeftFunc(l, unicode.IsSpace))
	units := func(b []byte) uint32 {
		n := 0
		for len(b) > 0 {
			r, size := utf8.DecodeRune(b)
			b = b[size:]
			n++
			if r >= 0x10000 {
				n++
			}
		}
		return uint32(n)
	}
	return protocol.Range{
		Start: protocol.Position{Line: uint32(line - 1), Character: units(l[:start])},
		End:   protocol.Position{Line: uint32(line - 1), Character: units(l)},
	}
}

// testFuncLines finds the declarations of the test functions in dir's test
// files.
func testFuncLines(dir string) map[string]leaks.Frame {
	out := map[string]leaks.Frame{}
	files, _ := filepath.Glob(filepath.Join(dir, "*_test.go"))
	fset := token.NewFileSet()
	for _, name := range files {
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			continue
		}
		for _, decl := range f.Decls {
			if fd, ok := decl.(*ast.FuncDecl); ok && fd.Recv == nil && testNameRE.MatchString(fd.Name.Name) {
				out[fd.Name.Name] = leaks.Frame{File: name, Line: fset.Position(fd.Name.Pos()).Line}
			}
		}
	}
	return out
}

// leakLenses puts "find leaks" above each func TestX(t *testing.T) of a
// _test.go file, when tests may run.
func leakLenses(s *Server, d *document) []protocol.CodeLens {
	if !strings.HasSuffix(string(d.uri), "_test.go") || !strings.HasPrefix(string(d.uri), "file:") || !s.currentSettings().Leaks.Allowed {
		return nil
	}
	m := d.syntaxModel()
	if m == nil || m.AST == nil {
		return nil
	}
	var out []protocol.CodeLens
	for _, decl := range m.AST.Decls {
		fd, ok := decl.(*ast.FuncDecl)
		if !ok || fd.Recv != nil || !testNameRE.MatchString(fd.Name.Name) || fd.Type.Params == nil || len(fd.Type.Params.List) != 1 {
			continue
		}
		arg, err := json.Marshal(findLeaksArg{URI: d.uri, Test: fd.Name.Name})
		if err != nil {
			continue
		}
		r := d.rangeOf(m.Offset(fd.Pos()), m.Offset(fd.Name.End()))
		out = append(out, protocol.CodeLens{
			Range: r,
			Command: protocol.Command{
				Title:     "find leaks",
				Command:   CommandFindLeaks,
				Arguments: []protocol.LSPAny{protocol.LSPAny(arg)},
			},
		})
	}
	return out
}
