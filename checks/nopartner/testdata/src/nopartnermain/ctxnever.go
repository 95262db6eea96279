package main

import (
	"context"
	"time"
)

// A watcher whose loop ends on ctx.Done(), where ctx comes from
// WithCancel and its cancel is never called: Done never closes, the loop
// receives every event, and the sends complete
// (truth/r22d_ctx_never_cancelled). Silent.
func startWatcher(ctx context.Context, events <-chan string, acks chan<- struct{}) {
	go func() {
		for {
			select {
			case <-events:
				acks <- struct{}{}
			case <-ctx.Done():
				return
			}
		}
	}()
}

func watchAll() {
	ctx, cancel := context.WithCancel(context.Background())
	_ = cancel
	events := make(chan string)
	acks := make(chan struct{})
	startWatcher(ctx, events, acks)
	for _, e := range []string{"a", "b"} {
		events <- e
		<-acks
	}
}

// The same watcher on a context with a deadline: once it passes, the
// loop leaves and a send after that blocks forever. Reported.
func startTimedWatcher(ctx context.Context, events <-chan string, acks chan<- struct{}) {
	go func() {
		for {
			select {
			case <-events:
				acks <- struct{}{}
			case <-ctx.Done():
				return
			}
		}
	}()
}

func watchTimed() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	_ = cancel
	events := make(chan string)
	acks := make(chan struct{})
	startTimedWatcher(ctx, events, acks)
	for _, e := range []string{"a", "b"} {
		events <- e // want `this send blocks forever`
		<-acks
	}
}
