package cli_test

import (
	"encoding/json"
	"fmt"
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
	for pkg, byCheck := range tree {
		// Only the test variant of a package is checked (as go vet does);
		// its findings are listed under the package's own path.
		if path, rest, ok := strings.Cut(pkg, " ["); ok && rest == path+".test]" {
			t.Errorf("findings listed under the test variant %q, not %q", pkg, path)
		}
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

// TestManifest: a re-check of an unchanged tree answers from the manifest
// (no go list), with the same findings; a file added to a package, a new
// package under a ./... pattern and an edited file are all seen.
func TestManifest(t *testing.T) {
	const leak = "package %s\n\nimport \"sync\"\n\nvar mu sync.Mutex\n\nfunc Leak(b bool) int {\n\tmu.Lock()\n\tif b {\n\t\treturn 1\n\t}\n\tmu.Unlock()\n\treturn 0\n}\n"
	for _, tc := range []struct {
		name   string
		change func(dir string) error
		want   string // in the third run's output
	}{
		{"file added to a package", func(dir string) error {
			return os.WriteFile(filepath.Join(dir, "clean", "leak.go"), fmt.Appendf(nil, leak, "clean"), 0o644)
		}, "clean/leak.go:8:2"},
		{"new package", func(dir string) error {
			if err := os.MkdirAll(filepath.Join(dir, "sub", "fresh"), 0o755); err != nil {
				return err
			}
			return os.WriteFile(filepath.Join(dir, "sub", "fresh", "fresh.go"), fmt.Appendf(nil, leak, "fresh"), 0o644)
		}, "sub/fresh/fresh.go:8:2"},
		{"file edited", func(dir string) error {
			p := filepath.Join(dir, "clean", "clean.go")
			src, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			return os.WriteFile(p, []byte(strings.Replace(string(src), "\tdefer c.mu.Unlock()\n\tv, ok := c.m[k]\n", "\tv, ok := c.m[k]\n\tif !ok {\n\t\treturn 0, false\n\t}\n\tc.mu.Unlock()\n", 1)), 0o644)
		}, "clean/clean.go:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := copyModule(t)
			if err := os.RemoveAll(filepath.Join(dir, "broken")); err != nil {
				t.Fatal(err)
			}
			cache := t.TempDir()
			t.Setenv("GOLENS_CACHE", cache)
			_, _, first := runMain("./...")
			manifests, _ := filepath.Glob(filepath.Join(cache, "*", "m*"))
			if len(manifests) != 1 {
				t.Fatalf("%d manifests after the first run, want 1", len(manifests))
			}
			_, _, second := runMain("./...")
			if first != second {
				t.Fatalf("the run from the manifest differs:\nfirst:\n%s\nsecond:\n%s", first, second)
			}
			if strings.Contains(second, tc.want) {
				t.Fatalf("%q already reported before the change:\n%s", tc.want, second)
			}
			if err := tc.change(dir); err != nil {
				t.Fatal(err)
			}
			_, _, third := runMain("./...")
			if !strings.Contains(third, tc.want) {
				t.Errorf("after the change, %q is not reported:\n%s", tc.want, third)
			}
		})
	}
}
