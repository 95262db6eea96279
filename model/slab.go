package model

import "unsafe"

// slab hands out pointers to values of T from chunks it allocates a few at
// a time. The walk makes thousands of small facts (channel operations,
// channels, functions, defers, ...); one allocation per chunk instead of
// one per fact cuts the build's allocations, a large share of its time.
// Chunks grow from 2 values to about 4 KB, so a small file wastes little
// (the typed tier builds every file of a package: starting at 8 cost
// BenchmarkResummarize/all 8.1 MB/op instead of 7.7).
// The facts live as long as the model, so a chunk keeps nothing alive
// longer than it would be anyway.
type slab[T any] struct{ room []T }

func (s *slab[T]) new() *T {
	if len(s.room) == cap(s.room) {
		var zero T
		n := min(max(2*cap(s.room), 2), max(4096/int(unsafe.Sizeof(zero)), 1))
		s.room = make([]T, 0, n)
	}
	s.room = s.room[:len(s.room)+1]
	return &s.room[len(s.room)-1]
}

// slabs are the builder's chunks for the facts the walk makes. Build
// empties them when it is done (sealSlabs): a copy of the builder made
// later (chan_scope.go) must not hand out the rest of a chunk the model's
// builder would hand out too.
type slabs struct {
	ops        slab[ChanOp]
	chans      slab[Chan]
	chanTypes  slab[ChanType]
	makes      slab[MakeSite]
	funcs      slab[Func]
	goroutines slab[Goroutine]
	defers     slab[Defer]
	locks      slab[LockOp]
	waitGroups slab[WaitGroupOp]
}

func (b *builder) sealSlabs() { b.slabs = slabs{} }
