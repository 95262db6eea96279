package nvim

import "testing"

// TestShutdown stops golens the way :LspStop (and :qa) does — a shutdown
// request, then the exit notification — and checks that the process ends
// by itself with exit code 0. Neovim 0.7 keeps stdin open after exit; a
// server that waits for EOF instead costs every :qa 500 ms and a SIGTERM.
func TestShutdown(t *testing.T) {
	r := runNvim(t, "lifecycle.lua", module("package main\n\nfunc main() {}\n"), map[string]any{"graceful_stop": true})
	var rec struct {
		Stopped    bool   `json:"stopped"`
		HoverError string `json:"hover_error"`
		ServerExit *struct {
			Code   int `json:"code"`
			Signal int `json:"signal"`
		} `json:"server_exit"`
	}
	r.decode(t, &rec)
	if rec.HoverError != "" {
		t.Errorf("hover before stopping: %s", rec.HoverError)
	}
	if !rec.Stopped || rec.ServerExit == nil {
		t.Fatalf("golens was still running 3 s after shutdown and exit (Neovim keeps its stdin open): " +
			"the exit notification must end the process, not only the connection")
	}
	if rec.ServerExit.Code != 0 || rec.ServerExit.Signal != 0 {
		t.Errorf("golens ended with code %d, signal %d after shutdown and exit; want code 0, no signal",
			rec.ServerExit.Code, rec.ServerExit.Signal)
	}
}
