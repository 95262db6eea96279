package model_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/golens/golens/hints"
	"github.com/golens/golens/hover"
	"github.com/golens/golens/model"
)

// TestDeferOrderCap: past the work budget (many defers, each followed by
// an early return) the model records the order as unknown with a reason,
// and the defer's hover and hint say it; many defers in a row stay within
// the budget and get their order.
func TestDeferOrderCap(t *testing.T) {
	src := manyDefers(200, true)
	m := model.Parse("p.go", src)
	d := m.Funcs[0].Defers[0]
	o := d.Order()
	if o.Known || !strings.Contains(o.Why, "has 200 defer statements") || !strings.Contains(o.Why, "too many paths") {
		t.Fatalf("200 branchy defers: Known=%v Why=%q, want unknown with the reason", o.Known, o.Why)
	}
	off := bytes.Index(src, []byte("defer println(0)"))
	h := hover.At(m, off)
	if h == nil || !strings.Contains(h.Markdown, "golens does not work out where its call runs among the deferred calls ("+o.Why+")") {
		t.Errorf("hover does not give the reason:\n%v", h)
	}
	found := false
	for _, hi := range hints.Compute(m, off, off+len("defer println(0)")+1, hints.Options{Defers: true}) {
		if hi.Label != "run order unknown" {
			continue
		}
		tip, err := hints.Tooltip(m, hi.Data)
		if err != nil {
			t.Fatal(err)
		}
		found = strings.Contains(tip, o.Why)
	}
	if !found {
		t.Error("no 'run order unknown' hint whose tooltip gives the reason")
	}

	m = model.Parse("p.go", manyDefers(2000, false))
	defers := m.Funcs[0].Defers
	if first, last := defers[0].Order(), defers[len(defers)-1].Order(); !first.Single() || first.Lo != 2000 || !last.Single() || last.Lo != 1 {
		t.Errorf("2000 defers in a row: first runs %+v, last %+v; want 2000th and 1st", first, last)
	}
}
