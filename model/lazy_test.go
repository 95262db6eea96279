package model_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/golens/golens/model"
)

// TestDerivedConcurrentReads reads the facts computed on first read (the
// summaries, what closes each channel, what waits for each goroutine, the
// path facts that read the summaries) from several goroutines at once, each
// starting from a different fact, as concurrent hover, hint and check
// requests do: every reader must see the facts a single reader sees. Path
// facts are also read first on a fresh model, alone, so that a flow that
// reads the summaries without asking for them fails here. Run with -race.
func TestDerivedConcurrentReads(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.txtar")
	more, _ := filepath.Glob("testdata/summary/*.txtar")
	files = append(files, more...)
	if len(files) == 0 {
		t.Fatal("no test files")
	}
	readers := []func(m *model.File) string{
		func(m *model.File) string { return m.DumpSummaries() + m.Dump() },
		func(m *model.File) string {
			d := m.Dump() // the path facts first
			return m.DumpSummaries() + d
		},
		func(m *model.File) string {
			for _, l := range m.Locks {
				l.Pairs() // lock flows read the summaries of the functions called
			}
			return m.DumpSummaries() + m.Dump()
		},
		func(m *model.File) string {
			for _, g := range m.Goroutines {
				g.Waited()
			}
			for _, c := range m.Chans {
				c.Closed()
			}
			return m.DumpSummaries() + m.Dump()
		},
	}
	sources := map[string]string{"releases through calls": releasesThroughCalls}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		_, src, _ := strings.Cut(string(data), "-- src.go --\n")
		src, _, _ = strings.Cut(src, "\n-- ")
		sources[file] = src
	}
	for file, src := range sources {
		want := readers[0](model.Parse("src.go", []byte(src)))
		if strings.TrimSpace(src) == "" || want == "" {
			t.Fatalf("%s: no source or no facts", file)
		}
		// Path facts read first, alone: they must ask for the summaries
		// they read, not find them missing.
		m := model.Parse("src.go", []byte(src))
		for _, l := range m.Locks {
			l.Flow()
			l.Pairs()
		}
		for _, d := range m.Defers {
			d.Order()
		}
		if got := readers[0](m); got != want {
			t.Errorf("%s: path facts read before the summaries differ", file)
		}
		m = model.Parse("src.go", []byte(src))
		done := make(chan string)
		for _, read := range readers {
			go func() { done <- read(m) }()
		}
		for range readers {
			if got := <-done; got != want {
				t.Errorf("%s: concurrent reads gave different facts", file)
			}
		}
	}
}

// releasesThroughCalls unlocks mutexes through calls whose summaries say
// so: the lock flows of these functions read the summaries.
const releasesThroughCalls = `package p

import "sync"

type S struct{ mu sync.Mutex }

func (s *S) unlock() { s.mu.Unlock() }

func release(mu *sync.Mutex) { mu.Unlock() }

func (s *S) deferred() {
	s.mu.Lock()
	defer s.unlock()
}

func byArg(mu *sync.Mutex) {
	mu.Lock()
	release(mu)
}

func inGoroutine() {
	var mu sync.Mutex
	mu.Lock()
	go release(&mu)
	mu.Lock()
}
`
