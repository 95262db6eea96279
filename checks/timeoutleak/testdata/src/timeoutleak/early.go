package timeoutleak

import "errors"

func fetch() (int, error) { return 0, nil }

func check(n int) error {
	if n < 0 {
		return errors.New("negative")
	}
	return nil
}

// The error return leaves the goroutine's send without a receiver.
func compute(n int) (int, error) {
	res := make(chan int)
	go func() {
		v, _ := fetch()
		res <- v // want `goroutine leaks when compute returns on line 22, before the receive on line 24: its send on unbuffered channel res then blocks forever`
	}()
	if err := check(n); err != nil {
		return 0, err
	}
	return <-res, nil
}

// The check comes before the goroutine starts: fine.
func compute2(n int) (int, error) {
	if err := check(n); err != nil {
		return 0, err
	}
	res := make(chan int)
	go func() {
		v, _ := fetch()
		res <- v
	}()
	return <-res, nil
}
