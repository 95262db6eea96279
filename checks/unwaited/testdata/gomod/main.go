package main

import (
	"fmt"
	"time"
)

func work(n int) { fmt.Println(n) }

func main() {
	go func() {
		fmt.Println("one")
	}()
	go work(2)
	time.Sleep(100 * time.Millisecond) // want `time.Sleep is the only wait`
}
