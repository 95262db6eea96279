package nopartner

// ---- crossed sends: each side sends before it receives ----

type peer struct {
	ping chan int
	pong chan int
}

func newPeer() *peer {
	p := &peer{ping: make(chan int), pong: make(chan int)}
	go p.a()
	go p.b()
	return p
}

func (p *peer) a() {
	p.ping <- 1 // want `this send on p.ping blocks forever: the only receive from p.ping \(line 24\) runs only after a send on p.pong \(line 23\), which can never complete, so nothing ever receives from it; let what it waits behind complete first \(reorder the operations, or give a channel a buffer\)`
	<-p.pong
}

func (p *peer) b() {
	p.pong <- 1 // want `this send on p.pong blocks forever: the only receive from p.pong \(line 19\) runs only after a send on p.ping \(line 18\)`
	<-p.ping
}

// RIGHT: one side receives first (ping-pong).
type turns struct {
	ping chan int
	pong chan int
}

func newTurns() *turns {
	t := &turns{ping: make(chan int), pong: make(chan int)}
	go t.a()
	go t.b()
	return t
}

func (t *turns) a() {
	t.ping <- 1
	<-t.pong
}

func (t *turns) b() {
	<-t.ping
	t.pong <- 1
}

// Silent: a third function receives from one of them first.
type third struct {
	x chan int
	y chan int
}

func newThird() *third {
	t := &third{x: make(chan int), y: make(chan int)}
	go t.a()
	go t.b()
	go t.drain()
	return t
}

func (t *third) a() {
	t.x <- 1
	<-t.y
}

func (t *third) b() {
	t.y <- 1
	<-t.x
}

func (t *third) drain() { <-t.x }

// Silent: the send before the receive is a select case, which need not
// complete first.
type chosen struct {
	x, y chan int
	quit chan struct{}
}

func newChosen() *chosen {
	c := &chosen{x: make(chan int), y: make(chan int), quit: make(chan struct{})}
	go c.a()
	go c.b()
	return c
}

func (c *chosen) a() {
	select {
	case c.x <- 1:
	case <-c.quit:
	}
	<-c.y
}

func (c *chosen) b() {
	c.y <- 1
	<-c.x
}

// Each side receives first: no send is ever reached.
type waiters struct {
	ready chan struct{}
	ack   chan struct{}
}

func newWaiters() *waiters {
	w := &waiters{ready: make(chan struct{}), ack: make(chan struct{})}
	go w.a()
	go w.b()
	return w
}

func (w *waiters) a() {
	<-w.ack // want `this receive from w.ack blocks forever: the only send on w.ack \(line 123\) runs only after a receive from w.ready \(line 122\)`
	w.ready <- struct{}{}
}

func (w *waiters) b() {
	<-w.ready // want `this receive from w.ready blocks forever: the only send on w.ready \(line 118\) runs only after a receive from w.ack \(line 117\)`
	w.ack <- struct{}{}
}

// Through helpers: each side's send is in a method it calls first.
type handshake struct {
	hello chan string
	reply chan string
}

func newHandshake() *handshake {
	h := &handshake{hello: make(chan string), reply: make(chan string)}
	go h.client()
	go h.server()
	return h
}

func (h *handshake) sayHello() { h.hello <- "hi" } // want `this send on h.hello blocks forever: the only receive from h.hello \(line 147\) runs only after a send on h.reply \(line 140\)`
func (h *handshake) sayReply() { h.reply <- "ok" } // want `this send on h.reply blocks forever: the only receive from h.reply \(line 143\) runs only after a send on h.hello \(line 139\)`
func (h *handshake) client() {
	h.sayHello()
	<-h.reply
}
func (h *handshake) server() {
	h.sayReply()
	<-h.hello
}

// RIGHT: the server receives before it replies.
type handshakeOK struct {
	hello chan string
	reply chan string
}

func newHandshakeOK() *handshakeOK {
	h := &handshakeOK{hello: make(chan string), reply: make(chan string)}
	go h.client()
	go h.server()
	return h
}

func (h *handshakeOK) client() {
	h.hello <- "hi"
	<-h.reply
}
func (h *handshakeOK) server() {
	<-h.hello
	h.reply <- "ok"
}

// Behind a send nobody receives: the done signal is never reached.
func reportThenDone() {
	errs := make(chan error)
	done := make(chan bool)
	go func() {
		errs <- nil // want `nothing in the package receives from errs`
		done <- true
	}()
	<-done // want `this receive from done blocks forever: the only send on done \(line 178\) runs only after a send on errs \(line 177\), which can never complete, so nothing ever sends on it`
}
