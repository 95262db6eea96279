package nopartner

// ---- an exported field of a type that never leaves the package ----

type Transport interface{ Close() }

type localTransport struct {
	Events chan int
	stop   chan struct{}
}

func (lt *localTransport) Close() {}

func NewLocalTransport() Transport {
	return &localTransport{Events: make(chan int), stop: make(chan struct{})}
}

func (lt *localTransport) pump() {
	for {
		select {
		case <-lt.stop:
			return
		default:
			lt.Events <- 1 // want `every receive from lt.Events \(made at line 15, unbuffered\) is a case of the select at line 31, whose loop ends when its <-stop case is taken \(line 33\)`
		}
	}
}

func drainUntil(ch <-chan int, stop chan struct{}) {
	for {
		select {
		case <-ch:
		case <-stop:
			return
		}
	}
}

func useTransport() {
	lt := NewLocalTransport().(*localTransport)
	go lt.pump()
	drainUntil(lt.Events, lt.stop)
}

// ---- silent: the type leaves the package, so others may receive ----

type exposed struct {
	Events chan int
	stop   chan struct{}
}

// NewExposed hands *exposed to other packages: they can read Events.
func NewExposed() *exposed {
	return &exposed{Events: make(chan int), stop: make(chan struct{})}
}

func (e *exposed) pump() {
	for {
		select {
		case <-e.stop:
			return
		default:
			e.Events <- 1
		}
	}
}

func drainExposed(e *exposed) {
	for {
		select {
		case <-e.Events:
		case <-e.stop:
			return
		}
	}
}
