package model_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/golens/golens/hover"
	"github.com/golens/golens/model"
)

// TestPanicUnwind: which defers a panic unwinds through, from the control
// flow, for a panic statement, `defer panic(v)` (only the defers registered
// before it, a branch counting as possible) and `go panic(v)` (none: it
// panics in the new goroutine). Each case's claim was checked by running
// it (truth/testdata/panic_*.txtar).
func TestPanicUnwind(t *testing.T) {
	src := `package p

func stmt(b bool) {
	defer println("a")
	if b {
		defer func() { recover() }()
		return
	}
	defer println("c")
	panic("stmt")
}

func deferred(b bool) {
	defer println("a")
	if b {
		defer func() { recover() }()
	}
	defer panic("deferred")
	defer println("after")
}

func started() {
	defer func() { recover() }()
	go panic("started")
}

func bare() {
	panic("bare")
}
`
	m := model.Parse("p.go", []byte(src))
	cases := []struct {
		fn, where        string
		defers, recovers []int // lines
	}{
		{"stmt", "here", []int{4, 9}, nil},
		{"deferred", "deferred", []int{14, 16}, []int{16}},
		{"started", "started", nil, nil},
		{"bare", "here", nil, nil},
	}
	for _, c := range cases {
		var p *model.BuiltinCall
		for _, b := range m.Builtins {
			if b.Name == "panic" && b.Func != nil && b.Func.Name == c.fn {
				p = b
			}
		}
		if p == nil {
			t.Fatalf("%s: no panic", c.fn)
		}
		u := m.PanicUnwind(p)
		var ds, rs []int
		for _, d := range u.Defers {
			ds = append(ds, m.Line(d.Pos))
		}
		for _, r := range u.Recovers {
			rs = append(rs, m.Line(r.Pos))
		}
		if !u.Known || u.Where.String() != c.where || fmt.Sprint(ds) != fmt.Sprint(c.defers) || fmt.Sprint(rs) != fmt.Sprint(c.recovers) {
			t.Errorf("%s: Known=%v Where=%v defers %v recovers %v; want where %s, defers %v, recovers %v",
				c.fn, u.Known, u.Where, ds, rs, c.where, c.defers, c.recovers)
		}
	}
}

// TestPanicUnwindOrderUnknown: when a function's defer order is past the
// model's budget, the panic does not list registered defers as if none had
// run: it says it does not know, with the reason, and names the recovers
// that may stop it.
func TestPanicUnwindOrderUnknown(t *testing.T) {
	var b strings.Builder
	b.WriteString("package p\n\nfunc f(xs []bool) {\n\tdefer func() { recover() }()\n")
	for i := range 200 {
		fmt.Fprintf(&b, "\tdefer println(%d)\n\tif xs[%d] {\n\t\treturn\n\t}\n", i, i)
	}
	b.WriteString("\tpanic(\"late\")\n}\n")
	src := b.String()
	m := model.Parse("p.go", []byte(src))
	var p *model.BuiltinCall
	for _, bc := range m.Builtins {
		if bc.Name == "panic" {
			p = bc
		}
	}
	u := m.PanicUnwind(p)
	if u.Known || u.Why == "" || len(u.Defers) != 0 || len(u.MayRecover) != 1 || m.Line(u.MayRecover[0].Pos) != 4 {
		t.Fatalf("Known=%v Why=%q defers=%d mayRecover=%d; want unknown with a reason and the recover at line 4", u.Known, u.Why, len(u.Defers), len(u.MayRecover))
	}
	h := hover.At(m, strings.Index(src, "panic(\"late\")"))
	if h == nil || !strings.Contains(h.Markdown, "golens does not know which of `f`'s deferred calls are registered") || !strings.Contains(h.Markdown, "(line 4)") {
		t.Errorf("panic hover does not say what is known:\n%v", h)
	}
}
