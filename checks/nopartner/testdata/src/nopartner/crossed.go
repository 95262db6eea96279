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
	p.ping <- 1 // want `this send on p.ping blocks forever: every receive from p.ping \(line 24\) runs only after a send on p.pong \(line 23\), and every receive from p.pong \(line 19\) only after a send on p.ping \(line 18\), so neither channel can ever be received from; receive before sending on one side, or make one of them buffered`
	<-p.pong
}

func (p *peer) b() {
	p.pong <- 1
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
