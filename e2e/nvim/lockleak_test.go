package nvim

import (
	"strings"
	"testing"
)

// lockleakSrc returns early from Load with c.mu held; LoadRight unlocks on
// every path.
const lockleakSrc = `package main

import (
	"errors"
	"sync"
)

type Cache struct {
	mu sync.Mutex
	m  map[string]int
}

func (c *Cache) Load(k string) (int, error) {
	c.mu.Lock()
	v, ok := c.m[k]
	if !ok {
		return 0, errors.New("missing")
	}
	c.mu.Unlock()
	return v, nil
}

func (c *Cache) LoadRight(k string) int {
	c.mu.Lock()
	v := c.m[k]
	c.mu.Unlock()
	return v
}

func main() {
	c := &Cache{m: map[string]int{}}
	c.LoadRight("a")
	c.Load("a")
}
`

// TestLockLeakHover: the lockleak diagnostic the typed tier publishes and
// the hovers Neovim shows say the same thing, because both read the
// model's lock flow: K on the Lock says it stays locked on the return at
// line 17 with the Unlock at line 19 skipped, as the diagnostic does; K on
// that Unlock names the return that skips it; K on the Lock of the correct
// function claims no leak.
func TestLockLeakHover(t *testing.T) {
	lock := at(t, lockleakSrc, "c.mu.Lock()\n\tv, ok", 5)
	unlock := at(t, lockleakSrc, "c.mu.Unlock()\n\treturn v, nil", 5)
	right := at(t, lockleakSrc, "c.mu.Lock()\n\tv := c.m[k]", 5)
	r := runNvim(t, "lockleak.lua", module(lockleakSrc), map[string]any{
		"lock_line": lock.Line, "lock_col": lock.Character,
		"unlock_line": unlock.Line, "unlock_col": unlock.Character,
		"right_line": right.Line, "right_col": right.Character,
	})
	var rec struct {
		Diagnostic  bool     `json:"diagnostic"`
		Messages    []string `json:"messages"`
		LockHover   []string `json:"lock_hover"`
		UnlockHover []string `json:"unlock_hover"`
		RightHover  []string `json:"right_hover"`
	}
	r.decode(t, &rec)
	if !rec.Diagnostic {
		t.Fatalf("no lockleak diagnostic within 60 s (publishDiagnostics seen: %v)", r.Diagnostics)
	}
	t.Logf("lockleak says: %v", rec.Messages)
	if len(rec.Messages) != 1 || !strings.Contains(rec.Messages[0], "returns on line 17: the Unlock on line 19 is skipped") {
		t.Errorf("lockleak diagnostics %q, want one: returns on line 17, Unlock on line 19 skipped", rec.Messages)
	}
	lockHover := strings.Join(rec.LockHover, "\n")
	t.Logf("Neovim's hover float on the Lock:\n%s", lockHover)
	for _, want := range []string{"c.mu.Lock", "It stays locked", "return at line 17", "Unlock at line 19 is skipped"} {
		if !strings.Contains(lockHover, want) {
			t.Errorf("the hover float on the Lock lacks %q", want)
		}
	}
	if unlockHover := strings.Join(rec.UnlockHover, "\n"); !strings.Contains(unlockHover, "returns at line 17 skips this Unlock") {
		t.Errorf("the hover float on the skipped Unlock does not name the return that skips it:\n%s", unlockHover)
	}
	if right := strings.Join(rec.RightHover, "\n"); !strings.Contains(right, "c.mu.Lock") || strings.Contains(right, "stays locked") {
		t.Errorf("the hover on the correct function's Lock should claim no leak:\n%s", right)
	}
}
