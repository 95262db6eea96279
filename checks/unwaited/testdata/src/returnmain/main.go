package main

import "fmt"

func say(s string) {
	fmt.Println(s)
}

func main() {
	go say("world") // want `main returns without waiting for the goroutine it starts here`
	fmt.Println("hello")
}
