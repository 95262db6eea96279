package closedsend

type worker struct{ ch chan int }

// A different channel each iteration: not a second close.
func closeAll(ws []worker) {
	for i := range ws {
		close(ws[i].ch)
	}
}

func closeAllPtr(ws []*worker) {
	for i := 0; ; i++ {
		if i == len(ws) {
			break
		}
		close(ws[i].ch)
	}
}

// The same field of one value every iteration: the second close panics.
func closeSame(w *worker, n int) {
	for range n {
		close(w.ch) // want `channel w.ch is closed in a loop: the next iteration closes it again, which panics`
	}
}
