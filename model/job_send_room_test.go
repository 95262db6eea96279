package model

import (
	"strings"
	"testing"
)

// jobPool is the drain-in-flight pool (truth case r17g_drain_inflight):
// each job carries the fresh cap-1 reply channel submit makes for it.
const jobPool = `package main

type job struct {
	id    int
	reply chan int
}

type pool struct {
	queue chan job
	quit  chan struct{}
}

func (p *pool) worker() {
	for {
		select {
		case j := <-p.queue:
			j.reply <- j.id * 2 // SEND
		case <-p.quit:
			return
		}
	}
}

func (p *pool) submit(id int) <-chan int {
	reply := make(chan int, 1)
	p.queue <- job{id: id, reply: reply}
	return reply
}

func main() {
	p := &pool{queue: make(chan job), quit: make(chan struct{})}
	go p.worker()
	<-p.submit(1)
	close(p.quit)
}
`

// TestJobSendRoom: the send on j.reply never blocks in jobPool, and each
// change below lets a channel get more values than its buffer (or a nil
// one reach the send), so golens must not say so.
func TestJobSendRoom(t *testing.T) {
	cases := []struct {
		name, old, new string
		room           bool
	}{
		{"pool", "", "", true},
		{"make in the literal", "reply := make(chan int, 1)\n\tp.queue <- job{id: id, reply: reply}\n\treturn reply", "p.queue <- job{id: id, reply: make(chan int, 1)}\n\treturn nil", true},
		{"receive in a block", "case j := <-p.queue:\n\t\t\tj.reply <- j.id * 2 // SEND", "case <-p.quit:\n\t\t\treturn\n\t\tdefault:\n\t\t\tj := <-p.queue\n\t\t\tj.reply <- j.id * 2 // SEND", true},
		{"unbuffered", "make(chan int, 1)", "make(chan int)", false},
		{"sent twice", "j.reply <- j.id * 2 // SEND", "j.reply <- j.id * 2 // SEND\n\t\t\tj.reply <- 0", false},
		{"loop between", "j.reply <- j.id * 2 // SEND", "for k := 0; k < 2; k++ {\n\t\t\t\tj.reply <- j.id * 2 // SEND\n\t\t\t}", false},
		{"forwarded", "j.reply <- j.id * 2 // SEND", "j.reply <- j.id * 2 // SEND\n\t\t\tp.queue <- j", false},
		{"copied", "j.reply <- j.id * 2 // SEND", "k := j\n\t\t\t_ = k\n\t\t\tj.reply <- j.id * 2 // SEND", false},
		{"queue closed", "close(p.quit)", "close(p.quit)\n\tclose(p.queue)", false},
		{"job without reply", "func main() {", "func (p *pool) poke() { p.queue <- job{id: 9} }\n\nfunc main() {", false},
		{"local also sent on", "p.queue <- job{id: id, reply: reply}", "reply <- 0\n\tp.queue <- job{id: id, reply: reply}", false},
		{"two jobs share it", "p.queue <- job{id: id, reply: reply}", "p.queue <- job{id: id, reply: reply}\n\tp.queue <- job{id: id, reply: reply}", false},
		{"stored before the send", "p.queue <- job{id: id, reply: reply}", "jb := job{id: id, reply: reply}\n\tp.queue <- jb", false},
		{"field assigned", "func main() {", "func reset(j *job) { j.reply = make(chan int, 1) }\n\nfunc main() {", false},
		{"unkeyed literal", "func main() {", "var extra = job{1, make(chan int)}\n\nfunc main() {", false},
		{"reply passed in", "func (p *pool) submit(id int) <-chan int {\n\treply := make(chan int, 1)", "func (p *pool) submit(id int, reply chan int) <-chan int {", false},
		{"method on the job", "j.reply <- j.id * 2 // SEND", "j.reply <- j.id * 2 // SEND\n\t\t\tj.keep()", false},
	}
	for _, tc := range cases {
		src := jobPool
		if tc.old != "" {
			if !strings.Contains(src, tc.old) {
				t.Fatalf("%s: %q not in the pool", tc.name, tc.old)
			}
			src = strings.Replace(src, tc.old, tc.new, 1)
		}
		m := Parse("main.go", []byte(src))
		at := strings.Index(src, "j.reply <- j.id * 2 // SEND")
		var room *SendRoom
		found := false
		for _, op := range m.ChanOps {
			if op.Kind == Send && m.Fset.Position(op.Pos).Offset >= at && m.Fset.Position(op.Pos).Offset < at+len("j.reply <- j.id * 2") {
				found, room = true, m.SendRoom(op)
			}
		}
		if !found {
			t.Fatalf("%s: no send on j.reply", tc.name)
		}
		if got := room != nil && room.Job != nil; got != tc.room {
			t.Errorf("%s: never blocks = %v, want %v", tc.name, got, tc.room)
		}
	}
}
