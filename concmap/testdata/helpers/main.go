package main

import (
	"fmt"
	"sync"
)

// produce closes out when it is done: main's range ends through it.
func produce(out chan<- int) {
	for i := 0; i < 3; i++ {
		out <- i
	}
	close(out)
}

// startAcker starts a goroutine that acknowledges on ack.
func startAcker(ack chan<- bool) {
	go func() {
		ack <- true
	}()
}

// each runs f for every item: golens cannot tell whether it calls f.
func each(items []int, f func(int)) {
	for _, it := range items {
		f(it)
	}
}

type store struct {
	mu sync.Mutex
	m  map[int]int
}

func (s *store) put(k, v int) {
	s.mu.Lock()
	s.m[k] = v
	s.mu.Unlock()
}

func main() {
	ch := make(chan int)
	ack := make(chan bool, 2)
	done := make(chan struct{})
	s := &store{m: map[int]int{}}
	stop := func() { close(done) }
	defer stop()
	go produce(ch)
	startAcker(ack)
	for v := range ch {
		s.put(v, v)
	}
	each([]int{1}, func(i int) { ack <- i > 0 })
	fmt.Println(<-ack, len(s.m))
}

// tryNotify sends on ack only if the send can proceed at once.
func tryNotify(ack chan<- bool) {
	select {
	case ack <- true:
	default:
	}
}

func (s *store) tryPut(k, v int) {
	if s.mu.TryLock() {
		s.m[k] = v
		s.mu.Unlock()
	}
}

// poll never blocks on ack or s.mu: neither helper waits.
func poll(s *store, ack chan bool) {
	tryNotify(ack)
	s.tryPut(1, 1)
}
