package leaks

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Frame is one call in a goroutine's stack.
type Frame struct {
	Func string `json:"func"`
	File string `json:"file"`
	Line int    `json:"line"`
}

func (f Frame) String() string { return fmt.Sprintf("%s:%d", f.File, f.Line) }

// Ancestor is the stack of a goroutine's creator at the moment it ran the
// go statement (printed with GODEBUG=tracebackancestors=N).
type Ancestor struct {
	ID        int
	Stack     []Frame
	CreatedBy *Frame
}

// Goroutine is one goroutine of a debug=2 profile (the format of
// runtime.Stack(buf, true), which the goroutineleak profile writes at
// debug level 2 after its leak-detecting garbage collection).
type Goroutine struct {
	ID int
	// Reason is the wait reason or state: "chan send", "select",
	// "sync.WaitGroup.Wait", "running", …
	Reason string
	// Leaked: the runtime proved the goroutine blocked forever (its status
	// carries "(leaked)").
	Leaked    bool
	Stack     []Frame // innermost first
	CreatedBy *Frame  // the go statement, when known
	CreatorID int     // the goroutine that ran it, 0 when unknown
	Ancestors []Ancestor
	// Text is the goroutine's block of the profile, verbatim.
	Text string
}

// ParseProfile parses a goroutine profile written at debug level 2. It is
// tolerant: lines it does not understand are skipped, and a truncated last
// goroutine is kept with the frames read so far.
func ParseProfile(r io.Reader) ([]Goroutine, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 16<<20)
	var (
		out   []Goroutine
		cur   *Goroutine
		text  strings.Builder
		stack *[]Frame // where frames go: the goroutine's or an ancestor's
		made  **Frame  // where a "created by" goes
		fn    string   // the function line waiting for its file:line
	)
	flush := func() {
		if cur != nil {
			cur.Text = strings.TrimRight(text.String(), "\n")
			out = append(out, *cur)
		}
		cur, stack, made, fn = nil, nil, nil, ""
		text.Reset()
	}
	for sc.Scan() {
		line := sc.Text()
		if g, ok := parseHeader(line); ok {
			flush()
			cur = &g
			stack, made = &cur.Stack, &cur.CreatedBy
			text.WriteString(line + "\n")
			continue
		}
		if cur == nil {
			continue
		}
		if strings.TrimSpace(line) == "" {
			continue
		}
		text.WriteString(line + "\n")
		switch {
		case strings.HasPrefix(line, "[originating from goroutine "):
			id, _ := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(line, "[originating from goroutine "), "]:"))
			cur.Ancestors = append(cur.Ancestors, Ancestor{ID: id})
			a := &cur.Ancestors[len(cur.Ancestors)-1]
			stack, made, fn = &a.Stack, &a.CreatedBy, ""
		case strings.HasPrefix(line, "created by "):
			rest := strings.TrimPrefix(line, "created by ")
			name, creator, found := strings.Cut(rest, " in goroutine ")
			if found && made == &cur.CreatedBy {
				cur.CreatorID, _ = strconv.Atoi(creator)
			}
			fn = "created by " + name
		case strings.HasPrefix(line, "\t"):
			if fn == "" || stack == nil {
				continue
			}
			file, lineNo, ok := parseFileLine(line)
			if !ok {
				fn = ""
				continue
			}
			if name, isCreated := strings.CutPrefix(fn, "created by "); isCreated {
				*made = &Frame{Func: name, File: file, Line: lineNo}
			} else {
				*stack = append(*stack, Frame{Func: fn, File: file, Line: lineNo})
			}
			fn = ""
		case strings.HasPrefix(line, "..."):
			// "...N frames elided..." / "...additional frames elided..."
		default:
			fn = funcName(line)
		}
	}
	flush()
	return out, sc.Err()
}

// parseHeader parses "goroutine 20 [chan send (leaked)]:" and its variants
// ("[select, 2 minutes]", "[running]", "gp=… m=…" before the bracket).
func parseHeader(line string) (Goroutine, bool) {
	rest, ok := strings.CutPrefix(line, "goroutine ")
	if !ok || !strings.HasSuffix(line, "]:") {
		return Goroutine{}, false
	}
	idText, rest, _ := strings.Cut(rest, " ")
	id, err := strconv.Atoi(idText)
	if err != nil {
		return Goroutine{}, false
	}
	open := strings.Index(rest, "[")
	if open < 0 {
		return Goroutine{}, false
	}
	status := strings.TrimSuffix(rest[open+1:], "]:")
	status, _, _ = strings.Cut(status, ", ") // drop ", 2 minutes", ", locked to thread"
	g := Goroutine{ID: id}
	for _, mark := range []string{" (leaked)", " (scan)", " (durable)"} {
		if strings.Contains(status, mark) {
			if mark == " (leaked)" {
				g.Leaked = true
			}
			status = strings.Replace(status, mark, "", 1)
		}
	}
	g.Reason = status
	return g, true
}

// parseFileLine parses "\t/path/file.go:24 +0x1e".
func parseFileLine(line string) (string, int, bool) {
	s := strings.TrimSpace(line)
	if i := strings.LastIndex(s, " +0x"); i >= 0 {
		s = s[:i]
	}
	colon := strings.LastIndex(s, ":")
	if colon < 0 {
		return "", 0, false
	}
	n, err := strconv.Atoi(s[colon+1:])
	if err != nil {
		return "", 0, false
	}
	return s[:colon], n, true
}

// funcName strips the argument list from "pkg.(*T).m(0x1, ...)".
func funcName(line string) string {
	if i := strings.LastIndex(line, "("); i > 0 && strings.HasSuffix(line, ")") {
		return line[:i]
	}
	return line
}
