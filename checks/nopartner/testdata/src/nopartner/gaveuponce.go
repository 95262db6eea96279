package nopartner

import "time"

// A select that runs once and gives up on its own timer: the sender cannot
// select on that timer (a time.After of its own is another timer), so the
// fix is room in the buffer.
func slowWork(out chan<- int) {
	time.Sleep(10 * time.Millisecond)
	out <- 1 // want `every receive from out \(made at line 14, unbuffered\) is a case of the select at line 16, which can take its <-time.After\(time.Millisecond\) case instead \(line 19\): after that nothing receives, and this send blocks forever; give out a buffer with room for every send that can come after the select gives up`
}

func fetchOnce() int {
	out := make(chan int)
	go slowWork(out)
	select {
	case v := <-out:
		return v
	case <-time.After(time.Millisecond):
		return -1
	}
}

var fetched = fetchOnce()
