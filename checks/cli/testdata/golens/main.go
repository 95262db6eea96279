// Command golens is a stand-in for cmd/golens used by the checks/cli tests:
// it wires `golens check` and `go vet -vettool` exactly as the real binary
// should.
package main

import (
	"fmt"
	"os"

	"github.com/golens/golens/checks/cli"
)

func main() {
	if cli.IsVetInvocation(os.Args[1:]) {
		cli.VetMain()
	}
	if len(os.Args) > 1 && os.Args[1] == "check" {
		os.Exit(cli.Main(os.Args[2:], os.Stdout, os.Stderr))
	}
	fmt.Fprintln(os.Stderr, "usage: golens check [flags] [packages]")
	os.Exit(2)
}
