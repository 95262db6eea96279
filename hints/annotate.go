package hints

import "strings"

// Annotate returns src with each hint's label inserted at its offset,
// wrapped in open and close (e.g. "‹", "›" or "/* ", " */"), with the
// hint's padding — the hints as an editor would show them, for listings and
// tests. hs must be sorted by Offset (as Compute returns them).
func Annotate(src []byte, hs []Hint, open, close string) string {
	var b strings.Builder
	b.Grow(len(src) + len(hs)*24)
	last := 0
	for _, h := range hs {
		if h.Offset < last || h.Offset > len(src) {
			continue
		}
		b.Write(src[last:h.Offset])
		last = h.Offset
		if h.PaddingLeft {
			b.WriteByte(' ')
		}
		b.WriteString(open)
		b.WriteString(h.Label)
		b.WriteString(close)
		if h.PaddingRight {
			b.WriteByte(' ')
		}
	}
	b.Write(src[last:])
	return b.String()
}
