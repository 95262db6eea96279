package agreement_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/golens/golens/checks/modelpass"
	"github.com/golens/golens/checks/nopartner"
	"github.com/golens/golens/model"
)

// checkedPackage is one package as the checks see it: nopartner's findings,
// and the models and package facts modelpass built for them (the hover is
// asked on those models, so both read one build).
type checkedPackage struct {
	fset     *token.FileSet
	info     *types.Info
	models   map[string]*model.File // by file name
	pkg      *model.Package
	findings []analysis.Diagnostic
}

// runNopartner type-checks the .go files of dir that belong to package
// name (the rest — an external test package — are left out) and runs
// nopartner over them with go/analysis's checker, as the server does.
func runNopartner(t *testing.T, dir string) *checkedPackage {
	t.Helper()
	names, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	fset := typedFset
	var files []*ast.File
	var goFiles []string
	pkgName := ""
	for _, n := range names {
		f, err := parser.ParseFile(fset, n, nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(f.Name.Name, "_test") {
			continue
		}
		if pkgName == "" {
			pkgName = f.Name.Name
		}
		files = append(files, f)
		goFiles = append(goFiles, n)
	}
	info := &types.Info{Types: map[ast.Expr]types.TypeAndValue{}, Defs: map[*ast.Ident]types.Object{},
		Uses: map[*ast.Ident]types.Object{}, Selections: map[*ast.SelectorExpr]*types.Selection{},
		Implicits: map[ast.Node]types.Object{}, Scopes: map[ast.Node]*types.Scope{}, Instances: map[*ast.Ident]types.Instance{},
		FileVersions: map[*ast.File]string{}}
	var typeErr error
	conf := types.Config{Importer: typedImporter, Error: func(err error) {
		if typeErr == nil {
			typeErr = err
		}
	}}
	tpkg, _ := conf.Check(pkgName, fset, files, info)
	if typeErr != nil {
		t.Fatalf("%s: %v", dir, typeErr)
	}
	lp := &packages.Package{ID: pkgName, Name: pkgName, PkgPath: pkgName, Fset: fset, Types: tpkg, TypesInfo: info,
		TypesSizes: types.SizesFor("gc", runtime.GOARCH), Imports: map[string]*packages.Package{},
		Syntax: files, GoFiles: goFiles, CompiledGoFiles: goFiles}
	return analyzeNopartner(t, lp, dir)
}

// runNopartnerModule loads the package of dir, in a module with packages
// of its own, with go/packages (the checks' view: go/analysis with no
// facts about the imported packages) and runs nopartner over it.
func runNopartnerModule(t *testing.T, dir string) *checkedPackage {
	t.Helper()
	pkgs, err := packages.Load(&packages.Config{Mode: packages.LoadSyntax, Dir: dir}, ".")
	if err != nil || len(pkgs) != 1 || len(pkgs[0].Errors) > 0 {
		t.Fatalf("%s: %v %v", dir, err, pkgs)
	}
	return analyzeNopartner(t, pkgs[0], dir)
}

// analyzeNopartner runs nopartner and modelpass over lp with go/analysis's
// checker, as the server does.
func analyzeNopartner(t *testing.T, lp *packages.Package, dir string) *checkedPackage {
	t.Helper()
	fset, info := lp.Fset, lp.TypesInfo
	graph, err := checker.Analyze([]*analysis.Analyzer{nopartner.Analyzer, modelpass.Analyzer}, []*packages.Package{lp}, &checker.Options{Sequential: true})
	if err != nil {
		t.Fatal(err)
	}
	out := &checkedPackage{fset: fset, info: info, models: map[string]*model.File{}}
	for _, act := range graph.Roots {
		if act.Err != nil {
			t.Fatalf("%s on %s: %v", act.Analyzer.Name, dir, act.Err)
		}
		switch act.Analyzer {
		case nopartner.Analyzer:
			out.findings = act.Diagnostics
		case modelpass.Analyzer:
			res := act.Result.(*modelpass.Result)
			out.pkg = res.Package
			for f, m := range res.Files {
				out.models[fset.Position(f.Pos()).Filename] = m
			}
		}
	}
	return out
}

// chanProgramDirs lists the one-package truth programs that use a channel
// (written to disk: modelpass reads each file's source), and nopartner's
// own testdata package.
func chanProgramDirs(t *testing.T) map[string]string {
	t.Helper()
	out := truthPrograms(t, "chan ")
	out["nopartner testdata"] = filepath.Join("..", "..", "checks", "nopartner", "testdata", "src", "nopartner")
	return out
}

// claimsPartner matches what a receive's hover says when it knows of a
// close or a sender: "`ch` is closed at line 9", "`ch` may be closed at",
// "`ch` is closed by produce", "`ch` is sent on".
var claimsPartner = regexp.MustCompile("`[^`]+` (is|may be) (closed|sent)")

// namesPartner reports whether a receive's hover names a close or a
// sender (claimsPartner), leaving out the sentences that only say what
// would end the wait: "until `ch` is closed and drained", "The loop ends
// only when `in` is closed, by code outside this function that holds it"
// (a parameter, r20a_two_files_wait).
func namesPartner(h string) bool {
	h = strings.ReplaceAll(h, "is closed and drained", "")
	return claimsPartner.MatchString(onlyWhenClosed.ReplaceAllString(h, ""))
}

var onlyWhenClosed = regexp.MustCompile("ends only when `[^`]+` is closed")

// chanVarOf is the channel variable a receive or range reads, if any.
func chanVarOf(info *types.Info, op *model.ChanOp) types.Object {
	var x ast.Expr
	switch n := op.Node.(type) {
	case *ast.UnaryExpr:
		x = n.X
	case *ast.RangeStmt:
		x = n.X
	default:
		return nil
	}
	switch x := ast.Unparen(x).(type) {
	case *ast.Ident:
		return info.Uses[x]
	case *ast.SelectorExpr:
		if sel := info.Selections[x]; sel != nil && sel.Kind() == types.FieldVal {
			return sel.Obj()
		}
	}
	return nil
}

// TestNoPartnerAgrees checks, over the one-package truth programs that use
// a channel and nopartner's own testdata, that nopartner and the hover
// (with the hints, which read the same model facts) never contradict each
// other about a channel's senders and closers (issue 9: one source of each
// fact):
//
//   - where nopartner reports "nothing in the package sends on or closes
//     X", the model's channel at that receive has no close and no send,
//     proven or possible, and the hover names no closer or sender;
//   - where the hover says "Nothing closes `X`" or "Nothing sends on `X`"
//     (a proven negative), golens sees every use of X's channel class in
//     the package (ChanClass.Unseen is false), or the class loses sight
//     only of channels coming in from other packages (a parameter of an
//     exported function: ChanClass.UnseenOnlyIn) and X only holds the
//     channels its own makes create (Chan.OnlyOwnMakes), which nothing
//     outside gets; nopartner is silent on such a class, which contradicts
//     nothing. The class may still hold a
//     close or a send of another channel its variables also hold (two
//     channels passed to one parameter); those are counted, not failed:
//     the file's summaries follow X's channel alone.
//
// The models are modelpass's, built in the package (model.BuildInPackage),
// as every check reads them.
func TestNoPartnerAgrees(t *testing.T) {
	dirs := chanProgramDirs(t)
	keys := make([]string, 0, len(dirs))
	for k := range dirs {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	findings, negatives, merged := 0, 0, 0
	for _, name := range keys {
		cp := runNopartner(t, dirs[name])
		for _, d := range cp.findings {
			if !strings.HasPrefix(d.Message, "nothing in the package sends on or closes") {
				continue
			}
			pos := cp.fset.Position(d.Pos)
			m := cp.models[pos.Filename]
			op := recvAt(m, d.Pos)
			if op == nil {
				t.Errorf("%s %s: finding not on a receive the model knows: %s", name, pos, d.Message)
				continue
			}
			findings++
			h := hoverAt(m, m.Offset(op.Pos))
			if c := op.Chan; c != nil {
				closed := c.Closed()
				if len(c.Closes()) > 0 || closed.ProvenTrue() || closed.Certainty == model.Possible || len(c.Sends()) > 0 {
					t.Errorf("%s %s: nopartner says %q, the model's channel has a closer or sender (closes %d, sends %d, closed %+v)",
						name, pos, d.Message, len(c.Closes()), len(c.Sends()), closed)
				}
			}
			if namesPartner(h) {
				t.Errorf("%s %s: nopartner says %q, the hover names a partner:\n%s", name, pos, d.Message, h)
			}
		}
		for file, m := range cp.models {
			for _, op := range m.ChanOps {
				// The C of a time.Timer or Ticker (also one held where the
				// model cannot tell which timer it is): its "Nothing closes"
				// is the time package's rule, not a class's.
				if (op.Kind != model.Recv && op.Kind != model.Range) || op.Chan == nil || op.TimeChan != "" || op.Chan.TimeChan() {
					continue
				}
				h := hoverAt(m, m.Offset(op.Pos))
				saysNoClose := strings.Contains(h, "Nothing closes `"+op.Chan.Name+"`")
				saysNoSend := strings.Contains(h, "Nothing sends on `"+op.Chan.Name+"`")
				if !saysNoClose && !saysNoSend {
					continue
				}
				negatives++
				where := name + " " + filepath.Base(file) + ":" + strconv.Itoa(m.Line(op.Pos))
				obj := chanVarOf(cp.info, op)
				cls := (*model.ChanClass)(nil)
				if obj != nil {
					cls = cp.pkg.ChanClasses().Of(obj)
				}
				if cls == nil {
					t.Errorf("%s: the hover states a negative about `%s`, the package has no class for it:\n%s", where, op.Chan.Name, h)
					continue
				}
				if cls.Unseen && !(cls.UnseenOnlyIn() && op.Chan.OnlyOwnMakes()) {
					t.Errorf("%s: the hover states a negative about `%s` (golens follows every use of it), the package loses sight of its class: %s (%v):\n%s",
						where, op.Chan.Name, cls.UnseenWhy, cp.fset.Position(cls.UnseenAt), h)
				}
				// The class joins every channel its variables may hold:
				// a close or send there may be another channel's, which
				// the file's summaries tell apart.
				if saysNoClose && !cls.Closed().ProvenFalse() || saysNoSend && !cls.Sent().ProvenFalse() {
					merged++
				}
			}
		}
	}
	t.Logf("%d programs, %d nopartner findings and %d hover negatives compared (%d on a class that holds other, closed or sent, channels)", len(keys), findings, negatives, merged)
	if findings < 4 || negatives < 100 {
		t.Errorf("only %d findings and %d hover negatives compared", findings, negatives)
	}
}

// recvAt is the receive or range the model records at p.
func recvAt(m *model.File, p token.Pos) *model.ChanOp {
	if m == nil {
		return nil
	}
	for _, op := range m.ChanOps {
		if (op.Kind == model.Recv || op.Kind == model.Range) && op.Pos == p {
			return op
		}
		// nopartner reports a range at its for keyword.
		if rs, ok := op.Node.(*ast.RangeStmt); ok && op.Kind == model.Range && rs.For == p {
			return op
		}
	}
	return nil
}
