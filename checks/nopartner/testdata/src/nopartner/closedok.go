package nopartner

import "time"

func sendEach(ids []int, out chan<- int) {
	for _, id := range ids {
		out <- id
	}
	close(out)
}

// The receiver leaves its own case only when the channel is closed and
// drained (!ok): no value remains, so no send is left without a partner
// by that break. (The time.After case's break is timeoutleak's.) Silent.
func CollectUntilClosed(ids []int) []int {
	out := make(chan int)
	go sendEach(ids, out)
	var got []int
loop:
	for {
		select {
		case v, ok := <-out:
			if !ok {
				break loop
			}
			got = append(got, v)
		case <-time.After(time.Second):
			break loop
		}
	}
	return got
}
