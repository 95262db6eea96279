package closedsend

import "testing"

func shouldPanic(t *testing.T, f func()) {
	defer func() {
		if recover() == nil {
			t.Error("no panic")
		}
	}()
	f()
}

func TestPanics(t *testing.T) {
	shouldPanic(t, func() {
		ch := make(chan int)
		close(ch)
		close(ch)
	})
	cases := []func(){
		func() {
			ch := make(chan int, 1)
			close(ch)
			ch <- 1
		},
	}
	for _, c := range cases {
		shouldPanic(t, c)
	}
}

func helperInTest(ch chan int) {
	close(ch)
	ch <- 1 // want `send on channel ch after it was closed`
}
