package agreement_test

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/golens/golens/model"
)

// Run orders as the defer hover's headline and the defer hint's label
// state them (hover/templates/hover.tmpl "deferorder", hints/texts/
// labels.tmpl "label.defer.*").
var (
	hoverRunsRE = regexp.MustCompile(`runs (\d+)(?:st|nd|rd|th)( or later| to (\d+)(?:st|nd|rd|th))? when`)
	hintRunsRE  = regexp.MustCompile(`^(?:runs |if reached: (?:runs )?)?(\d+)(?:st|nd|rd|th)(?:-(\d+)(?:st|nd|rd|th))?(,? or later)?(?:,? at (?:return|Goexit))?$`)
)

// order is a run position as text states it: "1-1", "2-3", "2+".
func hoverOrder(h string) string {
	m := hoverRunsRE.FindStringSubmatch(h)
	switch {
	case m == nil:
		return ""
	case m[2] == " or later":
		return m[1] + "+"
	case m[3] != "":
		return m[1] + "-" + m[3]
	}
	return m[1] + "-" + m[1]
}

func hintOrder(labels []string) string {
	for _, l := range labels {
		if l == "runs at return" || l == "if reached, at return" || l == "runs at Goexit" || l == "if reached, at Goexit" {
			return "1-1" // the function's only defer
		}
		m := hintRunsRE.FindStringSubmatch(l)
		switch {
		case m == nil:
			continue
		case m[3] != "":
			return m[1] + "+"
		case m[2] != "":
			return m[1] + "-" + m[2]
		}
		return m[1] + "-" + m[1]
	}
	return ""
}

func modelOrder(o model.DeferOrder) string {
	if o.Open {
		return fmt.Sprint(o.Lo, "+")
	}
	return fmt.Sprint(o.Lo, "-", o.Hi)
}

// deferSources are the Go files of the testdata that have defers: the
// truth suite's programs, the hover and hint cases, and deferloop's and
// deferargs' analysistest files.
func deferSources(t *testing.T) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, glob := range []string{"../../truth/testdata/*.txtar", "../../hover/testdata/*.txtar", "../../hints/testdata/defer/*.txtar"} {
		files, _ := filepath.Glob(glob)
		for _, f := range files {
			ar, err := txtar.ParseFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, af := range ar.Files {
				if strings.HasSuffix(af.Name, ".go") && strings.Contains(string(af.Data), "defer ") {
					out[f+":"+af.Name] = af.Data
				}
			}
		}
	}
	for _, dir := range []string{"deferloop", "deferargs"} {
		for _, m := range models(t, dir) {
			out[dir+"/"+m.Fset.Position(m.AST.Pos()).Filename] = m.Src
		}
	}
	return out
}

// TestDeferOrderHoverHint: the defer hover's "runs Nth (to Mth, or later)"
// and the defer hint's label give the run order the model worked out per
// path (Defer.Order), both ways: when one states an order the other states
// the same one, and "each pass of the loop defers one more call" goes with
// "per iteration, at return". Issue 9 began with these two disagreeing
// ("runs 3rd" beside "runs 2nd-3rd"); the truth suite compares only single
// positions.
func TestDeferOrderHoverHint(t *testing.T) {
	checked, ranges := 0, 0
	for name, src := range deferSources(t) {
		m := model.Parse(filepath.Base(name), src)
		for _, d := range m.Defers {
			o := d.Order()
			where := fmt.Sprintf("%s:%d", name, m.Line(d.Pos))
			h := hoverAt(m, m.Offset(d.Pos))
			labels, _ := hintsIn(t, m, m.Offset(d.Pos), m.Offset(d.End))
			ho, hi := hoverOrder(h), hintOrder(labels)
			if ho != hi && !o.Many {
				t.Errorf("%s: the hover says %q, the hint %q (labels %q)", where, ho, hi, labels)
				continue
			}
			many := strings.Contains(h, "each pass of the loop defers one more call")
			if many != (contains(labels, "per iteration, at return") || contains(labels, "per iteration, at Goexit")) && o.Registered != model.No {
				t.Errorf("%s: hover per-pass %v, hint labels %q", where, many, labels)
			}
			if d.EndlessAfter.IsValid() && o.Registered != model.No {
				// A loop after it never ends: both say it never runs.
				if !strings.Contains(h, "never runs: the loop at line") || !contains(labels, "never runs: endless loop") {
					t.Errorf("%s: a defer before an endless loop: hover %q, hint labels %q", where, h, labels)
				}
				continue
			}
			if !o.Known || o.Registered == model.No || o.Many || o.Lo == 0 || o.EndedByAll {
				// (EndedByAll: a deferred os.Exit runs first, and both
				// say the call is skipped.)
				continue
			}
			if want := modelOrder(o); ho != want {
				t.Errorf("%s: the model's order is %s, the hover and hint say %q", where, want, ho)
			}
			if o.Lo != o.Hi || o.Open {
				ranges++
			}
			checked++
		}
	}
	if checked < 100 || ranges < 5 {
		t.Errorf("only %d defer orders checked (%d ranges)", checked, ranges)
	}
	t.Logf("%d defer orders checked, %d of them ranges", checked, ranges)
}
