package unclosedrange

import (
	"fmt"
	"strings"
	"sync"
)

// ---- buggy ----

func producer(words []string) {
	ch := make(chan string)
	go func() {
		for _, w := range words {
			ch <- strings.ToUpper(w)
		}
	}()
	for w := range ch { // want `range over channel ch never ends: nothing closes ch, so the loop waits forever after the last value`
		fmt.Println(w)
	}
}

func consumerGoroutine(n int) {
	jobs := make(chan int, n)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for j := range jobs { // want `range over channel jobs never ends`
			fmt.Println(j)
		}
	}()
	for i := 0; i < n; i++ {
		jobs <- i
	}
	wg.Wait()
}

type scanner struct{ lines []string }

func (s *scanner) run() int {
	out := make(chan int)
	go func() {
		for _, l := range s.lines {
			out <- len(l)
		}
	}()
	total := 0
	for n := range out { // want `range over channel out never ends`
		total += n
	}
	return total
}

func inClosure() func() {
	return func() {
		ticks := make(chan struct{}, 3)
		ticks <- struct{}{}
		for range ticks { // want `range over channel ticks never ends`
			fmt.Println("tick")
		}
	}
}

func continueOnly() {
	ch := make(chan int)
	go func() {
		ch <- 1
		ch <- 2
	}()
	for v := range ch { // want `range over channel ch never ends`
		if v == 1 {
			continue
		}
		fmt.Println(v)
	}
}

func twoSenders() {
	ch := make(chan int)
	go func() { ch <- 1 }()
	go func() { ch <- 2 }()
	for v := range ch { // want `range over channel ch never ends`
		fmt.Println(v)
	}
}

// ---- correct ----

func closedBySender(words []string) {
	ch := make(chan string)
	go func() {
		defer close(ch)
		for _, w := range words {
			ch <- w
		}
	}()
	for w := range ch {
		fmt.Println(w)
	}
}

func closedAfterWait(n int) {
	ch := make(chan int)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ch <- i
		}()
	}
	go func() {
		wg.Wait()
		close(ch)
	}()
	for v := range ch {
		fmt.Println(v)
	}
}

func passedToProducer() {
	ch := make(chan int)
	go produce(ch)
	for v := range ch {
		fmt.Println(v)
	}
}

func produce(ch chan<- int) {
	defer close(ch)
	ch <- 1
}

func returned() <-chan int {
	ch := make(chan int)
	go func() {
		for v := range ch {
			fmt.Println(v)
		}
	}()
	return ch
}

func breaksOut() {
	ch := make(chan int)
	go func() {
		ch <- 1
		ch <- 0
	}()
	for v := range ch {
		if v == 0 {
			break
		}
	}
}

func returnsFromLoop() int {
	ch := make(chan int, 1)
	ch <- 1
	for v := range ch {
		return v
	}
	return 0
}

func param(ch <-chan int) {
	for v := range ch {
		fmt.Println(v)
	}
}

type pipeline struct{ in chan int }

func (p *pipeline) loop() {
	for v := range p.in { // a field: closed by whoever owns p
		fmt.Println(v)
	}
}

func storedInStruct() {
	ch := make(chan int)
	p := &pipeline{in: ch}
	go p.loop()
	for v := range ch {
		fmt.Println(v)
	}
}

func closedInCallback(register func(func())) {
	ch := make(chan int)
	register(func() { close(ch) })
	for v := range ch {
		fmt.Println(v)
	}
}

func reassigned(src func() chan int) {
	ch := make(chan int)
	ch = src()
	for v := range ch {
		fmt.Println(v)
	}
}

// ticker: an endless stream, ranged over on purpose.
func ticker(f func() int) {
	ch := make(chan int)
	go func() {
		for {
			ch <- f()
		}
	}()
	for v := range ch {
		fmt.Println(v)
	}
}

// A break inside a switch or select ends that statement, not the loop; a
// continue of the loop's own label stays in it. Both loops wait forever
// after the last value (run by the exits helper: "all goroutines are
// asleep - deadlock!"). The range hover says the same (model.File.LoopExit).
func switchBreak() {
	ch := make(chan int)
	go func() {
		ch <- 1
	}()
	for v := range ch { // want `range over channel ch never ends`
		switch v {
		case 1:
			break
		}
	}
}

func ownLabel() {
	ch := make(chan int)
	go func() {
		ch <- 1
	}()
loop:
	for v := range ch { // want `range over channel ch never ends`
		if v == 1 {
			continue loop
		}
	}
}

// A sender that loops until done is closed is not an endless stream: once
// it returns, the range waits forever (a run with done closed after 20ms:
// "all goroutines are asleep - deadlock!" at the range).
// File.SentForever counts only loops that LoopsForever.
func stoppable(done chan struct{}) {
	ch := make(chan int)
	go func() {
		for {
			select {
			case ch <- 1:
			case <-done:
				return
			}
		}
	}()
	for v := range ch { // want `range over channel ch never ends`
		fmt.Println(v)
	}
}
