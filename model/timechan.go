package model

import "go/types"

// timeChanFact: the C field of a time.Timer or time.Ticker is never
// closed — Stop does not close it (package time docs) — so a range over
// it ends only by leaving the loop. ok is false for other channels.
func (b *builder) timeChanFact(c *Chan) (Fact, bool) {
	if !c.TimeChan() {
		return Fact{}, false
	}
	return Fact{Certainty: Proven, Holds: false, Why: "the channel of a time.Timer or time.Ticker: the time package never closes it, and Stop does not either"}, true
}

// TimeChan reports whether c is the C field of a time.Timer or
// time.Ticker (typed tier): a channel nothing ever closes.
func (c *Chan) TimeChan() bool {
	v, isVar := c.Key.obj.(*types.Var)
	return isVar && v.IsField() && v.Name() == "C" && v.Pkg() != nil && v.Pkg().Path() == "time"
}
