// Package involved carries the findings of golens's deadlock-class checks,
// as plain data, to the features that explain them where they happen: the
// hover on each position a finding involves, and an inlay hint there.
//
// The server fills it from the diagnostics it computed for exactly the
// document's current text (the check's own message and related positions:
// nothing is recomputed), and hover and hints render it from their own
// templates. It imports nothing of golens, so features stay independent of
// the checks and of each other.
package involved

import "sort"

// Finding is one check result, with every position it involves.
type Finding struct {
	// Check is the analyzer's name ("deadlock", "lockleak", ...).
	Check string
	// DocURL is the check's documentation (WRONG/RIGHT examples).
	DocURL string
	// Message is the check's message, as the editor shows it.
	Message string
	// Places are the positions the finding involves: Places[0] is the
	// finding's own position, then its related positions in the check's
	// order.
	Places []Place
}

// Place is one position of a finding.
type Place struct {
	// Role says what happens here, in the check's own words (its related
	// message: "locked again here"); empty for the finding's own position.
	Role string
	// Line is the 1-based line.
	Line int
	// File is the base name of the file when the place is in another file
	// of the package than the document; empty in the document itself.
	File string
	// Link opens the place in the editor (a file URI with #L<line>).
	Link string
	// Start and End are the byte offsets in the document of the construct
	// at this place; both -1 when the place is in another file.
	Start, End int
}

// Covers reports whether the place contains the byte offset (its end
// included, so a cursor just after the construct still finds it).
func (p Place) Covers(offset int) bool {
	return p.Start >= 0 && p.Start <= offset && offset <= p.End
}

// Hit is a finding that involves an offset, and which of its places does.
type Hit struct {
	Finding *Finding
	Place   int
}

// At returns the findings with a place covering offset, in order. A finding
// whose several places cover the offset is returned once, for its first
// such place.
func At(fs []Finding, offset int) []Hit {
	var out []Hit
	for i := range fs {
		for j, p := range fs[i].Places {
			if p.Covers(offset) {
				out = append(out, Hit{Finding: &fs[i], Place: j})
				break
			}
		}
	}
	return out
}

// ReadingOrder returns the indices of f.Places as they read in the files:
// the document's own places first, by line, then other files' (the check
// lists them by their part in the finding, not by position).
func (f *Finding) ReadingOrder() []int {
	idx := make([]int, len(f.Places))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool {
		pa, pb := f.Places[idx[a]], f.Places[idx[b]]
		if pa.File != pb.File {
			return pa.File < pb.File
		}
		return pa.Line < pb.Line
	})
	return idx
}
