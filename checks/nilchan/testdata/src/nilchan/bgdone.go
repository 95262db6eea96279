package nilchan

import (
	"context"
	"time"
)

// ---- a receive from Background's or TODO's Done ----

func waitBackground() {
	ctx := context.Background()
	go func() {
		<-ctx.Done() // want `this receive from ctx.Done\(\) blocks forever: ctx can never be cancelled on every path here \(context.Background\(\), context.TODO\(\), context.WithoutCancel\(…\), or a context.WithValue of one\): Done returns nil for a context that can never be cancelled, and a receive from a nil channel never proceeds`
	}()
}

func waitTodoCtx() {
	<-context.TODO().Done() // want `this receive from context.TODO\(\).Done\(\) blocks forever: Done returns nil`
}

func selectOnlyDone() {
	ctx := context.TODO()
	select {
	case <-ctx.Done(): // want `this receive from ctx.Done\(\) blocks forever`
	}
}

// ---- silent ----

// A case that never fires next to others: a default context, on purpose.
func orTimeoutCtx() {
	ctx := context.Background()
	select {
	case <-ctx.Done():
	case <-time.After(time.Second):
	}
}

func cancelledCtx() {
	ctx, cancel := context.WithCancel(context.Background())
	go cancel()
	<-ctx.Done()
}

// The caller's context: unknown here.
func callersCtx(ctx context.Context) {
	<-ctx.Done()
}

// Assigned on one path only.
func maybeCtx(parent context.Context, own bool) {
	ctx := context.Background()
	if own {
		ctx = parent
	}
	<-ctx.Done()
}
