package main

import (
	"fmt"
	"sync"
)

// main's Lock comes round again holding mu: the second pass waits forever
// (truth program r8_unwaited_main_relocks: the goroutine prints, then "all
// goroutines are asleep"), so main never returns and nothing is reported.
func main() {
	var mu sync.Mutex
	go fmt.Println("working")
	for i := 0; i < 2; i++ {
		mu.Lock()
	}
	fmt.Println("never")
}
