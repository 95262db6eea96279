package golangci

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestCustomGolangciLint does offline what `golangci-lint custom` does with
// .custom-gcl.yml: a module that requires golangci-lint v2.15.0 and this
// golens checkout, a main that is golangci-lint's own (calling its
// pkg/commands) plus a blank import of this plugin, built with the go
// command. That custom-gcl then lints testdata/src/example and must report
// golens's findings under the linter name "golens".
//
// `golangci-lint custom` git-clones golangci-lint, which CI cannot; the go
// command fetches the same source from the module proxy (or the module
// cache). Its cost is the module download (~40 s, once per GOMODCACHE) and
// the build (a few minutes cold, seconds with a warm GOCACHE).
func TestCustomGolangciLint(t *testing.T) {
	if testing.Short() {
		t.Skip("SKIP: builds golangci-lint (-short)")
	}
	if os.Getenv("GOLENS_SKIP_GOLANGCI") != "" {
		t.Skip("SKIP: GOLENS_SKIP_GOLANGCI is set")
	}
	root, err := filepath.Abs(filepath.Join(".."))
	if err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	gomod := "module golens.test/custom-gcl\n\ngo 1.26.0\n\n" +
		"require (\n\tgithub.com/golangci/golangci-lint/v2 " + golangciVersion + "\n\tgithub.com/golens/golens v0.0.0\n)\n\n" +
		"replace github.com/golens/golens => " + filepath.ToSlash(root) + "\n"
	write(t, filepath.Join(work, "go.mod"), gomod)
	// What golangci-lint custom adds to cmd/golangci-lint: the plugin imports.
	write(t, filepath.Join(work, "plugins.go"), "package main\n\nimport _ \"github.com/golens/golens/golangci\"\n")

	goCmd := func(timeout time.Duration, args ...string) string {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		cmd := exec.CommandContext(ctx, "go", args...)
		cmd.Dir = work
		cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOTOOLCHAIN=local")
		start := time.Now()
		out, err := cmd.CombinedOutput()
		t.Logf("go %s: %.1fs", strings.Join(args, " "), time.Since(start).Seconds())
		if err != nil {
			msg := "go " + strings.Join(args, " ") + ": " + err.Error() + "\n" + tail(string(out), 3000)
			if os.Getenv("CI") == "" && strings.Contains(string(out), "dial tcp") {
				t.Skip("SKIP: the module proxy is unreachable and the module cache lacks golangci-lint: " + msg)
			}
			t.Fatal(msg)
		}
		return string(out)
	}
	// golangci-lint's own main, as the release builds it.
	goCmd(5*time.Minute, "mod", "download", "github.com/golangci/golangci-lint/v2@"+golangciVersion)
	dir := strings.TrimSpace(goCmd(time.Minute, "list", "-m", "-f", "{{.Dir}}", "github.com/golangci/golangci-lint/v2"))
	main, err := os.ReadFile(filepath.Join(dir, "cmd", "golangci-lint", "main.go"))
	if err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(work, "main.go"), string(main))
	goCmd(5*time.Minute, "mod", "tidy")
	bin := filepath.Join(work, "custom-gcl")
	goCmd(20*time.Minute, "build", "-o", bin, ".")

	cmd := exec.Command(bin, "run", "--show-stats=false", "./...")
	cmd.Dir = filepath.Join("testdata", "src", "example")
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOTOOLCHAIN=local", "GOLANGCI_LINT_CACHE="+filepath.Join(work, "lint-cache"))
	out, err := cmd.CombinedOutput()
	t.Logf("custom-gcl run:\n%s", out)
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
		t.Fatalf("custom-gcl run: %v, want exit 1 (issues found)", err)
	}
	for _, want := range []string{
		// golangci-lint names the analyzer, then golens's message.
		"main.go:13:5: closedsend: send on channel ch after it was closed on line 12",
		"main.go:17:2: lockleak: mu stays locked if lockedReturn returns on line 19",
		"(golens)",
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("custom-gcl output lacks %q", want)
		}
	}
}

// golangciVersion is the golangci-lint .custom-gcl.yml names.
const golangciVersion = "v2.15.0"

func TestCustomGclYAMLVersion(t *testing.T) {
	b, err := os.ReadFile(".custom-gcl.yml")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "\nversion: "+golangciVersion+"\n") {
		t.Errorf(".custom-gcl.yml does not name golangci-lint %s, which the test builds", golangciVersion)
	}
}

func TestSettings(t *testing.T) {
	p, err := New(map[string]any{"disable": []any{"deferargs"}})
	if err != nil {
		t.Fatal(err)
	}
	as, _ := p.BuildAnalyzers()
	for _, a := range as {
		if a.Name == "deferargs" {
			t.Error("deferargs disabled but built")
		}
	}
	if len(as) == 0 {
		t.Error("no analyzers")
	}
	p, _ = New(map[string]any{"enable": []any{"closedsend"}})
	if as, _ := p.BuildAnalyzers(); len(as) != 1 || as[0].Name != "closedsend" {
		t.Errorf("enable [closedsend] built %v", as)
	}
	if _, err := New(map[string]any{"enable": []any{"nosuch"}}); err == nil || !strings.Contains(err.Error(), "closedsend") {
		t.Errorf("unknown check: err = %v, want one listing the checks", err)
	}
	if _, err := New(map[string]any{"bogus": 1}); err == nil {
		t.Error("unknown setting accepted")
	}
	if _, err := New(nil); err != nil {
		t.Errorf("no settings: %v", err)
	}
}

func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}
