package model_test

import (
	"go/ast"
	"go/token"
	"strconv"
	"strings"
	"testing"

	"github.com/golens/golens/model"
)

const runBeforeSrc = `package p

import (
	"log"
	"os"
	"sync"
)

func certain(l *log.Logger, x bool) {
	if x {
		use("x")
	}
	use("c1") // C1
	l.Println("maybe")
	use("c2") // C2
	l.Fatal("stop")
	use("c3") // C3
}

func waitFirst(wg *sync.WaitGroup, x bool) {
	if x {
		return // R1
	}
	for i := 0; i < 2; i++ {
		if i == 1 {
			wg.Wait() // W1
		}
	}
	wg.Done() // D1
	wg.Wait() // W2
	return // R2
}

func addOrExit(wg *sync.WaitGroup, bad, skip bool) {
	if bad {
		os.Exit(3)
	}
	if skip {
		panic("skip")
	}
	wg.Add(1) // A1
}

func addAfterReturn(wg *sync.WaitGroup, skip bool) {
	if skip {
		return
	}
	wg.Add(1) // A2
}

func skips(items []string) {
next:
	for _, it := range items {
		switch it {
		case "a":
			continue next // S1
		case "b":
			break // only the switch
		}
		for range it {
			continue // the inner loop's
		}
		if it == "c" {
			panic("c")
			continue // dead
		}
		if it == "d" {
			break // S2
		}
		go use(it) // G
		if it == "e" {
			continue // after G
		}
	}
}

func use(string) {}

func ranges(xs, ys []int, n int) {
	for range xs {
	}
	for range xs {
	}
	for range ys {
	}
	{
		ys := []int{1}
		ys = append(ys, 2)
		_ = ys
	}
	for range ys {
	}
	for range n {
	}
	n++
	for range n {
	}
}
`

// TestRunBefore: the path questions asked from a function's start
// (run_before.go) and PassSkips (pass_skips.go), on both tiers.
func TestRunBefore(t *testing.T) {
	for tier, m := range exitModels(t, "runbefore.go", []byte(runBeforeSrc)) {
		t.Run(tier, func(t *testing.T) {
			src := runBeforeSrc
			at := func(marker string) token.Pos {
				i := strings.Index(src, "// "+marker+"\n")
				if i < 0 {
					t.Fatalf("no marker %s", marker)
				}
				line := strings.LastIndex(src[:i], "\n") + 1
				for src[line] == '\t' {
					line++
				}
				return m.Pos(line)
			}
			stmt := func(marker string) ast.Stmt {
				p := at(marker)
				var found ast.Stmt
				ast.Inspect(m.AST, func(n ast.Node) bool {
					if s, ok := n.(ast.Stmt); ok && s.Pos() == p && found == nil {
						if _, isLabel := s.(*ast.LabeledStmt); !isLabel {
							found = s
						}
					}
					return found == nil
				})
				if found == nil {
					t.Fatalf("no statement at %s", marker)
				}
				return found
			}
			fn := func(name string) *model.Func {
				for _, f := range m.Funcs {
					if f.Name == name {
						return f
					}
				}
				t.Fatalf("no func %s", name)
				return nil
			}

			wf := fn("waitFirst")
			if r := m.ReachBefore(wf, stmt("D1"), at("W1")); r != model.ReachSome {
				t.Errorf("W1 before D1: %v, want some", r)
			}
			if r := m.ReachBefore(wf, stmt("D1"), at("W2")); r != model.ReachNever {
				t.Errorf("W2 before D1: %v, want never", r)
			}
			exits := m.ExitsBefore(wf, stmt("D1"))
			if len(exits) != 1 || exits[0].Pos != at("R1") {
				t.Errorf("exits before D1: %v, want only R1", exits)
			}

			returns := func(e *model.Exit) bool {
				return e.Kind == model.ExitReturn || e.Kind == model.ExitEnd || e.Kind == model.ExitPanic
			}
			ae := fn("addOrExit")
			if r := m.RunReach(ae, stmt("A1"), returns); r != model.ReachSome {
				t.Errorf("A1 with a panic before it: %v, want some", r)
			}
			noPanic := func(e *model.Exit) bool { return e.Kind == model.ExitReturn || e.Kind == model.ExitEnd }
			if r := m.RunReach(ae, stmt("A1"), noPanic); r != model.ReachAlways {
				t.Errorf("A1 counting returns only (os.Exit ends the program): %v, want always", r)
			}
			if r := m.RunReach(fn("addAfterReturn"), stmt("A2"), returns); r != model.ReachSome {
				t.Errorf("A2 after a return: %v, want some", r)
			}

			g := stmt("G")
			loop := m.InnermostLoop(g.Pos())
			var got []string
			for _, e := range m.PassSkips(loop, g) {
				if !e.OfLoop || !e.Proven {
					t.Errorf("skip at line %d not marked as the loop's own", m.Line(e.Pos))
				}
				got = append(got, e.What+"@"+itoaLine(m, e.Pos))
			}
			want := []string{"continue@" + itoaLine(m, at("S1")), "break@" + itoaLine(m, at("S2"))}
			if strings.Join(got, " ") != strings.Join(want, " ") {
				t.Errorf("PassSkips = %v, want %v", got, want)
			}

			cf := fn("certain")
			for _, c := range []struct {
				marker string
				want   bool
			}{
				{"C1", true},  // an if that does not leave lies before it
				{"C2", true},  // so does a logger's Println
				{"C3", false}, // a logger's Fatal may end the call before it
			} {
				if got := m.RunCertain(cf, at(c.marker)); got != c.want {
					t.Errorf("RunCertain(%s) = %v, want %v", c.marker, got, c.want)
				}
			}
			if m.RunCertain(ae, at("A1")) {
				t.Errorf("RunCertain(A1) with os.Exit and panic before it: true")
			}
			if m.RunCertain(wf, at("D1")) {
				t.Errorf("RunCertain(D1) after a return: true")
			}

			rf := fn("ranges")
			var rs []ast.Stmt
			ast.Inspect(rf.Body, func(n ast.Node) bool {
				if r, ok := n.(*ast.RangeStmt); ok {
					rs = append(rs, r)
				}
				return true
			})
			if !m.SameRangeValue(rf, rs[0], rs[1]) {
				t.Errorf("xs and xs: not the same range value")
			}
			if m.SameRangeValue(rf, rs[0], rs[2]) {
				t.Errorf("xs and ys: the same range value")
			}
			if !m.SameRangeValue(rf, rs[2], rs[3]) {
				t.Errorf("ys and ys, with another ys assigned in a block: not the same range value")
			}
			if m.SameRangeValue(rf, rs[4], rs[5]) {
				t.Errorf("n and n with n++ between: the same range value")
			}
		})
	}
}

func itoaLine(m *model.File, p token.Pos) string { return strconv.Itoa(m.Line(p)) }
