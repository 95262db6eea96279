package nvim

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

const mapSrc = `package main

import "fmt"

func main() {
	jobs := make(chan int, 2)
	done := make(chan struct{})
	go worker(jobs, done)
	jobs <- 1
	close(jobs)
	<-done
	fmt.Println("ok")
}

func worker(in <-chan int, done chan<- struct{}) {
	for range in {
	}
	close(done)
}
`

// TestMapNeovim runs the README's concurrency-map block as written: the
// :GolensMap command in its three forms and the "map" code lens.
func TestMapNeovim(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)<!-- nvim-map-config -->\n```lua\n(.*?)```").FindSubmatch(readme)
	if m == nil {
		t.Fatal("README.md has no ```lua block after <!-- nvim-map-config -->")
	}
	cursor := at(t, mapSrc, "jobs <- 1", 0)
	r := runNvim(t, "map.lua", module(mapSrc), map[string]any{
		"block": string(m[1]), "cursor": cursor, "lens_line": lineOf(t, mapSrc, "func main()"),
	})
	var rec struct {
		Text        []string `json:"text"`
		Mermaid     []string `json:"mermaid"`
		SVGHead     string   `json:"svg_head"`
		LensesShown bool     `json:"lenses_shown"`
		Lenses      []struct {
			Line  int    `json:"line"`
			Title string `json:"title"`
		} `json:"lenses"`
		LensMap []string `json:"lens_map"`
	}
	r.decode(t, &rec)
	text := strings.Join(rec.Text, "\n")
	for _, want := range []string{
		"golens concurrency map: func main",
		"goroutine go worker(jobs, done)",
		"chan      jobs — chan int · cap 2 · made L6",
		"main → jobs: send at line 9 [can block]",
		"jobs → go worker(jobs, done): range at line 16 in worker [can block]",
		"go worker(jobs, done) → done: close at line 18 in worker",
	} {
		if !strings.Contains(text, want) {
			t.Errorf(":GolensMap lacks %q:\n%s", want, text)
		}
	}
	if len(rec.Mermaid) == 0 || rec.Mermaid[0] != "flowchart TD" {
		t.Errorf(":GolensMap package mermaid = %q", rec.Mermaid)
	}
	if !strings.HasPrefix(rec.SVGHead, "<svg") || !strings.Contains(rec.SVGHead, "func main") {
		t.Errorf(":GolensMap svg wrote %q", rec.SVGHead)
	}
	if !rec.LensesShown || len(rec.Lenses) != 1 || rec.Lenses[0].Title != "map" || rec.Lenses[0].Line != lineOf(t, mapSrc, "func main()") {
		t.Errorf("code lenses %+v (shown %v), want one \"map\" on func main", rec.Lenses, rec.LensesShown)
	}
	if lens := strings.Join(rec.LensMap, "\n"); !strings.Contains(lens, "golens concurrency map: func main") {
		t.Errorf("running the map lens showed %q", lens)
	}
}
