package leaks_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/golens/golens/leaks"
)

var update = flag.Bool("update", false, "rewrite the golden files of TestProfiles")

// TestProfiles parses each testdata/profiles/*.txt (goroutineleak profiles
// at debug level 2, most written by real runs) and compares the leaks golens
// extracts with the .golden file beside it.
func TestProfiles(t *testing.T) {
	files, _ := filepath.Glob("testdata/profiles/*.txt")
	if len(files) == 0 {
		t.Fatal("no testdata")
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			f, err := os.Open(file)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			gs, err := leaks.ParseProfile(f)
			if err != nil {
				t.Fatal(err)
			}
			var b strings.Builder
			fmt.Fprintf(&b, "%d goroutines\n", len(gs))
			for _, l := range leaks.Merge(leaks.Extract("example.com/p", gs)) {
				fmt.Fprintf(&b, "%s\n\treason=%q func=%s tests=%v count=%d\n", leaks.Format(l, "/home/user"), l.Reason, l.Blocked.Func, l.Tests, l.Count)
			}
			golden := strings.TrimSuffix(file, ".txt") + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(b.String()), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if b.String() != string(want) {
				t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
			}
		})
	}
}

// TestParseProfileGarbage: text that is not a profile gives no goroutines
// and no panic.
func TestParseProfileGarbage(t *testing.T) {
	for _, in := range []string{"", "hello\n", "goroutine x [y]:\n", "goroutine 1 [\n\t:12\n", "\tfile.go:1 +0x1\n", "goroutine 2 [chan send (leaked)]:\nf()\n\tnoline\n"} {
		gs, err := leaks.ParseProfile(strings.NewReader(in))
		if err != nil {
			t.Errorf("%q: %v", in, err)
		}
		for _, l := range leaks.Extract("p", gs) {
			t.Errorf("%q: leak %+v from garbage", in, l)
		}
	}
}
