package deferloop_test

import (
	"os"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/golens/golens/checks/deferloop"
	"github.com/golens/golens/model"
)

func TestAnalyzer(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), deferloop.Analyzer, "deferloop")
}

// TestSyntax checks that the syntax tier reports exactly what the typed
// tier does: the check needs no types.
func TestSyntax(t *testing.T) {
	for _, file := range []string{"a.go", "nofix.go", "shadow.go", "once.go"} {
		src, err := os.ReadFile("testdata/src/deferloop/" + file)
		if err != nil {
			t.Fatal(err)
		}
		m := model.Parse(file, src)
		lines := strings.Split(string(src), "\n")
		got := map[int]bool{}
		for _, d := range deferloop.Syntax(m) {
			got[m.Line(d.Pos)] = true
		}
		for i, l := range lines {
			if strings.Contains(l, "// want") != got[i+1] {
				t.Errorf("%s:%d: syntax tier reported=%v, want comment=%v", file, i+1, got[i+1], !got[i+1])
			}
		}
	}
}
