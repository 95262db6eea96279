package nopartner

// ---- two loops that send to each other ----

type stopper struct{ done chan struct{} }

func (s *stopper) stopped() <-chan struct{} { return s.done }

type job struct{ onDone func() }

type jobLoop struct {
	stop    *stopper
	jobs    chan *job
	replies chan func()
}

func newJobLoop() *jobLoop {
	return &jobLoop{stop: &stopper{done: make(chan struct{})}, jobs: make(chan *job), replies: make(chan func())}
}

// The producer's loop: it runs replies, and between them queues new jobs.
func (p *jobLoop) produce() {
	for {
		select {
		case <-p.stop.stopped():
			return
		case f := <-p.replies:
			f()
		default:
			p.queue()
		}
	}
}

func (p *jobLoop) queue() {
	p.submit(&job{onDone: func() {
		select {
		case p.replies <- func() {}: // want `this send on p.replies waits for produce's loop \(line 23\), the only receiver, but that loop can itself be blocked sending on p.jobs \(line 46\), whose only receiver is the loop of consume \(line 53\) that this send holds up: each goroutine waits for the other, and both block forever \(until a stop case both loops leave on fires\)`
		case <-p.stop.stopped():
		}
	}})
}

func (p *jobLoop) submit(j *job) {
	select {
	case p.jobs <- j:
	case <-p.stop.stopped():
	}
}

// The consumer's loop: it runs each job's callback, which replies.
func (p *jobLoop) consume() {
	for {
		select {
		case j := <-p.jobs:
			callback := j.onDone
			callback()
		case <-p.stop.stopped():
			return
		}
	}
}

func runJobLoop() {
	p := newJobLoop()
	go p.produce()
	go p.consume()
}

// Ping-pong: each loop answers what it received; they take turns. Silent.
func pingPong(n int) {
	ping, pong := make(chan int), make(chan int)
	go func() {
		for i := 0; i < n; i++ {
			ping <- i
			<-pong
		}
	}()
	go func() {
		for i := 0; i < n; i++ {
			<-ping
			pong <- i
		}
	}()
}

// The reply is sent from a goroutine: the consumer never blocks on it. Silent.
type asyncPipeline struct {
	quit    chan struct{}
	jobs    chan int
	replies chan int
}

func newAsyncPipeline() *asyncPipeline {
	return &asyncPipeline{quit: make(chan struct{}), jobs: make(chan int), replies: make(chan int)}
}

func (p *asyncPipeline) produce() {
	for {
		select {
		case <-p.quit:
			return
		case <-p.replies:
		default:
			select {
			case p.jobs <- 1:
			case <-p.quit:
				return
			}
		}
	}
}

func (p *asyncPipeline) consume() {
	for {
		select {
		case j := <-p.jobs:
			go func() {
				select {
				case p.replies <- j:
				case <-p.quit:
				}
			}()
		case <-p.quit:
			return
		}
	}
}

func runAsync() {
	p := newAsyncPipeline()
	go p.produce()
	go p.consume()
}

// The reply gives up on a timeout-like channel only the consumer knows. Silent.
type givingPipeline struct {
	quit    chan struct{}
	abandon chan struct{}
	jobs    chan int
	replies chan int
}

func newGivingPipeline() *givingPipeline {
	return &givingPipeline{quit: make(chan struct{}), abandon: make(chan struct{}), jobs: make(chan int), replies: make(chan int)}
}

func (p *givingPipeline) produce() {
	for {
		select {
		case <-p.quit:
			return
		case <-p.replies:
		default:
			select {
			case p.jobs <- 1:
			case <-p.quit:
				return
			}
		}
	}
}

func (p *givingPipeline) consume() {
	for {
		select {
		case j := <-p.jobs:
			select {
			case p.replies <- j:
			case <-p.abandon:
			case <-p.quit:
				return
			}
		case <-p.quit:
			return
		}
	}
}

func (p *givingPipeline) Abandon() { close(p.abandon) }

func runGiving() {
	p := newGivingPipeline()
	go p.produce()
	go p.consume()
}

// The way back goes through recursion: back's loop reaches its send on
// in through hop and pass, which call each other. The sends a loop reaches
// are the model's (SendsReached), the same whichever loop is asked about
// first: the check once cut the recursion where front's question had left
// it and, asked about back next, saw no send there. Running it, both
// goroutines block forever (truth/testdata/r8_send_cycle_through_recursion).
type hopRelay struct {
	in  chan int
	out chan int
}

func (r *hopRelay) front() {
	for {
		select {
		case v := <-r.in:
			r.pass(v, false)
		default:
			r.out <- 1 // want `this send on r.out waits for back's loop \(line \d+\), the only receiver, but that loop can itself be blocked sending on r.in \(line \d+\), whose only receiver is the loop of front \(line \d+\) that this send holds up: each goroutine waits for the other, and both block forever$`
		}
	}
}

func (r *hopRelay) pass(v int, toFront bool) {
	if toFront {
		r.in <- v
	}
	if v > 0 {
		r.hop(v-1, toFront)
	}
}

func (r *hopRelay) hop(v int, toFront bool) { r.pass(v, toFront) }

func (r *hopRelay) back() {
	for {
		v := <-r.out
		r.hop(v, true)
	}
}

func runHopRelay() {
	r := &hopRelay{in: make(chan int), out: make(chan int)}
	go r.front()
	go r.back()
}
