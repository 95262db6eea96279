package model_test

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/golens/golens/model"
)

var (
	exitsMu   sync.Mutex
	exitsFset = token.NewFileSet()
	exitsImp  = importer.ForCompiler(exitsFset, "gc", nil)
)

// exitModels builds the syntax-tier and typed-tier models of one file.
func exitModels(t *testing.T, name string, src []byte) map[string]*model.File {
	t.Helper()
	exitsMu.Lock()
	defer exitsMu.Unlock()
	f, err := parser.ParseFile(exitsFset, name, src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	info := &types.Info{
		Types:      map[ast.Expr]types.TypeAndValue{},
		Defs:       map[*ast.Ident]types.Object{},
		Uses:       map[*ast.Ident]types.Object{},
		Implicits:  map[ast.Node]types.Object{},
		Selections: map[*ast.SelectorExpr]*types.Selection{},
		Scopes:     map[ast.Node]*types.Scope{},
	}
	conf := types.Config{Importer: exitsImp}
	if _, err := conf.Check("p", exitsFset, []*ast.File{f}, info); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return map[string]*model.File{
		"syntax": model.Parse(name, src),
		"typed":  model.Build(exitsFset, f, src, info),
	}
}

var exitMarker = regexp.MustCompile(`\b(from|reach|loopexit|loop|passbody|pass|mayends|ends|exitline|exit|may)(?::(\w+))?(?:=([\w.?]+))?`)

// TestExits checks the exit classifier and the reachability facts against
// the markers of testdata/exits/exits.txtar, on both tiers.
func TestExits(t *testing.T) {
	data, err := os.ReadFile("testdata/exits/exits.txtar")
	if err != nil {
		t.Fatal(err)
	}
	ar := txtar.Parse(data)
	for _, file := range ar.Files {
		for tier, m := range exitModels(t, file.Name, file.Data) {
			t.Run(file.Name+"/"+tier, func(t *testing.T) { checkExitMarkers(t, m) })
		}
	}
}

func checkExitMarkers(t *testing.T, m *model.File) {
	froms := map[string]ast.Stmt{}
	loops := map[string]ast.Stmt{}
	type check struct {
		line             int
		kind, name, want string
	}
	var checks []check
	for _, cg := range m.AST.Comments {
		for _, c := range cg.List {
			line := m.Line(c.Pos())
			for _, mk := range exitMarker.FindAllStringSubmatch(strings.TrimPrefix(c.Text, "//"), -1) {
				switch mk[1] {
				case "from":
					froms[mk[2]] = stmtOnLine(m, line)
				case "loop":
					loops[mk[2]] = stmtOnLine(m, line)
				}
				checks = append(checks, check{line, mk[1], mk[2], mk[3]})
			}
		}
	}
	n := 0
	for _, c := range checks {
		got := ""
		switch c.kind {
		case "from", "loop":
			continue
		case "reach":
			got = m.ReachAfter(froms[c.name], lineStart(m, c.line)).String()
		case "pass":
			got = m.NextPass(stmtOnLine(m, c.line), loops[c.name]).String()
		case "passbody":
			loop := stmtOnLine(m, c.line)
			var body *ast.BlockStmt
			switch l := loop.(type) {
			case *ast.ForStmt:
				body = l.Body
			case *ast.RangeStmt:
				body = l.Body
			}
			got = m.NextPass(body, loop).String()
		case "ends":
			got = "false"
			if m.EndsBlock([]ast.Stmt{stmtOnLine(m, c.line)}) {
				got = "true"
			}
		case "may":
			got = strconv.FormatBool(m.MayExit(callOnLine(m, c.line)))
		case "mayends":
			got = strconv.FormatBool(m.MayEndBlock([]ast.Stmt{stmtOnLine(m, c.line)}))
		case "exitline":
			continue
		case "loopexit":
			got = "none"
			if e, ok := m.LoopExit(stmtOnLine(m, c.line)); ok {
				got = e.What
				if !e.Proven {
					got += "?" // only named like an exit
				}
				want := -1
				for _, d := range checks {
					if d.kind == "exitline" && d.name == c.name {
						want = d.line
					}
				}
				if m.Line(e.Pos) != want {
					t.Errorf("line %d: loop exit %s at line %d, want line %d", c.line, e.What, m.Line(e.Pos), want)
				}
			}
		case "exit":
			got = "none"
			if k, ok := m.ExitCall(callOnLine(m, c.line)); ok {
				got = k.String()
			}
		}
		n++
		if got != c.want {
			t.Errorf("line %d: %s%s = %s, want %s", c.line, c.kind, ":"+c.name, got, c.want)
		}
	}
	if n == 0 {
		t.Fatal("no markers checked")
	}
}

// stmtOnLine returns the outermost statement starting on line.
func stmtOnLine(m *model.File, line int) ast.Stmt {
	var found ast.Stmt
	ast.Inspect(m.AST, func(n ast.Node) bool {
		if s, ok := n.(ast.Stmt); ok && found == nil && m.Line(s.Pos()) == line {
			if _, block := s.(*ast.BlockStmt); !block || line != m.Line(s.End()) {
				found = s
			}
		}
		return found == nil
	})
	return found
}

func callOnLine(m *model.File, line int) *ast.CallExpr {
	var found *ast.CallExpr
	ast.Inspect(m.AST, func(n ast.Node) bool {
		if c, ok := n.(*ast.CallExpr); ok && found == nil && m.Line(c.Pos()) == line {
			found = c
		}
		return found == nil
	})
	return found
}

// lineStart is the position of the first non-blank character of line.
func lineStart(m *model.File, line int) token.Pos {
	tf := m.Fset.File(m.AST.Pos())
	off := tf.Offset(tf.LineStart(line))
	for off < len(m.Src) && (m.Src[off] == '\t' || m.Src[off] == ' ') {
		off++
	}
	return tf.Pos(off)
}

// TestExitsConcurrent asks the same model's reachability from several
// goroutines at once, as hover, hints and checks do (run with -race).
func TestExitsConcurrent(t *testing.T) {
	data, err := os.ReadFile("testdata/exits/exits.txtar")
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range txtar.Parse(data).Files {
		m := model.Parse(file.Name, file.Data)
		var stmts []ast.Stmt
		ast.Inspect(m.AST, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.ExprStmt, *ast.AssignStmt:
				stmts = append(stmts, n.(ast.Stmt))
			}
			return true
		})
		var wg sync.WaitGroup
		results := make([][]model.Reach, 4)
		for g := range results {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for _, a := range stmts {
					for _, b := range stmts {
						results[g] = append(results[g], m.ReachAfter(a, b.Pos()))
					}
				}
			}()
		}
		wg.Wait()
		for g := 1; g < len(results); g++ {
			if !slices.Equal(results[g], results[0]) {
				t.Fatalf("%s: goroutine %d saw other answers than goroutine 0", file.Name, g)
			}
		}
	}
}

// TestExitVar pins the one answer for a call of a package variable bound
// to an exit function: the typed tier proves it an exit when nothing in
// the package assigns the variable; the syntax tier reads one file and
// only says that it may exit; a write anywhere it sees makes it unproven
// on both.
func TestExitVar(t *testing.T) {
	for _, tc := range []struct {
		name, src        string
		typed, syntax    string // ExitCall: a kind, or none
		proven           bool   // typed tier
		why              string // typed tier, when not proven
		typedMay, synMay bool
	}{
		{name: "bound.go", src: "package p\n\nimport \"os\"\n\nvar osExit = os.Exit\n\nfunc f() {\n\tosExit(1)\n}\n",
			typed: "exit", syntax: "none", proven: true, typedMay: true, synMay: true},
		{name: "goexit.go", src: "package p\n\nimport \"runtime\"\n\nvar stop = runtime.Goexit\n\nfunc f() {\n\tstop()\n}\n",
			typed: "goexit", syntax: "none", proven: true, typedMay: true, synMay: true},
		{name: "assigned.go", src: "package p\n\nimport \"os\"\n\nvar osExit = os.Exit\n\nfunc init() { osExit = func(int) {} }\n\nfunc f() {\n\tosExit(1)\n}\n",
			typed: "none", syntax: "none", why: "it is assigned at line 7", typedMay: true, synMay: true},
		{name: "addr.go", src: "package p\n\nimport \"os\"\n\nvar osExit = os.Exit\n\nvar p = &osExit\n\nfunc f() {\n\tosExit(1)\n}\n",
			typed: "none", syntax: "none", why: "it is assigned at line 7", typedMay: true, synMay: true},
		{name: "plain.go", src: "package p\n\nimport \"fmt\"\n\nvar say = fmt.Println\n\nfunc f() {\n\tsay(1)\n}\n",
			typed: "none", syntax: "none"},
	} {
		ms := exitModels(t, tc.name, []byte(tc.src))
		for tier, m := range ms {
			call := callOnLine(m, strings.Count(tc.src[:strings.Index(tc.src, "func f()")], "\n")+2)
			got := "none"
			if k, ok := m.ExitCall(call); ok {
				got = k.String()
			}
			want, may := tc.typed, tc.typedMay
			if tier == "syntax" {
				want, may = tc.syntax, tc.synMay
			}
			if got != want {
				t.Errorf("%s/%s: ExitCall = %s, want %s", tc.name, tier, got, want)
			}
			if m.MayExit(call) != may {
				t.Errorf("%s/%s: MayExit = %v, want %v", tc.name, tier, !may, may)
			}
			ev := m.ExitVarCall(call)
			if tc.name == "plain.go" {
				if ev != nil {
					t.Errorf("%s/%s: ExitVarCall = %+v, want nil", tc.name, tier, ev)
				}
				continue
			}
			if ev == nil {
				t.Errorf("%s/%s: ExitVarCall = nil", tc.name, tier)
				continue
			}
			if tier == "typed" && (ev.Proven != tc.proven || !tc.proven && ev.Why != tc.why) {
				t.Errorf("%s/typed: Proven = %v (%s), want %v (%s)", tc.name, ev.Proven, ev.Why, tc.proven, tc.why)
			}
			if tier == "syntax" && (ev.Proven || ev.Why == "") {
				t.Errorf("%s/syntax: Proven = %v (%q), want an unproven binding with a reason", tc.name, ev.Proven, ev.Why)
			}
		}
	}
}
