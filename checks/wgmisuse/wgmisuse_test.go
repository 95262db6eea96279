package wgmisuse_test

import (
	"os"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/golens/golens/checks/wgmisuse"
	"github.com/golens/golens/model"
)

func TestAnalyzer(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, analysistest.TestData(), wgmisuse.Analyzer, "wgmisuse")
}

// TestSyntax: the syntax tier finds Add-inside and by-value, never Done
// without Add (which needs the whole package).
func TestSyntax(t *testing.T) {
	src, err := os.ReadFile("testdata/src/wgmisuse/a.go")
	if err != nil {
		t.Fatal(err)
	}
	m := model.Parse("a.go", src)
	lines := strings.Split(string(src), "\n")
	n := 0
	for _, d := range wgmisuse.Syntax(m) {
		l := lines[m.Line(d.Pos)-1]
		if !strings.Contains(l, "// want") || strings.Contains(l, "nothing in the package") {
			t.Errorf("line %d: unexpected: %s", m.Line(d.Pos), d.Message)
		}
		if len(d.SuggestedFixes) > 0 && strings.Contains(d.Message, "by value") {
			t.Errorf("line %d: by-value fix offered without types", m.Line(d.Pos))
		}
		n++
	}
	if n != 5 {
		t.Errorf("syntax tier found %d, want 5", n)
	}
}

func TestDuplicatesGopls(t *testing.T) {
	src, err := os.ReadFile("testdata/src/wgmisuse/a.go")
	if err != nil {
		t.Fatal(err)
	}
	m := model.Parse("a.go", src)
	dups := 0
	for _, d := range wgmisuse.Syntax(m) {
		if wgmisuse.DuplicatesGopls(d) {
			dups++
		}
	}
	// First-statement Add (vet waitgroup) and the three by-value params
	// (copylocks); the later-statement Add is golens's own.
	if dups != 4 {
		t.Errorf("DuplicatesGopls matched %d, want 4", dups)
	}
}
