package deferargs_test

import (
	"os"
	"strings"

	"github.com/golens/golens/model"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/golens/golens/checks/deferargs"
)

func TestAnalyzer(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), deferargs.Analyzer, "deferargs")
}

// TestSyntax checks the syntax tier: every finding is on a line the typed
// tier also reports, and the shapes whose types show in the file are found.
func TestSyntax(t *testing.T) {
	src, err := os.ReadFile("testdata/src/deferargs/a.go")
	if err != nil {
		t.Fatal(err)
	}
	m := model.Parse("a.go", src)
	lines := strings.Split(string(src), "\n")
	got := 0
	for _, d := range deferargs.Syntax(m) {
		line := m.Line(d.Pos)
		if !strings.Contains(lines[line-1], "// want") {
			t.Errorf("line %d: unexpected syntax-tier finding: %s", line, d.Message)
		}
		got++
	}
	if got < 4 {
		t.Errorf("syntax tier found %d, want at least 4", got)
	}
}
