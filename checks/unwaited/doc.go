// Package unwaited defines an Analyzer that reports goroutines which main
// or a test starts and then leaves running, with nothing waiting for them,
// and time.Sleep used as the way to wait for goroutines.
//
// # Analyzer unwaited
//
// unwaited: report goroutines that main or a test does not wait for
//
// A go statement starts a goroutine and returns at once
// (https://go.dev/ref/spec#Go_statements). When main returns, the program
// exits without waiting for other goroutines, which are stopped wherever
// they are (https://go.dev/ref/spec#Program_execution). A test that
// returns while its goroutines run lets them outlive it; calling t.Log or
// t.Error from them then panics. Sleeping is not waiting: the goroutine
// may need longer than the sleep, and nothing orders its writes before the
// reads that follow the sleep (a data race).
//
// WRONG:
//
//	func main() {
//		for i := 0; i < 3; i++ {
//			go work(i)
//		}
//		time.Sleep(time.Second) // hope they are done
//	}
//
// RIGHT:
//
//	func main() {
//		var wg sync.WaitGroup
//		for i := 0; i < 3; i++ {
//			wg.Go(func() { work(i) }) // Go 1.25; before: wg.Add(1) and defer wg.Done()
//		}
//		wg.Wait()
//	}
//
// The quick fix declares a sync.WaitGroup, counts every goroutine the
// function starts (wg.Go when the module's Go version is 1.25 or later,
// otherwise wg.Add(1) before the go statement and `defer wg.Done()` as the
// goroutine's first statement) and waits where the Sleep was, or at the end
// of the function. It adds the "sync" import, and removes "time" when the
// Sleep was its only use.
//
// The check only reports when it is sure nothing waits: it looks at `func
// main` of package main and at TestXxx functions, and reports a goroutine
// only when golens's model proves that nothing in the function waits for
// it (the fact the go statement's hover states as "Nothing in main waits
// for it"). The model looks through the functions of the package: a
// channel the goroutine sends on or closes and the function receives from,
// a WaitGroup it calls Done on, a context it cancels, a mutex it locks or
// unlocks that the function locks after the go statement, a channel it
// closes that another goroutine the function waits for receives from. When
// a value the goroutine signals reaches code golens cannot see into, the
// model does not know, and the check says nothing.
//
// It also needs the function to return soon after starting the goroutine:
// it is silent as soon as the function receives from or sends on a
// channel, selects (including `select {}`), uses a WaitGroup, defers a
// call, loops forever, sleeps in a loop (polling), or after starting the
// goroutines calls anything that might block — a server's ListenAndServe,
// errgroup's Wait, t.Run, t.Cleanup, or any function of its own. Only
// printing, formatting, conversions, t.Log/t.Error-style calls, Unlocks,
// and Locks of a mutex nothing else holds (its first Lock in the function,
// and no other function of the file locks it) are known to return.
//
// A test that starts goroutines and returns usually means to: they end with
// the test binary. It is reported only when a goroutine uses the test's t
// (which panics after the test has completed) or a time.Sleep stands in
// for waiting. A goroutine that the test's own channel operations leave
// blocked is a leak of another kind, reported by the channel checks at the
// operation that blocks, in tests as everywhere: timeoutleak (a receive
// that gives up or that an early return skips, a goroutine waiting for a
// send or close the test skips, more sends than receives), nopartner
// (nothing receives, or the only receiver gives up) and selfdeadlock.
package unwaited
