package hover_test

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/golens/golens/hover"
	"github.com/golens/golens/model"
)

var update = flag.Bool("update", false, "rewrite the golden sections of testdata/*.txtar")

// TestHover reads testdata/*.txtar: src.go, a "want" section of
// expectations, and a "golden" section holding every hover of the file.
//
// A want line is `LINE TOKEN[#N] => SUBSTRING` (the hover at the N-th
// occurrence of TOKEN on LINE contains SUBSTRING; `|` separates several)
// or `LINE TOKEN[#N] => null` (no hover there). A SUBSTRING starting with
// `!` must not appear.
func TestHover(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.txtar")
	if len(files) == 0 {
		t.Fatal("no testdata")
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			sections := map[string][]byte{}
			for _, f := range ar.Files {
				sections[f.Name] = f.Data
			}
			src := sections["src.go"]
			m := model.Parse("src.go", src)
			lines := strings.SplitAfter(string(src), "\n")
			for _, want := range strings.Split(strings.TrimSpace(string(sections["want"])), "\n") {
				if want == "" || strings.HasPrefix(want, "#") {
					continue
				}
				where, expect, ok := strings.Cut(want, " => ")
				if !ok {
					t.Fatalf("bad want line %q", want)
				}
				off, err := locate(lines, where)
				if err != nil {
					t.Fatalf("%q: %v", want, err)
				}
				h := hover.At(m, off)
				if expect == "null" {
					if h != nil {
						t.Errorf("%s: want no hover, got %q", where, h.Markdown)
					}
					continue
				}
				if h == nil {
					t.Errorf("%s: no hover, want %q", where, expect)
					continue
				}
				for _, sub := range strings.Split(expect, "|") {
					if neg, ok := strings.CutPrefix(strings.TrimSpace(sub), "!"); ok {
						if strings.Contains(h.Markdown, neg) {
							t.Errorf("%s: hover has %q, which it must not:\n%s", where, neg, h.Markdown)
						}
						continue
					}
					if !strings.Contains(h.Markdown, strings.TrimSpace(sub)) {
						t.Errorf("%s: hover lacks %q:\n%s", where, strings.TrimSpace(sub), h.Markdown)
					}
				}
			}
			got := golden(m)
			if *update {
				found := false
				for i := range ar.Files {
					if ar.Files[i].Name == "golden" {
						ar.Files[i].Data, found = []byte(got), true
					}
				}
				if !found {
					ar.Files = append(ar.Files, txtar.File{Name: "golden", Data: []byte(got)})
				}
				if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if want := string(sections["golden"]); got != want {
				t.Errorf("hover texts changed (review, then go test ./hover -update):\n%s", lineDiff(want, got))
			}
		})
	}
}

// golden renders the construct-specific part of every hover in the file.
func golden(m *model.File) string {
	var b bytes.Buffer
	last := -1
	for _, s := range m.Sites() {
		h := hover.At(m, m.Offset(s.Start))
		if h == nil || h.Start == last {
			continue
		}
		last = h.Start
		p := m.Position(s.Start)
		here := strings.SplitN(h.Markdown, "\n\n", 3)
		fmt.Fprintf(&b, "%d:%d %s [%s]\n", p.Line, p.Column, m.Text(s.Start, s.End()), h.Topic)
		for _, part := range here[:2] {
			fmt.Fprintf(&b, "  %s\n", strings.ReplaceAll(part, "\n", "\n  "))
		}
	}
	return b.String()
}

func locate(lines []string, where string) (int, error) {
	lineStr, tok, ok := strings.Cut(where, " ")
	if !ok {
		return 0, fmt.Errorf("want LINE TOKEN")
	}
	line, err := strconv.Atoi(lineStr)
	if err != nil || line < 1 || line > len(lines) {
		return 0, fmt.Errorf("bad line %q", lineStr)
	}
	n := 1
	if i := strings.LastIndex(tok, "#"); i > 0 {
		n, _ = strconv.Atoi(tok[i+1:])
		tok = tok[:i]
	}
	off := 0
	for _, l := range lines[:line-1] {
		off += len(l)
	}
	text := lines[line-1]
	col := -1
	for i := 0; i < n; i++ {
		j := strings.Index(text[col+1:], tok)
		if j < 0 {
			return 0, fmt.Errorf("token %q #%d not on line %d", tok, n, line)
		}
		col += 1 + j
	}
	return off + col, nil
}

func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var out []string
	for i := 0; i < len(w) || i < len(g); i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			out = append(out, fmt.Sprintf("line %d\n  - %s\n  + %s", i+1, a, b))
		}
		if len(out) > 10 {
			break
		}
	}
	return strings.Join(out, "\n")
}

// FuzzHover: hover never panics, at any offset of any source, and its range
// lies inside the file.
func FuzzHover(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*.txtar")
	for _, s := range seeds {
		ar, err := txtar.ParseFile(s)
		if err != nil {
			continue
		}
		for _, file := range ar.Files {
			if file.Name == "src.go" {
				f.Add(file.Data, uint16(40))
			}
		}
	}
	f.Add([]byte("package p\nfunc f(){select{case <-"), uint16(20))
	f.Fuzz(func(t *testing.T, src []byte, at uint16) {
		m := model.Parse("fuzz.go", src)
		for off := int(at) % (len(src) + 1); off <= len(src); off += 7 {
			h := hover.At(m, off)
			if h != nil && (h.Start < 0 || h.End > len(src) || h.Start > h.End || h.Markdown == "") {
				t.Fatalf("bad hover at %d: %+v", off, h)
			}
		}
		for _, off := range []int{-1, len(src) + 1, 1 << 30} {
			hover.At(m, off)
		}
	})
}

func TestPlainText(t *testing.T) {
	got := hover.PlainText("**send on `ch`**\n\n[Go spec: Send statements](https://go.dev/ref/spec#Send_statements)")
	want := "send on ch\n\nGo spec: Send statements: https://go.dev/ref/spec#Send_statements"
	if got != want {
		t.Errorf("PlainText = %q, want %q", got, want)
	}
	// A generic call in code is not a link.
	got = hover.PlainText("**`defer catch[int](&res, \"half\")`** — the only defer")
	want = "defer catch[int](&res, \"half\") — the only defer"
	if got != want {
		t.Errorf("PlainText = %q, want %q", got, want)
	}
}
