package timeoutleak

import "errors"

func step() error { return errors.New("failed") }

// ---- the parent returns before waking its goroutine ----

func serveStop() error {
	stop := make(chan struct{})
	go func() {
		<-stop // want `goroutine leaks when serveStop returns on line 15, before the close of stop on line 17: its receive from stop then blocks forever`
	}()
	if err := step(); err != nil {
		return err
	}
	close(stop)
	return nil
}

func feed() error {
	jobs := make(chan int)
	go func() {
		for j := range jobs { // want `goroutine leaks when feed returns on line 29, before the send on jobs on line 31: its range over jobs then blocks forever`
			_ = j
		}
	}()
	if err := step(); err != nil {
		return err
	}
	jobs <- 1
	close(jobs)
	return nil
}

// ---- silent ----

// The close is deferred: it runs on every return.
func serveDeferred() error {
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		<-stop
	}()
	if err := step(); err != nil {
		return err
	}
	return nil
}

// The return comes before the goroutine starts.
func serveLate() error {
	if err := step(); err != nil {
		return err
	}
	stop := make(chan struct{})
	go func() { <-stop }()
	close(stop)
	return nil
}

// The goroutine may give up: a select with another case.
func serveSelect(quit chan struct{}) error {
	stop := make(chan struct{})
	go func() {
		select {
		case <-stop:
		case <-quit:
		}
	}()
	if err := step(); err != nil {
		return err
	}
	close(stop)
	return nil
}

// The channel is handed to someone else, who may close it.
func serveHanded(register func(chan struct{})) error {
	stop := make(chan struct{})
	register(stop)
	go func() { <-stop }()
	if err := step(); err != nil {
		return err
	}
	close(stop)
	return nil
}

// The goroutine returns before it receives, on some path.
func serveMaybe(skip bool) error {
	stop := make(chan struct{})
	go func() {
		if skip {
			return
		}
		<-stop
	}()
	if err := step(); err != nil {
		return err
	}
	close(stop)
	return nil
}

// ---- path shapes the model's flow decides (File.OpReach, ExitsAvoiding) ----

// A loop with a break before the receive: every run of the goroutine
// still reaches it. A run with a failing step leaves the goroutine alive.
func innerBreak() error {
	stop := make(chan struct{})
	go func() {
		for i := 0; ; i++ {
			if i > 3 {
				break
			}
		}
		<-stop // want `goroutine leaks when innerBreak returns on line \d+, before the close of stop`
	}()
	if err := step(); err != nil {
		return err
	}
	close(stop)
	return nil
}

// The early return is outside the block holding the go statement: when
// both hold, the goroutine is started and never woken (a run: it is still
// alive after the function returns).
func outsideBlock(start bool) error {
	stop := make(chan struct{})
	if start {
		go func() {
			<-stop // want `goroutine leaks when outsideBlock returns on line \d+, before the close of stop`
		}()
	}
	if err := step(); err != nil {
		return err
	}
	close(stop)
	return nil
}

// A call named like log.Fatal before the receive: on the runs where the
// program goes on, the goroutine reaches its receive and leaks (here Fatal
// returns: a run leaves it alive); on the others the program is over.
type logger struct{}

func (logger) Fatal(...any) {}

func mayExitFirst(l logger, bad bool) error {
	stop := make(chan struct{})
	go func() {
		if bad {
			l.Fatal("bad")
		}
		<-stop // want `goroutine leaks when mayExitFirst returns on line \d+, before the close of stop`
	}()
	if err := step(); err != nil {
		return err
	}
	close(stop)
	return nil
}
