package server

import (
	"bytes"
	"math"
	"runtime/debug"
	"sync"
	"sync/atomic"

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

// view is the model a request is answered from, with the translation
// between the document's byte offsets and the model's. For a file up to
// maxModelSize it is the whole-file model (delta 0). For a larger one it is
// the model of a compact source: the header (package clause and imports),
// then one newline per line left out, then the declarations around the
// request. Lines and columns are the document's; offsets from the window
// on differ by delta.
type view struct {
	model *model.File
	from  int // the model offset where the window starts
	delta int // document offset = model offset + delta, from on
}

func (v view) toModel(off int) int {
	if off-v.delta >= v.from {
		off -= v.delta
	}
	return max(0, min(off, len(v.model.Src)))
}

func (v view) toDoc(off int) int {
	if off >= v.from {
		return off + v.delta
	}
	return off
}

// largeState is the per-document cache of a large document's views.
type largeState struct {
	mu        sync.Mutex
	headerEnd int // end of the package clause and imports; -1 until computed
	header    *view
	last      *view
	lastStart int // the document range of last's window
	lastEnd   int
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

// modelAround returns the view to answer a request about [start, end]
// (document offsets): the whole-file syntax model for a file up to
// maxModelSize, and for a larger one the model of the declarations around
// [start, end].
func (s *Server) modelAround(d *document, start, end int) view {
	if !d.large() {
		// The typed model when it was built from exactly these bytes (its
		// facts reach across files and imports), as inlay hints use: hover
		// and hint then read the same model.
		return view{model: s.bestModel(d), from: len(d.text) + 1}
	}
	s.sayLarge(d)
	ls := &d.largeState
	ls.mu.Lock()
	defer ls.mu.Unlock()
	if ls.header == nil {
		ls.headerEnd = d.headerEnd()
		if ls.headerEnd > maxModelSize {
			ls.headerEnd = 0 // a giant import block: model nothing
		}
		ls.header = &view{model: model.Parse(filename(d.uri), d.text[:ls.headerEnd:ls.headerEnd]), from: ls.headerEnd + 1}
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
	if ls.last != nil && ls.lastStart <= ws && we <= ls.lastEnd {
		return *ls.last
	}
	if we-ws > maxModelSize {
		s.logOnce(protocol.MessageTypeWarning, "%s: the declarations at line %d span %d MB, too large to model: no hovers or hints there", d.uri, line+1, (we-ws)>>20)
		return *ls.header
	}
	// The compact source: header, a newline per skipped line, window.
	skipped := d.lineOf(ws) - d.lineOf(ls.headerEnd)
	if ls.headerEnd > 0 && d.text[ls.headerEnd-1] != '\n' {
		skipped++ // (the header does not end a line: cannot happen for a declaration line)
	}
	src := make([]byte, 0, ls.headerEnd+skipped+(we-ws))
	src = append(src, d.text[:ls.headerEnd]...)
	for range skipped {
		src = append(src, '\n')
	}
	from := len(src)
	src = append(src, d.text[ws:we]...)
	ls.last = &view{model: model.Parse(filename(d.uri), src), from: from, delta: ws - from}
	ls.lastStart, ls.lastEnd = ws, we
	return *ls.last
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

// tunedRuntime is set by TuneRuntime: the binary's process settings are
// the server's to adjust (tests running servers in-process leave them).
var tunedRuntime atomic.Bool

// tuneMemory sets the runtime's soft memory limit while a document above
// maxModelSize is open. The server runs with a high GOGC for edit latency,
// which lets the heap grow to four times what is live; with a 5 MB file
// open that alone broke the budget of ten times the file's size. The limit
// allows what the open documents need (the text, line table and a
// message's buffers for a large one, about thirty times the size of a modelled one) and makes the
// collector work harder near it, instead of growing.
func (s *Server) tuneMemory() {
	if !tunedRuntime.Load() {
		return
	}
	var large, small int64
	for _, d := range s.docs.all() {
		if d.large() {
			large += int64(len(d.text))
		} else {
			small += int64(len(d.text))
		}
	}
	limit := int64(math.MaxInt64)
	if large > 0 {
		limit = 4*large + 32*small + 16<<20
	}
	debug.SetMemoryLimit(limit)
}
