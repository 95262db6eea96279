// Package densefile generates Go source dense with goroutines, channels,
// defers, selects, locks and WaitGroups, for golens's benchmarks (the issues
// measure speed on "a 5,000-line file dense with" them).
package densefile

import (
	"fmt"
	"strings"
)

// unit is one function of about 50 lines using every construct golens
// models. %[1]d is replaced by the function's number.
const unit = `
// worker%[1]d fans work out to goroutines and collects the results.
func worker%[1]d(ctx context.Context, jobs <-chan int, out chan<- int) error {
	var wg sync.WaitGroup
	var mu sync.Mutex
	results := make(chan int, 4)
	done := make(chan struct{})
	total := 0
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func(n int) {
			defer wg.Done()
			select {
			case j, ok := <-jobs:
				if !ok {
					return
				}
				results <- j * n
			case <-ctx.Done():
				return
			case <-time.After(2 * time.Second):
				return
			}
		}(i)
	}
	go func() {
		wg.Wait()
		close(results)
		close(done)
	}()
	x := 5
	defer fmt.Println("worker%[1]d", x)
	x = 10
	defer func() {
		if r := recover(); r != nil {
			fmt.Println("recovered", r, x)
		}
	}()
	for r := range results {
		mu.Lock()
		total += r
		mu.Unlock()
	}
	select {
	case out <- total:
	default:
	}
	<-done
	return nil
}
`

// Source returns a file of at least the given number of lines.
func Source(lines int) []byte {
	var b strings.Builder
	b.WriteString("package dense\n\nimport (\n\t\"context\"\n\t\"fmt\"\n\t\"sync\"\n\t\"time\"\n)\n")
	// Count lines as they are written: counting the whole text each time
	// made generating a 20 MB file quadratic.
	for i, n := 0, strings.Count(b.String(), "\n"); n < lines; i++ {
		before := b.Len()
		fmt.Fprintf(&b, unit, i)
		n += strings.Count(b.String()[before:], "\n")
	}
	return []byte(b.String())
}
