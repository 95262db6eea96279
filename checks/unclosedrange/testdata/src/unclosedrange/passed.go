package unclosedrange

// emit sends but never closes out.
func emit(out chan<- int, n int) {
	for i := 0; i < n; i++ {
		out <- i
	}
}

func sum(n int) int {
	ch := make(chan int)
	go emit(ch, n)
	total := 0
	for v := range ch { // want `range over channel ch never ends: nothing closes ch \(passed to .emit. in the go statement at line 12, which may send on it \(line 6\)`
		total += v
	}
	return total
}

// emitAndClose closes it: fine.
func emitAndClose(out chan<- int, n int) {
	defer close(out)
	for i := 0; i < n; i++ {
		out <- i
	}
}

func sum2(n int) int {
	ch := make(chan int)
	go emitAndClose(ch, n)
	total := 0
	for v := range ch {
		total += v
	}
	return total
}
