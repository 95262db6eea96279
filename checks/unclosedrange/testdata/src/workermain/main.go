package main

import (
	"bufio"
	"fmt"
	"os"
	"os/signal"
)

// main's workers live as long as the program: not reported.
func main() {
	lines := make(chan string)
	go func() {
		for l := range lines {
			fmt.Println(l)
		}
	}()
	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
		lines <- sc.Text()
	}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt) // passed to another package
	for s := range sig {
		fmt.Println(s)
	}
}
