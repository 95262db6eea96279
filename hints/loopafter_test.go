package hints_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/golens/golens/hints"
	"github.com/golens/golens/model"
)

// TestLoopAfterNote: the select hint's tooltip says that a time.After case
// in a loop makes a new timer on every pass exactly when the model's
// TimeCall for that case is time.After, under whatever name the file
// imports the time package; its label names the same call's duration.
func TestLoopAfterNote(t *testing.T) {
	const note = "a `time.After` case makes a new timer on every pass"
	for _, c := range []struct {
		name, imports, body, label string
		note                       bool
	}{
		{"after in loop", `"time"`, "for {\n\t\tselect {\n\t\tcase <-in:\n\t\tcase <-time.After(time.Second):\n\t\t\treturn\n\t\t}\n\t}", "until a case or 1s", true},
		{"aliased after in loop", `t "time"`, "for {\n\t\tselect {\n\t\tcase <-in:\n\t\tcase <-t.After(t.Second):\n\t\t\treturn\n\t\t}\n\t}", "until a case or 1s", true},
		{"after outside a loop", `t "time"`, "select {\n\tcase <-in:\n\tcase <-t.After(t.Second):\n\t}", "until a case or 1s", false},
		{"timer in loop", `t "time"`, "tm := t.NewTimer(t.Second)\n\tfor {\n\t\tselect {\n\t\tcase <-in:\n\t\tcase <-tm.C:\n\t\t\treturn\n\t\t}\n\t}", "until a case or timer", false},
	} {
		src := []byte(fmt.Sprintf("package p\n\nimport %s\n\nfunc f(in chan int) {\n\t%s\n}\n", c.imports, c.body))
		for _, m := range []*model.File{model.Parse("a.go", src), typedModel(t, "a.go", src)} {
			var label, tip string
			for _, h := range hints.Compute(m, 0, len(src), hints.Options{Blocking: true}) {
				// The select's hint sits after its opening brace.
				if strings.HasSuffix(string(src[:h.Offset]), "select {") {
					var err error
					if tip, err = hints.Tooltip(m, h.Data); err != nil {
						t.Fatal(err)
					}
					label = h.Label
				}
			}
			if label != c.label {
				t.Errorf("%s (tier %v): select label %q, want %q", c.name, m.Tier, label, c.label)
			}
			if got := strings.Contains(tip, note); got != c.note {
				t.Errorf("%s (tier %v): per-pass timer note %v, want %v; tooltip:\n%s", c.name, m.Tier, got, c.note, tip)
			}
		}
	}
}
