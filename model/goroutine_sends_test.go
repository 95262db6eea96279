package model_test

import (
	"go/ast"
	"go/types"
	"strings"
	"testing"

	"github.com/golens/golens/model"
)

// TestGoroutineSendFacts: the facts the skipped-send rule reads about a
// goroutine's error path and channel (goroutine_sends.go).
func TestGoroutineSendFacts(t *testing.T) {
	p, at := condPackage(t, `package p

import "testing"

type S struct {
	ready chan struct{}
	inner struct{ c chan int }
}

func (s *S) run(t *testing.T, ch chan int) {
	if s == nil { // test
		t.Errorf("nil")
		return
	}
	if ch == nil { // plain
		func() { return }()
		return
	}
	if len(ch) > 0 { // literalonly
		go func() { return }()
	}
	close(s.ready) // own
	s.inner.c <- 1 // deep
	ch <- 1 // param
}

func (S) anon() {} // anon

func start(t *testing.T, x *S, out chan int) {
	go x.run(t, out) // go
}
`)
	ifAt := func(name string) *ast.IfStmt { return first[*ast.IfStmt](t, at(name)) }
	tests := []struct {
		name       string
		testReport bool
		returns    bool
	}{
		{"test", true, true},
		{"plain", false, true}, // the literal's return is not the function's; the next one is
		{"literalonly", false, false},
	}
	for _, tc := range tests {
		b := ifAt(tc.name).Body
		if got := p.ReportsTestFailure(b); got.ProvenTrue() != tc.testReport || got.Certainty != model.Proven || got.Why == "" {
			t.Errorf("%s: ReportsTestFailure = %+v, want holds=%v", tc.name, got, tc.testReport)
		}
		r := model.ReturnIn(b)
		if (r != nil) != tc.returns {
			t.Errorf("%s: ReturnIn = %v, want a return: %v", tc.name, r, tc.returns)
		}
		if r != nil && tc.name == "plain" && r.Pos() < b.List[len(b.List)-1].Pos() {
			t.Errorf("plain: ReturnIn found the literal's return")
		}
	}

	var runDecl, anonDecl *ast.FuncDecl
	for _, d := range p.Files[0].Decls {
		if fd, ok := d.(*ast.FuncDecl); ok {
			switch fd.Name.Name {
			case "run":
				runDecl = fd
			case "anon":
				anonDecl = fd
			}
		}
	}
	typ, recv := p.Receiver(runDecl)
	if recv == nil || recv.Name() != "s" || types.TypeString(typ, nil) != "p.S" {
		t.Errorf("Receiver(run) = %v, %v; want s of p.S (pointer stripped)", typ, recv)
	}
	if _, v := p.Receiver(anonDecl); v != nil {
		t.Errorf("Receiver(anon) = %v, want none for an unnamed receiver", v)
	}

	sendX := func(name string) ast.Expr {
		for _, n := range at(name) {
			switch n := n.(type) {
			case *ast.SendStmt:
				return n.Chan
			case *ast.CallExpr:
				if id, ok := n.Fun.(*ast.Ident); ok && id.Name == "close" {
					return n.Args[0]
				}
			}
		}
		t.Fatalf("no send or close on line %s", name)
		return nil
	}
	own := []struct {
		line, field string
	}{
		{"own", "ready"},
		{"deep", ""},  // through another field
		{"param", ""}, // not the receiver
	}
	for _, tc := range own {
		f := p.OwnField(sendX(tc.line), recv)
		got := ""
		if f != nil {
			got = f.Name()
		}
		if got != tc.field {
			t.Errorf("OwnField(%s) = %q, want %q", tc.line, got, tc.field)
		}
	}

	g := first[*ast.GoStmt](t, at("go"))
	seen := []struct {
		line, text, root string
	}{
		{"own", "x.ready", "x"},    // the receiver replaced by what the go statement names
		{"deep", "x.inner.c", "x"}, // the path after it kept
		{"param", "out", "out"},    // a parameter replaced by its argument
	}
	for _, tc := range seen {
		got := p.AsSeenByStarter(runDecl, g, sendX(tc.line))
		if !got.ProvenTrue() || got.Text != tc.text || got.Root == nil || got.Root.Name() != tc.root || got.Why == "" {
			t.Errorf("AsSeenByStarter(%s) = %+v, want %s from %s", tc.line, got, tc.text, tc.root)
		}
	}
	// A variable the goroutine declares itself is not the starter's.
	p2, at2 := condPackage(t, `package p

func run() {
	ch := make(chan int)
	ch <- 1 // local
}

func start() {
	go run() // go
}
`)
	var run2 *ast.FuncDecl
	for _, d := range p2.Files[0].Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Name.Name == "run" {
			run2 = fd
		}
	}
	local := first[*ast.SendStmt](t, at2("local")).Chan
	if got := p2.AsSeenByStarter(run2, first[*ast.GoStmt](t, at2("go")), local); !got.IsUnknown() || !strings.Contains(got.Why, "declared in the goroutine's function") {
		t.Errorf("AsSeenByStarter(local) = %+v, want unknown: declared inside", got)
	}
}

// TestLiteralParams: a constructor's literal pairs a field with the
// parameter it is set from, and only a plain use of a parameter counts.
func TestLiteralParams(t *testing.T) {
	p, at := condPackage(t, `package p

type node struct {
	peers []string
	name  string
	n     int
	ready chan struct{}
}

var global = 3

func newNode(peers []string, name string) *node {
	local := 2
	return &node{peers: (peers), name: name + "!", n: local, ready: make(chan struct{})} // lit
}

func other() *node { return &node{n: global} } // other
`)
	lit := first[*ast.CompositeLit](t, at("lit"))
	var ctor, oth *ast.FuncDecl
	for _, d := range p.Files[0].Decls {
		if fd, ok := d.(*ast.FuncDecl); ok {
			switch fd.Name.Name {
			case "newNode":
				ctor = fd
			case "other":
				oth = fd
			}
		}
	}
	got := map[string]string{}
	for f, prm := range p.LiteralParams(lit, ctor) {
		got[f.Name()] = prm.Name()
	}
	// name is computed from the parameter, n from a local: neither counts.
	if len(got) != 1 || got["peers"] != "peers" {
		t.Errorf("LiteralParams(newNode's literal) = %v, want only peers → peers", got)
	}
	if got := p.LiteralParams(first[*ast.CompositeLit](t, at("other")), oth); len(got) != 0 {
		t.Errorf("LiteralParams(other's literal) = %v, want none: a package variable is not a parameter", got)
	}
}

// TestLoopStops: the stops of a receiving loop are the select cases that
// leave it; a loop can send before receiving only from another case of
// the select that receives (FreeRunning).
func TestLoopStops(t *testing.T) {
	p, at := condPackage(t, `package p

import "os"

type S struct {
	in, out chan int
	stop    chan struct{}
	quit    chan struct{}
	tick    chan int
}

func (s *S) free() {
	for { // free
		select {
		case v := <-s.in:
			_ = v
		case <-s.tick:
			s.out <- 1
		case <-s.stop:
			return
		case <-s.quit:
			os.Exit(1)
		}
	}
}

func (s *S) turns() {
	for { // turns
		select {
		case v := <-s.out:
			s.in <- v
		case <-s.stop:
			continue
		}
	}
}

func (s *S) start() {
	go s.free()
	go s.turns()
}
`)
	free := first[*ast.ForStmt](t, at("free"))
	turns := first[*ast.ForStmt](t, at("turns"))
	names := func(stops map[model.RecvKey]bool) []string {
		var out []string
		for k := range stops {
			out = append(out, k.Last.Name())
		}
		return out
	}
	// quit's case ends the process, so nothing waits: not a stop.
	if got := names(p.LoopStops(free)); len(got) != 1 || got[0] != "stop" {
		t.Errorf("LoopStops(free) = %v, want [stop]", got)
	}
	// continue comes round again.
	if got := names(p.LoopStops(turns)); len(got) != 0 {
		t.Errorf("LoopStops(turns) = %v, want none", got)
	}
	if got := names(p.SharedStops(free, turns)); len(got) != 0 {
		t.Errorf("SharedStops = %v, want none", got)
	}
	var in, out ast.Expr
	ast.Inspect(p.Files[0], func(n ast.Node) bool {
		if s, ok := n.(*ast.SelectorExpr); ok {
			switch s.Sel.Name {
			case "in":
				in = s
			case "out":
				out = s
			}
		}
		return true
	})
	inC, outC := p.ChanClassOf(in), p.ChanClassOf(out)
	if inC == nil || outC == nil {
		t.Fatal("no channel classes for s.in and s.out")
	}
	tests := []struct {
		name          string
		loop, partner ast.Node
		own, other    *model.ChanClass
		want          bool
	}{
		{"free sends on out from the tick case", free, turns, inC, outC, true},
		{"turns sends on in only after receiving from out", turns, free, outC, inC, false},
	}
	for _, tc := range tests {
		got := p.FreeRunning(tc.loop, tc.own, tc.other, tc.partner)
		if got.Certainty != model.Proven || got.Holds != tc.want || got.Why == "" {
			t.Errorf("%s: FreeRunning = %+v, want holds=%v", tc.name, got, tc.want)
		}
	}
}
