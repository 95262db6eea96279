package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/golens/golens/checks/cli"
)

// TestJSONOnce: a finding in a package's own file is reported once, not
// again under the package's test variant (which shares the file).
func TestJSONOnce(t *testing.T) {
	copyModule(t)
	t.Setenv("GOLENS_CACHE", "off")
	code, stdout, stderr := runMain("-json", "./buggy")
	if code != cli.ExitFindings {
		t.Fatalf("exit %d, stderr %s", code, stderr)
	}
	var tree map[string]map[string][]struct {
		Posn string `json:"posn"`
	}
	if err := json.Unmarshal([]byte(stdout), &tree); err != nil {
		t.Fatalf("bad JSON: %v\n%s", err, stdout)
	}
	seen := map[string]int{}
	for _, byCheck := range tree {
		for check, ds := range byCheck {
			for _, d := range ds {
				seen[check+" "+d.Posn]++
			}
		}
	}
	if len(seen) == 0 {
		t.Fatalf("no findings in\n%s", stdout)
	}
	for k, n := range seen {
		if n != 1 {
			t.Errorf("%s reported %d times", k, n)
		}
	}
}

// TestCache: the second run over an unchanged tree answers from the cache
// with the same findings; an edited file is checked again.
func TestCache(t *testing.T) {
	dir := copyModule(t)
	cache := t.TempDir()
	t.Setenv("GOLENS_CACHE", cache)
	code1, _, first := runMain("./buggy")
	entries := 0
	filepath.Walk(cache, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			entries++
		}
		return nil
	})
	if entries == 0 {
		t.Fatal("the first run stored nothing in the cache")
	}
	code2, _, second := runMain("./buggy")
	if code1 != cli.ExitFindings || code2 != code1 || first != second {
		t.Fatalf("cached run differs: exit %d/%d\nfirst:\n%s\nsecond:\n%s", code1, code2, first, second)
	}
	// Fix the leak by hand: the cache must not answer with the old finding.
	path := filepath.Join(dir, "buggy", "buggy.go")
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(strings.Replace(string(src), "c.mu.Lock()\n", "c.mu.Lock()\n\tdefer c.mu.Unlock()\n", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	_, _, third := runMain("./buggy")
	if strings.Contains(third, "c.mu stays locked if (*Cache).Load") {
		t.Errorf("the edited file was answered from the cache:\n%s", third)
	}
}
