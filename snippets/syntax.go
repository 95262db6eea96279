package snippets

import (
	"fmt"
	"strings"
)

// The subset of LSP snippet syntax the catalogue uses: tab stops $1 and ${1},
// placeholders ${1:default} (the default is plain text), the final cursor $0,
// and the escapes \$, \} and \\. Choices, variables and nested placeholders
// are not used, so they are rejected rather than half supported.

// snippetPart is either literal text or a reference to tab stop Index.
type snippetPart struct {
	Literal     string
	Index       int    // -1 for literal text
	Default     string // for ${n:default}
	HasDefault  bool
	IsReference bool // $n or ${n}: mirrors the default of the same stop
}

func parseSnippet(s string) ([]snippetPart, error) {
	var parts []snippetPart
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			parts = append(parts, snippetPart{Literal: lit.String(), Index: -1})
			lit.Reset()
		}
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s) && strings.IndexByte(`$}\`, s[i+1]) >= 0:
			lit.WriteByte(s[i+1])
			i++
		case c == '$' && i+1 < len(s) && isDigit(s[i+1]):
			j := i + 1
			for j < len(s) && isDigit(s[j]) {
				j++
			}
			flush()
			parts = append(parts, snippetPart{Index: atoi(s[i+1 : j]), IsReference: true})
			i = j - 1
		case c == '$' && i+1 < len(s) && s[i+1] == '{':
			j := i + 2
			for j < len(s) && isDigit(s[j]) {
				j++
			}
			if j == i+2 || j >= len(s) {
				return nil, fmt.Errorf("bad placeholder at byte %d", i)
			}
			part := snippetPart{Index: atoi(s[i+2 : j])}
			switch s[j] {
			case '}':
				part.IsReference = true
				i = j
			case ':':
				// The default is literal text in which $n and ${n}
				// mirror other stops; it is kept in snippet syntax and
				// resolved when needed.
				k := j + 1
				for ; k < len(s) && s[k] != '}'; k++ {
					switch {
					case s[k] == '\\' && k+1 < len(s):
						k++
					case s[k] == '\n':
						return nil, fmt.Errorf("newline in placeholder default at byte %d", k)
					case s[k] == '$' && k+1 < len(s) && s[k+1] == '{':
						m := k + 2
						for m < len(s) && isDigit(s[m]) {
							m++
						}
						if m == k+2 || m >= len(s) || s[m] != '}' {
							return nil, fmt.Errorf("nested placeholder at byte %d", k)
						}
						k = m
					}
				}
				if k >= len(s) {
					return nil, fmt.Errorf("unterminated placeholder at byte %d", i)
				}
				part.Default, part.HasDefault = s[j+1:k], true
				i = k
			default:
				return nil, fmt.Errorf("unsupported snippet syntax at byte %d", i)
			}
			flush()
			parts = append(parts, part)
		case c == '$':
			// Outside a placeholder only $ is special ("}" is literal).
			return nil, fmt.Errorf("unescaped $ at byte %d", i)
		default:
			lit.WriteByte(c)
		}
	}
	flush()
	return parts, nil
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// ResolvePlaceholders turns snippet text into plain text: every placeholder
// becomes its default, every mirror of it the same default, and $0 nothing.
// Invalid snippet text is returned unchanged.
func ResolvePlaceholders(snippet string) string {
	parts, err := parseSnippet(snippet)
	if err != nil {
		return snippet
	}
	defaults := map[int]string{}
	for _, p := range parts {
		if p.HasDefault {
			if _, seen := defaults[p.Index]; !seen {
				defaults[p.Index] = p.Default
			}
		}
	}
	return resolveParts(parts, defaults, 0)
}

// resolveParts renders parts with each stop replaced by its default, which
// may itself mirror other stops (bounded depth guards against cycles).
func resolveParts(parts []snippetPart, defaults map[int]string, depth int) string {
	var b strings.Builder
	for _, p := range parts {
		if p.Index < 0 {
			b.WriteString(p.Literal)
		} else if p.Index > 0 && depth < 8 {
			inner, err := parseSnippet(defaults[p.Index])
			if err == nil {
				b.WriteString(resolveParts(inner, defaults, depth+1))
			}
		}
	}
	return b.String()
}

// EscapeSnippet makes plain text safe to embed in snippet syntax, inside a
// placeholder's default or outside one.
func EscapeSnippet(text string) string {
	return strings.NewReplacer(`\`, `\\`, `$`, `\$`, `}`, `\}`).Replace(text)
}

// Reindent prepares a body written from column 0 for insertion at a cursor
// whose line starts with indent: the first line goes where the cursor is (the
// line already has its indentation), later non-empty lines get indent
// prepended. Labels ("loop:") are written at column 0 in the body and, as
// gofmt does, sit one tab left of the statements they label.
func Reindent(body, indent string) string {
	lines := strings.Split(body, "\n")
	for i := 1; i < len(lines); i++ {
		switch {
		case lines[i] == "":
		case isLabelLine(lines[i]) && strings.HasSuffix(indent, "\t"):
			lines[i] = indent[:len(indent)-1] + lines[i]
		default:
			lines[i] = indent + lines[i]
		}
	}
	return strings.Join(lines, "\n")
}

func isLabelLine(line string) bool {
	name, ok := strings.CutSuffix(line, ":")
	if !ok || name == "" || name == "default" {
		return false
	}
	for i, r := range name {
		if !(r == '_' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || i > 0 && '0' <= r && r <= '9') {
			return false
		}
	}
	return true
}
