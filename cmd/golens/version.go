package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
)

// version is stamped by the release build (vscode-client/package.sh and the
// release workflow) from package.json's version, so the extension and the
// binary it carries always agree:
//
//	go build -ldflags "-X main.version=v0.1.0" ./cmd/golens
//
// Unstamped builds report what the go command recorded instead.
var version = ""

// versionString is the version serverInfo and `golens version` report: the
// stamped release version, else the module version from the build info
// (v1.2.3 for `go install …@v1.2.3`, a pseudo-version built from the commit
// for `go install ./cmd/golens` in a clone), else the VCS revision, else
// "devel".
func versionString() string {
	bi, _ := debug.ReadBuildInfo()
	return versionFrom(version, bi)
}

func versionFrom(stamped string, bi *debug.BuildInfo) string {
	if stamped != "" {
		if !strings.HasPrefix(stamped, "v") {
			stamped = "v" + stamped
		}
		return stamped
	}
	if bi == nil {
		return "devel"
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	if rev, modified := vcsRevision(bi); rev != "" {
		v := "devel-" + short(rev)
		if modified {
			v += "+dirty"
		}
		return v
	}
	return "devel"
}

// versionLine is what `golens version` prints after "golens ": the version,
// then the commit it was built from and the toolchain, when known.
func versionLine() string {
	bi, _ := debug.ReadBuildInfo()
	return versionLineFrom(version, bi, runtime.Version(), runtime.GOOS+"/"+runtime.GOARCH)
}

func versionLineFrom(stamped string, bi *debug.BuildInfo, goVersion, platform string) string {
	v := versionFrom(stamped, bi)
	var details []string
	if bi != nil {
		if rev, modified := vcsRevision(bi); rev != "" && !strings.Contains(v, short(rev)) {
			d := "commit " + short(rev)
			if modified {
				d += ", modified"
			}
			details = append(details, d)
		}
	}
	details = append(details, goVersion, platform)
	return fmt.Sprintf("%s (%s)", v, strings.Join(details, ", "))
}

func vcsRevision(bi *debug.BuildInfo) (rev string, modified bool) {
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	return rev, modified
}

func short(rev string) string {
	if len(rev) > 12 {
		return rev[:12]
	}
	return rev
}
