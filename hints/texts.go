package hints

import (
	"embed"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"text/template"
)

// The labels and tooltips are data: text/template files embedded at build
// time. Code picks a template name and fills its data; it never spells out
// user-visible sentences itself.
//
//go:embed texts/*.tmpl
var textFiles embed.FS

var texts = template.Must(template.New("texts").Funcs(template.FuncMap{
	"ord":   ordinal,
	"lines": lineList,
	"sub":   func(a, b int) int { return a - b },
}).ParseFS(textFiles, "texts/*.tmpl"))

// labelArgs is the data of a label template. It is comparable so that
// rendered labels can be memoised: most labels repeat across a file.
type labelArgs struct {
	N      int
	Lo, Hi int
	S      string
	// W is where a defer's calls run, for "at return": "Goexit" when its
	// function ends only through runtime.Goexit (or t.Fatal), which runs
	// them although the function does not return.
	W string
}

type labelKey struct {
	name string
	args labelArgs
}

var labelCache struct {
	sync.RWMutex
	m map[labelKey]string
}

const labelCacheMax = 8192

// label renders the label template "label.<name>".
func label(name string, args labelArgs) string {
	k := labelKey{name, args}
	labelCache.RLock()
	s, ok := labelCache.m[k]
	labelCache.RUnlock()
	if ok {
		return s
	}
	var b strings.Builder
	if err := texts.ExecuteTemplate(&b, "label."+name, args); err != nil {
		// The templates are embedded and covered by tests; a failure is a
		// programming error, surfaced in the label rather than a panic in
		// the server.
		return "?" + name
	}
	s = b.String()
	labelCache.Lock()
	if labelCache.m == nil || len(labelCache.m) >= labelCacheMax {
		labelCache.m = make(map[labelKey]string)
	}
	labelCache.m[k] = s
	labelCache.Unlock()
	return s
}

// tooltip renders the tooltip template "tip.<name>".
func tooltip(name string, data any) (string, error) {
	var b strings.Builder
	if err := texts.ExecuteTemplate(&b, "tip."+name, data); err != nil {
		return "", fmt.Errorf("hints: tooltip %s: %v", name, err)
	}
	return strings.TrimSpace(b.String()), nil
}

func ordinal(n int) string {
	suffix := "th"
	switch n % 100 {
	case 11, 12, 13:
	default:
		switch n % 10 {
		case 1:
			suffix = "st"
		case 2:
			suffix = "nd"
		case 3:
			suffix = "rd"
		}
	}
	return strconv.Itoa(n) + suffix
}

// lineList renders line numbers as "line 12" or "lines 12, 30".
func lineList(lines []int) string {
	if len(lines) == 0 {
		return ""
	}
	parts := make([]string, len(lines))
	for i, l := range lines {
		parts[i] = strconv.Itoa(l)
	}
	if len(lines) == 1 {
		return "line " + parts[0]
	}
	return "lines " + strings.Join(parts, ", ")
}

// fitNames joins names with ", " when the result is at most max bytes.
func fitNames(names []string, max int) (string, bool) {
	n := 0
	for i, s := range names {
		if i > 0 {
			n += 2
		}
		n += len(s)
	}
	if n > max || len(names) == 0 {
		return "", false
	}
	return strings.Join(names, ", "), true
}

// fitSome joins as many leading names as fit in max bytes together with a
// "+N" for the rest ("wg, jobs +2"); ok is false when not even one fits.
func fitSome(names []string, max int) (string, bool) {
	if s, ok := fitNames(names, max); ok {
		return s, true
	}
	for k := len(names) - 1; k >= 1; k-- {
		rest := " +" + strconv.Itoa(len(names)-k)
		if s, ok := fitNames(names[:k], max-len(rest)); ok {
			return s + rest, true
		}
	}
	return "", false
}
