package nvim

import (
	"strings"
	"testing"
)

// hoverSrc is the hover fixture. The block comment before `go` holds
// characters outside the BMP and Latin-1, so the position Neovim sends
// (UTF-16) differs from the byte and the rune column: golens must convert.
const hoverSrc = `package main

import (
	"fmt"
	"time"
)

func work(ch chan int) { ch <- 1 }

func main() {
	ch := make(chan int)
	done := make(chan struct{})
	defer fmt.Println("written first, runs second")
	defer fmt.Println("written second, runs first")
	/* 🚀 é */ go work(ch)
	go func() {
		ch <- 42
		close(done)
	}()
	select {
	case v := <-ch:
		fmt.Println(v)
	case <-time.After(time.Second):
		fmt.Println("timeout")
	}
	select {
	case v := <-ch:
		fmt.Println(v)
	default:
	}
	<-done
	total := 1
	fmt.Println(total)
}
`

func TestHover(t *testing.T) {
	type hoverCase struct {
		name   string
		marker string // unique text in hoverSrc
		delta  int    // bytes into marker where the cursor is
		want   []string
		null   bool // the answer must be null
	}
	cases := []hoverCase{
		{name: "go", marker: "go func() {", want: []string{"**go**", "starts", "goroutine"}},
		{name: "go after non-ASCII", marker: "go work(ch)", want: []string{"**go**", "starts", "goroutine", "work"}},
		{name: "defer 1 of 2", marker: `defer fmt.Println("written first`, want: []string{"defer 1 of 2", "runs 2nd", "main"}},
		{name: "defer 2 of 2", marker: `defer fmt.Println("written second`, want: []string{"defer 2 of 2", "runs 1st"}},
		{name: "select blocking", marker: "select {\n\tcase v := <-ch:\n\t\tfmt.Println(v)\n\tcase <-time", want: []string{"**select**", "2 cases", "blocks"}},
		{name: "select with default", marker: "select {\n\tcase v := <-ch:\n\t\tfmt.Println(v)\n\tdefault", want: []string{"**select**", "default", "never blocks"}},
		{name: "unbuffered send", marker: "ch <- 42", delta: 3, want: []string{"send", "ch", "unbuffered"}},
		{name: "receive", marker: "<-done", want: []string{"receive", "done"}},
		{name: "plain identifier", marker: "total)", null: true},
		{name: "package name", marker: "package main", delta: 9, null: true},
	}
	var params struct {
		Cases   []hoverParam `json:"cases"`
		Explain position     `json:"explain"`
	}
	params.Explain = at(t, hoverSrc, "select {\n\tcase v := <-ch:\n\t\tfmt.Println(v)\n\tcase <-time", 0)
	for _, c := range cases {
		params.Cases = append(params.Cases, hoverParam{Name: c.name, position: at(t, hoverSrc, c.marker, c.delta)})
	}

	r := runNvim(t, "hover.lua", module(hoverSrc), params)
	var rec struct {
		Hovers []struct {
			Name  string    `json:"name"`
			Error string    `json:"error"`
			Null  bool      `json:"null"`
			Kind  string    `json:"kind"`
			Value string    `json:"value"`
			Raw   any       `json:"raw"`
			Range *lspRange `json:"range"`
		} `json:"hovers"`
		Explain struct {
			Error string `json:"error"`
			Null  bool   `json:"null"`
			Value any    `json:"value"`
		} `json:"explain"`
	}
	r.decode(t, &rec)
	if len(rec.Hovers) != len(cases) {
		t.Fatalf("the script recorded %d hovers, want %d", len(rec.Hovers), len(cases))
	}
	for i, c := range cases {
		h := rec.Hovers[i]
		p := params.Cases[i].position
		t.Run(c.name, func(t *testing.T) {
			if h.Error != "" {
				t.Fatalf("hover at %d:%d: %s", p.Line, p.Character, h.Error)
			}
			if c.null {
				if !h.Null {
					t.Errorf("hover at %d:%d (%q): got %q, want a null result", p.Line, p.Character, c.marker, h.Value)
				}
				return
			}
			if h.Null {
				t.Fatalf("hover at %d:%d (%q): null result, want text containing %q", p.Line, p.Character, c.marker, c.want)
			}
			if h.Raw != nil {
				t.Fatalf("hover contents are not MarkupContent: %v", h.Raw)
			}
			if h.Kind != "markdown" {
				t.Errorf("hover kind %q, want markdown (Neovim 0.7 lists markdown first in contentFormat)", h.Kind)
			}
			for _, w := range c.want {
				if !strings.Contains(h.Value, w) {
					t.Errorf("hover at %d:%d (%q) lacks %q:\n%s", p.Line, p.Character, c.marker, w, h.Value)
				}
			}
			if h.Range != nil && (h.Range.Start.Line > p.Line || h.Range.End.Line < p.Line) {
				t.Errorf("hover range %+v does not contain the hovered line %d", *h.Range, p.Line)
			}
		})
	}

	t.Run("golens.explainAt", func(t *testing.T) {
		e := rec.Explain
		if e.Error != "" {
			t.Fatalf("workspace/executeCommand golens.explainAt: %s", e.Error)
		}
		md, ok := e.Value.(string)
		if !ok {
			t.Fatalf("golens.explainAt on select answered %v, want a markdown string", e.Value)
		}
		for _, w := range []string{"**select**", "random", "go.dev/ref/spec#Select_statements"} {
			if !strings.Contains(md, w) {
				t.Errorf("golens.explainAt on select lacks %q:\n%s", w, md)
			}
		}
	})
}
