package main

import "fmt"

// lookup has a deliberate concurrency mistake for the end-to-end test: results
// is declared but never made, so the send and the receive block forever.
func lookup() {
	var results chan string
	go func() { results <- "answer" }()
	fmt.Println(<-results)
}
