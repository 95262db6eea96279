package closedsend

// The model's flow decides (File.AfterClose): the close comes before the
// operation on every path into it. Each case was run.

// A close in a bare block: the send panics.
func bareBlockClose(ch chan int) {
	{
		close(ch)
	}
	ch <- 1 // want `send on channel ch after it was closed on line 9`
}

// A labeled close is a close statement too: the send panics.
func labeledClose(ch chan int, again bool) {
L:
	close(ch)
	ch <- 1 // want `send on channel ch after it was closed on line 17`
	if again {
		goto L
	}
}

// Passes that skip the close: with 1, 0, 1 it closes once, so "the next
// iteration closes it again" would be false (it panics only for two
// non-positive values).
func skipSomePasses(ch chan int, xs []int) {
	for _, x := range xs {
		if x > 0 {
			continue
		}
		close(ch)
	}
}

// A call between, on a field: the callee may store a new channel.
func (p *pool) closeCallSend(f func()) {
	for range 3 {
		p.jobs <- 1
		close(p.jobs)
		f()
	}
}
