package truth_test

import (
	"fmt"
	"go/ast"
	"go/token"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/golens/golens/model"
)

// The printed-order rule: a defer whose call is fmt.Println("TEXT", ...),
// with TEXT written nowhere else in the program, prints lines that start
// with TEXT, and nothing else prints them. In a function whose every defer
// is such a call, and that runs at most once (main, or a function called
// only from one statement of main outside any loop, goroutine or function
// literal), the printed lines of its defers, in stdout order, are its
// deferred calls in the order they ran. Every run-order claim of a defer's
// hover or hint there is judged against that order, with no author:
// "runs 3rd" must be the 3rd printed, "2nd to 4th" between them, "2nd or
// later" not before the 2nd; and one that "never runs" must not print.

// orderClaim is a run-order range read from an annotation: positions lo to
// hi (hi 0: no bound), or never.
type orderClaim struct {
	lo, hi int
	never  bool
}

var (
	hoverRunsRE = regexp.MustCompile(`— runs (\d+)(?:st|nd|rd|th)(?: (or later)| to (\d+)(?:st|nd|rd|th))? when`)
	hoverLoopRE = regexp.MustCompile(`the last deferred first, (\d+)(?:st|nd|rd|th)(?: (or later)| to (\d+)(?:st|nd|rd|th))?`)
	hintRunsRE  = regexp.MustCompile(`^(?:runs |if reached: (?:runs )?)?(\d+)(?:st|nd|rd|th)(?:-(\d+)(?:st|nd|rd|th))?(,? or later)?(?:,? at (?:return|Goexit))?$`)
)

// readClaim reads the run-order claim of a defer annotation.
func readClaim(a annotation) (orderClaim, bool) {
	conv := func(m []string, later string) (orderClaim, bool) {
		lo, _ := strconv.Atoi(m[1])
		c := orderClaim{lo: lo, hi: lo}
		if later != "" {
			c.hi = 0
		} else if m[3] != "" {
			c.hi, _ = strconv.Atoi(m[3])
		}
		return c, true
	}
	if a.kind == "hover" && strings.HasPrefix(a.text, "defer ") {
		head, _, _ := strings.Cut(a.text, "\n")
		if strings.Contains(head, "never runs") {
			return orderClaim{never: true}, true
		}
		if m := hoverRunsRE.FindStringSubmatch(head); m != nil {
			return conv(m, m[2])
		}
		if m := hoverLoopRE.FindStringSubmatch(head); m != nil {
			return conv(m, m[2])
		}
		return orderClaim{}, false
	}
	if a.kind == "hint" {
		label, _, _ := strings.Cut(a.text, "\n")
		if strings.HasPrefix(label, "never runs") {
			return orderClaim{never: true}, true
		}
		if m := hintRunsRE.FindStringSubmatch(label); m != nil {
			lo, _ := strconv.Atoi(m[1])
			c := orderClaim{lo: lo, hi: lo}
			if m[2] != "" {
				c.hi, _ = strconv.Atoi(m[2])
			}
			if m[3] != "" {
				c.hi = 0
			}
			return c, true
		}
	}
	return orderClaim{}, false
}

// printedDefer is one defer the rule can follow, with the run positions of
// its printed lines.
type printedDefer struct {
	file  string
	line  int
	ranks []int
}

// printedOrder finds the defers the rule can judge and where their lines
// were printed among their function's deferred calls.
func printedOrder(c *tcase, ms map[string]*model.File, stdout string) []printedDefer {
	all := ""
	for _, src := range c.files {
		all += string(src) + "\n"
	}
	outLines := strings.Split(stdout, "\n")
	mainM := ms["main.go"]
	var out []printedDefer
	for file, m := range ms {
		for _, f := range m.Funcs {
			if f.Lit || len(f.Defers) == 0 {
				continue
			}
			if !runsOnce(mainM, all, f) {
				continue
			}
			texts := make([]string, len(f.Defers))
			ok := true
			for i, d := range f.Defers {
				texts[i], ok = printedText(d, all)
				if !ok {
					break
				}
			}
			if !ok {
				continue
			}
			// The deferred calls' lines, in the order they ran.
			var seq []int // index into f.Defers
			for _, l := range outLines {
				for i, t := range texts {
					if l == t || strings.HasPrefix(l, t+" ") {
						seq = append(seq, i)
					}
				}
			}
			for i, d := range f.Defers {
				pd := printedDefer{file: file, line: m.Line(d.Pos)}
				for r, j := range seq {
					if j == i {
						pd.ranks = append(pd.ranks, r+1)
					}
				}
				out = append(out, pd)
			}
		}
	}
	return out
}

// printedText is TEXT when d is `defer fmt.Println("TEXT", ...)` and the
// quoted TEXT is written once in the program.
func printedText(d *model.Defer, all string) (string, bool) {
	if d.Node == nil {
		return "", false
	}
	call := d.Node.Call
	if lit, ok := call.Fun.(*ast.FuncLit); ok && len(call.Args) == 0 && len(lit.Body.List) == 1 {
		// defer func() { fmt.Println("TEXT") }()
		if es, ok := lit.Body.List[0].(*ast.ExprStmt); ok {
			if c, ok := es.X.(*ast.CallExpr); ok {
				call = c
			}
		}
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Println" || len(call.Args) == 0 {
		return "", false
	}
	if x, ok := sel.X.(*ast.Ident); !ok || x.Name != "fmt" {
		return "", false
	}
	lit, ok := call.Args[0].(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(lit.Value)
	if err != nil || s == "" || strings.Count(all, lit.Value) != 1 || strings.Contains(s, "\n") {
		return "", false
	}
	return s, true
}

// runsOnce reports whether f runs at most once: it is main, or its name is
// written in one call statement of main's body, not inside a loop, a go
// statement or a function literal, and nowhere else but its declaration.
func runsOnce(mainM *model.File, all string, f *model.Func) bool {
	name := f.Name
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		name = name[i+1:]
	}
	if name == "main" {
		return true
	}
	if mainM == nil || mainM.AST == nil {
		return false
	}
	if n := len(regexp.MustCompile(`\b`+regexp.QuoteMeta(name)+`\b`).FindAllStringIndex(all, -1)); n != 2 {
		return false
	}
	var body *ast.BlockStmt
	for _, d := range mainM.AST.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Name.Name == "main" && fd.Recv == nil {
			body = fd.Body
		}
	}
	if body == nil {
		return false
	}
	found := false
	var walk func(ast.Node) bool
	walk = func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.ForStmt, *ast.RangeStmt, *ast.FuncLit, *ast.GoStmt, *ast.DeferStmt:
			return false
		case *ast.ExprStmt:
			if call, ok := n.X.(*ast.CallExpr); ok {
				switch fun := call.Fun.(type) {
				case *ast.Ident:
					found = found || fun.Name == name
				case *ast.SelectorExpr:
					found = found || fun.Sel.Name == name
				}
			}
		}
		return true
	}
	ast.Inspect(body, walk)
	return found
}

// judgeOrder applies the printed-order rule to one tier's annotations.
func judgeOrder(pds []printedDefer, anns []annotation, judged func(i int), fail func(w, said string, i int)) {
	for _, pd := range pds {
		for i, a := range anns {
			if a.file != pd.file || a.line != pd.line {
				continue
			}
			cl, ok := readClaim(a)
			if !ok {
				continue
			}
			judged(i)
			label, _, _ := strings.Cut(a.text, "\n")
			if cl.never {
				if len(pd.ranks) > 0 {
					fail(fmt.Sprintf("%d %s!: never runs (it printed)", pd.line, a.kind), label, i)
				}
				continue
			}
			for _, r := range pd.ranks {
				if r < cl.lo || (cl.hi > 0 && r > cl.hi) {
					fail(fmt.Sprintf("%d %s: run order matching the printed order (ran %s)", pd.line, a.kind, ordinal(r)), label, i)
					break
				}
			}
		}
	}
}

func ordinal(n int) string {
	suf := "th"
	switch {
	case n%100 >= 11 && n%100 <= 13:
	case n%10 == 1:
		suf = "st"
	case n%10 == 2:
		suf = "nd"
	case n%10 == 3:
		suf = "rd"
	}
	return strconv.Itoa(n) + suf
}

// TestOrderRule: the rule reads every form of run-order claim and fails
// exactly the ones the printed order contradicts.
func TestOrderRule(t *testing.T) {
	pds := []printedDefer{{file: "main.go", line: 5, ranks: []int{2}}, {file: "main.go", line: 7, ranks: []int{2, 3, 4}}}
	for _, c := range []struct {
		ann   annotation
		wrong bool
	}{
		{annotation{file: "main.go", line: 5, kind: "hover", text: "defer 1 of 2 in f — runs 2nd when f returns: ..."}, false},
		{annotation{file: "main.go", line: 5, kind: "hover", text: "defer 1 of 2 in f — runs 1st when f returns: ..."}, true},
		{annotation{file: "main.go", line: 5, kind: "hover", text: "defer 1 of 2 in f — runs 1st to 2nd when f returns, depending ..."}, false},
		{annotation{file: "main.go", line: 5, kind: "hover", text: "defer 1 of 2 in f — runs 3rd or later when f returns: ..."}, true},
		{annotation{file: "main.go", line: 5, kind: "hover", text: "defer 1 of 2 in f — never runs: os.Exit ..."}, true},
		{annotation{file: "main.go", line: 5, kind: "hint", text: "runs 2nd at return\ntip"}, false},
		{annotation{file: "main.go", line: 5, kind: "hint", text: "runs 1st at return\ntip"}, true},
		{annotation{file: "main.go", line: 5, kind: "hint", text: "runs 1st-2nd at return\ntip"}, false},
		{annotation{file: "main.go", line: 5, kind: "hint", text: "if reached: runs 3rd\ntip"}, true},
		{annotation{file: "main.go", line: 5, kind: "hint", text: "1st or later, at return\ntip"}, false},
		{annotation{file: "main.go", line: 7, kind: "hover", text: "defer 2 of 2 in f — each pass of the loop defers one more call; they run when f returns, the last deferred first, 2nd to 4th: ..."}, false},
		{annotation{file: "main.go", line: 7, kind: "hover", text: "defer 2 of 2 in f — each pass of the loop defers one more call; they run when f returns, the last deferred first, 2nd to 3rd: ..."}, true},
	} {
		judged, failed := false, false
		judgeOrder(pds, []annotation{c.ann}, func(int) { judged = true }, func(string, string, int) { failed = true })
		if !judged || failed != c.wrong {
			t.Errorf("%q: judged %v, wrong %v; want judged, wrong %v", c.ann.text, judged, failed, c.wrong)
		}
	}
}

// The range rule: a range statement written at the top level of main's
// body, with no return before it in main, is reached on every run in which
// main returns; when main returned (the harness wrote the profile), the
// loop ended. No annotation on its line may then say it never ends.
func endedRanges(ms map[string]*model.File, r result) []int {
	m := ms["main.go"]
	if !r.profiled || m == nil || m.AST == nil {
		return nil
	}
	var body *ast.BlockStmt
	for _, d := range m.AST.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Name.Name == "main" && fd.Recv == nil {
			body = fd.Body
		}
	}
	if body == nil {
		return nil
	}
	var lines []int
	for _, st := range body.List {
		if _, ok := st.(*ast.RangeStmt); ok {
			lines = append(lines, m.Line(st.Pos()))
			continue
		}
		left := false
		ast.Inspect(st, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncLit:
				return false
			case *ast.ReturnStmt:
				left = true
			case *ast.BranchStmt:
				left = left || n.Tok == token.GOTO
			case *ast.LabeledStmt:
				left = true
			}
			return !left
		})
		if left {
			break // a later statement may not be reached
		}
	}
	return lines
}

// judgeRanges applies the range rule to one tier's annotations.
func judgeRanges(lines []int, anns []annotation, judged func(i int), fail func(w, said string, i int)) {
	for _, line := range lines {
		for i, a := range anns {
			if a.file != "main.go" || a.line != line || a.kind == "check" {
				continue
			}
			if a.kind == "hover" && strings.HasPrefix(a.text, "range") || strings.Contains(a.text, "never ends") {
				judged(i)
			}
			if strings.Contains(a.text, "never ends") {
				fail(fmt.Sprintf("%d %s!: never ends (the loop ended: main returned)", line, a.kind), excerpt(a.text, "never ends", true), i)
			}
		}
	}
}

// TestRangeRule: on the line of a range that ended, "never ends" is wrong
// and the range hover is judged.
func TestRangeRule(t *testing.T) {
	anns := []annotation{
		{file: "main.go", line: 9, kind: "hover", text: "range over ch\n\n... the loop never ends."},
		{file: "main.go", line: 9, kind: "hover", text: "range over ch\n\n... It is closed at line 12."},
		{file: "main.go", line: 10, kind: "hint", text: "never ends"},
	}
	judged, failed := map[int]bool{}, map[int]bool{}
	judgeRanges([]int{9}, anns, func(i int) { judged[i] = true }, func(_, _ string, i int) { failed[i] = true })
	if !judged[0] || !judged[1] || judged[2] || !failed[0] || failed[1] || failed[2] {
		t.Errorf("judged %v, failed %v; want judged 0 and 1, failed 0", judged, failed)
	}
}

// TestLeakedRule: the leak rule judges go hovers in every file of the
// program, named as the exit section names them.
func TestLeakedRule(t *testing.T) {
	anns := []annotation{
		{file: "worker/w.go", line: 7, kind: "hover", text: "go — starts f\n\nStart waits for it with wg.Wait() at line 12."},
		{file: "main.go", line: 7, kind: "hover", text: "go — starts g\n\nmain waits for it with wg.Wait() at line 12."},
		{file: "other.go", line: 9, kind: "hover", text: "go — starts h\n\nrun waits for it with <-done at line 12 — ctx can lose the race, and then nothing waits for it."},
		{file: "other.go", line: 20, kind: "hover", text: "go — starts func() { … }()\n\nsquareAll waits for it with wg.Wait() at line 25, which never returns: this goroutine's send at line 22 needs a receiver, and out is drained only after the Wait (line 27)."},
		{file: "other.go", line: 30, kind: "hover", text: "go — starts func() { … }()\n\nhandle waits for it with <-ch at line 40 — but not on every path: the return at line 38 leaves handle without waiting for it."},
	}
	judged, failed := map[int]bool{}, map[int]bool{}
	var said []string
	judgeLeaked(map[string]int{"worker/w.go:7": 1, "other.go:9": 1, "other.go:20": 1, "other.go:30": 1}, anns, func(i int) { judged[i] = true },
		func(w, _ string, i int) { failed[i] = true; said = append(said, w) })
	if !judged[0] || judged[1] || !judged[2] || !judged[3] || !failed[0] || failed[1] || failed[2] || failed[3] || !judged[4] || failed[4] {
		t.Errorf("judged %v, failed %v; want judged 0, 2, 3 and 4, failed 0", judged, failed)
	}
	if len(said) != 1 || said[0] != "worker/w.go:7 go hover!: waits for it with" {
		t.Errorf("failure written %q", said)
	}
}
