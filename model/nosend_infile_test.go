package model_test

import (
	"strings"
	"testing"

	"github.com/golens/golens/model"
)

// TestNoSendInFile: a channel the file closes and never sends on,
// directly, through a call, an alias or a caller's variable (a parameter),
// on both tiers; a channel nothing closes is not asked.
func TestNoSendInFile(t *testing.T) {
	src := `package p

type server struct {
	ready chan struct{}
	jobs  chan int
	out   chan int
	never chan int
}

func (s *server) start() { close(s.ready); close(s.jobs); close(s.out) }

func (s *server) feed() {
	j := s.jobs
	j <- 1
}

func send(c chan int) { c <- 1 }

func (s *server) push() { send(s.out) }

func wait(p chan struct{}) { <-p; close(p) }

func use(s *server) {
	<-s.ready
	<-s.jobs
	<-s.out
	<-s.never
}
`
	for _, tier := range []struct {
		name string
		m    *model.File
	}{{"syntax", model.Parse("p.go", []byte(src))}, {"typed", typedModel(t, src)}} {
		want := map[string]bool{"ready": true, "jobs": false, "out": false, "p": false, "never": false}
		for _, c := range tier.m.Chans {
			name := c.Name[strings.LastIndex(c.Name, ".")+1:]
			w, ok := want[name]
			if !ok {
				continue
			}
			delete(want, name)
			if got := c.NoSendInFile(); got != w {
				t.Errorf("%s: %s NoSendInFile = %v, want %v", tier.name, c.Name, got, w)
			}
		}
		if len(want) > 0 {
			t.Errorf("%s: no channel in the model for %v", tier.name, want)
		}
	}
}

// TestNoSendInFileReturned: a channel variable holding what a function of
// the file returns has a sender wherever that function sends on its own
// channel (in a select case of the goroutine it starts, too); only a
// returned channel the function just closes has none.
func TestNoSendInFileReturned(t *testing.T) {
	src := `package p

import "context"

func square(ctx context.Context, in []int) <-chan int {
	out := make(chan int)
	go func() {
		defer close(out)
		for _, v := range in {
			select {
			case out <- v * v:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}

func start() <-chan struct{} {
	finished := make(chan struct{})
	go func() {
		defer close(finished)
	}()
	return finished
}

func use(ctx context.Context) {
	res := square(ctx, nil)
	<-res
	done := start()
	<-done
}
`
	for _, tier := range []struct {
		name string
		m    *model.File
	}{{"syntax", model.Parse("p.go", []byte(src))}, {"typed", typedModel(t, src)}} {
		want := map[string]bool{"res": false, "done": true}
		for _, c := range tier.m.Chans {
			w, ok := want[c.Name]
			if !ok {
				continue
			}
			delete(want, c.Name)
			if got := c.NoSendInFile(); got != w {
				t.Errorf("%s: %s NoSendInFile = %v, want %v", tier.name, c.Name, got, w)
			}
		}
		if len(want) > 0 {
			t.Errorf("%s: no channel in the model for %v", tier.name, want)
		}
	}
}
