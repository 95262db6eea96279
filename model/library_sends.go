package model

import "go/token"

// LibrarySendsNoWait returns the calls in this file through which a
// standard library function sends on c without waiting for a receiver:
// signal.Notify ("Package signal will not block sending to c",
// https://pkg.go.dev/os/signal#Notify), recorded in stdFacts as a send with
// no position of its own. On an unbuffered channel such a send does not
// meet a receiver: a signal that arrives while nobody is receiving is
// dropped. Read from the channel's indirect uses, so it costs nothing until
// a hover asks.
func (m *File) LibrarySendsNoWait(c *Chan) []token.Pos {
	if c == nil {
		return nil
	}
	var out []token.Pos
	for _, u := range c.Indirect() {
		e := u.Effect
		if e.Kind == EffSend && !e.Pos.IsValid() && e.At.IsValid() && u.Holder != nil {
			out = append(out, e.At)
		}
	}
	return out
}
