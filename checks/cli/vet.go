package cli

import (
	"strings"

	"golang.org/x/tools/go/analysis/unitchecker"
)

// IsVetInvocation reports whether the process was started by
// `go vet -vettool=golens`: go vet first runs the tool with -V=full and with
// -flags, then once per package with the path of a JSON *.cfg file as the
// last argument. args excludes the program name (os.Args[1:]).
func IsVetInvocation(args []string) bool {
	if len(args) == 0 {
		return false
	}
	last := args[len(args)-1]
	if strings.HasSuffix(last, ".cfg") {
		return true
	}
	for _, a := range args {
		if a == "-flags" || a == "--flags" || strings.HasPrefix(a, "-V=") || strings.HasPrefix(a, "--V=") || a == "-V" {
			return true
		}
	}
	return false
}

// VetMain runs golens's analyzers under the go vet protocol. It reads
// os.Args itself (unitchecker.Main does) and never returns.
func VetMain() {
	unitchecker.Main(Analyzers()...)
}
