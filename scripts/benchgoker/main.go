//go:build ignore

// Command benchgoker scores `golens check -test` on GoBench's GoKer kernels
// (github.com/timmyyuan/gobench, fetched locally for measurement only and
// never committed). scripts/bench-goker.sh runs it; see there.
//
// A blocking kernel is found "at the bug" when one of golens's findings, or
// one of its related positions, sits where a goroutine of the kernel's bug
// blocks. Where that is comes from `golens leaks` (scripts/bench-leaks.sh),
// not from reading the kernels, so the held-out half can be scored unseen:
//
//   - the position's file:line is one of the blocked sites the dynamic run
//     reported (reported=[...]), or
//   - the position lies inside a function the kernel's README backtrace
//     names (backtrace=[...]; a ".funcN" literal counts as its enclosing
//     declaration).
//
// Where the dynamic run found nothing ("miss") the rule has nothing to match:
// tuning-half kernels are then judged by hand (the handJudged table, written
// after reading those kernels) and held-out kernels with findings are
// "unjudged". On the nonblocking kernels every finding is printed, to be
// judged true or false by hand.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

var (
	root   = flag.String("gobench", "", "extracted gobench tree (holds go.mod and gobench/goker)")
	golens = flag.String("golens", "golens", "golens binary")
	leaks  = flag.String("leaks", "", "comma-separated outputs of scripts/bench-leaks.sh")
	half   = flag.String("half", "tune", "tune (cockroach, etcd, grpc), heldout (the others), or all")
	detail = flag.Bool("heldout-detail", false, "print the held-out kernels' finding texts (off: they stay unseen, only counted)")
)

var tuning = map[string]bool{"cockroach": true, "etcd": true, "grpc": true}

// handJudged lists, for tuning-half kernels where `golens leaks` observed no
// blocked goroutine, the file:line positions that are at the bug, decided by
// reading the kernel (only the tuning half is ever read).
var handJudged = map[string][]string{
	// AB-BA between s.coalescedMu (sendQueuedHeartbeats) and r.raftMu (tick);
	// the finding names the outer locks and the calls that reach the inner.
	"cockroach/10214": {"cockroach10214_test.go:30", "cockroach10214_test.go:33", "cockroach10214_test.go:58", "cockroach10214_test.go:60"},
	// acquire returns with the client's RLock held; Close then blocks in Lock.
	"etcd/5509": {"etcd5509_test.go:37", "etcd5509_test.go:42", "etcd5509_test.go:27"},
	// Lock of a mutex in getDatabaseCache while updateSystemConfig holds it.
	"cockroach/16167": {},
	// RaftStatus takes s.mu.RLock while processRaft holds it and waits.
	"cockroach/3710": {},
	"etcd/7443":      {},
	"grpc/862":       {},
}

// dynamic is one kernel's line of bench-leaks output.
type dynamic struct {
	verdict   string
	sites     map[string]bool // "file.go:line"
	backtrace []string
}

var (
	leakLineRE = regexp.MustCompile(`^(\S+/\S+)\s+(\S+)\s+[\d.]+s reported=\[(.*?)\] backtrace=\[(.*?)\]`)
	quotedRE   = regexp.MustCompile(`"((?:[^"\\]|\\.)*)"`)
	siteRE     = regexp.MustCompile(`^([\w.-]+\.go):(\d+) `)
	funcLitRE  = regexp.MustCompile(`(\.(func|gowrap)\d+)+$`)
)

func readLeaks(files string) map[string]dynamic {
	out := map[string]dynamic{}
	for _, f := range strings.Split(files, ",") {
		if f == "" {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		sc := bufio.NewScanner(bytes.NewReader(data))
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			m := leakLineRE.FindStringSubmatch(sc.Text())
			if m == nil {
				continue
			}
			d := dynamic{verdict: m[2], sites: map[string]bool{}}
			for _, q := range quotedRE.FindAllStringSubmatch(m[3], -1) {
				s, _ := strconv.Unquote(`"` + q[1] + `"`)
				if sm := siteRE.FindStringSubmatch(s); sm != nil {
					d.sites[sm[1]+":"+sm[2]] = true
				}
			}
			for _, q := range quotedRE.FindAllStringSubmatch(m[4], -1) {
				s, _ := strconv.Unquote(`"` + q[1] + `"`)
				d.backtrace = append(d.backtrace, s)
			}
			// Nonblocking outputs reuse kernel names; keep the blocking one.
			if _, seen := out[m[1]]; !seen || m[2] != "clean" && m[2] != "leak" {
				out[m[1]] = d
			}
		}
	}
	return out
}

// span is one function declaration's lines in a kernel file.
type span struct {
	file       string
	start, end int
}

// funcSpans maps each declared function's short name ("(*T).m", "T.m",
// "f") to its lines.
func funcSpans(dir string) map[string]span {
	out := map[string]span{}
	fset := token.NewFileSet()
	files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	for _, name := range files {
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			continue
		}
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok {
				continue
			}
			key := fd.Name.Name
			if fd.Recv != nil && len(fd.Recv.List) == 1 {
				t := fd.Recv.List[0].Type
				ptr := false
				if s, ok := t.(*ast.StarExpr); ok {
					t, ptr = s.X, true
				}
				switch x := t.(type) {
				case *ast.IndexExpr:
					t = x.X
				case *ast.IndexListExpr:
					t = x.X
				}
				if id, ok := t.(*ast.Ident); ok {
					if ptr {
						key = "(*" + id.Name + ")." + key
					} else {
						key = id.Name + "." + key
					}
				}
			}
			out[key] = span{filepath.Base(name), fset.Position(fd.Pos()).Line, fset.Position(fd.End()).Line}
		}
	}
	return out
}

// declOf names the declaration a backtrace function belongs to: literals
// (".func1") belong to their enclosing declaration, and inlined frames
// ("A.(*T).m") are named by their last declaration.
func declOf(fn string, spans map[string]span) (span, bool) {
	fn = funcLitRE.ReplaceAllString(fn, "")
	best, found := span{}, false
	bestLen := 0
	for key, s := range spans {
		if (fn == key || strings.HasSuffix(fn, "."+key)) && len(key) > bestLen {
			best, found, bestLen = s, true, len(key)
		}
	}
	return best, found
}

type position struct {
	Posn    string `json:"posn"`
	Message string `json:"message"`
}

type finding struct {
	position
	Related []position `json:"related"`
}

type kernel struct {
	name, dir string
	heldout   bool
}

func kernels(kind string) []kernel {
	base := filepath.Join(*root, "gobench", "goker", kind)
	var out []kernel
	projects, _ := os.ReadDir(base)
	for _, p := range projects {
		if !p.IsDir() {
			continue
		}
		ids, _ := os.ReadDir(filepath.Join(base, p.Name()))
		for _, id := range ids {
			ho := !tuning[p.Name()]
			if (*half == "tune" && ho) || (*half == "heldout" && !ho) {
				continue
			}
			if id.IsDir() {
				out = append(out, kernel{p.Name() + "/" + id.Name(), filepath.Join(base, p.Name(), id.Name()), !tuning[p.Name()]})
			}
		}
	}
	return out
}

// check runs golens check on one kernel and returns its findings as
// "check: file:line: message" plus their positions.
func check(k kernel) ([]string, [][]string, error) {
	rel, _ := filepath.Rel(*root, k.dir)
	cmd := exec.Command(*golens, "check", "-test", "-json", "./"+filepath.ToSlash(rel))
	cmd.Dir = *root
	cmd.Env = append(os.Environ(), "GOLENS_CACHE=off")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, _ := cmd.Output()
	var res map[string]map[string][]finding
	if err := json.Unmarshal(out, &res); err != nil {
		if len(bytes.TrimSpace(out)) == 0 && stderr.Len() == 0 {
			return nil, nil, nil
		}
		return nil, nil, fmt.Errorf("%v: %s", err, strings.TrimSpace(stderr.String()))
	}
	var texts []string
	var posns [][]string
	seen := map[string]bool{}
	for _, byCheck := range res {
		for name, fs := range byCheck {
			for _, f := range fs {
				text := fmt.Sprintf("%s: %s: %s", name, short(f.Posn), f.Message)
				if seen[text] {
					continue
				}
				seen[text] = true
				ps := []string{short(f.Posn)}
				for _, r := range f.Related {
					ps = append(ps, short(r.Posn))
				}
				texts = append(texts, text)
				posns = append(posns, ps)
			}
		}
	}
	return texts, posns, nil
}

// short turns "/x/y/file.go:12:3" into "file.go:12".
func short(posn string) string {
	posn = filepath.Base(posn)
	parts := strings.Split(posn, ":")
	if len(parts) >= 2 {
		return parts[0] + ":" + parts[1]
	}
	return posn
}

func atBug(ps []string, d dynamic, spans map[string]span, hand []string) bool {
	for _, p := range ps {
		if d.sites[p] {
			return true
		}
		for _, h := range hand {
			if p == h {
				return true
			}
		}
		file, lineText, _ := strings.Cut(p, ":")
		line, _ := strconv.Atoi(lineText)
		for _, fn := range d.backtrace {
			if s, ok := declOf(fn, spans); ok && s.file == file && s.start <= line && line <= s.end {
				return true
			}
		}
	}
	return false
}

func main() {
	flag.Parse()
	dyn := readLeaks(*leaks)

	fmt.Println("== GoKer blocking kernels: golens check -test")
	tally := map[string]map[string]int{}
	found := map[string][]string{}
	for _, k := range kernels("blocking") {
		half := "tune"
		if k.heldout {
			half = "heldout"
		}
		texts, posns, err := check(k)
		d, known := dyn[k.name]
		hand, judged := handJudged[k.name]
		verdict := "none"
		switch {
		case err != nil:
			verdict = "error"
		case len(texts) == 0:
			verdict = "none"
		case !known:
			verdict = "unjudged"
		default:
			verdict = "elsewhere"
			spans := funcSpans(k.dir)
			for _, ps := range posns {
				if atBug(ps, d, spans, nil) {
					verdict = "bug"
					break
				}
				if !k.heldout && judged && atBug(ps, dynamic{}, spans, hand) {
					verdict = "bug(hand)"
				}
			}
			if verdict == "elsewhere" && d.verdict == "miss" && k.heldout {
				verdict = "unjudged"
			}
		}
		if tally[half] == nil {
			tally[half] = map[string]int{}
		}
		tally[half][verdict]++
		tally[half]["kernels"]++
		if strings.HasPrefix(verdict, "bug") {
			found[half] = append(found[half], k.name)
		}
		fmt.Printf("%-22s %-10s dynamic=%s\n", k.name, verdict, d.verdict)
		if err != nil {
			fmt.Printf("    %v\n", err)
		}
		show(k, texts)
	}
	for _, h := range []string{"tune", "heldout"} {
		t := tally[h]
		if t == nil {
			continue
		}
		sort.Strings(found[h])
		fmt.Printf("%s: %d kernels; at the bug %d (automatic %d, by hand %d); findings elsewhere %d; unjudged %d; none %d; errors %d\n    at the bug: %s\n",
			h, t["kernels"], t["bug"]+t["bug(hand)"], t["bug"], t["bug(hand)"], t["elsewhere"], t["unjudged"], t["none"], t["error"], strings.Join(found[h], " "))
	}

	fmt.Println()
	fmt.Println("== GoKer nonblocking kernels: every finding (judge each by hand)")
	nb := map[string][2]int{}
	for _, k := range kernels("nonblocking") {
		half := "tune"
		if k.heldout {
			half = "heldout"
		}
		texts, _, err := check(k)
		c := nb[half]
		c[0]++
		if len(texts) > 0 {
			c[1]++
		}
		nb[half] = c
		if err != nil {
			fmt.Printf("%-22s error\n    %v\n", k.name, err)
			continue
		}
		if len(texts) == 0 {
			continue
		}
		fmt.Printf("%-22s %d finding(s)\n", k.name, len(texts))
		show(k, texts)
	}
	for _, h := range []string{"tune", "heldout"} {
		if c, ok := nb[h]; ok {
			fmt.Printf("%s: %d nonblocking kernels; with findings %d\n", h, c[0], c[1])
		}
	}
}

func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}

// show prints a kernel's findings; a held-out kernel's only by check name,
// unless -heldout-detail, so that its code stays unseen.
func show(k kernel, texts []string) {
	for _, t := range texts {
		if k.heldout && !*detail {
			name, _, _ := strings.Cut(t, ":")
			t = name + ": (held out)"
		}
		fmt.Printf("    %s\n", firstLine(t))
	}
}
