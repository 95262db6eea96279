package server

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"

	"go.lsp.dev/protocol"
)

// naivePosition and naiveOffset convert by scanning each line from its
// start, as the LSP specification defines UTF-16 columns; the document's
// indexed conversions must agree with them everywhere.
func naivePosition(text string, offset int) protocol.Position {
	line, start := 0, 0
	for i := 0; i < offset; i++ {
		if text[i] == '\n' {
			line, start = line+1, i+1
		}
	}
	units := 0
	for i := start; i < offset; {
		r, size := utf8.DecodeRuneInString(text[i:])
		if r == utf8.RuneError && size <= 1 {
			units++
		} else {
			units += utf16.RuneLen(r)
		}
		i += size
	}
	return protocol.Position{Line: uint32(line), Character: uint32(units)}
}

func naiveOffset(text string, p protocol.Position) int {
	lines := strings.SplitAfter(text, "\n")
	start := 0
	for _, l := range lines[:p.Line] {
		start += len(l)
	}
	end := start + len(strings.TrimRight(strings.TrimSuffix(lines[p.Line], "\n"), "\r"))
	if strings.HasSuffix(strings.TrimSuffix(lines[p.Line], "\n"), "\r") && !strings.HasSuffix(lines[p.Line], "\n") {
		end = start + len(lines[p.Line]) // a final line keeps its \r
	}
	units := int(p.Character)
	i := start
	for i < end && units > 0 {
		r, size := utf8.DecodeRuneInString(text[i:end])
		n := 1
		if r != utf8.RuneError || size > 1 {
			n = utf16.RuneLen(r)
		}
		if units < n {
			break
		}
		units -= n
		i += size
	}
	return i
}

// TestPositionsAgreeWithLineScan: conversions on documents mixing ASCII
// lines, short and long (past markEvery) non-ASCII lines, CRLF, invalid
// bytes and characters outside the BMP give the same answers as scanning
// the line, at every offset and at columns past a line's end.
func TestPositionsAgreeWithLineScan(t *testing.T) {
	pieces := []string{"a", "go f()", "é", "😀", "\xff", "\t", "日本", "ch <- 1; "}
	rng := rand.New(rand.NewPCG(1, 2))
	for doc := 0; doc < 40; doc++ {
		var b strings.Builder
		for line := 0; line < 1+rng.IntN(6); line++ {
			n := rng.IntN(400)
			if rng.IntN(3) == 0 {
				n = 400 + rng.IntN(3000) // a long line, indexed by marks
			}
			ascii := rng.IntN(3) == 0
			for b.Len() < 0 || n > 0 {
				p := pieces[rng.IntN(len(pieces))]
				if ascii && p[0] >= 0x80 {
					p = "x"
				}
				b.WriteString(p)
				n -= len(p)
			}
			if rng.IntN(4) == 0 {
				b.WriteString("\r")
			}
			b.WriteString("\n")
		}
		text := b.String()
		if rng.IntN(2) == 0 {
			text = strings.TrimSuffix(text, "\n")
		}
		d := newDocument("file:///x.go", 1, []byte(text))
		for off := 0; off <= len(text); off++ {
			if got, want := d.position(off), naivePosition(text, off); got != want {
				t.Fatalf("doc %d: position(%d) = %+v, want %+v", doc, off, got, want)
			}
		}
		for line, l := range strings.SplitAfter(text, "\n") {
			units := len(utf16.Encode([]rune(l))) + 3
			for c := 0; c <= units; c++ {
				p := protocol.Position{Line: uint32(line), Character: uint32(c)}
				got, err := d.offset(p)
				if err != nil {
					t.Fatal(err)
				}
				if want := naiveOffset(text, p); got != want {
					t.Fatalf("doc %d: offset(%+v) = %d, want %d", doc, p, got, want)
				}
			}
		}
	}
}

// BenchmarkPositionsLongWideLine converts 10,000 offsets spread over one
// 2 MB line holding non-ASCII characters (a generated file, minified
// data): each conversion scans at most markEvery bytes, not the line.
func BenchmarkPositionsLongWideLine(b *testing.B) {
	text := "package p; var s = \"" + strings.Repeat("go f(); é ", 200_000) + "\"\n"
	d := newDocument("file:///x.go", 1, []byte(text))
	d.utf16Marks() // built once per version, on first use
	b.ResetTimer()
	for b.Loop() {
		for off := 0; off < len(text); off += len(text) / 10_000 {
			p := d.position(off)
			if _, err := d.offset(p); err != nil {
				b.Fatal(err)
			}
		}
	}
}
