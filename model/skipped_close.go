package model

// SkippedBy is set on a deferred close (`defer close(ch)`) that never
// runs: every exit of its function that it is registered for is os.Exit,
// log.Fatal or another call that ends the program without running
// deferred calls. It is that call as written ("os.Exit(3)"); "" when the
// close may run, or for an operation that is not a deferred close.
//
// Readers must not describe such a close as closing the channel: the
// receive after it waits for a close that never comes (truth case
// rv2_os_exit_in_goroutine).
func (op *ChanOp) SkippedBy() string {
	if op.Kind != Close || !op.Deferred || op.Func == nil {
		return ""
	}
	for _, d := range op.Func.Defers {
		if op.Pos < d.Pos || op.Pos >= d.End {
			continue
		}
		o := d.Order()
		if !o.Known {
			return ""
		}
		skipped := ""
		for _, e := range o.Exits {
			if e.Registered == No {
				continue
			}
			if e.Exit.RunsDefers() {
				return ""
			}
			if skipped == "" {
				skipped = e.Exit.Call
			}
		}
		return skipped
	}
	return ""
}

// RunningCloses are the closes of c except deferred ones that never run
// (see ChanOp.SkippedBy) and those written after a loop that never ends
// (ChanOp.UnreachedAfter, UnreachedCloses).
func (c *Chan) RunningCloses() []*ChanOp {
	var out []*ChanOp
	for _, op := range c.Closes() {
		if op.SkippedBy() == "" && !op.UnreachedAfter.IsValid() {
			out = append(out, op)
		}
	}
	return out
}

// SkippedCloses are the deferred closes of c that never run.
func (c *Chan) SkippedCloses() []*ChanOp {
	var out []*ChanOp
	for _, op := range c.Closes() {
		if op.SkippedBy() != "" {
			out = append(out, op)
		}
	}
	return out
}

// UnreachedCloses are the closes of c written after a loop of their own
// function that never ends (ChanOp.UnreachedAfter): they never run.
func (c *Chan) UnreachedCloses() []*ChanOp {
	var out []*ChanOp
	for _, op := range c.Closes() {
		if op.UnreachedAfter.IsValid() {
			out = append(out, op)
		}
	}
	return out
}

// SkippedOnSomePaths is, for a close that runs as a deferred call
// (`defer close(ch)`, or a close inside a deferred function literal), the
// first exit of the deferring function that ends the program without
// running it (os.Exit, log.Fatal) while another exit runs it; nil
// otherwise (SkippedBy is the close no exit runs). "Closed at line 30"
// said of such a close would hide the path on which the channel is never
// closed (r20f_exit_skips_flush).
func (op *ChanOp) SkippedOnSomePaths() *Exit {
	if op.Kind != Close || op.Func == nil {
		return nil
	}
	home := op.Func
	if !op.Deferred {
		if !home.Lit || !home.Deferred || home.Parent == nil {
			return nil
		}
		home = home.Parent
	}
	for _, d := range home.Defers {
		if op.Pos < d.Pos || op.Pos >= d.End {
			continue
		}
		o := d.Order()
		if !o.Known {
			return nil
		}
		var skip *Exit
		runs := false
		for _, e := range o.Exits {
			if e.Registered == No {
				continue
			}
			if e.Exit.RunsDefers() {
				runs = true
			} else if skip == nil {
				skip = e.Exit
			}
		}
		if runs {
			return skip
		}
		return nil
	}
	return nil
}
