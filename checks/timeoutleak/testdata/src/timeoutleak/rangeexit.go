package timeoutleak

import "context"

func scatter(ctx context.Context, out chan<- bool) {
	for i := 0; i < 8; i++ {
		out <- i > 0
	}
}

// The select returns on ctx.Done while the feeder still has values.
func restore(ctx context.Context) bool {
	ready := make(chan bool, 6)
	go func() {
		defer close(ready)
		scatter(ctx, ready)
	}()
	for span := range ready {
		select {
		case <-ctx.Done():
			return span // want `when restore returns here, the goroutine started on line 14 stays blocked on its next send on ready \(line 7\)`
		default:
		}
	}
	return true
}

// The feeder gives up too (it selects on ctx.Done): fine.
func scatterCtx(ctx context.Context, out chan<- bool) {
	for i := 0; i < 8; i++ {
		select {
		case out <- i > 0:
		case <-ctx.Done():
			return
		}
	}
}

func restore2(ctx context.Context) bool {
	ready := make(chan bool)
	go func() {
		defer close(ready)
		scatterCtx(ctx, ready)
	}()
	for span := range ready {
		if !span {
			return false
		}
	}
	return true
}

// A range that never leaves early: fine.
func total() int {
	nums := make(chan int)
	go func() {
		defer close(nums)
		for i := 0; i < 3; i++ {
			nums <- i
		}
	}()
	n := 0
	for v := range nums {
		n += v
	}
	return n
}

const feedCount = 6

// The feeder's loop bound is a constant expression: still sends them all.
func scatterConst(out chan<- int) {
	for i := 0; i < feedCount+2; i++ {
		out <- i
	}
}

func firstPositive(ctx context.Context) int {
	vals := make(chan int, feedCount)
	go func() {
		defer close(vals)
		scatterConst(vals)
	}()
	for v := range vals {
		if v > 0 {
			return v // want `when firstPositive returns here, the goroutine started on line 80 stays blocked on its next send on vals \(line 74\)`
		}
	}
	return 0
}

// The feeder runs only under a condition: it may send nothing; silent.
func maybeScatter(on bool, out chan<- int) {
	if on {
		for i := 0; i < feedCount+2; i++ {
			out <- i
		}
	}
}

func firstMaybe(on bool) int {
	vals := make(chan int, feedCount)
	go func() {
		defer close(vals)
		maybeScatter(on, vals)
	}()
	for v := range vals {
		if v > 0 {
			return v
		}
	}
	return 0
}

// The feeder's loop bound is not a constant: it may send nothing, or no
// more than the buffer holds, and then it finishes (a run with n = 0, 3
// or 7 leaves no goroutine behind; n = 20 does). Silent: the model cannot
// prove the loop runs at all.
func scatterN(out chan<- int, n int) {
	for i := 0; i < n; i++ {
		out <- i + 1
	}
}

func firstOfN(n int) int {
	vals := make(chan int, feedCount)
	go func() {
		defer close(vals)
		scatterN(vals, n)
	}()
	for v := range vals {
		if v > 0 {
			return v
		}
	}
	return 0
}

// Three sends into a buffer of six: the range takes one, the buffer holds
// the rest, and the feeder finishes (a run leaves no goroutine behind).
func scatterFew(out chan<- int) {
	for i := 0; i < 3; i++ {
		out <- i + 1
	}
}

func firstOfFew() int {
	vals := make(chan int, feedCount)
	go func() {
		defer close(vals)
		scatterFew(vals)
	}()
	for v := range vals {
		if v > 0 {
			return v
		}
	}
	return 0
}

// Seven sends, buffer six: one received, six buffered; silent. Eight would
// leak (firstPositive).
func firstOfSeven() int {
	vals := make(chan int, feedCount)
	go func() {
		defer close(vals)
		for i := 0; i < feedCount+1; i++ {
			vals <- i + 1
		}
	}()
	for v := range vals {
		if v > 0 {
			return v
		}
	}
	return 0
}

// The same literal sending eight: reported.
func firstOfEight() int {
	vals := make(chan int, feedCount)
	go func() {
		defer close(vals)
		for i := 0; i < feedCount+2; i++ {
			vals <- i + 1
		}
	}()
	for v := range vals {
		if v > 0 {
			return v // want `when firstOfEight returns here, the goroutine started on line \d+ stays blocked on its next send on vals`
		}
	}
	return 0
}

// A call that may end the program before the return (os.Exit here, a
// log.Fatal or t.Fatal elsewhere) does not hide the return: run with bad
// false, the feeder stays blocked (runtime.NumGoroutine after the return).
func exitThenReturn(bad bool, exit func(int)) int {
	vals := make(chan int)
	go func() {
		defer close(vals)
		for i := 0; i < 10; i++ {
			vals <- i
		}
	}()
	for v := range vals {
		if bad {
			exit(3)
			panic("unreachable")
		}
		if v > 2 {
			return v // want `when exitThenReturn returns here, the goroutine started on line \d+ stays blocked on its next send on vals`
		}
	}
	return -1
}

// A labelled break of the range leaves it as an unlabelled one does (a
// run: the feeder is still alive after the function returns).
func labelledBreak() int {
	vals := make(chan int)
	go func() {
		defer close(vals)
		for i := 0; i < 10; i++ {
			vals <- i
		}
	}()
	n := 0
loop:
	for v := range vals {
		if v > 2 {
			break loop // want `when labelledBreak breaks out of the range here, the goroutine started on line \d+ stays blocked`
		}
		n += v
	}
	return n
}

// A break of an enclosing loop: the range is left, but this check only
// follows a return or a break of the range itself. Silent.
func outerBreak(rounds int) int {
	vals := make(chan int)
	go func() {
		defer close(vals)
		for i := 0; i < 10; i++ {
			vals <- i
		}
	}()
	n := 0
outer:
	for r := 0; r < rounds; r++ {
		for v := range vals {
			if v > 2 {
				continue outer
			}
			n += v
		}
	}
	return n
}

// The receiver closes the channel before it breaks out: the producer's next
// send panics ("send on closed channel"), it does not stay blocked. Silent
// here (a bug of another kind).
func closeThenBreak() int {
	vals := make(chan int)
	done := make(chan string)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				done <- "crashed"
				return
			}
			done <- "finished"
		}()
		for i := 0; i < 10; i++ {
			vals <- i
		}
		close(vals)
	}()
	n := 0
	for v := range vals {
		n += v
		if n > 2 {
			close(vals)
			break
		}
	}
	<-done
	return n
}
