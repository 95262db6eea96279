package main

import (
	"fmt"
	"time"
)

func main() {
	done := make(chan struct{})
	go func() {
		defer close(done)
		time.Sleep(time.Second)
		fmt.Println("worked")
	}()
	<-done
}
