package main

import (
	"fmt"
	"os"
	"os/signal"
)

func main() {
	go func() {
		fmt.Println("serving")
	}()
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt)
	<-sig
}
