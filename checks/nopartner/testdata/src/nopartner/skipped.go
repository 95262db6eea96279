package nopartner

import (
	"errors"
	"sync"
	"testing"
)

// ---- the only sender returns early ----

func loadData(path string) (string, error) {
	if path == "" {
		return "", errors.New("empty path")
	}
	return "data", nil
}

func loadAsync(path string) string {
	ch := make(chan string)
	go func() {
		data, err := loadData(path)
		if err != nil {
			return
		}
		ch <- data
	}()
	return <-ch // want `the goroutine started at line 20 is the only code that sends on ch, and it can return at line 23 \(when err != nil\) before it does: this receive then blocks forever; send on ch on that path too \(an error value, or close it\)`
}

// A method started by the go statement, on the receiver's own field.
type runner struct{ resultCh chan string }

func (r *runner) exec(cmd string) {
	out, err := loadData(cmd)
	if err != nil {
		return
	}
	r.resultCh <- out
}

func (r *runner) Run(cmd string) string {
	go r.exec(cmd)
	res := <-r.resultCh // want `the goroutine started at line 42 is the only code that sends on r.resultCh, and it can return at line 36 \(when err != nil\) before it does`
	return res
}

func newRunner() *runner { return &runner{resultCh: make(chan string)} }

// A done channel closed only on success, passed as a parameter.
func startServing(done chan struct{}) {
	if err := serveOnce(); err != nil {
		return
	}
	close(done)
}

func serveOnce() error { return nil }

func waitServing() {
	done := make(chan struct{})
	go startServing(done)
	<-done // want `the goroutine started at line 61 is the only code that closes done, and it can return at line 52 \(when err != nil\) before it does: this receive then blocks forever; close done with defer`
}

// RIGHT: the error path sends too.
func loadAsyncBoth(path string) (string, error) {
	type result struct {
		data string
		err  error
	}
	ch := make(chan result)
	go func() {
		data, err := loadData(path)
		if err != nil {
			ch <- result{err: err}
			return
		}
		ch <- result{data: data}
	}()
	r := <-ch
	return r.data, r.err
}

// RIGHT: a deferred close runs on the early return as well.
func waitDeferred() {
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := serveOnce(); err != nil {
			return
		}
	}()
	<-done
}

// Silent: the early return depends on the starter's own argument, which
// the starter may have checked before (the goroutine's test is then dead).
func loadChecked(path string) string {
	if path == "" {
		return ""
	}
	ch := make(chan string)
	go func(p string) {
		if p == "" {
			return
		}
		ch <- p
	}(path)
	return <-ch
}

// Silent: the starter does not wait in a plain receive (it selects with a
// way out).
func loadOrQuit(path string, quit chan struct{}) string {
	ch := make(chan string)
	go func() {
		data, err := loadData(path)
		if err != nil {
			return
		}
		select {
		case ch <- data:
		case <-quit:
		}
	}()
	select {
	case d := <-ch:
		return d
	case <-quit:
		return ""
	}
}

// Silent: the receive is under a condition the starter decides.
func loadMaybe(path string, wait bool) string {
	ch := make(chan string, 1)
	go func() {
		data, err := loadData(path)
		if err != nil {
			return
		}
		ch <- data
	}()
	if wait {
		return <-ch
	}
	return ""
}

// Silent: another instance's goroutine: the goroutine sends on a different
// runner's channel than the one received from.
type pairRunner struct {
	resultCh chan string
	peer     *pairRunner
}

func (r *pairRunner) exec() {
	out, err := loadData("x")
	if err != nil {
		return
	}
	r.peer.resultCh <- out
}

func (r *pairRunner) Run() string {
	go r.exec()
	return <-r.resultCh
}

func newPair() *pairRunner {
	a := &pairRunner{resultCh: make(chan string)}
	b := &pairRunner{resultCh: make(chan string), peer: a}
	a.peer = b
	return a
}

// Silent: a second sender elsewhere may complete the receive.
type twoSenders struct {
	mu sync.Mutex
	ch chan int
}

func (t *twoSenders) work() {
	n, err := compute()
	if err != nil {
		return
	}
	t.ch <- n
}

func (t *twoSenders) fail() { t.ch <- -1 }

func (t *twoSenders) Wait() int {
	go t.work()
	return <-t.ch
}

func compute() (int, error) { return 1, nil }

func newTwo() *twoSenders {
	t := &twoSenders{ch: make(chan int)}
	go t.fail()
	return t
}

// Silent: a test goroutine's error path that reports the failure.
func waitReported(t *testing.T) {
	done := make(chan struct{})
	go func() {
		if err := serveOnce(); err != nil {
			t.Errorf("serve: %v", err)
			return
		}
		close(done)
	}()
	<-done
}

// A range waits for the close, which the error path skips.
func fetchAll(n int) []int {
	out := make(chan int)
	go func() {
		for i := 0; i < n; i++ {
			v, err := compute()
			if err != nil {
				return
			}
			out <- v + i
		}
		close(out)
	}()
	var res []int
	for v := range out { // want `the goroutine started at line 222 is the only code that closes out, and it can return at line 226 \(when err != nil\) before it does: this range then never ends and waits forever after the last value; close out with defer`
		res = append(res, v)
	}
	return res
}

// RIGHT: the close is deferred, so the range ends on the error path too.
func fetchAllDeferred(n int) []int {
	out := make(chan int)
	go func() {
		defer close(out)
		for i := 0; i < n; i++ {
			v, err := compute()
			if err != nil {
				return
			}
			out <- v + i
		}
	}()
	var res []int
	for v := range out {
		res = append(res, v)
	}
	return res
}

// The waiter is another method: on an instance whose run returned early,
// nothing closes ready.
type service struct {
	ready chan struct{}
	other *service
}

func newService() *service {
	s := &service{ready: make(chan struct{})}
	go s.run()
	return s
}

func (s *service) run() {
	if err := serveOnce(); err != nil {
		return
	}
	close(s.ready)
}

func (s *service) WaitReady() {
	<-s.ready // want `only run, run by the goroutine started at line 268, closes s.ready, and it can return at line 274 \(when err != nil\) before it does: on that instance this receive then blocks forever; close it with defer in run`
}

// Silent: the waiting method is called by run itself, after the close.
type selfWaiter struct{ ready chan struct{} }

func newSelfWaiter() *selfWaiter {
	s := &selfWaiter{ready: make(chan struct{})}
	go s.run()
	return s
}

func (s *selfWaiter) run() {
	if err := serveOnce(); err != nil {
		return
	}
	close(s.ready)
	s.after()
}

func (s *selfWaiter) after() { <-s.ready }

// Silent: the waiter reads another instance's channel.
type linked struct {
	ready chan struct{}
	next  *linked
}

func newLinked() *linked {
	l := &linked{ready: make(chan struct{}), next: &linked{ready: make(chan struct{})}}
	go l.run()
	return l
}

func (l *linked) run() {
	if err := serveOnce(); err != nil {
		return
	}
	close(l.ready)
}

func (l *linked) WaitNext() { <-l.next.ready }

// Silent: the error path reports on another channel, and the starter
// waits for the outcome before it ranges (it stops on the error).
func publishAll(n int) error {
	errs := make(chan error, 1)
	done := make(chan struct{}, 1)
	acks := make(chan int, 100)
	go func() {
		for i := 0; i < n; i++ {
			v, err := compute()
			if err != nil {
				errs <- err
				return
			}
			acks <- v
		}
		close(acks)
		done <- struct{}{}
	}()
	select {
	case <-done:
	case err := <-errs:
		return err
	}
	for range acks {
	}
	return nil
}

// The early return's condition is the starter's own parameter, passed on
// unchecked: whatever its caller chose decides whether anything is sent.
type fetchResult struct{ body string }

type fetcher struct{ done chan fetchResult }

func (f *fetcher) fetch(url string) {
	if url == "" {
		return
	}
	f.done <- fetchResult{body: url}
}

func (f *fetcher) Get(url string) string {
	go f.fetch(url)
	r := <-f.done // want `the goroutine started at line 365 is the only code that sends on f.done, and it can return at line 359 \(when url == ""\) before it does`
	return r.body
}

// RIGHT: the starter rules the early return out before it starts the
// goroutine.
type checkedFetcher struct{ done chan fetchResult }

func (f *checkedFetcher) fetch(url string) {
	if url == "" {
		return
	}
	f.done <- fetchResult{body: url}
}

func (f *checkedFetcher) Get(url string) string {
	if url == "" {
		return ""
	}
	go f.fetch(url)
	r := <-f.done
	return r.body
}

// RIGHT (silent): the starter changes the value before it passes it on
// (n++, as n += 1): it may have ruled the early return out (its caller's 0
// is a 1 here; a run of Get(0) returns), so the value is the starter's.
type countFetcher struct{ done chan int }

func (f *countFetcher) work(n int) {
	if n == 0 {
		return
	}
	f.done <- n * 2
}

func (f *countFetcher) Get(n int) int {
	n++
	go f.work(n)
	return <-f.done
}

type addFetcher struct{ done chan int }

func (f *addFetcher) work(n int) {
	if n == 0 {
		return
	}
	f.done <- n * 2
}

func (f *addFetcher) Get(n int) int {
	n += 1
	go f.work(n)
	return <-f.done
}

// RIGHT: the value passed is the starter's own (a constant), not its
// caller's.
type fixedFetcher struct{ done chan fetchResult }

func (f *fixedFetcher) fetch(url string) {
	if url == "" {
		return
	}
	f.done <- fetchResult{body: url}
}

func (f *fixedFetcher) Get() string {
	u := "http://example.invalid/"
	go f.fetch(u)
	r := <-f.done
	return r.body
}

func newFetchers() (*fetcher, *checkedFetcher, *fixedFetcher) {
	return &fetcher{done: make(chan fetchResult)}, &checkedFetcher{done: make(chan fetchResult)}, &fixedFetcher{done: make(chan fetchResult)}
}
