// Package nvim holds golens's end-to-end tests in a real Neovim (0.7 or
// newer): each test writes a small Go module, starts
// `nvim --headless --clean -u testdata/<test>.lua` with the golens binary
// built once by TestMain, lets the Lua script talk to golens through
// Neovim's own LSP client, and asserts on the JSON record the script
// writes.
//
// Without nvim on PATH (or with one older than 0.7) the tests are skipped;
// with the environment variable CI set they fail instead.
//
//	go test -count=1 ./e2e/nvim/
//
// GOLENS_E2E_BIN=/path/to/golens uses that binary instead of building one;
// GOLENS_E2E_DUMP=1 logs each script's whole JSON record;
// GOLENS_E2E_LOGDIR=dir keeps each run's whole Neovim LSP log (debug level,
// every message both ways) there as <test>.lsp.log.
package nvim

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"go/format"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	// The test starts golens as a separate binary, which go test's cache
	// cannot see. Linking the server in makes the test binary, and so the
	// cached result, change whenever the server or a feature it uses does.
	// (Run with -count=1 to be sure.)
	_ "github.com/golens/golens/server"
)

// runTimeout bounds one Neovim run: only a hang guard, far beyond what a
// run takes on a loaded machine (the leaks script builds and runs tests).
const runTimeout = 3 * time.Minute

var (
	nvimPath    string // the nvim binary
	nvimVersion string // e.g. "0.7.2"
	nvimProblem string // why Neovim cannot be used, or ""
	golensBin   string // the golens binary under test
	buildErr    error  // building golens failed
	scratchDir  string // removed after all tests: the golens binary, Neovim's XDG dirs
	goEnv       []string
)

func TestMain(m *testing.M) {
	os.Exit(testMain(m))
}

func testMain(m *testing.M) int {
	flag.Parse()
	nvimPath, nvimVersion, nvimProblem = findNvim()
	if nvimProblem != "" {
		return m.Run() // every test skips (or fails under CI)
	}
	goEnv, buildErr = toolchainEnv()
	if buildErr != nil {
		return m.Run()
	}
	dir, err := os.MkdirTemp("", "golens-e2e-nvim-")
	if err != nil {
		buildErr = err
		return m.Run()
	}
	defer os.RemoveAll(dir)
	scratchDir = dir
	if bin := os.Getenv("GOLENS_E2E_BIN"); bin != "" {
		golensBin = bin
		return m.Run()
	}
	golensBin = filepath.Join(dir, "golens")
	start := time.Now()
	cmd := exec.Command("go", "build", "-o", golensBin, "github.com/golens/golens/cmd/golens")
	if out, err := cmd.CombinedOutput(); err != nil {
		buildErr = fmt.Errorf("go build ./cmd/golens: %v\n%s", err, out)
	} else if testing.Verbose() {
		fmt.Printf("built golens in %v\n", time.Since(start).Round(time.Millisecond))
	}
	return m.Run()
}

// findNvim finds nvim on PATH and checks that it is 0.7 or newer.
func findNvim() (path, version, problem string) {
	path, err := exec.LookPath(cmp.Or(os.Getenv("GOLENS_NVIM"), "nvim")) // GOLENS_NVIM: another Neovim
	if err != nil {
		return "", "", "nvim is not on PATH (Debian: apt-get install neovim)"
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, path, "--version").Output()
	if err != nil {
		return path, "", fmt.Sprintf("%s --version failed: %v", path, err)
	}
	m := regexp.MustCompile(`NVIM v(\d+)\.(\d+)\.(\d+)`).FindSubmatch(out)
	if m == nil {
		return path, "", fmt.Sprintf("%s --version printed no NVIM vX.Y.Z line: %q", path, firstLine(out))
	}
	major, _ := strconv.Atoi(string(m[1]))
	minor, _ := strconv.Atoi(string(m[2]))
	version = fmt.Sprintf("%s.%s.%s", m[1], m[2], m[3])
	if major == 0 && minor < 7 {
		return path, version, fmt.Sprintf("%s is Neovim %s; these tests need 0.7 or newer (vim.lsp.start_client with offset encodings)", path, version)
	}
	return path, version, ""
}

func firstLine(b []byte) string {
	line, _, _ := bytes.Cut(b, []byte("\n"))
	return string(line)
}

// toolchainEnv pins what golens's typed tier (go list) needs, because the
// Neovim runs get their own XDG cache directory: without GOCACHE set
// explicitly, go would use a cold build cache.
func toolchainEnv() ([]string, error) {
	out, err := exec.Command("go", "env", "GOCACHE", "GOENV", "GOMODCACHE").Output()
	if err != nil {
		return nil, fmt.Errorf("go env: %v", err)
	}
	vals := strings.Split(strings.TrimRight(string(out), "\n"), "\n")
	if len(vals) != 3 {
		return nil, fmt.Errorf("go env printed %q", out)
	}
	return []string{
		"GOCACHE=" + vals[0],
		"GOENV=" + vals[1],
		"GOMODCACHE=" + vals[2],
		"GOTOOLCHAIN=local", // the fixture says go 1.22: never download a toolchain
		"GOPROXY=off",       // and never a module
		"GOFLAGS=",
	}, nil
}

// requireNvim skips the test when Neovim or the golens binary is missing,
// and fails it instead when CI is set.
func requireNvim(t *testing.T) {
	t.Helper()
	if nvimProblem != "" {
		if os.Getenv("CI") != "" {
			t.Fatalf("CI is set and Neovim cannot be used: %s", nvimProblem)
		}
		t.Skipf("skipping: %s", nvimProblem)
	}
	if buildErr != nil {
		t.Fatalf("no golens binary: %v", buildErr)
	}
}

// common is the part of every script's JSON record written by lib.lua.
type common struct {
	NvimVersion struct{ Major, Minor, Patch int } `json:"nvim_version"`
	LuaError    string                            `json:"lua_error"`
	LogMessages []struct {
		Kind    string `json:"kind"`
		Type    int    `json:"type"`
		Message string `json:"message"`
	} `json:"log_messages"`
	Diagnostics []published `json:"diagnostics"`
	Steps       []struct {
		Name string `json:"name"`
		AtMS int    `json:"at_ms"`
	} `json:"steps"`
	ServerCapabilities map[string]any `json:"server_capabilities"`
	URIRespelled       *struct {
		Sent      string `json:"sent"`
		Published string `json:"published"`
	} `json:"uri_respelled"`
}

// published is one publishDiagnostics for the open file, as lib.lua
// records it.
type published struct {
	AtMS    int      `json:"at_ms"`
	Version *int     `json:"version"`
	Count   int      `json:"count"`
	Codes   []string `json:"codes"` // code@line
}

func (p published) String() string {
	v := "none"
	if p.Version != nil {
		v = strconv.Itoa(*p.Version)
	}
	return fmt.Sprintf("{at %d ms, version %s: %d %v}", p.AtMS, v, p.Count, p.Codes)
}

// fixture is a Go module for one run: go.mod plus the files given; open is
// the file the script edits.
type fixture struct {
	files map[string]string
	open  string
	dir   string // the module's directory name inside the temp dir, if set
}

func module(mainGo string) fixture {
	return fixture{files: map[string]string{"main.go": mainGo}, open: "main.go"}
}

// run is one Neovim run's outcome.
type run struct {
	common
	raw []byte // the JSON record
}

// runNvim writes fx into a temporary module, runs testdata/<script> in
// headless Neovim with params as GOLENS_PARAMS, and returns the record the
// script wrote. It fails the test when Neovim times out, exits non-zero,
// writes no record or reports a Lua error; on any failure of the test it
// prints Neovim's stderr and the end of the LSP log.
func runNvim(t *testing.T, script string, fx fixture, params any) *run {
	t.Helper()
	requireNvim(t)
	dir := t.TempDir()
	if fx.dir != "" {
		dir = filepath.Join(dir, fx.dir)
	}
	// Neovim's XDG data, state and cache dirs (lsp.log): never the user's.
	// They live under scratchDir, not t.TempDir, because a `go list` that
	// golens started may outlive a killed golens for a moment and write
	// there, which would fail t.TempDir's cleanup.
	home, err := os.MkdirTemp(scratchDir, "run-")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{"go.mod": "module example.com/e2e\n\ngo 1.22\n"}
	for name, text := range fx.files {
		files[name] = text
	}
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	scriptPath, err := filepath.Abs(filepath.Join("testdata", script))
	if err != nil {
		t.Fatal(err)
	}
	paramsJSON, err := json.Marshal(params)
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(home, "out.json")

	env := []string{}
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		switch {
		case k == "XDG_DATA_HOME", k == "XDG_STATE_HOME", k == "XDG_CACHE_HOME", strings.HasPrefix(k, "NVIM"), strings.HasPrefix(k, "VIM"),
			k == "MYVIMRC", k == "GOCACHE", k == "GOENV", k == "GOMODCACHE", k == "GOTOOLCHAIN", k == "GOPROXY", k == "GOFLAGS":
			continue
		}
		env = append(env, kv)
	}
	env = append(env, goEnv...)
	env = append(env,
		"XDG_DATA_HOME="+filepath.Join(home, "data"),
		"XDG_STATE_HOME="+filepath.Join(home, "state"),
		"XDG_CACHE_HOME="+filepath.Join(home, "cache"),
		"GOLENS_BIN="+golensBin,
		"GOLENS_ROOT="+dir,
		"GOLENS_FILE="+filepath.Join(dir, filepath.FromSlash(fx.open)),
		"GOLENS_OUT="+out,
		"GOLENS_PARAMS="+string(paramsJSON),
	)

	ctx, cancel := context.WithTimeout(context.Background(), runTimeout)
	defer cancel()
	// The script quits by itself; the -c fallback ends Neovim at once when
	// the script fails to load and so never reaches its quit.
	cmd := exec.CommandContext(ctx, nvimPath, "--headless", "--clean", "-n", "-i", "NONE", "-u", scriptPath, "-c", "cquit 9")
	cmd.Dir = dir
	cmd.Env = env
	cmd.WaitDelay = 5 * time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	runErr := cmd.Run()
	took := time.Since(start)
	t.Logf("nvim %s %s: %v", nvimVersion, script, took.Round(time.Millisecond))

	lspLog := filepath.Join(home, "cache", "nvim", "lsp.log")
	if keep := os.Getenv("GOLENS_E2E_LOGDIR"); keep != "" {
		if b, err := os.ReadFile(lspLog); err == nil {
			name := regexp.MustCompile(`[^A-Za-z0-9_.-]+`).ReplaceAllString(t.Name(), "_") + ".lsp.log"
			if err := os.WriteFile(filepath.Join(keep, name), b, 0o644); err != nil {
				t.Logf("keeping lsp.log: %v", err)
			}
		}
	}
	t.Cleanup(func() {
		if !t.Failed() && os.Getenv("GOLENS_E2E_DUMP") == "" {
			return
		}
		t.Logf("nvim stderr:\n%s", stderr.String())
		if stdout.Len() > 0 {
			t.Logf("nvim stdout:\n%s", stdout.String())
		}
		if b, err := os.ReadFile(lspLog); err == nil {
			t.Logf("end of Neovim's lsp.log (long lines cut):\n%s", logTail(b))
		}
	})

	if ctx.Err() != nil {
		t.Fatalf("nvim did not finish within %v (script %s)", runTimeout, script)
	}
	raw, err := os.ReadFile(out)
	if err != nil {
		t.Fatalf("the script wrote no result (nvim: %v): %v", runErr, err)
	}
	r := &run{raw: raw}
	if err := json.Unmarshal(raw, &r.common); err != nil {
		t.Fatalf("decoding the script's record: %v\n%s", err, raw)
	}
	if os.Getenv("GOLENS_E2E_DUMP") != "" {
		t.Logf("the script's record:\n%s", raw)
	}
	if r.LuaError != "" {
		t.Fatalf("the Lua script failed: %s", r.LuaError)
	}
	if runErr != nil {
		t.Fatalf("nvim exited with %v (the script quits with 0 after writing its record)", runErr)
	}
	if b, err := os.ReadFile(lspLog); err == nil {
		for _, m := range serverRequests.FindAllSubmatch(b, -1) {
			if method := string(m[1]); !nvim07Handles[method] {
				t.Errorf("golens sent the request %s, which Neovim 0.7 neither advertises nor handles (it answers MethodNotFound)", method)
			}
		}
	}
	if u := r.URIRespelled; u != nil {
		t.Logf("note: golens published diagnostics for %s, not for the URI Neovim sent, %s (Neovim matches them by decoded path, so they still land)", u.Published, u.Sent)
	}
	for _, m := range r.LogMessages {
		if m.Type == 1 { // MessageType.Error
			t.Errorf("golens logged an error to the client: %s", m.Message)
		}
	}
	return r
}

// serverRequests finds requests from golens in Neovim's LSP log (debug
// level): a received message with both an id and a method.
var serverRequests = regexp.MustCompile(`"rpc\.receive"\s*\{\s*id = \d+,\s*jsonrpc = "2\.0",\s*method = "([^"]+)"`)

// nvim07Handles lists the server-to-client requests Neovim 0.7 has
// handlers for (runtime/lua/vim/lsp/handlers.lua). Refresh requests such
// as workspace/inlayHint/refresh or workspace/diagnostic/refresh are not
// among them: a server sends those only to clients that advertise them.
var nvim07Handles = map[string]bool{
	"window/workDoneProgress/create": true,
	"window/showMessageRequest":      true,
	"client/registerCapability":      true,
	"workspace/applyEdit":            true,
	"workspace/configuration":        true,
	"workspace/workspaceFolders":     true,
}

// logTail returns the end of Neovim's LSP log with each line cut to a
// readable length (the initialize request alone is 5 KB).
func logTail(b []byte) string {
	const maxLine, maxLines = 700, 40
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > maxLines {
		lines = append([]string{"…"}, lines[len(lines)-maxLines:]...)
	}
	for i, l := range lines {
		if len(l) > maxLine {
			lines[i] = l[:maxLine] + " …"
		}
	}
	return strings.Join(lines, "\n")
}

// decode unmarshals the run's record into v (a test's own view of it).
func (r *run) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.raw, v); err != nil {
		t.Fatalf("decoding the script's record: %v\n%s", err, r.raw)
	}
}

// position is an LSP position: 0-based line, UTF-16 character.
type position struct {
	Line      int `json:"line"`
	Character int `json:"character"`
}

type lspRange struct {
	Start position `json:"start"`
	End   position `json:"end"`
}

// at returns the position of the first byte of marker in src, moved by
// delta bytes; marker must occur exactly once.
func at(t *testing.T, src, marker string, delta int) position {
	t.Helper()
	i := strings.Index(src, marker)
	if i < 0 || strings.Count(src, marker) != 1 {
		t.Fatalf("fixture: marker %q occurs %d times, want once", marker, strings.Count(src, marker))
	}
	return positionOf(src, i+delta)
}

func positionOf(src string, off int) position {
	before := src[:off]
	line := strings.Count(before, "\n")
	lineStart := strings.LastIndex(before, "\n") + 1
	n := 0
	for _, r := range before[lineStart:] {
		n += len(utf16.Encode([]rune{r}))
	}
	return position{Line: line, Character: n}
}

// lineOf returns the 0-based line of the unique marker.
func lineOf(t *testing.T, src, marker string) int {
	t.Helper()
	return at(t, src, marker, 0).Line
}

// checkGo reports whether text parses as a Go file, and notes (without
// failing) when it is not gofmt-clean.
func checkGo(t *testing.T, what, text string) {
	t.Helper()
	if _, err := parser.ParseFile(token.NewFileSet(), "main.go", text, parser.AllErrors); err != nil {
		t.Errorf("%s: the buffer no longer parses as Go: %v\n%s", what, err, text)
		return
	}
	if formatted, err := format.Source([]byte(text)); err == nil && string(formatted) != text && !t.Failed() {
		t.Logf("note: %s: the buffer is not gofmt-clean after the edit:\n%s", what, text)
	}
}
