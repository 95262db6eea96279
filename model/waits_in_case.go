package model

// inLosingCase is for a wait written in the body of a select case (`case
// <-done: for err := range errs {…}`): it runs only when that case is
// chosen, so when the case can lose to another (a timeout) the wait may
// never happen, and "main waits for it with range errs" alone is false
// (r15r_wait_before_read_errs: the timeout won, main returned, and the
// goroutine was left blocked). It says how the wait can be skipped, or ""
// when op is in no case body of a select of its function or its case
// cannot lose (caseCanLose, with signalled the channels the goroutine
// signals). A wait in a default's body is left as it was.
func (b *builder) inLosingCase(op *ChanOp, signalled []*Chan) string {
	if op == nil || op.Select != nil {
		return ""
	}
	var encl *SelectCase
	for _, s := range b.m.Selects {
		if s.Func != op.Func {
			continue
		}
		for _, c := range s.Cases {
			body := caseBody(c)
			if len(body) == 0 || op.Pos < body[0].Pos() || op.Pos >= body[len(body)-1].End() {
				continue
			}
			if encl == nil || c.Pos > encl.Pos {
				encl = c // the innermost case holding op
			}
		}
	}
	if encl == nil || encl.Op == nil || encl.Default {
		return ""
	}
	probe := *encl.Op
	probe.Select = encl
	if !b.caseCanLose(&probe, signalled) {
		return ""
	}
	return "reached only through the select case at line " + itoa(b.m.Line(encl.Pos)) + ", which can lose to another case and leave"
}
