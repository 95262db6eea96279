package all

import (
	"os"
	"strings"
	"testing"
)

// TestReadmeNogoListsEveryCheck: the README's Bazel nogo target must name
// every check's package, or a team copying it silently runs fewer checks.
func TestReadmeNogoListsEveryCheck(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	start := strings.Index(readme, "nogo(")
	if start < 0 {
		t.Fatal("README.md has no nogo( target")
	}
	end := strings.Index(readme[start:], "\n)")
	if end < 0 {
		t.Fatal("README.md's nogo( target does not end")
	}
	target := readme[start : start+end]
	for _, c := range Checks() {
		want := `"@com_github_golens_golens//checks/` + c.Analyzer.Name + `"`
		if !strings.Contains(target, want) {
			t.Errorf("README.md's nogo target does not list %s", want)
		}
	}
}
