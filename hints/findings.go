package hints

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/golens/golens/involved"
)

// findingHints returns a hint at the end of each line in [start, end] that
// holds a position a finding involves (at the end, not after the construct,
// so it never splits a statement such as `go func() {`): a short label naming the check and this position's
// part ("⚠ deadlock: locked again here"), with the explanation as its
// tooltip. All text comes from the finding (the check's own words) and
// texts/finding.tmpl.
func findingHints(src []byte, fs []involved.Finding, start, end int) []Hint {
	var out []Hint
	for i := range fs {
		f := &fs[i]
		seen := map[int]bool{} // one hint per line and finding
		for j, p := range f.Places {
			if p.Start < 0 || p.Start > len(src) {
				continue
			}
			at := lineEnd(src, p.Start)
			if at < start || at > end || seen[at] {
				continue
			}
			seen[at] = true
			data := findingTip{Check: f.Check, Message: f.Message, DocURL: f.DocURL, Primary: j == 0, Role: p.Role}
			var others []int
			for _, k := range f.ReadingOrder() {
				q := f.Places[k]
				if k != j && q.Line != p.Line && q.File == "" {
					others = append(others, q.Line)
				}
				where := "line " + strconv.Itoa(q.Line)
				if q.File != "" {
					where = q.File + ":" + strconv.Itoa(q.Line)
				}
				data.Places = append(data.Places, tipPlace{Where: where, Link: q.Link, Role: q.Role, This: k == j, Primary: k == 0})
			}
			data.Others = lineList(others)
			data.Short = shorten(p.Role, 30)
			lbl, err := render("finding.label", data)
			if err != nil {
				continue
			}
			tip, err := render("finding.tip", data)
			if err != nil {
				continue
			}
			out = append(out, Hint{Offset: at, Label: lbl, Kind: Blocking, PaddingLeft: true, Tooltip: tip})
		}
	}
	return out
}

// findingTip is the data of the finding templates.
type findingTip struct {
	Check, Message, DocURL string
	Primary                bool
	Role, Short            string
	Others                 string // "line 20" / "lines 20, 37": the other places in this file
	Places                 []tipPlace
}

type tipPlace struct {
	Where, Link, Role string
	This, Primary     bool
}

func render(name string, data any) (string, error) {
	var b strings.Builder
	if err := texts.ExecuteTemplate(&b, name, data); err != nil {
		return "", err
	}
	return strings.TrimSpace(b.String()), nil
}

// shorten cuts s to at most n runes, ending with "…" when cut.
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

// lineEnd is the offset just after the last non-blank byte of the line
// holding off.
func lineEnd(src []byte, off int) int {
	i := off
	for i < len(src) && src[i] != '\n' {
		i++
	}
	for i > off && (src[i-1] == ' ' || src[i-1] == '\t' || src[i-1] == '\r') {
		i--
	}
	return i
}
