package main

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

// renderOptions say how `golens explain` prints markdown.
type renderOptions struct {
	Width int  // wrap paragraphs at this many columns
	Color bool // ANSI styles: a terminal
}

// Inline markdown: links, bare URLs, code spans and bold.
var (
	linkRE    = regexp.MustCompile(`\[([^\]]+)\]\(([^)\s]+)\)`)
	bareURLRE = regexp.MustCompile(`https?://[^\s)>\]]+`)
	codeRE    = regexp.MustCompile("`([^`]+)`")
	boldRE    = regexp.MustCompile(`\*\*([^*]+)\*\*`)
	listRE    = regexp.MustCompile(`^(\s*)([-*+]|\d+[.)])\s+`)
)

const (
	ansiBold      = "\x1b[1m"
	ansiHeading   = "\x1b[1;4m"
	ansiCode      = "\x1b[36m"
	ansiFootnote  = "\x1b[2m"
	ansiReset     = "\x1b[0m"
	codeIndent    = "    "
	minRenderWrap = 30
)

// renderMarkdown renders the markdown of an explanation for a terminal:
// paragraphs wrapped to the width, headings and code blocks set apart, code
// spans marked, links numbered with their addresses as footnotes at the end.
// Without Color it is plain text (headings underlined with ─, code spans in
// backticks); with Color it uses bold, underline and colour instead.
func renderMarkdown(md string, o renderOptions) string {
	if o.Width < minRenderWrap {
		o.Width = minRenderWrap
	}
	var links []string
	footnote := func(url string) int {
		for i, l := range links {
			if l == url {
				return i + 1
			}
		}
		links = append(links, url)
		return len(links)
	}
	inline := func(s string) string {
		// Links first (their URLs must not become bare-URL footnotes), via a
		// placeholder the later passes leave alone.
		s = linkRE.ReplaceAllStringFunc(s, func(m string) string {
			sub := linkRE.FindStringSubmatch(m)
			return sub[1] + fmt.Sprintf("\x00%d\x00", footnote(sub[2]))
		})
		s = bareURLRE.ReplaceAllStringFunc(s, func(u string) string {
			u = strings.TrimRight(u, ".,;:")
			return fmt.Sprintf("\x00%d\x00", footnote(u))
		})
		// A code span is never broken across lines: its spaces become \x01
		// until wrapped.
		s = codeRE.ReplaceAllStringFunc(s, func(m string) string { return strings.ReplaceAll(m, " ", "\x01") })
		if o.Color {
			s = codeRE.ReplaceAllString(s, ansiCode+"$1"+ansiReset)
			s = boldRE.ReplaceAllString(s, ansiBold+"$1"+ansiReset)
		} else {
			s = boldRE.ReplaceAllString(s, "$1")
		}
		return regexp.MustCompile("\x00(\\d+)\x00").ReplaceAllStringFunc(s, func(m string) string {
			n := strings.Trim(m, "\x00")
			if o.Color {
				return ansiFootnote + "[" + n + "]" + ansiReset
			}
			return "[" + n + "]"
		})
	}

	var out []string // blocks, joined by blank lines
	lines := strings.Split(strings.ReplaceAll(md, "\r\n", "\n"), "\n")
	for i := 0; i < len(lines); {
		line := lines[i]
		trimmed := strings.TrimSpace(line)
		switch {
		case trimmed == "":
			i++
		case strings.HasPrefix(trimmed, "```"):
			// A fenced code block: indented, never wrapped.
			var code []string
			for i++; i < len(lines) && !strings.HasPrefix(strings.TrimSpace(lines[i]), "```"); i++ {
				l := codeIndent + strings.ReplaceAll(lines[i], "\t", "    ")
				if o.Color {
					l = ansiCode + l + ansiReset
				}
				code = append(code, l)
			}
			i++ // the closing fence
			out = append(out, strings.Join(code, "\n"))
		case strings.HasPrefix(trimmed, "#"):
			heading := wrapLead("", inline(strings.TrimSpace(strings.TrimLeft(trimmed, "#"))), o.Width)
			if o.Color {
				for j, l := range heading {
					heading[j] = ansiHeading + l + ansiReset
				}
				out = append(out, strings.Join(heading, "\n"))
			} else {
				longest := 0
				for _, l := range heading {
					longest = max(longest, visibleLen(l))
				}
				out = append(out, strings.Join(heading, "\n")+"\n"+strings.Repeat("─", min(longest, o.Width)))
			}
			i++
		default:
			// A paragraph, list or quote: lines up to the next blank line,
			// fence or heading; each list item and quote keeps its indent.
			var items [][2]string // lead, text
			for ; i < len(lines); i++ {
				l := strings.TrimSpace(lines[i])
				if l == "" || strings.HasPrefix(l, "```") || strings.HasPrefix(l, "#") {
					break
				}
				if m := listRE.FindStringSubmatch(lines[i]); m != nil {
					lead := strings.Repeat(" ", len(m[1]))
					if m[2] == "-" || m[2] == "*" || m[2] == "+" {
						lead += "• "
					} else {
						lead += m[2] + " "
					}
					items = append(items, [2]string{lead, lines[i][len(m[0]):]})
					continue
				}
				if q, ok := strings.CutPrefix(l, ">"); ok {
					items = append(items, [2]string{"│ ", strings.TrimSpace(q)})
					continue
				}
				if len(items) > 0 {
					items[len(items)-1][1] += " " + l
				} else {
					items = append(items, [2]string{"", l})
				}
			}
			var block []string
			for _, it := range items {
				block = append(block, wrapLead(it[0], inline(it[1]), o.Width)...)
			}
			out = append(out, strings.Join(block, "\n"))
		}
	}
	if len(links) > 0 {
		var notes []string
		for i, l := range links {
			n := fmt.Sprintf("[%d] %s", i+1, l)
			if o.Color {
				n = ansiFootnote + n + ansiReset
			}
			notes = append(notes, n)
		}
		out = append(out, strings.Join(notes, "\n"))
	}
	return strings.Join(out, "\n\n") + "\n"
}

// wrapLead wraps text at width columns; the first line starts with lead,
// the others with as many spaces (a hanging indent for list items).
func wrapLead(lead, text string, width int) []string {
	indent := strings.Repeat(" ", utf8.RuneCountInString(lead))
	var lines []string
	cur, curLen := lead, utf8.RuneCountInString(lead)
	empty := true
	for _, word := range strings.Fields(text) {
		n := visibleLen(word)
		if !empty && curLen+1+n > width {
			lines = append(lines, cur)
			cur, curLen, empty = indent, len(indent), true
		}
		if !empty {
			cur += " "
			curLen++
		}
		cur += word
		curLen += n
		empty = false
	}
	if !empty {
		lines = append(lines, cur)
	}
	for i := range lines {
		lines[i] = strings.ReplaceAll(lines[i], "\x01", " ")
	}
	return lines
}

var ansiRE = regexp.MustCompile("\x1b\\[[0-9;]*m")

// visibleLen is the number of columns s takes: runes, without ANSI styles.
func visibleLen(s string) int {
	return utf8.RuneCountInString(ansiRE.ReplaceAllString(s, ""))
}
