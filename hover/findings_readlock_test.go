package hover_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/golens/golens/hover"
	"github.com/golens/golens/involved"
	"github.com/golens/golens/model"
)

// TestFindingReadLockLink: the deadlock section links sync.RWMutex when a
// position of the finding is a read-lock operation in the model (RLock,
// RUnlock), whatever the message's words, and sync.Mutex otherwise. The
// messages are lockleak's and deadlock's own (golens check on this file):
// neither says "RLock".
func TestFindingReadLockLink(t *testing.T) {
	src := `package p

import "sync"

type C struct {
	mu sync.RWMutex
	m  map[string]int
}

func (c *C) get(k string) (int, bool) {
	c.mu.RLock()
	v, ok := c.m[k]
	if !ok {
		return 0, false
	}
	c.mu.RUnlock()
	return v, true
}

func (c *C) both() {
	c.mu.RLock()
	c.mu.Lock()
	c.mu.Unlock()
	c.mu.RUnlock()
}

type D struct{ lk sync.Mutex }

func (d *D) twice() {
	d.lk.Lock()
	d.lk.Lock()
}
`
	m := model.Parse("p.go", []byte(src))
	// nth is the byte range of the n-th (1-based) occurrence of text.
	nth := func(text string, n int) (int, int) {
		at := -1
		for ; n > 0; n-- {
			at += 1 + strings.Index(src[at+1:], text)
		}
		return at, at + len(text)
	}
	place := func(role string, line int, text string, n int) involved.Place {
		s, e := nth(text, n)
		return involved.Place{Role: role, Line: line, Link: "file:///p.go#L" + strconv.Itoa(line), Start: s, End: e}
	}
	const rw, plain = "[sync.RWMutex](https://pkg.go.dev/sync#RWMutex)", "[sync.Mutex](https://pkg.go.dev/sync#Mutex)"
	for _, c := range []struct {
		name    string
		finding involved.Finding
		at      string // the cursor: the first place's text, its n-th occurrence
		n       int
		link    string
	}{
		{"RLock leak", involved.Finding{Check: "lockleak",
			Message: "c.mu stays locked if (*C).get returns on line 14: the RUnlock on line 16 is skipped on that path",
			Places:  []involved.Place{place("", 11, "c.mu.RLock()", 1), place("returns with c.mu locked", 14, "return 0, false", 1), place("the RUnlock this path skips", 16, "RUnlock", 1)}},
			"c.mu.RLock()", 1, rw},
		{"Lock while read-locked", involved.Finding{Check: "deadlock",
			Message: "c.mu.Lock() while this goroutine already holds c.mu (locked on line 21): Go mutexes are not reentrant, so this blocks forever",
			Places:  []involved.Place{place("", 22, "c.mu.Lock()", 1), place("c.mu is locked here", 21, "RLock", 2)}},
			"c.mu.Lock()", 1, rw},
		{"Lock twice", involved.Finding{Check: "deadlock",
			Message: "d.lk.Lock() while this goroutine already holds d.lk (locked on line 30): Go mutexes are not reentrant, so this blocks forever",
			Places:  []involved.Place{place("", 31, "d.lk.Lock()", 2), place("d.lk is locked here", 30, "Lock", 4)}},
			"d.lk.Lock()", 2, plain},
	} {
		off, _ := nth(c.at, c.n)
		h := hover.WithFindings(m, off+1, []involved.Finding{c.finding})
		if h == nil || !strings.Contains(h.Markdown, "⚠ "+c.finding.Check) {
			t.Fatalf("%s: no deadlock section: %v", c.name, h)
		}
		other := plain
		if c.link == plain {
			other = rw
		}
		if !strings.Contains(h.Markdown, "Why: `golens explain deadlock`") || !strings.Contains(h.Markdown, c.link) || strings.Contains(h.Markdown, "· "+other) {
			t.Errorf("%s: want the %s link, not %s:\n%s", c.name, c.link, other, h.Markdown)
		}
	}
}
