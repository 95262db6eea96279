package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
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
	var high byte
	for i, c := range text {
		high |= c
		if c == '\n' {
			d.lines = append(d.lines, i+1)
		}
	}
	d.ascii = high < 0x80
	return d
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
	start := d.lines[line]
	end := len(d.text)
	if line+1 < len(d.lines) {
		end = d.lines[line+1] - 1 // the newline
		if end > start && d.text[end-1] == '\r' {
			end--
		}
	}
	units := int(p.Character)
	if d.ascii {
		return start + min(units, end-start), nil
	}
	i := start
	for i < end && units > 0 {
		r, size := utf8.DecodeRune(d.text[i:end])
		n := 1
		if r != utf8.RuneError || size > 1 {
			n = utf16.RuneLen(r)
		}
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
	if d.ascii {
		return protocol.Position{Line: uint32(lo), Character: uint32(offset - d.lines[lo])}
	}
	units := 0
	for i := d.lines[lo]; i < offset; {
		r, size := utf8.DecodeRune(d.text[i:])
		if r == utf8.RuneError && size <= 1 {
			units++
		} else {
			units += utf16.RuneLen(r)
		}
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
