package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"sort"
	"sync"
	"unicode/utf16"
	"unicode/utf8"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/golens/golens/model"
)

// document is one immutable version of an open file. An edit makes a new
// document; features read a document (and its model) without locks.
type document struct {
	uri     uri.URI
	version int32
	text    []byte
	lines   []int // byte offset of the start of each line
	// ascii: the text has no byte above 0x7f, so a UTF-16 column is a
	// byte count and converting a position never rescans its line (a
	// 600,000-statement line made every conversion quadratic).
	ascii bool
	// wide marks the lines that hold a byte above 0x7f (nil when ascii):
	// only those need counting UTF-16 units; every other line converts by
	// arithmetic.
	wide []bool
	// marks index the long wide lines (see utf16Marks), so converting a
	// position scans at most markEvery bytes, not the line from its start.
	marksOnce sync.Once
	marks     []utf16Mark

	modelOnce sync.Once
	model     *model.File

	// findings caches the check results for one model of this version
	// (the syntax model, then the typed one when it lands) and one
	// generation of settings.
	findingsMu    sync.Mutex
	findingsModel *model.File
	findingsGen   int64
	findings      []finding

	// largeState caches the partial models of a document above
	// maxModelSize.
	largeState largeState
}

func newDocument(u uri.URI, version int32, text []byte) *document {
	d := &document{uri: u, version: version, text: text}
	d.lines = make([]int, 1, bytes.Count(text, []byte("\n"))+1) // sized once: a 20 MB file has 500,000 lines
	var high, lineHigh byte
	for i, c := range text {
		high |= c
		lineHigh |= c
		if c == '\n' {
			d.markWide(lineHigh)
			lineHigh = 0
			d.lines = append(d.lines, i+1)
		}
	}
	d.markWide(lineHigh)
	d.ascii = high < 0x80
	if d.ascii {
		d.wide = nil
	}
	return d
}

// markWide records whether the line just scanned (the last of d.lines)
// holds a byte above 0x7f.
func (d *document) markWide(lineHigh byte) {
	if lineHigh < 0x80 {
		return
	}
	if d.wide == nil {
		d.wide = make([]bool, cap(d.lines))
	}
	d.wide[len(d.lines)-1] = true
}

// lineIsASCII reports whether a UTF-16 column on line is a byte count.
func (d *document) lineIsASCII(line int) bool {
	return d.ascii || line >= len(d.wide) || !d.wide[line]
}

// markEvery is how far apart (in bytes) the marks of a long wide line are;
// lines shorter than that are scanned from their start.
const markEvery = 512

// utf16Mark is a point of a long wide line: the byte offset of a rune
// boundary and the UTF-16 units from the line's start to it.
type utf16Mark struct{ off, units int }

// utf16Marks returns the marks of every wide line longer than markEvery,
// sorted by offset, built once per version.
func (d *document) utf16Marks() []utf16Mark {
	d.marksOnce.Do(func() {
		for line, wide := range d.wide {
			if !wide || line >= len(d.lines) {
				continue
			}
			start, end := d.lines[line], d.lineEnd(line)
			if end-start <= markEvery {
				continue
			}
			units, next := 0, start+markEvery
			for i := start; i < end; {
				if i >= next {
					d.marks = append(d.marks, utf16Mark{i, units})
					next = i + markEvery
				}
				r, size := utf8.DecodeRune(d.text[i:end])
				units += runeUnits(r, size)
				i += size
			}
		}
	})
	return d.marks
}

// markBefore returns the last mark of the line [start, end) at or before
// offset (by offset) or, with byUnits, at or before units; the line's start
// when there is none.
func (d *document) markBefore(start, end, offset, units int, byUnits bool) utf16Mark {
	marks := d.utf16Marks()
	lo := sort.Search(len(marks), func(i int) bool { return marks[i].off >= start })
	hi := sort.Search(len(marks), func(i int) bool { return marks[i].off >= end })
	line := marks[lo:hi]
	i := sort.Search(len(line), func(i int) bool {
		if byUnits {
			return line[i].units > units
		}
		return line[i].off > offset
	})
	if i == 0 {
		return utf16Mark{start, 0}
	}
	return line[i-1]
}

// runeUnits is how many UTF-16 units a decoded rune takes (an invalid
// byte counts as one, as editors show it).
func runeUnits(r rune, size int) int {
	if r == utf8.RuneError && size <= 1 {
		return 1
	}
	return utf16.RuneLen(r)
}

// lineEnd is the offset of the end of line, before its newline (and a
// carriage return before it).
func (d *document) lineEnd(line int) int {
	end := len(d.text)
	if line+1 < len(d.lines) {
		end = d.lines[line+1] - 1 // the newline
		if end > d.lines[line] && d.text[end-1] == '\r' {
			end--
		}
	}
	return end
}

// syntaxModel returns the syntax-tier model of this version, built once.
// A document above maxModelSize is not modelled whole: its model holds only
// the package clause and imports (features that need more ask
// Server.modelAround for the declarations around a position).
func (d *document) syntaxModel() *model.File {
	d.modelOnce.Do(func() {
		if d.large() {
			end := 0
			if h := d.headerEnd(); h <= maxModelSize {
				end = h
			}
			d.model = model.Parse(filename(d.uri), d.text[:end:end])
			return
		}
		d.model = model.Parse(filename(d.uri), d.text)
	})
	return d.model
}

var errOutOfRange = errors.New("position out of range")

// offset converts an LSP position (line, UTF-16 code units) to a byte
// offset. A line past the end is an error; a character past the end of its
// line means the end of the line, as the LSP specification says.
func (d *document) offset(p protocol.Position) (int, error) {
	line := int(p.Line)
	if line >= len(d.lines) {
		return 0, fmt.Errorf("%w: line %d, document has %d lines", errOutOfRange, line, len(d.lines))
	}
	start, end := d.lines[line], d.lineEnd(line)
	units := int(p.Character)
	if d.lineIsASCII(line) {
		return start + min(units, end-start), nil
	}
	i := start
	if end-start > markEvery {
		m := d.markBefore(start, end, 0, units, true)
		i, units = m.off, units-m.units
	}
	for i < end && units > 0 {
		r, size := utf8.DecodeRune(d.text[i:end])
		n := runeUnits(r, size)
		if units < n {
			break // inside a surrogate pair: stay before the rune
		}
		units -= n
		i += size
	}
	return i, nil
}

// position converts a byte offset to an LSP position.
func (d *document) position(offset int) protocol.Position {
	if offset < 0 {
		offset = 0
	}
	if offset > len(d.text) {
		offset = len(d.text)
	}
	// Binary search for the line.
	lo, hi := 0, len(d.lines)-1
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if d.lines[mid] <= offset {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	if d.lineIsASCII(lo) {
		return protocol.Position{Line: uint32(lo), Character: uint32(offset - d.lines[lo])}
	}
	start, end := d.lines[lo], d.lineEnd(lo)
	m := utf16Mark{start, 0}
	if end-start > markEvery {
		m = d.markBefore(start, end, offset, 0, false)
	}
	units := m.units
	for i := m.off; i < offset; {
		r, size := utf8.DecodeRune(d.text[i:])
		units += runeUnits(r, size)
		i += size
	}
	return protocol.Position{Line: uint32(lo), Character: uint32(units)}
}

func (d *document) rangeOf(start, end int) protocol.Range {
	return protocol.Range{Start: d.position(start), End: d.position(end)}
}

// applyChanges returns the document after the changes, or an error — in
// which case the caller keeps the old document: a bad edit never loses the
// user's text.
func (d *document) applyChanges(version int32, changes []protocol.TextDocumentContentChangeEvent) (*document, error) {
	cur := d
	for i, ch := range changes {
		switch ch := ch.(type) {
		case *protocol.TextDocumentContentChangeWholeDocument:
			cur = newDocument(d.uri, version, []byte(ch.Text))
		case *protocol.TextDocumentContentChangePartial:
			start, err := cur.offset(ch.Range.Start)
			if err != nil {
				return nil, fmt.Errorf("change %d: start: %w", i, err)
			}
			end, err := cur.offset(ch.Range.End)
			if err != nil {
				return nil, fmt.Errorf("change %d: end: %w", i, err)
			}
			if end < start {
				return nil, fmt.Errorf("change %d: range end %v is before start %v", i, ch.Range.End, ch.Range.Start)
			}
			text := make([]byte, 0, len(cur.text)-(end-start)+len(ch.Text))
			text = append(text, cur.text[:start]...)
			text = append(text, ch.Text...)
			text = append(text, cur.text[end:]...)
			cur = newDocument(d.uri, version, text)
		default:
			return nil, fmt.Errorf("change %d: unknown change event %T", i, ch)
		}
	}
	if cur == d {
		cur = newDocument(d.uri, version, d.text)
	}
	cur.version = version
	return cur, nil
}

// documents is the store of open documents. The map is copied on write, so
// a snapshot of every open document (taken for each request as it arrives)
// is one pointer read. Keys are documentKeyFor the URIs (uripath.go), so the spellings a Windows
// or macOS client uses for one file find one document.
type documents struct {
	mu   sync.Mutex
	goos string               // whose path rules make the keys: runtime.GOOS
	open map[string]*document // never mutated once published
}

func newDocuments() *documents {
	return &documents{goos: runtime.GOOS, open: map[string]*document{}}
}

// snapshot is the set of open documents at one instant.
type snapshot map[string]*document

func (s *documents) snapshot() snapshot {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.open
}

func (s *documents) get(u uri.URI) (*document, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.open[documentKeyFor(u, s.goos)]
	return d, ok
}

func (s *documents) set(d *document) {
	s.mu.Lock()
	defer s.mu.Unlock()
	next := make(map[string]*document, len(s.open)+1)
	for k, v := range s.open {
		next[k] = v
	}
	next[documentKeyFor(d.uri, s.goos)] = d
	s.open = next
}

func (s *documents) remove(u uri.URI) {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := documentKeyFor(u, s.goos)
	next := make(map[string]*document, len(s.open))
	for k, v := range s.open {
		if k != key {
			next[k] = v
		}
	}
	s.open = next
}

func (s *documents) all() []*document {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*document, 0, len(s.open))
	for _, d := range s.open {
		out = append(out, d)
	}
	return out
}

type snapshotKey struct{}

// withSnapshot records in ctx the documents as a request found them when
// it arrived.
func withSnapshot(ctx context.Context, snap snapshot) context.Context {
	return context.WithValue(ctx, snapshotKey{}, snap)
}

// readAt returns the document u as the request of ctx found it when it
// arrived (the LSP ordering guarantee: a request answers for the versions
// its preceding notifications produced, not for a later didChange), or the
// file's content on disk for a document the client never opened. Request
// handlers use readAt.
func (s *documents) readAt(ctx context.Context, u uri.URI) (*document, error) {
	if snap, ok := ctx.Value(snapshotKey{}).(snapshot); ok {
		if d, ok := snap[documentKeyFor(u, s.goos)]; ok {
			return d, nil
		}
		return readDisk(u)
	}
	return s.read(u)
}

// read returns the open document as it is now, or the file's content on
// disk for a document the client never opened.
func (s *documents) read(u uri.URI) (*document, error) {
	if d, ok := s.get(u); ok {
		return d, nil
	}
	return readDisk(u)
}

// maxDiskRead bounds reading a document that was never opened.
const maxDiskRead = 8 << 20

// readDisk reads a never-opened document from disk: only a regular file,
// and never more than maxDiskRead bytes. A URI can name anything (/dev/zero,
// a FIFO, /dev/stdin, which is golens's own protocol stream), so the file
// is opened without blocking, checked with fstat on the open descriptor
// (not a Stat of the path, which could change in between), and read through
// a limit.
func readDisk(u uri.URI) (*document, error) {
	if u == "" {
		return nil, errors.New("no document URI")
	}
	if u.Scheme() != "file" {
		return nil, fmt.Errorf("document %s is not open and is not a file", u)
	}
	text, err := readRegularFile(fsPath(u), maxDiskRead)
	if err != nil {
		return nil, fmt.Errorf("document %s is not open and cannot be read: %w", u, err)
	}
	return newDocument(u, 0, text), nil
}

// readRegularFile reads name if it is a regular file of at most limit
// bytes.
func readRegularFile(name string, limit int64) ([]byte, error) {
	f, err := openNonBlocking(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("not a regular file (%s)", fi.Mode().Type())
	}
	text, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(text)) > limit {
		return nil, fmt.Errorf("larger than %d MB", limit>>20)
	}
	return text, nil
}

// filename is the file system path of a file URI, or the URI's path for
// other schemes (untitled buffers).
func filename(u uri.URI) string {
	if u.Scheme() == "file" {
		return fsPath(u)
	}
	return u.Path()
}
