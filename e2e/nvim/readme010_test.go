package nvim

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestReadmeNeovim010 runs the Neovim 0.10+ configuration block of the
// top-level README.md as written, with golens on PATH: golens attaches,
// Neovim draws golens's inlay hints, K shows the hover, and a second file of
// the module shares the client. It needs Neovim 0.10 or newer: Debian
// bookworm's is 0.7.2, so scripts/install-neovim-0.10.sh unpacks trixie's
// 0.10.4 into .e2e/nvim-0.10/ and scripts/test.sh runs this test again with
// GOLENS_NVIM pointing at it.
func TestReadmeNeovim010(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)<!-- nvim-0.10-config -->\n```lua\n(.*?)```").FindSubmatch(readme)
	if m == nil {
		t.Fatal("README.md has no ```lua block after <!-- nvim-0.10-config -->")
	}
	config := filepath.Join(t.TempDir(), "init.lua")
	if err := os.WriteFile(config, m[1], 0o644); err != nil {
		t.Fatal(err)
	}
	requireNvim(t)
	if !atLeast(nvimVersion, 0, 10) {
		// Not a failure under CI: test.sh runs this test again with Neovim 0.10.
		t.Skipf("skipping: %s is Neovim %s; the README's 0.10+ configuration needs 0.10 (bash scripts/install-neovim-0.10.sh, then GOLENS_NVIM=$PWD/.e2e/nvim-0.10/bin/nvim)", nvimPath, nvimVersion)
	}
	bin := filepath.Join(t.TempDir(), "bin")
	if err := os.MkdirAll(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(golensBin, filepath.Join(bin, "golens")); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))

	fx := module(readmeSrc)
	fx.files["other.go"] = "package main\n\nfunc other(ch chan int) { ch <- 2 }\n"
	goPos := at(t, readmeSrc, "go func", 0)
	r := runNvim(t, "readme010.lua", fx, map[string]any{
		"config": config, "go_line": goPos.Line, "go_col": goPos.Character, "other": "other.go",
	})
	var rec struct {
		Filetype     string   `json:"filetype"`
		Attached     bool     `json:"attached"`
		RootDir      string   `json:"root_dir"`
		HintsEnabled bool     `json:"hints_enabled"`
		HoverFloat   bool     `json:"hover_float"`
		HoverLines   []string `json:"hover_lines"`
		Hints        []struct {
			Line  int    `json:"line"`
			Label string `json:"label"`
		} `json:"hints"`
		OtherAttached bool `json:"other_attached"`
		SameClient    bool `json:"same_client"`
		ClientCount   int  `json:"client_count"`
	}
	r.decode(t, &rec)
	if rec.Filetype != "go" {
		t.Fatalf("filetype of main.go is %q, want go", rec.Filetype)
	}
	if !rec.Attached {
		t.Fatalf("the README's FileType autocommand started no initialized golens client within 10 s")
	}
	if !rec.HintsEnabled {
		t.Error("the README's LspAttach autocommand did not enable inlay hints")
	}
	sendLine := lineOf(t, readmeSrc, "ch <- 1")
	found := false
	for _, h := range rec.Hints {
		if h.Line == sendLine && strings.Contains(h.Label, "wait") {
			found = true
		}
	}
	if !found {
		t.Errorf("Neovim drew no blocking hint on the send (line %d); hints: %+v", sendLine, rec.Hints)
	}
	hover := strings.Join(rec.HoverLines, "\n")
	if !rec.HoverFloat || !strings.Contains(hover, "goroutine") {
		t.Errorf("K on `go` showed no hover float mentioning goroutine (float: %v):\n%s", rec.HoverFloat, hover)
	}
	if !rec.OtherAttached || !rec.SameClient || rec.ClientCount != 1 {
		t.Errorf("a second file of the module: attached %v, same client %v, golens clients %d; want true, true, 1",
			rec.OtherAttached, rec.SameClient, rec.ClientCount)
	}
}

// atLeast reports whether version ("0.10.4") is at least major.minor.
func atLeast(version string, major, minor int) bool {
	parts := strings.SplitN(version, ".", 3)
	if len(parts) < 2 {
		return false
	}
	ma, err1 := strconv.Atoi(parts[0])
	mi, err2 := strconv.Atoi(parts[1])
	if err1 != nil || err2 != nil {
		return false
	}
	return ma > major || ma == major && mi >= minor
}
