package agreement_test

import (
	"context"
	"fmt"
	"go/ast"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/golens/golens/model"
	"github.com/golens/golens/typed"
)

// chanClaims are the close and send facts a receive's or range's hover
// states about its channel.
type chanClaims struct {
	noClose, noSend, forever bool
}

func (c chanClaims) any() bool { return c.noClose || c.noSend || c.forever }

func claimsOf(h, name string) chanClaims {
	return chanClaims{
		noClose: strings.Contains(h, "Nothing closes `"+name+"`") || strings.Contains(h, "Nothing sends on `"+name+"` and nothing closes it"),
		noSend:  strings.Contains(h, "Nothing sends on `"+name+"`"),
		forever: strings.Contains(h, "Nothing sends on `"+name+"` and nothing closes it"),
	}
}

// saysForever: some receive's or range's hover on the checks' tier says
// nothing sends on its channel and nothing closes it.
func saysForever(cp *checkedPackage) bool {
	for _, m := range cp.models {
		for _, op := range m.ChanOps {
			if (op.Kind == model.Recv || op.Kind == model.Range) && op.Chan != nil && op.TimeChan == "" &&
				claimsOf(hoverAt(m, m.Offset(op.Pos)), op.Chan.Name).forever {
				return true
			}
		}
	}
	return false
}

// servedPackage is a package as the server's typed tier sees it.
type servedPackage struct {
	pkg    *typed.Package
	models map[string]*model.File // by base name
}

// serverModels copies dir (a package's Go files, or a module with
// packages of its own) to into, gives it a go.mod when it has none, and
// loads its root package as the server's typed tier does (package typed:
// go/packages, summaries across the package's files and of imported
// packages, each file built in its package).
func serverModels(ld *typed.Loader, dir, into, module string) (*servedPackage, error) {
	if err := os.CopyFS(into, os.DirFS(dir)); err != nil {
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(into, "go.mod")); err != nil {
		if err := os.WriteFile(filepath.Join(into, "go.mod"), []byte("module "+module+"\n\ngo 1.26\n"), 0o644); err != nil {
			return nil, err
		}
	}
	names, _ := filepath.Glob(filepath.Join(into, "*.go"))
	sort.Strings(names)
	if len(names) == 0 {
		return nil, fmt.Errorf("no Go files in %s", dir)
	}
	pkg, err := ld.Load(context.Background(), typed.Request{File: names[0]})
	if err != nil {
		return nil, err
	}
	if len(pkg.TypeErrors) > 0 {
		return nil, fmt.Errorf("type errors: %v", pkg.TypeErrors)
	}
	out := &servedPackage{pkg: pkg, models: map[string]*model.File{}}
	for _, f := range pkg.Files {
		out.models[filepath.Base(f.Filename)] = f.Model()
	}
	return out, nil
}

// truthModules writes the truth programs with packages of their own (a
// module named after the case) whose source mentions a channel.
func truthModules(t *testing.T) map[string]string {
	t.Helper()
	names, _ := filepath.Glob(filepath.Join("..", "..", "truth", "testdata", "*.txtar"))
	out := map[string]string{}
	for _, n := range names {
		ar, err := txtar.ParseFile(n)
		if err != nil {
			t.Fatal(err)
		}
		nested, mentions := false, false
		for _, f := range ar.Files {
			if strings.HasSuffix(f.Name, ".go") {
				nested = nested || strings.Contains(f.Name, "/")
				mentions = mentions || strings.Contains(string(f.Data), "chan ")
			}
		}
		if !nested || !mentions {
			continue
		}
		module := strings.TrimSuffix(filepath.Base(n), ".txtar")
		dir := filepath.Join(t.TempDir(), module)
		files := map[string][]byte{"go.mod": []byte("module " + module + "\n\ngo 1.26\n")}
		for _, f := range ar.Files {
			if strings.HasSuffix(f.Name, ".go") {
				files[f.Name] = f.Data
			}
		}
		for name, data := range files {
			if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		out["truth/"+module] = dir
	}
	return out
}

// TestServerHoverAgrees checks that the hover of the server's typed tier
// states the same close and send facts about a channel as the checks'
// tier, whose models nopartner reads (issue 9: one source of each fact):
//
//   - at every receive and range where the checks' hover says "Nothing
//     closes `X`", "Nothing sends on `X`" or "Nothing sends on `X` and
//     nothing closes it", the server's hover says it too (it may say more:
//     it follows calls into the package's other files and into imported
//     packages, whose summaries the checks' models do not read);
//   - where the server's hover states such a negative, golens sees every
//     use of X's channel class in the package as the server computes it
//     (ChanClass.Unseen is false: it follows calls into imported
//     packages through their summaries), or loses sight only of channels
//     coming in from other packages while X holds only its own makes
//     (ChanClass.UnseenOnlyIn, Chan.OnlyOwnMakes);
//   - where the server's hover says a receive blocks forever (nothing sends
//     on X and nothing closes it), X's class has no send and no close (the
//     fact nopartner reads), and nopartner reports the class when that
//     receive blocks (no select), unless the checks' tier loses sight of
//     the class at a call into another package (counted: silence
//     contradicts nothing) or len(X) guards it;
//   - where nopartner reports "nothing in the package sends on or closes
//     X", the server's hover names no closer and no sender.
func TestServerHoverAgrees(t *testing.T) {
	// The checks' tier first: a go list per program is slow (about a
	// second for three), so the server loads only the one-package
	// programs where nopartner reports or the checks' hover says nothing
	// sends on a channel and nothing closes it (a one-package program
	// that imports only the standard library gives the server's summaries
	// nothing the checks' models lack that could add a negative: the
	// standard library is not read, and its documented facts only send;
	// every other negative is compared by TestNoPartnerAgrees on the
	// checks' models), and every program with packages of its own.
	dirs := chanProgramDirs(t)
	checked := map[string]*checkedPackage{}
	var keys []string
	for name, dir := range dirs {
		cp := runNopartner(t, dir)
		if len(cp.findings) > 0 || saysForever(cp) {
			checked[name] = cp
			keys = append(keys, name)
		}
	}
	modules := truthModules(t)
	for name, dir := range modules {
		checked[name] = runNopartnerModule(t, dir)
		dirs[name] = dir
		keys = append(keys, name)
	}
	sort.Strings(keys)
	// go list per program: two at a time, as the server's loader allows.
	ld := typed.NewLoader(typed.Config{})
	served := make([]*servedPackage, len(keys))
	errs := make([]error, len(keys))
	root := t.TempDir()
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < 2; w++ {
		wg.Go(func() {
			for i := range next {
				module := "agree"
				if modules[keys[i]] != "" {
					module = filepath.Base(modules[keys[i]])
				}
				served[i], errs[i] = serverModels(ld, dirs[keys[i]], filepath.Join(root, strconv.Itoa(i), module), module)
			}
		})
	}
	for i := range keys {
		next <- i
	}
	close(next)
	wg.Wait()

	var n agreeCounts
	for i, name := range keys {
		if errs[i] != nil {
			t.Errorf("%s: server's typed tier: %v", name, errs[i])
			continue
		}
		compareServer(t, name, checked[name], served[i], &n)
	}
	t.Logf("%d programs (%d with packages of their own), %d receives and ranges compared, %d with a close or send negative on the server (%d stronger than the checks' tier), %d 'blocks forever' (%d on a class read by len or cap, %d on a class the checks' tier loses sight of at a call into another package); %d nopartner findings compared",
		len(keys), len(modules), n.points, n.negatives, n.more, n.forever, n.guarded, n.blind, n.reported)
	if n.points < 30 || n.negatives < 15 || n.forever < 8 || n.reported < 5 || n.more < 2 || n.blind < 1 {
		t.Errorf("too little compared: %+v", n)
	}
}

type agreeCounts struct {
	points, negatives, forever, reported, guarded, more, blind int
}

// compareServer compares the server's hovers on one package with the
// checks' tier (see TestServerHoverAgrees).
func compareServer(t *testing.T, name string, cp *checkedPackage, sp *servedPackage, n *agreeCounts) {
	t.Helper()
	serverClass := func(op *model.ChanOp) *model.ChanClass {
		if obj := chanVarOf(sp.pkg.Info, op); obj != nil && sp.pkg.ModelPackage() != nil {
			return sp.pkg.ModelPackage().ChanClasses().Of(obj)
		}
		return nil
	}
	checksClass := func(op *model.ChanOp) *model.ChanClass {
		if obj := chanVarOf(cp.info, op); obj != nil {
			return cp.pkg.ChanClasses().Of(obj)
		}
		return nil
	}
	foundIn := map[*model.ChanClass]bool{}
	for _, d := range cp.findings {
		if !strings.HasPrefix(d.Message, "nothing in the package sends on or closes") {
			continue
		}
		pos := cp.fset.Position(d.Pos)
		op := recvAt(cp.models[pos.Filename], d.Pos)
		if op == nil {
			continue // TestNoPartnerAgrees fails on it
		}
		if cls := checksClass(op); cls != nil {
			foundIn[cls] = true
		}
		sm := sp.models[filepath.Base(pos.Filename)]
		sop := serverOp(sm, pos.Line, pos.Column)
		if sop == nil {
			t.Errorf("%s %s: nopartner's receive is not one the server's model knows", name, pos)
			continue
		}
		n.reported++
		if h := hoverAt(sm, sm.Offset(sop.Pos)); namesPartner(h) {
			t.Errorf("%s %s: nopartner says %q, the server's hover names a partner:\n%s", name, pos, d.Message, h)
		}
	}
	for file, m := range cp.models {
		sm := sp.models[filepath.Base(file)]
		if sm == nil && strings.HasSuffix(file, "_test.go") {
			continue // the server loads the package without its tests here
		}
		if sm == nil {
			t.Errorf("%s: the server's typed tier has no %s", name, filepath.Base(file))
			continue
		}
		for _, op := range m.ChanOps {
			if (op.Kind != model.Recv && op.Kind != model.Range) || op.Chan == nil || op.TimeChan != "" {
				continue
			}
			pos := cp.fset.Position(op.Pos)
			where := fmt.Sprintf("%s %s:%d", name, filepath.Base(file), pos.Line)
			sop := serverOp(sm, pos.Line, pos.Column)
			if sop == nil || sop.Chan == nil {
				t.Errorf("%s: the server's model has no receive of `%s` here", where, op.Chan.Name)
				continue
			}
			n.points++
			hc := hoverAt(m, m.Offset(op.Pos))
			hs := hoverAt(sm, sm.Offset(sop.Pos))
			c, s := claimsOf(hc, op.Chan.Name), claimsOf(hs, sop.Chan.Name)
			if c.noClose && !s.noClose || c.noSend && !s.noSend || c.forever && !s.forever {
				t.Errorf("%s: the server's hover is weaker than the checks' (%+v, %+v)\nchecks' hover:\n%s\nserver's hover:\n%s", where, s, c, hc, hs)
			}
			if c != s {
				n.more++ // the server follows calls into other files and packages
			}
			if !s.any() {
				continue
			}
			n.negatives++
			cls := serverClass(sop)
			if cls == nil || cls.Unseen && !(cls.UnseenOnlyIn() && sop.Chan.OnlyOwnMakes()) {
				t.Errorf("%s: the server's hover states a negative about `%s`, its class loses sight of it (%+v):\n%s", where, op.Chan.Name, cls, hs)
				continue
			}
			if !s.forever {
				continue
			}
			n.forever++
			if !cls.Sent().ProvenFalse() || !cls.Closed().ProvenFalse() {
				t.Errorf("%s: the server's hover says nothing sends on or closes `%s`, its class does not prove it (%+v)", where, op.Chan.Name, cls)
				continue
			}
			ccls := checksClass(op)
			switch {
			case ccls == nil || ccls.Unseen:
				// The checks' tier has no summaries of imported
				// packages: nopartner is silent there, which
				// contradicts nothing.
				n.blind++
			case len(ccls.LenCapReads) > 0:
				// nopartner leaves out a receive guarded by len(x): it
				// never runs while nothing sends.
				n.guarded++
			case op.Select == nil && !foundIn[ccls]:
				t.Errorf("%s: the server's hover says this receive blocks forever, nopartner reports nothing on `%s`:\n%s", where, op.Chan.Name, hs)
			}
		}
	}
}

// serverOp is the receive or range of the server's model at line:col of
// its file (a range at its range keyword or its for keyword).
func serverOp(m *model.File, line, col int) *model.ChanOp {
	if m == nil {
		return nil
	}
	for _, op := range m.ChanOps {
		if op.Kind != model.Recv && op.Kind != model.Range {
			continue
		}
		p := m.Fset.Position(op.Pos)
		if p.Line == line && p.Column == col {
			return op
		}
		if rs, ok := op.Node.(*ast.RangeStmt); ok {
			if p := m.Fset.Position(rs.For); p.Line == line && p.Column == col {
				return op
			}
		}
	}
	return nil
}
