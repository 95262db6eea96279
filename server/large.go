package server

import (
	"bytes"
	"sync"

	"go.lsp.dev/protocol"

	"github.com/golens/golens/model"
)

// maxModelSize is the largest file golens models whole. Above it golens
// degrades the way gopls does, predictably: hovers and inlay hints still
// answer, from a model of only the top-level declarations around the
// request (plus the package clause and imports), and there are no
// diagnostics, no quick fixes and no typed tier; one log message says so.
// A whole-file model costs about 30 bytes of heap per byte of dense source.
const maxModelSize = 4 << 20

// large reports whether d is above maxModelSize.
func (d *document) large() bool { return len(d.text) > maxModelSize }

// window is a model of a part of a large document: the document's bytes
// with everything outside [start, end) and the header blanked to spaces
// (newlines kept), so offsets and positions are those of the document.
type window struct {
	start, end int
	model      *model.File
}

// largeState is the per-document cache of a large document's windows.
type largeState struct {
	mu        sync.Mutex
	headerEnd int // end of the package clause and imports; -1 until computed
	header    *model.File
	last      *window
}

// declStart reports whether the line starting at off begins a top-level
// declaration other than an import: gofmt puts those at column 0.
func declStart(text []byte, off int) bool {
	rest := text[off:]
	for _, kw := range [...]string{"func", "type", "var", "const"} {
		if bytes.HasPrefix(rest, []byte(kw)) && len(rest) > len(kw) && (rest[len(kw)] == ' ' || rest[len(kw)] == '(' || rest[len(kw)] == '\t') {
			return true
		}
	}
	return false
}

// headerEnd returns the offset of the first top-level declaration that is
// not an import.
func (d *document) headerEnd() int {
	for _, off := range d.lines {
		if off < len(d.text) && declStart(d.text, off) {
			return off
		}
	}
	return len(d.text)
}

// modelAround returns the model to answer a request about [start, end]:
// the whole-file syntax model for a file up to maxModelSize, and for a
// larger one the model of the declarations around [start, end].
func (s *Server) modelAround(d *document, start, end int) *model.File {
	if !d.large() {
		return d.syntaxModel()
	}
	s.sayLarge(d)
	ls := &d.largeState
	ls.mu.Lock()
	defer ls.mu.Unlock()
	if ls.headerEnd < 0 || ls.header == nil {
		ls.headerEnd = d.headerEnd()
		if ls.headerEnd > maxModelSize {
			ls.headerEnd = 0 // a giant import block: keep only the package clause's line
		}
		ls.header = model.Parse(filename(d.uri), blankOutside(d.text, ls.headerEnd, 0, 0))
	}
	if end < start {
		end = start
	}
	// The window: from the declaration line at or before start to the
	// next declaration line after end.
	line := d.lineOf(start)
	for line > 0 && !(d.lines[line] >= ls.headerEnd && d.lines[line] < len(d.text) && declStart(d.text, d.lines[line])) {
		line--
	}
	ws := max(d.lines[line], ls.headerEnd)
	we := len(d.text)
	for l := d.lineOf(end) + 1; l < len(d.lines); l++ {
		if d.lines[l] < len(d.text) && declStart(d.text, d.lines[l]) {
			we = d.lines[l]
			break
		}
	}
	if ls.last != nil && ls.last.start <= ws && we <= ls.last.end {
		return ls.last.model
	}
	if we-ws > maxModelSize {
		s.logOnce(protocol.MessageTypeWarning, "%s: the declarations at line %d span %d MB, too large to model: no hovers or hints there", d.uri, line+1, (we-ws)>>20)
		return ls.header
	}
	ls.last = &window{start: ws, end: we, model: model.Parse(filename(d.uri), blankOutside(d.text, ls.headerEnd, ws, we))}
	return ls.last.model
}

// blankOutside returns a copy of text in which every byte outside
// [0, header) and [start, end) is a space, except newlines.
func blankOutside(text []byte, header, start, end int) []byte {
	out := make([]byte, len(text))
	copy(out, text)
	blank := func(from, to int) {
		for i := from; i < to; i++ {
			if out[i] != '\n' {
				out[i] = ' '
			}
		}
	}
	blank(header, max(start, header))
	blank(max(end, header), len(out))
	return out
}

// lineOf returns the line holding offset.
func (d *document) lineOf(offset int) int {
	lo, hi := 0, len(d.lines)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if d.lines[mid] <= offset {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo
}

// sayLarge logs, once per document, that it is above the limit.
func (s *Server) sayLarge(d *document) {
	s.logOnce(protocol.MessageTypeInfo, "%s is %.1f MB, above golens's %d MB limit: hovers and inlay hints come from the declarations around the cursor; no diagnostics, quick fixes or typed tier for it",
		d.uri, float64(len(d.text))/(1<<20), maxModelSize>>20)
}
