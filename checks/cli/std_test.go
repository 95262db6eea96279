package cli_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// TestStdPrecision runs every golens check over the standard library, the
// way a user runs `golens check std`, prints each finding and the count per
// check, and compares the wall time with `go vet std` measured in the same
// run. It is slow (minutes), so it runs only with GOLENS_STD=1:
//
//	GOLENS_STD=1 go test -run TestStdPrecision -v -timeout 60m ./checks/cli
//
// Target: at most one finding per 100,000 lines of std, each a real problem.
func TestStdPrecision(t *testing.T) {
	if os.Getenv("GOLENS_STD") == "" {
		t.Skip("set GOLENS_STD=1 to run the checks over std")
	}
	bin := golensBinary(t)
	goroot := strings.TrimSpace(run(t, "go", "env", "GOROOT"))
	lines := countLines(t, filepath.Join(goroot, "src"))

	// Warm the build cache (export data) so that neither tool pays for
	// compiling std; both then read the same cached export data.
	run(t, "go", "list", "-export", "-test", "-deps", "std")

	start := time.Now()
	cmd := exec.Command(bin, "check", "-json", "std")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	golensTime := time.Since(start)
	if ee, ok := err.(*exec.ExitError); err != nil && (!ok || ee.ExitCode() > 1) {
		t.Fatalf("golens check std: %v\n%s", err, stderr.String())
	}

	// go vet caches its results per package and flag set. A -printf.funcs
	// value never used before keeps every analyzer on but makes each vet
	// action new, so vet analyses all of std like golens does.
	vetStart := time.Now()
	vet := exec.Command("go", "vet", fmt.Sprintf("-printf.funcs=golensbench%d", time.Now().UnixNano()), "std")
	vetOut, vetErr := vet.CombinedOutput()
	vetTime := time.Since(vetStart)
	if vetErr != nil {
		t.Logf("go vet std: %v\n%s", vetErr, vetOut)
	}

	var tree map[string]map[string]json.RawMessage
	if err := json.Unmarshal(stdout.Bytes(), &tree); err != nil {
		t.Fatalf("bad JSON: %v", err)
	}
	type diag struct {
		Posn    string `json:"posn"`
		Message string `json:"message"`
	}
	seen := map[string]bool{}
	perCheck := map[string][]string{}
	for _, byAnalyzer := range tree {
		for analyzer, raw := range byAnalyzer {
			var ds []diag
			if err := json.Unmarshal(raw, &ds); err != nil {
				continue // an error object, not a list
			}
			for _, d := range ds {
				k := analyzer + "|" + d.Posn + "|" + d.Message
				if seen[k] {
					continue
				}
				seen[k] = true
				perCheck[analyzer] = append(perCheck[analyzer], strings.TrimPrefix(d.Posn, goroot+"/src/")+": "+d.Message)
			}
		}
	}
	var names []string
	total := 0
	for n, ds := range perCheck {
		names = append(names, n)
		total += len(ds)
		sort.Strings(ds)
	}
	sort.Strings(names)
	var report strings.Builder
	fmt.Fprintf(&report, "std: %d lines of Go\n", lines)
	for _, n := range names {
		fmt.Fprintf(&report, "%-18s %d\n", n, len(perCheck[n]))
		for _, d := range perCheck[n] {
			fmt.Fprintf(&report, "    %s\n", d)
		}
	}
	fmt.Fprintf(&report, "total %d findings = %.2f per 100,000 lines (target <= 1)\n", total, float64(total)*1e5/float64(lines))
	fmt.Fprintf(&report, "wall time: golens check std %v, go vet std %v\n", golensTime.Round(time.Millisecond), vetTime.Round(time.Millisecond))
	t.Log("\n" + report.String())
	if out := os.Getenv("GOLENS_STD_REPORT"); out != "" {
		os.WriteFile(out, []byte(report.String()), 0o644)
	}
}

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).Output()
	if err != nil {
		t.Fatalf("%s %s: %v", name, strings.Join(args, " "), err)
	}
	return string(out)
}

// countLines counts the lines of the .go files under dir, leaving out
// testdata directories (which go vet std does not check either).
func countLines(t *testing.T, dir string) int {
	n := 0
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() && (d.Name() == "testdata" || d.Name() == "vendor" || d.Name() == "cmd") {
			return filepath.SkipDir
		}
		if !strings.HasSuffix(p, ".go") {
			return nil
		}
		f, err := os.Open(p)
		if err != nil {
			return nil
		}
		defer f.Close()
		s := bufio.NewScanner(f)
		s.Buffer(make([]byte, 1<<20), 1<<20)
		for s.Scan() {
			n++
		}
		return nil
	})
	return n
}
