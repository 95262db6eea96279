package recoveroutside_test

import (
	"os"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/golens/golens/checks/recoveroutside"
	"github.com/golens/golens/model"
)

func TestAnalyzer(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), recoveroutside.Analyzer, "recoveroutside")
}

func TestSyntax(t *testing.T) {
	src, err := os.ReadFile("testdata/src/recoveroutside/a.go")
	if err != nil {
		t.Fatal(err)
	}
	m := model.Parse("a.go", src)
	lines := strings.Split(string(src), "\n")
	got := 0
	for _, d := range recoveroutside.Syntax(m) {
		line := m.Line(d.Pos)
		if !strings.Contains(lines[line-1], "// want") {
			t.Errorf("line %d: unexpected syntax-tier finding: %s", line, d.Message)
		}
		got++
	}
	if got != 4 {
		t.Errorf("syntax tier found %d, want 4 (go, immediate, defer recover(), deferred args)", got)
	}
}
