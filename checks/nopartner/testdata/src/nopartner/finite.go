package nopartner

// finite.go: a goroutine sends each value of a range; the only receiving
// loop can leave before the last one.

type fnWatcher struct {
	events chan string
	src    []string
}

func newFNWatcher(src []string) *fnWatcher {
	w := &fnWatcher{events: make(chan string), src: src}
	go w.run()
	return w
}

func (w *fnWatcher) run() {
	for _, e := range w.src {
		w.events <- e // want `this goroutine sends each value of its range \(line 18\) on w.events, but the only loop that receives from it \(line 25, in waitFor\) returns at line 27: if values remain then, nothing receives the next one`
	}
	close(w.events)
}

func (w *fnWatcher) waitFor(name string) bool {
	for e := range w.events {
		if e == name {
			return true
		}
	}
	return false
}

func fnUse() bool {
	w := newFNWatcher([]string{"a", "b", "c"})
	return w.waitFor("a")
}

// A generator made afresh for each run of the receiving function.
func fnGen(xs []int) chan int {
	ch := make(chan int)
	go func() {
		for _, x := range xs {
			ch <- x // want `this goroutine sends each value of its range \(line 42\) on ch, but the only loop that receives from it \(line 51, in fnFirstNeg\) returns at line 53`
		}
		close(ch)
	}()
	return ch
}

func fnFirstNeg(xs []int) int {
	for x := range fnGen(xs) {
		if x < 0 {
			return x
		}
	}
	return 0
}

func fnGenUse() int { return fnFirstNeg([]int{1, -2, 3}) }

// RIGHT: the producer gives up when the receiver leaves.
type fnDone struct {
	events chan string
	done   chan struct{}
	src    []string
}

func newFNDone(src []string) *fnDone {
	w := &fnDone{events: make(chan string), done: make(chan struct{}), src: src}
	go w.run()
	return w
}

func (w *fnDone) run() {
	for _, e := range w.src {
		select {
		case w.events <- e:
		case <-w.done:
			return
		}
	}
	close(w.events)
}

func (w *fnDone) waitFor(name string) bool {
	defer close(w.done)
	for e := range w.events {
		if e == name {
			return true
		}
	}
	return false
}

func fnDoneUse() bool {
	w := newFNDone([]string{"a", "b", "c"})
	return w.waitFor("a")
}

// Silent: waitFor is called again on the same watcher; the second call
// goes on receiving where the first stopped.
type fnTwice struct {
	events chan string
	src    []string
}

func newFNTwice(src []string) *fnTwice {
	w := &fnTwice{events: make(chan string), src: src}
	go w.run()
	return w
}

func (w *fnTwice) run() {
	for _, e := range w.src {
		w.events <- e
	}
	close(w.events)
}

func (w *fnTwice) waitFor(name string) bool {
	for e := range w.events {
		if e == name {
			return true
		}
	}
	return false
}

func fnTwiceUse(names []string) {
	w := newFNTwice([]string{"a", "b", "c"})
	for _, n := range names {
		w.waitFor(n)
	}
}

// Silent: the receiver drains to the end.
type fnDrain struct {
	events chan string
	src    []string
}

func newFNDrain(src []string) *fnDrain {
	w := &fnDrain{events: make(chan string), src: src}
	go w.run()
	return w
}

func (w *fnDrain) run() {
	for _, e := range w.src {
		w.events <- e
	}
	close(w.events)
}

func (w *fnDrain) count(name string) int {
	n := 0
	for e := range w.events {
		if e == name {
			n++
		}
	}
	return n
}

func fnDrainUse() int {
	w := newFNDrain([]string{"a", "b", "c"})
	return w.count("a")
}
