package main

import (
	"fmt"
	"time"
)

func main() {
	for i := 0; i < 3; i++ {
		go func() {
			fmt.Println("worker", i)
		}()
	}
	time.Sleep(time.Second) // want `time.Sleep is the only wait for the goroutines started on line 10: they may still be running \(or not have started\) when main returns`
	fmt.Println("done")
}
