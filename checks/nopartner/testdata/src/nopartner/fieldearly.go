package nopartner

// fieldearly.go: the constructor's goroutine sends one value on a field;
// the only receiver can return before it receives.

type feJob struct {
	result chan int
	n      int
}

func newFEJob(n int) *feJob {
	j := &feJob{result: make(chan int), n: n}
	go j.run()
	return j
}

func (j *feJob) run() {
	j.result <- j.n * 2 // want `only wait receives from j.result, once per value of newFEJob, and it can return at line 23 \(when err != nil\) before it does: this send, by the goroutine newFEJob starts \(line 13\), then blocks forever`
}

func (j *feJob) wait(check func() error) (int, error) {
	if err := check(); err != nil {
		return 0, err
	}
	return <-j.result, nil
}

func feUse(check func() error) (int, error) {
	j := newFEJob(2)
	return j.wait(check)
}

// RIGHT: room for the one value; the send completes without a receiver.
type feBuffered struct {
	result chan int
	n      int
}

func newFEBuffered(n int) *feBuffered {
	j := &feBuffered{result: make(chan int, 1), n: n}
	go j.run()
	return j
}

func (j *feBuffered) run() { j.result <- j.n * 2 }

func (j *feBuffered) wait(check func() error) (int, error) {
	if err := check(); err != nil {
		return 0, err
	}
	return <-j.result, nil
}

func feBufferedUse(check func() error) (int, error) {
	j := newFEBuffered(2)
	return j.wait(check)
}

// Silent: the caller tries again on the same job until wait receives.
type feRetry struct {
	result chan int
	n      int
}

func newFERetry(n int) *feRetry {
	j := &feRetry{result: make(chan int), n: n}
	go j.run()
	return j
}

func (j *feRetry) run() { j.result <- j.n * 2 }

func (j *feRetry) wait(check func() error) (int, error) {
	if err := check(); err != nil {
		return 0, err
	}
	return <-j.result, nil
}

func feRetryUse(check func() error) int {
	j := newFERetry(2)
	for {
		if v, err := j.wait(check); err == nil {
			return v
		}
	}
}
