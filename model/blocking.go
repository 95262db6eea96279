package model

// MayBlock reports whether the select can block its goroutine: a select
// without a default waits until one of its cases can proceed (forever with
// no case, or with only nil channels); with a default it never blocks
// (https://go.dev/ref/spec#Select_statements). The blocking hints and the
// concurrency map read this one answer.
func (s *Select) MayBlock() bool { return s.Default == nil }

// MayBlock reports whether the channel operation can block its goroutine:
// a send, receive or range can (until a partner is ready, or while the
// buffer is full or empty, forever on a nil channel), except as a case of
// a select that has a default; close never blocks
// (https://go.dev/ref/spec#Close). The blocking hints and the concurrency
// map read this one answer.
func (op *ChanOp) MayBlock() bool {
	if op.Kind == Close {
		return false
	}
	if op.Select != nil && op.Select.Select != nil {
		return op.Select.Select.MayBlock()
	}
	return true
}
