package nopartner

// gaveupiface.go: the loop's stop channel is closed by a Stop method that
// the sender may call through an interface.

type giStopper interface{ Stop() }

type giTicker struct {
	tick chan int
	quit chan struct{}
}

func newGiTicker() *giTicker {
	t := &giTicker{tick: make(chan int), quit: make(chan struct{})}
	go t.loop()
	return t
}

func (t *giTicker) loop() {
	for {
		select {
		case <-t.tick:
		case <-t.quit:
			return
		}
	}
}

func (t *giTicker) Stop() { close(t.quit) }

// RIGHT: the sender stops its components itself, through the interface,
// in a deferred loop that runs after its send (truth/r10e_multi_iface_stoppers).
func giRun() {
	var comps []giStopper
	t := newGiTicker()
	comps = append(comps, t)
	defer func() {
		for i := len(comps) - 1; i >= 0; i-- {
			comps[i].Stop()
		}
	}()
	t.tick <- 1
}

type giTicker2 struct {
	tick chan int
	quit chan struct{}
}

func newGiTicker2() *giTicker2 {
	t := &giTicker2{tick: make(chan int), quit: make(chan struct{})}
	go t.loop()
	return t
}

func (t *giTicker2) loop() {
	for {
		select {
		case <-t.tick:
		case <-t.quit:
			return
		}
	}
}

func (t *giTicker2) Stop() { close(t.quit) }

func giWatch(s giStopper) { s.Stop() }

// WRONG: another goroutine may stop the loop before the send.
func giRunWatched() {
	t := newGiTicker2()
	go giWatch(t)
	t.tick <- 1 // want `every receive from t.tick`
}
