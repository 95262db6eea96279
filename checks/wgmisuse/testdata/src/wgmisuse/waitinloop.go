package wgmisuse

import "sync"

type plugin struct{ name string }

func (p plugin) start() {}

// ---- Wait inside the loop, Add for all iterations before it ----

func startAll(plugins []plugin) {
	var wg sync.WaitGroup
	wg.Add(len(plugins))
	for _, p := range plugins {
		go func() {
			defer wg.Done()
			p.start()
		}()
		wg.Wait() // want `wg.Wait\(\) inside the loop waits for every Done the wg.Add\(len\(plugins\)\) before the loop \(line 13\) counts, but by then only the goroutines of the iterations so far have started: when len\(plugins\) is more than 1, the first iteration blocks forever; move wg.Wait\(\) after the loop`
	}
}

func startThree() {
	var wg sync.WaitGroup
	wg.Add(3)
	for i := 0; i < 3; i++ {
		go func() { defer wg.Done() }()
		wg.Wait() // want `wg.Wait\(\) inside the loop waits for every Done the wg.Add\(3\) before the loop \(line 25\) counts.*the first iteration blocks forever; move wg.Wait\(\) after the loop`
	}
}

// ---- silent ----

func startEach(plugins []plugin) {
	var wg sync.WaitGroup
	for _, p := range plugins {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p.start()
		}()
		wg.Wait()
	}
}

func startAfter(plugins []plugin) {
	var wg sync.WaitGroup
	wg.Add(len(plugins))
	for _, p := range plugins {
		go func() {
			defer wg.Done()
			p.start()
		}()
	}
	wg.Wait()
}

func startOne(p plugin) {
	var wg sync.WaitGroup
	wg.Add(1)
	for range 1 {
		go func() { defer wg.Done(); p.start() }()
		wg.Wait()
	}
}
