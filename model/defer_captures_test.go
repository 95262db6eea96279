package model_test

import (
	"fmt"
	"testing"

	"github.com/golens/golens/model"
)

// TestDeferCapturesWritten: a deferred closure's written captures are
// decided by variable: assigning a variable of its own that shadows a
// captured name is not a write of the capture (run: the caller's x keeps
// its value).
func TestDeferCapturesWritten(t *testing.T) {
	src := `package p

func f() (err error) {
	x, y := 1, 2
	defer func() {
		println(x, y)
		{
			x := 0
			x++
		}
		y = 3
		err = nil
	}()
	return nil
}
`
	m := model.Parse("p.go", []byte(src))
	d := m.Defers[0]
	if got := fmt.Sprint(d.Captures, d.CapturesWritten); got != "[x y err] [y err]" {
		t.Errorf("captures, written = %s; want [x y err] [y err]", got)
	}
}
