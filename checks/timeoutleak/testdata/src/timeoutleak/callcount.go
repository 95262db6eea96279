package timeoutleak

func job() error { return nil }

// ---- more sends than receives, counted at the call ----

func firstOfCount(n int) error {
	errc := make(chan error, 1)
	for i := 0; i < n; i++ {
		go func() { errc <- job() }() // want `when firstOfCount is called with n = 3 \(line 15\), the 3 goroutines started on line 10 send 3 values on errc, but firstOfCount receives at most once and the buffer holds 1: one send never completes and the goroutine making it blocks forever`
	}
	return <-errc
}

func callFirstOfCount() { _ = firstOfCount(3) }

func firstOfRange(n int) error {
	errc := make(chan error)
	for range n {
		go func() { errc <- job() }() // want `when firstOfRange is called with n = 2 \(line 25\)`
	}
	return <-errc
}

func callFirstOfRange() { _ = firstOfRange(2) }

// ---- silent ----

// The buffer holds the rest for every call.
func firstOfTwo(n int) error {
	errc := make(chan error, 1)
	for i := 0; i < n; i++ {
		go func() { errc <- job() }()
	}
	return <-errc
}

func callFirstOfTwo() { _ = firstOfTwo(2) }

// No call with a constant.
func firstOfAny(n int) error {
	errc := make(chan error)
	for i := 0; i < n; i++ {
		go func() { errc <- job() }()
	}
	return <-errc
}

func callFirstOfAny(k int) { _ = firstOfAny(k) }

// The bound changes before the loop.
func firstOfHalf(n int) error {
	n /= 2
	errc := make(chan error)
	for i := 0; i < n; i++ {
		go func() { errc <- job() }()
	}
	return <-errc
}

func callFirstOfHalf() { _ = firstOfHalf(3) }

// Some passes start nothing.
func firstOfSome(n int, skip bool) error {
	errc := make(chan error)
	for i := 0; i < n; i++ {
		if skip {
			continue
		}
		go func() { errc <- job() }()
	}
	return <-errc
}

func callFirstOfSome() { _ = firstOfSome(3, true) }
