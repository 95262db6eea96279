//go:build ignore

// Command benchleaks measures golens leaks on GoBench's GoKer kernels
// (github.com/timmyyuan/gobench, fetched locally for measurement only and
// never committed). scripts/bench-leaks.sh runs it; see there.
//
// A blocking kernel counts as found "at the site" when golens reports a
// leaked goroutine blocked in a function where the kernel's README backtrace
// shows a goroutine blocked (the bug's blocking site). Functions, not lines:
// the backtraces were taken on older versions of the kernel files, whose
// lines have since shifted (a header comment was added). Kernels whose README has no
// backtrace count as found "in the kernel" when golens reports a leak
// blocked in the kernel's test file. On nonblocking kernels every reported
// leak is counted (a false leak unless the kernel really leaks).
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

var (
	root    = flag.String("gobench", "", "extracted gobench tree (holds go.mod and gobench/goker)")
	golens  = flag.String("golens", "golens", "golens binary")
	half    = flag.String("half", "tune", "tune (cockroach, etcd, grpc), heldout (the others), or all")
	kind    = flag.String("kind", "blocking", "blocking or nonblocking")
	count   = flag.Int("count", 100, "golens leaks -count")
	timeout = flag.Duration("timeout", time.Minute, "golens leaks -timeout per kernel")
)

var tuning = map[string]bool{"cockroach": true, "etcd": true, "grpc": true}

type leak struct {
	Reason  string
	Blocked struct {
		Func string
		File string
		Line int
	}
	Tests []string
}

type result struct {
	Leaks    []leak
	Problems []struct{ Package, Message string }
}

func main() {
	flag.Parse()
	base := filepath.Join(*root, "gobench", "goker", *kind)
	projects, _ := os.ReadDir(base)
	type row struct {
		kernel, verdict, detail string
		heldout                 bool
		secs                    float64
	}
	var rows []row
	for _, p := range projects {
		if !p.IsDir() {
			continue
		}
		ho := !tuning[p.Name()]
		if (*half == "tune" && ho) || (*half == "heldout" && !ho) {
			continue
		}
		ids, _ := os.ReadDir(filepath.Join(base, p.Name()))
		for _, id := range ids {
			dir := filepath.Join(base, p.Name(), id.Name())
			tests, _ := filepath.Glob(filepath.Join(dir, "*_test.go"))
			if len(tests) == 0 {
				continue
			}
			truth := backtraceSites(filepath.Join(dir, "README.md"), filepath.Base(tests[0]))
			start := time.Now()
			cmd := exec.Command(*golens, "leaks", "-json", "-count", strconv.Itoa(*count), "-timeout", timeout.String(), "./"+filepath.ToSlash(mustRel(*root, dir)))
			cmd.Dir = *root
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			out, _ := cmd.Output()
			secs := time.Since(start).Seconds()
			var res result
			if err := json.Unmarshal(out, &res); err != nil {
				rows = append(rows, row{p.Name() + "/" + id.Name(), "error", strings.TrimSpace(stderr.String()), ho, secs})
				continue
			}
			var inKernel, atSite []string
			for _, l := range res.Leaks {
				site := fmt.Sprintf("%s:%d %s", filepath.Base(l.Blocked.File), l.Blocked.Line, shortFunc(l.Blocked.Func))
				if filepath.Dir(l.Blocked.File) == dir {
					inKernel = append(inKernel, site+" ("+l.Reason+")")
				}
				if truth[shortFunc(l.Blocked.Func)] {
					atSite = append(atSite, site)
				}
			}
			verdict := "miss"
			switch {
			case *kind == "nonblocking" && len(res.Leaks) > 0:
				verdict = "leak"
			case *kind == "nonblocking":
				verdict = "clean"
			case len(atSite) > 0:
				verdict = "site"
			case len(truth) == 0 && len(inKernel) > 0:
				verdict = "kernel"
			case len(truth) > 0 && len(inKernel) > 0:
				verdict = "elsewhere"
			}
			var probs []string
			for _, pr := range res.Problems {
				probs = append(probs, firstLine(pr.Message))
			}
			truthList := keys(truth)
			detail := fmt.Sprintf("reported=%q backtrace=%q", inKernel, truthList)
			if len(probs) > 0 {
				detail += fmt.Sprintf(" problems=%q", probs)
			}
			rows = append(rows, row{p.Name() + "/" + id.Name(), verdict, detail, ho, secs})
			fmt.Printf("%-22s %-9s %5.1fs %s\n", p.Name()+"/"+id.Name(), verdict, secs, detail)
		}
	}
	tally := map[string]map[string]int{}
	for _, r := range rows {
		h := "tune"
		if r.heldout {
			h = "heldout"
		}
		for _, k := range []string{h, "total"} {
			if tally[k] == nil {
				tally[k] = map[string]int{}
			}
			tally[k][r.verdict]++
			tally[k]["kernels"]++
		}
	}
	for _, h := range []string{"tune", "heldout", "total"} {
		if t := tally[h]; t != nil {
			if *kind == "blocking" {
				fmt.Printf("%s: %d kernels; at the README's blocking site %d; in the kernel (README has no backtrace) %d; found = %d; leak elsewhere %d; missed %d; errors %d\n",
					h, t["kernels"], t["site"], t["kernel"], t["site"]+t["kernel"], t["elsewhere"], t["miss"], t["error"])
			} else {
				fmt.Printf("%s: %d nonblocking kernels; with reported leaks %d; clean %d; errors %d\n", h, t["kernels"], t["leak"], t["clean"], t["error"])
			}
		}
	}
}

var frameRE = regexp.MustCompile(`([\w.-]+_test\.go):(\d+)`)

// backtraceSites returns the function of the innermost kernel frame of
// each goroutine that the README's backtrace shows waiting.
func backtraceSites(readme, testFile string) map[string]bool {
	out := map[string]bool{}
	f, err := os.Open(readme)
	if err != nil {
		return out
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	inTrace, waiting, taken := false, false, false
	fn := ""
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(strings.ToLower(line), "### backtrace") {
			inTrace = true
			continue
		}
		if !inTrace {
			continue
		}
		if strings.HasPrefix(line, "goroutine ") {
			waiting = !strings.Contains(line, "[running") && !strings.Contains(line, "[runnable")
			taken = false
			continue
		}
		if m := frameRE.FindStringSubmatch(line); m != nil && waiting && !taken && m[1] == testFile {
			out[shortFunc(fn)] = true
			taken = true
		}
		if !strings.HasPrefix(line, " ") && !strings.HasPrefix(line, "\t") {
			fn = line
		}
	}
	return out
}

// shortFunc turns "example.com/p.(*T).m(0xc0001)" and
// "command-line-arguments.(*T).m" into "(*T).m".
func shortFunc(fn string) string {
	fn = strings.TrimSpace(fn)
	// Drop the argument list; "(*T)" is a receiver, not arguments.
	if i := strings.LastIndex(fn, "("); i > 0 && strings.HasSuffix(fn, ")") && !strings.HasPrefix(fn[i:], "(*") {
		fn = fn[:i]
	}
	fn = fn[strings.LastIndex(fn, "/")+1:]
	if _, rest, ok := strings.Cut(fn, "."); ok {
		return rest
	}
	return fn
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}

func mustRel(base, p string) string {
	r, err := filepath.Rel(base, p)
	if err != nil {
		panic(err)
	}
	return r
}
