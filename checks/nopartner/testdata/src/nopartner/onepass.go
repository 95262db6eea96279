package nopartner

import "fmt"

// ---- one worker per pass: the receiving loop starts the sender right before its one receive ----

type onePassResult struct {
	attempt int
	err     error
}

func onePassWorker(attempt int, out chan<- onePassResult) {
	defer func() {
		if r := recover(); r != nil {
			out <- onePassResult{attempt, fmt.Errorf("panic: %v", r)} // runs instead of the send below
		}
	}()
	if attempt < 3 {
		panic("connection reset")
	}
	out <- onePassResult{attempt, nil} // received in its own pass: no finding
}

func onePassSupervise(max int) error {
	out := make(chan onePassResult)
	for attempt := 1; attempt <= max; attempt++ {
		go onePassWorker(attempt, out)
		r := <-out
		if r.err == nil {
			return nil
		}
	}
	return fmt.Errorf("too many restarts")
}

func OnePassMain() { _ = onePassSupervise(5) }
