package timeoutleak

import (
	"fmt"
	"log"
	"os"
	"time"
)

// ---- exits, as the model classifies them ----

// exitsOnTimeout: the give-up case ends the process through a helper of
// this file (exitTimedOut calls os.Exit on every path), so the blocked
// sender never outlives anything (run: "timed out", exit status 2).
func exitsOnTimeout() {
	done := make(chan bool)
	go func() {
		work()
		done <- true
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		exitTimedOut()
	}
}

func exitTimedOut() {
	fmt.Println("timed out")
	os.Exit(2)
}

// A send after a call that may end the goroutine is not certain: with
// failed() true the process ends after the first send (as a return there
// would end the goroutine), so golens does not claim the goroutine sends 2
// values.
func exitBetweenSends(failed func() bool) int {
	ch := make(chan int)
	go func() {
		ch <- query("x")
		if failed() {
			log.Fatal("failed")
		}
		ch <- query("y")
	}()
	return <-ch
}
