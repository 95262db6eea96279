package hover

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/golens/golens/involved"
	"github.com/golens/golens/model"
)

// WithFindings is At, with a section before it for each deadlock-class
// finding that involves the construct at offset: what the check found, this position's
// part in it (in the check's own words), and links to the other positions.
// fs must have been computed for exactly m's text (the server keeps them
// per document version); At alone answers when fs is empty.
//
// Where golens has no hover of its own (the call that leads into a second
// Lock, say), the section alone is the answer, over the involved construct.
func WithFindings(m *model.File, offset int, fs []involved.Finding) *Result {
	base := At(m, offset)
	hits := involved.At(fs, offset)
	if len(hits) == 0 {
		return base
	}
	var sections []string
	for _, h := range hits {
		var buf bytes.Buffer
		if err := templates.ExecuteTemplate(&buf, "finding", findingData(m, h)); err != nil {
			continue // a template bug: leave the section out
		}
		sections = append(sections, strings.TrimSpace(buf.String()))
	}
	if len(sections) == 0 {
		return base
	}
	// The sections come first: a hover is cut to the editor's height, and
	// the deadlock matters more than what a Lock does in general.
	text := strings.Join(sections, "\n\n---\n\n")
	if base != nil {
		out := *base
		out.Markdown = text + "\n\n---\n\n" + base.Markdown
		return &out
	}
	p := hits[0].Finding.Places[hits[0].Place]
	return &Result{Markdown: text, Start: p.Start, End: p.End, Topic: "deadlock"}
}

// findingFacts is the data of the "finding" template.
type findingFacts struct {
	Check, DocURL, Message string
	Primary                bool   // the cursor is on the finding's own position
	ReadLock               bool   // the finding is about a read lock: link sync.RWMutex
	Role                   string // this position's part, when it is a related one
	Reported               placeFacts
	Places                 []placeFacts
}

type placeFacts struct {
	Where, Link, Role string
	This, Primary     bool
}

func findingData(m *model.File, h involved.Hit) findingFacts {
	f := h.Finding
	out := findingFacts{Check: f.Check, DocURL: f.DocURL, Message: f.Message, Primary: h.Place == 0, Role: f.Places[h.Place].Role}
	out.ReadLock = readLockAt(m, f.Places)
	for _, i := range f.ReadingOrder() {
		p := f.Places[i]
		where := "line " + strconv.Itoa(p.Line)
		if p.File != "" {
			where = p.File + ":" + strconv.Itoa(p.Line)
		}
		pf := placeFacts{Where: where, Link: p.Link, Role: p.Role, This: i == h.Place, Primary: i == 0}
		if i == 0 {
			out.Reported = pf
		}
		out.Places = append(out.Places, pf)
	}
	return out
}

// readLockAt reports whether a place of a finding in this document is a
// read-lock operation in the model: an RLock, RUnlock or TryRLock call, or
// a call of a helper the model proves returns read-locking the mutex
// (Func.LockCalls). The LockOp's Kind decides, not the message's words
// ("the RUnlock on line 16 is skipped" is about a read lock and says no
// "RLock"). A place in another file of the package is not in this model,
// and is not counted.
func readLockAt(m *model.File, places []involved.Place) bool {
	if m == nil {
		return false
	}
	at := func(l *model.LockOp) bool {
		if l.Kind != model.RLock && l.Kind != model.RUnlock && l.Kind != model.TryRLock {
			return false
		}
		off := m.Offset(l.Pos)
		for _, p := range places {
			if p.Start >= 0 && p.Start <= off && off < p.End {
				return true
			}
		}
		return false
	}
	for _, l := range m.Locks {
		if at(l) {
			return true
		}
	}
	for _, fn := range m.Funcs {
		for _, l := range fn.LockCalls() {
			if at(l) {
				return true
			}
		}
	}
	return false
}
