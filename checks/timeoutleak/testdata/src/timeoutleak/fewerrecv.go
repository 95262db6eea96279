package timeoutleak

func query(s string) int { return len(s) }

// ---- more sends than receives ----

func firstAnswer() int {
	ch := make(chan int)
	for _, s := range []string{"a", "b", "c"} {
		go func() { ch <- query(s) }() // want `the 3 goroutines started on line 10 send 3 values on ch, but firstAnswer receives at most once: 2 sends never complete and the goroutines making them block forever`
	}
	return <-ch
}

func twoValues() int {
	ch := make(chan int)
	go func() { // want `the goroutine started on line 17 sends 2 values on ch, but twoValues receives at most once: one send never completes and the goroutine making it blocks forever`
		ch <- query("x")
		ch <- query("y")
	}()
	return <-ch
}

func counted() int {
	ch := make(chan int, 1)
	for i := 0; i < 4; i++ {
		go func() { ch <- i }() // want `the 4 goroutines started on line 27 send 4 values on ch, but counted receives at most 2 times and the buffer holds 1: one send never completes`
	}
	a := <-ch
	b := <-ch
	return a + b
}

// ---- silent ----

// As many receives as sends.
func allAnswers() int {
	ch := make(chan int)
	for _, s := range []string{"a", "b"} {
		go func() { ch <- query(s) }()
	}
	return <-ch + <-ch
}

// The buffer holds the rest.
func bufferedRest() int {
	ch := make(chan int, 2)
	for i := 0; i < 3; i++ {
		go func() { ch <- i }()
	}
	return <-ch
}

// Receives in a loop: the count is not known.
func drainAll(n int) int {
	ch := make(chan int)
	for i := 0; i < 3; i++ {
		go func() { ch <- i }()
	}
	sum := 0
	for i := 0; i < n; i++ {
		sum += <-ch
	}
	return sum
}

// A range over a slice whose length is not known here.
func someAnswers(names []string) int {
	ch := make(chan int)
	for _, s := range names {
		go func() { ch <- query(s) }()
	}
	return <-ch
}

// The second send is conditional.
func maybeTwo(more bool) int {
	ch := make(chan int)
	go func() {
		ch <- 1
		if more {
			ch <- 2
		}
	}()
	return <-ch
}
