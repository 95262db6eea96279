// Command testsummary reads `go test -json` on stdin, prints what go test
// prints without -json (the ok/FAIL line of each package and the output of
// failed tests), and appends to a file (-skips) one line per skipped test
// with the reason the test gave, so scripts/test.sh can end with every
// skipped editor test and why.
//
//	go test -json ./... | go run ./scripts/testsummary -skips /tmp/skips
//
// Its exit code is 1 when a test or package failed.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

type event struct {
	Action  string
	Package string
	Test    string
	Output  string
}

// result is what the run amounted to.
type result struct {
	passed, failed, skipped int
	packages                int
	skips                   []string // "pkg Test: reason"
	failedRun               bool
}

func main() {
	skipsFile := flag.String("skips", "", "append one line per skipped test (package, test, reason) to this file")
	flag.Parse()
	r := summarize(os.Stdin, os.Stdout)
	if *skipsFile != "" {
		f, err := os.OpenFile(*skipsFile, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
		if err != nil {
			fmt.Fprintln(os.Stderr, "testsummary:", err)
			os.Exit(2)
		}
		for _, s := range r.skips {
			fmt.Fprintln(f, s)
		}
		f.Close()
	}
	fmt.Printf("%d packages\n", r.packages)
	fmt.Printf("go-test: %d passed, %d failed, %d skipped\n", r.passed, r.failed, r.skipped)
	if r.failedRun || r.failed > 0 {
		os.Exit(1)
	}
}

func summarize(in io.Reader, out io.Writer) result {
	var r result
	output := map[string][]string{} // package/test -> its output lines
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		line := sc.Bytes()
		var e event
		if err := json.Unmarshal(line, &e); err != nil || e.Action == "" {
			// Not an event (a build error printed by go test): pass it on.
			fmt.Fprintln(out, string(line))
			if strings.Contains(string(line), "FAIL") || strings.Contains(string(line), "error") {
				r.failedRun = true
			}
			continue
		}
		key := e.Package + "\x00" + e.Test
		switch e.Action {
		case "build-output":
			// Compiler errors (go 1.24+ reports them as events too).
			fmt.Fprint(out, e.Output)
		case "build-fail":
			r.failedRun = true
		case "output":
			if e.Test == "" {
				// Package lines: "ok  pkg 1.2s", "FAIL", build failures.
				if !strings.HasPrefix(e.Output, "=== ") && !strings.HasPrefix(e.Output, "PASS\n") {
					fmt.Fprint(out, e.Output)
				}
				continue
			}
			output[key] = append(output[key], e.Output)
		case "pass":
			if e.Test != "" {
				r.passed++
			} else {
				r.packages++
			}
			delete(output, key)
		case "skip":
			if e.Test == "" {
				r.packages++ // no test files
				continue
			}
			r.skipped++
			r.skips = append(r.skips, fmt.Sprintf("%s %s: %s", e.Package, e.Test, skipReason(output[key])))
			delete(output, key)
		case "fail":
			if e.Test == "" {
				r.packages++
				r.failedRun = true
				continue
			}
			r.failed++
			for _, l := range output[key] {
				fmt.Fprint(out, l)
			}
			delete(output, key)
		}
	}
	sort.Strings(r.skips)
	return r
}

// skipReason is the message the test passed to t.Skip: the indented output
// lines after "=== RUN", without the file:line prefix.
func skipReason(lines []string) string {
	var msg []string
	for _, l := range lines {
		t := strings.TrimSpace(l)
		if t == "" || strings.HasPrefix(t, "=== ") || strings.HasPrefix(t, "--- SKIP") {
			continue
		}
		if i := strings.Index(t, ".go:"); i >= 0 {
			if j := strings.Index(t[i:], ": "); j >= 0 {
				t = t[i+j+2:]
			}
		}
		msg = append(msg, t)
	}
	if len(msg) == 0 {
		return "(no reason given)"
	}
	return strings.Join(msg, " ")
}
