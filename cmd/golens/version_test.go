package main

import (
	"bufio"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

func TestVersionFrom(t *testing.T) {
	rev := "15d83e97da94c43efc4848d1e0937274b48b9ae7"
	vcs := func(modified string) []debug.BuildSetting {
		return []debug.BuildSetting{{Key: "vcs", Value: "git"}, {Key: "vcs.revision", Value: rev}, {Key: "vcs.modified", Value: modified}}
	}
	cases := []struct {
		name    string
		stamped string
		bi      *debug.BuildInfo
		want    string // versionFrom
		line    string // versionLineFrom
	}{
		{"release stamp wins", "0.1.0", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs("false")},
			"v0.1.0", "v0.1.0 (commit 15d83e97da94, go1.26.8, linux/amd64)"},
		{"stamp with v", "v0.2.0", nil, "v0.2.0", "v0.2.0 (go1.26.8, linux/amd64)"},
		{"go install module@version", "", &debug.BuildInfo{Main: debug.Module{Version: "v0.3.1"}},
			"v0.3.1", "v0.3.1 (go1.26.8, linux/amd64)"},
		{"go install ./cmd/golens in a clone: pseudo-version names the commit", "",
			&debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20261128170917-15d83e97da94+dirty"}, Settings: vcs("true")},
			"v0.0.0-20261128170917-15d83e97da94+dirty", "v0.0.0-20261128170917-15d83e97da94+dirty (go1.26.8, linux/amd64)"},
		{"devel build with VCS info", "", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs("true")},
			"devel-15d83e97da94+dirty", "devel-15d83e97da94+dirty (go1.26.8, linux/amd64)"},
		{"nothing known", "", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "devel", "devel (go1.26.8, linux/amd64)"},
		{"no build info", "", nil, "devel", "devel (go1.26.8, linux/amd64)"},
	}
	for _, c := range cases {
		if got := versionFrom(c.stamped, c.bi); got != c.want {
			t.Errorf("%s: versionFrom = %q, want %q", c.name, got, c.want)
		}
		if got := versionLineFrom(c.stamped, c.bi, "go1.26.8", "linux/amd64"); got != c.line {
			t.Errorf("%s: versionLineFrom = %q, want %q", c.name, got, c.line)
		}
	}
}

// TestStampedVersionEverywhere builds golens as the release does (version
// stamped from package.json) and checks that `golens version` and the
// server's serverInfo both report package.json's version.
func TestStampedVersionEverywhere(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	pkg, err := os.ReadFile(filepath.Join("..", "..", "package.json"))
	if err != nil {
		t.Skip("no package.json:", err)
	}
	want := "v" + packageJSONVersion(t, string(pkg))
	bin := filepath.Join(t.TempDir(), "golens")
	out, err := exec.Command("go", "build", "-trimpath", "-ldflags", "-s -w -X main.version="+want, "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	out, err = exec.Command(bin, "version").Output()
	if err != nil || !strings.HasPrefix(string(out), "golens "+want+" (") {
		t.Errorf("golens version = %q (%v), want golens %s (…)", out, err, want)
	}

	cmd := exec.Command(bin)
	in, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &lspProc{cmd: cmd, in: in, out: bufio.NewReader(stdout)}
	p.send(map[string]any{"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": map[string]any{"capabilities": map[string]any{}}})
	res := p.response(t, 1)
	info, _ := res["result"].(map[string]any)["serverInfo"].(map[string]any)
	if info["name"] != "golens" || info["version"] != want {
		t.Errorf("serverInfo = %v, want golens %s", info, want)
	}
	p.exit(t)
}

func packageJSONVersion(t *testing.T, pkg string) string {
	var m struct{ Version string }
	if err := json.Unmarshal([]byte(pkg), &m); err != nil || m.Version == "" {
		t.Fatalf("package.json has no version (%v)", err)
	}
	return m.Version
}
