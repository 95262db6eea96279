package cancelleak

import "context"

// ---- a generic struct: the field read through one instantiation is the
// field stored through the type's own methods ----

type lease[T any] struct {
	val    T
	cancel context.CancelFunc
}

func (l *lease[T]) start(ctx context.Context) {
	_, l.cancel = context.WithCancel(ctx)
}

func releaseInts(l *lease[int]) { l.cancel() }

// Stored in a generic struct's field nothing reads: reported.
type idle[T any] struct {
	val  T
	stop context.CancelFunc
}

func (i *idle[T]) start(ctx context.Context) {
	_, i.stop = context.WithCancel(ctx) // want `stored only in field stop, which nothing in the package reads`
}
