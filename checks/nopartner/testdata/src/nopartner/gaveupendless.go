package nopartner

import "time"

// The sender's loop never ends: after the watcher's timer case ends its
// loop, no buffer would hold every later beat, so the fix is a done
// channel the sender selects on, not a buffer (gaveuponce.go has a sender
// with one send, where a buffer is the fix).
func sendBeats(beats chan<- int) {
	for n := 1; ; n++ {
		time.Sleep(time.Millisecond)
		beats <- n // want `every receive from beats \(made at line 17, unbuffered\) is a case of the select at line 21, whose loop ends when its <-time.After\(10 \* time.Millisecond\) case is taken \(line 24\): after that nothing receives, and this send blocks forever; the loop this send is in \(line 10\) never ends, so no buffer has room for every later send: let the sender select on the send together with a done channel \(or a context\) that the receiving side closes \(cancels\) when it gives up`
	}
}

func watchBeats() int {
	beats := make(chan int)
	go sendBeats(beats)
	got := 0
	for {
		select {
		case <-beats:
			got++
		case <-time.After(10 * time.Millisecond):
			return got
		}
	}
}

var watchedBeats = watchBeats()
