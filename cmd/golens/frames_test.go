package main

import (
	"bytes"
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestBadFrameHeaderSaysWhy: a missing or invalid Content-Length cannot be
// recovered from (the stream has lost its frame boundaries), so golens
// exits, but first says on stderr what was wrong (issue 10, item 9).
func TestBadFrameHeaderSaysWhy(t *testing.T) {
	for _, tc := range []struct{ name, input, want string }{
		{"not a number", "Content-Length: abc\r\n\r\n{}", "Content-Length"},
		{"negative", "Content-Length: -5\r\n\r\n{}", "Content-Length"},
		{"missing", "Content-Type: x\r\n\r\n{}", "Content-Length"},
		{"oversized", "Content-Length: 99999999999\r\n\r\n{}", "Content-Length"},
		{"not a header", "garbage\r\n\r\n", "Content-Length"},
		{"body cut short", "Content-Length: 10\r\n\r\n{}", "ended in the middle of a message"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bin := binary(t) // built before the clock starts: the build is not what is timed out
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, bin)
			cmd.Stdin = strings.NewReader(tc.input)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			err := cmd.Run()
			if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
				t.Errorf("exit: %v, want code 1", err)
			}
			if !strings.Contains(stderr.String(), tc.want) {
				t.Errorf("stderr = %q, want it to mention %q", stderr.String(), tc.want)
			}
		})
	}
}
