package wgmisuse

import "sync"

func use(string) {}

// ---- a skipped go statement ----

func skipEmpty(items []string) {
	var wg sync.WaitGroup
	wg.Add(len(items)) // want `wg.Add\(len\(items\)\) counts one Done per element, but the continue on line 14 skips the go statement whose goroutine calls wg.Done\(\): once it is taken, the counter never reaches zero and wg.Wait\(\) \(line 21\) blocks forever`
	for _, it := range items {
		if it == "" {
			continue
		}
		go func() {
			defer wg.Done()
			use(it)
		}()
	}
	wg.Wait()
}

func stopAtFirstEmpty(items []string) {
	var wg sync.WaitGroup
	wg.Add(len(items)) // want `the break on line 29 skips the go statement`
	for _, it := range items {
		if it == "" {
			break
		}
		go func() {
			use(it)
			wg.Done()
		}()
	}
	wg.Wait()
}

// ---- silent ----

// One Add per started goroutine.
func addPerGo(items []string) {
	var wg sync.WaitGroup
	for _, it := range items {
		if it == "" {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			use(it)
		}()
	}
	wg.Wait()
}

// The skip path counts itself out.
func doneOnSkip(items []string) {
	var wg sync.WaitGroup
	wg.Add(len(items))
	for _, it := range items {
		if it == "" {
			wg.Done()
			continue
		}
		go func() {
			defer wg.Done()
			use(it)
		}()
	}
	wg.Wait()
}

// The break leaves a switch, not the loop.
func breakInSwitch(items []string) {
	var wg sync.WaitGroup
	wg.Add(len(items))
	for _, it := range items {
		switch it {
		case "":
			break
		}
		go func() {
			defer wg.Done()
			use(it)
		}()
	}
	wg.Wait()
}

// The continue belongs to an inner loop.
func innerContinue(items []string) {
	var wg sync.WaitGroup
	wg.Add(len(items))
	for _, it := range items {
		for _, r := range it {
			if r == ' ' {
				continue
			}
		}
		go func() {
			defer wg.Done()
			use(it)
		}()
	}
	wg.Wait()
}

// The continue comes after the go statement.
func skipAfterGo(items []string) {
	var wg sync.WaitGroup
	wg.Add(len(items))
	for _, it := range items {
		go func() {
			defer wg.Done()
			use(it)
		}()
		if it == "" {
			continue
		}
		use(it)
	}
	wg.Wait()
}

// A labelled continue of the loop, from inside a switch: the flow, not
// the statement's shape (run: with items {"a", ""} the Wait deadlocks).
func skipLabelled(items []string) {
	var wg sync.WaitGroup
	wg.Add(len(items)) // want `the continue on line 135 skips the go statement`
next:
	for _, it := range items {
		switch it {
		case "":
			continue next
		}
		go func() {
			defer wg.Done()
			use(it)
		}()
	}
	wg.Wait()
}

// A return before the go statement ends the function: the Wait is not
// reached.
func returnBeforeGo(items []string) {
	var wg sync.WaitGroup
	wg.Add(len(items))
	for _, it := range items {
		if it == "" {
			return
		}
		go func() {
			defer wg.Done()
			use(it)
		}()
	}
	wg.Wait()
}

// The continue is dead code: a pass that gets there has panicked.
func deadContinue(items []string) {
	var wg sync.WaitGroup
	wg.Add(len(items))
	for _, it := range items {
		if it == "" {
			panic("empty item")
			continue
		}
		go func() {
			defer wg.Done()
			use(it)
		}()
	}
	wg.Wait()
}
