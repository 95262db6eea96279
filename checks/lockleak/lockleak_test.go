package lockleak_test

import (
	"os"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/golens/golens/checks/lockleak"
	"github.com/golens/golens/model"
)

func TestAnalyzer(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), lockleak.Analyzer, "lockleak")
}

// TestSyntax checks that the syntax tier reports exactly the typed tier's
// findings on this file, where every mutex is declared.
func TestSyntax(t *testing.T) {
	src, err := os.ReadFile("testdata/src/lockleak/a.go")
	if err != nil {
		t.Fatal(err)
	}
	m := model.Parse("a.go", src)
	lines := strings.Split(string(src), "\n")
	got := map[int]bool{}
	for _, d := range lockleak.Syntax(m) {
		got[m.Line(d.Pos)] = true
	}
	for i, l := range lines {
		if strings.Contains(l, "// want") != got[i+1] {
			t.Errorf("line %d: syntax tier reported=%v", i+1, got[i+1])
		}
	}
}
