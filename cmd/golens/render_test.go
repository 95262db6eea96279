package main

import (
	"strings"
	"testing"
)

const sampleMarkdown = "# select statement — wait\n\n" +
	"`select` waits until one of its cases can proceed; `select {}` blocks forever. Read [the spec](https://go.dev/ref/spec#Select_statements) and **really** the [spec again](https://go.dev/ref/spec#Select_statements) and https://pkg.go.dev/time#After.\n\n" +
	"- first item that is long enough to wrap onto a second line at this width\n- second\n\n" +
	"```go\nselect {\ncase v := <-ch: // a line longer than the width stays whole, as code must\n}\n```\n\n" +
	"See: https://go.dev/ref/spec#Select_statements\n"

func TestRenderMarkdownPlain(t *testing.T) {
	got := renderMarkdown(sampleMarkdown, renderOptions{Width: 40})
	if strings.Contains(got, "\x1b") {
		t.Errorf("plain output has ANSI escapes:\n%q", got)
	}
	for _, want := range []string{
		"select statement — wait\n" + strings.Repeat("─", 23) + "\n", // heading set apart
		"[1]", "the spec[1]", "again[1]", "[2]", "See: [1]", // links numbered, one number per address
		"[1] https://go.dev/ref/spec#Select_statements\n[2] https://pkg.go.dev/time#After\n", // footnotes
		"• first item", "\n  onto a second line", // list, hanging indent
		"    case v := <-ch: // a line longer than the width stays whole, as code must", // code set apart, unwrapped
		"`select {}`", // code span kept whole
	} {
		if !strings.Contains(got, want) {
			t.Errorf("plain output lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "**") || strings.Contains(got, "](") || strings.Contains(got, "```") {
		t.Errorf("markdown syntax left in the output:\n%s", got)
	}
	for _, line := range strings.Split(got, "\n") {
		if visibleLen(line) > 40 && !strings.HasPrefix(line, "    ") && !strings.HasPrefix(line, "[") {
			t.Errorf("line wider than 40 columns: %q", line)
		}
	}
}

func TestRenderMarkdownTerminal(t *testing.T) {
	got := renderMarkdown(sampleMarkdown, renderOptions{Width: 60, Color: true})
	for _, want := range []string{ansiHeading + "select statement — wait" + ansiReset, ansiCode + "select" + ansiReset, ansiBold + "really" + ansiReset} {
		if !strings.Contains(got, want) {
			t.Errorf("terminal output lacks %q:\n%q", want, got)
		}
	}
	if strings.Contains(got, "`") {
		t.Errorf("terminal output keeps backticks; colour sets code apart:\n%s", got)
	}
	for _, line := range strings.Split(got, "\n") {
		if visibleLen(line) > 60 && !strings.Contains(line, "case v") && !strings.HasPrefix(ansiRE.ReplaceAllString(line, ""), "[") {
			t.Errorf("line wider than 60 columns: %q", line)
		}
	}
}

func TestExplainPlainWhenPiped(t *testing.T) {
	t.Setenv("COLUMNS", "50")
	var out, errb strings.Builder
	if code := run([]string{"explain", "select"}, nil, &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	for _, line := range strings.Split(out.String(), "\n") {
		if visibleLen(line) > 50 && !strings.HasPrefix(line, "[") {
			t.Errorf("line wider than $COLUMNS=50: %q", line)
		}
	}
	out.Reset()
	run([]string{"explain", "-markdown", "select"}, nil, &out, &errb)
	if !strings.HasPrefix(out.String(), "# select statement") {
		t.Errorf("-markdown prints %q, want the markdown source", out.String()[:40])
	}
}
