package nvim

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

const readmeSrc = `package main

func main() {
	ch := make(chan int)
	go func() {
		ch <- 1
	}()
	<-ch
}
`

// TestReadmeNeovim07 runs the Neovim 0.7 configuration block of README.md
// as written, with golens on PATH, and uses it the way a user would.
func TestReadmeNeovim07(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)<!-- nvim-0.7-config -->\n```lua\n(.*?)```").FindSubmatch(readme)
	if m == nil {
		t.Fatal("README.md has no ```lua block after <!-- nvim-0.7-config -->")
	}
	config := filepath.Join(t.TempDir(), "init.lua")
	if err := os.WriteFile(config, m[1], 0o644); err != nil {
		t.Fatal(err)
	}
	requireNvim(t)
	// `golens` on PATH, as the README asks.
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
	r := runNvim(t, "readme.lua", fx, map[string]any{
		"config": config, "go_line": goPos.Line, "go_col": goPos.Character, "other": "other.go",
	})
	var rec struct {
		Filetype   string   `json:"filetype"`
		Attached   bool     `json:"attached"`
		HoverFloat bool     `json:"hover_float"`
		HoverLines []string `json:"hover_lines"`
		HintMarks  []struct {
			Line int    `json:"line"`
			Text string `json:"text"`
		} `json:"hint_marks"`
		HintMarksAfterClear int  `json:"hint_marks_after_clear"`
		OtherAttached       bool `json:"other_attached"`
		SameClient          bool `json:"same_client"`
		ClientCount         int  `json:"client_count"`
	}
	r.decode(t, &rec)
	if rec.Filetype != "go" {
		t.Fatalf("filetype of main.go is %q, want go", rec.Filetype)
	}
	if !rec.Attached {
		t.Fatalf("the README's FileType autocommand attached no initialized golens client within 10 s")
	}
	hover := strings.Join(rec.HoverLines, "\n")
	if !rec.HoverFloat || !strings.Contains(hover, "goroutine") {
		t.Errorf("K on `go` showed no hover float mentioning goroutine (float: %v):\n%s", rec.HoverFloat, hover)
	}
	sendLine := lineOf(t, readmeSrc, "ch <- 1")
	found := false
	for _, h := range rec.HintMarks {
		if h.Line == sendLine && strings.TrimSpace(h.Text) != "" {
			found = true
		}
	}
	if !found {
		t.Errorf(":GolensHints put no virtual text on the send (line %d); marks: %+v", sendLine, rec.HintMarks)
	}
	if rec.HintMarksAfterClear != 0 {
		t.Errorf(":GolensHints! left %d marks", rec.HintMarksAfterClear)
	}
	if !rec.OtherAttached || !rec.SameClient || rec.ClientCount != 1 {
		t.Errorf("a second file of the module: attached %v, same client %v, golens clients %d; want true, true, 1",
			rec.OtherAttached, rec.SameClient, rec.ClientCount)
	}
}
