// Package explain holds golens's explanations of Go's concurrency
// constructs. The texts are embedded data files (topics/*.md), written in
// the project's own words and checked against the Go spec and package docs;
// each links its source. Hover shows a topic's summary paragraph beside what
// the construct does at that place; `golens explain TOPIC` prints the whole
// topic.
package explain

import (
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"sync"
)

//go:embed topics/*.md
var topicFiles embed.FS

// Topic is one explanation.
type Topic struct {
	Name    string // file name without .md: "go", "send", "waitgroup"
	Title   string
	Aliases []string
	Link    string // the spec section or package doc it follows
	// Summary is the first paragraph: what hover shows.
	Summary string
	// Body is every paragraph, Summary included.
	Body string
}

// Markdown renders the whole topic for `golens explain` and the editor's
// explain command.
func (t *Topic) Markdown() string {
	return fmt.Sprintf("# %s\n\n%s\n\nSee: %s\n", t.Title, t.Body, t.Link)
}

var (
	loadOnce sync.Once
	topics   map[string]*Topic // by name and by lower-cased alias
	names    []string
)

func load() {
	topics = map[string]*Topic{}
	entries, err := fs.Glob(topicFiles, "topics/*.md")
	if err != nil {
		panic(err) // the pattern is a constant: cannot fail
	}
	for _, path := range entries {
		data, err := topicFiles.ReadFile(path)
		if err != nil {
			panic(err)
		}
		name := strings.TrimSuffix(strings.TrimPrefix(path, "topics/"), ".md")
		t, err := parse(name, string(data))
		if err != nil {
			panic(fmt.Sprintf("explain: %s: %v", path, err)) // caught by TestTopicsParse
		}
		topics[name] = t
		names = append(names, name)
		for _, a := range t.Aliases {
			if _, taken := topics[strings.ToLower(a)]; !taken {
				topics[strings.ToLower(a)] = t
			}
		}
	}
	sort.Strings(names)
}

// parse reads a topic file: a front matter block of "key: value" lines
// between "---" lines, then paragraphs separated by blank lines.
func parse(name, data string) (*Topic, error) {
	data = strings.ReplaceAll(data, "\r\n", "\n")
	if !strings.HasPrefix(data, "---\n") {
		return nil, fmt.Errorf("missing front matter")
	}
	front, body, ok := strings.Cut(data[4:], "\n---\n")
	if !ok {
		return nil, fmt.Errorf("unterminated front matter")
	}
	t := &Topic{Name: name, Body: strings.TrimSpace(body)}
	for _, line := range strings.Split(front, "\n") {
		key, value, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		value = strings.TrimSpace(value)
		switch strings.TrimSpace(key) {
		case "title":
			t.Title = value
		case "link":
			t.Link = value
		case "aliases":
			for _, a := range strings.Split(value, ",") {
				if a = strings.TrimSpace(a); a != "" {
					t.Aliases = append(t.Aliases, a)
				}
			}
		}
	}
	if t.Title == "" || t.Link == "" || t.Body == "" {
		return nil, fmt.Errorf("title, link and body are required")
	}
	t.Summary, _, _ = strings.Cut(t.Body, "\n\n")
	return t, nil
}

// Lookup finds a topic by name or alias, ignoring case.
func Lookup(name string) (*Topic, bool) {
	loadOnce.Do(load)
	t, ok := topics[strings.ToLower(strings.TrimSpace(name))]
	return t, ok
}

// MustLookup is Lookup for names the program itself uses; tests check that
// each exists.
func MustLookup(name string) *Topic {
	t, ok := Lookup(name)
	if !ok {
		panic("explain: no topic " + name)
	}
	return t
}

// Names lists the topic names in order.
func Names() []string {
	loadOnce.Do(load)
	return append([]string(nil), names...)
}
