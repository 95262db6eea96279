package main

import (
	"fmt"
	"sync"
	"time"
)

var mu sync.Mutex

func spin() {
	time.Sleep(time.Hour)
	fmt.Println("spin done")
}

// main locks a mutex the goroutine never touches: the Lock does not wait
// for it (truth program r7_unwaited_unrelated_lock: the goroutine is still
// alive at exit), and the go hover says "Nothing in main waits for it".
func main() {
	go spin() // want `main returns without waiting for the goroutine it starts here: nothing waits for it, so the program may exit before it finishes`
	mu.Lock()
	fmt.Println("main holds mu")
	mu.Unlock()
}
