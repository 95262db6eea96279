// Package hints computes golens's inlay hints from a concurrency model: what
// can block (sends, receives, range over a channel, select, Lock, wg.Wait,
// cond.Wait, time.Sleep, <-ctx.Done()), when each defer runs and what it
// evaluated at the defer statement, and what a go statement evaluates now
// versus what its closure shares.
//
// It is a pure function of (model, byte range, options): no LSP types. The
// server converts byte offsets to protocol positions, and resolves tooltips
// lazily with Tooltip and the Hint's Data key.
//
// All user-visible text lives in texts/*.tmpl (embedded).
//
// # Use from the server
//
//   - Range: convert the request's LSP range to byte offsets into the
//     document version the model was built from (m.Src) and call
//     Compute(m, start, end, opts); a hint is returned when its Offset lies
//     in [start, end]. Convert each Offset back to an LSP position (UTF-16
//     column) with the same text.
//   - Resolve: put Hint.Data in InlayHint.data; on inlayHint/resolve call
//     Tooltip(m, data) with the model of the current version. Data holds the
//     construct's offset and a checksum of the source, so a tooltip asked
//     of a model of another version fails with ErrStale instead of
//     describing the wrong code; a syntax-tier and a typed-tier model of the
//     same bytes are interchangeable.
//   - Findings: ComputeWith also takes the deadlock-class findings the
//     server published for exactly this text (involved.Finding) and adds a
//     "⚠ <check>" hint at the end of each line they involve, with its
//     Tooltip already set (no resolve, empty Data).
//   - Tiers: Compute works on either tier; the typed tier sees channels,
//     locks and WaitGroups declared in other files and never marks x.Lock()
//     on a type that is not a sync mutex.
//
// Compute is safe for concurrent use; it keeps, per model, a few facts the
// model does not record (return statements, sync.Cond waits) for the most
// recent models.
package hints

import (
	"errors"
	"fmt"
	"go/ast"
	"go/token"
	"hash/crc32"
	"slices"
	"strconv"
	"strings"

	"github.com/golens/golens/involved"
	"github.com/golens/golens/model"
)

// Kind is the family of a hint; each family is switched by an Option.
type Kind int

const (
	// Blocking hints mark operations that can block the goroutine.
	Blocking Kind = iota + 1
	// Defer hints tell when a deferred call runs and what it evaluated.
	Defer
	// Goroutine hints tell what a go statement evaluates now and what its
	// closure shares.
	Goroutine
)

func (k Kind) String() string {
	switch k {
	case Blocking:
		return "blocking"
	case Defer:
		return "defer"
	case Goroutine:
		return "goroutine"
	}
	return "unknown"
}

// Options switches the hint families.
type Options struct {
	Blocking   bool
	Defers     bool
	Goroutines bool
}

// All turns every family on.
func All() Options { return Options{Blocking: true, Defers: true, Goroutines: true} }

// Hint is one inlay hint.
type Hint struct {
	// Offset is the byte offset in the model's Src where the label goes
	// (the label is shown before the character at Offset).
	Offset int
	Label  string
	Kind   Kind
	// PaddingLeft/Right ask the client for a space on that side.
	PaddingLeft  bool
	PaddingRight bool
	// Data is a small opaque key for InlayHint.data: pass it back to
	// Tooltip to get the markdown tooltip (inlayHint/resolve).
	Data string
	// Tooltip, when set, is the markdown tooltip already (the hints of
	// findings, whose text is at hand): no resolve is needed, Data is empty.
	Tooltip string
}

// Compute returns the hints whose Offset lies in [start, end] (byte offsets
// into m.Src, both inclusive), sorted by Offset. Pass 0 and len(m.Src) for
// the whole file.
func Compute(m *model.File, start, end int, opts Options) []Hint {
	return ComputeWith(m, start, end, opts, nil)
}

// ComputeWith is Compute plus a hint at each position a deadlock-class
// finding involves (findings.go), with the Blocking family. fs must have
// been computed for exactly m's text.
func ComputeWith(m *model.File, start, end int, opts Options, fs []involved.Finding) []Hint {
	if m == nil || m.AST == nil || m.Fset == nil || m.Fset.File(m.AST.Pos()) == nil {
		return nil
	}
	s := newState(m, false)
	s.start, s.end = start, end
	if start <= 0 && end >= len(m.Src) {
		s.out = make([]Hint, 0, len(m.ChanOps)+len(m.Selects)+len(m.Locks)+2*len(m.Defers)+2*len(m.Goroutines))
	}
	s.run(opts)
	if opts.Blocking {
		s.out = append(s.out, findingHints(m.Src, fs, start, end)...)
	}
	return separate(sortHints(s.out))
}

// sortHints orders hints by Offset, keeping the emission order (family,
// then sub-hint) among equal offsets. It sorts indices and then moves each
// Hint once, in place: cheaper than swapping the structs around.
func sortHints(hs []Hint) []Hint {
	if slices.IsSortedFunc(hs, func(a, b Hint) int { return a.Offset - b.Offset }) {
		return hs
	}
	idx := make([]int32, len(hs))
	for i := range idx {
		idx[i] = int32(i)
	}
	slices.SortFunc(idx, func(a, b int32) int {
		if d := hs[a].Offset - hs[b].Offset; d != 0 {
			return d
		}
		return int(a - b)
	})
	// Apply the permutation in place, cycle by cycle: position j takes the
	// hint at idx[j].
	for i := range hs {
		if int(idx[i]) == i {
			continue
		}
		tmp := hs[i]
		j := i
		for {
			k := int(idx[j])
			idx[j] = int32(j)
			if k == i {
				hs[j] = tmp
				break
			}
			hs[j] = hs[k]
			j = k
		}
	}
	return hs
}

// ErrStale is returned by Tooltip when the Data key was computed from
// another version of the file than m.
var ErrStale = errors.New("hints: the hint belongs to another version of the file")

// ErrNotFound is returned by Tooltip when no hint matches the key.
var ErrNotFound = errors.New("hints: no such hint")

// Tooltip renders the markdown tooltip of the hint whose Data is data. m
// must be the model of the same file version the hint was computed from
// (ErrStale otherwise: the server should then drop the tooltip).
func Tooltip(m *model.File, data string) (string, error) {
	k, err := parseKey(data)
	if err != nil {
		return "", err
	}
	if m == nil || m.AST == nil || m.Fset.File(m.AST.Pos()) == nil {
		return "", ErrNotFound
	}
	if k.hash != srcHash(m.Src) {
		return "", ErrStale
	}
	s := newState(m, true)
	s.start, s.end = 0, len(m.Src)
	s.only = k.obj
	s.wantKind, s.wantSub = k.kind, k.sub
	opts := Options{Blocking: k.kind == Blocking, Defers: k.kind == Defer, Goroutines: k.kind == Goroutine}
	s.run(opts)
	found := s.found
	if found == nil || found.tip == "" {
		return "", ErrNotFound
	}
	return tooltip(found.tip, found.tipData)
}

// item is a hint before conversion, with what its tooltip needs.
type item struct {
	kind  Kind
	obj   int  // byte offset of the construct the hint is about: its identity
	sub   byte // which hint of the construct ('o'rder, 'a'rgs, 'c'aptures, 'b'locks)
	off   int  // where the label goes
	label string
	// tip and tipData are filled only when the state wants tooltips.
	tip     string
	tipData any
}

type state struct {
	m       *model.File
	tf      *token.File
	wantTip bool
	start   int
	end     int
	only    int // for Tooltip: the construct's offset; -1 otherwise
	hash    string
	out     []Hint // Compute's result
	// Tooltip's search: the hint of construct only with this kind and sub.
	wantKind Kind
	wantSub  byte
	found    *item
	timeOf   map[*ast.CallExpr]*model.TimeCall
	ctxOf    map[*ast.CallExpr]*model.ContextCall
}

func newState(m *model.File, wantTip bool) *state {
	return &state{m: m, tf: m.Fset.File(m.AST.Pos()), wantTip: wantTip, only: -1}
}

// emit takes one hint: into the result (Compute), or as the one searched
// for (Tooltip).
func (s *state) emit(it *item) {
	if s.only >= 0 {
		if s.found == nil && it.kind == s.wantKind && it.obj == s.only && it.sub == s.wantSub {
			c := *it
			s.found = &c
		}
		return
	}
	if it.off < s.start || it.off > s.end {
		return
	}
	s.out = append(s.out, s.hint(it))
}

// separate marks hints that follow another at the same position (a defer's
// run order and what it evaluates now): an editor would show the two as one
// phrase. Only then, so a lone label never starts with the separator. hs is
// sorted by Offset.
func separate(hs []Hint) []Hint {
	for i := 1; i < len(hs); i++ {
		if hs[i].Offset == hs[i-1].Offset {
			hs[i].Label = joinSeparator + hs[i].Label
			hs[i].PaddingLeft = false
		}
	}
	return hs
}

// joinSeparator starts a hint's label when it follows another at the same
// position.
const joinSeparator = "; "

func (s *state) run(opts Options) {
	if opts.Blocking {
		s.blocking()
	}
	if opts.Defers {
		s.defers()
	}
	if opts.Goroutines {
		s.goroutines()
	}
}

// off converts a position to a byte offset.
func (s *state) off(p token.Pos) int {
	if !p.IsValid() {
		return -1
	}
	return int(p) - s.tf.Base()
}

// skip reports whether a construct at obj with its label at labelOff can be
// ignored: outside the range (Compute) or not the one asked for (Tooltip).
func (s *state) skip(obj, labelOff int) bool {
	if s.only >= 0 {
		return obj != s.only
	}
	return labelOff < s.start || labelOff > s.end
}

func (s *state) line(p token.Pos) int { return s.tf.Line(p) }

func (s *state) lines(ps []token.Pos) []int {
	out := make([]int, 0, len(ps))
	for _, p := range ps {
		if p.IsValid() {
			out = append(out, s.line(p))
		}
	}
	return out
}

func (s *state) hint(it *item) Hint {
	if s.hash == "" {
		s.hash = srcHash(s.m.Src)
	}
	h := Hint{Offset: it.off, Label: it.label, Kind: it.kind, PaddingLeft: true}
	if it.off < len(s.m.Src) {
		switch s.m.Src[it.off] {
		case ' ', '\t', '\r', '\n', ')', ']', ',', ';':
		default:
			h.PaddingRight = true
		}
	}
	var buf [32]byte
	h.Data = string(key{kind: it.kind, obj: it.obj, sub: it.sub, hash: s.hash}.appendTo(buf[:0]))
	return h
}

// ---- the Data key ----

type key struct {
	kind Kind
	obj  int
	sub  byte
	hash string
}

var kindLetters = [...]byte{Blocking: 'b', Defer: 'd', Goroutine: 'g'}

// appendTo renders the key as "<kind letter><offset>.<sub>.<source hash>",
// e.g. "d1234.o.9a3f11c0", into b (no allocation: it runs once per hint);
// parseKey reads it back.
func (k key) appendTo(b []byte) []byte {
	b = append(b, kindLetters[k.kind])
	b = strconv.AppendInt(b, int64(k.obj), 10)
	b = append(b, '.', k.sub, '.')
	return append(b, k.hash...)
}

func parseKey(s string) (key, error) {
	bad := fmt.Errorf("hints: malformed hint data %q", s)
	parts := strings.Split(s, ".")
	if len(parts) != 3 || len(parts[0]) < 2 || len(parts[1]) != 1 {
		return key{}, bad
	}
	var k key
	for kind, l := range kindLetters {
		if l != 0 && parts[0][0] == l {
			k.kind = Kind(kind)
		}
	}
	if k.kind == 0 {
		return key{}, bad
	}
	n, err := strconv.Atoi(parts[0][1:])
	if err != nil || n < 0 {
		return key{}, bad
	}
	k.obj, k.sub, k.hash = n, parts[1][0], parts[2]
	return k, nil
}

var crcTable = crc32.MakeTable(crc32.Castagnoli)

func srcHash(src []byte) string {
	return fmt.Sprintf("%08x", crc32.Checksum(src, crcTable))
}
