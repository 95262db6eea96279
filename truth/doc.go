// Package truth is golens's truth suite: small programs of everyday
// concurrency (testdata/*.txtar), each with the annotations golens must and
// must not show on it, checked against what running the program shows.
//
// The test (truth_test.go) builds every program, runs it, and checks that
// its output and the goroutines still alive when main returns (read from
// Go's goroutineleak profile) are what the case says: those are the facts
// the expectations rest on. It then computes every annotation golens makes
// on the program — hovers, inlay-hint labels and tooltips, and check
// findings — on both tiers, and judges them against the case's expectations and a few rules
// that need no author: a goroutine the profile shows blocked forever at exit
// must not be described as waited for (unless the text says the wait can
// give up), wherever its go statement is written; a defer's hover and inlay
// hint must give the same run order; a defer's run-order claim must match
// the order its function's deferred prints came out (order_rule_test.go:
// functions that run once and defer only fmt.Println of text written
// once); a range at main's top level that main returned after must not
// be said to never end; and two rules read markers the harness builds into
// each program (marks_test.go: a call after every range statement and one
// more deferred call beside every defer statement, on the same line, that
// report on fd 3 and change nothing the program can observe): a range whose
// marker fired ended, so nothing may say it never ends (or, when no break
// of its own left it, that nothing closes its channel), and a defer whose
// marker fired on a return (not in a panic) ran, so nothing may say it is
// skipped or never runs (judged in programs that do not call recover).
//
// The tiers are the editor's. The syntax tier is each file's model alone
// (model.Parse), its findings the checks' syntax functions. The typed tier
// is what the server shows once its typed load lands: every program's
// package is made by package typed's loader, as the server makes an open
// file's (go/packages; function summaries across the package's files;
// facts about the imported packages), and its findings are the analyzers
// run over that package with the server's own call (all.AnalyzeTyped).
// Programs of package main alone are loaded together, one go list per go
// line (typed.Loader.LoadAll, which makes each package with the loader's
// own step); a program with packages of its own is loaded by itself
// (Loader.Load), since its imports name its module. No tier is hand-built
// in the harness, so the suite judges exactly the claims the editor shows.
//
// Totals (go test -v ./truth): annotations shown, judged (touched by an
// expectation or a rule), wrong (an annotation that makes a claim the
// program or the run contradicts), expected facts missing, and how many
// range and defer markers fired.
//
// A case file:
//
//	One line saying what the program shows.
//	go: 1.21                 (optional: go.mod's go line, default 1.26)
//	-- main.go --            (and any other .go files of package main)
//	-- worker/w.go --        (a package of the program, imported by the case's
//	                          name, e.g. "r19h_config_once/worker": such a case
//	                          is built as a module named after the case file)
//	-- want --
//	LINE TOKEN[#N] hover: A | B   the hover at the N-th TOKEN on LINE says A and B
//	LINE TOKEN[#N] hover!: A | B  it says neither (or there is no hover)
//	LINE hint: A                  a hint on LINE (label or tooltip) says A
//	LINE hint!: A                 no hint on LINE says A
//	LINE finding: A               a check finding on LINE says A ("CHECK: message")
//	LINE finding!: A              no check finding on LINE says A
//	LINE any!: A                  no annotation on LINE says A
//	typed: LINE ...               the line applies to the typed tier only
//	syntax: LINE ...              ... to the syntax tier only
//	other.go:LINE ...             a line of another file of the program
//
// LINE is a number or [text]: the first line containing text ([  text]:
// the first line that starts with text, after its indentation).
//
//	-- stdout --                  what the program prints (exactly)
//	-- exit --
//	code N                        exit status (default 0)
//	leaked LINE                   a goroutine started at LINE of main.go is blocked forever at exit
//	alive LINE                    a goroutine started at LINE of main.go still runs at exit
//	leaked worker/w.go:LINE       ... started at LINE of another file of the program
//	                              (alive FILE:LINE likewise)
//
// Text is matched against the plain text of an annotation (markdown's ** and
// backticks removed). With no exit section, no goroutine the program
// started is alive when main returns. A goroutine counts by the go
// statement that started it, in any file of the program; one the standard
// library starts (time.AfterFunc's) does not count.
//
// Built programs are kept in the user's cache directory (golens-truth/,
// named by a hash of their marked sources, the harness and the Go version; unused
// ones are removed after three days), so a rerun with unchanged cases skips
// the build; TRUTH_NOCACHE=1 builds afresh. Only the programs' binaries
// are cached: every annotation is computed afresh on every run, so a change
// of golens or of the harness shows at once. TRUTH_DUMP=DIR writes every
// annotation of each case and tier to DIR/CASE.TIER.txt, for judging by
// hand.
//
// A program's run must not depend on timing: CI runs the suite on a loaded
// machine. go test ./truth -runs 5 runs every program five times and judges
// a run that differs from the first, so a program that passes only when
// its goroutines are scheduled promptly shows up; run it under load.
//
// FAILING.md lists the expectations today's golens does not meet, with
// the wrong annotation and the true fact; the test skips exactly those and
// says so, and fails when one of them starts passing (rewrite the list
// with go test ./truth -update-failing).
package truth
