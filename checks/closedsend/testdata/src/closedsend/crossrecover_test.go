// Each case was run as a test: TestBlanketRecover passes because the
// recover swallows "send on closed channel" (the line after the push never
// runs); TestPushAfterShutdownPanics sees the panic; the other tests pass
// without one.

package closedsend

import (
	"sync"
	"testing"
)

type pipe struct{ data chan int }

func (p *pipe) shutdown()  { close(p.data) }
func (p *pipe) push(v int) { p.data <- v }

// A blanket recover keeps the test alive; the send still panics.
func TestBlanketRecover(t *testing.T) {
	defer func() { recover() }()
	p := &pipe{data: make(chan int, 1)}
	p.shutdown()
	p.push(1) // want `p.push\(\) sends on p.data \(line 16\), which p.shutdown\(\) closed \(line 15\) earlier on this path`
	t.Log("not reached")
}

// The panic is the point: the test checks for it.
func TestPushAfterShutdownPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("push after shutdown did not panic")
		}
	}()
	p := &pipe{data: make(chan int, 1)}
	p.shutdown()
	p.push(1)
}

// Two pipes: the send is on the open one.
func TestTwoPipes(t *testing.T) {
	a := &pipe{data: make(chan int, 1)}
	b := &pipe{data: make(chan int, 1)}
	a.shutdown()
	b.push(1)
}

// Made again between the close and the send.
func TestRemade(t *testing.T) {
	p := &pipe{data: make(chan int, 1)}
	p.shutdown()
	p.data = make(chan int, 1)
	p.push(1)
}

// The send is guarded by a closed flag that shutdown sets under the lock.
type guardedPipe struct {
	mu     sync.Mutex
	closed bool
	data   chan int
}

func (p *guardedPipe) shutdown() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closed = true
	close(p.data)
}

func (p *guardedPipe) push(v int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		return
	}
	p.data <- v
}

func TestGuarded(t *testing.T) {
	p := &guardedPipe{data: make(chan int, 1)}
	p.shutdown()
	p.push(1)
}

// The sender recovers: a send that tolerates a closed channel.
type tolerantPipe struct{ data chan int }

func (p *tolerantPipe) shutdown() { close(p.data) }

func (p *tolerantPipe) push(v int) (sent bool) {
	defer func() {
		if recover() != nil {
			sent = false
		}
	}()
	p.data <- v
	return true
}

func TestTolerant(t *testing.T) {
	p := &tolerantPipe{data: make(chan int, 1)}
	p.shutdown()
	if p.push(1) {
		t.Error("sent on a closed channel")
	}
}
