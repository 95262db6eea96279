// Package wgmisuse defines an Analyzer that reports sync.WaitGroup misuse
// and WaitGroups or mutexes passed by value.
//
// # Analyzer wgmisuse
//
// wgmisuse: report WaitGroup.Add inside the goroutine it counts, Done without Add, and WaitGroups or mutexes received by value
//
// Add inside the counted goroutine. wg.Add must happen before the go
// statement: when the goroutine itself calls Add, wg.Wait in the starting
// goroutine may run first, see a zero counter and return before the work
// is done (go doc sync.WaitGroup.Add).
//
// WRONG:
//
//	for _, j := range jobs {
//		go func() {
//			wg.Add(1)
//			defer wg.Done()
//			run(j)
//		}()
//	}
//	wg.Wait()
//
// RIGHT (the suggested fix moves the Add before the go statement; with Go
// 1.25 or later, wg.Go(func() { run(j) }) does both):
//
//	for _, j := range jobs {
//		wg.Add(1)
//		go func() {
//			defer wg.Done()
//			run(j)
//		}()
//	}
//	wg.Wait()
//
// Done with no Add. A WaitGroup that is never Added to anywhere in the
// package (and never escapes it) has a zero counter, so its first Done
// panics with "sync: negative WaitGroup counter". When the Done is in a go
// statement's function literal, the suggested fix adds wg.Add(1) before it.
//
// Wait with no Done. A WaitGroup of the package (not escaping it) that is
// Added to with positive constants but never Done (nor counted down with a
// negative Add, nor used with Go) never returns to zero once an Add has
// run: its Wait blocks forever. No fix: where the Done belongs is a
// decision.
//
// Done skipped on a path. A goroutine (a go statement's literal, or a
// function of the package started with go) that calls wg.Done() at the
// end of its body, not deferred, and returns earlier on some path never
// counts itself out: the counter stays above zero and wg.Wait() blocks
// forever. It is reported at the first such return when the Wait is in
// the package (or the WaitGroup is a pointer parameter), the body calls
// Done once, and no function of the package called before the return
// calls Done on the same WaitGroup. The suggested fix defers the Done at
// the start of the goroutine.
//
// WRONG:
//
//	go func() {
//		if err := fetch(i); err != nil {
//			return // wg.Wait() now blocks forever
//		}
//		wg.Done()
//	}()
//
// RIGHT:
//
//	go func() {
//		defer wg.Done()
//		if err := fetch(i); err != nil {
//			return
//		}
//	}()
//
// Wait inside the loop. The counter is raised for all iterations before a
// loop (wg.Add(len(items)), wg.Add(3)), and each iteration starts a
// goroutine and then calls wg.Wait(): the first Wait needs every Done,
// but only one goroutine exists yet, so it blocks forever (when the count
// is more than 1). Reported when the loop body adds nothing itself; move
// the Wait after the loop.
//
// A skipped go statement. wg.Add(len(items)) raises the counter once per
// element before the loop, and a continue (or a break) of the loop before
// the go statement skips the goroutine that is the only caller of Done:
// each skipped element leaves one Done missing, so the counter never
// reaches zero and the wg.Wait() after the loop blocks forever. Reported
// when nothing else in the package calls Done on the WaitGroup (a Done on
// the skip path counts itself out) and the loop body adds nothing.
//
// WRONG:
//
//	wg.Add(len(items))
//	for _, it := range items {
//		if it == "" {
//			continue // no goroutine, no Done
//		}
//		go func() { defer wg.Done(); use(it) }()
//	}
//	wg.Wait()
//
// RIGHT:
//
//	for _, it := range items {
//		if it == "" {
//			continue
//		}
//		wg.Add(1)
//		go func() { defer wg.Done(); use(it) }()
//	}
//	wg.Wait()
//
// Wait before the goroutine that calls Done. The function raises the
// counter (wg.Add, or a call of a function of the package that adds to
// the same WaitGroup as a statement of its own, before any return), then
// calls wg.Wait(), and only after that starts the goroutine that holds
// every Done of that WaitGroup in the package. While Wait blocks nothing
// can count down, so it blocks forever. Reported when the WaitGroup is
// private to the package and only ever the receiver of its own methods
// (never passed or its address taken), and the started function is
// started nowhere else.
//
// WRONG:
//
//	p.submit(job) // p.wg.Add(1)
//	p.wg.Wait()
//	go p.worker() // the only p.wg.Done()
//
// RIGHT:
//
//	go p.worker()
//	p.submit(job)
//	p.wg.Wait()
//
// Waiting for itself. A goroutine counted by wg.Add before it starts that
// calls wg.Wait() before its own Done has run (a deferred Done runs only
// when it returns) keeps the counter above zero while it waits: it blocks
// forever. Reported when the goroutine calls Done once; a barrier (Done,
// then Wait) is fine.
//
// Received by value. A parameter of type sync.WaitGroup, sync.Mutex or
// sync.RWMutex receives a copy: Done on the copy never reaches the caller's
// Wait, Wait on the copy waits on the counter as it was at the call, and
// locking a copy excludes nobody. The suggested fix makes the
// parameter a pointer and passes &x at the package's call sites.
//
// WRONG:
//
//	func worker(id int, wg sync.WaitGroup) { defer wg.Done(); ... }
//	go worker(i, wg)
//
// RIGHT:
//
//	func worker(id int, wg *sync.WaitGroup) { defer wg.Done(); ... }
//	go worker(i, &wg)
//
// gopls already reports two of these by default, through vet's waitgroup
// analyzer (Add as the first statement of a go statement's function
// literal) and copylocks (locks passed by value). The check is therefore
// marked as a gopls duplicate: with the skipGoplsDuplicates setting golens
// offers its quick fix for those without a second warning.
// DuplicatesGopls tells which of its diagnostics gopls also shows.
package wgmisuse
