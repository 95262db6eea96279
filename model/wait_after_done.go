package model

import "strings"

// AfterDone lists, for a goroutine whose function literal defers the Done
// of the WaitGroup wg (`defer wg.Done()`), the deferred calls it registers
// before that defer: they run after Done (last deferred, first run), so a
// Wait on wg can return before they have run. nil when the literal defers
// no such Done, or defers nothing before it. Only defers of the literal's
// own body, outside ifs and loops, count.
func (m *File) AfterDone(g *Goroutine, wg string) []*Defer {
	if g == nil || g.Body == nil || wg == "" {
		return nil
	}
	done := -1
	for _, d := range g.Body.Defers {
		if d.Conditional || d.InLoop {
			continue
		}
		if strings.TrimSpace(d.Call) == wg+".Done()" {
			done = d.Index
			break
		}
	}
	if done < 0 {
		return nil
	}
	var out []*Defer
	for _, d := range g.Body.Defers {
		if d.Index < done && !d.Conditional && !d.InLoop {
			out = append(out, d)
		}
	}
	return out
}
