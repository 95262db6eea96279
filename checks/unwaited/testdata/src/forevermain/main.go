package main

import (
	"fmt"
	"time"
)

func main() {
	go func() {
		fmt.Println("background")
	}()
	for {
		time.Sleep(time.Second)
		fmt.Println("alive")
	}
}
