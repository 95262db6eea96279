package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/golens/golens/leaks"
)

// Exit codes of golens leaks, the same as golens check's.
const (
	leaksClean     = 0
	leaksFound     = 1
	leaksUsage     = 2
	leaksRunFailed = 3
)

const leaksUsageText = `usage: golens leaks [flags] [packages]

Runs the packages' tests (default ".") with Go's goroutine leak detector
(GOEXPERIMENT=goroutineleakprofile) and reports every goroutine they leave
blocked forever, as

  file:line: goroutine blocked on chan send forever (leaked in TestX); created at file:line

Your files are not changed: go test -overlay adds one test-only file that
writes the leak profile when the tests end. The tests are your code: golens
runs them only when asked.

Flags:
  -run regexp   run only the tests matching regexp (as go test -run)
  -count n      run the tests n times (leaks that depend on scheduling)
  -pertest      run each test in its own go test, in parallel up to the cores,
                so each leak is attributed to exactly one test
  -timeout d    stop the whole run after d, killing the tests (default 2m)
  -json         print the result as JSON on stdout
  -v            print each leak's full stack, and the tests' output

Exit status:
  0  no leaks
  1  leaks
  2  usage error
  3  a package could not be built or its run did not finish (leaks found in
     the others are still printed)
`

func leaksCmd(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("golens leaks", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, leaksUsageText) }
	run := fs.String("run", "", "")
	count := fs.Int("count", 1, "")
	perTest := fs.Bool("pertest", false, "")
	timeout := fs.Duration("timeout", leaks.DefaultTimeout, "")
	jsonOut := fs.Bool("json", false, "")
	verbose := fs.Bool("v", false, "")
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return leaksClean
		}
		return leaksUsage
	}
	if *count < 1 || *timeout <= 0 {
		fmt.Fprintln(stderr, "golens leaks: -count and -timeout must be positive")
		return leaksUsage
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	opts := leaks.Options{Packages: fs.Args(), Run: *run, Count: *count, PerTest: *perTest, Timeout: *timeout}
	if *verbose {
		opts.Output = stderr
	}
	start := time.Now()
	res, err := leaks.Run(ctx, opts)
	if err != nil {
		fmt.Fprintln(stderr, "golens leaks:", err)
		if strings.HasPrefix(err.Error(), "bad -run") {
			return leaksUsage
		}
		return leaksRunFailed
	}
	if *jsonOut {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "\t")
		_ = enc.Encode(res)
	} else {
		cwd, _ := os.Getwd()
		for _, l := range res.Leaks {
			fmt.Fprintln(stderr, leaks.Format(l, cwd))
			if *verbose {
				fmt.Fprintln(stderr, indent(l.Stack))
			}
		}
		for _, p := range res.Problems {
			where := "golens leaks"
			if p.Package != "" {
				where += ": " + p.Package
			}
			fmt.Fprintf(stderr, "%s: %s\n", where, p.Message)
		}
		if *verbose {
			fmt.Fprintf(stderr, "golens leaks: %d leak(s) in %d package(s) in %.1fs\n", len(res.Leaks), len(res.Packages), time.Since(start).Seconds())
		}
	}
	switch {
	case len(res.Problems) > 0:
		return leaksRunFailed
	case len(res.Leaks) > 0:
		return leaksFound
	}
	return leaksClean
}

func indent(s string) string {
	return "\t" + strings.ReplaceAll(s, "\n", "\n\t")
}
