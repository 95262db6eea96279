package waitbeforedrain

import "sync"

// ---- the workers range until a close that comes after the Wait ----

// WRONG: the workers are done only when jobs is closed, and jobs is closed
// only after the Wait.
func sumAll(items []int) int {
	jobs := make(chan int)
	var mu sync.Mutex
	var wg sync.WaitGroup
	total := 0
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				mu.Lock()
				total += j
				mu.Unlock()
			}
		}()
	}
	for _, it := range items {
		jobs <- it
	}
	wg.Wait() // want `deadlock: wg.Wait\(\) waits for the goroutine started at line 16, which ranges over jobs until it is closed; jobs is closed only after this Wait \(line 29\): the range never ends, so the goroutine is never done and the Wait never returns`
	close(jobs)
	return total
}

// RIGHT: close first; the ranges end and Wait returns.
func sumAllClosed(items []int) int {
	jobs := make(chan int, len(items))
	var mu sync.Mutex
	var wg sync.WaitGroup
	total := 0
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				mu.Lock()
				total += j
				mu.Unlock()
			}
		}()
	}
	for _, it := range items {
		jobs <- it
	}
	close(jobs)
	wg.Wait()
	return total
}

// Silent: the worker may leave its range on a value of its own, so
// whether the Wait returns depends on the values sent.
func untilZero(items []int) {
	jobs := make(chan int, len(items))
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for j := range jobs {
			if j == 0 {
				return
			}
		}
	}()
	for _, it := range items {
		jobs <- it
	}
	wg.Wait()
	close(jobs)
}

// WRONG: the dispatcher's Close waits for the loop the constructor
// started, then closes the channel the loop ranges over.
type eventLoop struct {
	wg     sync.WaitGroup
	events chan string
	seen   []string
}

func newEventLoop() *eventLoop {
	l := &eventLoop{events: make(chan string, 8)}
	l.wg.Add(1)
	go l.run()
	return l
}

func (l *eventLoop) run() {
	defer l.wg.Done()
	for e := range l.events {
		l.seen = append(l.seen, e)
	}
}

func (l *eventLoop) Post(e string) { l.events <- e }

func (l *eventLoop) Close() {
	l.wg.Wait() // want `deadlock: l.wg.Wait\(\) waits for the goroutine started at line 90, which ranges over l.events until it is closed; it is closed only after this Wait \(line 105\)`
	close(l.events)
}

// RIGHT: Close closes the channel, then waits for the loop to drain it.
type drainingLoop struct {
	wg     sync.WaitGroup
	events chan string
	seen   []string
}

func newDrainingLoop() *drainingLoop {
	l := &drainingLoop{events: make(chan string, 8)}
	l.wg.Add(1)
	go l.run()
	return l
}

func (l *drainingLoop) run() {
	defer l.wg.Done()
	for e := range l.events {
		l.seen = append(l.seen, e)
	}
}

func (l *drainingLoop) Post(e string) { l.events <- e }

func (l *drainingLoop) Close() {
	close(l.events)
	l.wg.Wait()
}

// WRONG: the worker-pool shape with a worker function.
func resizeWorker(id int, paths <-chan string, wg *sync.WaitGroup) {
	defer wg.Done()
	for p := range paths {
		_ = p
	}
}

func resizeImages(paths []string) {
	queue := make(chan string)
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go resizeWorker(i, queue, &wg)
	}
	for _, p := range paths {
		queue <- p
	}
	wg.Wait() // want `deadlock: wg.Wait\(\) waits for the goroutine started at line 149, which ranges over queue until it is closed; queue is closed only after this Wait \(line 155\)`
	close(queue)
}

// RIGHT: close, then wait.
func resizeImagesClosed(paths []string) {
	queue := make(chan string)
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go resizeWorker(i, queue, &wg)
	}
	for _, p := range paths {
		queue <- p
	}
	close(queue)
	wg.Wait()
}

// WRONG: a labelled range whose body continues it by label and breaks an
// inner loop by label: neither leaves the range (a run deadlocks).
func labelled(items []int) {
	var wg sync.WaitGroup
	jobs := make(chan int)
	wg.Add(1)
	go func() {
		defer wg.Done()
	outer:
		for j := range jobs {
			if j < 0 {
				continue outer
			}
		inner:
			for k := range 3 {
				if k == j {
					break inner
				}
			}
		}
	}()
	for _, it := range items {
		jobs <- it
	}
	wg.Wait() // want `deadlock: wg.Wait\(\) waits for the goroutine started at line 179, which ranges over jobs until it is closed; jobs is closed only after this Wait \(line 198\)`
	close(jobs)
}

// Silent: the break names the range itself, so a value can end it.
func labelledBreak(items []int) {
	var wg sync.WaitGroup
	jobs := make(chan int)
	wg.Add(1)
	go func() {
		defer wg.Done()
	outer:
		for j := range jobs {
			if j < 0 {
				break outer
			}
		}
	}()
	for _, it := range items {
		jobs <- it
	}
	wg.Wait()
	close(jobs)
}
