package model_test

import (
	"fmt"
	"go/ast"
	"strings"
	"testing"

	"github.com/golens/golens/model"
)

const reachPathsSrc = `package p

import "os"

// logger's Fatal is an interface method: golens cannot read it.
type logger interface{ Fatal(...any) }


func exits(vals chan int, bad bool) int {
outer:
	for {
	inner:
		for v := range vals {
			if bad {
				os.Exit(3)
			}
			if v > 2 {
				return v
			}
			if v > 1 {
				break inner
			}
			if v > 0 {
				break outer
			}
		}
	}
	return 0
}

func recvs(stop, c chan int, x bool, l logger) {
	go func() {
		for i := 0; ; i++ {
			if i > 3 {
				break
			}
		}
		<-stop
	}()
	go func() {
		if x {
			return
		}
		<-stop
	}()
	go func() {
		if x {
			panic("x")
		}
		<-stop
	}()
	go func() {
		c <- 1
		if x {
			l.Fatal()
		}
		c <- 2
	}()
}

func passes(fs []func() error, errc chan error) {
	for _, f := range fs {
		switch {
		case f == nil:
			break
		}
		go func() { errc <- f() }()
	}
	for _, f := range fs {
		if f == nil {
			continue
		}
		go func() { errc <- f() }()
	}
}

func early(stop chan int, fail bool) int {
	go func() { <-stop }()
	if fail {
		return 1
	}
	close(stop)
	return 0
}
`

// TestReachPaths: the model's path questions that the timeoutleak check
// asks — every way out of a loop by kind (LoopExits), whether every run
// performs an operation (OpReach, OpCertain), and where a function can end
// between two points (ExitsAvoiding).
func TestReachPaths(t *testing.T) {
	m := exitModels(t, "reach.go", []byte(reachPathsSrc))["typed"]
	line := func(n int) ast.Stmt { return stmtOnLine(m, n) }
	var exits []string
	for _, e := range m.LoopExits(line(13)) {
		exits = append(exits, fmt.Sprintf("%s@%d proven=%v ofLoop=%v", e.What, m.Line(e.Pos), e.Proven, e.OfLoop))
	}
	wantExits := "os.Exit@15 proven=true ofLoop=false, return@18 proven=true ofLoop=false, break@21 proven=true ofLoop=true, break@24 proven=true ofLoop=false"
	if g := strings.Join(exits, ", "); g != wantExits {
		t.Errorf("LoopExits = %s\nwant %s", g, wantExits)
	}
	if e, ok := m.LoopExit(line(13)); !ok || e.What != "os.Exit" {
		t.Errorf("LoopExit = %v, want the first proven way out, os.Exit", e)
	}
	quiet := func(e *model.Exit) bool { return e.Kind == model.ExitReturn || e.Kind == model.ExitEnd }
	opOn := func(ln int) *model.ChanOp {
		for _, op := range m.ChanOps {
			if m.Line(op.Pos) == ln {
				return op
			}
		}
		t.Fatalf("no channel operation on line %d", ln)
		return nil
	}
	for _, c := range []struct {
		line        int
		quiet, all  model.Reach
		certain     bool
		description string
	}{
		{38, model.ReachAlways, model.ReachAlways, true, "after a loop whose break ends only that loop"},
		{44, model.ReachSome, model.ReachSome, false, "after a return on some paths"},
		{50, model.ReachAlways, model.ReachSome, false, "after a panic on some paths: the program is over there"},
		{53, model.ReachAlways, model.ReachAlways, true, "first statement"},
		{57, model.ReachAlways, model.ReachAlways, false, "after a call named like log.Fatal"},
	} {
		op := opOn(c.line)
		if got := m.OpReach(op, quiet); got != c.quiet {
			t.Errorf("line %d (%s): OpReach(quiet) = %v, want %v", c.line, c.description, got, c.quiet)
		}
		if got := m.OpReach(op, nil); got != c.all {
			t.Errorf("line %d (%s): OpReach(all) = %v, want %v", c.line, c.description, got, c.all)
		}
		if got := m.OpCertain(op); got != c.certain {
			t.Errorf("line %d (%s): OpCertain = %v, want %v", c.line, c.description, got, c.certain)
		}
	}
	goOn := func(ln int) *model.Goroutine {
		for _, g := range m.Goroutines {
			if m.Line(g.Pos) == ln {
				return g
			}
		}
		t.Fatalf("no go statement on line %d", ln)
		return nil
	}
	if r := m.PassReach(line(62), goOn(67).Node, nil); r != model.ReachAlways {
		t.Errorf("PassReach after a switch's break = %v, want always", r)
	}
	if r := m.PassReach(line(69), goOn(73).Node, nil); r != model.ReachSome {
		t.Errorf("PassReach after a continue on some passes = %v, want some", r)
	}
	var goStmt *model.Goroutine
	for _, g := range m.Goroutines {
		if m.Line(g.Pos) == 78 {
			goStmt = g
		}
	}
	if goStmt == nil {
		t.Fatal("no go statement on line 78")
	}
	var ends []string
	for _, e := range m.ExitsAvoiding(goStmt.Node, opOn(82).Pos) {
		ends = append(ends, fmt.Sprint(m.Line(e.Pos)))
	}
	if g, w := strings.Join(ends, " "), "80"; g != w {
		t.Errorf("ExitsAvoiding(go, close) = lines %q, want %q (the early return)", g, w)
	}
}
