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

// BenchmarkParseProfile parses and extracts a profile of 10,000 goroutines
// (half leaked, with ancestors), the size of a busy server's test binary.
func BenchmarkParseProfile(b *testing.B) {
	var sb strings.Builder
	for i := 0; i < 10000; i++ {
		status := "chan receive"
		if i%2 == 0 {
			status = "chan send (leaked)"
		}
		fmt.Fprintf(&sb, "goroutine %d [%s]:\nexample.com/p.worker.func1()\n\t/home/user/p/w.go:%d +0x1e\ncreated by example.com/p.worker in goroutine 7\n\t/home/user/p/w.go:%d +0x66\n[originating from goroutine 7]:\nexample.com/p.TestW(...)\n\t/home/user/p/w_test.go:12 +0x66\ntesting.tRunner(...)\n\t/usr/local/go/src/testing/testing.go:2039 +0xea\ncreated by testing.(*T).Run\n\t/usr/local/go/src/testing/testing.go:2101 +0x4c5\n\n", i+2, status, 10+i%50, 9+i%50)
	}
	text := sb.String()
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	for b.Loop() {
		gs, err := leaks.ParseProfile(strings.NewReader(text))
		if err != nil || len(gs) != 10000 {
			b.Fatal(err, len(gs))
		}
		if ls := leaks.Merge(leaks.Extract("p", gs)); len(ls) != 25 {
			b.Fatal(len(ls))
		}
	}
}
