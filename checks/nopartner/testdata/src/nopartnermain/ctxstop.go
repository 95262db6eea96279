package main

import "context"

// A refresher whose loop a context's Done ends, cancelled by Close: every
// caller of Reload defers Close, which calls the cancel func, so the loop
// is still receiving while they send (truth/r21k_refresher_stop). Silent.
type refresher struct {
	reload chan chan int
	cancel context.CancelFunc
}

func startRefresher() *refresher {
	ctx, cancel := context.WithCancel(context.Background())
	r := &refresher{reload: make(chan chan int), cancel: cancel}
	go r.loop(ctx)
	return r
}

func (r *refresher) loop(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case ack := <-r.reload:
			ack <- 1
		}
	}
}

func (r *refresher) Reload() int {
	ack := make(chan int)
	r.reload <- ack
	return <-ack
}

func (r *refresher) Close() { r.cancel() }

func useRefresher() int {
	r := startRefresher()
	defer r.Close()
	return r.Reload()
}

// The same loop where a caller never cancels: whether its context ends
// while it sends is not in view, and nothing it calls holds a cancel.
// Reported.
type poller struct {
	poll chan chan int
}

func startPoller(ctx context.Context) *poller {
	p := &poller{poll: make(chan chan int)}
	go p.loop(ctx)
	return p
}

func (p *poller) loop(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case ack := <-p.poll:
			ack <- 1
		}
	}
}

func (p *poller) Poll() int {
	ack := make(chan int)
	p.poll <- ack // want `this send blocks forever`
	return <-ack
}

func usePoller(ctx context.Context) int {
	return startPoller(ctx).Poll()
}
