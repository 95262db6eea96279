// Command golens is the Go Concurrency Lens language server and its
// command-line companions.
//
//	golens                 serve LSP on stdin/stdout (what editors run)
//	golens show [file.go]  print a Go file annotated with what golens says
//	golens explain TOPIC   explain a construct: go, chan, send, select, …
//	golens check [pkgs]    run the concurrency checks like go vet
//	golens map FILE|PKG    draw the concurrency map of a function or package
//	golens leaks [pkgs]    run the tests and report leaked goroutines
//	golens version         print the version
//	golens help            print this help
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"

	"github.com/golens/golens/checks/cli"
	"github.com/golens/golens/explain"
	"github.com/golens/golens/server"
)

func main() {
	// go vet -vettool=$(which golens) runs the binary with its own
	// protocol (-V=full, -flags, a .cfg file).
	if cli.IsVetInvocation(os.Args[1:]) {
		cli.VetMain() // never returns
	}
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	// Editors' LSP clients sometimes pass --stdio (vscode-languageclient
	// with TransportKind.stdio does); stdio is what golens serves anyway.
	if len(args) == 0 || args[0] == "serve" || args[0] == "--stdio" || args[0] == "-stdio" {
		return serve(stdin, stdout, stderr)
	}
	switch args[0] {
	case "version", "-version", "--version", "-v":
		fmt.Fprintln(stdout, "golens", versionLine())
		return 0
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	case "explain":
		return explainCmd(args[1:], stdout, stderr)
	case "show":
		return showCmd(args[1:], stdout, stderr)
	case "leaks":
		return leaksCmd(args[1:], stdout, stderr)
	case "check":
		return cli.Main(args[1:], stdout, stderr)
	case "map":
		return mapCmd(args[1:], stdout, stderr)
	}
	fmt.Fprintf(stderr, "golens: unknown command %q\n\n%s", args[0], usage)
	return 2
}

const usage = `golens — Go Concurrency Lens: makes goroutines, channels, defer and select visible.

Usage:
  golens                  serve the Language Server Protocol on stdin/stdout
  golens show [file.go]   print a Go file (default: a built-in tour) annotated
                          with golens's explanations, hints and findings
  golens explain [-markdown] TOPIC
                          explain a construct ('golens explain' lists topics);
                          styled for a terminal, plain text otherwise
  golens check [-fix] [-json] [packages]
                          run the concurrency checks like go vet ('golens check -h');
                          also usable as go vet -vettool=$(which golens)
  golens map [-func NAME] [-format svg|dot|mermaid|text] FILE.go|PACKAGE
                          draw the goroutines, channels and locks of a function
                          or package ('golens map -h')
  golens leaks [-run re] [-count n] [-pertest] [-json] [-v] [packages]
                          run the packages' tests with Go's goroutine leak
                          detector and report leaked goroutines ('golens leaks -h')
  golens version          print the version
  golens help             print this help
`

func serve(stdin io.Reader, stdout, stderr io.Writer) int {
	code := 1 // exit without shutdown, or the client went away
	server.TuneRuntime()
	opts := server.Options{Version: versionString(), Log: stderr, OnExit: func(c int) { code = c }}
	// A signal stops the server the way exit does: its go commands are
	// killed first, not orphaned.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer stop()
	if err := server.Serve(ctx, stdio{stdin, stdout}, opts); err != nil {
		if ctx.Err() != nil {
			err = fmt.Errorf("stopped by a signal")
		}
		fmt.Fprintln(stderr, "golens:", err)
		return 1
	}
	return code
}

// stdio joins stdin and stdout into the connection the server reads and
// writes.
type stdio struct {
	io.Reader
	io.Writer
}

func (stdio) Close() error { return nil }

func explainCmd(args []string, stdout, stderr io.Writer) int {
	markdown := false
	if len(args) > 0 && (args[0] == "-markdown" || args[0] == "--markdown") {
		markdown, args = true, args[1:]
	}
	if len(args) == 0 {
		fmt.Fprintln(stdout, "Topics (golens explain TOPIC):")
		for _, n := range explain.Names() {
			t := explain.MustLookup(n)
			fmt.Fprintf(stdout, "  %-15s %s\n", n, t.Title)
		}
		return 0
	}
	t, ok := explain.Lookup(strings.Join(args, " "))
	if !ok {
		fmt.Fprintf(stderr, "golens: no topic %q; 'golens explain' lists them\n", strings.Join(args, " "))
		return 2
	}
	if markdown {
		fmt.Fprint(stdout, t.Markdown())
		return 0
	}
	fmt.Fprint(stdout, renderMarkdown(t.Markdown(), explainRenderOptions(stdout)))
	return 0
}

// explainRenderOptions: on a terminal, its width and ANSI styles (unless
// NO_COLOR is set); otherwise plain text wrapped at $COLUMNS or 80.
func explainRenderOptions(w io.Writer) renderOptions {
	o := renderOptions{Width: 80}
	if c, err := strconv.Atoi(os.Getenv("COLUMNS")); err == nil && c > 0 {
		o.Width = c
	}
	if f, ok := w.(*os.File); ok {
		if tw := terminalWidth(f); tw > 0 {
			o.Width = tw
			o.Color = os.Getenv("NO_COLOR") == "" && os.Getenv("TERM") != "dumb"
		}
	}
	return o
}
