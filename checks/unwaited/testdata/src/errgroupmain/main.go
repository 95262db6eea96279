package main

import (
	"fmt"

	"golang.org/x/sync/errgroup"
)

func main() {
	var g errgroup.Group
	results := make([]int, 3)
	for i := range results {
		g.Go(func() error {
			results[i] = i * i
			return nil
		})
	}
	go fmt.Println("also started")
	if err := g.Wait(); err != nil {
		fmt.Println(err)
	}
	fmt.Println(results)
}
