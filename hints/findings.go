package hints

import (
	"strconv"
	"strings"

	"github.com/golens/golens/involved"
)

// findingHints returns a hint at the end of each line in [start, end] that
// holds a position a finding involves (at the end, not after the construct,
// so it never splits a statement such as `go func() {`): a short label
// naming the check, and at a related position the line of the finding
// ("⚠ deadlock, line 13"), with the explanation (this position's part in
// the check's words) as its tooltip. All text comes from the finding and
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
			for _, k := range f.ReadingOrder() {
				q := f.Places[k]
				where := "line " + strconv.Itoa(q.Line)
				if q.File != "" {
					where = q.File + ":" + strconv.Itoa(q.Line)
				}
				data.Places = append(data.Places, tipPlace{Where: where, Link: q.Link, Role: q.Role, This: k == j, Primary: k == 0})
			}
			data.At = f.Places[0].Line
			if f.Places[0].File != "" {
				data.AtFile = f.Places[0].File
			}
			lbl, err := render("finding.label", data)
			if err != nil {
				continue
			}
			if len(lbl) > maxFindingLabel {
				if lbl, err = render("finding.label.short", data); err != nil {
					continue
				}
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

// maxFindingLabel is the longest label in bytes: the project keeps labels
// to 24 bytes (they sit in the code, in a terminal too), and a label that
// follows another hint at the same place gets a 2-byte separator.
const maxFindingLabel = 22

// findingTip is the data of the finding templates.
type findingTip struct {
	Check, Message, DocURL string
	Primary                bool
	Role                   string
	At                     int    // the line of the finding's own position
	AtFile                 string // its file, when not this one
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
