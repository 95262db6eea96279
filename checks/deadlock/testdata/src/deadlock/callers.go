package deadlock

import "sync"

// ---- a partner that runs only where its callers hold the mutex ----

// Every round calls release with mu held; the leader's release closes the
// channel the followers' releases wait on. A follower waiting in release
// keeps mu, so the leader never gets to its close.
type round struct {
	validate func()
	release  func()
}

func election() {
	rounds := make([]round, 3)
	next := make(chan bool)
	for i := range rounds {
		var mine chan bool
		rounds[i].validate = func() { mine = next }
		rounds[i].release = func() {
			if i == 0 {
				close(next)
				next = make(chan bool)
			}
			<-mine
		}
	}
	runRounds(rounds)
}

func runRounds(rounds []round) {
	var mu sync.Mutex
	for i := range rounds {
		go func(r *round) {
			for {
				mu.Lock()
				r.validate()
				mu.Unlock()
				mu.Lock()
				r.release() // want `r.release\(\) reaches the receive from mine \(line \d+\), which can block while this goroutine holds mu \(locked on line \d+\), and the code that sends on or closes it \(line \d+\) runs only where its callers hold mu`
				mu.Unlock()
			}
		}(&rounds[i])
	}
}

// The stored function is also copied out and called without the lock:
// golens does not see every caller, and stays silent.
type stage struct {
	finish func()
}

func pipeline() {
	stages := make([]stage, 2)
	done := make(chan bool)
	for i := range stages {
		var mine chan bool
		mine = done
		stages[i].finish = func() {
			if i == 0 {
				close(done)
			}
			<-mine
		}
	}
	var mu sync.Mutex
	for i := range stages {
		go func(s *stage) {
			mu.Lock()
			s.finish()
			mu.Unlock()
		}(&stages[i])
	}
	f := stages[0].finish
	go f()
}

// The close comes first on every path: the receive does not block.
type gate struct {
	open func()
}

func gates() {
	gs := make([]gate, 2)
	ch := make(chan bool)
	for i := range gs {
		var mine chan bool
		mine = ch
		gs[i].open = func() {
			close(ch)
			<-mine
		}
	}
	var mu sync.Mutex
	for i := range gs {
		go func(g *gate) {
			mu.Lock()
			g.open()
			mu.Unlock()
		}(&gs[i])
	}
}
