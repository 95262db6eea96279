package deferloop

import (
	"context"
	"database/sql"
	"log"
	"net/http"
	"os"
	"runtime"
	"sync"
	"time"
)

func use(any) {}

// ---- buggy ----

func files(paths []string) {
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			continue
		}
		defer f.Close() // want `defer f.Close\(\) in a loop runs only when files returns: f stays open until then, for every iteration`
		use(f)
	}
}

func bodies(urls []string) error {
	for _, u := range urls {
		resp, err := http.Get(u)
		if err != nil {
			return err
		}
		defer resp.Body.Close() // want `defer resp.Body.Close\(\) in a loop`
		use(resp)
	}
	return nil
}

type cache struct {
	mu    sync.Mutex
	items map[string]int
}

func (c *cache) bump(keys []string) {
	for _, k := range keys {
		c.mu.Lock()
		defer c.mu.Unlock() // want `c.mu stays locked \(the next iteration's Lock waits forever\)`
		c.items[k]++
	}
}

func closures(paths []string) {
	for i := 0; i < len(paths); i++ {
		f, err := os.Create(paths[i])
		if err != nil {
			break
		}
		defer func() { // want `in a loop runs only when closures returns`
			f.Close()
		}()
	}
}

func timeouts(ctx context.Context, n int) {
	for i := 0; i < n; i++ {
		ctx, cancel := context.WithTimeout(ctx, time.Second)
		defer cancel() // a timer, not a descriptor or a lock: not reported
		use(ctx)
	}
}

func tickers(ds []time.Duration) {
	for _, d := range ds {
		t := time.NewTicker(d)
		defer t.Stop()
		<-t.C
	}
}

func inLiteral(dbs []*sql.DB) {
	run := func() {
		for _, db := range dbs {
			tx, _ := db.Begin()
			defer tx.Rollback() // want `runs only when the enclosing function literal returns`
		}
	}
	run()
}

func labeled(groups [][]string) {
outer:
	for _, g := range groups {
		for _, p := range g {
			if p == "" {
				continue outer
			}
		}
		f, err := os.Open(g[0])
		if err != nil {
			continue
		}
		defer f.Close() // want `defer f.Close\(\) in a loop`
		use(f)
	}
}

// ---- correct ----

func wrapped(paths []string) {
	for _, p := range paths {
		func() {
			f, err := os.Open(p)
			if err != nil {
				return
			}
			defer f.Close()
			use(f)
		}()
	}
}

func retry(p string) (*os.File, error) {
	for i := 0; i < 3; i++ {
		f, err := os.Open(p)
		if err != nil {
			continue
		}
		defer f.Close()
		return f, nil
	}
	return nil, os.ErrNotExist
}

func firstFound(paths []string) {
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			continue
		}
		defer f.Close()
		use(f)
		break
	}
}

func notARelease(names []string) {
	for _, n := range names {
		defer println(n)
	}
}

func closeOutside(paths []string) {
	f, _ := os.Open(paths[0])
	defer f.Close()
	for range paths {
		use(f)
	}
}

func goroutineBody(wg *sync.WaitGroup, mu *sync.Mutex, n int) {
	for i := 0; i < n; i++ {
		go func() {
			mu.Lock()
			defer mu.Unlock()
		}()
	}
}

func panics(paths []string) {
	for _, p := range paths {
		f, _ := os.Open(p)
		defer f.Close()
		panic("stop")
	}
}

func eventLoop(events <-chan string, done <-chan struct{}) {
	for {
		select {
		case p := <-events:
			f, err := os.Open(p)
			if err != nil {
				continue
			}
			defer f.Close() // one event in practice; a select case is not reported
		case <-done:
			return
		}
	}
}

type node struct {
	mu     sync.Mutex
	done   bool
	parent *node
}

// Each iteration locks a different mutex: held together on purpose.
func (n *node) firstLive() *node {
	for p := n.parent; p != nil; p = p.parent {
		p.mu.Lock()
		defer p.mu.Unlock()
		if !p.done {
			return p
		}
	}
	return nil
}

// A break leaves the inner loop after the defer, but the outer loop comes
// back to it: one file per group stays open until nested returns (run by
// the exits helper: 1, 2, 3 still open after each outer pass).
func nested(groups [][]string) {
	for _, g := range groups {
		for _, p := range g {
			f, err := os.Open(p)
			if err != nil {
				continue
			}
			defer f.Close() // want `defer f.Close\(\) in a loop runs only when nested returns: f stays open until then, for every iteration`
			use(f)
			break
		}
	}
}

// Each pass ends the function after the defer (runtime.Goexit,
// log.Panicln, a goto out of the loop), or the loop makes one pass: one
// call is registered, nothing piles up. Not reported.
func goexits(paths []string) {
	for _, p := range paths {
		f, _ := os.Open(p)
		defer f.Close()
		runtime.Goexit()
	}
}

func panicsLn(paths []string) {
	for _, p := range paths {
		f, _ := os.Open(p)
		defer f.Close()
		log.Panicln("stop")
	}
}

func gotoOut(paths []string) {
	for _, p := range paths {
		f, _ := os.Open(p)
		defer f.Close()
		goto done
	}
done:
}

func onePass(p string) {
	for i := 0; i < 1; i++ {
		f, _ := os.Open(p)
		defer f.Close()
	}
}
